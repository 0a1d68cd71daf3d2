"""The indicator maps and rankings: those left behind first, the latest year's ranking of what
the reader may see (the public, or staff who also see limited datasets), and the choropleth of
the city or of an officer's own area, drawn by the includable template."""

from __future__ import annotations

import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from kotacerdas.core import geo
from kotacerdas.core.choices import RegionLevel
from kotacerdas.core.models import Region
from kotacerdas.opendata import indicators, maps
from kotacerdas.opendata.choices import Classification, Direction
from kotacerdas.opendata.models import Indicator, IndicatorValue

MOJOROTO, KOTA = "35.71.01", "35.71.02"  # two of the city's three kecamatan
BALOWERTI = "35.71.02.1002"  # a kelurahan of Kecamatan Kota
INCLUDE = "opendata/includes/choropleth.html"


def _villages(area: str) -> set[str]:
    """The kelurahan of the boundary file inside ``area``."""
    return {
        code
        for code, (_name, level, _shape) in geo.boundaries().items()
        if level == RegionLevel.VILLAGE and code.startswith(area + ".")
    }


def _xs(drawn: dict) -> list[float]:
    """The x of every point of the map's region shapes."""
    return [
        float(x) for region in drawn["regions"] for x in re.findall(r"[ML](-?[\d.]+),", region["d"])
    ]


@pytest.fixture
def poverty(kediri) -> Indicator:
    return Indicator.objects.create(
        code="penduduk-miskin", name="Penduduk miskin", unit="%", direction=Direction.LOWER
    )


@pytest.fixture
def by_hand(bappeda_officer, poverty):
    """Enter the indicator's values by hand, with their source: {region code: value}."""

    def enter(values: dict[str, str], year: int = 2023) -> list[IndicatorValue]:
        return [
            indicators.record_value(
                bappeda_officer,
                poverty,
                Region.objects.get(code=code),
                year,
                value,
                None,
                "BPS Kota Kediri",
            )
            for code, value in values.items()
        ]

    return enter


@pytest.fixture
def kelurahan_values(by_hand) -> list[IndicatorValue]:
    """Four kelurahan: one of Mojoroto (the city's worst) and three of Kecamatan Kota."""
    return maps.worst_first(
        by_hand(
            {
                "35.71.01.1001": "10",
                "35.71.02.1001": "5",
                BALOWERTI: "7",
                "35.71.02.1003": "6",
            }
        ),
        Direction.LOWER,
    )


# ---------------------------------------------------------------------------------------------
# Left behind first


def test_worst_first_puts_the_highest_first_when_lower_is_better(by_hand):
    values = by_hand(
        {
            "35.71.03.1001": "4.1",  # Bangsal
            "35.71.03.1002": "9.5",  # Pakunden
            "35.71.02.1001": "12.25",  # Semampir
            "35.71.01.1001": "9.5",  # Bandar Lor
        }
    )
    ranked = maps.worst_first(values, Direction.LOWER)
    # Equal values go by the kelurahan's name.
    assert [v.region.name for v in ranked] == ["Semampir", "Bandar Lor", "Pakunden", "Bangsal"]


def test_worst_first_puts_the_lowest_first_when_higher_is_better(by_hand):
    values = by_hand(
        {
            "35.71.02.1001": "12.25",  # Semampir
            "35.71.03.1002": "9.5",  # Pakunden
            "35.71.03.1001": "4.1",  # Bangsal
            "35.71.01.1001": "9.5",  # Bandar Lor
        }
    )
    ranked = maps.worst_first(values, Direction.HIGHER)
    assert [v.region.name for v in ranked] == ["Bangsal", "Bandar Lor", "Pakunden", "Semampir"]


# ---------------------------------------------------------------------------------------------
# The latest ranking


def test_latest_ranking_shows_a_limited_datasets_values_to_staff_only(
    make_dataset, publish, administrator, poverty, by_hand
):
    # Given the kecamatan's 2023 values filled from a limited dataset, a kecamatan's 2022 value
    # entered by hand, and a 2024 value of a kecamatan outside the city.
    limited = make_dataset(slug="kemiskinan-terbatas", classification=Classification.LIMITED)
    publish(limited)
    indicators.declare_mapping(
        administrator, limited, poverty, "kode_wilayah", "tahun", "penduduk_miskin_persen"
    )
    by_hand({MOJOROTO: "8.5"}, year=2022)
    outside = Region.objects.filter(code__startswith="35.06.", level=RegionLevel.DISTRICT)
    by_hand({outside.first().code: "40"}, year=2024)

    # The public sees the value entered by hand only, the latest year it has.
    with translation.override("en"):
        year, ranked = maps.latest_ranking(poverty, RegionLevel.DISTRICT)
    assert year == 2022
    assert [(v.region_id, v.display) for v in ranked] == [(MOJOROTO, "8.5")]

    # Staff see the limited dataset's values too, the latest year first, worst first.
    year, ranked = maps.latest_ranking(poverty, RegionLevel.DISTRICT, public_only=False)
    assert year == 2023
    assert [v.region_id for v in ranked] == [MOJOROTO, "35.71.03", KOTA]  # 8.1, 7.4, 6.9
    assert {v.source_version.dataset.slug for v in ranked} == {"kemiskinan-terbatas"}

    # Within an area, and at a level without values.
    year, ranked = maps.latest_ranking(poverty, "district", within=KOTA, public_only=False)
    assert (year, [v.region_id for v in ranked]) == (2023, [KOTA])
    assert maps.latest_ranking(poverty, RegionLevel.VILLAGE, public_only=False) == (None, [])


def test_latest_ranking_never_shows_a_confidential_datasets_values(
    make_dataset, publish, administrator, poverty
):
    secret = make_dataset(slug="kemiskinan-rahasia", classification=Classification.CONFIDENTIAL)
    publish(secret)
    indicators.declare_mapping(
        administrator, secret, poverty, "kode_wilayah", "tahun", "penduduk_miskin_persen"
    )
    assert poverty.values.filter(region__level=RegionLevel.DISTRICT).count() == 3
    assert maps.latest_ranking(poverty, RegionLevel.DISTRICT, public_only=False) == (None, [])
    assert maps.latest_ranking(poverty, RegionLevel.DISTRICT) == (None, [])


# ---------------------------------------------------------------------------------------------
# The map of an area


def test_within_a_kecamatan_draws_and_classes_only_its_kelurahan(kelurahan_values):
    city = maps.choropleth(RegionLevel.VILLAGE, kelurahan_values, Direction.LOWER, "%")
    assert {r["code"] for r in city["regions"]} == _villages("35.71")
    assert len(city["outlines"]) == 3

    kota = maps.choropleth(RegionLevel.VILLAGE, kelurahan_values, Direction.LOWER, "%", within=KOTA)
    assert {r["code"] for r in kota["regions"]} == _villages(KOTA)
    assert len(kota["regions"]) < len(city["regions"])
    assert len(kota["outlines"]) == 1  # its own border
    # Classed among its own values: Balowerti is Kota's worst, though Mojoroto's is worse.
    fills = {r["code"]: r["fill"] for r in kota["regions"]}
    assert fills[BALOWERTI] == maps.PALETTE[-1]
    assert {r["code"]: r["fill"] for r in city["regions"]}[BALOWERTI] != maps.PALETTE[-1]
    assert [(item["low"], item["high"]) for item in kota["legend"]] == [
        ("5", "5"),
        ("6", "6"),
        ("7", "7"),
    ]
    # Framed on the area: its shapes span the map's whole width.
    assert min(_xs(kota)) == 0 and max(_xs(kota)) == maps.MAP_WIDTH


def test_a_kelurahan_officers_map_holds_their_kelurahan_alone(kelurahan_values):
    own = maps.choropleth(
        RegionLevel.VILLAGE, kelurahan_values, Direction.LOWER, "%", within=BALOWERTI
    )
    assert [r["code"] for r in own["regions"]] == [BALOWERTI]
    assert own["outlines"] == []  # not even the border of the kecamatan around it
    html = render_to_string(INCLUDE, {"choropleth": own})
    assert re.findall(r'data-code="([\d.]+)"', html) == [BALOWERTI]
    # Kecamatan inside a kelurahan: none; inside a kecamatan: itself.
    assert maps.choropleth(RegionLevel.DISTRICT, [], Direction.LOWER, "%", within=BALOWERTI) is None
    district = maps.choropleth(RegionLevel.DISTRICT, [], Direction.LOWER, "%", within=KOTA)
    assert [r["code"] for r in district["regions"]] == [KOTA]


# ---------------------------------------------------------------------------------------------
# The includable template


def test_the_include_draws_one_path_per_region_and_links_only_when_asked(kelurahan_values):
    drawn = maps.choropleth(RegionLevel.VILLAGE, kelurahan_values, Direction.LOWER, "%")
    with translation.override("en"):
        html = render_to_string(INCLUDE, {"choropleth": drawn})
    assert html.count("<svg viewBox=") == 1
    codes = re.findall(r'<path class="region" data-code="([\d.]+)" d="M', html)
    assert codes == [r["code"] for r in drawn["regions"]] and len(codes) == 46
    assert "<a " not in html
    assert '<title id="map-title">Map by region</title>' in html
    assert "<title>Bandar Lor: 10 %</title>" in html

    linked = render_to_string(
        INCLUDE,
        {
            "choropleth": drawn,
            "link_base": "/dasbor/wilayah/?kode=",
            "map_title": "Penduduk miskin",
            "map_id": "peta-miskin",
        },
    )
    pattern = r'<a href="/dasbor/wilayah/\?kode=([\d.]+)"><path class="region" data-code="\1"'
    assert re.findall(pattern, linked) == codes
    assert 'id="peta-miskin"' in linked
    assert '<title id="peta-miskin-title">Penduduk miskin</title>' in linked
