"""Who sees which part of the city on the dashboard.

Executives and administrators see the whole city. An officer of a kecamatan or kelurahan office
sees the figures located in their area (service requests, aid recipients, indicators) and their
own office's programmes and actions. Any other OPD officer sees their OPD's programmes, the
requests assigned to their OPD and their OPD's actions. The public page sees public figures of
the whole city. Everyone else (an assessor, a citizen) has no dashboard.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser

from kotacerdas.core import access
from kotacerdas.core.choices import Role
from kotacerdas.core.models import Opd, Region, User

CITY, AREA, OPD, PUBLIC = "city", "area", "opd", "public"


@dataclass(frozen=True)
class Scope:
    """A reader's part of the city: ``kind`` is CITY, AREA, OPD or PUBLIC; ``area`` the region
    code of an area office; ``opd`` the reader's OPD for AREA and OPD."""

    kind: str
    area: str | None = None
    opd: Opd | None = None

    @property
    def whole_city(self) -> bool:
        return self.kind in (CITY, PUBLIC)

    @property
    def public(self) -> bool:
        return self.kind == PUBLIC

    @property
    def sees_social_aid(self) -> bool:
        """The social-aid panel: for the city, an area office (its area's figures) and Dinas
        Sosial; not for another OPD."""
        return not (self.kind == OPD and self.opd_code != settings.BANSOS["OPD"])

    @property
    def sees_city_registry(self) -> bool:
        """The registry's city-wide figures (linkage runs, disbursements): the city's readers
        and Dinas Sosial."""
        return self.whole_city or (self.kind == OPD and self.opd_code == settings.BANSOS["OPD"])

    @property
    def region(self) -> str:
        """The region code the area figures cover: the area, else the city."""
        return self.area or settings.KOTACERDAS_REGION

    @property
    def opd_code(self) -> str | None:
        """The OPD whose programmes, services and actions the reader sees (None: all)."""
        return self.opd.code if self.opd is not None and not self.whole_city else None

    def label(self) -> str:
        if self.area:
            region = Region.objects.filter(code=self.area).first()
            return region.name if region else self.area
        if self.kind == OPD and self.opd is not None:
            return str(self.opd)
        region = Region.objects.filter(code=settings.KOTACERDAS_REGION).first()
        return region.name if region else settings.KOTACERDAS_REGION


PUBLIC_SCOPE = Scope(PUBLIC)


def scope_of(user: User | AnonymousUser) -> Scope | None:
    """The dashboard scope of ``user``, or None when they have no dashboard."""
    if access.is_administrator(user) or access.has_role(user, Role.EXECUTIVE):
        return Scope(CITY)
    if not access.has_role(user, Role.OPD_OFFICER) or user.opd is None:
        return None
    area = access.area_of(user)
    if area:
        return Scope(AREA, area=area, opd=user.opd)
    return Scope(OPD, opd=user.opd)


def can_run_meetings(user: User | AnonymousUser) -> bool:
    """Plan stat meetings, record their minutes and decisions, and make action items: the
    leadership and the Diskominfo team that runs the dashboard."""
    return access.is_administrator(user) or access.has_role(user, Role.EXECUTIVE)


def can_update_action(user: User | AnonymousUser, owner_id: int) -> bool:
    """Report progress on an action item: whoever runs meetings, and the owner OPD's officers."""
    if can_run_meetings(user):
        return True
    return access.has_role(user, Role.OPD_OFFICER) and user.opd_id == owner_id
