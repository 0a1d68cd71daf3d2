"""Template context shared by every page."""

from __future__ import annotations

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest

from kotacerdas import __version__
from kotacerdas.core.access import is_administrator, is_staff_member
from kotacerdas.core.models import Region

_region_names: dict[str, str] = {}


def region_name(code: str) -> str:
    """The deployment region's name, remembered once found (names change only with a new
    Kemendagri edition). Falls back to the code, so error pages render even without a database.
    """
    if code not in _region_names:
        try:
            region = Region.objects.filter(code=code).only("name").first()
        except DatabaseError:
            return code
        if region is None:
            return code
        _region_names[code] = region.name
    return _region_names[code]


def platform(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    return {
        "platform_version": __version__,
        "deployment_region_code": settings.KOTACERDAS_REGION,
        "deployment_region_name": region_name(settings.KOTACERDAS_REGION),
        "user_is_staff_member": bool(user) and is_staff_member(user),
        "user_is_administrator": bool(user) and is_administrator(user),
    }
