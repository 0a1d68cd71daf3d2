"""What every panel is made of: the ``Panel`` with its figures and what its template draws,
the ``Reader`` (who looks, in which scope, at what moment), and the helpers the panels share."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from kotacerdas.core.models import Region, User
from kotacerdas.dashboard import charts
from kotacerdas.dashboard.choices import FigureStatus
from kotacerdas.dashboard.figures import Figure, Owners
from kotacerdas.dashboard.metrics import metric
from kotacerdas.dashboard.scope import Scope

SEVERITY = [
    FigureStatus.RED,
    FigureStatus.NOT_REPORTED,
    FigureStatus.AMBER,
    FigureStatus.NEUTRAL,
    FigureStatus.GREEN,
]


@dataclass
class Panel:
    """One panel of the dashboard: its figures (what the API's summary, the briefing book and
    the digest list), a note when its module has nothing to show, and what its template draws
    besides (charts, rankings, groups)."""

    key: str
    title: str
    figures: list[Figure] = field(default_factory=list)
    note: str = ""
    context: dict[str, Any] = field(default_factory=dict)

    def figure(self, key: str) -> Figure | None:
        return next((f for f in self.figures if f.key == key), None)


@dataclass(frozen=True)
class Reader:
    """Who is looking and when: the scope, the user (None on the public page) for the links
    their role may follow, and the moment the figures are read."""

    scope: Scope
    user: User | None
    now: dt.datetime
    owners: Owners

    @property
    def today(self) -> dt.date:
        return timezone.localtime(self.now).date()

    @property
    def staff(self) -> bool:
        return self.user is not None and not self.scope.public

    def annotations(self, series: str) -> list:
        """The staff's notes on ``series`` for its charts; the public page shows none."""
        return [] if self.scope.public else charts.annotations_for([series])[series]


def link(name: str, *args: Any, **query: Any) -> str:
    url = reverse(name, args=args)
    query = {k: v for k, v in query.items() if v not in (None, "")}
    return f"{url}?{urlencode(query)}" if query else url


def overdue_count(reader: Reader, code: str, count: int, source: str, records: str) -> Figure:
    """A live count of overdue things (reports, action items) under the metric ``code``: green
    at none, red otherwise."""
    found = metric(code)
    return Figure(
        code,
        found,
        str(found.name),
        count,
        reader.today.isoformat(),
        source,
        updated_at=reader.now,
        owner=found.owner,
        status=FigureStatus.GREEN if not count else FigureStatus.RED,
        drill_url=records if reader.staff else "",
    )


def span(start: dt.date, end: dt.date) -> str:
    """A period as an ISO 8601 interval, 2026-10-26/2026-11-24."""
    return f"{start.isoformat()}/{end.isoformat()}"


def city() -> Region | None:
    """The deployment's city (or regency)."""
    return Region.objects.filter(code=settings.KOTACERDAS_REGION).first()
