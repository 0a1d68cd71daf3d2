"""The quarterly progress report of an OPD: written as a draft, submitted, reviewed by
Diskominfo, approved or returned with comments, revised and submitted again.

Every function here is one transaction and refuses the whole change with a ValidationError
naming the field and the reason, so a report is never half-saved.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from auditlog.models import LogEntry
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.core.audit import records_actor
from kotacerdas.core.files import check_upload
from kotacerdas.core.models import Opd, User
from kotacerdas.core.opds import mail_recipients
from kotacerdas.masterplan import rules
from kotacerdas.masterplan.choices import BudgetSource, ProgrammeStatus, ReportStatus
from kotacerdas.masterplan.models import (
    Budget,
    KpiActual,
    Programme,
    ProgressReport,
    ReportEvidence,
    ReportingPeriod,
    ReportLine,
)


@dataclass
class LineInput:
    """What an OPD reports about one of its programmes for the period."""

    programme: Programme
    narrative: str = ""
    realised_apbd: int | None = None
    realised_non_apbd: int | None = None
    kpi_values: dict[int, Decimal] = field(default_factory=dict)  # KPI id -> value


def reporting_period(year: int, period: str) -> ReportingPeriod:
    found = ReportingPeriod.objects.filter(year=year, period=period).first()
    if found is None:
        raise ValidationError(
            {
                "period": _("No reporting period %(year)s %(period)s has been opened.")
                % {"year": year, "period": period}
            }
        )
    return found


def _locked(report: ProgressReport) -> ProgressReport:
    """Re-read the report inside the transaction, locked, so that two reviewers (or a reviewer
    and the OPD) acting at once see each other's result instead of a stale status."""
    fresh = ProgressReport.objects.select_for_update().get(pk=report.pk)
    for name in (
        "status",
        "narrative",
        "submitted_at",
        "submitted_by_id",
        "reviewed_at",
        "reviewed_by_id",
        "review_comment",
    ):
        setattr(report, name, getattr(fresh, name))
    return report


def _refuse_closed(report: ProgressReport) -> None:
    if reporting_period(report.year, report.period).closed:
        raise ValidationError(
            {
                "period": _("The reporting period %(year)s %(period)s is closed.")
                % {"year": report.year, "period": report.period}
            }
        )


@records_actor
@transaction.atomic
def start_report(actor: User, opd: Opd, year: int, period: str) -> ProgressReport:
    """The OPD's report for the period, created as a draft if it does not exist yet."""
    if not (rules.works_for(actor, opd) or rules.can_review_reports(actor)):
        raise PermissionDenied(_("You may not report for this OPD."))
    report = ProgressReport.objects.filter(opd=opd, year=year, period=period).first()
    if report is None:
        report = ProgressReport(opd=opd, year=year, period=period)
        _refuse_closed(report)
        report.save()
    return report


def _check_line(report: ProgressReport, line: LineInput) -> dict[str, str]:
    errors: dict[str, str] = {}
    programme = line.programme
    prefix = f"{programme.code}."
    if programme.owner_id != report.opd_id:
        errors[f"{prefix}programme"] = _("This programme is not owned by %(opd)s.") % {
            "opd": report.opd
        }
        return errors
    if not programme.masterplan.covers(report.year):
        errors[f"{prefix}year"] = _(
            "%(year)s is outside the masterplan period %(start)s-%(end)s."
        ) % {
            "year": report.year,
            "start": programme.masterplan.start_year,
            "end": programme.masterplan.end_year,
        }
    planned = {
        budget.source: budget.planned for budget in programme.budgets.filter(year=report.year)
    }
    for source, value in (
        (BudgetSource.APBD, line.realised_apbd),
        (BudgetSource.NON_APBD, line.realised_non_apbd),
    ):
        name = f"{prefix}realised_{source}"
        if value is None:
            continue
        if value < 0:
            errors[name] = _("A budget cannot be negative.")
        elif source not in planned:
            errors[name] = _(
                "There is no planned %(source)s budget for %(year)s; "
                "a realised budget needs a plan."
            ) % {"source": source.label, "year": report.year}
    kpis = set(programme.kpis.values_list("pk", flat=True))
    for kpi_id, value in line.kpi_values.items():
        if kpi_id not in kpis:
            errors[f"{prefix}kpi.{kpi_id}"] = _("This KPI does not belong to the programme.")
        elif not isinstance(value, Decimal) or not value.is_finite():
            errors[f"{prefix}kpi.{kpi_id}"] = _("A KPI value must be a number.")
    return errors


@records_actor
@transaction.atomic
def save_report(
    actor: User, report: ProgressReport, narrative: str, lines: list[LineInput], reason: str = ""
) -> ProgressReport:
    """Write the report's narrative, its programme lines and the KPI actuals they carry.

    An approved report can only be changed by an administrator, with a ``reason`` that the audit
    trail records.
    """
    _locked(report)
    if not rules.can_edit_report(actor, report):
        raise PermissionDenied(_("This report can no longer be changed."))
    if not rules.can_review_reports(actor):
        _refuse_closed(report)
    if report.status == ReportStatus.APPROVED and not reason.strip():
        raise ValidationError({"reason": _("Changing an approved report needs a reason.")})
    errors: dict[str, str] = {}
    for line in lines:
        errors.update(_check_line(report, line))
    if errors:
        raise ValidationError(errors)
    report.narrative = narrative
    report.save(update_fields=["narrative"])
    if report.status == ReportStatus.APPROVED:
        # The reason goes into the audit trail even when only the lines or values changed.
        LogEntry.objects.log_create(
            report,
            force_log=True,
            action=LogEntry.Action.UPDATE,
            changes={"amended": ["approved report", "changed by an administrator"]},
            additional_data={"reason": reason.strip()},
        )
    for line in lines:
        ReportLine.objects.update_or_create(
            report=report,
            programme=line.programme,
            defaults={
                "narrative": line.narrative,
                "realised_apbd": line.realised_apbd,
                "realised_non_apbd": line.realised_non_apbd,
            },
        )
        for kpi_id, value in line.kpi_values.items():
            KpiActual.objects.update_or_create(
                kpi_id=kpi_id,
                year=report.year,
                period=report.period,
                defaults={"value": value, "report": report, "note": ""},
            )
    if report.status == ReportStatus.APPROVED:
        _apply_budget_realisation(report)
    return report


@records_actor
@transaction.atomic
def attach_evidence(
    actor: User, report: ProgressReport, upload: UploadedFile, description: str = ""
) -> ReportEvidence:
    """Attach a supporting file (PDF, image or Office document, size-limited, checked by its
    content) to a report the actor may still edit."""
    _locked(report)
    if not rules.can_edit_report(actor, report):
        raise PermissionDenied(_("This report can no longer be changed."))
    if not rules.can_review_reports(actor):
        _refuse_closed(report)
    try:
        check_upload(upload)
    except ValidationError as error:
        raise ValidationError({"evidence": error.messages}) from None
    return ReportEvidence.objects.create(
        report=report, file=upload, description=description.strip()[:200] or upload.name[:200]
    )


@records_actor
@transaction.atomic
def submit_report(actor: User, report: ProgressReport) -> ProgressReport:
    """Send the report to Diskominfo for review."""
    if not rules.works_for(actor, report.opd) and not rules.can_review_reports(actor):
        raise PermissionDenied(_("You may not submit this report."))
    _locked(report)
    if report.status not in {ReportStatus.DRAFT, ReportStatus.RETURNED}:
        raise ValidationError({"status": _("Only a draft or returned report can be submitted.")})
    _refuse_closed(report)
    if not report.lines.exists():
        raise ValidationError({"lines": _("Report on at least one programme before submitting.")})
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = timezone.now()
    report.submitted_by = actor
    report.save(update_fields=["status", "submitted_at", "submitted_by"])
    return report


def _review(actor: User, report: ProgressReport, status: str, comment: str) -> ProgressReport:
    if not rules.can_review_reports(actor):
        raise PermissionDenied(_("Only Diskominfo's smart city team reviews reports."))
    _locked(report)
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError({"status": _("Only a submitted report can be reviewed.")})
    report.status = status
    report.reviewed_at = timezone.now()
    report.reviewed_by = actor
    report.review_comment = comment
    report.save(update_fields=["status", "reviewed_at", "reviewed_by", "review_comment"])
    return report


@records_actor
@transaction.atomic
def return_report(actor: User, report: ProgressReport, comment: str) -> ProgressReport:
    """Send the report back to the OPD with comments on what to revise."""
    if not comment.strip():
        raise ValidationError({"comment": _("Say what the OPD should revise.")})
    return _review(actor, report, ReportStatus.RETURNED, comment.strip())


@records_actor
@transaction.atomic
def approve_report(actor: User, report: ProgressReport, comment: str = "") -> ProgressReport:
    """Accept the report: its budget figures become the programmes' official realisation."""
    report = _review(actor, report, ReportStatus.APPROVED, comment.strip())
    _apply_budget_realisation(report)
    return report


def _apply_budget_realisation(report: ProgressReport) -> None:
    for line in report.lines.all():
        for source, value in (
            (BudgetSource.APBD, line.realised_apbd),
            (BudgetSource.NON_APBD, line.realised_non_apbd),
        ):
            if value is None:
                continue
            budget = Budget.objects.filter(
                programme=line.programme, year=report.year, source=source
            ).first()
            if budget is None:
                raise ValidationError(
                    {
                        f"{line.programme.code}.realised_{source}": _(
                            "The planned %(source)s budget for %(year)s was removed; "
                            "plan it again or correct the report."
                        )
                        % {"source": BudgetSource(source).label, "year": report.year}
                    }
                )
            if budget.realised != value:
                budget.realised = value
                budget.save(update_fields=["realised"])


def reporting_opds(year: int) -> list[Opd]:
    """The OPDs that must report in ``year``: owners of a programme running that year."""
    owners = (
        Programme.objects.filter(status=ProgrammeStatus.RUNNING, start_year__lte=year)
        .exclude(end_year__lt=year)
        .values("owner")
    )
    return list(Opd.objects.filter(pk__in=owners))


@dataclass(frozen=True)
class Overdue:
    opd: Opd
    period: ReportingPeriod
    days_late: int


def overdue_reports(today: datetime.date | None = None) -> list[Overdue]:
    """Reports past their due date and not yet submitted (or returned and not resubmitted),
    for every open period."""
    today = today or timezone.localdate()
    late = []
    for period in ReportingPeriod.objects.filter(closed=False, due_date__lt=today):
        done = set(
            ProgressReport.objects.filter(
                year=period.year,
                period=period.period,
                status__in=[ReportStatus.SUBMITTED, ReportStatus.APPROVED],
            ).values_list("opd_id", flat=True)
        )
        for opd in reporting_opds(period.year):
            if opd.pk not in done:
                late.append(Overdue(opd, period, (today - period.due_date).days))
    return sorted(late, key=lambda item: (-item.days_late, item.opd.name))


def remind_overdue(today: datetime.date | None = None) -> int:
    """Email each late OPD (its office address and its officers) a reminder; returns the number
    of messages sent."""
    messages = []
    for item in overdue_reports(today):
        recipients = mail_recipients(item.opd)
        if not recipients:
            continue
        subject = _("Progress report %(year)s %(period)s is overdue") % {
            "year": item.period.year,
            "period": item.period.period,
        }
        body = _(
            "The smart city progress report of %(opd)s for %(year)s %(period)s was due on "
            "%(due)s (%(days)s days ago). Please submit it in Kota Cerdas."
        ) % {
            "opd": item.opd.name,
            "year": item.period.year,
            "period": item.period.period,
            "due": item.period.due_date.isoformat(),
            "days": item.days_late,
        }
        messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, recipients))
    return send_mass_mail(messages, fail_silently=False) if messages else 0
