"""The masterplan's Excel page: OPD clerks download their programmes and budgets or a KPI
actuals template, fill them in Excel and upload them back. The rules live in ``excel``; these
views only read the request, call it and show what it answered."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kotacerdas.core.models import User
from kotacerdas.core.views import staff_required
from kotacerdas.masterplan import excel, rules
from kotacerdas.masterplan.choices import Period
from kotacerdas.masterplan.models import Masterplan, ReportingPeriod

IMPORTS: dict[str, tuple[object, Callable[[User, UploadedFile], excel.ImportResult]]] = {
    "kpi_actuals": (gettext_lazy("KPI actuals (from the KPI template)"), excel.import_kpi_actuals),
    "budgets": (gettext_lazy("Budgets (from the programmes workbook)"), excel.import_budgets),
}


def _default_period() -> tuple[int, str]:
    """The period clerks most likely report on: the latest open reporting period, or else the
    current quarter."""
    open_period = ReportingPeriod.objects.filter(closed=False).order_by("-year", "-period").first()
    if open_period is not None:
        return open_period.year, open_period.period
    today = timezone.localdate()
    return today.year, f"Q{(today.month - 1) // 3 + 1}"


def _page(request: HttpRequest, status: int = 200, **context: Any) -> HttpResponse:
    user = request.user
    year, period = _default_period()
    return render(
        request,
        "masterplan/excel.html",
        {
            "masterplan": Masterplan.objects.order_by("-start_year").first(),
            "opd": getattr(user, "opd", None),
            "reads_all": rules.reads_all_opds(user),
            "can_import": excel.may_import(user),
            "year": year,
            "period": period,
            "periods": Period.choices,
            "kinds": [(key, label) for key, (label, _function) in IMPORTS.items()],
            "kind": "kpi_actuals",
            **context,
        },
        status=status,
    )


def _xlsx(content: bytes, filename: str) -> FileResponse:
    return FileResponse(
        io.BytesIO(content),
        as_attachment=True,
        filename=filename,
        content_type=excel.XLSX_CONTENT_TYPE,
    )


@staff_required
def excel_page(request: HttpRequest) -> HttpResponse:
    """Downloads, and the upload form for those who may import."""
    return _page(request)


@staff_required
def export_programmes(request: HttpRequest) -> FileResponse:
    """The programmes and budgets of the user's scope."""
    content = excel.export_programmes(request.user)
    return _xlsx(content, f"programmes-{timezone.localdate().isoformat()}.xlsx")


@staff_required
def export_kpi_template(request: HttpRequest) -> HttpResponse:
    """The KPI actuals template for the year and period in the query string."""
    default_year, default_period = _default_period()
    raw_year = request.GET.get("year", str(default_year)).strip()
    period = request.GET.get("period", default_period).strip().upper()
    try:
        year = int(raw_year)
    except ValueError:
        return _page(
            request,
            status=400,
            template_errors=[_("'%(value)s' is not a year.") % {"value": raw_year}],
            year=raw_year,
            period=period,
        )
    try:
        content = excel.export_kpi_template(request.user, year, period)
    except ValidationError as error:
        return _page(request, status=400, template_errors=error.messages, year=year, period=period)
    return _xlsx(content, f"kpi-actuals-{year}-{period}.xlsx")


@staff_required
@require_POST
def import_file(request: HttpRequest) -> HttpResponse:
    """Check and import an uploaded workbook. Every row error is shown and nothing is saved;
    a clean file is saved whole and the page says how many rows changed."""
    kind = request.POST.get("kind", "")
    upload = request.FILES.get("file")
    if kind not in IMPORTS:
        return _page(request, status=400, file_error=_("Choose what the file holds."), kind=kind)
    if upload is None:
        return _page(request, status=400, file_error=_("Choose a file to upload."), kind=kind)
    try:
        result = IMPORTS[kind][1](request.user, upload)
    except ValidationError as error:
        return _page(request, status=400, file_error=" ".join(error.messages), kind=kind)
    if not result.ok:
        return _page(request, status=400, result=result, filename=upload.name, kind=kind)
    done = _(
        "%(name)s imported. Rows added: %(created)s; changed: %(updated)s; unchanged: "
        "%(unchanged)s."
    ) % {
        "name": upload.name,
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
    }
    if result.skipped:
        done += " " + _("Rows without a value, skipped: %(skipped)s.") % {"skipped": result.skipped}
    messages.success(request, done)
    return redirect("masterplan:excel")
