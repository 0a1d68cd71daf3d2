"""The JSON shapes of the executive dashboard API.

A figure's numbers (its value, its target, an action item's figure then and now) are exact
decimals answered as strings, the way the other modules' APIs answer decimals, written out in
full without trailing zeros (``"87.5"``, ``"12"``, ``"1200"``): counts and percentages alike, so a
client parses one type. A figure with no value (a KPI not reported) has ``null``.

Dates in request bodies are strings ``YYYY-MM-DD`` checked by the domain functions of
``meetings`` and ``annotations``, which report every wrong field at once (a 422 naming each).

Schema names are distinct across the whole API (hence the ``Dashboard`` prefix): the OpenAPI
document keeps one component per class name, so a second ``MeetingOut`` elsewhere would silently
replace this one.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from django.conf import settings
from django.utils import timezone
from ninja import Field, Schema
from pydantic import ConfigDict, PlainSerializer

from kotacerdas.dashboard.choices import LIVE_ACTION_STATUSES, ActionStatus, FigureStatus


def plain(value: Decimal) -> str:
    """A decimal in full, without an exponent or trailing zeros: ``1.2E+3`` is ``"1200"``,
    ``88.50`` is ``"88.5"``."""
    text = format(Decimal(value).normalize(), "f")
    return "0" if text in ("-0", "") else text


FigureNumber = Annotated[
    Decimal,
    PlainSerializer(plain, return_type=str),
    Field(description='a decimal string, e.g. "87.5" or "12"'),
]
# A date as sent: the domain parses it and names the field when it is not YYYY-MM-DD.
DateIn = Annotated[str, Field(description="a date as YYYY-MM-DD, e.g. 2026-12-01")]


def absolute(path: str) -> str | None:
    """A platform path as a full address (like the service desk's ``status_url``); None for
    none."""
    return settings.KOTACERDAS_PUBLIC_URL + path if path else None


class _Input(Schema):
    """Request bodies refuse fields they do not know, naming them, rather than ignoring them."""

    model_config = ConfigDict(extra="forbid")


# Metrics and figures


class DashboardMetricRef(Schema):
    """The definition a figure is computed under (``metrics``)."""

    code: str
    version: int
    name: str
    formula: str = Field(..., description="how the figure is computed, in words")
    unit: str
    direction: Literal["higher", "lower", ""] = Field(
        ..., description="which way is better; empty when neither"
    )
    source: str = Field(..., description="the module the figure comes from, and what in it")

    @staticmethod
    def resolve_name(obj) -> str:
        return str(obj.name)

    @staticmethod
    def resolve_formula(obj) -> str:
        return str(obj.formula)

    @staticmethod
    def resolve_unit(obj) -> str:
        return str(obj.unit)

    @staticmethod
    def resolve_source(obj) -> str:
        return str(obj.source)


class DashboardMetricOut(DashboardMetricRef):
    """A metric's definition: every panel, the briefing book and this API take it from here."""

    versioned: str = Field(..., description='code and version, e.g. "pecut.sla@v1"')
    owner: str = Field(..., description="code of the OPD that owns the metric")
    refresh_days: int | None = Field(
        ...,
        description="a figure older than this many days is stale; null for figures computed "
        "live from the records",
    )
    public: bool = Field(..., description="shown on the public performance page")
    green_at: FigureNumber | None = Field(
        None, description="the city-wide threshold for green, read in 'direction' (if any)"
    )
    amber_at: FigureNumber | None = Field(
        None, description="the city-wide threshold for amber, read in 'direction' (if any)"
    )
    changes: list[str] = Field(..., description="what changed in each version")

    @staticmethod
    def resolve_refresh_days(obj) -> int | None:
        return obj.refresh.days if obj.refresh else None


class DashboardFigureOut(Schema):
    """One figure with what it takes to trust it and to act on it."""

    key: str = Field(
        ..., description='names the figure across meetings, e.g. "kpi.12" or "pecut.sla"'
    )
    label: str
    value: FigureNumber | None = Field(..., description="null when nothing is reported")
    unit: str
    period: str = Field(
        ...,
        description='what the value covers: a day, a year, "2026 Q3" or an ISO 8601 interval '
        '"2026-10-26/2026-11-24"',
    )
    source: str = Field(..., description="where the value comes from")
    source_url: str | None = Field(None, description="the source record, where there is one")
    updated_at: dt.datetime | None
    status: FigureStatus
    stale: bool = Field(..., description="older than the metric's expected update frequency")
    target: FigureNumber | None
    detail: str
    owner: str = Field(..., description="code of the OPD that owns the figure")
    owner_name: str
    series: str = Field(..., description="the series its chart draws (for annotations)")
    metric: DashboardMetricRef
    records_url: str | None = Field(
        None, description="the records behind the figure; null when your role may not see them"
    )

    @staticmethod
    def resolve_records_url(obj) -> str | None:
        return absolute(obj.drill_url)

    @staticmethod
    def resolve_source_url(obj) -> str | None:
        return absolute(obj.source_url)


class DashboardPanelOut(Schema):
    key: str
    title: str
    note: str = Field(..., description="why a panel has nothing (yet) to show")
    figures: list[DashboardFigureOut]


class DashboardScopeOut(Schema):
    kind: Literal["city", "area", "opd"] = Field(
        ...,
        description="'city': the whole city; 'area': a kecamatan or kelurahan office's area; "
        "'opd': one OPD's programmes, requests and actions",
    )
    area: str | None = Field(None, description="Kemendagri code of the area office's area")
    opd: str | None = Field(None, description="code of the reader's OPD (area and opd)")
    label: str


class DashboardSummaryOut(Schema):
    scope: DashboardScopeOut
    generated_at: dt.datetime
    panels: list[DashboardPanelOut]


# Stat meetings and action items


class DashboardAgendaItemOut(Schema):
    id: int
    position: int
    text: str
    figure_key: str = Field(..., description="the figure the item is about; may be empty")
    proposed: bool = Field(..., description="proposed from what changed since the last meeting")


class DashboardAgendaItemIn(_Input):
    text: str


class DashboardMeetingOut(Schema):
    id: int
    date: dt.date
    title: str
    attendees: str
    created_by: str = Field(..., description="username")
    created_at: dt.datetime
    is_demo: bool

    @staticmethod
    def resolve_created_by(obj) -> str:
        return obj.created_by.username


class DashboardMeetingIn(_Input):
    date: DateIn
    title: str
    attendees: str = ""


class DashboardMeetingPatch(_Input):
    """Only the fields sent change."""

    date: DateIn | None = None
    title: str | None = None
    attendees: str | None = None
    minutes: str | None = None
    decisions: str | None = None


class DashboardActionOut(Schema):
    id: int
    title: str
    owner: str = Field(..., description="code of the OPD that owns the action")
    owner_name: str
    due_date: dt.date
    status: ActionStatus
    overdue: bool = Field(..., description="open or in progress and past its due date")
    meeting: int | None = Field(None, description="the meeting it was made at")
    figure_key: str = Field(..., description="the figure it should move; may be empty")
    figure_label: str
    metric_version: str = Field(
        ..., description='the metric definition it was made against, e.g. "pecut.sla@v1"'
    )
    figure_value: FigureNumber | None = Field(
        ..., description="the figure's value when the item was made"
    )
    record_url: str = Field(..., description="the record it is about (a path); may be empty")
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_owner(obj) -> str:
        return obj.owner.code

    @staticmethod
    def resolve_owner_name(obj) -> str:
        return obj.owner.name

    @staticmethod
    def resolve_meeting(obj) -> int | None:
        return obj.meeting_id

    @staticmethod
    def resolve_overdue(obj) -> bool:
        return obj.status in LIVE_ACTION_STATUSES and obj.due_date < timezone.localdate()


class DashboardReviewOut(Schema):
    """Where an action item stood at a review, with the figure's value at that moment."""

    id: int
    status: ActionStatus
    note: str
    figure_value: FigureNumber | None
    meeting: int | None = Field(None, description="the meeting it was reviewed at")
    by: str = Field(..., description="username")
    at: dt.datetime

    @staticmethod
    def resolve_meeting(obj) -> int | None:
        return obj.meeting_id

    @staticmethod
    def resolve_by(obj) -> str:
        return obj.by.username


class DashboardActionDetail(DashboardActionOut):
    figure_now: DashboardFigureOut | None = Field(
        None, description="the figure as it stands now, read city-wide"
    )
    reviews: list[DashboardReviewOut]
    can_update: bool = Field(..., description="whether you may record its progress")


class DashboardActionIn(_Input):
    title: str
    owner: str = Field(..., description="code of the OPD that owns the action")
    due_date: DateIn
    meeting: int | None = Field(None, description="the meeting it is made at")
    figure_key: str = Field("", description="the dashboard figure it should move")
    record_url: str = Field("", description="a path inside Kota Cerdas, such as /staf/...")


class DashboardReviewIn(_Input):
    status: ActionStatus
    note: str = ""
    meeting: int | None = Field(
        None, description="the meeting reviewing it (the leadership); none between meetings"
    )


class DashboardActionUnderReview(Schema):
    """An action item a meeting reviews: the figure when it was made and now."""

    action: DashboardActionOut
    figure_now: DashboardFigureOut | None = Field(None, alias="now")
    moved: FigureNumber | None = Field(
        None, description="the figure now minus its value when the item was made"
    )
    reviewed_here: DashboardReviewOut | None


class DashboardMeetingDetail(DashboardMeetingOut):
    minutes: str
    decisions: str
    agenda: list[DashboardAgendaItemOut]
    actions: list[DashboardActionOut] = Field(
        ...,
        alias="actions_here",
        description="the action items made at this meeting (an OPD officer: their OPD's)",
    )
    to_review: list[DashboardActionUnderReview] = Field(
        ...,
        alias="under_review",
        description="the earlier items this meeting reviews: every live one and those closed "
        "since the previous meeting (an OPD officer: their OPD's)",
    )


# Annotations


class DashboardAnnotationOut(Schema):
    id: int
    series: str
    date: dt.date
    text: str
    author: str = Field(..., description="username")
    created_at: dt.datetime

    @staticmethod
    def resolve_author(obj) -> str:
        return obj.author.username


class DashboardAnnotationIn(_Input):
    series: str = Field(..., description='the series key, e.g. "pecut.intake" or "index"')
    date: DateIn
    text: str
