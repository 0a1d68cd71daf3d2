"""The dashboard's pages: the one screen at /eksekutif/, the action items, the stat meetings
and the annotations on series. Thin: the figures come from ``panels``, every change goes
through ``meetings`` (or the annotation functions), and who sees what is ``scope``."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kotacerdas.core.models import Opd
from kotacerdas.core.views import requires
from kotacerdas.dashboard import annotations, changes, meetings, panels
from kotacerdas.dashboard import digest as digest_mail
from kotacerdas.dashboard.choices import ActionStatus
from kotacerdas.dashboard.models import (
    Annotation,
    DigestSubscription,
    StatMeeting,
)
from kotacerdas.dashboard.scope import can_run_meetings, can_update_action, scope_of

PAGE_SIZE = 50


def has_dashboard(user) -> bool:
    return scope_of(user) is not None


def dashboard_required(view):
    return requires(has_dashboard, view)


def meetings_required(view):
    return requires(can_run_meetings, view)


def _errors(exc: ValidationError) -> dict[str, str]:
    if hasattr(exc, "error_dict"):
        return {name: problems[0] for name, problems in exc.message_dict.items()}
    return {"__all__": exc.messages[0]}


def _since(request: HttpRequest, today: dt.date) -> dt.date:
    raw = request.GET.get("since", "")
    chosen = parse_date(raw) if raw else None
    if raw and (chosen is None or chosen > today):
        messages.error(request, _("'since' must be a date no later than today, as YYYY-MM-DD."))
        chosen = None
    return chosen or meetings.since_last_meeting(today)


def _by_pk(records, raw: str | None):
    """The record whose key is ``raw``, or None for no key, a key that is not a number, or no
    such record (a form's hidden field can be anything)."""
    raw = (raw or "").strip()
    return records.filter(pk=int(raw)).first() if raw.isdigit() else None


def _back(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


@dashboard_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    """The executive dashboard for the reader's scope: the index, the programmes, PECUT, social
    aid, the indicators with their maps, the action items and what changed."""
    scope = scope_of(request.user)
    reader = panels.reader_for(scope, request.user)
    since = _since(request, reader.today)
    found = panels.all_panels(reader, request.GET.get("indicator"), request.GET.get("level"))
    return render(
        request,
        "dashboard/dashboard.html",
        {
            "scope": scope,
            "scope_label": scope.label(),
            "panels": {panel.key: panel for panel in found},
            "changed": changes.what_changed(reader, since),
            "since": since,
            "now": reader.now,
            "runs_meetings": can_run_meetings(request.user),
            "subscribed": DigestSubscription.objects.filter(user=request.user).exists(),
            "next_meeting": StatMeeting.objects.filter(date__gte=reader.today)
            .order_by("date")
            .first(),
        },
    )


# ---------------------------------------------------------------------------------------------
# Action items


def _visible_actions(request: HttpRequest):
    return panels.scoped_actions(scope_of(request.user))


@dashboard_required
@require_safe
def action_list(request: HttpRequest) -> HttpResponse:
    """The action items the reader's scope covers, live ones first by due date; filters by
    status, owner OPD and overdue."""
    status = request.GET.get("status", "live")
    if status not in ("live", *ActionStatus.values):
        status = ""
    owner = request.GET.get("owner", "")
    overdue = {"1": True, "true": True, "on": True, "0": False, "false": False}.get(
        request.GET.get("overdue", "")
    )
    found = meetings.find_actions(
        scope_of(request.user), status=status or None, owner=owner, overdue=overdue
    )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "dashboard/actions.html",
        {
            "page": page,
            "status": status,
            "owner": owner,
            "overdue": overdue is True,
            "statuses": [("live", _("Open or in progress")), *ActionStatus.choices],
            "runs_meetings": can_run_meetings(request.user),
        },
    )


@meetings_required
@require_http_methods(["GET", "POST"])
def action_new(request: HttpRequest) -> HttpResponse:
    """Make an action item from a figure or a record (the dashboard's links prefill them), at a
    meeting or between meetings."""
    params = request.POST if request.method == "POST" else request.GET
    values = {
        key: params.get(key, "").strip()
        for key in ("title", "owner", "due_date", "figure", "record", "meeting")
    }
    meeting = _by_pk(StatMeeting.objects.all(), values["meeting"])
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            action = meetings.create_action(
                request.user,
                title=values["title"],
                owner=values["owner"],
                due_date=values["due_date"],
                meeting=meeting,
                figure_key=values["figure"],
                record_url=values["record"],
            )
        except ValidationError as exc:
            errors = _errors(exc)
        else:
            messages.success(request, _("Action item saved."))
            return redirect("dashboard:action", action.pk)
    figure = panels.current_figure(values["figure"]) if values["figure"] else None
    owner, due = meetings.action_defaults(figure)
    values["owner"] = values["owner"] or owner
    values["due_date"] = values["due_date"] or due.isoformat()
    return render(
        request,
        "dashboard/action_new.html",
        {
            "values": values,
            "errors": errors,
            "figure": figure,
            "meeting": meeting,
            "meetings": StatMeeting.objects.order_by("-date")[:10],
            "opds": Opd.objects.filter(active=True).order_by("name"),
        },
        status=400 if errors else 200,
    )


@dashboard_required
@require_http_methods(["GET", "POST"])
def action(request: HttpRequest, pk: int) -> HttpResponse:
    """An action item: the figure when it was made and now, its reviews, and a form to report
    progress (the owner OPD and the leadership)."""
    found = get_object_or_404(_visible_actions(request), pk=pk)
    errors: dict[str, str] = {}
    if request.method == "POST":
        meeting = _by_pk(StatMeeting.objects.all(), request.POST.get("meeting"))
        try:
            meetings.review_action(
                request.user,
                found,
                status=request.POST.get("status", ""),
                note=request.POST.get("note", ""),
                meeting=meeting,
            )
        except ValidationError as exc:
            errors = _errors(exc)
        else:
            messages.success(request, _("Progress recorded."))
            return redirect(_back(request, reverse("dashboard:action", args=[found.pk])))
    return render(
        request,
        "dashboard/action.html",
        {
            "action": found,
            "figure": panels.current_figure(found.figure_key) if found.figure_key else None,
            "reviews": found.reviews.select_related("meeting", "by"),
            "can_update": can_update_action(request.user, found.owner_id),
            "statuses": ActionStatus.choices,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


# ---------------------------------------------------------------------------------------------
# Stat meetings


@dashboard_required
@require_http_methods(["GET", "POST"])
def meeting_list(request: HttpRequest) -> HttpResponse:
    """The stat meetings, the next one first; the leadership plans a new one here (its agenda
    is proposed from what changed since the previous meeting)."""
    errors: dict[str, str] = {}
    values = {"date": "", "title": "", "attendees": ""}
    if request.method == "POST":
        if not can_run_meetings(request.user):
            raise PermissionDenied
        values = {key: request.POST.get(key, "") for key in values}
        try:
            meeting = meetings.plan_meeting(request.user, **values)
        except ValidationError as exc:
            errors = _errors(exc)
        else:
            messages.success(request, _("Meeting planned; its agenda is proposed below."))
            return redirect("dashboard:meeting", meeting.pk)
    return render(
        request,
        "dashboard/meetings.html",
        {
            "meetings": StatMeeting.objects.all()[:100],
            "runs_meetings": can_run_meetings(request.user),
            "values": values,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


@dashboard_required
@require_http_methods(["GET", "POST"])
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    """A meeting: its agenda (edited by the leadership), the action items to review with their
    figures then and now, the items made here, the minutes and decisions."""
    found = get_object_or_404(StatMeeting, pk=pk)
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not can_run_meetings(request.user):
            raise PermissionDenied
        what = request.POST.get("do", "")
        try:
            if what == "record":
                meetings.record_meeting(
                    request.user,
                    found,
                    {
                        key: request.POST.get(key, "")
                        for key in ("title", "date", "attendees", "minutes", "decisions")
                    },
                )
            elif what == "add-agenda":
                meetings.add_agenda_item(request.user, found, request.POST.get("text", ""))
            elif what == "remove-agenda":
                item = _by_pk(found.agenda.all(), request.POST.get("item"))
                if item is None:
                    raise Http404
                meetings.remove_agenda_item(request.user, item)
            else:
                errors = {"do": _("Unknown action.")}
        except ValidationError as exc:
            errors = _errors(exc)
        if not errors:
            messages.success(request, _("Meeting saved."))
            return redirect("dashboard:meeting", found.pk)
    scope = scope_of(request.user)
    return render(
        request,
        "dashboard/meeting.html",
        {
            "meeting": found,
            "agenda": found.agenda.all(),
            "to_review": meetings.actions_to_review(found, scope),
            "made_here": meetings.actions_made_at(found, scope).select_related("owner"),
            "runs_meetings": can_run_meetings(request.user),
            "statuses": ActionStatus.choices,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


# ---------------------------------------------------------------------------------------------
# Annotations and the digest


@dashboard_required
@require_POST
def annotate(request: HttpRequest) -> HttpResponse:
    """Attach a dated note to a series; it shows on every chart of that series."""
    try:
        annotations.annotate(
            request.user,
            series=request.POST.get("series", ""),
            date=request.POST.get("date", ""),
            text=request.POST.get("text", ""),
        )
    except ValidationError as exc:
        for field, problem in _errors(exc).items():
            label = Annotation._meta.get_field(field).verbose_name
            messages.error(request, f"{capfirst(label)}: {problem}")
    else:
        messages.success(request, _("Note added to the series."))
    return redirect(_back(request, reverse("dashboard:home")))


@dashboard_required
@require_POST
def annotation_delete(request: HttpRequest, pk: int) -> HttpResponse:
    note = get_object_or_404(Annotation, pk=pk)
    annotations.remove(request.user, note)
    messages.success(request, _("Note removed."))
    return redirect(_back(request, reverse("dashboard:home")))


@dashboard_required
@require_POST
def digest(request: HttpRequest) -> HttpResponse:
    """Subscribe to the weekly digest by email, or stop it."""
    if request.POST.get("subscribe") == "1":
        try:
            digest_mail.subscribe(request.user)
        except ValidationError as exc:
            messages.error(request, exc.message_dict["email"][0])
        else:
            messages.success(request, _("You will receive the weekly digest by email."))
    else:
        digest_mail.unsubscribe(request.user)
        messages.success(request, _("The weekly digest is stopped."))
    return redirect("dashboard:home")
