"""Areas of the Kemendagri region tree. A region lies within an area when its code is the
area's or starts with it: the kecamatan 35.71.02 takes in its kelurahan 35.71.02.1002. Every app
that limits what it shows to an area (an area office's queue and dashboard, the registry's
figures, the indicator maps) asks it here, in Python or as a database filter."""

from __future__ import annotations

import re

from django.db.models import Q

# What a region code typed into a filter may look like (PP, PP.RR, PP.RR.KK, PP.RR.KK.VVVV):
# anything else matches no region, and is not sent to the database.
REGION_CODE = re.compile(r"[0-9][0-9.]{0,12}")


def in_area(code: str, area: str) -> bool:
    """Whether the region ``code`` is ``area`` itself or lies within it."""
    return code == area or code.startswith(f"{area}.")


def within(field: str, area: str) -> Q:
    """Rows whose region code ``field`` lies within ``area``. ``field`` names a code: a code
    column (``kelurahan_code``) or a region's code across a relation (``region__code``,
    ``request__region__code``)."""
    return Q(**{field: area}) | Q(**{f"{field}__startswith": f"{area}."})
