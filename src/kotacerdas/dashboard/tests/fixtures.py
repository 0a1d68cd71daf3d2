"""Fixtures of the dashboard: a programme with a red KPI and one not reported in the current
reporting period (due ten days ago), so the figures have something true to show."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from kotacerdas.masterplan.models import Kpi, KpiActual, KpiTarget, ProgressReport, ReportingPeriod


@pytest.fixture
def period(db) -> ReportingPeriod:
    """The current reporting period: this year's Q3, due ten days ago."""
    today = timezone.localdate()
    return ReportingPeriod.objects.create(
        year=today.year, period="Q3", due_date=today - dt.timedelta(days=10)
    )


@pytest.fixture
def red_kpi(kpi, period) -> Kpi:
    """The Kartu Sahabat KPI (target 95%) at 70% in the current period: red, from Dinas
    Sosial's submitted report."""
    KpiTarget.objects.update_or_create(kpi=kpi, year=period.year, defaults={"value": Decimal(95)})
    report = ProgressReport.objects.create(
        opd=kpi.programme.owner,
        year=period.year,
        period=period.period,
        status="submitted",
        submitted_at=timezone.now(),
    )
    KpiActual.objects.create(
        kpi=kpi, year=period.year, period=period.period, value=Decimal(70), report=report
    )
    return kpi


@pytest.fixture
def silent_kpi(red_kpi, period) -> Kpi:
    """A second KPI of the same programme with a target and no value this period."""
    kpi = Kpi.objects.create(
        programme=red_kpi.programme,
        name="Aduan bansos ditangani",
        unit="%",
        baseline=Decimal(50),
        baseline_year=2020,
    )
    KpiTarget.objects.create(kpi=kpi, year=period.year, value=Decimal(80))
    return kpi
