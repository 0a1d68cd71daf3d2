"""Downloads of the evaluation report, as PDF and as an Excel workbook.

Every staff member may download them: administrators, assessors and executives read the whole
evaluation anyway, and the OPD officers who answer its items see the whole report too, so that
each OPD knows where the region stands and what the assessor recommends. The report is made
on request from the current scores (``report.report_data``); nothing is stored.
"""

from __future__ import annotations

import io

from django.http import FileResponse, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.text import slugify

from kotacerdas.core.views import staff_required
from kotacerdas.evaluation import report
from kotacerdas.evaluation.models import Evaluation


def file_name(data: report.ReportData, extension: str) -> str:
    """``evaluasi-kota-kediri-2022.pdf``: the region and year, in Bahasa Indonesia whatever the
    page's language, as the files go to the ministry."""
    return f"evaluasi-{slugify(data.region_name) or data.region_code}-{data.year}.{extension}"


def _download(content: bytes, filename: str, content_type: str) -> FileResponse:
    return FileResponse(
        io.BytesIO(content), as_attachment=True, filename=filename, content_type=content_type
    )


def _data(pk: int) -> report.ReportData:
    evaluation = get_object_or_404(Evaluation.objects.select_related("region"), pk=pk)
    return report.report_data(evaluation)


@staff_required
def report_pdf(request: HttpRequest, pk: int) -> FileResponse:
    data = _data(pk)
    return _download(report.render_pdf(data), file_name(data, "pdf"), report.PDF_CONTENT_TYPE)


@staff_required
def report_xlsx(request: HttpRequest, pk: int) -> FileResponse:
    data = _data(pk)
    return _download(report.render_xlsx(data), file_name(data, "xlsx"), report.XLSX_CONTENT_TYPE)
