"""Where a point lies: inside the deployment's region, and in which kelurahan.

The boundaries are the reference GeoJSON shipped with the package (``reference/
kota_kediri_boundaries.geojson``: the city, its kecamatan and kelurahan, keyed by Kemendagri
code). Polygons are simplified, so a point near a border may be placed on the wrong side of it
(the source's own label points of Tosaren, Singonegaran and Tinalan fall 130-520 m outside their
kelurahan); a citizen who picks the kelurahan by name is always believed.
"""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from pathlib import Path

Ring = list[tuple[float, float]]
# A polygon as its outer ring and holes; a region as one or more polygons.
Shape = list[list[Ring]]

BOUNDARIES = Path(__file__).resolve().parent / "reference" / "kota_kediri_boundaries.geojson"


@cache
def boundaries() -> dict[str, tuple[str, str, Shape]]:
    """Every region in the boundary file: code -> (name, level, shape)."""
    data = json.loads(BOUNDARIES.read_text(encoding="utf-8"))
    found: dict[str, tuple[str, str, Shape]] = {}
    for feature in data["features"]:
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        shape = [
            [[(float(x), float(y)) for x, y, *_ in ring] for ring in poly] for poly in polygons
        ]
        props = feature["properties"]
        found[props["kode"]] = (props["nama"], props["level"], shape)
    return found


def _in_ring(x: float, y: float, ring: Ring) -> bool:
    # Ray casting: count the edges a ray from the point to the east crosses.
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


@cache
def _box(code: str) -> tuple[float, float, float, float]:
    """The region's bounding box (west, south, east, north): most points are ruled out by it
    before any polygon is walked."""
    points = [p for polygon in boundaries()[code][2] for p in polygon[0]]
    xs, ys = [x for x, _y in points], [y for _x, y in points]
    return min(xs), min(ys), max(xs), max(ys)


def contains(code: str, longitude: float | Decimal, latitude: float | Decimal) -> bool | None:
    """Whether the point lies in region ``code``; None when the file has no boundary for it."""
    region = boundaries().get(code)
    if region is None:
        return None
    x, y = float(longitude), float(latitude)
    west, south, east, north = _box(code)
    if not (west <= x <= east and south <= y <= north):
        return False
    return any(
        _in_ring(x, y, polygon[0]) and not any(_in_ring(x, y, hole) for hole in polygon[1:])
        for polygon in region[2]
    )


def village_at(longitude: float | Decimal, latitude: float | Decimal) -> str | None:
    """The code of the kelurahan/desa whose boundary holds the point, or None."""
    for code, (_name, level, _shape) in boundaries().items():
        if level == "village" and contains(code, longitude, latitude):
            return code
    return None
