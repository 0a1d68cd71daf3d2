"""The core JSON API: regions, pillars, OPDs and the signed-in user.

(No ``from __future__ import annotations`` here: django-ninja reads the annotations at import.)
"""

import re
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from kotacerdas.core import access
from kotacerdas.core.api_auth import signed_in
from kotacerdas.core.api_common import (
    ERRORS,
    ApiPagination,
    FieldError,
    opd_by_code,
    region_by_code,
)
from kotacerdas.core.choices import OpdKind, RegionLevel
from kotacerdas.core.models import Opd, Pillar, Region
from kotacerdas.core.opds import update_opd
from kotacerdas.core.schemas import (
    CODE_PATTERN,
    ErrorOut,
    MeOut,
    OpdOut,
    OpdPatch,
    PillarOut,
    RegionOut,
)

router = Router()


class RegionFilters(Schema):
    parent: str | None = None
    level: RegionLevel | None = None
    q: str | None = None


@router.get("/regions", response=list[RegionOut], tags=["regions"])
@paginate(ApiPagination)
def list_regions(request: HttpRequest, filters: Query[RegionFilters]) -> QuerySet[Region]:
    """Kemendagri regions, filtered by parent code (e.g. ``35.71`` for Kota Kediri's
    kecamatan), level, and a search in the name."""
    regions = Region.objects.all()
    if filters.parent is not None:
        if not Region.objects.filter(code=filters.parent).exists():
            raise FieldError("parent", f"no region has code {filters.parent!r}")
        regions = regions.filter(parent_id=filters.parent)
    if filters.level is not None:
        regions = regions.filter(level=filters.level)
    if filters.q:
        regions = regions.filter(name__icontains=filters.q.strip())
    return regions


@router.get("/regions/{code}", response={200: RegionOut, **ERRORS}, tags=["regions"])
def get_region(request: HttpRequest, code: str) -> Region:
    """One region by its Kemendagri code."""
    if not re.match(CODE_PATTERN, code):
        raise FieldError("code", "a region code looks like 35, 35.71, 35.71.01 or 35.71.01.1001")
    return get_object_or_404(Region, code=code)


@router.get("/pillars", response=list[PillarOut], tags=["pillars"])
def list_pillars(request: HttpRequest) -> QuerySet[Pillar]:
    """The six smart city pillars, in the programme's order."""
    return Pillar.objects.all()


@router.get("/pillars/{code}", response={200: PillarOut, **ERRORS}, tags=["pillars"])
def get_pillar(request: HttpRequest, code: str) -> Pillar:
    return get_object_or_404(Pillar, code=code)


class OpdFilters(Schema):
    kind: OpdKind | None = None
    q: str | None = None
    active: bool | None = None


@router.get("/opds", response=list[OpdOut], tags=["opds"])
@paginate(ApiPagination)
def list_opds(request: HttpRequest, filters: Query[OpdFilters]) -> QuerySet[Opd]:
    """The regional government units (OPDs), filtered by kind, a search in the name, or
    whether they are active."""
    opds = Opd.objects.select_related("parent")
    if filters.kind is not None:
        opds = opds.filter(kind=filters.kind)
    if filters.active is not None:
        opds = opds.filter(active=filters.active)
    if filters.q:
        term = filters.q.strip()
        opds = opds.filter(Q(name__icontains=term) | Q(short_name__icontains=term))
    return opds


@router.get("/opds/{code}", response={200: OpdOut, **ERRORS}, tags=["opds"])
def get_opd(request: HttpRequest, code: str) -> Opd:
    return get_object_or_404(Opd.objects.select_related("parent"), code=code)


@router.patch("/opds/{code}", response={200: OpdOut, **ERRORS}, auth=signed_in, tags=["opds"])
def patch_opd(request: HttpRequest, code: str, payload: OpdPatch) -> Opd:
    """Change an OPD. Administrators may change any field; an OPD officer only the contact
    fields (head_title, email, phone, address, website) of their own OPD."""
    opd = get_object_or_404(Opd, code=code)
    changes: dict[str, Any] = payload.dict(exclude_unset=True)
    if not access.editable_opd_fields(request.auth, opd):
        raise PermissionDenied("You may not change this OPD.")
    if changes.get("region") is not None:
        changes["region"] = region_by_code(changes["region"], "region")
    if changes.get("parent") is not None:
        changes["parent"] = opd_by_code(changes["parent"], "parent")
    return update_opd(request.auth, opd, changes)


@router.get("/me", response={200: MeOut, 401: ErrorOut}, auth=signed_in, tags=["accounts"])
def me(request: HttpRequest) -> dict[str, Any]:
    """The user the request is authenticated as, with their roles and OPD."""
    user = request.auth
    return {
        "username": user.username,
        "full_name": user.get_full_name(),
        "email": user.email,
        "roles": sorted(role.value for role in access.roles_of(user)),
        "opd": user.opd.code if user.opd_id else None,
    }
