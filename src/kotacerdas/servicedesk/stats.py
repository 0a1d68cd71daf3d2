"""The desk's figures, defined once for the monitoring room, the staff pages, the evaluation
and the dashboard:

- **received**: requests submitted in the period (merged duplicates included: each is a
  citizen who came to the door);
- **resolved**: requests resolved in the period (their ``resolved_at`` falls in it);
- **SLA compliance**: of the requests resolved in the period, the share resolved by their
  deadline, in percent (None when none was resolved);
- **overdue**: open requests past their deadline, now;
- **IKM**: the satisfaction index of the ratings given in the period (``ikm``).

Every figure is computed in the database with one aggregate query per table, so the monitoring
room stays fast with a hundred thousand requests.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncWeek
from django.utils import timezone

from kotacerdas.servicedesk.choices import OPEN_STATUSES
from kotacerdas.servicedesk.models import ServiceRequest

ON_TIME = Q(resolved_at__lte=F("due_at"))


def compliance(on_time: int, resolved: int) -> Decimal | None:
    """SLA compliance in percent, one decimal; None when nothing was resolved."""
    if not resolved:
        return None
    return (Decimal(100) * on_time / resolved).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class Figures:
    """The figures of one group (a service, an OPD, a kelurahan, the whole city)."""

    key: str
    name: str
    received: int
    resolved: int
    on_time: int
    open: int
    overdue: int

    @property
    def compliance(self) -> Decimal | None:
        return compliance(self.on_time, self.resolved)


def _local_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    zone = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, zone),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, zone),
    )


def figures_by(
    requests: QuerySet[ServiceRequest],
    group: str,
    start: dt.date,
    end: dt.date,
    now: dt.datetime | None = None,
) -> list[Figures]:
    """The figures per ``group`` ("service", "opd", "region" or "city") for the period
    ``start``-``end`` (local dates, inclusive), from ``requests`` (already limited to what the
    reader may see)."""
    now = now or timezone.now()
    begin, finish = _local_bounds(start, end)
    keys = {
        "service": ("service__code", "service__name"),
        "opd": ("opd__code", "opd__short_name"),
        "region": ("region__code", "region__name"),
        "city": (),
    }[group]
    in_period = Q(submitted_at__gte=begin, submitted_at__lt=finish)
    resolved = Q(resolved_at__gte=begin, resolved_at__lt=finish)
    open_now = Q(status__in=OPEN_STATUSES, merged_into__isnull=True)
    counts = {
        "received": Count("pk", filter=in_period),
        "resolved": Count("pk", filter=resolved),
        "on_time": Count("pk", filter=resolved & ON_TIME),
        "open": Count("pk", filter=open_now),
        "overdue": Count("pk", filter=open_now & Q(due_at__lt=now)),
    }
    # Every count above looks only at requests submitted or resolved in the period or open now:
    # reading those alone gives the same counts without scanning a hundred thousand rows.
    requests = requests.filter(in_period | resolved | open_now)
    if not keys:  # the whole city: one row
        rows = [requests.aggregate(**counts)]
    else:
        rows = list(requests.order_by().values(*keys).annotate(**counts))
    found = [
        Figures(
            key=(row[keys[0]] or "") if keys else "city",
            name=(row[keys[1]] or row[keys[0]] or "—") if keys else "",
            received=row["received"],
            resolved=row["resolved"],
            on_time=row["on_time"],
            open=row["open"],
            overdue=row["overdue"],
        )
        for row in rows
    ]
    return [f for f in found if f.received or f.resolved or f.open]


def city_figures(
    requests: QuerySet[ServiceRequest], start: dt.date, end: dt.date, now: dt.datetime | None = None
) -> Figures:
    found = figures_by(requests, "city", start, end, now)
    return found[0] if found else Figures("city", "", 0, 0, 0, 0, 0)


def open_by_status(requests: QuerySet[ServiceRequest]) -> dict[str, int]:
    """Open requests per status, in the workflow's order (zeros included)."""
    counts = dict(
        requests.open()
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {status: counts.get(status, 0) for status in OPEN_STATUSES}


# Age of an open request in calendar days since submission: the buckets the command centre reads.
AGE_BUCKETS = ((0, 1), (2, 3), (4, 7), (8, 14), (15, None))


def ageing(
    requests: QuerySet[ServiceRequest], now: dt.datetime | None = None
) -> list[tuple[str, int]]:
    """Open requests per age bucket ("0-1", "2-3", "4-7", "8-14", "15+" days)."""
    now = now or timezone.now()
    aggregates = {}
    for low, high in AGE_BUCKETS:
        label = f"{low}-{high}" if high is not None else f"{low}+"
        window = Q(submitted_at__lte=now - dt.timedelta(days=low))
        if high is not None:
            window &= Q(submitted_at__gt=now - dt.timedelta(days=high + 1))
        aggregates[label] = Count("pk", filter=window)
    counts = requests.open().aggregate(**aggregates)
    return list(counts.items())


def weekly_trend(
    requests: QuerySet[ServiceRequest], weeks: int = 12, now: dt.datetime | None = None
) -> list[tuple[dt.date, int, int]]:
    """(Monday of the week, received, resolved) for the last ``weeks`` weeks, oldest first."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    first = today - dt.timedelta(days=today.weekday() + 7 * (weeks - 1))
    begin, _ = _local_bounds(first, today)
    zone = timezone.get_current_timezone()
    received = dict(
        requests.filter(submitted_at__gte=begin)
        .order_by()
        .annotate(week=TruncWeek("submitted_at", tzinfo=zone))
        .values_list("week")
        .annotate(n=Count("pk"))
        .values_list("week", "n")
    )
    resolved = dict(
        requests.filter(resolved_at__gte=begin)
        .order_by()
        .annotate(week=TruncWeek("resolved_at", tzinfo=zone))
        .values_list("week")
        .annotate(n=Count("pk"))
        .values_list("week", "n")
    )

    def by_day(counts: dict) -> dict[dt.date, int]:
        return {(k.date() if isinstance(k, dt.datetime) else k): v for k, v in counts.items() if k}

    received_by, resolved_by = by_day(received), by_day(resolved)
    mondays = [first + dt.timedelta(weeks=i) for i in range(weeks)]
    return [(m, received_by.get(m, 0), resolved_by.get(m, 0)) for m in mondays]


def worst_services(figures: list[Figures], limit: int = 5, minimum: int = 3) -> list[Figures]:
    """The services that most fail their citizens: lowest SLA compliance among those with at
    least ``minimum`` resolved requests, then most overdue."""
    rated = [f for f in figures if f.resolved >= minimum or f.overdue]

    def measured(f: Figures) -> Decimal | None:
        # Compliance over fewer than ``minimum`` requests says little: rank those by overdue.
        return f.compliance if f.resolved >= minimum else None

    rated.sort(key=lambda f: (measured(f) if measured(f) is not None else Decimal(101), -f.overdue))
    failing = [f for f in rated if f.overdue or (measured(f) is not None and measured(f) < 100)]
    return failing[:limit]


def intake_today(requests: QuerySet[ServiceRequest], now: dt.datetime | None = None) -> int:
    today = timezone.localtime(now or timezone.now()).date()
    begin, finish = _local_bounds(today, today)
    return requests.filter(submitted_at__gte=begin, submitted_at__lt=finish).count()
