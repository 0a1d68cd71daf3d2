"""The programmes panel: every KPI of a running programme in the current reporting period,
red / amber / green or not reported (``masterplan.kpis``), by pillar and by owner OPD; the
budget planned and realised; the overdue OPD reports (``masterplan.reporting``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from kotacerdas.dashboard.choices import FigureStatus
from kotacerdas.dashboard.figures import Figure, format_number, rounded
from kotacerdas.dashboard.metrics import metric
from kotacerdas.dashboard.panels.base import (
    SEVERITY,
    Panel,
    Reader,
    link,
    overdue_count,
)
from kotacerdas.masterplan import kpis, reporting
from kotacerdas.masterplan.choices import BudgetSource, Rag
from kotacerdas.masterplan.models import Budget

KPI_STATUS = {
    Rag.GREEN: FigureStatus.GREEN,
    Rag.AMBER: FigureStatus.AMBER,
    Rag.RED: FigureStatus.RED,
    Rag.NOT_REPORTED: FigureStatus.NOT_REPORTED,
    Rag.NO_TARGET: FigureStatus.NEUTRAL,
}


def programmes_panel(reader: Reader, year: int | None = None, period: str | None = None) -> Panel:
    """Every running programme's KPIs in the period, red / amber / green or not reported, by
    pillar and by owner OPD; the budget planned and realised; the overdue OPD reports."""
    if year is None or period is None:
        year, period = kpis.current_period(reader.today)
    panel = Panel("programmes", _("Programmes"))
    scope = reader.scope
    statuses = kpis.kpi_statuses(year, period, kpis.running_kpis(year, scope.opd_code))
    kpi_metric = metric("kpi.achievement")
    by_pillar: dict[str, list[Figure]] = {}
    by_opd: dict[str, list[Figure]] = {}
    for found in statuses:
        kpi, programme = found.kpi, found.kpi.programme
        report = found.actual.report if found.actual else None
        if report is not None:
            source = _("Progress report %(opd)s %(year)s %(period)s") % {
                "opd": programme.owner,
                "year": report.year,
                "period": report.period,
            }
            source_url = link("masterplan:report", report.opd.code, report.year, report.period)
            updated = report.reviewed_at or report.submitted_at
        else:
            source = _("Entered directly") if found.actual else _("No value reported")
            source_url, updated = "", None
        figure = Figure(
            f"kpi.{kpi.pk}",
            kpi_metric,
            f"{kpi.name} ({programme.name})",
            found.value,
            f"{year} {period}",
            source,
            updated_at=updated,
            owner=programme.owner.code,
            unit=kpi.unit,
            target=found.target,
            status=KPI_STATUS[found.status],
            detail=(
                _("%(share)s%% of target") % {"share": format_number(found.achievement)}
                if found.achievement is not None
                else ""
            ),
            source_url=source_url if reader.staff else "",
            drill_url=(
                link("masterplan:programme", programme.code, kpi=kpi.pk) + f"#kpi-{kpi.pk}"
                if reader.staff
                else ""
            ),
            series=f"kpi.{kpi.pk}",
        )
        panel.figures.append(figure)
        for pillar in programme.pillars.all():
            by_pillar.setdefault(pillar.name, []).append(figure)
        by_opd.setdefault(str(programme.owner), []).append(figure)
    # The mayor reads what needs attention first: red, then not reported, amber, green.
    for figures in (*by_pillar.values(), *by_opd.values()):
        figures.sort(key=lambda f: SEVERITY.index(f.status))
    counts = {status: 0 for status in FigureStatus.values}
    for figure in panel.figures:
        counts[figure.status] += 1
    programmes = {s.kpi.programme for s in statuses}
    budget = _budget(reader, programmes, year)
    overdue = [
        late
        for late in reporting.overdue_reports(reader.today)
        if scope.opd_code is None or late.opd.code == scope.opd_code
    ]
    panel.figures.append(
        overdue_count(
            reader,
            "reports.overdue",
            len(overdue),
            _("Reporting periods and progress reports"),
            link("masterplan:inbox"),
        )
    )
    panel.figures.extend(budget["figures"])
    if not statuses:
        panel.note = _("No KPI of a running programme for %(year)s.") % {"year": year}
    panel.context = {
        "year": year,
        "period": period,
        "counts": [(status, label, counts[status]) for status, label in FigureStatus.choices],
        "by_pillar": [
            (pillar, figures, any(f.status in SEVERITY[:2] for f in figures))
            for pillar, figures in sorted(by_pillar.items())
        ],
        "by_opd": sorted(by_opd.items()),
        "budget": budget["rows"],
        "budget_total": budget["total"],
        "overdue": overdue,
    }
    return panel


def _budget(reader: Reader, programmes: set, year: int) -> dict[str, Any]:
    """Planned and realised per programme and source (APBD, non-APBD) for ``year``."""
    rows: dict[str, dict[str, Any]] = {}
    total = {"planned": 0, "realised": 0}
    budgets = Budget.objects.filter(year=year, programme__in=programmes).select_related(
        "programme__owner"
    )
    for budget in budgets.order_by("programme__name"):
        row = rows.setdefault(
            budget.programme.code,
            {"programme": budget.programme, "apbd": None, "non_apbd": None},
        )
        key = "apbd" if budget.source == BudgetSource.APBD else "non_apbd"
        row[key] = (budget.planned, budget.realised)
        total["planned"] += budget.planned
        total["realised"] += budget.realised or 0
    figures = []
    realisation = metric("budget.realisation")
    for code, row in rows.items():
        planned = sum(part[0] for part in (row["apbd"], row["non_apbd"]) if part)
        realised = sum(part[1] or 0 for part in (row["apbd"], row["non_apbd"]) if part)
        row["share"] = rounded(100 * Decimal(realised) / planned) if planned else None
        figures.append(
            Figure(
                f"budget.{code}",
                realisation,
                str(row["programme"].name),
                row["share"],
                str(year),
                _("Programme budget %(year)s") % {"year": year},
                owner=row["programme"].owner.code,
                drill_url=link("masterplan:budget") if reader.staff else "",
                updated_at=row["programme"].updated_at,
            )
        )
    share = (
        rounded(100 * Decimal(total["realised"]) / total["planned"]) if total["planned"] else None
    )
    return {"rows": list(rows.values()), "total": {**total, "share": share}, "figures": figures}
