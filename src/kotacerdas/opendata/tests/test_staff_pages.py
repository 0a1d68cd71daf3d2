"""Satu Data's staff pages: describe, upload, read the report, submit, publish; enter values."""

from kotacerdas.opendata.choices import VersionStatus
from kotacerdas.opendata.models import Dataset, IndicatorValue, Version
from kotacerdas.opendata.tests.fixtures import GOOD_CSV, csv_file


def test_a_producer_describes_uploads_and_submits_from_the_pages(
    client_for, bappeda_officer, administrator, kediri
):
    officer = client_for(bappeda_officer)
    created = officer.post(
        "/staf/data/baru/",
        {
            "slug": "kemiskinan",
            "title": "Kemiskinan per kecamatan",
            "description": "Persentase penduduk miskin.",
            "frequency": "annual",
            "coverage": "35.71",
            "granularity": "district",
            "classification": "public",
            "licence": "cc-by-4.0",
            "tags_text": "kemiskinan, BPS",
            "table_schema": '{"fields": [{"name": "kode_wilayah", "type": "string", '
            '"region": true}, {"name": "tahun", "type": "integer"}, '
            '{"name": "penduduk_miskin_persen", "type": "number"}, '
            '{"name": "keterangan", "type": "string"}]}',
        },
    )
    assert created.status_code == 302, created.content.decode()[:2000]
    dataset = Dataset.objects.get(slug="kemiskinan")
    assert dataset.producer == bappeda_officer.opd
    assert sorted(dataset.tags.values_list("name", flat=True)) == ["bps", "kemiskinan"]

    bad = "kode_wilayah,tahun,penduduk_miskin_persen,keterangan\n99.99,2023,abc,x\n"
    response = officer.post("/staf/data/kemiskinan/", {"file": csv_file(bad)}, follow=True)
    page = response.content.decode()
    assert 'id="problems"' in page and "kode_wilayah" in page
    assert not Version.objects.get().valid
    assert 'value="submit"' not in page

    officer.post("/staf/data/kemiskinan/", {"file": csv_file(GOOD_CSV)})
    good = Version.objects.get(number=2)
    assert good.valid
    officer.post("/staf/data/kemiskinan/v/2/aksi/", {"action": "submit"})
    assert officer.post("/staf/data/kemiskinan/v/2/aksi/", {"action": "publish"}).status_code == 403
    steward = client_for(administrator)
    assert 'id="waiting"' in steward.get("/staf/data/").content.decode()
    steward.post("/staf/data/kemiskinan/v/2/aksi/", {"action": "publish", "comment": "OK"})
    good.refresh_from_db()
    assert good.status == VersionStatus.PUBLISHED


def test_a_bad_schema_comes_back_on_the_form(client_for, bappeda_officer, kediri):
    response = client_for(bappeda_officer).post(
        "/staf/data/baru/",
        {
            "slug": "rusak",
            "title": "Skema rusak",
            "description": "x",
            "frequency": "annual",
            "coverage": "35.71",
            "granularity": "city",
            "classification": "public",
            "licence": "cc-by-4.0",
            "table_schema": '{"fields": [{"name": "a", "type": "bilangan"}]}',
        },
    )
    assert response.status_code == 400
    assert not Dataset.objects.exists()


def test_confidential_datasets_stay_with_their_producer_and_the_steward(
    client_for, make_dataset, dinsos_officer, administrator, bappeda_officer
):
    make_dataset(slug="rahasia", classification="confidential")
    make_dataset(slug="terbatas", classification="limited")
    other = client_for(dinsos_officer).get("/staf/data/").content.decode()
    assert "terbatas" in other and "rahasia" not in other
    assert client_for(dinsos_officer).get("/staf/data/rahasia/").status_code == 404
    assert client_for(bappeda_officer).get("/staf/data/rahasia/").status_code == 200
    assert client_for(administrator).get("/staf/data/rahasia/").status_code == 200


def test_a_value_is_entered_with_its_source(client_for, bappeda_officer, kediri):
    from kotacerdas.opendata.indicators import load_indicators
    from kotacerdas.opendata.models import Indicator

    load_indicators()
    indicator = Indicator.objects.get(code="ipm")
    client = client_for(bappeda_officer)
    data = {"indicator": indicator.pk, "region": "35.71", "year": 2024, "value": "80,1"}
    assert client.post("/staf/data/indikator/", data).status_code == 400  # no source
    assert client.post("/staf/data/indikator/", {**data, "region": "99"}).status_code == 400
    client.post("/staf/data/indikator/", {**data, "source_note": "BPS Kota Kediri"})
    assert str(IndicatorValue.objects.get().value.normalize()) == "80.1"
