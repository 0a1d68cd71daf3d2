"""The indicator maps and rankings: kecamatan/kelurahan drawn from the region's boundary file as
SVG, no tile server.

An indicator's values by kecamatan or kelurahan are read "left behind first" (the highest when
lower is better, the lowest when higher is better) and drawn as a choropleth: five quantile
classes, the darkest for those left behind. The public portal's indicator page and the
executive dashboard draw them from these functions; ``within`` narrows both to an area (a
kecamatan or kelurahan office's own), and the template ``opendata/includes/choropleth.html``
draws the map that ``choropleth`` returns.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db.models import Q, Subquery
from django.utils import formats
from django.utils.translation import gettext as _

from kotacerdas.core import geo, regions
from kotacerdas.core.choices import RegionLevel
from kotacerdas.opendata.choices import Direction
from kotacerdas.opendata.indicators import public_values, staff_values
from kotacerdas.opendata.models import Indicator, IndicatorValue

# Choropleth classes, from the better fifth to the one left behind (ColorBrewer YlOrRd).
PALETTE = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
NO_DATA = "#d1d5db"
MAP_WIDTH = 600

Project = Callable[[float, float], tuple[float, float]]


def to_decimal(value: Any) -> Decimal | None:
    """A figure (a cell of a dataset, an indicator value) as a finite number, or None when it
    is not one (text, a boolean, an empty cell, NaN or an infinity)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def format_value(value: Any) -> str:
    """A figure as the reader's locale writes it (the active language's separators), without
    trailing zeros; text that is not a number is returned as it is."""
    number = to_decimal(value)
    if number is None:
        return "" if value is None else str(value)
    return formats.number_format(Decimal(f"{number.normalize():f}"))


def _area(within: str | None) -> Q:
    """The values of regions inside the city, and inside ``within`` when it is given."""
    city = settings.KOTACERDAS_REGION
    area = Q(region__code__startswith=city + ".")
    if within:
        area &= regions.within("region__code", within)
    return area


def worst_first(values: list[IndicatorValue], direction: str) -> list[IndicatorValue]:
    """The regions' values with those left behind first: the highest values when lower is
    better (``Direction.LOWER``), else the lowest. Ties go by the region's name; the sort is
    stable, so regions of the same name keep the order they came in."""
    if direction == Direction.LOWER:
        return sorted(values, key=lambda v: (-v.value, v.region.name))
    return sorted(values, key=lambda v: (v.value, v.region.name))


def latest_ranking(
    indicator: Indicator,
    level: str,
    within: str | None = None,
    public_only: bool = True,
) -> tuple[int | None, list[IndicatorValue]]:
    """The latest year with a value of ``indicator`` for a region of ``level`` (a
    ``RegionLevel``: kecamatan or kelurahan) inside the city, or inside ``within`` (a
    kecamatan or kelurahan code) when given, and that year's values there, left behind first.
    ``(None, [])`` when there is none.

    With ``public_only`` the values are those the public may see (``public_values``); staff
    pages pass False to include values filled from limited datasets (``staff_values``). Each
    value comes with its region (and the region's parent) and source loaded, and with
    ``display``: its figure as the reader's locale writes it."""
    found = public_values(indicator) if public_only else staff_values(indicator)
    found = found.filter(_area(within), region__level=level)
    latest = found.order_by("-year").values("year")[:1]
    # Ordered by code first so that equal values of regions of the same name keep one order.
    values = list(found.filter(year=Subquery(latest)).order_by("region_id"))
    if not values:
        return None, []
    for value in values:
        value.display = format_value(value.value)
    return values[0].year, worst_first(values, indicator.direction)


def _classes(values: list[Decimal]) -> list[Decimal]:
    """The upper bounds of up to five quantile classes of ``values``."""
    ordered = sorted(values)
    count = min(len(PALETTE), len(set(ordered)))
    bounds: list[Decimal] = []
    for i in range(1, count + 1):
        bound = ordered[math.ceil(i * len(ordered) / count) - 1]
        if not bounds or bound > bounds[-1]:
            bounds.append(bound)
    return bounds


def _class_of(value: Decimal, bounds: list[Decimal]) -> int:
    return next((i for i, bound in enumerate(bounds) if value <= bound), len(bounds) - 1)


def _colours(count: int, direction: str) -> list[str]:
    """The fill of each class in ascending order of value: the darkest for the class left
    behind (the highest when lower is better, the lowest when higher is better)."""
    if count == 1:
        spread = [len(PALETTE) // 2]
    else:
        spread = [round(i * (len(PALETTE) - 1) / (count - 1)) for i in range(count)]
    colours = [PALETTE[i] for i in spread]
    return colours if direction == Direction.LOWER else colours[::-1]


def _svg_path(shape: geo.Shape, project: Project) -> str:
    parts = []
    for polygon in shape:
        for ring in polygon:
            points = [project(lon, lat) for lon, lat in ring]
            parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in points) + "Z")
    return "".join(parts)


def _shapes(level: str, within: str | None) -> dict[str, tuple[str, geo.Shape]]:
    """The boundary file's regions of ``level`` inside the city (and inside ``within``):
    code -> (name, shape)."""
    city = settings.KOTACERDAS_REGION
    return {
        code: (name, shape)
        for code, (name, found_level, shape) in geo.boundaries().items()
        if found_level == level
        and code.startswith(city + ".")
        and (not within or regions.in_area(code, within))
    }


def choropleth(
    level: str,
    ranked: list[IndicatorValue],
    direction: str,
    unit: str,
    within: str | None = None,
) -> dict[str, Any] | None:
    """The city's regions of ``level`` as a choropleth map, each filled by the quantile class
    of its value in ``ranked`` (the darkest for those left behind, grey without a value), for
    the template ``opendata/includes/choropleth.html``. With ``within`` (a kecamatan or
    kelurahan code) only the regions inside that area are drawn and classed, and the map is
    framed on them. None when the boundary file has no region of ``level`` there.

    The shapes are projected linearly from longitude and latitude (x scaled by the cosine of
    the latitude), which is exact enough at a city's size. The result holds ``viewbox``;
    ``regions``, each with ``code``, ``name``, ``d`` (the SVG path), ``fill`` and ``display``
    (the value with ``unit``, or "no data"); ``outlines``, the kecamatan borders drawn over a
    kelurahan map; ``legend``, each class's ``fill`` and its ``low`` and ``high`` values;
    ``no_data``, the fill of a region without a value; and ``missing``, whether one is
    drawn."""
    shapes = _shapes(level, within)
    if not shapes:
        return None
    lons = [lon for _n, s in shapes.values() for poly in s for lon, _lat in poly[0]]
    lats = [lat for _n, s in shapes.values() for poly in s for _lon, lat in poly[0]]
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    squeeze = math.cos(math.radians((south + north) / 2))
    scale = MAP_WIDTH / max((east - west) * squeeze, 1e-9)
    height = (north - south) * scale

    def project(lon: float, lat: float) -> tuple[float, float]:
        return (lon - west) * squeeze * scale, (north - lat) * scale

    by_code = {v.region_id: v for v in ranked}
    bounds = _classes([v.value for v in ranked if v.region_id in shapes])
    colours = _colours(len(bounds), direction) if bounds else []
    members: dict[int, list[Decimal]] = {}
    regions = []
    for code, (name, shape) in sorted(shapes.items()):
        value = by_code.get(code)
        fill = NO_DATA
        if value is not None and bounds:
            index = _class_of(value.value, bounds)
            members.setdefault(index, []).append(value.value)
            fill = colours[index]
        regions.append(
            {
                "code": code,
                "name": name,
                "d": _svg_path(shape, project),
                "fill": fill,
                "display": f"{format_value(value.value)} {unit}" if value else _("no data"),
            }
        )
    outlines = []
    if level == RegionLevel.VILLAGE:
        # The kecamatan inside the area: all of the city's, a kecamatan office's own, none
        # for a kelurahan.
        outlines = [
            _svg_path(shape, project)
            for _code, (_name, shape) in sorted(_shapes(RegionLevel.DISTRICT, within).items())
        ]
    legend = [
        {
            "fill": colours[i],
            "low": format_value(min(members[i])),
            "high": format_value(max(members[i])),
        }
        for i in range(len(bounds))
        if i in members
    ]
    return {
        "viewbox": f"-2 -2 {MAP_WIDTH + 4} {height + 4:.1f}",
        "regions": regions,
        "outlines": outlines,
        "legend": legend,
        "no_data": NO_DATA,
        "missing": any(r["fill"] == NO_DATA for r in regions),
    }
