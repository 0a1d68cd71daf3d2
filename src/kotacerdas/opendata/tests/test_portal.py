"""The public portal at /data/: search with facets, a dataset's page with its preview, exports
and chart, downloads of published files, and the indicators with their map. Only public
datasets with a published version ever show, and only their published versions."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from types import SimpleNamespace

import openpyxl
import pytest
from conftest import assert_fits_phone, needs_chromium
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kotacerdas.core import geo
from kotacerdas.core.models import Pillar, Region
from kotacerdas.opendata import indicators, portal_views, publishing
from kotacerdas.opendata.choices import Classification
from kotacerdas.opendata.models import Dataset, Indicator, Version
from kotacerdas.opendata.tests.fixtures import GOOD_CSV, csv_file

SEARCH = "/data/"
# A cell a spreadsheet would run: the upload check refuses "=" first, but a tab passes it.
FORMULA = '\t=HYPERLINK("http://evil.example","klik")'
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# The newest version of the poverty dataset: a formula-like cell, rows of kelurahan too.
POVERTY_V2 = (
    "kode_wilayah,tahun,penduduk_miskin_persen,keterangan\n"
    "35.71,2021,8.00,kota\n"
    "35.71,2022,7.81,kota\n"
    "35.71,2023,7.23,kota\n"
    "35.71.01,2023,8.10,Mojoroto\n"
    "35.71.02,2023,6.90,Kota\n"
    "35.71.01.1001,2022,10.00,Bandar Lor\n"
    "35.71.01.1001,2023,9.50,Bandar Lor\n"
    "35.71.01.1002,2023,4.10,Bandar Kidul\n"
    "35.71.02.1001,2023,12.25,Semampir\n"
    f'35.71.03.1001,2023,6.00,"{FORMULA.replace(chr(34), chr(34) * 2)}"\n'
)
AID_SCHEMA = {
    "fields": [
        {"name": "kode_wilayah", "type": "string", "region": True},
        {"name": "tahun", "type": "integer"},
        {"name": "keluarga", "type": "integer"},
    ]
}
AID_JSON = json.dumps(
    [
        {"kode_wilayah": "35.71.01", "tahun": 2023, "keluarga": 1200},
        {"kode_wilayah": "35.71.02", "tahun": 2023, "keluarga": 800},
        {"kode_wilayah": "35.71.03", "tahun": 2023, "keluarga": 950},
    ]
)


@pytest.fixture
def visitor() -> Client:
    """An anonymous visitor who chose English with the language switch."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _release(actor, dataset: Dataset, upload, note="", until="published", steward=None):
    """Upload as ``actor``, then submit and have the steward publish (as far as ``until``),
    through the real workflow."""
    version = publishing.upload_version(actor, dataset, upload, note)
    assert version.valid, version.problems
    if until in ("submitted", "published"):
        publishing.submit_version(actor, version)
    if until == "published":
        publishing.publish_version(steward or actor, version)
    return version


@pytest.fixture
def catalogue(make_dataset, administrator, bappeda_officer, dinsos, kediri):
    """Two public datasets (CSV and JSON, two producers, two pillars) and four that must never
    show: a limited and a confidential one (both published), a public one with only a draft
    and a public one with only a submitted version."""
    aid = publishing.save_dataset(
        administrator,
        Dataset(
            slug="penerima-bansos",
            title="Keluarga penerima bantuan sosial per kecamatan",
            description="Jumlah keluarga penerima bantuan sosial menurut kecamatan.",
            producer=dinsos,
            pillar=Pillar.objects.get(code="society"),
            coverage=kediri,
            granularity="district",
            table_schema=AID_SCHEMA,
        ),
        tags=["bansos", "sosial"],
    )
    aid_v1 = _release(
        administrator,
        aid,
        SimpleUploadedFile("bansos.json", AID_JSON.encode(), "application/json"),
        "Data 2023",
    )
    poverty = make_dataset(
        tags=("kemiskinan", "sosial"),
        period_start=2021,
        period_end=2023,
        contact_name="Bidang Ekonomi Bappeda",
        contact_email="data@bappeda.example.go.id",
        iso_indicator="ISO 37120:2018 5.4",
        topic="Kesejahteraan",
    )
    officer = {"actor": bappeda_officer, "steward": administrator}
    v1 = _release(
        dataset=poverty, upload=csv_file(GOOD_CSV, "awal.csv"), note="Data awal", **officer
    )
    v2 = _release(
        dataset=poverty, upload=csv_file(POVERTY_V2, "baru.csv"), note="Tambah kelurahan", **officer
    )
    # A third upload of the public dataset that is only a draft: never shown.
    v3 = _release(bappeda_officer, poverty, csv_file(GOOD_CSV), "belum", until="draft")

    hidden = {}
    for slug, classification in (
        ("rekap-kemiskinan-terbatas", Classification.LIMITED),
        ("data-kemiskinan-rahasia", Classification.CONFIDENTIAL),
    ):
        dataset = make_dataset(
            slug=slug,
            title=f"Kemiskinan {classification}",
            classification=classification,
            tags=("kemiskinan", f"rahasia-{classification}"),
        )
        hidden[slug] = _release(dataset=dataset, upload=csv_file(GOOD_CSV), **officer)
    for slug, until in (("kemiskinan-draf", "draft"), ("kemiskinan-diajukan", "submitted")):
        dataset = make_dataset(slug=slug, title=f"Kemiskinan {until}", tags=("belum-terbit",))
        hidden[slug] = _release(bappeda_officer, dataset, csv_file(GOOD_CSV), until=until)
    return SimpleNamespace(
        poverty=poverty, aid=aid, v1=v1, v2=v2, v3=v3, aid_v1=aid_v1, hidden=hidden
    )


def _slugs(response) -> list[str]:
    return [d.slug for d in response.context["page"].object_list]


def _facet(response, name: str) -> dict[str, int]:
    facet = next(f for f in response.context["facets"] if f["name"] == name)
    return {item["value"]: item["count"] for item in facet["items"]}


# ---------------------------------------------------------------------------------------------
# Search


def test_search_lists_only_public_published_datasets_with_facet_counts(visitor, catalogue):
    response = visitor.get(SEARCH)
    assert response.status_code == 200
    assert _slugs(response) == ["kemiskinan-kediri", "penerima-bansos"]  # newest first
    html = response.content.decode()
    for slug in catalogue.hidden:
        assert slug not in html
    assert "rahasia" not in html and "belum-terbit" not in html
    assert _facet(response, "opd") == {"bappeda": 1, "dinsos": 1}
    assert _facet(response, "pillar") == {"economy": 1, "society": 1}
    assert _facet(response, "tag") == {"sosial": 2, "bansos": 1, "kemiskinan": 1}
    assert _facet(response, "format") == {"csv": 1, "json": 1}
    # Each result: its producer, pillar, last update and format.
    article = html[html.index('id="dataset-penerima-bansos"') :]
    article = article[: article.index("</article>")]
    assert "Dinas Sosial" in article and "JSON" in article
    assert Pillar.objects.get(code="society").name in article
    assert timezone.localdate().strftime("%Y") in article
    assert 'name="tag" value="sosial"' in html and 'data-count="2"' in html


def test_search_by_words_over_title_description_and_tags(visitor, catalogue):
    assert _slugs(visitor.get(SEARCH, {"q": "bantuan"})) == ["penerima-bansos"]  # title
    assert _slugs(visitor.get(SEARCH, {"q": "menurut"})) == ["penerima-bansos"]  # description
    assert _slugs(visitor.get(SEARCH, {"q": "kemiskinan"})) == ["kemiskinan-kediri"]  # tag
    assert _slugs(visitor.get(SEARCH, {"q": "miskin kecamatan"})) == ["kemiskinan-kediri"]
    assert _slugs(visitor.get(SEARCH, {"q": "tidakada"})) == []
    # "sosial": in the aid dataset's title and tag, only in the poverty dataset's tags.
    response = visitor.get(SEARCH, {"q": "sosial"})
    assert _slugs(response) == ["penerima-bansos", "kemiskinan-kediri"]
    assert _facet(response, "tag") == {"sosial": 2, "bansos": 1, "kemiskinan": 1}
    # The facets count within the words' matches.
    assert _facet(visitor.get(SEARCH, {"q": "bantuan"}), "opd") == {"dinsos": 1}


def test_each_facet_narrows_and_they_combine(visitor, catalogue):
    assert _slugs(visitor.get(SEARCH, {"opd": "bappeda"})) == ["kemiskinan-kediri"]
    assert _slugs(visitor.get(SEARCH, {"pillar": "society"})) == ["penerima-bansos"]
    assert _slugs(visitor.get(SEARCH, {"tag": "kemiskinan"})) == ["kemiskinan-kediri"]
    assert _slugs(visitor.get(SEARCH, {"format": "json"})) == ["penerima-bansos"]
    assert _slugs(visitor.get(SEARCH, {"opd": "bappeda", "format": "json"})) == []
    assert _slugs(visitor.get(SEARCH, {"tag": "sosial", "pillar": "economy"})) == [
        "kemiskinan-kediri"
    ]
    both = visitor.get(SEARCH, {"opd": ["bappeda", "dinsos"]})
    assert len(_slugs(both)) == 2
    # A facet's own counts ignore its own choice; the others count within it.
    chosen = visitor.get(SEARCH, {"opd": "bappeda"})
    assert _facet(chosen, "opd") == {"bappeda": 1, "dinsos": 1}
    assert _facet(chosen, "tag") == {"kemiskinan": 1, "sosial": 1}
    assert _facet(chosen, "format") == {"csv": 1}
    html = chosen.content.decode()
    assert 'name="opd" value="bappeda" checked' in html
    # The chip removing the choice leads back to the whole catalogue.
    assert [chip["url"] for chip in chosen.context["active"]] == [""]
    # A hidden dataset's tag or producer finds nothing.
    assert _slugs(visitor.get(SEARCH, {"tag": "rahasia-limited"})) == []
    assert _facet(visitor.get(SEARCH, {"tag": "rahasia-limited"}), "tag")["rahasia-limited"] == 0


def test_search_sorts_and_pages(visitor, catalogue, monkeypatch):
    assert _slugs(visitor.get(SEARCH, {"sort": "title"})) == [
        "penerima-bansos",  # "Keluarga ..." before "Persentase ..."
        "kemiskinan-kediri",
    ]
    assert _slugs(visitor.get(SEARCH, {"sort": "newest"})) == [
        "kemiskinan-kediri",
        "penerima-bansos",
    ]
    monkeypatch.setattr(portal_views, "PAGE_SIZE", 1)
    first = visitor.get(SEARCH, {"sort": "title"})
    assert _slugs(first) == ["penerima-bansos"]
    assert first.context["next_url"] == "?sort=title&page=2"
    second = visitor.get(SEARCH, {"sort": "title", "page": 2})
    assert _slugs(second) == ["kemiskinan-kediri"]
    assert second.context["next_url"] == "" and second.context["previous_url"]


def test_a_dataset_not_refreshed_on_schedule_is_marked_stale(visitor, catalogue):
    Dataset.objects.filter(pk=catalogue.aid.pk).update(frequency="monthly")
    Version.objects.filter(dataset=catalogue.aid).update(
        published_at=timezone.now() - dt.timedelta(days=90)
    )
    html = visitor.get(SEARCH).content.decode()
    aid = html[html.index('id="dataset-penerima-bansos"') :]
    poverty = html[html.index('id="dataset-kemiskinan-kediri"') :]
    assert "not updated on schedule" in aid[: aid.index("</article>")]
    assert "not updated on schedule" not in poverty[: poverty.index("</article>")]
    assert 'id="stale"' in visitor.get(_page(catalogue.aid)).content.decode()
    assert 'id="stale"' not in visitor.get(_page(catalogue.poverty)).content.decode()


# ---------------------------------------------------------------------------------------------
# What the public never sees


def _page(dataset: Dataset) -> str:
    return reverse("opendata-portal:dataset", args=[dataset.slug])


def _export(dataset: Dataset, fmt: str) -> str:
    return reverse("opendata-portal:export", args=[dataset.slug, fmt])


def _download(version: Version) -> str:
    return reverse("opendata-portal:download", args=[version.uuid])


def test_limited_confidential_and_unpublished_datasets_are_nowhere(visitor, catalogue):
    everything = visitor.get(SEARCH, {"q": "kemiskinan"})
    assert _slugs(everything) == ["kemiskinan-kediri"]
    assert _facet(everything, "tag") == {"kemiskinan": 1, "sosial": 1}
    assert _facet(everything, "opd") == {"bappeda": 1}
    for slug, version in catalogue.hidden.items():
        dataset = version.dataset
        assert visitor.get(_page(dataset)).status_code == 404, slug
        assert visitor.get(_download(version)).status_code == 404, slug
        for fmt in ("csv", "xlsx", "json"):
            assert visitor.get(_export(dataset, fmt)).status_code == 404, slug
    # The public dataset's draft version is neither listed nor downloadable.
    page = visitor.get(_page(catalogue.poverty))
    assert [v.number for v in page.context["versions"]] == [2, 1]
    assert str(catalogue.v3.uuid) not in page.content.decode()
    assert visitor.get(_download(catalogue.v3)).status_code == 404
    # Still there for the public once published: the check is the rule, not the dataset.
    Dataset.objects.filter(slug="rekap-kemiskinan-terbatas").update(classification="public")
    assert (
        visitor.get(_page(catalogue.hidden["rekap-kemiskinan-terbatas"].dataset)).status_code == 200
    )


def test_unknown_addresses_are_404(visitor, catalogue):
    assert visitor.get("/data/dataset/tidak-ada/").status_code == 404
    assert visitor.get("/data/unduh/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert visitor.get(_export(catalogue.poverty, "pdf")).status_code == 404
    assert visitor.get("/data/indikator/tidak-ada/").status_code == 404


# ---------------------------------------------------------------------------------------------
# A dataset's page


def test_the_dataset_page_describes_the_dataset_and_its_published_versions(visitor, catalogue):
    response = visitor.get(_page(catalogue.poverty))
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "Persentase penduduk miskin Kota Kediri",
        "Badan Perencanaan Pembangunan Daerah",
        "Kesejahteraan",
        "Creative Commons Attribution 4.0",
        "Bidang Ekonomi Bappeda",
        "data@bappeda.example.go.id",
        "ISO 37120:2018 5.4",
        "2021\u20132023",
        "Tambah kelurahan",
        "Data awal",
    ):
        assert text in html, text
    assert Region.objects.get(code="35.71").name in html
    assert "?tag=kemiskinan" in html
    for version in (catalogue.v1, catalogue.v2):
        assert _download(version) in html
    assert response.context["latest"] == catalogue.v2


def test_the_preview_shows_the_newest_rows_and_filters_sorts_and_pages(
    visitor, catalogue, monkeypatch
):
    page = _page(catalogue.poverty)
    response = visitor.get(page)
    assert response.context["total"] == 10  # version 2's rows, not version 1's 5
    columns = [c["id"] for c in response.context["columns"]]
    assert columns == ["kode_wilayah", "tahun", "penduduk_miskin_persen", "keterangan"]
    html = response.content.decode()
    assert 'name="f.tahun"' in html and "Semampir" in html

    filtered = visitor.get(page, {"f.tahun": "2022"})
    assert filtered.context["total"] == 2
    assert {row[0][0] for row in filtered.context["rows"]} == {"35.71", "35.71.01.1001"}
    assert 'value="2022"' in filtered.content.decode()
    by_code = visitor.get(page, {"f.kode_wilayah": "35.71.01.1001"})
    assert by_code.context["total"] == 2
    assert {row[1][0] for row in by_code.context["rows"]} == {2022, 2023}

    ordered = visitor.get(page, {"sort": "penduduk_miskin_persen desc"})
    assert ordered.context["rows"][0][3][0] == "Semampir"
    column = next(c for c in ordered.context["columns"] if c["id"] == "penduduk_miskin_persen")
    assert column["direction"] == "desc"
    assert "sort=penduduk_miskin_persen+asc" in column["sort_url"]

    monkeypatch.setattr(portal_views, "PREVIEW_ROWS", 3)
    second = visitor.get(page, {"sort": "penduduk_miskin_persen desc", "page": 2})
    values = [row[2][0] for row in second.context["rows"]]
    assert len(values) == 3 and float(values[0]) == 8.10  # 12.25, 10, 9.5 on page 1
    assert second.context["pages"] == 4
    assert "page=3" in second.context["next_url"] and "page=1" in second.context["previous_url"]
    assert "sort=penduduk_miskin_persen+desc" in second.context["next_url"]
    beyond = visitor.get(page, {"page": 99})  # past the end: the last page
    assert beyond.context["page"] == 4 and len(beyond.context["rows"]) == 1
    assert "Rows 10\u201310 of 10" in beyond.content.decode()


@pytest.mark.parametrize(
    "params",
    [{"f.tidak_ada": "1"}, {"sort": "tidak_ada asc"}, {"sort": "tahun sideways"}],
)
def test_a_bad_filter_or_sort_is_a_400_with_a_message(visitor, catalogue, params):
    response = visitor.get(_page(catalogue.poverty), params)
    assert response.status_code == 400
    assert response.context["problem"]
    html = response.content.decode()
    assert 'id="problem"' in html and "cannot be filtered or sorted" in html
    assert response.context["total"] == 10  # the unfiltered table instead
    assert visitor.get(_export(catalogue.poverty, "csv"), params).status_code == 400


def _csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_exports_in_three_formats_filtered_and_neutralised(visitor, catalogue):
    poverty = catalogue.poverty
    full = visitor.get(_export(poverty, "csv"))
    assert full.status_code == 200 and full["Content-Type"].startswith("text/csv")
    assert full["Content-Disposition"] == 'attachment; filename="kemiskinan-kediri-v2.csv"'
    rows = _csv_rows(full)
    assert rows[0][:4] == ["kode_wilayah", "tahun", "penduduk_miskin_persen", "keterangan"] or (
        rows[0][1:5] == ["kode_wilayah", "tahun", "penduduk_miskin_persen", "keterangan"]
    )
    assert len(rows) == 11
    cells = [cell for row in rows for cell in row]
    assert not any(cell.startswith(TRIGGERS) for cell in cells)
    assert "'" + FORMULA in cells  # kept, but no longer a formula

    filtered = visitor.get(_export(poverty, "csv"), {"f.tahun": "2022", "sort": "kode_wilayah asc"})
    assert "kemiskinan-kediri-v2-filter.csv" in filtered["Content-Disposition"]
    assert len(_csv_rows(filtered)) == 3

    workbook = visitor.get(_export(poverty, "xlsx"), {"f.tahun": "2023"})
    assert workbook.status_code == 200 and "spreadsheetml" in workbook["Content-Type"]
    body = b"".join(workbook.streaming_content) if workbook.streaming else workbook.content
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 8  # the header and 2023's 7 rows
    texts = [cell for row in values for cell in row if isinstance(cell, str)]
    assert not any(cell.startswith(TRIGGERS) for cell in texts)
    assert "'" + FORMULA in texts

    data = visitor.get(_export(poverty, "json"), {"f.kode_wilayah": "35.71"})
    assert data.status_code == 200 and data["Content-Type"].startswith("application/json")
    body = b"".join(data.streaming_content) if data.streaming else data.content
    parsed = json.loads(body)
    records = parsed if isinstance(parsed, list) else parsed.get("records", parsed.get("data"))
    assert sorted(r["tahun"] for r in records) == [2021, 2022, 2023]


def test_the_original_file_of_an_older_version_downloads(visitor, catalogue):
    response = visitor.get(_download(catalogue.v1))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).decode() == GOOD_CSV
    assert response["Content-Disposition"] == 'attachment; filename="kemiskinan-kediri-v1.csv"'
    newest = visitor.get(_download(catalogue.aid_v1))
    assert newest["Content-Disposition"] == 'attachment; filename="penerima-bansos-v1.json"'
    assert json.loads(b"".join(newest.streaming_content)) == json.loads(AID_JSON)


def test_the_chart_over_time_and_by_region(visitor, catalogue):
    page = _page(catalogue.poverty)
    response = visitor.get(page, {"f.kode_wilayah": "35.71"})
    chart = response.context["chart"]
    assert chart["by"] == "time" and chart["column"] == "penduduk_miskin_persen"
    assert chart["agg"] == "mean"  # a percentage is averaged, not added up
    data = json.loads(chart["data"])
    assert data["type"] == "line"
    assert data["labels"] == ["2021", "2022", "2023"]
    assert data["values"] == [8.0, 7.81, 7.23]
    html = response.content.decode()
    assert 'class="opendata-chart"' in html and 'id="chart-table"' in html
    assert "chart-4.6.1.umd.min.js" in html

    # By region: the latest year's rows only (Bandar Lor's 2022 value is left out).
    regions = visitor.get(page, {"by": "region", "chart": "penduduk_miskin_persen"})
    data = json.loads(regions.context["chart"]["data"])
    assert data["type"] == "bar" and regions.context["chart"]["period"] == "2023"
    assert len(data["labels"]) == 7
    assert data["labels"][:2] == ["Semampir", "Bandar Lor"] and data["values"][:2] == [12.25, 9.5]
    assert Region.objects.get(code="35.71.02").name in data["labels"]

    aid = visitor.get(_page(catalogue.aid), {"agg": "sum"})
    data = json.loads(aid.context["chart"]["data"])
    assert aid.context["chart"]["column"] == "keluarga" and data["values"] == [2950]


def test_a_large_table_is_charted_from_its_first_rows(visitor, catalogue, monkeypatch):
    monkeypatch.setattr(portal_views, "CHART_ROWS", 4)
    response = visitor.get(_page(catalogue.poverty))
    assert response.context["chart"]["capped"]
    assert 'id="chart-capped"' in response.content.decode()
    assert not visitor.get(_page(catalogue.aid)).context["chart"]["capped"]


# ---------------------------------------------------------------------------------------------
# Indicators


@pytest.fixture
def measured(catalogue, administrator, bappeda_officer, kediri, make_dataset):
    """Two indicators filled from the poverty dataset (lower is better, higher is better), one
    value entered by hand, and a third indicator filled only from a limited dataset."""
    poverty = Indicator.objects.create(
        code="penduduk-miskin",
        name="Persentase penduduk miskin",
        unit="%",
        direction="lower",
        definition="Penduduk di bawah garis kemiskinan.",
    )
    welfare = Indicator.objects.create(
        code="kesejahteraan", name="Indeks kesejahteraan", unit="indeks", direction="higher"
    )
    for indicator in (poverty, welfare):
        indicators.declare_mapping(
            administrator,
            catalogue.poverty,
            indicator,
            "kode_wilayah",
            "tahun",
            "penduduk_miskin_persen",
        )
    pakunden = Region.objects.get(code="35.71.03.1002")
    indicators.record_value(
        bappeda_officer, poverty, pakunden, 2023, "3.3", None, "BPS Kota Kediri 2024"
    )
    secret = Indicator.objects.create(
        code="rahasia", name="Indikator rahasia", unit="%", direction="lower"
    )
    limited = Dataset.objects.get(slug="rekap-kemiskinan-terbatas")
    indicators.declare_mapping(
        administrator, limited, secret, "kode_wilayah", "tahun", "penduduk_miskin_persen"
    )
    assert secret.values.exists()
    return SimpleNamespace(poverty=poverty, welfare=welfare, secret=secret)


def _indicator(code: str) -> str:
    return reverse("opendata-portal:indicator", args=[code])


def _ranked_codes(response) -> list[str]:
    html = response.content.decode()
    table = html[html.index('id="ranking"') :]
    return re.findall(r'<tr id="region-([\d.]+)"', table)


def test_the_indicator_list(visitor, measured):
    html = visitor.get(reverse("opendata-portal:indicators")).content.decode()
    assert _indicator("penduduk-miskin") in html and "Persentase penduduk miskin" in html
    row = html[html.index('id="indicator-penduduk-miskin"') :]
    assert "7.23" in row[: row.index("</tr>")] and "(2023)" in row[: row.index("</tr>")]
    secret = html[html.index('id="indicator-rahasia"') :]
    assert "no value yet" in secret[: secret.index("</tr>")]


def test_an_indicator_by_year_for_the_city(visitor, measured):
    response = visitor.get(_indicator("penduduk-miskin"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Penduduk di bawah garis kemiskinan." in html
    assert '<dd id="direction">Lower is better</dd>' in html
    assert [(v.year, str(v.value.normalize())) for v in response.context["yearly"]] == [
        (2021, "8"),
        (2022, "7.81"),
        (2023, "7.23"),
    ]
    chart = json.loads(response.context["chart"])
    assert chart["labels"] == ["2021", "2022", "2023"] and chart["values"] == [8.0, 7.81, 7.23]
    yearly = html[html.index('id="yearly"') :]
    yearly = yearly[: yearly.index("</table>")]
    assert yearly.count("<tr>") == 4
    assert _page(measured.poverty.values.first().source_version.dataset) in yearly


def test_the_ranking_puts_those_left_behind_first_by_direction(visitor, measured):
    lower = visitor.get(_indicator("penduduk-miskin"))
    assert lower.context["level"] == "village" and lower.context["year"] == 2023
    assert _ranked_codes(lower) == [
        "35.71.02.1001",  # 12.25: the highest is the worst when lower is better
        "35.71.01.1001",  # 9.5
        "35.71.03.1001",  # 6
        "35.71.01.1002",  # 4.1
        "35.71.03.1002",  # 3.3, entered by hand
    ]
    higher = visitor.get(_indicator("kesejahteraan"))
    assert _ranked_codes(higher) == [
        "35.71.01.1002",
        "35.71.03.1001",
        "35.71.01.1001",
        "35.71.02.1001",
    ]
    districts = visitor.get(_indicator("penduduk-miskin"), {"level": "district"})
    assert _ranked_codes(districts) == ["35.71.01", "35.71.02"]


def test_the_map_has_a_filled_path_per_kelurahan(visitor, measured):
    response = visitor.get(_indicator("penduduk-miskin"))
    html = response.content.decode()
    villages = {
        code
        for code, (_name, level, _shape) in geo.boundaries().items()
        if level == "village" and code.startswith("35.71.")
    }
    paths = re.findall(
        r'<path class="region" data-code="([\d.]+)" d="M[^"]+" fill="(#[0-9a-f]{6})"', html
    )
    assert len(paths) == len(villages) == 46
    assert {code for code, _fill in paths} == villages
    fills = dict(paths)
    assert fills["35.71.02.1001"] == portal_views.PALETTE[-1]  # the worst: darkest
    assert fills["35.71.03.1002"] == portal_views.PALETTE[0]  # the best: lightest
    assert fills["35.71.01.1003"] == portal_views.NO_DATA  # no value
    assert html.count('class="outline"') == 3  # the kecamatan borders over them
    assert "<title>Semampir: 12.25 %</title>" in html
    legend = response.context["map"]["legend"]
    assert [item["fill"] for item in legend] == list(portal_views.PALETTE)
    higher = visitor.get(_indicator("kesejahteraan")).content.decode()
    worst = re.search(r'data-code="35.71.01.1002" d="[^"]+" fill="(#[0-9a-f]{6})"', higher)
    assert worst.group(1) == portal_views.PALETTE[-1]  # the lowest is worst when higher is better


def test_each_value_shows_its_source(visitor, measured, catalogue):
    html = visitor.get(_indicator("penduduk-miskin")).content.decode()
    table = html[html.index('id="ranking"') :]
    by_hand = table[table.index('id="region-35.71.03.1002"') :]
    assert "entered with evidence: BPS Kota Kediri 2024" in by_hand[: by_hand.index("</tr>")]
    from_data = table[table.index('id="region-35.71.02.1001"') :]
    from_data = from_data[: from_data.index("</tr>")]
    assert f'href="{_page(catalogue.poverty)}"' in from_data
    assert "Persentase penduduk miskin Kota Kediri, version 2" in from_data


def test_values_from_a_dataset_the_public_cannot_see_are_not_shown(visitor, measured):
    response = visitor.get(_indicator("rahasia"))
    assert response.status_code == 200
    assert response.context["yearly"] == [] and response.context["ranked"] == []
    assert "rekap-kemiskinan-terbatas" not in response.content.decode()
    # Published versions of public datasets only: the same values show once it is public.
    Dataset.objects.filter(slug="rekap-kemiskinan-terbatas").update(classification="public")
    assert len(visitor.get(_indicator("rahasia")).context["yearly"]) == 2


def test_pages_fit_a_phone(visitor, measured, catalogue):
    for url in (SEARCH, _page(catalogue.poverty), _indicator("penduduk-miskin")):
        html = visitor.get(url).content.decode()
        assert 'name="viewport"' in html
        for table in re.findall(r"(.{0,40})<table", html):
            assert 'class="table-wrap"' in table, url


# ---------------------------------------------------------------------------------------------
# On a phone


@pytest.mark.browser
@needs_chromium
@pytest.mark.django_db(transaction=True)
def test_the_portal_on_a_phone(measured, catalogue, phone, live_server):
    page = phone()
    page.goto(f"{live_server.url}{SEARCH}")
    assert_fits_phone(page)
    page.locator("#facet-opd summary").click()
    page.locator('input[name="opd"][value="dinsos"]').check()  # applied at once
    page.wait_for_url("**opd=dinsos**")
    assert page.locator("#results article").count() == 1
    assert_fits_phone(page)

    page.locator("#results article a").first.click()
    page.wait_for_url(f"**{_page(catalogue.aid)}")
    assert_fits_phone(page)
    page.goto(f"{live_server.url}{_page(catalogue.poverty)}")
    assert_fits_phone(page)
    assert page.locator("canvas.opendata-chart").is_visible()  # drawn by Chart.js
    page.locator('select[name="by"]').select_option("region")
    page.wait_for_url("**by=region**")
    assert page.locator("canvas.opendata-chart").is_visible()
    page.locator('input[name="f.tahun"]').fill("2022")
    page.locator('input[name="f.tahun"]').press("Enter")
    page.wait_for_url("**f.tahun=2022**")
    assert page.locator("#preview tbody tr").count() == 2
    assert_fits_phone(page)

    page.goto(f"{live_server.url}{_indicator('penduduk-miskin')}")
    assert_fits_phone(page)
    assert page.locator("#map > svg").is_visible()
    assert page.locator("#map path.region").count() == 46
    assert page.locator("canvas.opendata-chart").is_visible()
