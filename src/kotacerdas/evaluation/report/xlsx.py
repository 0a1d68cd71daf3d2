"""The evaluation report as an Excel workbook (openpyxl; see the package)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from kotacerdas.core.spreadsheets import neutralise
from kotacerdas.evaluation.report.data import (
    EXCEL_CELL_LIMIT,
    ReportData,
    _facts,
    _figures_text,
    _generated,
    _narrative,
    _pillar_note,
)
from kotacerdas.evaluation.scoring import round_score
from kotacerdas.masterplan.excel import XLSX_CONTENT_TYPE as XLSX_CONTENT_TYPE

# --- Excel -------------------------------------------------------------------------------------

SUMMARY_SHEET = "Ringkasan"
ITEMS_SHEET = "Butir"
NOTES_SHEET = "Catatan asesor"
SCORE_FORMAT = "0.000"
ITEM_SCORE_FORMAT = "0.00"


def _cell(value: Any) -> Any:
    """A value as written to the workbook: formula-like text neutralised (the masterplan's
    rule) and cut to what a cell holds; numbers kept as numbers."""
    if isinstance(value, str):
        return neutralise(value[:EXCEL_CELL_LIMIT])
    return value


def _row(sheet: Worksheet, values: Sequence[Any], bold: bool = False) -> int:
    """Append a row; every cell of the workbook is written through here."""
    sheet.append([_cell(value) for value in values])
    if bold:
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
    return sheet.max_row


def _number_format(sheet: Worksheet, row: int, columns: Iterable[int], fmt: str) -> None:
    for column in columns:
        sheet.cell(row=row, column=column).number_format = fmt


def _decimal(value: Decimal | None, decimals: int = 3) -> Decimal | None:
    return None if value is None else round_score(value, decimals)


def _summary_sheet(sheet: Worksheet, data: ReportData) -> None:
    sheet.title = SUMMARY_SHEET
    _row(sheet, [_("Smart city evaluation report")])
    sheet["A1"].font = Font(bold=True, size=14)
    _row(sheet, [f"{data.region_name} - {data.year}"])
    sheet["A2"].font = Font(bold=True, size=12)
    _row(sheet, [])
    for label, value in _facts(data):
        _row(sheet, [label, value])
    # The figures as numbers, so that whoever works on them can compute with them.
    if data.index is not None:
        row = _row(sheet, [_("Index"), _decimal(data.index)])
        _number_format(sheet, row, [2], SCORE_FORMAT)
        row = _row(sheet, [_("Index (2 decimals)"), _decimal(data.index, 2)])
        _number_format(sheet, row, [2], "0.00")
    else:
        _row(sheet, _figures_text(data)[0])
    if data.target is not None:
        row = _row(sheet, [_("Target"), _decimal(data.target)])
        _number_format(sheet, row, [2], SCORE_FORMAT)
    if data.gap is not None:
        row = _row(sheet, [_("Gap to target (target minus index)"), _decimal(data.gap.gap)])
        _number_format(sheet, row, [2], SCORE_FORMAT)
    for row_number in range(4, sheet.max_row + 1):
        sheet.cell(row=row_number, column=1).font = Font(bold=True)
    _row(sheet, [_generated(data)])

    _row(sheet, [])
    _row(sheet, [_("Scores by dimension")], bold=True)
    _row(sheet, [_("Dimension"), _("Key"), _("Weight"), _("Score"), _("Contribution")], bold=True)
    for dimension in data.dimensions:
        row = _row(
            sheet,
            [
                dimension.label,
                dimension.key,
                dimension.weight,
                _decimal(dimension.score),
                _decimal(dimension.contribution),
            ],
        )
        _number_format(sheet, row, [3], "0.00")
        _number_format(sheet, row, [4, 5], SCORE_FORMAT)
    if not data.dimensions:
        _row(sheet, [_("Items without a score: %(codes)s") % {"codes": ", ".join(data.unscored)}])

    _row(sheet, [])
    _row(sheet, [_("Scores by pillar")], bold=True)
    _row(sheet, [_("Pillar"), _("Code"), _("Items"), _("Score")], bold=True)
    for pillar in data.pillars:
        row = _row(sheet, [pillar.name, pillar.code, pillar.items, _decimal(pillar.score)])
        _number_format(sheet, row, [4], SCORE_FORMAT)
    _row(sheet, [_pillar_note()])

    _row(sheet, [])
    _row(sheet, [_("Trend of the index")], bold=True)
    current_label = _("This evaluation") if data.final else _("This evaluation (provisional)")
    header = _row(sheet, [_("Year"), _("Published index"), current_label], bold=True)
    for point in data.trend:
        row = _row(sheet, [point.year, point.published, point.current])
        _number_format(sheet, row, [2, 3], SCORE_FORMAT)
    if data.trend:
        chart = LineChart()
        chart.title = _("Trend of the index")
        chart.y_axis.title = _("Index")
        chart.x_axis.title = _("Year")
        chart.y_axis.scaling.min = 0
        chart.y_axis.scaling.max = 4
        chart.height, chart.width = 8, 16
        last = header + len(data.trend)
        chart.add_data(
            Reference(sheet, min_col=2, max_col=3, min_row=header, max_row=last),
            titles_from_data=True,
        )
        chart.set_categories(Reference(sheet, min_col=1, min_row=header + 1, max_row=last))
        for series in chart.series:
            series.marker.symbol = "circle"
        sheet.add_chart(chart, "G3")

    if data.gap is not None:
        for title, steps in (
            (_("Items that raise the index most per point"), data.gap.top_gains),
            (_("The fewest improvements that reach the target"), data.gap.plan or ()),
        ):
            _row(sheet, [])
            _row(sheet, [title], bold=True)
            _row(
                sheet,
                [_("Code"), _("Item"), _("Dimension"), _("From"), _("To"), _("Index gain")],
                bold=True,
            )
            for step in steps:
                row = _row(
                    sheet,
                    [
                        step.code,
                        step.label,
                        step.dimension_label,
                        step.from_score,
                        step.to_score,
                        _decimal(step.gain, 4),
                    ],
                )
                _number_format(sheet, row, [4, 5], ITEM_SCORE_FORMAT)
                _number_format(sheet, row, [6], "0.0000")
        if data.gap.plan is None:
            _row(sheet, [_("The target cannot be reached even with every item at 4.00.")])
    for letter, width in zip("ABCDEF", (34, 22, 22, 12, 12, 12), strict=True):
        sheet.column_dimensions[letter].width = width


# Code, item, dimension, OPD, proposed, assessor, justification, comment, count, evidence.
ITEM_WIDTHS = (12, 50, 24, 16, 10, 10, 50, 40, 10, 60)


def _items_sheet(sheet: Worksheet, data: ReportData) -> None:
    headers = [
        _("Code"),
        _("Item"),
        _("Dimension"),
        _("OPD"),
        _("Proposed score"),
        _("Assessor score"),
        _("Justification"),
        _("Assessor comment"),
        _("Evidence count"),
        _("Evidence"),
    ]
    _row(sheet, headers, bold=True)
    for item in data.items:
        row = _row(
            sheet,
            [
                item.code,
                item.label,
                item.dimension_label,
                item.opd,
                item.proposed_score,
                item.assessor_score,
                item.justification,
                item.assessor_comment,
                len(item.evidence),
                "\n".join(str(e) for e in item.evidence) if item.evidence else _("no evidence"),
            ],
        )
        _number_format(sheet, row, [5, 6], ITEM_SCORE_FORMAT)
        for cell in sheet[row]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "C2"
    sheet.auto_filter.ref = sheet.dimensions
    for index, width in enumerate(ITEM_WIDTHS, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width


def _notes_sheet(sheet: Worksheet, data: ReportData) -> None:
    for label, text in _narrative(data):
        row = _row(sheet, [label, text])
        sheet.cell(row=row, column=1).font = Font(bold=True)
        for cell in sheet[row]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].width = 20
    sheet.column_dimensions["B"].width = 100


def render_xlsx(data: ReportData) -> bytes:
    """The report as a workbook: "Ringkasan" (the summary, with the trend chart), "Butir" (one
    row per item) and "Catatan asesor" (the assessor's notes). Text that a spreadsheet would
    run as a formula is shown as text (``core.spreadsheets.neutralise``)."""
    book = Workbook()
    _summary_sheet(book.active, data)
    _items_sheet(book.create_sheet(ITEMS_SHEET), data)
    _notes_sheet(book.create_sheet(NOTES_SHEET), data)
    book.properties.creator = "Kota Cerdas"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
