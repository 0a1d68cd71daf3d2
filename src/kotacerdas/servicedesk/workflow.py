"""A request's way through the desk, one named function per step:

    submitted -> verified -> assigned -> in progress -> resolved -> closed
                      \\-> rejected        (transferred: assigned to another OPD)
    resolved/closed -> reopened (assigned again, with a new deadline)

The desk (Diskominfo) verifies, assigns, rejects and merges duplicates; the assigned OPD starts,
resolves and transfers; the citizen confirms (closes) or reopens through their status link, and
a resolved request closes by itself after ``AUTO_CLOSE_DAYS``. Every step is one transaction,
re-reads the request under a lock (two clerks acting at once see each other's result), writes a
timeline event, lands in the audit trail, and notifies after commit. Refusals are
ValidationError naming the field, or PermissionDenied.

Public updates reach the citizen (and the reporters of merged duplicates); internal notes stay
among staff.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.core.audit import acting_as, records_actor
from kotacerdas.core.models import Opd, User
from kotacerdas.servicedesk import notify, rules, sla
from kotacerdas.servicedesk.choices import OPEN_STATUSES, EventKind, Status
from kotacerdas.servicedesk.models import RequestEvent, ServiceRequest

# ---------------------------------------------------------------------------------------------
# Notifications


def status_link(request: ServiceRequest) -> str:
    """The citizen's secret status link."""
    path = reverse("servicedesk-public:status", kwargs={"secret": request.access_secret})
    return settings.KOTACERDAS_PUBLIC_URL + path


def citizen_messages(
    request: ServiceRequest, subject: str, body: str, with_duplicates: bool = True
) -> list[notify.Message]:
    """One message to the citizen behind ``request`` and to each reporter of a request merged
    into it, each with their own status link."""
    reporters = [request, *request.duplicates.all()] if with_duplicates else [request]
    return [
        notify.Message(
            subject=subject,
            body=f"{body}\n\n{status_link(r)}",
            email=r.email,
            phone=r.phone,
        )
        for r in reporters
        if r.email or r.phone
    ]


def staff_messages(opd: Opd, subject: str, body: str, head: bool = False) -> list[notify.Message]:
    """A message to each active officer of ``opd`` with an e-mail address, and with ``head`` to
    the office's own address too (the head of the OPD reads it)."""
    addresses = set(
        opd.officers.filter(is_active=True).exclude(email="").values_list("email", flat=True)
    )
    if head and opd.email:
        addresses.add(opd.email)
    return [notify.Message(subject=subject, body=body, email=a) for a in sorted(addresses)]


# ---------------------------------------------------------------------------------------------
# Steps


def _locked(request: ServiceRequest) -> ServiceRequest:
    fresh = ServiceRequest.objects.select_for_update().get(pk=request.pk)
    for name in (
        "status",
        "opd_id",
        "merged_into_id",
        "due_at",
        "assigned_at",
        "resolved_at",
        "closed_at",
        "reopened",
        "warned_at",
        "escalated_at",
    ):
        setattr(request, name, getattr(fresh, name))
    return request


def _event(
    request: ServiceRequest,
    kind: str,
    actor: User | None,
    at: dt.datetime,
    text: str = "",
    public: bool = False,
    from_status: str = "",
    to_status: str = "",
) -> RequestEvent:
    return RequestEvent.objects.create(
        request=request,
        kind=kind,
        actor=actor,
        at=at,
        text=text,
        public=public,
        from_status=from_status,
        to_status=to_status,
        opd=request.opd,
    )


def _move(
    request: ServiceRequest,
    to: str,
    actor: User | None,
    at: dt.datetime,
    allowed_from: Iterable[str],
    text: str = "",
    extra_fields: Iterable[str] = (),
) -> None:
    if request.merged_into_id is not None:
        raise ValidationError(
            {
                "status": _("This request was merged into %(main)s; work on that one.")
                % {"main": request.merged_into}
            }
        )
    if request.status not in allowed_from:
        raise ValidationError(
            {
                "status": _("A request that is %(status)s cannot become %(to)s.")
                % {"status": Status(request.status).label, "to": Status(to).label}
            }
        )
    before = request.status
    request.status = to
    request.save(update_fields=["status", "updated_at", *extra_fields])
    _event(request, EventKind.STATUS, actor, at, text, True, before, to)


def _now(at: dt.datetime | None) -> dt.datetime:
    return at or timezone.now()


def _require(text: str, field: str, message: str) -> str:
    text = text.strip()
    if not text:
        raise ValidationError({field: message})
    return text


@records_actor
@transaction.atomic
def verify(actor: User, request: ServiceRequest, at: dt.datetime | None = None) -> ServiceRequest:
    """The desk has read the request and finds it one the city should answer."""
    if not rules.is_desk(actor):
        raise PermissionDenied(_("Only the service desk verifies requests."))
    _locked(request)
    _move(request, Status.VERIFIED, actor, _now(at), [Status.SUBMITTED])
    return request


@records_actor
@transaction.atomic
def assign(
    actor: User, request: ServiceRequest, opd: Opd | None = None, at: dt.datetime | None = None
) -> ServiceRequest:
    """The desk passes the request to ``opd`` (by default the OPD routing proposed); an
    unverified request is verified in the same step."""
    if not rules.is_desk(actor):
        raise PermissionDenied(_("Only the service desk assigns requests."))
    now = _now(at)
    _locked(request)
    if request.status == Status.SUBMITTED:
        _move(request, Status.VERIFIED, actor, now, [Status.SUBMITTED])
    if opd is not None:
        if not opd.active:
            raise ValidationError({"opd": _("This OPD is no longer active.")})
        request.opd = opd
    request.assigned_at = now
    _move(
        request,
        Status.ASSIGNED,
        actor,
        now,
        [Status.VERIFIED],
        text=str(request.opd),
        extra_fields=["opd", "assigned_at"],
    )
    notify.send_after_commit(
        staff_messages(
            request.opd,
            _("New request %(number)s for %(opd)s")
            % {"number": request.number, "opd": request.opd},
            _("%(service)s, due %(due)s.")
            % {
                "service": request.service,
                "due": timezone.localtime(request.due_at).strftime("%d %b %Y %H:%M WIB"),
            },
        )
    )
    return request


def _check_works_on(actor: User, request: ServiceRequest) -> None:
    if not (rules.works_on(actor, request) or rules.is_desk(actor)):
        raise PermissionDenied(_("This request is not in your OPD's queue."))


@records_actor
@transaction.atomic
def start(actor: User, request: ServiceRequest, at: dt.datetime | None = None) -> ServiceRequest:
    """The assigned OPD has begun work."""
    _locked(request)
    _check_works_on(actor, request)
    _move(request, Status.IN_PROGRESS, actor, _now(at), [Status.ASSIGNED])
    return request


@records_actor
@transaction.atomic
def resolve(
    actor: User, request: ServiceRequest, answer: str, at: dt.datetime | None = None
) -> ServiceRequest:
    """The OPD has done what was asked and tells the citizen how (``answer``, public). The SLA
    clock stops here; the citizen may confirm, rate or reopen."""
    answer = _require(answer, "answer", _("Tell the citizen what was done."))
    now = _now(at)
    _locked(request)
    _check_works_on(actor, request)
    request.resolved_at = now
    _move(
        request,
        Status.RESOLVED,
        actor,
        now,
        [Status.ASSIGNED, Status.IN_PROGRESS],
        text=answer,
        extra_fields=["resolved_at"],
    )
    notify.send_after_commit(
        citizen_messages(
            request,
            _("Your request %(number)s has been resolved") % {"number": request.number},
            _(
                "%(answer)s\n\nPlease confirm and rate the service, or reopen the request "
                "within %(days)s days if the problem remains:"
            )
            % {"answer": answer, "days": settings.SERVICEDESK["REOPEN_DAYS"]},
        )
    )
    return request


@transaction.atomic
def close(
    request: ServiceRequest, actor: User | None = None, at: dt.datetime | None = None
) -> ServiceRequest:
    """The request is finished: the citizen confirmed (``actor`` None, through the status link),
    staff closed it, or it closed by itself after ``AUTO_CLOSE_DAYS``."""
    if actor is not None:
        _check_works_on(actor, request)
        with acting_as(actor):
            return _close(request, actor, at)
    return _close(request, None, at)


def _close(request: ServiceRequest, actor: User | None, at: dt.datetime | None) -> ServiceRequest:
    _locked(request)
    now = _now(at)
    request.closed_at = now
    _move(request, Status.CLOSED, actor, now, [Status.RESOLVED], extra_fields=["closed_at"])
    return request


@records_actor
@transaction.atomic
def reject(
    actor: User, request: ServiceRequest, reason: str, at: dt.datetime | None = None
) -> ServiceRequest:
    """The desk will not handle the request (not the city's competence, spam, no detail); the
    reason is shown to the citizen."""
    if not rules.is_desk(actor):
        raise PermissionDenied(_("Only the service desk rejects requests."))
    reason = _require(reason, "reason", _("Give the reason the citizen will read."))
    now = _now(at)
    _locked(request)
    request.closed_at = now
    _move(
        request,
        Status.REJECTED,
        actor,
        now,
        [Status.SUBMITTED, Status.VERIFIED, Status.ASSIGNED],
        text=reason,
        extra_fields=["closed_at"],
    )
    notify.send_after_commit(
        citizen_messages(
            request,
            _("Your request %(number)s was not accepted") % {"number": request.number},
            reason,
        )
    )
    return request


@records_actor
@transaction.atomic
def transfer(
    actor: User, request: ServiceRequest, opd: Opd, reason: str, at: dt.datetime | None = None
) -> ServiceRequest:
    """The request belongs to another OPD: the desk or the current OPD passes it on. The citizen
    sees which OPD now handles it; the reason stays an internal note."""
    reason = _require(reason, "reason", _("Say why the request goes to another OPD."))
    now = _now(at)
    _locked(request)
    _check_works_on(actor, request)
    if request.merged_into_id is not None:
        raise ValidationError(
            {"status": _("This request follows %(main)s.") % {"main": request.merged_into}}
        )
    if request.status not in (Status.ASSIGNED, Status.IN_PROGRESS):
        raise ValidationError({"status": _("Only an assigned request can be transferred.")})
    if opd.pk == request.opd_id:
        raise ValidationError({"opd": _("The request is already with this OPD.")})
    if not opd.active:
        raise ValidationError({"opd": _("This OPD is no longer active.")})
    before = request.status
    request.opd = opd
    request.status = Status.ASSIGNED
    request.assigned_at = now
    request.save(update_fields=["opd", "status", "assigned_at", "updated_at"])
    _event(request, EventKind.TRANSFER, actor, now, str(opd), True, before, Status.ASSIGNED)
    _event(request, EventKind.NOTE, actor, now, reason)
    notify.send_after_commit(
        staff_messages(
            opd,
            _("Request %(number)s transferred to %(opd)s") % {"number": request.number, "opd": opd},
            reason,
        )
    )
    return request


@transaction.atomic
def reopen(request: ServiceRequest, reason: str, at: dt.datetime | None = None) -> ServiceRequest:
    """The citizen says the problem remains (through their status link), within
    ``REOPEN_DAYS`` of the resolution. The request goes back to its OPD with a new deadline."""
    reason = _require(reason, "reason", _("Say what is still wrong."))
    now = _now(at)
    _locked(request)
    if request.merged_into_id is not None:
        raise ValidationError(
            {"status": _("This request follows %(main)s.") % {"main": request.merged_into}}
        )
    if request.status not in (Status.RESOLVED, Status.CLOSED) or request.resolved_at is None:
        raise ValidationError({"status": _("Only a resolved request can be reopened.")})
    limit = request.resolved_at + dt.timedelta(days=settings.SERVICEDESK["REOPEN_DAYS"])
    if now > limit:
        raise ValidationError(
            {
                "status": _("A request can be reopened up to %(days)s days after it was resolved.")
                % {"days": settings.SERVICEDESK["REOPEN_DAYS"]}
            }
        )
    before = request.status
    request.status = Status.ASSIGNED
    request.reopened += 1
    request.resolved_at = None
    request.closed_at = None
    request.warned_at = None
    request.escalated_at = None
    request.assigned_at = now
    request.due_at = sla.deadline(request.service, now)
    request.save(
        update_fields=[
            "status",
            "reopened",
            "resolved_at",
            "closed_at",
            "warned_at",
            "escalated_at",
            "assigned_at",
            "due_at",
            "updated_at",
        ]
    )
    _event(request, EventKind.REOPEN, None, now, reason, True, before, Status.ASSIGNED)
    notify.send_after_commit(
        staff_messages(
            request.opd,
            _("Request %(number)s was reopened by the citizen") % {"number": request.number},
            reason,
        )
    )
    return request


@records_actor
@transaction.atomic
def add_update(
    actor: User,
    request: ServiceRequest,
    text: str,
    public: bool,
    at: dt.datetime | None = None,
) -> RequestEvent:
    """A public update to the citizen (and the reporters of merged duplicates), or an internal
    note among staff."""
    text = _require(text, "text", _("Write the update."))
    _locked(request)
    if not rules.can_view(actor, request) or not (
        rules.is_desk(actor) or rules.works_on(actor, request)
    ):
        raise PermissionDenied(_("This request is not in your OPD's queue."))
    event = _event(
        request, EventKind.UPDATE if public else EventKind.NOTE, actor, _now(at), text, public
    )
    if public:
        notify.send_after_commit(
            citizen_messages(
                request,
                _("Update on your request %(number)s") % {"number": request.number},
                text,
            )
        )
    return event


@records_actor
@transaction.atomic
def merge(
    actor: User, duplicate: ServiceRequest, main: ServiceRequest, at: dt.datetime | None = None
) -> ServiceRequest:
    """``duplicate`` reports the same thing as ``main``: it leaves the queues and follows
    ``main``, whose public updates now reach both reporters."""
    if not rules.is_desk(actor):
        raise PermissionDenied(_("Only the service desk merges requests."))
    if duplicate.pk == main.pk:
        raise ValidationError({"main": _("A request cannot be merged into itself.")})
    _locked(duplicate)
    _locked(main)
    if main.merged_into_id is not None:
        raise ValidationError(
            {"main": _("%(main)s is itself merged into another request.") % {"main": main}}
        )
    if duplicate.merged_into_id is not None:
        raise ValidationError({"duplicate": _("This request is already merged.")})
    if duplicate.status not in OPEN_STATUSES:
        raise ValidationError({"duplicate": _("Only open requests can be merged.")})
    if main.status not in OPEN_STATUSES:
        raise ValidationError({"main": _("Only open requests can be merged.")})
    if duplicate.duplicates.exists():
        raise ValidationError(
            {"duplicate": _("Other requests follow this one; merge them into the main one.")}
        )
    now = _now(at)
    duplicate.merged_into = main
    duplicate.save(update_fields=["merged_into", "updated_at"])
    _event(duplicate, EventKind.MERGE, actor, now, main.number or "", True)
    _event(main, EventKind.MERGE, actor, now, duplicate.number or "")
    notify.send_after_commit(
        citizen_messages(
            duplicate,
            _("Your request %(number)s is handled together with %(main)s")
            % {"number": duplicate.number, "main": main.number},
            _("Others reported the same. You will receive the updates of %(main)s.")
            % {"main": main.number},
        )
    )
    return duplicate


# ---------------------------------------------------------------------------------------------
# Deadlines (run every few minutes by `kotacerdas servicedesk deadlines`)


@transaction.atomic
def check_deadlines(at: dt.datetime | None = None) -> tuple[int, int]:
    """Warn an OPD whose request is close to its deadline (``sla.WARN_SHARE`` of the service
    time left) and escalate a breached one to the head of the OPD, each once. Returns how many
    were warned and escalated."""
    now = _now(at)
    warned = escalated = 0
    open_requests = (
        ServiceRequest.objects.open()
        .select_related("service", "opd")
        .select_for_update(of=("self",))
    )
    for request in open_requests.filter(escalated_at__isnull=True, due_at__lt=now):
        request.escalated_at = now
        request.save(update_fields=["escalated_at"])
        _event(request, EventKind.ESCALATION, None, now, str(request.opd))
        escalated += 1
        notify.send_after_commit(
            staff_messages(
                request.opd,
                _("Deadline passed: request %(number)s") % {"number": request.number},
                _("%(service)s was due %(due)s and is still %(status)s.")
                % {
                    "service": request.service,
                    "due": timezone.localtime(request.due_at).strftime("%d %b %Y %H:%M WIB"),
                    "status": Status(request.status).label,
                },
                head=True,
            )
        )
    for request in open_requests.filter(warned_at__isnull=True, due_at__gte=now):
        start = request.assigned_at if request.reopened else request.submitted_at
        if now < sla.warning_due(request.service, start, request.due_at):
            continue
        request.warned_at = now
        request.save(update_fields=["warned_at"])
        _event(request, EventKind.WARNING, None, now, "")
        warned += 1
        notify.send_after_commit(
            staff_messages(
                request.opd,
                _("Due soon: request %(number)s") % {"number": request.number},
                _("%(service)s is due %(due)s.")
                % {
                    "service": request.service,
                    "due": timezone.localtime(request.due_at).strftime("%d %b %Y %H:%M WIB"),
                },
            )
        )
    return warned, escalated


def close_resolved(at: dt.datetime | None = None) -> int:
    """Close the requests resolved more than ``AUTO_CLOSE_DAYS`` ago that the citizen neither
    confirmed nor reopened. Returns how many."""
    now = _now(at)
    cutoff = now - dt.timedelta(days=settings.SERVICEDESK["AUTO_CLOSE_DAYS"])
    closed = 0
    for request in ServiceRequest.objects.filter(status=Status.RESOLVED, resolved_at__lt=cutoff):
        close(request, at=now)
        closed += 1
    return closed
