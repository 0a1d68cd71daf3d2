"""The masterplan's rules on programmes, budgets and KPI values."""

from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from kotacerdas.masterplan import programmes as domain
from kotacerdas.masterplan.models import Budget, KpiActual

pytestmark = pytest.mark.django_db


def test_officer_updates_their_programme_and_the_trail_keeps_the_change(dinsos_officer, programme):
    domain.update_programme(dinsos_officer, programme, {"status": "paused"})
    programme.refresh_from_db()
    assert programme.status == "paused"
    entry = LogEntry.objects.get_for_object(programme).order_by("timestamp").last()
    assert entry.actor == dinsos_officer
    assert entry.changes_dict["status"] == ["running", "paused"]


def test_officer_of_another_opd_cannot_change_the_programme(dinkes_officer, programme):
    with pytest.raises(PermissionDenied):
        domain.update_programme(dinkes_officer, programme, {"status": "stopped"})
    with pytest.raises(PermissionDenied):
        domain.set_budget(dinkes_officer, programme, 2026, "apbd", 1)


def test_years_outside_the_masterplan_period_are_refused(administrator, programme):
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        domain.update_programme(administrator, programme, {"end_year": 2031})
    assert "2031 is outside the masterplan period 2020-2029" in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        domain.set_budget(administrator, programme, 2019, "apbd", 1_000)
    assert "year" in refused.value.message_dict
    programme.refresh_from_db()
    assert programme.end_year is None


def test_negative_and_fractional_budgets_are_refused(administrator, programme):
    with pytest.raises(ValidationError) as refused:
        domain.set_budget(administrator, programme, 2026, "apbd", -5)
    assert refused.value.message_dict == {"planned": ["Anggaran tidak boleh bernilai negatif."]}
    with pytest.raises(ValidationError):
        domain.set_budget(administrator, programme, 2026, "apbd", 10.5)
    assert Budget.objects.get(programme=programme, year=2026).planned == 1_000_000_000


def test_an_opd_reports_realisation_rather_than_setting_it(dinsos_officer, programme):
    with pytest.raises(PermissionDenied):
        domain.set_budget(dinsos_officer, programme, 2026, "apbd", 1_000_000_000, 5)
    assert domain.set_budget(dinsos_officer, programme, 2026, "apbd", 900_000_000).planned == (
        900_000_000
    )


def test_a_realised_budget_needs_a_plan(administrator, programme):
    with pytest.raises(ValidationError) as refused:
        domain.set_budget(administrator, programme, 2025, "non_apbd", None, realised=5_000)
    assert "realised" in refused.value.message_dict
    budget = domain.set_budget(administrator, programme, 2025, "non_apbd", 10_000, 5_000)
    assert (budget.planned, budget.realised) == (10_000, 5_000)


def test_the_database_itself_refuses_a_negative_budget(programme):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Budget.objects.filter(programme=programme).update(planned=-1)


@pytest.mark.parametrize("value", ["tinggi", "", "NaN", "1e999999"])
def test_non_numeric_kpi_actuals_are_refused(administrator, kpi, value):
    with pytest.raises(ValidationError) as refused:
        domain.record_kpi_actual(administrator, kpi, 2026, "Q3", value)
    assert "value" in refused.value.message_dict
    assert not KpiActual.objects.exists()


def test_kpi_actual_accepts_a_decimal_comma(dinsos_officer, kpi):
    actual = domain.record_kpi_actual(dinsos_officer, kpi, 2026, "Q3", "88,25")
    assert actual.value == Decimal("88.25")


def test_kpi_period_must_be_a_quarter_or_the_year(administrator, kpi):
    with pytest.raises(ValidationError) as refused:
        domain.record_kpi_actual(administrator, kpi, 2026, "Q5", "1")
    assert "period" in refused.value.message_dict


def test_the_budget_table_lists_every_budget_line_for_satu_data(programme):
    from kotacerdas.masterplan.facts import budget_table
    from kotacerdas.masterplan.models import Budget

    Budget.objects.create(
        programme=programme, year=2025, source="non_apbd", planned=5_000, realised=4_000
    )
    rows = budget_table()
    assert [(r["tahun"], r["sumber"]) for r in rows] == [(2025, "non_apbd"), (2026, "apbd")]
    assert rows[0] == {
        "kode_program": "kartu-sahabat",
        "nama_program": "Kartu Sahabat",
        "opd": "dinsos",
        "tahun": 2025,
        "sumber": "non_apbd",
        "rencana_rp": 5_000,
        "realisasi_rp": 4_000,
    }
