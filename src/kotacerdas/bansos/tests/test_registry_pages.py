"""The registry's staff pages: who may enter, finding a person by NIK or by a name's variant,
identity numbers masked until revealed (and each reveal recorded), uploads with their report,
and the linkage with its review queue."""

from __future__ import annotations

import csv
import datetime as dt
import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from kotacerdas.bansos import linking
from kotacerdas.bansos.choices import LinkMethod, ReviewDecision, Sex
from kotacerdas.bansos.models import DtksRecord, ImportRun, LinkReview, LinkRun, Person
from kotacerdas.bansos.registry import mask_number, nik_index
from kotacerdas.bansos.tables import CIVIL_REGISTRY_COLUMNS
from kotacerdas.bansos.tests.fixtures import BANDAR_KIDUL, make_nik
from kotacerdas.core.models import PersonalDataAccess

pytestmark = pytest.mark.django_db
BASE = "/staf/bansos"


@pytest.mark.parametrize(
    "path", ["/", "/warga/", "/impor/", "/pencocokan/", "/kasus/", "/penyaluran/"]
)
def test_only_social_affairs_works_in_the_registry(
    path, client_for, dinkes_officer, citizen, dinsos_officer
):
    # An officer of another OPD is refused; an anonymous visitor is sent to sign in.
    assert client_for(dinkes_officer).get(BASE + path).status_code == 403
    assert citizen.get(BASE + path).status_code == 302
    assert client_for(dinsos_officer).get(BASE + path).status_code == 200


def test_executives_see_the_figures_but_no_person(client_for, executive, bansos_people):
    client = client_for(executive)
    overview = client.get(BASE + "/")
    assert overview.status_code == 200
    assert "Kartu Sahabat" in overview.content.decode()
    assert client.get(f"{BASE}/warga/{bansos_people.budi.pk}/").status_code == 403


def test_a_person_is_found_by_nik_or_by_a_spelling_of_the_name(
    client_for, dinsos_officer, bansos_people
):
    client = client_for(dinsos_officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    # A NIK is posted, never put in a URL (where server logs would keep it).
    by_nik = client.post(f"{BASE}/warga/", {"q": bansos_people.budi.nik}).content.decode()
    assert "BUDI SANTOSO" in by_nik and "SITI AMINAH" not in by_nik
    # The NIK itself is shown masked, even to the officer who typed it.
    assert bansos_people.budi.nik not in by_nik
    assert mask_number(bansos_people.budi.nik) in by_nik
    assert (
        "BUDI" not in client.get(f"{BASE}/warga/", {"q": bansos_people.budi.nik}).content.decode()
    )

    posted = client.post(f"{BASE}/warga/", {"q": "Moch. Rizky", "kelurahan": BANDAR_KIDUL})
    assert posted.status_code == 302
    variants = client.get(posted.url).content.decode()
    assert variants.count("RIZKY</a>") == 3  # Muhammad, Moch and Muhamad Rizky

    bad = client.post(f"{BASE}/warga/", {"q": "3571011203870000"}).content.decode()
    assert "serial number" in bad and "BUDI" not in bad


def test_identity_is_masked_until_revealed_and_every_view_is_recorded(
    client_for, dinsos_officer, bansos_people
):
    budi = bansos_people.budi
    client = client_for(dinsos_officer)
    page = client.get(f"{BASE}/warga/{budi.pk}/").content.decode()
    assert budi.nik not in page and budi.household.kk not in page
    assert "Mayor Bismo" not in page
    # Even the masked record is a view of a person's data.
    viewed = PersonalDataAccess.objects.get()
    assert (viewed.user, viewed.subject_id, viewed.action) == (dinsos_officer, str(budi.pk), "view")
    assert "nik" not in viewed.fields.split(",") and "name" in viewed.fields.split(",")

    revealed = client.post(f"{BASE}/warga/{budi.pk}/").content.decode()

    assert budi.nik in revealed and budi.household.kk in revealed and "Mayor Bismo" in revealed
    access = PersonalDataAccess.objects.latest("pk")
    assert (access.user, access.subject_id, access.action) == (dinsos_officer, str(budi.pk), "view")
    assert {"nik", "kk", "address"} <= set(access.fields.split(","))
    assert PersonalDataAccess.objects.count() == 2


DOB_TEXT = "The NIK&#x27;s date digits disagree with the recorded date of birth."
SEX_TEXT = "The NIK&#x27;s day (women + 40) disagrees with the recorded sex."


@pytest.mark.parametrize(
    ("warnings", "shown"),
    [
        ("", []),
        ("nik_dob_mismatch", [DOB_TEXT]),
        ("nik_sex_mismatch", [SEX_TEXT]),
        ("nik_dob_mismatch;nik_sex_mismatch", [DOB_TEXT, SEX_TEXT]),
        # A code this release does not know is shown as it is, never as another's text.
        ("nik_dob_mismatch;legacy_code", [DOB_TEXT, "legacy_code"]),
    ],
)
def test_the_person_page_shows_programmes_and_each_nik_warning_in_words(
    client_for, dinsos_officer, bansos_people, warnings, shown
):
    budi = bansos_people.budi
    budi.nik_warnings = warnings
    budi.save(update_fields=["nik_warnings"])
    client = client_for(dinsos_officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(f"{BASE}/warga/{budi.pk}/").content.decode()
    assert "Program Keluarga Harapan" in page
    notices = re.findall(r'<p class="notice nik-warning">([^<]*)</p>', page)
    assert [next(text for text in shown if notice.startswith(text)) for notice in notices] == shown
    for text in {DOB_TEXT, SEX_TEXT} - set(shown):
        assert text not in page


def test_the_nik_warnings_read_the_same_in_the_import_report_and_on_the_person(
    client_for, dinsos_officer, kediri
):
    # A woman's NIK (day + 40) on a row recorded as a man born on another day.
    nik = make_nik(dt.date(1985, 6, 9), Sex.FEMALE)
    row = {
        "nik": nik,
        "no_kk": "3571010101150099",
        "nama": "SRI WAHYUNI",
        "tanggal_lahir": "1985-06-10",
        "jenis_kelamin": "L",
        "kode_kelurahan": BANDAR_KIDUL,
        "status_hidup": "HIDUP",
    }
    client = client_for(dinsos_officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    upload = _upload([row], CIVIL)
    report = client.post(f"{BASE}/impor/", {"kind": "dukcapil", "file": upload}, follow=True)
    person = Person.objects.get()
    assert person.nik_warnings == "nik_dob_mismatch;nik_sex_mismatch"
    page = client.get(f"{BASE}/warga/{person.pk}/").content.decode()
    for text in (DOB_TEXT, SEX_TEXT):
        assert text in report.content.decode()
        assert text in page


def _upload(rows: list[dict[str, str]], columns: list[str]) -> SimpleUploadedFile:
    lines = [",".join(columns)] + [",".join(row.get(c, "") for c in columns) for row in rows]
    return SimpleUploadedFile("dukcapil.csv", ("\n".join(lines) + "\n").encode(), "text/csv")


CIVIL = list(CIVIL_REGISTRY_COLUMNS)


def test_an_upload_is_imported_and_its_report_lists_every_bad_row(
    client_for, dinsos_officer, kediri
):
    good = {
        "nik": make_nik(dt.date(1970, 5, 6), Sex.FEMALE),
        "no_kk": "3571010101150007",
        "nama": "SRI WAHYUNI",
        "tanggal_lahir": "1970-05-06",
        "jenis_kelamin": "P",
        "kode_kelurahan": "35.71.01.1001",
        "status_hidup": "HIDUP",
    }
    bad = {**good, "nik": "123", "nama": "X"}
    client = client_for(dinsos_officer)

    response = client.post(
        f"{BASE}/impor/", {"kind": "dukcapil", "file": _upload([good, bad], CIVIL)}
    )

    run = ImportRun.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"/impor/{run.pk}/")
    assert (run.created, run.rejected, run.started_by) == (1, 1, dinsos_officer)
    report = client.get(response.url).content.decode()
    assert "16" in report and "nik" in report
    problems = client.get(response.url, {"format": "csv"}).content.decode()
    assert list(csv.reader(problems.splitlines()))[1][:3] == ["3", "nik", "error"]


def test_a_file_missing_columns_is_refused_with_the_columns_named(
    client_for, dinsos_officer, kediri
):
    upload = _upload([{"nik": "1"}], ["nik", "nama"])
    response = client_for(dinsos_officer).post(
        f"{BASE}/impor/", {"kind": "dukcapil", "file": upload}
    )
    assert response.status_code == 400
    assert "no_kk" in response.content.decode()
    assert ImportRun.objects.count() == 0 and Person.objects.count() == 0


def _dtks(id_dtks: str, person: Person, **values) -> DtksRecord:
    fields = {
        "nik": person.nik,
        "nik_index": nik_index(person.nik),
        "kk": "",
        "name": person.name,
        "birth_date": person.birth_date,
        "sex": person.sex,
        "kelurahan_code": person.kelurahan_id or "",
        "programme_code": "PKH",
        "welfare_decile": 1,
        "source_hash": id_dtks,
    }
    fields.update(values)
    return DtksRecord.objects.create(id_dtks=id_dtks, **fields)


def test_the_linkage_links_dtks_to_people_and_records_the_figures(
    client_for, dinsos_officer, bansos_people
):
    _dtks("DT1", bansos_people.siti, welfare_decile=2)
    # A row without a NIK, with the old spelling of the name.
    _dtks("DT2", bansos_people.soetrisno, nik="", nik_index="", name="SUTRISNO")
    # A NIK nobody has.
    _dtks(
        "DT3",
        bansos_people.budi,
        nik=bansos_people.unknown_nik,
        name="SEORANG LAIN",
        birth_date=dt.date(1990, 3, 14),
        sex=Sex.FEMALE,
    )

    response = client_for(dinsos_officer).post(f"{BASE}/pencocokan/")

    assert response.status_code == 302
    siti = DtksRecord.objects.get(id_dtks="DT1")
    assert (siti.person, siti.link_method) == (bansos_people.siti, LinkMethod.NIK_EXACT)
    bansos_people.siti.refresh_from_db()
    # What DTKS says goes to the person: the decile and the national programme.
    assert bansos_people.siti.welfare_decile == 2
    assert bansos_people.siti.enrolments.filter(programme__code="PKH", end__isnull=True).exists()
    unknown = DtksRecord.objects.get(id_dtks="DT3")
    assert unknown.person is None and "nik_not_found" in unknown.flag_list
    run = LinkRun.objects.get()
    assert run.summary["rows"] == 3 and run.started_by == dinsos_officer
    assert run.summary["methods"]["nik_exact"] == 1


def test_a_review_decision_links_the_pair_and_is_kept(client_for, dinsos_officer, bansos_people):
    record = _dtks("DT9", bansos_people.rizky_other, nik="", nik_index="")
    pair = LinkReview.objects.create(
        record=record, candidate=bansos_people.rizky_other, probability=0.6
    )
    other = LinkReview.objects.create(record=record, candidate=bansos_people.rizky, probability=0.4)

    client_for(dinsos_officer).post(
        f"{BASE}/pencocokan/tinjau/{pair.pk}/", {"decision": "accepted"}
    )

    record.refresh_from_db()
    assert (record.person, record.link_method) == (bansos_people.rizky_other, LinkMethod.CLERICAL)
    other.refresh_from_db()
    assert other.decision == ReviewDecision.REJECTED
    # The next run reuses both answers.
    assert linking._decisions() == {
        ("DT9", bansos_people.rizky_other.nik): True,
        ("DT9", bansos_people.rizky.nik): False,
    }


def test_an_upload_over_the_limit_is_sent_to_the_command_line(
    client_for, dinsos_officer, kediri, settings
):
    settings.BANSOS = {**settings.BANSOS, "MAX_UPLOAD_BYTES": 100}
    client = client_for(dinsos_officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    upload = _upload([{"nik": "1" * 16, "nama": "x" * 200}], CIVIL)
    response = client.post(f"{BASE}/impor/", {"kind": "dukcapil", "file": upload})
    assert response.status_code == 400
    assert "command line" in response.content.decode()
    assert ImportRun.objects.count() == 0


def test_a_nik_in_a_url_is_not_searched(client_for, dinsos_officer, bansos_people):
    # A NIK only arrives by the posted form; one in a URL came from a log or a shared link.
    page = client_for(dinsos_officer).get(f"{BASE}/warga/", {"q": bansos_people.budi.nik})
    assert page.status_code == 200
    assert "BUDI SANTOSO" not in page.content.decode()
