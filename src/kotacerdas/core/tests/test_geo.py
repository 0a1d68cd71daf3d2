"""Where a point lies (core.geo): inside Kota Kediri, and in which kelurahan."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from kotacerdas.core import geo

CITY = "35.71"
# The boundary file's label points are its source's (cahyadsn/wilayah_boundaries) centre
# coordinates, and for these three kelurahan of Kecamatan Kota the source's own polygons do not
# hold them (checked against the source: 127 m, 228 m and 517 m outside). They lie in a
# neighbour: Tosaren's in Singonegaran, Singonegaran's in Tosaren, Tinalan's in Jamsaren.
LABEL_OUTSIDE_OWN = {
    "35.71.03.1003": "35.71.03.1005",
    "35.71.03.1005": "35.71.03.1003",
    "35.71.03.1008": "35.71.03.1004",
}
SURABAYA = (112.7521, -7.2575)  # (longitude, latitude)
JAKARTA = (106.8456, -6.2088)


def _label_points() -> dict[str, tuple[str, tuple[float, float]]]:
    """code -> (level, (longitude, latitude)) from the GeoJSON's properties."""
    data = json.loads(geo.BOUNDARIES.read_text(encoding="utf-8"))
    return {
        feature["properties"]["kode"]: (
            feature["properties"]["level"],
            tuple(feature["properties"]["label_point"]),
        )
        for feature in data["features"]
    }


VILLAGES = {code: point for code, (level, point) in _label_points().items() if level == "village"}


def test_the_file_holds_the_city_its_three_kecamatan_and_46_kelurahan():
    levels = [level for _name, level, _shape in geo.boundaries().values()]
    assert levels.count("regency") == 1
    assert levels.count("district") == 3
    assert levels.count("village") == 46
    assert geo.boundaries()[CITY][0] == "Kota Kediri"
    assert all(code.startswith("35.71.") for code in VILLAGES)


def test_every_label_point_lies_inside_the_city():
    outside = [
        code for code, (_level, point) in _label_points().items() if not geo.contains(CITY, *point)
    ]
    assert outside == []


def test_the_label_point_of_almost_every_kelurahan_lies_in_it():
    # Given each kelurahan's label point
    outside = {code for code, point in VILLAGES.items() if not geo.contains(code, *point)}
    # Then all but the three the source misplaces lie in their own kelurahan (43 of 46, 93%)
    assert outside == set(LABEL_OUTSIDE_OWN)
    assert (len(VILLAGES) - len(outside)) / len(VILLAGES) > 0.93


def test_the_label_point_of_each_kecamatan_lies_in_it():
    districts = {code: p for code, (level, p) in _label_points().items() if level == "district"}
    assert len(districts) == 3
    assert all(geo.contains(code, *point) for code, point in districts.items())


def test_a_kelurahan_is_found_from_its_label_point():
    # Every label point is placed in exactly one kelurahan: its own, or (for the three the
    # source misplaces) the neighbour that holds it.
    for code, point in VILLAGES.items():
        assert geo.village_at(*point) == LABEL_OUTSIDE_OWN.get(code, code)


def test_a_kelurahan_is_found_from_decimal_coordinates():
    # As a form or Open311 gives them: Decimal latitude and longitude (Bandar Lor, Mojoroto)
    latitude, longitude = Decimal("-7.818659"), Decimal("112.003402")
    assert geo.village_at(longitude, latitude) == "35.71.01.1001"
    assert geo.contains("35.71.01", longitude, latitude) is True
    assert geo.contains("35.71.02", longitude, latitude) is False


def test_a_kelurahan_is_inside_its_own_kecamatan_only():
    longitude, latitude = VILLAGES["35.71.01.1001"]
    assert [
        code
        for code, (_name, level, _shape) in geo.boundaries().items()
        if level == "district" and geo.contains(code, longitude, latitude)
    ] == ["35.71.01"]


@pytest.mark.parametrize("place", [SURABAYA, JAKARTA], ids=["Surabaya", "Jakarta"])
def test_a_point_in_another_city_is_outside_kediri_and_in_no_kelurahan(place):
    assert geo.contains(CITY, *place) is False
    assert geo.village_at(*place) is None


def test_swapped_coordinates_are_not_found():
    # Latitude given as longitude: a point in the southern Indian Ocean, in no kelurahan
    longitude, latitude = VILLAGES["35.71.01.1001"]
    assert geo.contains(CITY, latitude, longitude) is False
    assert geo.village_at(latitude, longitude) is None


def test_a_region_with_no_boundary_is_unknown_not_outside():
    assert geo.contains("35.78", *SURABAYA) is None  # Kota Surabaya: not in Kediri's file
    assert geo.contains("35.71.01.9999", *VILLAGES["35.71.01.1001"]) is None


SQUARE = [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)]
# An L: the square without its upper-right quarter.
ELL = [(0.0, 0.0), (10.0, 0.0), (10.0, 5.0), (5.0, 5.0), (5.0, 10.0), (0.0, 10.0)]


def test_a_point_inside_a_square_is_in_its_ring():
    assert geo._in_ring(5.0, 5.0, SQUARE)
    assert geo._in_ring(0.5, 9.5, SQUARE)


@pytest.mark.parametrize("point", [(15.0, 5.0), (-1.0, 5.0), (5.0, 11.0), (5.0, -0.5)])
def test_a_point_outside_a_square_is_not_in_its_ring(point):
    assert not geo._in_ring(*point, SQUARE)


def test_a_closed_ring_as_geojson_writes_it_gives_the_same_answers():
    closed = [*SQUARE, SQUARE[0]]
    assert geo._in_ring(5.0, 5.0, closed)
    assert not geo._in_ring(15.0, 5.0, closed)


def test_the_notch_of_a_concave_ring_is_outside_it():
    assert geo._in_ring(2.0, 8.0, ELL)  # in the upright of the L
    assert geo._in_ring(8.0, 2.0, ELL)  # in its foot
    assert not geo._in_ring(8.0, 8.0, ELL)  # in the missing quarter


def test_a_point_in_a_hole_of_a_region_is_outside_it(monkeypatch):
    # Given a hand-made region (for this test only) whose square has a hole, beside a second
    # polygon: a MultiPolygon as the boundary file would hold it
    hole = [(4.0, 4.0), (6.0, 4.0), (6.0, 6.0), (4.0, 6.0)]
    island = [(20.0, 0.0), (22.0, 0.0), (22.0, 2.0), (20.0, 2.0)]
    monkeypatch.setitem(geo.boundaries(), "99.99", ("Test", "regency", [[SQUARE, hole], [island]]))
    # Then a point in the square is in it, a point in the hole is not, the island counts
    assert geo.contains("99.99", 2.0, 2.0) is True
    assert geo.contains("99.99", 5.0, 5.0) is False
    assert geo.contains("99.99", 21.0, 1.0) is True
    assert geo.contains("99.99", 15.0, 1.0) is False
    # ...and a region of another level is never taken for a kelurahan
    assert geo.village_at(2.0, 2.0) is None
