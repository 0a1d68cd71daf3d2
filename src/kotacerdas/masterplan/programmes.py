"""Changing programmes, their budgets, KPI targets and actuals: the write path shared by the web
pages, the API and the Excel import. Each function checks the masterplan's rules and refuses
the whole change with a ValidationError naming the field."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kotacerdas.core.audit import records_actor
from kotacerdas.core.models import User
from kotacerdas.masterplan import rules
from kotacerdas.masterplan.choices import BudgetSource, Period, ReportStatus
from kotacerdas.masterplan.models import Budget, Kpi, KpiActual, KpiTarget, Masterplan, Programme

# KPI values are stored with 16 digits, 2 of them decimals.
MAX_KPI_VALUE = Decimal(10) ** 14
# Amounts are stored as 64-bit integers.
LARGEST_RUPIAH = 2**63 - 1
# An amount typed as text: 1500000 or 1.500.000 (Indonesian thousands), optionally "Rp".
RUPIAH_TEXT = re.compile(r"^-?(\d+|\d{1,3}(\.\d{3})+)$")

PROGRAMME_FIELDS = (
    "name",
    "description",
    "kind",
    "is_quick_win",
    "start_year",
    "end_year",
    "status",
    "target_users",
    "delivered_by",
)


def check_year(masterplan: Masterplan, year: int | None, field: str) -> dict[str, str]:
    """A year must fall inside the masterplan's period."""
    if year is not None and not masterplan.covers(year):
        return {
            field: _("%(year)s is outside the masterplan period %(start)s-%(end)s.")
            % {"year": year, "start": masterplan.start_year, "end": masterplan.end_year}
        }
    return {}


def check_amount(value: Any, field: str) -> dict[str, str]:
    """Rupiah amounts are whole, non-negative numbers."""
    if value is None:
        return {}
    if isinstance(value, bool) or not isinstance(value, int):
        return {field: _("Enter a whole number of rupiah.")}
    if value < 0:
        return {field: _("A budget cannot be negative.")}
    if value > LARGEST_RUPIAH:
        return {field: _("This amount is too large.")}
    return {}


def parse_rupiah(text: str, field: str) -> int:
    """An amount typed by a person ("1.500.000", "Rp 1500000"), as whole rupiah; a clear error
    for anything else ("1,5", "1.5", "--5")."""
    cleaned = re.sub(r"^rp\.?", "", text.strip().lower()).replace(" ", "")
    if not RUPIAH_TEXT.match(cleaned):
        raise ValidationError({field: _("Enter a whole number of rupiah.")})
    amount = int(cleaned.replace(".", ""))
    errors = check_amount(amount, field)
    if errors:
        raise ValidationError(errors)
    return amount


def parse_number(value: Any, field: str) -> Decimal:
    """A KPI value from a form, a spreadsheet cell or JSON: a finite number, or a clear error."""
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ValidationError(
            {field: _("'%(value)s' is not a number.") % {"value": value}}
        ) from None
    if not number.is_finite():
        raise ValidationError({field: _("'%(value)s' is not a number.") % {"value": value}})
    if abs(number) >= MAX_KPI_VALUE:
        raise ValidationError({field: _("'%(value)s' is too large.") % {"value": value}})
    return number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@records_actor
@transaction.atomic
def update_programme(actor: User, programme: Programme, changes: dict[str, Any]) -> Programme:
    """Change a programme's descriptive fields, status and period."""
    if not rules.can_edit_programme(actor, programme):
        raise PermissionDenied(_("You may not change this programme."))
    unknown = sorted(set(changes) - set(PROGRAMME_FIELDS))
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    for name, value in changes.items():
        setattr(programme, name, value)
    errors = check_year(programme.masterplan, programme.start_year, "start_year")
    errors.update(check_year(programme.masterplan, programme.end_year, "end_year"))
    if programme.end_year is not None and programme.end_year < programme.start_year:
        errors["end_year"] = _("The end year is before the start year.")
    if errors:
        raise ValidationError(errors)
    programme.full_clean(exclude=["masterplan", "owner", "code"])
    programme.save()
    return programme


@records_actor
@transaction.atomic
def set_budget(
    actor: User,
    programme: Programme,
    year: int,
    source: str,
    planned: int | None,
    realised: int | None = None,
) -> Budget | None:
    """Set a programme's planned and realised budget for a year and source. A realised amount
    needs a planned one. ``planned=None`` with no realisation removes the line."""
    if not rules.can_edit_programme(actor, programme):
        raise PermissionDenied(_("You may not change this programme."))
    errors = check_year(programme.masterplan, year, "year")
    if source not in BudgetSource.values:
        errors["source"] = _("The source must be APBD or non-APBD.")
    errors.update(check_amount(planned, "planned"))
    errors.update(check_amount(realised, "realised"))
    if realised is not None and planned is None:
        errors["realised"] = _("A realised budget needs a planned budget.")
    current = Budget.objects.filter(programme=programme, year=year, source=source).first()
    changes_realisation = realised != (current.realised if current else None)
    if changes_realisation and not rules.can_review_reports(actor):
        # An OPD reports its realisation through its quarterly report, which becomes official
        # when Diskominfo approves it; only administrators correct it directly.
        raise PermissionDenied(_("Report the realised budget in the quarterly progress report."))
    if errors:
        raise ValidationError(errors)
    if planned is None:
        Budget.objects.filter(programme=programme, year=year, source=source).delete()
        return None
    budget, _created = Budget.objects.update_or_create(
        programme=programme,
        year=year,
        source=source,
        defaults={"planned": planned, "realised": realised},
    )
    return budget


@records_actor
@transaction.atomic
def set_kpi_target(actor: User, kpi: Kpi, year: int, value: Any) -> KpiTarget:
    if not rules.can_edit_programme(actor, kpi.programme):
        raise PermissionDenied(_("You may not change this programme."))
    errors = check_year(kpi.programme.masterplan, year, "year")
    if errors:
        raise ValidationError(errors)
    target, _created = KpiTarget.objects.update_or_create(
        kpi=kpi, year=year, defaults={"value": parse_number(value, "value")}
    )
    return target


# Once a report is submitted its values are Diskominfo's to review: the OPD changes them only by
# revising a returned report.
FROZEN_REPORT_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.APPROVED)


def is_frozen(actual: KpiActual | None) -> bool:
    """Whether a KPI value came from a report that is under review or approved."""
    return (
        actual is not None
        and actual.report is not None
        and actual.report.status in FROZEN_REPORT_STATUSES
    )


@records_actor
@transaction.atomic
def record_kpi_actual(
    actor: User, kpi: Kpi, year: int, period: str, value: Any, note: str = ""
) -> KpiActual:
    """Record a KPI's value for a period directly (the Excel import and administrators); OPD
    reports record theirs through ``reporting.save_report``. A value that came from an approved
    report can only be overwritten by an administrator."""
    if not rules.can_edit_programme(actor, kpi.programme):
        raise PermissionDenied(_("You may not change this programme."))
    errors = check_year(kpi.programme.masterplan, year, "year")
    if period not in Period.values:
        errors["period"] = _("The period must be Q1, Q2, Q3, Q4 or Y.")
    if errors:
        raise ValidationError(errors)
    number = parse_number(value, "value")
    existing = KpiActual.objects.filter(kpi=kpi, year=year, period=period).first()
    if is_frozen(existing) and not rules.can_review_reports(actor):
        raise PermissionDenied(_("This value comes from a report under review or approved."))
    # Entered directly, the value no longer comes from a report: its source changes with it.
    actual, _created = KpiActual.objects.update_or_create(
        kpi=kpi, year=year, period=period, defaults={"value": number, "note": note, "report": None}
    )
    return actual
