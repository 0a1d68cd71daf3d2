"""The masterplan's web pages: overview by pillar, programme pages with KPI charts, the OPD
inbox, budgets by pillar and year, and the quarterly report workflow."""

from __future__ import annotations

import json
from collections import defaultdict

from auditlog.models import LogEntry
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q, Sum
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.core.models import Opd, Pillar
from kotacerdas.core.views import staff_required
from kotacerdas.masterplan import programmes, reporting, rules
from kotacerdas.masterplan.choices import BudgetSource, ProgrammeStatus, ReportStatus
from kotacerdas.masterplan.forms import BudgetForm, ProgrammeForm
from kotacerdas.masterplan.models import (
    ActionActivity,
    Budget,
    Kpi,
    Masterplan,
    Meeting,
    MeetingEvidence,
    Programme,
    ProgressReport,
    ReportEvidence,
    ReportingPeriod,
    Revision,
)
from kotacerdas.masterplan.programmes import parse_number, parse_rupiah

PERIOD_PRECEDENCE = ["Y", "Q4", "Q3", "Q2", "Q1"]


def current_masterplan() -> Masterplan | None:
    return Masterplan.objects.order_by("-start_year").first()


@staff_required
def overview(request: HttpRequest) -> HttpResponse:
    """The masterplan by pillar: programmes, quick wins, status and this year's budget."""
    masterplan = current_masterplan()
    year = timezone.localdate().year
    programmes = Programme.objects.select_related("owner").prefetch_related(
        "pillars", Prefetch("budgets", queryset=Budget.objects.filter(year=year))
    )
    by_pillar = []
    for pillar in Pillar.objects.all():
        rows = [p for p in programmes if pillar in p.pillars.all()]
        by_pillar.append({"pillar": pillar, "programmes": rows})
    return render(
        request,
        "masterplan/overview.html",
        {
            "masterplan": masterplan,
            "by_pillar": by_pillar,
            "year": year,
            "counts": {
                "programmes": programmes.count(),
                "running": programmes.filter(status=ProgrammeStatus.RUNNING).count(),
                "quick_wins": programmes.filter(is_quick_win=True).count(),
            },
        },
    )


@staff_required
def programme_detail(request: HttpRequest, code: str) -> HttpResponse:
    programme = get_object_or_404(
        Programme.objects.select_related("owner", "masterplan").prefetch_related(
            "pillars", "partner_opds", "partners", "budgets", "kpis__targets", "kpis__actuals"
        ),
        code=code,
    )
    charts = []
    for kpi in programme.kpis.all():
        years = sorted({t.year for t in kpi.targets.all()} | {a.year for a in kpi.actuals.all()})
        targets = {t.year: float(t.value) for t in kpi.targets.all()}
        # The chart shows the whole-year value, or else the latest quarter reported so far.
        actuals: dict[int, float] = {}
        for actual in sorted(kpi.actuals.all(), key=lambda a: PERIOD_PRECEDENCE.index(a.period)):
            actuals.setdefault(actual.year, float(actual.value))
        charts.append(
            {
                "kpi": kpi,
                "data": json.dumps(
                    {
                        "labels": years,
                        "target": [targets.get(y) for y in years],
                        "actual": [actuals.get(y) for y in years],
                        "targetLabel": _("Target"),
                        "actualLabel": _("Actual"),
                    }
                ),
            }
        )
    # The programme's own changes and those of its budget lines and KPIs.
    parts = Q(content_type=ContentType.objects.get_for_model(Programme), object_id=programme.pk)
    for model, keys in (
        (Budget, [b.pk for b in programme.budgets.all()]),
        (Kpi, [k.pk for k in programme.kpis.all()]),
    ):
        parts |= Q(content_type=ContentType.objects.get_for_model(model), object_id__in=keys)
    history = (
        LogEntry.objects.filter(parts)
        .select_related("actor", "content_type")
        .order_by("-timestamp")[:30]
    )
    return render(
        request,
        "masterplan/programme.html",
        {
            "programme": programme,
            "charts": charts,
            "history": history,
            "can_edit": rules.can_edit_programme(request.user, programme),
            # A KPI followed from the dashboard opens with its values and their reports.
            "open_kpi": request.GET.get("kpi", ""),
        },
    )


def _apply_form(request: HttpRequest, form, change) -> bool:
    """Run a domain change with a valid form's data; put the domain's field errors back on the
    form. True when the change went through."""
    if not form.is_valid():
        return False
    try:
        change(form.cleaned_data)
    except ValidationError as error:
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
        return False
    except PermissionDenied as refused:
        form.add_error(None, str(refused))
        return False
    return True


def _current_realised(programme: Programme, cleaned: dict) -> int | None:
    budget = programme.budgets.filter(year=cleaned["year"], source=cleaned["source"]).first()
    return budget.realised if budget else None


@staff_required
def programme_edit(request: HttpRequest, code: str) -> HttpResponse:
    """The owner OPD (or an administrator) keeps a programme's description, status, period and
    budget up to date."""
    programme = get_object_or_404(Programme.objects.select_related("masterplan"), code=code)
    if not rules.can_edit_programme(request.user, programme):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    which = request.POST.get("form")
    form = ProgrammeForm(data if which == "programme" else None, instance=programme)
    reviewer = rules.can_review_reports(request.user)
    budget_form = BudgetForm(data if which == "budget" else None)
    if not reviewer:
        # The OPD reports its realisation in the quarterly report; it plans here.
        del budget_form.fields["realised"]
    if which == "programme" and _apply_form(
        request,
        form,
        lambda cleaned: programmes.update_programme(
            request.user,
            Programme.objects.get(pk=programme.pk),
            {name: cleaned[name] for name in form.changed_data},
        ),
    ):
        messages.success(request, _("The programme has been updated."))
        return redirect("masterplan:programme", code=code)
    if which == "budget" and _apply_form(
        request,
        budget_form,
        lambda cleaned: programmes.set_budget(
            request.user,
            programme,
            cleaned["year"],
            cleaned["source"],
            cleaned["planned"],
            cleaned["realised"] if reviewer else _current_realised(programme, cleaned),
        ),
    ):
        messages.success(request, _("The budget has been saved."))
        return redirect("masterplan:programme-edit", code=code)
    return render(
        request,
        "masterplan/programme_edit.html",
        {"programme": programme, "form": form, "budget_form": budget_form},
    )


@staff_required
def budget_overview(request: HttpRequest) -> HttpResponse:
    """Planned and realised budget by pillar and year, APBD and non-APBD. A programme that
    supports several pillars counts in each of them, so pillar totals can exceed the total."""
    rows = (
        Budget.objects.values("year", "source", "programme__pillars__code")
        .annotate(planned=Sum("planned"), realised=Sum("realised"))
        .order_by("year")
    )
    table: dict[int, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    for row in rows:
        cell = table[row["year"]][row["programme__pillars__code"]]
        cell[f"{row['source']}_planned"] = row["planned"] or 0
        cell[f"{row['source']}_realised"] = row["realised"] or 0
    totals = (
        Budget.objects.values("year", "source")
        .annotate(planned=Sum("planned"), realised=Sum("realised"))
        .order_by("year", "source")
    )
    pillars = list(Pillar.objects.all())
    return render(
        request,
        "masterplan/budget.html",
        {
            "pillars": pillars,
            "years": [
                {
                    "year": year,
                    "cells": [table[year].get(p.code, {}) for p in pillars],
                }
                for year in sorted(table)
            ],
            "totals": totals,
        },
    )


@staff_required
def inbox(request: HttpRequest) -> HttpResponse:
    """An OPD officer's programmes and the reports due from their OPD; for administrators, the
    reports waiting for review and every overdue report."""
    user = request.user
    opd = user.opd
    open_periods = ReportingPeriod.objects.filter(closed=False).order_by("year", "period")
    context: dict[str, object] = {"opd": opd, "is_reviewer": rules.can_review_reports(user)}
    if opd is not None:
        reports = {(r.year, r.period): r for r in ProgressReport.objects.filter(opd=opd)}
        context["programmes"] = Programme.objects.filter(owner=opd)
        context["due"] = [
            {"period": period, "report": reports.get((period.year, period.period))}
            for period in open_periods
        ]
    if context["is_reviewer"]:
        context["to_review"] = ProgressReport.objects.filter(
            status=ReportStatus.SUBMITTED
        ).select_related("opd")
    context["overdue"] = [
        item for item in reporting.overdue_reports() if context["is_reviewer"] or item.opd == opd
    ]
    return render(request, "masterplan/inbox.html", context)


def _line_inputs(request: HttpRequest, programmes) -> tuple[list[reporting.LineInput], dict]:
    """Read the report form: one block of fields per programme. Unreadable numbers become field
    errors rather than exceptions."""
    lines, errors = [], {}
    for programme in programmes:
        prefix = f"p{programme.pk}"
        line = reporting.LineInput(
            programme=programme, narrative=request.POST.get(f"{prefix}-narrative", "").strip()
        )
        for source in BudgetSource.values:
            raw = request.POST.get(f"{prefix}-realised_{source}", "").strip()
            if raw:
                try:
                    setattr(line, f"realised_{source}", parse_rupiah(raw, "amount"))
                except ValidationError as error:
                    errors[f"{programme.code}.realised_{source}"] = " ".join(error.messages)
        for kpi in programme.kpis.all():
            raw = request.POST.get(f"kpi{kpi.pk}", "").strip()
            if raw:
                try:
                    line.kpi_values[kpi.pk] = parse_number(raw, "value")
                except ValidationError:
                    errors[f"{programme.code}.kpi.{kpi.pk}"] = _("'%(value)s' is not a number.") % {
                        "value": raw
                    }
        lines.append(line)
    return lines, errors


def _report_action(request: HttpRequest, report_obj: ProgressReport, programmes) -> str:
    """Carry out the button the user pressed on the report page; returns the success message."""
    action = request.POST.get("action", "save")
    comment = request.POST.get("comment", "")
    if action == "approve":
        reporting.approve_report(request.user, report_obj, comment)
        return _("The report has been approved.")
    if action == "return":
        reporting.return_report(request.user, report_obj, comment)
        return _("The report has been returned to the OPD.")
    lines, errors = _line_inputs(request, programmes)
    if errors:
        raise ValidationError(errors)
    reporting.save_report(
        request.user,
        report_obj,
        request.POST.get("narrative", "").strip(),
        lines,
        reason=request.POST.get("reason", ""),
    )
    for upload in request.FILES.getlist("evidence"):
        reporting.attach_evidence(request.user, report_obj, upload)
    if action == "submit":
        reporting.submit_report(request.user, report_obj)
        return _("The report has been submitted for review.")
    return _("The report has been saved.")


@staff_required
def report(request: HttpRequest, opd: str, year: int, period: str) -> HttpResponse:
    """Write, submit, and review one OPD's report for one period."""
    opd_obj = get_object_or_404(Opd, code=opd)
    existing = ProgressReport.objects.filter(opd=opd_obj, year=year, period=period).first()
    if existing is None:
        if request.method != "POST":
            if not (
                rules.works_for(request.user, opd_obj) or rules.can_review_reports(request.user)
            ):
                raise PermissionDenied
            return render(
                request,
                "masterplan/report_start.html",
                {"opd": opd_obj, "year": year, "period": period},
            )
        try:
            existing = reporting.start_report(request.user, opd_obj, year, period)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("masterplan:inbox")
        return redirect("masterplan:report", opd=opd, year=year, period=period)
    report_obj = existing
    if not (rules.works_for(request.user, opd_obj) or rules.reads_all_opds(request.user)):
        raise PermissionDenied
    programmes = list(
        Programme.objects.filter(owner=opd_obj, status=ProgrammeStatus.RUNNING).prefetch_related(
            "kpis"
        )
    )
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            # One action is one transaction: a refused evidence file undoes the saved lines too.
            with transaction.atomic():
                done = _report_action(request, report_obj, programmes)
            messages.success(request, done)
            return redirect("masterplan:report", opd=opd, year=year, period=period)
        except ValidationError as error:
            found = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
            errors = {key: " ".join(value) for key, value in found.items()}
    lines = {line.programme_id: line for line in report_obj.lines.all()}
    actuals = {a.kpi_id: a.value for a in report_obj.actuals.all()}
    blocks = []
    for programme in programmes:
        line = lines.get(programme.pk)
        blocks.append(
            {
                "programme": programme,
                "line": line,
                "kpis": [
                    {"kpi": kpi, "value": request.POST.get(f"kpi{kpi.pk}", actuals.get(kpi.pk, ""))}
                    for kpi in programme.kpis.all()
                ],
                "errors": {
                    k.split(".", 1)[1]: v
                    for k, v in errors.items()
                    if k.startswith(f"{programme.code}.")
                },
            }
        )
    return render(
        request,
        "masterplan/report.html",
        {
            "report": report_obj,
            "blocks": blocks,
            "errors": {k: v for k, v in errors.items() if "." not in k},
            "can_edit": rules.can_edit_report(request.user, report_obj),
            "can_review": rules.can_review_reports(request.user)
            and report_obj.status == ReportStatus.SUBMITTED,
            "needs_reason": report_obj.status == ReportStatus.APPROVED,
            "is_officer": rules.works_for(request.user, opd_obj),
        },
    )


@staff_required
def action_plans(request: HttpRequest) -> HttpResponse:
    activities = ActionActivity.objects.select_related("opd").order_by("-year", "area", "name")
    return render(request, "masterplan/action_plans.html", {"activities": activities})


@staff_required
def meetings(request: HttpRequest) -> HttpResponse:
    return render(request, "masterplan/meetings.html", {"meetings": Meeting.objects.all()})


@staff_required
def report_evidence(request: HttpRequest, pk: int) -> FileResponse:
    """Download a report's evidence file: for the reporting OPD and for staff who read every
    OPD's work (administrators, assessors, executives). Served as an attachment, never inline,
    so an uploaded file cannot run as a page of the site."""
    evidence = get_object_or_404(ReportEvidence.objects.select_related("report__opd"), pk=pk)
    user = request.user
    if not (rules.works_for(user, evidence.report.opd) or rules.reads_all_opds(user)):
        raise PermissionDenied
    return FileResponse(evidence.file.open("rb"), as_attachment=True)


@staff_required
def meeting_evidence(request: HttpRequest, pk: int) -> FileResponse:
    """Download a meeting's evidence file (staff only), as an attachment."""
    evidence = get_object_or_404(MeetingEvidence, pk=pk)
    return FileResponse(evidence.file.open("rb"), as_attachment=True)


@staff_required
def document(request: HttpRequest, kind: str, pk: int) -> FileResponse:
    """Download the masterplan's or a revision's document (staff only), as an attachment."""
    model = {"masterplan": Masterplan, "revisi": Revision}.get(kind)
    if model is None:
        raise Http404
    record = get_object_or_404(model, pk=pk)
    if not record.document:
        raise Http404
    return FileResponse(record.document.open("rb"), as_attachment=True)
