"""The PECUT service desk JSON API: the catalogue, filing a request, the citizen's status link,
the staff's queues and every workflow step, and the working-day calendar.

Three kinds of caller use it:

- **Anyone**, with no account: read the service catalogue and the holidays, and file a request
  (``POST /requests``, limited per client address like the web form). A signed-in caller (token
  or session) files it under their account.
- **The citizen**, holding the secret of their status link: read their request as the status page
  shows it (public timeline entries only; never an internal note or anyone's contact details),
  confirm that it is done, or reopen it.
- **The staff** (a signed-in user with a role): the desk and the executives see every request, an
  OPD officer their OPD's queue once the desk has passed a request on. A request the user may not
  see answers 404, not 403, so its existence is not revealed. Contact details are masked; a user
  entitled to them reads them unmasked at ``/requests/{number}/contact``, and each look is
  recorded (UU 27/2022).

Writes call the domain functions of ``intake`` and ``workflow``, which decide who may do what now
and refuse with a ValidationError (422 naming the field; a request that cannot move from its
status, or that was merged into another, names ``status``) or PermissionDenied (403).

(No ``from __future__ import annotations`` here: django-ninja reads the annotations at import.)
"""

import datetime as dt
from typing import Annotated, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import BooleanField, ExpressionWrapper, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Header, Query, Router, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.pagination import paginate

from kotacerdas.core import access, regions
from kotacerdas.core.api_auth import ActiveSessionAuth, TokenAuth, signed_in
from kotacerdas.core.api_common import (
    ERRORS,
    READ_ERRORS,
    ApiPagination,
    FieldError,
    opd_by_code,
    region_by_code,
    staff_user,
)
from kotacerdas.core.models import User
from kotacerdas.core.personal import mask_email, mask_phone, record_access
from kotacerdas.core.ratelimit import client_address, hit, limit_for
from kotacerdas.core.schemas import ErrorOut
from kotacerdas.servicedesk import intake, rules, workflow
from kotacerdas.servicedesk.choices import OPEN_STATUSES, Category, Channel, EventKind
from kotacerdas.servicedesk.choices import Status as RequestStatus
from kotacerdas.servicedesk.models import (
    Holiday,
    RequestEvent,
    Service,
    ServiceAttribute,
    ServiceRequest,
)
from kotacerdas.servicedesk.schemas import (
    DeskAssignIn,
    DeskContactOut,
    DeskHolidayIn,
    DeskHolidayOut,
    DeskMergeIn,
    DeskRejectIn,
    DeskReopenIn,
    DeskRequestCreated,
    DeskRequestDetail,
    DeskRequestIn,
    DeskRequestOut,
    DeskResolveIn,
    DeskServiceDetail,
    DeskServiceOut,
    DeskStatusOut,
    DeskTransferIn,
    DeskUpdateIn,
)

router = Router(auth=signed_in)

# Public writes can also be refused for coming too often.
PUBLIC_WRITE_ERRORS = {**ERRORS, 429: ErrorOut}

# How ``intake`` names a field, and how this API's clients call it.
INTAKE_FIELDS = {
    "idempotency_key": "Idempotency-Key",
    "region": "kelurahan",
    "lat": "latitude",
    "long": "longitude",
    "address_string": "address",
}


def _renamed(error: DjangoValidationError, names: dict[str, str]) -> DjangoValidationError:
    """The domain's refusal with its fields named as the client sent them; the answers to a
    service's questions (``attribute[kerusakan]`` in the web form) as ``attributes.kerusakan``,
    the way the API names a place in the body."""
    if not hasattr(error, "error_dict"):
        return error
    renamed = {}
    for field, messages in error.error_dict.items():
        if field.startswith("attribute[") and field.endswith("]"):
            name = f"attributes.{field[len('attribute[') : -1]}"
        else:
            name = names.get(field, field)
        renamed[name] = messages
    return DjangoValidationError(renamed)


# The catalogue


class DeskServiceFilters(Schema):
    category: Category | None = None
    opd: str | None = None
    q: str | None = None


def _services() -> QuerySet[Service]:
    return Service.objects.filter(active=True).select_related("opd", "pillar")


@router.get(
    "/services",
    response={200: list[DeskServiceOut], **READ_ERRORS},
    auth=None,
    tags=["servicedesk"],
)
@paginate(ApiPagination)
def list_services(request: HttpRequest, filters: Query[DeskServiceFilters]) -> QuerySet[Service]:
    """The services and complaint categories that take requests, by category and then name,
    filtered by category, the code of the responsible OPD, and a search in the name,
    description and keywords. No account needed."""
    services = _services()
    if filters.category is not None:
        services = services.filter(category=filters.category)
    if filters.opd is not None:
        services = services.filter(opd=opd_by_code(filters.opd, "opd"))
    if filters.q:
        term = filters.q.strip()
        services = services.filter(
            Q(name__icontains=term) | Q(description__icontains=term) | Q(keywords__icontains=term)
        )
    return services.order_by("category", "name", "code")


@router.get(
    "/services/{code}",
    response={200: DeskServiceDetail, **READ_ERRORS},
    auth=None,
    tags=["servicedesk"],
)
def get_service(request: HttpRequest, code: str) -> Service:
    """One service with what a request for it needs: its questions (``attributes``), the
    requirements, the fee, the legal basis, the service standard time and the responsible OPD
    (a routing rule may send a request in some areas to another OPD, such as a kecamatan
    office). A service that no longer takes requests answers 404."""
    attributes = ServiceAttribute.objects.order_by("order", "code")
    return get_object_or_404(
        _services().prefetch_related(Prefetch("attributes", queryset=attributes)), code=code
    )


# Filing a request


def _caller(request: HttpRequest) -> User | None:
    """The account a public submission is filed under: the token's user, or the signed-in
    session's (whose unsafe requests need the CSRF token, as on every signed-in write), else
    none. A token that is wrong is refused rather than ignored, so a client never files
    anonymously by mistake."""
    if "Authorization" in request.headers:
        user = TokenAuth()(request)
        if user is None:
            raise AuthenticationError
        return user
    if request.user.is_authenticated:
        return ActiveSessionAuth()(request)
    return None


IdempotencyKey = Annotated[
    str | None,
    Header(
        None,
        alias="Idempotency-Key",
        max_length=255,
        description="any unique string, e.g. a UUID: a retry with the same key gets the "
        "request the first attempt made (200) instead of a second one",
    ),
]


@router.post(
    "/requests",
    response={200: DeskRequestCreated, 201: DeskRequestCreated, **PUBLIC_WRITE_ERRORS},
    auth=None,
    tags=["servicedesk"],
)
def submit_request(
    request: HttpRequest, payload: DeskRequestIn, idempotency_key: IdempotencyKey = None
) -> Any:
    """File a request or complaint (no account needed; a signed-in caller's token or session
    files it under their account). The answer is 201 with the tracking number, the status, the
    deadline and the citizen's secret status link; give that link to the citizen and to no one
    else. Every problem is a 422 naming its field (an answer to the service's questions as
    ``attributes.<code>``).

    Send an ``Idempotency-Key`` header to retry safely: a retry with the same key answers 200
    with the request the first attempt made. Reusing a key for a different request is a 422.

    Photos are taken by the web form only (it re-encodes them to strip their location); here
    give a ``media_url`` instead. Submissions are limited per client address (429)."""
    if not hit("api_submit", client_address(request), limit_for("public_write")):
        raise HttpError(429, _("Too many requests from this address; try again later."))
    account = _caller(request)
    service = Service.objects.filter(code=payload.service_code).first()
    if service is None:
        raise FieldError("service_code", _("No service has this code."))
    region = region_by_code(payload.kelurahan, "kelurahan") if payload.kelurahan else None
    new = intake.NewRequest(
        service=service,
        description=payload.description,
        region=region,
        latitude=payload.latitude,
        longitude=payload.longitude,
        address_string=payload.address,
        first_name=payload.first_name,
        last_name=payload.last_name,
        phone=payload.phone,
        email=payload.email,
        anonymous=payload.anonymous,
        attributes=dict(payload.attributes),
        media_url=payload.media_url,
        channel=Channel.API,
        account=account,
        idempotency_key=idempotency_key or "",
    )
    try:
        filed, created = intake.submit_request(new)
    except DjangoValidationError as error:
        raise _renamed(error, INTAKE_FIELDS) from None
    body = {
        "number": filed.number,
        "status": filed.status,
        "due_at": filed.due_at,
        "status_url": workflow.status_link(filed),
    }
    return Status(201 if created else 200, body)


# The citizen's status link


def _by_secret(secret: str) -> ServiceRequest:
    found = intake.find_by_secret(secret)
    if found is None:
        raise Http404
    return found


def _can_reopen(found: ServiceRequest, now: dt.datetime) -> bool:
    # The same conditions as workflow.reopen, so a client offers the button only when it works.
    if found.merged_into_id is not None or found.resolved_at is None:
        return False
    if found.status not in (RequestStatus.RESOLVED, RequestStatus.CLOSED):
        return False
    return now <= found.resolved_at + dt.timedelta(days=settings.SERVICEDESK["REOPEN_DAYS"])


def _status_view(found: ServiceRequest) -> dict[str, Any]:
    """The request as its citizen sees it. A merged duplicate follows its main request: the
    main's status, deadline and OPD, and the main's public entries since the merge, except those
    its citizen wrote (a reopening's reason is theirs, not this citizen's to read)."""
    main = found.main
    public = RequestEvent.objects.filter(public=True).exclude(kind=EventKind.NOTE)
    events = list(public.filter(request=found))
    if main.pk != found.pk:
        merged = [event.at for event in events if event.kind == EventKind.MERGE]
        since = merged[-1] if merged else found.submitted_at
        events += public.filter(request=main, at__gte=since).exclude(kind=EventKind.REOPEN)
        events.sort(key=lambda event: (event.at, event.pk))
    return {
        "number": found.number,
        "service": found.service.code,
        "service_name": found.service.name,
        "category": found.service.category,
        "status": main.status,
        "submitted_at": found.submitted_at,
        "due_at": main.due_at,
        "opd": main.opd.code,
        "opd_name": main.opd.name,
        "merged_into": main.number if main.pk != found.pk else None,
        "can_confirm": found.merged_into_id is None and found.status == RequestStatus.RESOLVED,
        "can_reopen": _can_reopen(found, timezone.now()),
        "events": [
            {
                "at": event.at,
                "kind": event.kind,
                "status": event.to_status or None,
                "text": event.text,
            }
            for event in events
        ],
    }


@router.get(
    "/status/{secret}",
    response={200: DeskStatusOut, **READ_ERRORS},
    auth=None,
    tags=["servicedesk status link"],
)
def get_status(request: HttpRequest, secret: str) -> dict[str, Any]:
    """The request behind a status link, as the citizen's status page shows it: the number, the
    service, the status, the deadline, the OPD handling it and the public timeline (status
    changes with the OPD's answer or reason, public updates, transfers). Internal notes and
    contact details are never part of it. An unknown secret answers 404."""
    return _status_view(_by_secret(secret))


@router.post(
    "/status/{secret}/confirm",
    response={200: DeskStatusOut, **ERRORS},
    auth=None,
    tags=["servicedesk status link"],
)
def confirm_request(request: HttpRequest, secret: str) -> dict[str, Any]:
    """The citizen confirms that a resolved request is done: it closes. Anything but a resolved
    request (or one merged into another) is a 422 naming ``status``."""
    found = _by_secret(secret)
    workflow.close(found)
    return _status_view(_by_secret(secret))


@router.post(
    "/status/{secret}/reopen",
    response={200: DeskStatusOut, **ERRORS},
    auth=None,
    tags=["servicedesk status link"],
)
def reopen_request(request: HttpRequest, secret: str, payload: DeskReopenIn) -> dict[str, Any]:
    """The citizen says the problem remains (``reason``), within the reopening period after the
    resolution: the request goes back to its OPD with a new deadline."""
    found = _by_secret(secret)
    workflow.reopen(found, payload.reason)
    return _status_view(_by_secret(secret))


# The staff's queues


def _with_overdue(requests: QuerySet[ServiceRequest]) -> QuerySet[ServiceRequest]:
    """``is_overdue``: still owed an answer (open and not merged) and past its deadline."""
    late = Q(status__in=OPEN_STATUSES, merged_into__isnull=True, due_at__lt=timezone.now())
    return requests.annotate(is_overdue=ExpressionWrapper(late, output_field=BooleanField()))


class DeskRequestFilters(Schema):
    status: RequestStatus | None = None
    opd: str | None = None
    service: str | None = None
    kelurahan: str | None = None
    submitted_from: dt.date | None = None
    submitted_to: dt.date | None = None
    overdue: bool | None = None


@router.get("/requests", response={200: list[DeskRequestOut], **READ_ERRORS}, tags=["servicedesk"])
@paginate(ApiPagination)
def list_requests(
    request: HttpRequest, filters: Query[DeskRequestFilters]
) -> QuerySet[ServiceRequest]:
    """The requests you may see, the newest first: every request for the desk and the
    executives, an OPD officer's own OPD's queue and, for a kecamatan or kelurahan office, the
    requests located in its area (read only; once the desk has assigned them). Filtered by
    status, OPD code, service code, region code (a kelurahan, or a kecamatan for all of its
    kelurahan), submission dates (local dates, both inclusive) and whether they are overdue."""
    user = staff_user(request)
    requests = _with_overdue(rules.visible_requests(user).select_related("merged_into"))
    if filters.status is not None:
        requests = requests.filter(status=filters.status)
    if filters.opd is not None:
        requests = requests.filter(opd=opd_by_code(filters.opd, "opd"))
    if filters.service is not None:
        if not Service.objects.filter(code=filters.service).exists():
            raise FieldError("service", _("No service has this code."))
        requests = requests.filter(service__code=filters.service)
    if filters.kelurahan is not None:
        area = region_by_code(filters.kelurahan, "kelurahan").code
        requests = requests.filter(regions.within("region__code", area))
    if filters.submitted_from is not None:
        requests = requests.filter(submitted_at__date__gte=filters.submitted_from)
    if filters.submitted_to is not None:
        requests = requests.filter(submitted_at__date__lte=filters.submitted_to)
    if filters.overdue is not None:
        requests = requests.filter(is_overdue=filters.overdue)
    return requests.order_by("-submitted_at", "-pk")


def _visible(user: User, number: str) -> ServiceRequest:
    """The request numbered ``number`` if ``user`` may see it; 404 otherwise."""
    return get_object_or_404(rules.visible_requests(user), number=number)


def _masked_contact(user: User, found: ServiceRequest) -> dict[str, Any]:
    """The contact as every reader of the request sees it: masked, and for an anonymous
    complaint not at all unless the reader is the desk. A kecamatan or kelurahan office
    reading a request of its area that is not in its own queue sees none of it."""
    reads_area_only = not (rules.reads_all(user) or rules.works_on(user, found))
    if reads_area_only or (found.anonymous and not rules.is_desk(user)):
        return {
            "anonymous": found.anonymous,
            "hidden": True,
            "name": None,
            "phone": None,
            "email": None,
        }
    return {
        "anonymous": found.anonymous,
        "hidden": False,
        "name": f"{found.first_name[0]}." if found.first_name else "",
        "phone": mask_phone(found.phone) if found.phone else "",
        "email": mask_email(found.email) if found.email else "",
    }


def _detail(user: User, pk: int) -> ServiceRequest:
    """The request with its timeline (internal notes included), duplicates and photo count, and
    the contact as ``user`` may see it."""
    events = RequestEvent.objects.select_related("opd", "actor")
    found = (
        _with_overdue(ServiceRequest.objects.select_related("service", "opd", "region"))
        .select_related("merged_into")
        .prefetch_related(
            Prefetch("events", queryset=events),
            Prefetch("duplicates", queryset=ServiceRequest.objects.order_by("pk")),
        )
        .get(pk=pk)
    )
    # What the contact looks like depends on the reader, so it is decided here, with the rules,
    # rather than in the schema.
    found.contact = _masked_contact(user, found)
    found.can_see_contact = rules.sees_contact(user, found)
    return found


@router.get(
    "/requests/{number}",
    response={200: DeskRequestDetail, **READ_ERRORS},
    tags=["servicedesk"],
)
def get_request(request: HttpRequest, number: str) -> ServiceRequest:
    """One request with its whole timeline (internal notes included), its duplicates and the
    number of photos. The contact is masked; ``can_see_contact`` says whether you may read it at
    ``/requests/{number}/contact``."""
    user = staff_user(request)
    return _detail(user, _visible(user, number).pk)


@router.get(
    "/requests/{number}/contact",
    response={200: DeskContactOut, **READ_ERRORS},
    tags=["servicedesk"],
)
def get_contact(request: HttpRequest, number: str) -> dict[str, str]:
    """The citizen's contact details unmasked, for the desk and, unless the complaint is
    anonymous, the OPD handling it; others get 403. Every answer is recorded as a view of
    personal data."""
    user = staff_user(request)
    found = _visible(user, number)
    if not rules.sees_contact(user, found):
        raise PermissionDenied(_("You may not see who filed this request."))
    record_access(user, found, ["phone", "email", "name"], "view")
    return {
        "first_name": found.first_name,
        "last_name": found.last_name,
        "phone": found.phone,
        "email": found.email,
    }


# The staff's steps. Each answers the request's detail afterwards, even when the step took it
# out of the user's queue (a transfer to another OPD): the user has just seen it.


@router.post(
    "/requests/{number}/verify", response={200: DeskRequestDetail, **ERRORS}, tags=["servicedesk"]
)
def verify_request(request: HttpRequest, number: str) -> ServiceRequest:
    """The desk has read the request and finds it one the city should answer."""
    user = staff_user(request)
    found = workflow.verify(user, _visible(user, number))
    return _detail(user, found.pk)


@router.post(
    "/requests/{number}/assign", response={200: DeskRequestDetail, **ERRORS}, tags=["servicedesk"]
)
def assign_request(
    request: HttpRequest, number: str, payload: DeskAssignIn | None = None
) -> ServiceRequest:
    """The desk passes the request to an OPD (``opd``; by default the one routing proposed),
    verifying it first if it was not yet."""
    user = staff_user(request)
    found = _visible(user, number)
    opd = opd_by_code(payload.opd, "opd") if payload is not None and payload.opd else None
    workflow.assign(user, found, opd)
    return _detail(user, found.pk)


@router.post(
    "/requests/{number}/start", response={200: DeskRequestDetail, **ERRORS}, tags=["servicedesk"]
)
def start_request(request: HttpRequest, number: str) -> ServiceRequest:
    """The assigned OPD has begun work."""
    user = staff_user(request)
    found = workflow.start(user, _visible(user, number))
    return _detail(user, found.pk)


@router.post(
    "/requests/{number}/resolve", response={200: DeskRequestDetail, **ERRORS}, tags=["servicedesk"]
)
def resolve_request(request: HttpRequest, number: str, payload: DeskResolveIn) -> ServiceRequest:
    """The OPD has done what was asked and tells the citizen how (``answer``, public); the
    deadline clock stops."""
    user = staff_user(request)
    found = workflow.resolve(user, _visible(user, number), payload.answer)
    return _detail(user, found.pk)


@router.post(
    "/requests/{number}/close", response={200: DeskRequestDetail, **ERRORS}, tags=["servicedesk"]
)
def close_request(request: HttpRequest, number: str) -> ServiceRequest:
    """Close a resolved request without waiting for the citizen's confirmation (the desk or the
    OPD handling it)."""
    user = staff_user(request)
    found = _visible(user, number)
    workflow.close(found, actor=user)
    return _detail(user, found.pk)


@router.post(
    "/requests/{number}/reject", response={200: DeskRequestDetail, **ERRORS}, tags=["servicedesk"]
)
def reject_request(request: HttpRequest, number: str, payload: DeskRejectIn) -> ServiceRequest:
    """The desk will not handle the request; the ``reason`` is shown to the citizen."""
    user = staff_user(request)
    found = workflow.reject(user, _visible(user, number), payload.reason)
    return _detail(user, found.pk)


@router.post(
    "/requests/{number}/transfer",
    response={200: DeskRequestDetail, **ERRORS},
    tags=["servicedesk"],
)
def transfer_request(request: HttpRequest, number: str, payload: DeskTransferIn) -> ServiceRequest:
    """Pass an assigned request to another OPD (``opd``), saying why (``reason``, an internal
    note; the citizen sees only which OPD handles it now)."""
    user = staff_user(request)
    found = _visible(user, number)
    workflow.transfer(user, found, opd_by_code(payload.opd, "opd"), payload.reason)
    return _detail(user, found.pk)


@router.post(
    "/requests/{number}/updates",
    response={200: DeskRequestDetail, **ERRORS},
    tags=["servicedesk"],
)
def add_update(request: HttpRequest, number: str, payload: DeskUpdateIn) -> ServiceRequest:
    """Write to the citizen (``public`` true; the reporters of merged duplicates get it too) or
    leave an internal note for the staff (``public`` false)."""
    user = staff_user(request)
    found = _visible(user, number)
    workflow.add_update(user, found, payload.text, payload.public)
    return _detail(user, found.pk)


@router.post(
    "/requests/{number}/merge", response={200: DeskRequestDetail, **ERRORS}, tags=["servicedesk"]
)
def merge_request(request: HttpRequest, number: str, payload: DeskMergeIn) -> ServiceRequest:
    """The desk merges a duplicate into the main request (``into``): it leaves the queues and
    follows the main one, whose public updates now reach both citizens."""
    user = staff_user(request)
    duplicate = _visible(user, number)
    main = rules.visible_requests(user).filter(number=payload.into).first()
    if main is None:
        raise FieldError("into", _("No request has this number."))
    try:
        workflow.merge(user, duplicate, main)
    except DjangoValidationError as error:
        raise _renamed(error, {"main": "into", "duplicate": "status"}) from None
    return _detail(user, duplicate.pk)


# The working-day calendar


@router.get(
    "/holidays",
    response={200: list[DeskHolidayOut], **READ_ERRORS},
    auth=None,
    tags=["servicedesk calendar"],
)
@paginate(ApiPagination)
def list_holidays(request: HttpRequest, year: int | None = None) -> QuerySet[Holiday]:
    """The days besides weekends that the offices are closed (national holidays, joint leave
    days, local days off), in date order, of one ``year`` or all. Deadlines skip them."""
    holidays = Holiday.objects.all()
    if year is not None:
        holidays = holidays.filter(date__year=year)
    return holidays.order_by("date")


def _administrator(request: HttpRequest) -> User:
    user = staff_user(request)
    if not access.is_administrator(user):
        raise PermissionDenied(_("Only administrators keep the holiday calendar."))
    return user


@router.post("/holidays", response={201: DeskHolidayOut, **ERRORS}, tags=["servicedesk calendar"])
def add_holiday(request: HttpRequest, payload: DeskHolidayIn) -> Any:
    """Add a day off (administrators), such as a joint leave day decreed later in the year or a
    local one. Deadlines computed from now on skip it; those already set stay as they are. A
    date that already is a day off is a 422 naming ``date``."""
    _administrator(request)
    name = payload.name.strip()
    if not name:
        raise FieldError("name", _("Name the day off."))
    if Holiday.objects.filter(date=payload.date).exists():
        raise FieldError("date", _("This date already is a day off."))
    try:
        with transaction.atomic():
            holiday = Holiday.objects.create(date=payload.date, name=name, kind=payload.kind)
    except IntegrityError:  # added at the same moment by another administrator
        raise FieldError("date", _("This date already is a day off.")) from None
    return Status(201, holiday)


@router.delete("/holidays/{date}", response={204: None, **ERRORS}, tags=["servicedesk calendar"])
def delete_holiday(request: HttpRequest, date: dt.date) -> Any:
    """Remove a day off (administrators), such as a holiday the government moved. Deadlines
    already set stay as they are."""
    _administrator(request)
    get_object_or_404(Holiday, date=date).delete()
    return Status(204, None)
