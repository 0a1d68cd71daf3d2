"""Who may see and do what at the service desk.

The desk (administrators and the officers of the desk OPD, Diskominfo by default) triages every
new request and sees them all; an OPD officer sees and works only their OPD's queue; executives
read everything and change nothing. An officer of a kecamatan or kelurahan office
(``access.area_of``) also reads, without acting on them, the requests located in the area the
office serves (a kecamatan office: its kelurahan too), once the desk has passed them on, and
never sees who filed those. Contact details of an anonymous complaint are hidden from the OPD.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from kotacerdas.core import access, regions
from kotacerdas.core.choices import Role
from kotacerdas.core.models import User
from kotacerdas.servicedesk.choices import Status
from kotacerdas.servicedesk.models import Service, ServiceRequest

AnyUser = User | AnonymousUser


def is_desk(user: AnyUser) -> bool:
    """Triage staff: administrators and officers of the desk OPD."""
    return access.is_administrator(user) or access.is_officer_of(
        user, settings.SERVICEDESK["DESK_OPD"]
    )


def reads_all(user: AnyUser) -> bool:
    """The desk and the executives see every request."""
    return is_desk(user) or access.has_role(user, Role.EXECUTIVE)


def works_on(user: AnyUser, request: ServiceRequest) -> bool:
    """An officer of the OPD the request is assigned to."""
    return access.has_role(user, Role.OPD_OFFICER) and user.opd_id == request.opd_id


# Requests the desk has not passed on yet: only the desk (and the executives) see them.
UNTRIAGED = (Status.SUBMITTED, Status.VERIFIED)


def reads_in_area(user: AnyUser, request: ServiceRequest) -> bool:
    """An officer of a kecamatan or kelurahan office reading a request located in their area,
    once the desk has passed it on. Reading only: acting stays with ``works_on``."""
    area = access.area_of(user)
    return (
        area is not None
        and request.region_id is not None
        and regions.in_area(request.region_id, area)
        and request.status not in UNTRIAGED
    )


def can_view(user: AnyUser, request: ServiceRequest) -> bool:
    return reads_all(user) or works_on(user, request) or reads_in_area(user, request)


def visible_requests(user: AnyUser) -> QuerySet[ServiceRequest]:
    """The requests ``user`` may see: all for the desk and executives; for an OPD officer
    their OPD's own queue and, for an officer of a kecamatan or kelurahan office, the requests
    located in its area too (in both cases only once the desk has passed a request on); none
    for anyone else."""
    requests = ServiceRequest.objects.select_related("service", "opd", "region")
    if reads_all(user):
        return requests
    if access.has_role(user, Role.OPD_OFFICER) and user.opd_id is not None:
        mine = Q(opd_id=user.opd_id)
        area = access.area_of(user)
        if area is not None:
            mine |= regions.within("region__code", area)
        return requests.filter(mine).exclude(status__in=UNTRIAGED)
    return requests.none()


def sees_contact(user: AnyUser, request: ServiceRequest) -> bool:
    """Whether ``user`` may ask to see the citizen's contact details (always masked until they
    ask, and each look recorded): the desk always; the OPD unless the complaint is anonymous.
    A kecamatan or kelurahan office reading a request of its area that is not in its own
    queue never does."""
    if is_desk(user):
        return True
    return works_on(user, request) and not request.anonymous


def can_manage_service(user: AnyUser, service: Service | None = None) -> bool:
    """Administrators keep the whole catalogue; an OPD officer their own OPD's services."""
    if access.is_administrator(user):
        return True
    return (
        service is not None
        and access.has_role(user, Role.OPD_OFFICER)
        and user.opd_id == service.opd_id
    )
