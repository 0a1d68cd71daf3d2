"""The quarterly report workflow: draft, submit, return with comments, revise, approve."""

import datetime
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from kotacerdas.masterplan import reporting
from kotacerdas.masterplan.choices import ReportStatus
from kotacerdas.masterplan.models import Budget, KpiActual, ReportingPeriod

pytestmark = pytest.mark.django_db


def draft(officer, programme, kpi, value="88.5", realised=250_000_000):
    report = reporting.start_report(officer, programme.owner, 2026, "Q3")
    line = reporting.LineInput(
        programme=programme,
        narrative="Kartu dibagikan di 46 kelurahan",
        realised_apbd=realised,
        kpi_values={kpi.pk: Decimal(value)},
    )
    return reporting.save_report(officer, report, "Triwulan berjalan baik", [line])


def test_officer_submits_and_administrator_returns_then_approves(
    dinsos_officer, administrator, programme, kpi, q3
):
    report = draft(dinsos_officer, programme, kpi)
    reporting.submit_report(dinsos_officer, report)
    assert report.status == ReportStatus.SUBMITTED and report.submitted_by == dinsos_officer

    reporting.return_report(administrator, report, "Lampirkan bukti penyaluran")
    assert report.status == ReportStatus.RETURNED
    assert report.review_comment == "Lampirkan bukti penyaluran"

    draft(dinsos_officer, programme, kpi, value="90")
    reporting.submit_report(dinsos_officer, report)
    reporting.approve_report(administrator, report)
    assert report.status == ReportStatus.APPROVED
    # The actual carries its source, and the budget realisation became official on approval.
    actual = KpiActual.objects.get(kpi=kpi, year=2026, period="Q3")
    assert (actual.value, actual.report) == (Decimal("90"), report)
    assert Budget.objects.get(programme=programme, year=2026).realised == 250_000_000


def test_budget_realisation_is_not_official_before_approval(dinsos_officer, programme, kpi, q3):
    reporting.submit_report(dinsos_officer, draft(dinsos_officer, programme, kpi))
    assert Budget.objects.get(programme=programme, year=2026).realised is None


def test_a_realised_budget_without_a_plan_is_refused(dinsos_officer, programme, kpi, q3):
    report = reporting.start_report(dinsos_officer, programme.owner, 2026, "Q3")
    line = reporting.LineInput(programme=programme, realised_non_apbd=5_000_000)
    with pytest.raises(ValidationError) as refused:
        reporting.save_report(dinsos_officer, report, "", [line])
    assert "kartu-sahabat.realised_non_apbd" in refused.value.message_dict
    assert not report.lines.exists()


def test_negative_budget_and_foreign_kpi_are_refused_together(dinsos_officer, programme, kpi, q3):
    report = reporting.start_report(dinsos_officer, programme.owner, 2026, "Q3")
    line = reporting.LineInput(
        programme=programme, realised_apbd=-1, kpi_values={kpi.pk + 999: Decimal(1)}
    )
    with pytest.raises(ValidationError) as refused:
        reporting.save_report(dinsos_officer, report, "", [line])
    assert set(refused.value.message_dict) == {
        "kartu-sahabat.realised_apbd",
        f"kartu-sahabat.kpi.{kpi.pk + 999}",
    }
    assert not KpiActual.objects.exists()


def test_a_report_for_a_closed_period_is_refused(dinsos_officer, programme, kpi, q3):
    report = draft(dinsos_officer, programme, kpi)
    ReportingPeriod.objects.filter(pk=q3.pk).update(closed=True)
    with pytest.raises(ValidationError) as refused:
        reporting.submit_report(dinsos_officer, report)
    assert "ditutup" in refused.value.message_dict["period"][0]
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_a_period_that_was_never_opened_is_refused(dinsos_officer, programme):
    with pytest.raises(ValidationError):
        reporting.start_report(dinsos_officer, programme.owner, 2026, "Q1")


def test_another_opd_cannot_report_or_submit(dinkes_officer, dinsos_officer, programme, kpi, q3):
    with pytest.raises(PermissionDenied):
        reporting.start_report(dinkes_officer, programme.owner, 2026, "Q3")
    report = draft(dinsos_officer, programme, kpi)
    with pytest.raises(PermissionDenied):
        reporting.save_report(dinkes_officer, report, "diubah", [])
    with pytest.raises(PermissionDenied):
        reporting.submit_report(dinkes_officer, report)


def test_officers_cannot_review(dinsos_officer, programme, kpi, q3):
    report = reporting.submit_report(dinsos_officer, draft(dinsos_officer, programme, kpi))
    with pytest.raises(PermissionDenied):
        reporting.approve_report(dinsos_officer, report)


def test_returning_needs_a_comment(dinsos_officer, administrator, programme, kpi, q3):
    report = reporting.submit_report(dinsos_officer, draft(dinsos_officer, programme, kpi))
    with pytest.raises(ValidationError):
        reporting.return_report(administrator, report, "  ")
    assert report.status == ReportStatus.SUBMITTED


def test_an_approved_report_is_frozen_except_for_administrators_with_a_reason(
    dinsos_officer, administrator, programme, kpi, q3
):
    report = reporting.submit_report(dinsos_officer, draft(dinsos_officer, programme, kpi))
    reporting.approve_report(administrator, report)
    with pytest.raises(PermissionDenied):
        reporting.save_report(dinsos_officer, report, "diubah", [])
    with pytest.raises(ValidationError):
        reporting.save_report(administrator, report, "diubah", [])

    line = reporting.LineInput(programme=programme, realised_apbd=300_000_000)
    reporting.save_report(administrator, report, "koreksi", [line], reason="Salah ketik nilai")
    assert Budget.objects.get(programme=programme, year=2026).realised == 300_000_000
    entry = LogEntry.objects.get_for_object(report).order_by("timestamp").last()
    assert entry.additional_data == {"reason": "Salah ketik nilai"}


def test_overdue_reports_are_listed_and_the_opd_is_reminded(
    dinsos_officer, administrator, programme, kpi, q3
):
    dinsos_officer.email = "officer@dinsos.example"
    dinsos_officer.save()
    programme.owner.email = "dinsos@kedirikota.example"
    programme.owner.save()
    late = reporting.overdue_reports(datetime.date(2026, 10, 20))
    assert [(item.opd, item.days_late) for item in late] == [(programme.owner, 5)]
    assert reporting.overdue_reports(datetime.date(2026, 10, 15)) == []

    assert reporting.remind_overdue(datetime.date(2026, 10, 20)) == 1
    assert sorted(mail.outbox[0].to) == ["dinsos@kedirikota.example", "officer@dinsos.example"]
    assert "2026 Q3" in mail.outbox[0].subject

    reporting.submit_report(dinsos_officer, draft(dinsos_officer, programme, kpi))
    assert reporting.overdue_reports(datetime.date(2026, 10, 20)) == []


def test_the_demo_masterplan_loads_once_with_its_programmes(kediri, administrator):
    from kotacerdas.core.provisioning import load_demo_opds
    from kotacerdas.masterplan import demo
    from kotacerdas.masterplan.models import Programme

    load_demo_opds(kediri)
    assert demo.load(kediri) is True
    assert demo.load(kediri) is False
    assert Programme.objects.filter(is_demo=True).count() == 17
    assert set(Programme.objects.filter(is_quick_win=True).values_list("code", flat=True)) == {
        "pecut",
        "arteri",
        "kampung-keren",
    }
    # Two OPDs are late with their 2026 Q3 report, so the overdue list has something true.
    late = reporting.overdue_reports(datetime.date(2026, 11, 24))
    assert {item.opd.code for item in late} == {"dlhkp", "disperkim"}


def test_values_of_a_submitted_report_are_frozen_for_the_opd(dinsos_officer, programme, kpi, q3):
    from kotacerdas.masterplan.programmes import record_kpi_actual

    reporting.submit_report(dinsos_officer, draft(dinsos_officer, programme, kpi))
    with pytest.raises(PermissionDenied):
        record_kpi_actual(dinsos_officer, kpi, 2026, "Q3", "10")
    assert KpiActual.objects.get(kpi=kpi, period="Q3").value == Decimal("88.5")


def test_a_closed_period_refuses_the_opds_changes_too(dinsos_officer, programme, kpi, q3):
    report = draft(dinsos_officer, programme, kpi)
    ReportingPeriod.objects.filter(pk=q3.pk).update(closed=True)
    with pytest.raises(ValidationError):
        reporting.save_report(dinsos_officer, report, "late change", [])
    report.refresh_from_db()
    assert report.narrative == "Triwulan berjalan baik"


def test_approving_when_the_planned_budget_was_removed_is_refused_clearly(
    dinsos_officer, administrator, programme, kpi, q3
):
    report = reporting.submit_report(dinsos_officer, draft(dinsos_officer, programme, kpi))
    Budget.objects.filter(programme=programme).delete()
    with pytest.raises(ValidationError) as refused:
        reporting.approve_report(administrator, report)
    assert "kartu-sahabat.realised_apbd" in refused.value.message_dict
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
