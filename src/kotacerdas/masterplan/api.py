"""The masterplan JSON API: masterplans, programmes with their budgets and KPIs, the OPDs'
quarterly progress reports, action plans and meetings.

Everything here is staff data: every endpoint needs a signed-in user who holds a role. Reads
are open to every role (progress reports only to the OPD that wrote them, and to
administrators, assessors and executives); writes call the domain functions of
``programmes`` and ``reporting``, which decide who may do what and refuse bad input with a
ValidationError (422) or PermissionDenied (403).

Money is whole rupiah (JSON integers); KPI numbers are answered as decimal strings (``"88.50"``)
and accepted as JSON numbers or numeric strings (see ``schemas``).

(No ``from __future__ import annotations`` here: django-ninja reads the annotations at import.)
"""

import datetime
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from kotacerdas.core.api_auth import signed_in
from kotacerdas.core.api_common import (
    ERRORS,
    READ_ERRORS,
    ApiPagination,
    FieldError,
    opd_by_code,
    staff_user,
)
from kotacerdas.core.models import Pillar, User
from kotacerdas.masterplan import programmes, reporting, rules
from kotacerdas.masterplan.choices import (
    ActionArea,
    Body,
    BudgetSource,
    Period,
    ProgrammeStatus,
    ReportStatus,
)
from kotacerdas.masterplan.models import (
    ActionActivity,
    Kpi,
    KpiActual,
    Masterplan,
    Meeting,
    Programme,
    ProgressReport,
)
from kotacerdas.masterplan.schemas import (
    ActionActivityOut,
    BudgetIn,
    BudgetOut,
    KpiActualIn,
    KpiActualOut,
    KpiTargetIn,
    KpiTargetOut,
    MasterplanDetail,
    MasterplanOut,
    MeetingOut,
    OverdueReportOut,
    ProgrammeDetail,
    ProgrammeOut,
    ProgrammePatch,
    ProgressReportDetail,
    ProgressReportOut,
    ProgressReportReturnIn,
    ProgressReportReviewIn,
    ProgressReportSaveIn,
    ProgressReportStartIn,
)

router = Router(auth=signed_in)


# Masterplans


@router.get("/masterplans", response={200: list[MasterplanOut], **READ_ERRORS}, tags=["masterplan"])
def list_masterplans(request: HttpRequest) -> QuerySet[Masterplan]:
    """The masterplans, the newest period first (a region rarely has more than two)."""
    staff_user(request)
    return Masterplan.objects.all()


@router.get(
    "/masterplans/{masterplan_id}",
    response={200: MasterplanDetail, **READ_ERRORS},
    tags=["masterplan"],
)
def get_masterplan(request: HttpRequest, masterplan_id: int) -> Masterplan:
    """One masterplan with its revisions, the newest first."""
    staff_user(request)
    return get_object_or_404(Masterplan.objects.prefetch_related("revisions"), pk=masterplan_id)


# Programmes


class ProgrammeFilters(Schema):
    pillar: str | None = None
    owner: str | None = None
    status: ProgrammeStatus | None = None
    quick_win: bool | None = None
    year: int | None = None
    q: str | None = None


def _programme_detail(code: str) -> Programme:
    actuals = KpiActual.objects.select_related("report")
    return get_object_or_404(
        Programme.objects.select_related("owner").prefetch_related(
            "pillars",
            "partner_opds",
            "partners",
            "budgets",
            "kpis__targets",
            Prefetch("kpis__actuals", queryset=actuals),
        ),
        code=code,
    )


@router.get("/programmes", response={200: list[ProgrammeOut], **READ_ERRORS}, tags=["programmes"])
@paginate(ApiPagination)
def list_programmes(request: HttpRequest, filters: Query[ProgrammeFilters]) -> QuerySet[Programme]:
    """The masterplan's programmes, filtered by pillar code, owner OPD code, status, quick win,
    a year the programme's period includes (whatever its status), and a search in the code,
    name and description."""
    staff_user(request)
    found = Programme.objects.select_related("owner").prefetch_related("pillars")
    if filters.pillar is not None:
        if not Pillar.objects.filter(code=filters.pillar).exists():
            raise FieldError("pillar", f"no pillar has code {filters.pillar!r}")
        found = found.filter(pillars__code=filters.pillar)
    if filters.owner is not None:
        found = found.filter(owner=opd_by_code(filters.owner, "owner"))
    if filters.status is not None:
        found = found.filter(status=filters.status)
    if filters.quick_win is not None:
        found = found.filter(is_quick_win=filters.quick_win)
    if filters.year is not None:
        found = found.filter(start_year__lte=filters.year).exclude(end_year__lt=filters.year)
    if filters.q:
        term = filters.q.strip()
        found = found.filter(
            Q(code__icontains=term) | Q(name__icontains=term) | Q(description__icontains=term)
        )
    return found.order_by("name", "code")


@router.get(
    "/programmes/{code}", response={200: ProgrammeDetail, **READ_ERRORS}, tags=["programmes"]
)
def get_programme(request: HttpRequest, code: str) -> Programme:
    """One programme with its pillars, owner and partner OPDs, partners, budgets, and KPIs with
    their targets and actuals; each actual says whether it came from a progress report (and
    which) or was recorded directly."""
    staff_user(request)
    return _programme_detail(code)


@router.patch("/programmes/{code}", response={200: ProgrammeDetail, **ERRORS}, tags=["programmes"])
def patch_programme(request: HttpRequest, code: str, payload: ProgrammePatch) -> Programme:
    """Change a programme's descriptive fields, status and period. Administrators change any
    programme; an OPD officer the programmes their OPD owns."""
    user = staff_user(request)
    programme = get_object_or_404(
        Programme.objects.select_related("masterplan", "owner"), code=code
    )
    changes: dict[str, Any] = payload.dict(exclude_unset=True)
    programmes.update_programme(user, programme, changes)
    return _programme_detail(code)


@router.put(
    "/programmes/{code}/budgets/{year}/{source}",
    response={200: BudgetOut, 204: None, **ERRORS},
    tags=["programmes"],
)
def put_budget(
    request: HttpRequest, code: str, year: int, source: BudgetSource, payload: BudgetIn
) -> Any:
    """Set a programme's planned and realised budget (whole rupiah) for a year and source.
    A null ``planned`` with no realisation removes the line and answers 204."""
    user = staff_user(request)
    programme = get_object_or_404(
        Programme.objects.select_related("masterplan", "owner"), code=code
    )
    budget = programmes.set_budget(user, programme, year, source, payload.planned, payload.realised)
    if budget is None:
        return Status(204, None)
    return budget


def _kpi(kpi_id: int) -> Kpi:
    return get_object_or_404(
        Kpi.objects.select_related("programme__masterplan", "programme__owner"), pk=kpi_id
    )


@router.put(
    "/kpis/{kpi_id}/targets/{year}", response={200: KpiTargetOut, **ERRORS}, tags=["programmes"]
)
def put_kpi_target(request: HttpRequest, kpi_id: int, year: int, payload: KpiTargetIn) -> Any:
    """Set a KPI's target for a year of the masterplan."""
    user = staff_user(request)
    return programmes.set_kpi_target(user, _kpi(kpi_id), year, payload.value)


@router.put(
    "/kpis/{kpi_id}/actuals/{year}/{period}",
    response={200: KpiActualOut, **ERRORS},
    tags=["programmes"],
)
def put_kpi_actual(
    request: HttpRequest, kpi_id: int, year: int, period: Period, payload: KpiActualIn
) -> Any:
    """Record a KPI's value for a period directly. OPDs normally report theirs in a progress
    report; a value that came from an approved report only an administrator may overwrite."""
    user = staff_user(request)
    return programmes.record_kpi_actual(
        user, _kpi(kpi_id), year, period, payload.value, payload.note
    )


# Progress reports


class ProgressReportFilters(Schema):
    opd: str | None = None
    year: int | None = None
    period: Period | None = None
    status: ReportStatus | None = None


def _report(user: User, report_id: int) -> ProgressReport:
    return get_object_or_404(rules.readable_reports(user), pk=report_id)


def _report_detail(user: User, report_id: int) -> ProgressReport:
    return get_object_or_404(
        rules.readable_reports(user).prefetch_related(
            "lines__programme",
            Prefetch("actuals", queryset=KpiActual.objects.select_related("kpi__programme")),
        ),
        pk=report_id,
    )


@router.get("/reports", response={200: list[ProgressReportOut], **READ_ERRORS}, tags=["reports"])
@paginate(ApiPagination)
def list_reports(
    request: HttpRequest, filters: Query[ProgressReportFilters]
) -> QuerySet[ProgressReport]:
    """The OPDs' quarterly progress reports, the newest period first, filtered by OPD code,
    year, period and status. An OPD officer sees their own OPD's reports only."""
    user = staff_user(request)
    reports = rules.readable_reports(user)
    if filters.opd is not None:
        reports = reports.filter(opd=opd_by_code(filters.opd, "opd"))
    if filters.year is not None:
        reports = reports.filter(year=filters.year)
    if filters.period is not None:
        reports = reports.filter(period=filters.period)
    if filters.status is not None:
        reports = reports.filter(status=filters.status)
    return reports


@router.get(
    "/reports/overdue", response={200: list[OverdueReportOut], **READ_ERRORS}, tags=["reports"]
)
def list_overdue_reports(
    request: HttpRequest, on: datetime.date | None = None
) -> list[dict[str, Any]]:
    """Reports past their due date and not submitted (or returned and not resubmitted), the
    latest first, as of ``on`` (default today). An OPD officer sees their own OPD's only."""
    user = staff_user(request)
    every_opd = rules.reads_all_opds(user)
    return [
        {
            "opd": item.opd.code,
            "opd_name": item.opd.name,
            "year": item.period.year,
            "period": item.period.period,
            "due_date": item.period.due_date,
            "days_late": item.days_late,
        }
        for item in reporting.overdue_reports(on)
        if every_opd or item.opd.pk == user.opd_id
    ]


@router.get(
    "/reports/{report_id}", response={200: ProgressReportDetail, **READ_ERRORS}, tags=["reports"]
)
def get_report(request: HttpRequest, report_id: int) -> ProgressReport:
    """One progress report with its programme lines and the KPI values it carries."""
    user = staff_user(request)
    return _report_detail(user, report_id)


@router.post(
    "/reports",
    response={200: ProgressReportDetail, 201: ProgressReportDetail, **ERRORS},
    tags=["reports"],
)
def start_report(request: HttpRequest, payload: ProgressReportStartIn) -> Any:
    """Start an OPD's report for an opened reporting period: 201 with the new draft, or 200
    with the report that already exists."""
    user = staff_user(request)
    opd = opd_by_code(payload.opd, "opd")
    existed = ProgressReport.objects.filter(
        opd=opd, year=payload.year, period=payload.period
    ).exists()
    report = reporting.start_report(user, opd, payload.year, payload.period)
    return Status(200 if existed else 201, _report_detail(user, report.pk))


@router.put(
    "/reports/{report_id}", response={200: ProgressReportDetail, **ERRORS}, tags=["reports"]
)
def put_report(
    request: HttpRequest, report_id: int, payload: ProgressReportSaveIn
) -> ProgressReport:
    """Write the report's narrative and its programme lines with their KPI values. The OPD
    writes while the report is a draft or returned; an approved report only an administrator
    changes, giving a ``reason``. A malformed value is named by its place in the body
    (``lines.0.realised_apbd``); a refusal of the masterplan's rules by the programme
    (``kartu-sahabat.realised_apbd``, ``kartu-sahabat.kpi.12``)."""
    user = staff_user(request)
    report = _report(user, report_id)
    codes = [line.programme for line in payload.lines]
    found = Programme.objects.select_related("masterplan").in_bulk(codes, field_name="code")
    lines = []
    for index, line in enumerate(payload.lines):
        programme = found.get(line.programme)
        if programme is None:
            raise FieldError(
                f"lines.{index}.programme", f"no programme has code {line.programme!r}"
            )
        if line.programme in codes[:index]:
            raise FieldError(f"lines.{index}.programme", "this programme already has a line")
        lines.append(
            reporting.LineInput(
                programme=programme,
                narrative=line.narrative,
                realised_apbd=line.realised_apbd,
                realised_non_apbd=line.realised_non_apbd,
                kpi_values=dict(line.kpi_values),
            )
        )
    reporting.save_report(user, report, payload.narrative, lines, reason=payload.reason)
    return _report_detail(user, report.pk)


@router.post(
    "/reports/{report_id}/submit",
    response={200: ProgressReportDetail, **ERRORS},
    tags=["reports"],
)
def submit_report(request: HttpRequest, report_id: int) -> ProgressReport:
    """Send a draft or returned report to Diskominfo for review."""
    user = staff_user(request)
    reporting.submit_report(user, _report(user, report_id))
    return _report_detail(user, report_id)


@router.post(
    "/reports/{report_id}/approve",
    response={200: ProgressReportDetail, **ERRORS},
    tags=["reports"],
)
def approve_report(
    request: HttpRequest, report_id: int, payload: ProgressReportReviewIn | None = None
) -> ProgressReport:
    """Approve a submitted report (administrators), with an optional comment: its budget
    figures become the programmes' official realisation."""
    user = staff_user(request)
    comment = payload.comment if payload is not None else ""
    reporting.approve_report(user, _report(user, report_id), comment)
    return _report_detail(user, report_id)


@router.post(
    "/reports/{report_id}/return",
    response={200: ProgressReportDetail, **ERRORS},
    tags=["reports"],
)
def return_report(
    request: HttpRequest, report_id: int, payload: ProgressReportReturnIn
) -> ProgressReport:
    """Return a submitted report to the OPD (administrators) with a comment on what to
    revise."""
    user = staff_user(request)
    reporting.return_report(user, _report(user, report_id), payload.comment)
    return _report_detail(user, report_id)


# Action plans and meetings


class ActionActivityFilters(Schema):
    year: int | None = None
    area: ActionArea | None = None


@router.get(
    "/action-activities",
    response={200: list[ActionActivityOut], **READ_ERRORS},
    tags=["action plans"],
)
@paginate(ApiPagination)
def list_action_activities(
    request: HttpRequest, filters: Query[ActionActivityFilters]
) -> QuerySet[ActionActivity]:
    """The action plan's activities (rencana aksi) by year and area, with plan and
    realisation."""
    staff_user(request)
    activities = ActionActivity.objects.select_related("opd")
    if filters.year is not None:
        activities = activities.filter(year=filters.year)
    if filters.area is not None:
        activities = activities.filter(area=filters.area)
    return activities.order_by("year", "area", "name", "pk")


class MeetingFilters(Schema):
    body: Body | None = None
    year: int | None = None


@router.get("/meetings", response={200: list[MeetingOut], **READ_ERRORS}, tags=["meetings"])
@paginate(ApiPagination)
def list_meetings(request: HttpRequest, filters: Query[MeetingFilters]) -> QuerySet[Meeting]:
    """Meetings of the Dewan Smart City, the Tim Pelaksana and the Forum Smart City, the latest
    first."""
    staff_user(request)
    meetings = Meeting.objects.all()
    if filters.body is not None:
        meetings = meetings.filter(body=filters.body)
    if filters.year is not None:
        meetings = meetings.filter(date__year=filters.year)
    return meetings.order_by("-date", "-pk")
