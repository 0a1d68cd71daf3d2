"""Fixtures of the masterplan, shared with the modules that read it (see the root conftest):
a small masterplan with one Dinas Sosial programme."""

import datetime
from decimal import Decimal

import pytest

from kotacerdas.core.models import Pillar
from kotacerdas.masterplan.models import (
    Budget,
    Kpi,
    KpiTarget,
    Masterplan,
    Programme,
    ReportingPeriod,
)


@pytest.fixture
def masterplan(kediri) -> Masterplan:
    return Masterplan.objects.create(
        region=kediri,
        title="Masterplan Smart City",
        start_year=2020,
        end_year=2029,
    )


@pytest.fixture
def programme(masterplan, dinsos) -> Programme:
    programme = Programme.objects.create(
        masterplan=masterplan,
        code="kartu-sahabat",
        name="Kartu Sahabat",
        owner=dinsos,
        kind="digital",
        start_year=2021,
        status="running",
    )
    programme.pillars.set([Pillar.objects.get(code="society")])
    Budget.objects.create(programme=programme, year=2026, source="apbd", planned=1_000_000_000)
    return programme


@pytest.fixture
def kpi(programme) -> Kpi:
    kpi = Kpi.objects.create(
        programme=programme,
        name="Penerima terverifikasi NIK",
        unit="%",
        baseline=Decimal(78),
        baseline_year=2020,
    )
    KpiTarget.objects.create(kpi=kpi, year=2026, value=Decimal(95))
    return kpi


@pytest.fixture
def q3(db) -> ReportingPeriod:
    return ReportingPeriod.objects.create(
        year=2026, period="Q3", due_date=datetime.date(2026, 10, 15)
    )
