"""The registry's figures that the overview page and the executive dashboard read."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import timezone

from kotacerdas.bansos import feeds
from kotacerdas.bansos.choices import LinkMethod
from kotacerdas.bansos.models import DtksRecord, LinkRun
from kotacerdas.bansos.tests.fixtures import BANDAR_KIDUL, BANDAR_LOR, SEMAMPIR

pytestmark = pytest.mark.django_db


def test_recipients_count_only_enrolments_that_cover_today(bansos_people):
    people = {r.programme.code: r.people for r in feeds.recipients_per_programme()}
    # Budi's PKH is current, Soetrisno's ended; Budi's BPNT ended a month ago.
    assert people == {"PKH": 1, "BPNT": 0, "PBI-JK": 1, "KARTU_SAHABAT": 1, "SI_JAMAL": 0}


def test_data_quality_comes_from_the_latest_finished_run(db):
    assert feeds.latest_data_quality() is None
    LinkRun.objects.create(
        finished_at=timezone.now(),
        summary={"rows": 10, "linked": 8, "review": 1, "flags": {"deceased": 2}},
    )
    LinkRun.objects.create(summary={})  # still running: not reported
    quality = feeds.latest_data_quality()
    assert (quality.rows, quality.linked, quality.review) == (10, 8, 1)
    counts = {code: count for code, _label, count in quality.flags}
    assert counts["deceased"] == 2 and counts["nik_invalid"] == 0


def test_overview_shows_the_figures(client_for, dinsos_officer, bansos_people):
    LinkRun.objects.create(
        finished_at=timezone.now(), summary={"rows": 10, "linked": 8, "flags": {"deceased": 2}}
    )
    client = client_for(dinsos_officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/staf/bansos/").content.decode()
    assert "8 of 10 DTKS rows linked" in page
    assert "Kartu Sahabat" in page


# Figures for an area (a kecamatan or kelurahan office's view)


def test_recipients_in_an_area_count_only_the_people_living_there(bansos_people):
    def people(area: str) -> dict[str, int]:
        return {r.programme.code: r.people for r in feeds.recipients_per_programme(area=area)}

    # Budi (PKH) lives in Bandar Lor; Rizky (Kartu Sahabat) and his twin (PBI-JK) in Bandar
    # Kidul, both in Kecamatan Mojoroto; Soetrisno's PKH in Semampir has ended.
    assert people(BANDAR_LOR) == {
        "PKH": 1,
        "BPNT": 0,
        "PBI-JK": 0,
        "KARTU_SAHABAT": 0,
        "SI_JAMAL": 0,
    }
    assert people(BANDAR_KIDUL) == {
        "PKH": 0,
        "BPNT": 0,
        "PBI-JK": 1,
        "KARTU_SAHABAT": 1,
        "SI_JAMAL": 0,
    }
    assert people("35.71.01") == {
        "PKH": 1,
        "BPNT": 0,
        "PBI-JK": 1,
        "KARTU_SAHABAT": 1,
        "SI_JAMAL": 0,
    }
    assert set(people(SEMAMPIR).values()) == {0}
    # "35.71.0" is no region: a prefix that is not a whole code part takes in nothing.
    assert set(people("35.71.0").values()) == {0}
    # The whole city is everyone.
    everyone = {r.programme.code: r.people for r in feeds.recipients_per_programme()}
    assert people(settings.KOTACERDAS_REGION) == people("35.71") == everyone


def _record(id_dtks: str, kelurahan: str, flags: str, linked: bool = False) -> DtksRecord:
    return DtksRecord.objects.create(
        id_dtks=id_dtks,
        name="WARGA",
        kelurahan_code=kelurahan,
        source_hash=id_dtks,
        flags=flags,
        link_method=LinkMethod.NIK_EXACT if linked else LinkMethod.NONE,
    )


@pytest.fixture
def flagged_rows(kediri) -> None:
    _record("D1", BANDAR_LOR, "deceased", linked=True)
    _record("D2", BANDAR_LOR, "nik_invalid;deceased;moved_out")
    _record("D3", BANDAR_KIDUL, "moved_out;deceased", linked=True)
    _record("D4", SEMAMPIR, "deceased;nik_not_found")
    _record("D5", SEMAMPIR, "", linked=True)


def test_data_quality_for_an_area_counts_the_rows_located_there(flagged_rows):
    assert feeds.latest_data_quality(area=BANDAR_LOR) is None  # no linkage run yet
    LinkRun.objects.create(
        finished_at=timezone.now(),
        summary={"rows": 5, "linked": 3, "review": 0, "flags": {"deceased": 4, "moved_out": 2}},
    )
    mojoroto = feeds.latest_data_quality(area="35.71.01")
    assert (mojoroto.rows, mojoroto.linked, mojoroto.review) == (3, 2, 0)
    counts = {code: count for code, _label, count in mojoroto.flags}
    assert counts == {
        "nik_invalid": 1,
        "nik_not_found": 0,
        "nik_other_person": 0,
        "nik_dob_mismatch": 0,
        "deceased": 3,
        "duplicate_in_dtks": 0,
        "excluded_occupation": 0,
        "moved_out": 2,
    }
    semampir = feeds.latest_data_quality(area=SEMAMPIR)
    assert (semampir.rows, semampir.linked) == (2, 1)
    assert {code: n for code, _label, n in semampir.flags if n} == {
        "deceased": 1,
        "nik_not_found": 1,
    }
    # Without an area the figures stay those the run recorded.
    city = feeds.latest_data_quality()
    assert (city.rows, city.linked) == (5, 3)
    assert {code: n for code, _label, n in city.flags if n} == {"deceased": 4, "moved_out": 2}
