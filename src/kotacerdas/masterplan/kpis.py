"""A KPI's status for a reporting period, red / amber / green against its target, for the
programme pages and the executive dashboard.

The rule, in words: the **achievement** is the value as a share of the year's target (for a
KPI where lower is better, the target as a share of the value), in percent. A KPI is green when
its achievement reaches its own ``green_from`` threshold (100% unless the owner set another),
amber when it reaches ``amber_from`` (90%), red below that. A KPI with no value reported for the
period is "not reported", never green; one with a value but no target for the year has "no
target".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from kotacerdas.masterplan.choices import Direction, Period, ProgrammeStatus, Rag
from kotacerdas.masterplan.models import Kpi, KpiActual, KpiTarget, ReportingPeriod

PERIOD_ORDER = {code: index for index, code in enumerate(Period.values)}


def achievement(direction: str, value: Decimal, target: Decimal) -> Decimal | None:
    """How much of ``target`` the ``value`` achieves, in percent with one decimal (None when
    the ratio means nothing: a zero target, or a zero value where lower is better)."""
    if direction == Direction.LOWER:
        if value <= 0:
            return Decimal(100) if target >= 0 else None
        ratio = target / value
    else:
        if target == 0:
            return None
        ratio = value / target
    return (100 * ratio).quantize(Decimal("0.1"))


def rag(kpi: Kpi, value: Decimal | None, target: Decimal | None) -> str:
    """The status of ``value`` against ``target`` under ``kpi``'s thresholds."""
    if value is None:
        return Rag.NOT_REPORTED
    if target is None:
        return Rag.NO_TARGET
    share = achievement(kpi.direction, value, target)
    if share is None:
        return Rag.NO_TARGET
    if share >= kpi.green_from:
        return Rag.GREEN
    if share >= kpi.amber_from:
        return Rag.AMBER
    return Rag.RED


@dataclass(frozen=True)
class KpiStatus:
    """A KPI in one period: its target for the year, the value reported (its source is the
    actual's report), the achievement and the status."""

    kpi: Kpi
    year: int
    period: str
    target: Decimal | None
    actual: KpiActual | None
    achievement: Decimal | None
    status: str

    @property
    def value(self) -> Decimal | None:
        return self.actual.value if self.actual else None


def current_period(today: dt.date | None = None) -> tuple[int, str]:
    """The period the leadership looks at: the latest reporting period already due (reports
    are due after the quarter ends), else the latest one defined, else last year as a whole."""
    today = today or timezone.localdate()
    periods = list(ReportingPeriod.objects.values_list("year", "period", "due_date"))
    if not periods:
        return today.year - 1, Period.YEAR

    def order(item: tuple[int, str, dt.date]) -> tuple[int, int]:
        return item[0], PERIOD_ORDER.get(item[1], 0)

    due = [p for p in periods if p[2] <= today]
    year, period, _due = max(due or periods, key=order)
    return year, period


def previous_period(year: int, period: str) -> tuple[int, str]:
    """The quarter before (Q1's is last year's Q4); a whole year's is the year before."""
    if period == Period.YEAR:
        return year - 1, Period.YEAR
    index = PERIOD_ORDER[period]
    return (year, Period.values[index - 1]) if index else (year - 1, Period.Q4)


def running_kpis(year: int, opd_code: str | None = None) -> QuerySet[Kpi]:
    """The KPIs of the programmes running in ``year``, optionally only one OPD's."""
    kpis = (
        Kpi.objects.filter(programme__status=ProgrammeStatus.RUNNING)
        .filter(programme__start_year__lte=year)
        .exclude(programme__end_year__lt=year)
        .select_related("programme__owner")
        .prefetch_related("programme__pillars")
        .order_by("programme__name", "name")
    )
    if opd_code:
        kpis = kpis.filter(programme__owner__code=opd_code)
    return kpis


def kpi_statuses(year: int, period: str, kpis: QuerySet[Kpi] | None = None) -> list[KpiStatus]:
    """Every KPI's status for ``year``/``period`` (by default the running programmes' KPIs), with
    three queries whatever the number of KPIs."""
    found = list(kpis if kpis is not None else running_kpis(year))
    ids = [kpi.pk for kpi in found]
    targets = dict(
        KpiTarget.objects.filter(kpi_id__in=ids, year=year).values_list("kpi_id", "value")
    )
    actuals = {
        actual.kpi_id: actual
        for actual in KpiActual.objects.filter(
            kpi_id__in=ids, year=year, period=period
        ).select_related("report")
    }
    statuses = []
    for kpi in found:
        target, actual = targets.get(kpi.pk), actuals.get(kpi.pk)
        value = actual.value if actual else None
        share = achievement(kpi.direction, value, target) if actual and target is not None else None
        statuses.append(
            KpiStatus(kpi, year, period, target, actual, share, rag(kpi, value, target))
        )
    return statuses
