"""The kelurahan and desa of the city the platform serves (``settings.KOTACERDAS_REGION``).

"A kelurahan of this city" is one rule wherever a citizen or a clerk picks one: a region of the
village level (kelurahan or desa) whose Kemendagri code lies under the city's. The pickers,
the forms' checks and the lookups all ask here.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet

from kotacerdas.core.choices import RegionLevel
from kotacerdas.core.models import Region


def _prefix() -> str:
    return settings.KOTACERDAS_REGION + "."


def city_villages() -> QuerySet[Region]:
    """The city's kelurahan and desa, by name."""
    return Region.objects.filter(code__startswith=_prefix(), level=RegionLevel.VILLAGE).order_by(
        "name"
    )


def is_city_village(region: Region | None) -> bool:
    """Whether ``region`` is a kelurahan or desa of the city (no query)."""
    return (
        region is not None
        and region.level == RegionLevel.VILLAGE
        and region.code.startswith(_prefix())
    )


def city_village(code: str | None) -> Region | None:
    """The city's kelurahan or desa with this Kemendagri code, or None for an empty code, a
    code of no region, or a region that is not a village of the city."""
    code = (code or "").strip()
    if not code:
        return None
    return city_villages().filter(code=code).first()


def villages_by_district() -> list[tuple[str, list[Region]]]:
    """The city's kelurahan and desa grouped under the name of their kecamatan, both in the
    order of their codes, for the pickers; empty when the regions are not loaded."""
    regions = Region.objects.filter(
        code__startswith=_prefix(), level__in=[RegionLevel.DISTRICT, RegionLevel.VILLAGE]
    ).order_by("code")
    districts: dict[str, str] = {}
    grouped: dict[str, list[Region]] = {}
    for region in regions:
        if region.level == RegionLevel.DISTRICT:
            districts[region.code] = region.name
        else:
            grouped.setdefault(districts.get(region.parent_id or "", ""), []).append(region)
    return list(grouped.items())
