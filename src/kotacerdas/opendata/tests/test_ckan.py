"""The CKAN Action API at /api/3/action/: every action in its success and error cases, the
CKAN shapes clients read, and above all that only public datasets with a published version,
and only their published versions, ever appear in any answer.

The catalogue is built through the real workflow (``build_world``, shared with the DCAT tests):
three public datasets, one confidential, one limited, one public dataset with no published
version yet, and versions of the public dataset that are returned, submitted and draft."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kotacerdas.core.access import grant_role
from kotacerdas.core.choices import OpdKind, Role
from kotacerdas.core.models import Opd, Pillar, Region, User
from kotacerdas.opendata import ckan, publishing, tabular
from kotacerdas.opendata.choices import Classification, Frequency, Licence, VersionStatus
from kotacerdas.opendata.models import Dataset, Version

SCHEMA = {
    "fields": [
        {
            "name": "kode_wilayah",
            "type": "string",
            "region": True,
            "constraints": {"required": True},
        },
        {"name": "tahun", "type": "integer"},
        {"name": "penduduk_miskin_persen", "type": "number"},
        {"name": "keterangan", "type": "string"},
    ],
    "primaryKey": ["kode_wilayah", "tahun"],
}
HEADER = "kode_wilayah,tahun,penduduk_miskin_persen,keterangan\n"
CSV_V1 = HEADER + "35.71,2022,7.81,kota\n35.71,2023,7.23,kota\n"
CSV_V2 = HEADER + (
    "35.71,2022,7.81,kota\n"
    "35.71,2023,7.23,kota\n"
    "35.71.01,2023,8.10,Mojoroto\n"
    "35.71.02,2023,6.90,Kota\n"
    "35.71.03,2023,7.40,Pesantren\n"
)
CSV_OTHER = HEADER + "35.71.01,2024,9.99,lain\n"
JSON_OTHER = (
    '[{"kode_wilayah": "35.71.01", "tahun": 2024, "penduduk_miskin_persen": 9.9, '
    '"keterangan": "lain"}]'
)
BAD_CSV = HEADER + "99.99,tahun-bukan-angka,x,salah\n"


def at(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T08:00:00+00:00")


@dataclass
class World:
    """The catalogue every test reads; ``secrets`` are strings no public answer may contain."""

    steward: User
    officer: User
    poverty: Dataset  # public, Bappeda: v1 and v2 published, v3 returned, v4 submitted, v5 draft
    population: Dataset  # public, Dispendukcapil, newest
    index: Dataset  # public, Bappeda, oldest
    confidential: Dataset  # Dinkes, published version
    limited: Dataset  # Dinsos, published version
    unpublished: Dataset  # public, Dinsos, only a submitted version
    v1: Version
    v2: Version
    returned: Version
    submitted: Version
    draft: Version
    confidential_version: Version
    limited_version: Version
    unpublished_version: Version

    @property
    def public_names(self) -> list[str]:
        return sorted([self.poverty.slug, self.population.slug, self.index.slug])

    @property
    def hidden_versions(self) -> list[Version]:
        return [
            self.returned,
            self.submitted,
            self.draft,
            self.confidential_version,
            self.limited_version,
            self.unpublished_version,
        ]

    @property
    def secrets(self) -> list[str]:
        found = []
        for dataset in (self.confidential, self.limited, self.unpublished):
            found += [dataset.slug, dataset.title, str(dataset.uuid)]
        found += [str(version.uuid) for version in self.hidden_versions]
        found += ["rahasia-balita", "terbatas-bansos", "belum-terbit", "dinkes", "dinsos"]
        found += ["Dinas Kesehatan", "Dinas Sosial", "confidential", "limited"]
        return found


def _upload(actor: User, dataset: Dataset, text: str, note: str = "") -> Version:
    upload = SimpleUploadedFile("data", text.encode(), "text/plain")
    return publishing.upload_version(actor, dataset, upload, note)


def _publish(officer: User, steward: User, dataset: Dataset, text: str, note: str = "") -> Version:
    version = _upload(officer, dataset, text, note)
    assert version.valid, version.problems
    publishing.submit_version(officer, version)
    return publishing.publish_version(steward, version)


def build_world(steward: User) -> World:
    """Describe, upload, submit and publish the test catalogue the real way, then pin its
    dates so that orders are known."""
    bappeda = Opd.objects.create(
        code="bappeda", name="Badan Perencanaan Pembangunan Daerah", kind=OpdKind.BADAN
    )
    capil = Opd.objects.create(
        code="dispendukcapil",
        name="Dinas Kependudukan dan Pencatatan Sipil",
        short_name="Dispendukcapil",
        kind=OpdKind.DINAS,
    )
    dinkes = Opd.objects.create(code="dinkes", name="Dinas Kesehatan", kind=OpdKind.DINAS)
    dinsos = Opd.objects.create(code="dinsos", name="Dinas Sosial", kind=OpdKind.DINAS)
    officer = User.objects.create_user(username="ckan-officer", password=None, opd=bappeda)
    grant_role(officer, Role.OPD_OFFICER, bappeda)
    pillars = {pillar.code: pillar for pillar in Pillar.objects.all()}
    kediri = Region.objects.get(code="35.71")

    def describe(actor: User, tags: list[str], **fields: Any) -> Dataset:
        values = {
            "coverage": kediri,
            "granularity": "district",
            "table_schema": SCHEMA,
            "frequency": Frequency.ANNUAL,
        }
        values.update(fields)
        return publishing.save_dataset(actor, Dataset(**values), tags=tags)

    poverty = describe(
        officer,
        ["kemiskinan", "sosial"],
        slug="kemiskinan-kediri",
        title="Angka kemiskinan Kota Kediri",
        description="Persentase penduduk miskin per kecamatan.",
        producer=bappeda,
        pillar=pillars["economy"],
        topic="Kesejahteraan",
        period_start=2022,
        period_end=2023,
        unit="%",
        licence=Licence.CC_BY,
        contact_name="Sri Wahyuni",
        contact_email="data@bappeda.kedirikota.go.id",
        iso_indicator="ISO 37120:2018 8.4",
    )
    v1 = _publish(officer, steward, poverty, CSV_V1, "Data 2022-2023 kota")
    v2 = _publish(officer, steward, poverty, CSV_V2, "Ditambah kecamatan")
    returned = _upload(officer, poverty, CSV_OTHER)
    publishing.submit_version(officer, returned)
    publishing.return_version(steward, returned, "Periksa lagi")
    # A pending version in another format: the format must not show until it is published.
    submitted = _upload(officer, poverty, JSON_OTHER)
    assert submitted.kind == "json"
    publishing.submit_version(officer, submitted)
    draft = _upload(officer, poverty, BAD_CSV)
    assert not draft.valid

    population = describe(
        steward,
        ["kependudukan", "sosial"],
        slug="penduduk-kecamatan",
        title="Penduduk per kecamatan",
        description="Jumlah warga tiap kecamatan dari data Dispendukcapil.",
        producer=capil,
        pillar=pillars["society"],
        licence=Licence.CC0,
        frequency=Frequency.SEMIANNUAL,
    )
    population_v1 = _publish(steward, steward, population, CSV_V2)
    index = describe(
        officer,
        ["indeks"],
        slug="indeks-kota-cerdas",
        title="Indeks kota cerdas",
        description="Nilai indeks tahunan.",
        producer=bappeda,
        pillar=pillars["governance"],
    )
    index_v1 = _publish(officer, steward, index, CSV_V1)

    confidential = describe(
        steward,
        ["rahasia-balita", "sosial"],
        slug="stunting-rahasia",
        title="Data stunting rahasia balita",
        description="Nama balita stunting.",
        producer=dinkes,
        pillar=pillars["society"],
        classification=Classification.CONFIDENTIAL,
    )
    confidential_version = _publish(steward, steward, confidential, CSV_V2)
    limited = describe(
        steward,
        ["terbatas-bansos"],
        slug="bansos-terbatas",
        title="Penerima bansos terbatas",
        description="Daftar penerima.",
        producer=dinsos,
        pillar=pillars["society"],
        classification=Classification.LIMITED,
    )
    limited_version = _publish(steward, steward, limited, CSV_V2)
    unpublished = describe(
        steward,
        ["belum-terbit"],
        slug="rencana-belum-terbit",
        title="Rencana belum terbit",
        description="Belum diterbitkan.",
        producer=dinsos,
        pillar=pillars["living"],
    )
    unpublished_version = _upload(steward, unpublished, CSV_V1)
    publishing.submit_version(steward, unpublished_version)

    # Known dates: metadata_modified is population > poverty > index.
    for dataset, created in ((poverty, "2024-01-01"), (population, "2024-02-01")):
        Dataset.objects.filter(pk=dataset.pk).update(created_at=at(created))
    Dataset.objects.filter(pk=index.pk).update(created_at=at("2024-03-01"))
    Dataset.objects.update(updated_at=at("2024-12-01"))
    for version, published in (
        (v1, "2025-02-01"),
        (v2, "2025-03-01"),
        (population_v1, "2025-05-01"),
        (index_v1, "2025-01-01"),
    ):
        Version.objects.filter(pk=version.pk).update(published_at=at(published))
    for obj in (poverty, population, index, v1, v2):
        obj.refresh_from_db()
    return World(
        steward=steward,
        officer=officer,
        poverty=poverty,
        population=population,
        index=index,
        confidential=confidential,
        limited=limited,
        unpublished=unpublished,
        v1=v1,
        v2=v2,
        returned=returned,
        submitted=submitted,
        draft=draft,
        confidential_version=confidential_version,
        limited_version=limited_version,
        unpublished_version=unpublished_version,
    )


@pytest.fixture(autouse=True)
def _stores_in_tmp(settings, tmp_path):
    # Each version's query store lives in the data directory: here a temporary one.
    settings.DATA_DIR = tmp_path / "data"


@pytest.fixture
def world(kediri, administrator) -> World:
    return build_world(administrator)


API = "/api/3/action/"


def get(client: Client, action: str, status: int = 200, **params: Any) -> dict[str, Any]:
    response = client.get(API + action, params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == status, response.content[:2000]
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def post(client: Client, action: str, body: Any, status: int = 200) -> dict[str, Any]:
    response = client.post(
        API + action,
        json.dumps(body),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == status, response.content[:2000]
    return response.json()


def result(client: Client, action: str, **params: Any) -> Any:
    answer = get(client, action, **params)
    assert answer["success"] is True
    assert answer["help"] == f"http://testserver{API}help_show?name={action}"
    return answer["result"]


def error(client: Client, action: str, status: int, **params: Any) -> dict[str, Any]:
    answer = get(client, action, status, **params)
    assert answer["success"] is False
    assert answer["help"].startswith(f"http://testserver{API}help_show?name=")
    return answer["error"]


def names(packages: list[dict[str, Any]]) -> list[str]:
    return [package["name"] for package in packages]


NOT_FOUND = {"__type": "Not Found Error", "message": "Not found"}


# ---------------------------------------------------------------------------------------------
# The envelope, methods, unknown actions


def test_status_show_describes_the_site(citizen, kediri):
    status = result(citizen, "status_show")
    assert status["ckan_version"] == "2.10.4"
    assert status["site_title"] == "Satu Data Kota Kediri"
    assert status["site_url"] == "http://testserver"
    assert status["site_description"]
    assert status["locale_default"] == "id"
    assert status["extensions"] == ["datastore"]


def test_site_read_is_true(citizen, db):
    assert result(citizen, "site_read") is True


def test_answers_may_be_read_by_any_web_page_and_head_is_answered(citizen, db):
    response = citizen.get(API + "site_read")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Accept-Language" in response["Vary"]
    assert citizen.head(API + "site_read").status_code == 200


def test_help_show_describes_an_action_and_404s_an_unknown_one(citizen, db):
    assert "public datasets" in result(citizen, "help_show", name="package_search")
    assert error(citizen, "help_show", 404, name="nope")["__type"] == "Not Found Error"


def test_unknown_action_is_400_bad_request(citizen, db):
    assert error(citizen, "package_frobnicate", 400) == {
        "__type": "Bad request",
        "message": "Bad request - Action name not known: package_frobnicate",
    }


def test_write_actions_do_not_exist(client_for, world):
    # Not even the steward can change the catalogue through this API.
    client = client_for(world.steward)
    for write in ("package_create", "package_update", "package_delete", "resource_delete"):
        body = {"name": "baru", "id": world.poverty.slug, "title": "Diubah"}
        answer = post(client, write, body, 400)
        assert answer["error"]["__type"] == "Bad request", write
    assert Dataset.objects.filter(slug="baru").count() == 0
    world.poverty.refresh_from_db()
    assert world.poverty.title == "Angka kemiskinan Kota Kediri"


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods_are_400(citizen, db, method):
    response = getattr(citizen, method)(API + "status_show", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    answer = response.json()
    assert answer["success"] is False
    assert answer["error"]["__type"] == "Bad request"
    assert method.upper() in answer["error"]["message"]


def test_other_paths_under_the_api_answer_in_ckan_shape(citizen, db):
    response = citizen.get(API + "package_show/extra/part")
    assert response.status_code == 400
    assert response.json()["error"]["__type"] == "Bad request"


def test_trailing_slash_is_accepted(citizen, db):
    response = citizen.get(API + "site_read/")
    assert response.status_code == 200
    assert response.json()["result"] is True


def test_post_json_like_ckanapi_without_csrf_token(world):
    # ckanapi POSTs a JSON body with its API key headers and no CSRF token.
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        API + "package_show",
        json.dumps({"id": world.poverty.slug}),
        content_type="application/json",
        HTTP_X_CKAN_API_KEY="whatever",
        HTTP_AUTHORIZATION="whatever",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    answer = response.json()
    assert answer["success"] is True
    assert answer["result"]["name"] == "kemiskinan-kediri"
    # The same as a GET with a query parameter.
    assert answer["result"] == result(client, "package_show", id=world.poverty.slug)


def test_post_with_an_empty_body_uses_the_defaults(citizen, world):
    response = citizen.post(API + "package_list")
    assert response.status_code == 200
    assert response.json()["result"] == world.public_names


def test_post_multipart_form_is_read_too(citizen, world):
    response = citizen.post(API + "package_show", {"id": world.index.slug})
    assert response.status_code == 200
    assert response.json()["result"]["name"] == "indeks-kota-cerdas"


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]"])
def test_body_that_is_not_a_json_object_is_400(citizen, db, body):
    response = citizen.post(
        API + "package_list", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert response.json()["error"]["__type"] == "Bad request"
    assert "JSON" in response.json()["error"]["message"]


def test_answers_are_rate_limited(citizen, db, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "public_read": (2, 60)}
    assert citizen.get(API + "site_read").status_code == 200
    assert citizen.get(API + "site_read").status_code == 200
    response = citizen.get(API + "site_read")
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert response.json()["success"] is False


def test_messages_follow_accept_language(citizen, db):
    english = citizen.get(API + "package_show", {"id": "x"}, HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["error"] == NOT_FOUND


# ---------------------------------------------------------------------------------------------
# package_list and package_search


def test_package_list_names_only_public_published_datasets(citizen, world):
    assert result(citizen, "package_list") == [
        "indeks-kota-cerdas",
        "kemiskinan-kediri",
        "penduduk-kecamatan",
    ]


def test_package_list_pages_with_limit_and_offset(citizen, world):
    assert result(citizen, "package_list", limit=1) == ["indeks-kota-cerdas"]
    assert result(citizen, "package_list", limit=2, offset=1) == [
        "kemiskinan-kediri",
        "penduduk-kecamatan",
    ]
    assert post(citizen, "package_list", {"limit": 1, "offset": 2})["result"] == [
        "penduduk-kecamatan"
    ]
    assert result(citizen, "package_list", offset=5) == []


@pytest.mark.parametrize(("param", "value"), [("limit", "abc"), ("offset", "-1"), ("limit", "1.5")])
def test_package_list_bad_paging_is_409_naming_it(citizen, db, param, value):
    failure = error(citizen, "package_list", 409, **{param: value})
    assert failure["__type"] == "Validation Error"
    assert list(failure) == ["__type", param]


def test_package_search_defaults_newest_first(citizen, world):
    found = result(citizen, "package_search")
    assert found["count"] == 3
    assert names(found["results"]) == [
        "penduduk-kecamatan",
        "kemiskinan-kediri",
        "indeks-kota-cerdas",
    ]
    assert found["sort"] == "metadata_modified desc"
    assert found["facets"] == {}
    assert found["search_facets"] == {}
    assert found["results"][0]["metadata_modified"] == "2025-05-01T08:00:00"


def test_package_search_results_are_full_packages(citizen, world):
    found = result(citizen, "package_search", q="kemiskinan")
    assert found["results"] == [result(citizen, "package_show", id="kemiskinan-kediri")]


def test_package_search_pages_with_rows_and_start(citizen, world):
    first = result(citizen, "package_search", rows=1)
    second = result(citizen, "package_search", rows=1, start=1)
    third = result(citizen, "package_search", rows=2, start=2)
    assert first["count"] == second["count"] == third["count"] == 3
    assert names(first["results"]) == ["penduduk-kecamatan"]
    assert names(second["results"]) == ["kemiskinan-kediri"]
    assert names(third["results"]) == ["indeks-kota-cerdas"]
    counted = result(citizen, "package_search", rows=0)
    assert counted["count"] == 3
    assert counted["results"] == []


def test_package_search_rows_above_the_maximum_are_lowered(citizen, world, monkeypatch):
    monkeypatch.setattr(ckan, "SEARCH_ROWS_MAX", 2)
    found = result(citizen, "package_search", rows=5000)
    assert found["count"] == 3
    assert len(found["results"]) == 2


SORTS = [
    (
        "metadata_modified asc",
        ["indeks-kota-cerdas", "kemiskinan-kediri", "penduduk-kecamatan"],
    ),
    ("title_string asc", ["kemiskinan-kediri", "indeks-kota-cerdas", "penduduk-kecamatan"]),
    ("title_string desc", ["penduduk-kecamatan", "indeks-kota-cerdas", "kemiskinan-kediri"]),
    ("name asc", ["indeks-kota-cerdas", "kemiskinan-kediri", "penduduk-kecamatan"]),
    ("name desc", ["penduduk-kecamatan", "kemiskinan-kediri", "indeks-kota-cerdas"]),
    (
        "metadata_created desc",
        ["indeks-kota-cerdas", "penduduk-kecamatan", "kemiskinan-kediri"],
    ),
]


def test_package_search_sorts(citizen, world):
    for sort, expected in SORTS:
        found = result(citizen, "package_search", sort=sort)
        assert names(found["results"]) == expected, sort
        assert found["sort"] == sort


def test_package_search_score_ranks_title_and_tag_matches_first(citizen, world):
    # "penduduk" is in the population dataset's title and tag, only in the poverty one's
    # description.
    found = result(
        citizen, "package_search", q="penduduk", sort="score desc, metadata_modified desc"
    )
    assert names(found["results"]) == ["penduduk-kecamatan", "kemiskinan-kediri"]
    by_date = result(citizen, "package_search", q="penduduk", sort="metadata_modified asc")
    assert names(by_date["results"]) == ["kemiskinan-kediri", "penduduk-kecamatan"]


BAD_SEARCHES = [
    ("sort", "nope asc"),
    ("sort", "title_string sideways"),
    ("rows", "ten"),
    ("rows", "-1"),
    ("start", "x"),
    ("facet.field", "[not json"),
    ("facet.field", '["secret_field"]'),
    ("facet.limit", "many"),
    ("fq", "colour:red"),
    ("q", "colour:red"),
]


def test_package_search_bad_parameter_is_409_naming_it(citizen, world):
    for param, value in BAD_SEARCHES:
        failure = error(citizen, "package_search", 409, **{param: value})
        assert failure["__type"] == "Validation Error"
        assert list(failure) == ["__type", param], (param, value)
        assert isinstance(failure[param], list)


QUERIES = [
    ("kemiskinan", ["kemiskinan-kediri"]),  # title
    ("kecamatan", ["kemiskinan-kediri", "penduduk-kecamatan"]),  # description and title
    ("kependudukan", ["penduduk-kecamatan"]),  # tag (and organization)
    ("Perencanaan", ["indeks-kota-cerdas", "kemiskinan-kediri"]),  # organization name
    ("bappeda", ["indeks-kota-cerdas", "kemiskinan-kediri"]),  # organization code
    ("KOTA cerdas", ["indeks-kota-cerdas"]),  # every word, any case
    ("*:*", ["indeks-kota-cerdas", "kemiskinan-kediri", "penduduk-kecamatan"]),
    ("tags:sosial", ["kemiskinan-kediri", "penduduk-kecamatan"]),
    ("tidak-ada-kata-ini", []),
    # Words only a confidential, limited or unpublished dataset has find nothing.
    ("rahasia", []),
    ("stunting", []),
    ("bansos", []),
    ("terbit", []),
    ("Kesehatan", []),
]


def test_package_search_q(citizen, world):
    for q, expected in QUERIES:
        found = result(citizen, "package_search", q=q, sort="name asc")
        assert names(found["results"]) == expected, q
        assert found["count"] == len(expected)


FILTERS = [
    ("organization:bappeda", ["indeks-kota-cerdas", "kemiskinan-kediri"]),
    ('organization:"dispendukcapil"', ["penduduk-kecamatan"]),
    ("groups:society", ["penduduk-kecamatan"]),
    ("tags:sosial", ["kemiskinan-kediri", "penduduk-kecamatan"]),
    ("res_format:CSV", ["indeks-kota-cerdas", "kemiskinan-kediri", "penduduk-kecamatan"]),
    ("res_format:XLSX", []),
    ("res_format:JSON", []),  # only a submitted version is JSON
    ("organization:bappeda tags:sosial", ["kemiskinan-kediri"]),
    ("+organization:bappeda AND groups:governance", ["indeks-kota-cerdas"]),
    ("organization:bappeda -tags:indeks", ["kemiskinan-kediri"]),
    ("tags:rahasia-balita", []),
    ("organization:dinkes", []),
    ("organization:dinsos", []),
    ("groups:living", []),
    (
        "+dataset_type:dataset",
        ["indeks-kota-cerdas", "kemiskinan-kediri", "penduduk-kecamatan"],
    ),
    ("license_id:cc-zero", ["penduduk-kecamatan"]),
]


def test_package_search_fq(citizen, world):
    for fq, expected in FILTERS:
        found = result(citizen, "package_search", fq=fq, sort="name asc")
        assert names(found["results"]) == expected, fq
        assert found["count"] == len(expected)


def test_package_search_q_and_fq_combine(citizen, world):
    found = result(citizen, "package_search", q="kecamatan", fq="organization:bappeda")
    assert names(found["results"]) == ["kemiskinan-kediri"]


def test_package_search_facets_count_only_public_data(citizen, world):
    found = result(
        citizen,
        "package_search",
        **{"facet.field": json.dumps(["organization", "groups", "tags", "res_format"])},
    )
    assert found["facets"] == {
        "organization": {"bappeda": 2, "dispendukcapil": 1},
        "groups": {"economy": 1, "governance": 1, "society": 1},
        "tags": {"sosial": 2, "indeks": 1, "kemiskinan": 1, "kependudukan": 1},
        "res_format": {"CSV": 3},
    }
    organizations = found["search_facets"]["organization"]
    assert organizations["title"] == "organization"
    assert organizations["items"][0] == {
        "name": "bappeda",
        "display_name": "Badan Perencanaan Pembangunan Daerah",
        "count": 2,
    }
    society = next(i for i in found["search_facets"]["groups"]["items"] if i["name"] == "society")
    assert society["count"] == 1  # not the confidential or limited datasets of the pillar


def test_package_search_facets_follow_the_query_and_the_limit(citizen, world):
    found = post(
        citizen,
        "package_search",
        {"fq": "organization:bappeda", "facet.field": ["tags"], "facet.limit": 2, "rows": 0},
    )["result"]
    assert found["count"] == 2
    assert found["facets"] == {"tags": {"indeks": 1, "kemiskinan": 1}}
    unlimited = result(citizen, "package_search", **{"facet.field": '["tags"]', "facet.limit": -1})
    assert len(unlimited["facets"]["tags"]) == 4


def test_package_search_without_n_plus_one_queries(citizen, world, django_assert_max_num_queries):
    params = {"facet.field": '["organization","groups","tags","res_format"]'}
    with django_assert_max_num_queries(14) as one:
        result(citizen, "package_search", rows=1, **params)
    with django_assert_max_num_queries(len(one.captured_queries)) as three:
        found = result(citizen, "package_search", rows=3, **params)
    assert len(found["results"]) == 3
    assert len(three.captured_queries) == len(one.captured_queries)


# ---------------------------------------------------------------------------------------------
# package_show


def test_package_show_in_ckan_shape(citizen, world):
    package = result(citizen, "package_show", id="kemiskinan-kediri")
    poverty = world.poverty
    assert package["id"] == str(poverty.uuid)
    assert package["name"] == "kemiskinan-kediri"
    assert package["title"] == "Angka kemiskinan Kota Kediri"
    assert package["notes"] == "Persentase penduduk miskin per kecamatan."
    assert package["url"] == "http://testserver/data/dataset/kemiskinan-kediri/"
    assert package["license_id"] == "cc-by-4.0"
    assert package["license_title"] == "Creative Commons Attribution 4.0"
    assert package["metadata_created"] == "2024-01-01T08:00:00"
    assert package["metadata_modified"] == "2025-03-01T08:00:00"
    assert package["maintainer"] == "Sri Wahyuni"
    assert package["maintainer_email"] == "data@bappeda.kedirikota.go.id"
    assert package["state"] == "active"
    assert package["type"] == "dataset"
    assert package["private"] is False
    assert package["organization"] == {
        "id": "bappeda",
        "name": "bappeda",
        "title": "Badan Perencanaan Pembangunan Daerah",
        "display_name": "Badan Perencanaan Pembangunan Daerah",
        "description": "Badan Perencanaan Pembangunan Daerah",
        "image_url": "",
        "type": "organization",
        "is_organization": True,
        "approval_status": "approved",
        "state": "active",
    }
    assert package["owner_org"] == "bappeda"
    assert [(g["id"], g["name"]) for g in package["groups"]] == [("economy", "economy")]
    assert package["groups"][0]["display_name"] == package["groups"][0]["title"]
    assert package["tags"] == [
        {
            "id": "kemiskinan",
            "name": "kemiskinan",
            "display_name": "kemiskinan",
            "vocabulary_id": None,
            "state": "active",
        },
        {
            "id": "sosial",
            "name": "sosial",
            "display_name": "sosial",
            "vocabulary_id": None,
            "state": "active",
        },
    ]
    assert package["num_tags"] == 2
    assert {extra["key"]: extra["value"] for extra in package["extras"]} == {
        "frequency": "annual",
        "period": "2022-2023",
        "spatial_coverage": "35.71",
        "spatial_coverage_name": "Kota Kediri",
        "granularity": "district",
        "unit": "%",
        "classification": "public",
        "iso_indicator": "ISO 37120:2018 8.4",
        "producer": "Badan Perencanaan Pembangunan Daerah",
        "topic": "Kesejahteraan",
    }


def test_package_resources_are_the_published_versions_newest_first(citizen, world):
    package = result(citizen, "package_show", id="kemiskinan-kediri")
    assert package["num_resources"] == 2
    assert [r["id"] for r in package["resources"]] == [str(world.v2.uuid), str(world.v1.uuid)]
    newest = package["resources"][0]
    assert newest["package_id"] == str(world.poverty.uuid)
    assert newest["format"] == "CSV"
    assert newest["mimetype"] == "text/csv"
    assert newest["description"] == "Ditambah kecamatan"
    assert newest["url"] == f"http://testserver/data/unduh/{world.v2.uuid}/"
    download = citizen.get(newest["url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == CSV_V2.encode()
    assert newest["datastore_active"] is True
    assert newest["position"] == 0
    assert package["resources"][1]["position"] == 1
    assert newest["last_modified"] == "2025-03-01T08:00:00"
    assert newest["size"] == len(CSV_V2.encode())
    assert newest["created"]


def test_package_show_by_uuid(citizen, world):
    by_id = result(citizen, "package_show", id=str(world.population.uuid))
    assert by_id["name"] == "penduduk-kecamatan"
    assert by_id["organization"]["name"] == "dispendukcapil"
    assert by_id["license_id"] == "cc-zero"


def test_package_show_of_hidden_or_unknown_datasets_is_not_found(citizen, client_for, world):
    for ident in (
        world.confidential.slug,
        str(world.confidential.uuid),
        world.limited.slug,
        str(world.limited.uuid),
        world.unpublished.slug,
        "tidak-ada",
        "00000000-0000-0000-0000-000000000000",
    ):
        assert error(citizen, "package_show", 404, id=ident) == NOT_FOUND
    # The API reads no credentials: the steward and the producer get the same answer.
    for user in (world.steward, world.officer):
        answer = post(client_for(user), "package_show", {"id": world.confidential.slug}, 404)
        assert answer["error"] == NOT_FOUND


def test_package_show_without_id_is_409(citizen, db):
    assert error(citizen, "package_show", 409) == {
        "__type": "Validation Error",
        "id": ["Missing value"],
    }
    answer = post(citizen, "package_show", {"id": ["a", "b"]}, 409)
    assert "id" in answer["error"]


def test_a_dataset_made_limited_disappears_from_the_api(citizen, world):
    assert result(citizen, "package_show", id=world.index.slug)
    Dataset.objects.filter(pk=world.index.pk).update(classification=Classification.LIMITED)
    assert error(citizen, "package_show", 404, id=world.index.slug) == NOT_FOUND
    assert world.index.slug not in result(citizen, "package_list")


# ---------------------------------------------------------------------------------------------
# Organizations, groups, tags


def test_organization_list_lists_opds_with_public_datasets(citizen, world):
    assert result(citizen, "organization_list") == ["bappeda", "dispendukcapil"]
    assert result(citizen, "organization_list", sort="package_count asc") == [
        "dispendukcapil",
        "bappeda",
    ]
    assert result(citizen, "organization_list", limit=1, offset=1) == ["dispendukcapil"]
    full = result(citizen, "organization_list", all_fields="true")
    assert [(o["name"], o["package_count"]) for o in full] == [
        ("bappeda", 2),
        ("dispendukcapil", 1),
    ]
    assert full[1]["title"] == "Dinas Kependudukan dan Pencatatan Sipil"
    assert full[1]["is_organization"] is True


def test_organization_list_bad_parameters_are_409(citizen, db):
    assert "all_fields" in error(citizen, "organization_list", 409, all_fields="maybe")
    assert "sort" in error(citizen, "organization_list", 409, sort="secret desc")
    assert "limit" in error(citizen, "organization_list", 409, limit="-3")


def test_organization_show_with_its_public_datasets(citizen, world):
    organization = result(citizen, "organization_show", id="bappeda")
    assert organization["name"] == "bappeda"
    assert organization["package_count"] == 2
    assert "packages" not in organization
    assert organization["users"] == []
    with_datasets = post(citizen, "organization_show", {"id": "bappeda", "include_datasets": True})
    packages = with_datasets["result"]["packages"]
    assert names(packages) == ["kemiskinan-kediri", "indeks-kota-cerdas"]
    assert packages[0] == result(citizen, "package_show", id="kemiskinan-kediri")


def test_organization_show_of_an_opd_without_public_data_is_not_found(citizen, world):
    # Dinsos has a limited dataset and an unpublished one; Dinkes a confidential one.
    for code in ("dinsos", "dinkes", "tidak-ada"):
        assert error(citizen, "organization_show", 404, id=code, include_datasets="true") == (
            NOT_FOUND
        )
    assert "id" in error(citizen, "organization_show", 409)


def test_group_list_lists_the_pillars_with_public_counts(citizen, world):
    assert result(citizen, "group_list", sort="name asc") == [
        "branding",
        "economy",
        "environment",
        "governance",
        "living",
        "society",
    ]
    groups = {g["name"]: g for g in result(citizen, "group_list", all_fields=True)}
    assert groups["society"]["package_count"] == 1
    assert groups["living"]["package_count"] == 0
    assert groups["economy"]["type"] == "group"
    assert groups["economy"]["is_organization"] is False


def test_group_show_with_its_public_datasets(citizen, world):
    society = result(citizen, "group_show", id="society", include_datasets="true")
    assert society["package_count"] == 1
    assert names(society["packages"]) == ["penduduk-kecamatan"]
    assert error(citizen, "group_show", 404, id="nope") == NOT_FOUND


def test_tag_list_lists_only_tags_of_public_datasets(citizen, world):
    assert result(citizen, "tag_list") == ["indeks", "kemiskinan", "kependudukan", "sosial"]
    assert result(citizen, "tag_list", query="KEP") == ["kependudukan"]
    assert result(citizen, "tag_list", query="rahasia") == []
    assert result(citizen, "tag_list", query="terbit") == []
    full = result(citizen, "tag_list", all_fields="true")
    assert [tag["name"] for tag in full] == ["indeks", "kemiskinan", "kependudukan", "sosial"]
    assert full[0]["display_name"] == "indeks"


# ---------------------------------------------------------------------------------------------
# resource_show


def test_resource_show_of_a_published_version(citizen, world):
    resource = result(citizen, "resource_show", id=str(world.v1.uuid))
    assert resource["id"] == str(world.v1.uuid)
    assert resource["package_id"] == str(world.poverty.uuid)
    assert resource["position"] == 1
    assert resource["format"] == "CSV"
    package = result(citizen, "package_show", id="kemiskinan-kediri")
    assert resource == package["resources"][1]


def test_resource_show_of_unpublished_or_hidden_versions_is_not_found(citizen, world):
    for version in world.hidden_versions:
        assert error(citizen, "resource_show", 404, id=str(version.uuid)) == NOT_FOUND
    assert error(citizen, "resource_show", 404, id="bukan-uuid") == NOT_FOUND
    assert error(citizen, "resource_show", 409)["id"] == ["Missing value"]


# ---------------------------------------------------------------------------------------------
# datastore_search


def search(client: Client, **params: Any) -> dict[str, Any]:
    return result(client, "datastore_search", **params)


def test_datastore_search_answers_the_rows(citizen, world):
    found = search(citizen, resource_id=str(world.v2.uuid))
    assert found["resource_id"] == str(world.v2.uuid)
    assert found["total"] == 5
    assert found["limit"] == 100
    assert found["offset"] == 0
    assert found["records_format"] == "objects"
    ids = [field["id"] for field in found["fields"]]
    assert ids == ["_id", "kode_wilayah", "tahun", "penduduk_miskin_persen", "keterangan"]
    assert len(found["records"]) == 5
    assert {r["keterangan"] for r in found["records"]} == {"kota", "Mojoroto", "Kota", "Pesantren"}
    assert all("_id" in record for record in found["records"])
    assert found["_links"]["start"].startswith(f"{API}datastore_search?")
    assert f"resource_id={world.v2.uuid}" in found["_links"]["start"]
    assert "offset=100" in found["_links"]["next"]


def test_datastore_search_filters_q_sort_and_fields(citizen, world):
    rid = str(world.v2.uuid)
    filtered = search(citizen, resource_id=rid, filters=json.dumps({"tahun": 2023}))
    assert filtered["total"] == 4
    assert {r["tahun"] for r in filtered["records"]} == {2023}
    texted = search(citizen, resource_id=rid, q="Mojoroto")
    assert [r["kode_wilayah"] for r in texted["records"]] == ["35.71.01"]
    ordered = search(citizen, resource_id=rid, sort="penduduk_miskin_persen desc")
    assert [r["kode_wilayah"] for r in ordered["records"]][:2] == ["35.71.01", "35.71"]
    narrow = search(citizen, resource_id=rid, fields="kode_wilayah,tahun", sort="tahun asc")
    assert [f["id"] for f in narrow["fields"]] == ["kode_wilayah", "tahun"]
    assert set(narrow["records"][0]) == {"kode_wilayah", "tahun"}
    assert narrow["records"][0]["tahun"] == 2022


def test_datastore_search_pages_with_limit_and_offset(citizen, world):
    rid = str(world.v2.uuid)
    page = search(citizen, resource_id=rid, limit=2, offset=1, sort="kode_wilayah asc, tahun asc")
    assert page["total"] == 5
    assert page["limit"] == 2
    assert page["offset"] == 1
    assert [(r["kode_wilayah"], r["tahun"]) for r in page["records"]] == [
        ("35.71", 2023),
        ("35.71.01", 2023),
    ]
    following = citizen.get(page["_links"]["next"], HTTP_ACCEPT_LANGUAGE="en").json()["result"]
    assert [(r["kode_wilayah"], r["tahun"]) for r in following["records"]] == [
        ("35.71.02", 2023),
        ("35.71.03", 2023),
    ]
    assert following["offset"] == 3
    clamped = search(citizen, resource_id=rid, limit=999999)
    assert clamped["limit"] == 32000
    assert len(clamped["records"]) == 5


def test_datastore_search_by_post_json_with_typed_values(citizen, world):
    answer = post(
        citizen,
        "datastore_search",
        {
            "resource_id": str(world.v2.uuid),
            "filters": {"kode_wilayah": "35.71"},
            "fields": ["tahun", "penduduk_miskin_persen"],
            "sort": "tahun desc",
            "limit": 1,
            "include_total": False,
        },
    )
    found = answer["result"]
    assert "total" not in found
    assert len(found["records"]) == 1
    assert found["records"][0]["tahun"] == 2023
    assert float(found["records"][0]["penduduk_miskin_persen"]) == pytest.approx(7.23)


def test_datastore_search_reads_the_version_asked_for(citizen, world):
    assert search(citizen, resource_id=str(world.v1.uuid))["total"] == 2


def test_datastore_search_unknown_column_is_409_naming_it(citizen, world):
    for params in (
        {"filters": json.dumps({"rahasia": "x"})},
        {"sort": "rahasia desc"},
        {"fields": "kode_wilayah,rahasia"},
    ):
        failure = error(citizen, "datastore_search", 409, resource_id=str(world.v2.uuid), **params)
        assert failure["__type"] == "Validation Error"
        assert list(failure) == ["__type", "rahasia"], params
        assert "rahasia" in failure["rahasia"][0]
    # A value the column cannot hold is refused the same way.
    failure = error(
        citizen, "datastore_search", 409, resource_id=str(world.v2.uuid), filters='{"tahun": "x"}'
    )
    assert list(failure) == ["__type", "tahun"]


def test_datastore_search_bad_parameter_is_409_naming_it(citizen, world):
    for field, value in (
        ("limit", "banyak"),
        ("offset", "-5"),
        ("filters", "[1, 2]"),
        ("filters", "{bukan json"),
        ("fields", '["tahun", 3]'),
        ("include_total", "mungkin"),
        ("records_format", "csv"),
    ):
        failure = error(
            citizen, "datastore_search", 409, resource_id=str(world.v2.uuid), **{field: value}
        )
        assert failure["__type"] == "Validation Error"
        assert list(failure) == ["__type", field], (field, value)
    answer = post(
        citizen, "datastore_search", {"resource_id": str(world.v2.uuid), "q": {"a": "b"}}, 409
    )
    assert "q" in answer["error"]


def test_datastore_search_of_hidden_versions_is_not_found(citizen, world):
    for version in world.hidden_versions:
        failure = error(citizen, "datastore_search", 404, resource_id=str(version.uuid))
        assert failure["__type"] == "Not Found Error"
        assert failure["message"] == f'Resource "{version.uuid}" was not found.'
    assert error(citizen, "datastore_search", 404, resource_id="x")["__type"] == "Not Found Error"
    assert error(citizen, "datastore_search", 409)["resource_id"] == ["Missing value"]


def test_datastore_search_makes_one_store_search(citizen, world, monkeypatch):
    calls = []
    real = tabular.search

    def counted(*args, **kwargs):
        calls.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(tabular, "search", counted)
    search(citizen, resource_id=str(world.v2.uuid), filters='{"tahun": 2022}', limit=3)
    assert len(calls) == 1
    assert calls[0]["filters"] == {"tahun": 2022}
    assert calls[0]["limit"] == 3


# ---------------------------------------------------------------------------------------------
# Nothing hidden ever leaks


def every_answer(client: Client, world: World) -> list[dict[str, Any]]:
    """What the API answers to everything a harvester would ask."""
    facets = json.dumps(["organization", "groups", "tags", "res_format", "license_id"])
    answers = [
        get(client, "package_list"),
        get(client, "package_search", rows=1000, **{"facet.field": facets, "facet.limit": -1}),
        get(client, "package_search", q="sosial", **{"facet.field": facets}),
        get(client, "package_search", fq="groups:society", **{"facet.field": facets}),
        get(client, "organization_list", all_fields="true"),
        get(client, "group_list", all_fields="true"),
        get(client, "tag_list", all_fields="true"),
        get(client, "status_show"),
    ]
    for name in world.public_names:
        package = get(client, "package_show", id=name)
        answers.append(package)
        for resource in package["result"]["resources"]:
            answers.append(get(client, "resource_show", id=resource["id"]))
            answers.append(get(client, "datastore_search", resource_id=resource["id"]))
    for organization in answers[4]["result"]:
        answers.append(
            get(client, "organization_show", id=organization["name"], include_datasets="true")
        )
    for group in answers[5]["result"]:
        answers.append(get(client, "group_show", id=group["name"], include_datasets="true"))
    return answers


def test_no_answer_mentions_hidden_datasets_versions_tags_or_their_opds(citizen, world):
    text = json.dumps(every_answer(citizen, world))
    assert "kemiskinan-kediri" in text  # the sweep does read the catalogue
    for secret in world.secrets:
        assert secret not in text, secret


def test_the_steward_gets_only_public_answers_too(client_for, world):
    text = json.dumps(every_answer(client_for(world.steward), world))
    for secret in world.secrets:
        assert secret not in text, secret


def test_hidden_versions_exist_and_are_what_the_sweep_looks_for(world):
    # Guards the leak tests: the hidden records are really there, in the states they claim.
    statuses = {v.status for v in world.hidden_versions}
    assert statuses == {
        VersionStatus.RETURNED,
        VersionStatus.SUBMITTED,
        VersionStatus.DRAFT,
        VersionStatus.PUBLISHED,
    }
    assert world.confidential_version.store_path.exists()
    assert world.limited_version.store_path.exists()
    assert world.submitted.store_path.exists()


def test_the_unversioned_path_ckanapi_uses_answers_the_same(citizen, kediri):
    # ckanapi's RemoteCKAN calls /api/action/<name>, without the API version.
    versioned = citizen.get(API + "status_show").json()
    unversioned = citizen.get("/api/action/status_show").json()
    assert unversioned["success"] is True
    assert unversioned["result"] == versioned["result"]
