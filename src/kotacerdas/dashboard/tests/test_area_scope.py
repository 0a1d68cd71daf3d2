"""An officer of a kelurahan office sees their kelurahan on the dashboard: the aid recipients
living there, the DTKS rows located there, and a map of their kelurahan alone; the city's
readers see the whole city. Only those who work the registry follow a figure to its records."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from kotacerdas.bansos import feeds, registry
from kotacerdas.bansos.choices import LinkFlag, LinkMethod, Sex
from kotacerdas.bansos.models import DtksRecord, LinkRun
from kotacerdas.bansos.tests.fixtures import BANDAR_LOR
from kotacerdas.core.choices import RegionLevel
from kotacerdas.core.models import Region
from kotacerdas.dashboard import panels
from kotacerdas.dashboard.scope import AREA, OPD, scope_of
from kotacerdas.opendata import indicators
from kotacerdas.opendata.choices import Direction
from kotacerdas.opendata.models import Indicator

pytestmark = pytest.mark.django_db

BALOWERTI = "35.71.02.1002"  # served by the ``kelurahan_officer``'s office
KELURAHAN_OF_KEDIRI = 46


def reader_of(user) -> panels.Reader:
    return panels.reader_for(scope_of(user), user)


# ---------------------------------------------------------------------------------------------
# Social aid


@pytest.fixture
def recipients(programmes, make_person):
    """Two recipients living in Balowerti (PKH; Kartu Sahabat) and two in Bandar Lor (PKH;
    BPNT), all enrolled since a year ago."""
    start = timezone.localdate() - dt.timedelta(days=365)
    for name, born, sex, kelurahan, programme in (
        ("SRI WAHYUNI", dt.date(1975, 3, 1), Sex.FEMALE, BALOWERTI, "PKH"),
        ("AGUS SALIM", dt.date(1982, 6, 9), Sex.MALE, BALOWERTI, "KARTU_SAHABAT"),
        ("BUDI SANTOSO", dt.date(1980, 4, 12), Sex.MALE, BANDAR_LOR, "PKH"),
        ("DEWI LESTARI", dt.date(1990, 11, 23), Sex.FEMALE, BANDAR_LOR, "BPNT"),
    ):
        person = make_person(name, born, sex, kelurahan=kelurahan)
        found = programmes[programme]
        amount = 300_000 if found.paid_by_city else None  # the city's own aid names its amount
        registry.enrol(person, found, start=start, amount=amount, source="fixture")


def test_a_kelurahan_officer_counts_only_the_recipients_living_in_their_kelurahan(
    recipients, kelurahan_officer, executive
):
    reader = reader_of(kelurahan_officer)
    assert reader.scope.kind == AREA and reader.scope.area == BALOWERTI

    panel = panels.social_panel(reader)

    shown = {
        f.key.removeprefix("bansos.recipients."): f.value
        for f in panel.figures
        if f.key.startswith("bansos.recipients.")
    }
    registry_counts = {
        line.programme.code: line.people for line in feeds.recipients_per_programme(area=BALOWERTI)
    }
    assert shown == registry_counts
    assert shown == {"PKH": 1, "BPNT": 0, "PBI-JK": 0, "KARTU_SAHABAT": 1, "SI_JAMAL": 0}
    # The city's reader counts everyone; the area office's officer follows no figure to the
    # records of people.
    city = panels.social_panel(reader_of(executive))
    assert city.figure("bansos.recipients.PKH").value == 2
    assert city.figure("bansos.recipients.BPNT").value == 1
    assert all(not f.drill_url for f in panel.figures)


@pytest.fixture
def linkage(kediri) -> LinkRun:
    """A finished linkage run that recorded 3 deceased and 1 moved out city-wide: 1 deceased
    row lies in Balowerti, the others and the move in Bandar Lor."""
    for id_dtks, kelurahan, flags in (
        ("D1", BALOWERTI, "deceased"),
        ("D2", BANDAR_LOR, "deceased;moved_out"),
        ("D3", BANDAR_LOR, "deceased"),
    ):
        DtksRecord.objects.create(
            id_dtks=id_dtks,
            name="WARGA",
            kelurahan_code=kelurahan,
            source_hash=id_dtks,
            flags=flags,
            link_method=LinkMethod.NONE,
        )
    return LinkRun.objects.create(
        finished_at=timezone.now(),
        summary={"rows": 3, "linked": 0, "flags": {"deceased": 3, "moved_out": 1}},
    )


def test_a_kelurahan_officers_flags_count_the_dtks_rows_located_there(
    linkage, kelurahan_officer, executive
):
    area = panels.social_panel(reader_of(kelurahan_officer))
    city = panels.social_panel(reader_of(executive))

    by_area = {code: n for code, _label, n in feeds.latest_data_quality(area=BALOWERTI).flags}
    for code in LinkFlag.values:
        assert area.figure(f"bansos.flag.{code}").value == by_area[code]
    assert area.figure("bansos.flag.deceased").value == 1
    assert area.figure("bansos.flag.moved_out").value == 0
    # The city's figures are the run's own.
    assert city.figure("bansos.flag.deceased").value == 3
    assert city.figure("bansos.flag.moved_out").value == 1


def flag_figures(user) -> list:
    panel = panels.social_panel(reader_of(user))
    return [f for f in panel.figures if f.key.startswith("bansos.flag.")]


def test_only_those_who_work_the_registry_follow_a_flag_to_its_records(
    linkage, executive, administrator, dinsos_officer
):
    # A Dinas Sosial officer serves the whole city: they have no area, so no flag link of
    # theirs carries a kelurahan.
    assert scope_of(dinsos_officer).kind == OPD and scope_of(dinsos_officer).area is None
    records = reverse("bansos:dtks")

    for user in (administrator, dinsos_officer):
        assert [f.drill_url for f in flag_figures(user)] == [
            f"{records}?flag={code}" for code in LinkFlag.values
        ]
    # The executive sees the figures, never the records of people.
    executive_flags = flag_figures(executive)
    assert len(executive_flags) == len(LinkFlag.values)
    assert all(not f.drill_url for f in executive_flags)


# ---------------------------------------------------------------------------------------------
# Indicators


@pytest.fixture
def poverty(bappeda_officer, kediri) -> Indicator:
    """Poverty (lower is better) entered by Bappeda for 2023: the city, Balowerti and Bandar
    Lor, each with its source."""
    indicator = Indicator.objects.create(
        code="penduduk-miskin", name="Penduduk miskin", unit="%", direction=Direction.LOWER
    )
    for code, value in (("35.71", "7.23"), (BALOWERTI, "5.10"), (BANDAR_LOR, "9.40")):
        indicators.record_value(
            bappeda_officer,
            indicator,
            Region.objects.get(code=code),
            2023,
            value,
            None,
            "BPS Kota Kediri",
        )
    return indicator


def test_a_kelurahan_officers_map_draws_their_kelurahan_alone(
    poverty, kelurahan_officer, executive
):
    area = panels.indicators_panel(reader_of(kelurahan_officer), poverty.code, None)
    city = panels.indicators_panel(reader_of(executive), poverty.code, None)

    # Their kelurahan's own value, ranked and mapped alone.
    assert area.figure(f"indicator.{poverty.code}.{BALOWERTI}").value == Decimal("5.1")
    assert area.context["level"] == RegionLevel.VILLAGE
    assert [value.region_id for value in area.context["ranking"]] == [BALOWERTI]
    assert [region["code"] for region in area.context["choropleth"]["regions"]] == [BALOWERTI]
    assert area.context["choropleth"]["outlines"] == []  # no kecamatan border inside a kelurahan
    # The city's map: every kelurahan of Kota Kediri, the two with a value ranked.
    assert city.figure(f"indicator.{poverty.code}").value == Decimal("7.23")
    assert [value.region_id for value in city.context["ranking"]] == [BANDAR_LOR, BALOWERTI]
    codes = [region["code"] for region in city.context["choropleth"]["regions"]]
    assert len(codes) == len(set(codes)) == KELURAHAN_OF_KEDIRI
    assert all(code.startswith("35.71.") for code in codes)
    assert {BALOWERTI, BANDAR_LOR} <= set(codes)
