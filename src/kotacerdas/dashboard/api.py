"""The executive dashboard JSON API: the figures of the reader's part of the city with their
definitions, the stat meetings with their agenda, the action items that follow a figure from one
meeting to the next, and the annotations on series.

Everyone with a dashboard uses it (``scope``): executives and administrators read the whole city,
an officer of a kecamatan or kelurahan office the figures located in their area and their
office's programmes and actions, any other OPD officer their OPD's. Other accounts (an assessor)
get 403, as on the pages. Executives and administrators plan meetings and make action items; an
action item's owner OPD records its progress too; anyone with a dashboard annotates a series,
and its author or an administrator removes the note.

The figures are never computed here: the summary is ``panels.all_panels`` for the reader, and
every change goes through the named functions of ``meetings`` and ``annotations``, which refuse
with a ValidationError (422 naming each wrong field) or PermissionDenied (403).

Figure values are decimal strings (see ``schemas``).

(No ``from __future__ import annotations`` here: django-ninja reads the annotations at import.)
"""

from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from kotacerdas.core.api_auth import signed_in
from kotacerdas.core.api_common import (
    ERRORS,
    READ_ERRORS,
    ApiPagination,
    FieldError,
    opd_by_code,
    staff_user,
)
from kotacerdas.core.models import User
from kotacerdas.dashboard import annotations, meetings, panels
from kotacerdas.dashboard.metrics import Metric, all_metrics
from kotacerdas.dashboard.models import (
    ActionItem,
    ActionReview,
    AgendaItem,
    Annotation,
    StatMeeting,
)
from kotacerdas.dashboard.schemas import (
    DashboardActionDetail,
    DashboardActionIn,
    DashboardActionOut,
    DashboardAgendaItemIn,
    DashboardAgendaItemOut,
    DashboardAnnotationIn,
    DashboardAnnotationOut,
    DashboardMeetingDetail,
    DashboardMeetingIn,
    DashboardMeetingOut,
    DashboardMeetingPatch,
    DashboardMetricOut,
    DashboardReviewIn,
    DashboardReviewOut,
    DashboardSummaryOut,
)
from kotacerdas.dashboard.scope import Scope, can_run_meetings, can_update_action, scope_of
from kotacerdas.opendata.models import Indicator

router = Router(auth=signed_in)


def _reader(request: HttpRequest) -> tuple[User, Scope]:
    """The signed-in user and their part of the city; 403 for an account with no dashboard."""
    user = staff_user(request)
    scope = scope_of(user)
    if scope is None:
        raise PermissionDenied(
            _("The executive dashboard is open to the leadership and the OPD officers only.")
        )
    return user, scope


def _meeting_runner(request: HttpRequest) -> User:
    """The signed-in user if they run stat meetings (as the pages require), else 403."""
    user, _scope = _reader(request)
    if not can_run_meetings(user):
        raise PermissionDenied(_("Only the leadership and administrators run stat meetings."))
    return user


def _meeting_by_id(meeting_id: int | None, field: str) -> StatMeeting | None:
    """The meeting a body names (None when it names none), or a 422 naming the field."""
    if meeting_id is None:
        return None
    found = StatMeeting.objects.filter(pk=meeting_id).first()
    if found is None:
        raise FieldError(field, _("No stat meeting has this id."))
    return found


# The figures


class SummaryFilters(Schema):
    indicator: str | None = None
    level: Literal["village", "district"] | None = None


@router.get("/summary", response={200: DashboardSummaryOut, **READ_ERRORS}, tags=["dashboard"])
def get_summary(request: HttpRequest, filters: Query[SummaryFilters]) -> dict[str, Any]:
    """Every panel of the dashboard for your part of the city, in the page's order (the smart
    city index, programmes, public services, social aid, indicators, action items), each figure
    with its value, unit, period, source, last update, status against its target or threshold,
    whether it is stale, its owner OPD, the metric's definition and a link to the records behind
    it (null when your role may not see them). ``indicator`` (a Satu Data indicator code) and
    ``level`` (``village`` or ``district``) choose the ranking the indicators panel draws, as on
    the page; they do not change the figures."""
    user, scope = _reader(request)
    if (
        filters.indicator is not None
        and not Indicator.objects.filter(code=filters.indicator).exists()
    ):
        raise FieldError("indicator", _("No indicator has this code."))
    reader = panels.reader_for(scope, user)
    found = panels.all_panels(reader, filters.indicator, filters.level)
    return {
        "scope": {
            "kind": scope.kind,
            "area": scope.area,
            "opd": scope.opd.code if scope.opd is not None else None,
            "label": scope.label(),
        },
        "generated_at": reader.now,
        "panels": found,
    }


@router.get("/metrics", response={200: list[DashboardMetricOut], **READ_ERRORS}, tags=["dashboard"])
def list_metrics(request: HttpRequest) -> list[Metric]:
    """Every metric the dashboard computes, each defined once: its name, the formula in words,
    the unit, which way is better, the owning OPD, the module it comes from, how often it is
    expected to be updated (a figure older is stale), whether the public page shows it, and its
    version (an action item records the version it was made against)."""
    _reader(request)
    return all_metrics()


# Stat meetings


def _meeting_detail(meeting_id: int, scope: Scope) -> StatMeeting:
    """The meeting with its agenda, the action items made there and those it reviews, an OPD
    officer seeing their OPD's items only (as on the page)."""
    found = get_object_or_404(StatMeeting.objects.select_related("created_by"), pk=meeting_id)
    found.actions_here = list(meetings.actions_made_at(found, scope).select_related("owner"))
    found.under_review = meetings.actions_to_review(found, scope)
    return found


@router.get(
    "/meetings", response={200: list[DashboardMeetingOut], **READ_ERRORS}, tags=["meetings"]
)
@paginate(ApiPagination)
def list_meetings(request: HttpRequest) -> QuerySet[StatMeeting]:
    """The stat meetings, the newest first."""
    _reader(request)
    return StatMeeting.objects.select_related("created_by").order_by("-date", "-pk")


@router.post("/meetings", response={201: DashboardMeetingDetail, **ERRORS}, tags=["meetings"])
def plan_meeting(request: HttpRequest, payload: DashboardMeetingIn) -> Any:
    """Plan a stat meeting (the leadership and administrators). Its agenda is proposed: the
    review of the open action items, then what changed city-wide since the previous meeting
    (KPIs turned red, services whose SLA compliance fell, new data-quality problems, reports and
    action items fallen overdue), each naming its figure. Edit it afterwards."""
    user = _meeting_runner(request)
    meeting = meetings.plan_meeting(
        user, date=payload.date, title=payload.title, attendees=payload.attendees
    )
    return Status(201, _meeting_detail(meeting.pk, scope_of(user)))


@router.get(
    "/meetings/{meeting_id}",
    response={200: DashboardMeetingDetail, **READ_ERRORS},
    tags=["meetings"],
)
def get_meeting(request: HttpRequest, meeting_id: int) -> StatMeeting:
    """One meeting: its agenda, minutes and decisions, the action items made at it, and the
    earlier items it reviews with their figure then and now. An OPD officer sees their OPD's
    action items only."""
    _user, scope = _reader(request)
    return _meeting_detail(meeting_id, scope)


@router.patch(
    "/meetings/{meeting_id}", response={200: DashboardMeetingDetail, **ERRORS}, tags=["meetings"]
)
def record_meeting(
    request: HttpRequest, meeting_id: int, payload: DashboardMeetingPatch
) -> StatMeeting:
    """Change a meeting's title, date, attendees, minutes or decisions (the leadership and
    administrators); the fields not sent stay as they are."""
    user = _meeting_runner(request)
    found = get_object_or_404(StatMeeting, pk=meeting_id)
    meetings.record_meeting(user, found, payload.dict(exclude_unset=True))
    return _meeting_detail(found.pk, scope_of(user))


@router.post(
    "/meetings/{meeting_id}/agenda",
    response={201: DashboardAgendaItemOut, **ERRORS},
    tags=["meetings"],
)
def add_agenda_item(request: HttpRequest, meeting_id: int, payload: DashboardAgendaItemIn) -> Any:
    """Add an item at the end of a meeting's agenda (the leadership and administrators)."""
    user = _meeting_runner(request)
    found = get_object_or_404(StatMeeting, pk=meeting_id)
    return Status(201, meetings.add_agenda_item(user, found, payload.text))


@router.delete(
    "/meetings/{meeting_id}/agenda/{item_id}", response={204: None, **ERRORS}, tags=["meetings"]
)
def remove_agenda_item(request: HttpRequest, meeting_id: int, item_id: int) -> Any:
    """Remove an item from a meeting's agenda (the leadership and administrators)."""
    user = _meeting_runner(request)
    item = get_object_or_404(AgendaItem, pk=item_id, meeting_id=meeting_id)
    meetings.remove_agenda_item(user, item)
    return Status(204, None)


# Action items


class ActionFilters(Schema):
    status: Literal["live", "open", "in_progress", "done", "dropped"] | None = None
    owner: str | None = None
    overdue: bool | None = None


def _action_detail(user: User, scope: Scope, action_id: int) -> ActionItem:
    """The action item if the reader's scope covers it (404 otherwise, as on the page), with
    its reviews, the figure as it stands now, and whether the reader may update it."""
    reviews = ActionReview.objects.select_related("by")
    found = get_object_or_404(
        panels.scoped_actions(scope).prefetch_related(Prefetch("reviews", queryset=reviews)),
        pk=action_id,
    )
    found.figure_now = panels.current_figure(found.figure_key) if found.figure_key else None
    found.can_update = can_update_action(user, found.owner_id)
    return found


@router.get("/actions", response={200: list[DashboardActionOut], **READ_ERRORS}, tags=["actions"])
@paginate(ApiPagination)
def list_actions(request: HttpRequest, filters: Query[ActionFilters]) -> QuerySet[ActionItem]:
    """The action items your part of the city covers (an OPD officer: their OPD's), by due
    date; filtered by ``status`` (``live`` for open or in progress), the owner OPD's code, and
    whether they are overdue (live and past their due date)."""
    _user, scope = _reader(request)
    owner = opd_by_code(filters.owner, "owner").code if filters.owner is not None else None
    return meetings.find_actions(scope, status=filters.status, owner=owner, overdue=filters.overdue)


@router.post("/actions", response={201: DashboardActionDetail, **ERRORS}, tags=["actions"])
def create_action(request: HttpRequest, payload: DashboardActionIn) -> Any:
    """Make an action item (the leadership and administrators): what must be done, the owner
    OPD's code, the due date, and the dashboard figure it should move (its value now is kept, to
    compare at the next meeting) or the record it is about; at a meeting or between meetings.
    Every wrong field is named at once."""
    user = _meeting_runner(request)
    meeting = _meeting_by_id(payload.meeting, "meeting")
    action = meetings.create_action(
        user,
        title=payload.title,
        owner=payload.owner,
        due_date=payload.due_date,
        meeting=meeting,
        figure_key=payload.figure_key,
        record_url=payload.record_url,
    )
    return Status(201, _action_detail(user, scope_of(user), action.pk))


@router.get(
    "/actions/{action_id}", response={200: DashboardActionDetail, **READ_ERRORS}, tags=["actions"]
)
def get_action(request: HttpRequest, action_id: int) -> ActionItem:
    """One action item: the figure when it was made and as it stands now, its reviews, and
    whether you may record its progress. An item your scope does not cover answers 404."""
    user, scope = _reader(request)
    return _action_detail(user, scope, action_id)


@router.post(
    "/actions/{action_id}/reviews", response={201: DashboardReviewOut, **ERRORS}, tags=["actions"]
)
def review_action(request: HttpRequest, action_id: int, payload: DashboardReviewIn) -> Any:
    """Record where an action item stands (``status``), with a note: the owner OPD between
    meetings, the leadership at a meeting (``meeting``). The item takes the status, and the
    review keeps the figure's value at this moment."""
    user, scope = _reader(request)
    found = get_object_or_404(panels.scoped_actions(scope), pk=action_id)
    meeting = _meeting_by_id(payload.meeting, "meeting")
    review = meetings.review_action(
        user, found, status=payload.status, note=payload.note, meeting=meeting
    )
    return Status(201, review)


# Annotations


@router.get(
    "/annotations", response={200: list[DashboardAnnotationOut], **READ_ERRORS}, tags=["dashboard"]
)
@paginate(ApiPagination)
def list_annotations(request: HttpRequest, series: str | None = None) -> QuerySet[Annotation]:
    """The dated notes on series (a policy change, a flood, a break in the data), in date
    order, of one ``series`` (the key a figure names, such as ``pecut.intake``) or all."""
    _reader(request)
    found = Annotation.objects.select_related("author")
    if series is not None:
        found = found.filter(series=series)
    return found.order_by("date", "pk")


@router.post("/annotations", response={201: DashboardAnnotationOut, **ERRORS}, tags=["dashboard"])
def add_annotation(request: HttpRequest, payload: DashboardAnnotationIn) -> Any:
    """Attach a dated note to a series; every chart of the series shows it."""
    user, _scope = _reader(request)
    note = annotations.annotate(user, series=payload.series, date=payload.date, text=payload.text)
    return Status(201, note)


@router.delete("/annotations/{annotation_id}", response={204: None, **ERRORS}, tags=["dashboard"])
def remove_annotation(request: HttpRequest, annotation_id: int) -> Any:
    """Remove a note (its author or an administrator)."""
    user, _scope = _reader(request)
    annotations.remove(user, get_object_or_404(Annotation, pk=annotation_id))
    return Status(204, None)
