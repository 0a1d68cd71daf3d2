"""A KPI's red / amber / green status for a period: its own thresholds, both directions, and
"not reported" never green."""

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from kotacerdas.masterplan import kpis
from kotacerdas.masterplan.choices import Direction, Rag
from kotacerdas.masterplan.models import Kpi, KpiActual, KpiTarget, ReportingPeriod


def test_a_value_reaching_the_target_is_green_and_just_below_is_amber(kpi):
    assert kpis.rag(kpi, Decimal(95), Decimal(95)) == Rag.GREEN
    assert kpis.rag(kpi, Decimal("85.5"), Decimal(95)) == Rag.AMBER  # 90.0% of target
    assert kpis.rag(kpi, Decimal("85.4"), Decimal(95)) == Rag.RED


def test_thresholds_are_the_kpis_own(kpi):
    kpi.green_from, kpi.amber_from = Decimal(80), Decimal(50)
    assert kpis.rag(kpi, Decimal(76), Decimal(95)) == Rag.GREEN
    assert kpis.rag(kpi, Decimal(50), Decimal(95)) == Rag.AMBER
    assert kpis.rag(kpi, Decimal(40), Decimal(95)) == Rag.RED


def test_lower_is_better_reads_the_ratio_the_other_way(kpi):
    kpi.direction = Direction.LOWER
    assert kpis.rag(kpi, Decimal(3), Decimal("3.6")) == Rag.GREEN
    assert kpis.rag(kpi, Decimal(4), Decimal("3.6")) == Rag.AMBER  # 90% of target
    assert kpis.rag(kpi, Decimal("5.04"), Decimal("3.6")) == Rag.RED


def test_no_value_is_not_reported_never_green(kpi):
    assert kpis.rag(kpi, None, Decimal(95)) == Rag.NOT_REPORTED
    assert kpis.rag(kpi, None, None) == Rag.NOT_REPORTED


def test_a_value_without_a_target_has_no_target(kpi):
    assert kpis.rag(kpi, Decimal(90), None) == Rag.NO_TARGET


@given(
    value=st.decimals(min_value=0, max_value=10_000, places=2),
    target=st.decimals(min_value="0.01", max_value=10_000, places=2),
)
def test_a_higher_value_never_has_a_worse_status(value, target):
    kpi = Kpi(direction=Direction.HIGHER, green_from=Decimal(100), amber_from=Decimal(90))
    order = [Rag.RED, Rag.AMBER, Rag.GREEN]
    assert order.index(kpis.rag(kpi, value + 1, target)) >= order.index(
        kpis.rag(kpi, value, target)
    )


def test_statuses_of_a_period_come_from_that_periods_actuals(kpi, q3):
    other = Kpi.objects.create(
        programme=kpi.programme, name="Aduan ditangani", unit="%", baseline=0, baseline_year=2020
    )
    KpiTarget.objects.create(kpi=other, year=2026, value=Decimal(80))
    KpiActual.objects.create(kpi=kpi, year=2026, period="Q3", value=Decimal(70))
    KpiActual.objects.create(kpi=other, year=2026, period="Q2", value=Decimal(90))

    found = {s.kpi.pk: s for s in kpis.kpi_statuses(2026, "Q3")}

    assert found[kpi.pk].status == Rag.RED
    assert found[kpi.pk].achievement == Decimal("73.7")
    assert found[other.pk].status == Rag.NOT_REPORTED  # Q2's value is not Q3's


def test_the_current_period_is_the_latest_one_already_due(db):
    for period, due in (("Q2", dt.date(2026, 7, 15)), ("Q3", dt.date(2026, 10, 15))):
        ReportingPeriod.objects.create(year=2026, period=period, due_date=due)
    assert kpis.current_period(dt.date(2026, 9, 1)) == (2026, "Q2")
    assert kpis.current_period(dt.date(2026, 11, 24)) == (2026, "Q3")
    assert kpis.previous_period(2026, "Q1") == (2025, "Q4")


def test_without_reporting_periods_last_year_as_a_whole_is_current(db):
    assert kpis.current_period(dt.date(2026, 3, 1)) == (2025, "Y")
