"""The evaluation report as a PDF, on the platform's page (``kotacerdas.core.pdf.ReportPdf``:
fpdf2, core fonts only, every text through ``latin1``; see the package)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils.translation import gettext as _

from kotacerdas.core.pdf import (
    BLUE,
    GRID,
    INK,
    MUTED,
    ORANGE,
    RED,
    ReportPdf,
    latin1,
)
from kotacerdas.evaluation.report.data import (
    PROGRAMME,
    ItemRow,
    ReportData,
    Step,
    _facts,
    _figures_text,
    _gap_text,
    _generated,
    _narrative,
    _pillar_note,
    _score,
    _signed,
)
from kotacerdas.masterplan.excel import XLSX_CONTENT_TYPE as XLSX_CONTENT_TYPE

# The trend chart's colours: the published indices, this evaluation's index and the target.
_PUBLISHED = BLUE
_CURRENT = ORANGE
_TARGET = RED


def _index_bar(pdf: ReportPdf, data: ReportData) -> None:
    """The index against the target on the 0-4 scale: a filled bar and a line at the target."""
    if data.index is None:
        return
    x, y, width, height = pdf.l_margin, pdf.get_y() + 2, pdf.epw, 7
    scale = width / 4
    pdf.set_fill_color(*GRID)
    pdf.rect(x, y, width, height, style="F")
    pdf.set_fill_color(*_PUBLISHED)
    pdf.rect(x, y, float(min(data.index, Decimal(4))) * scale, height, style="F")
    if data.target is not None:
        target_x = x + float(min(data.target, Decimal(4))) * scale
        pdf.set_draw_color(*_TARGET)
        pdf.set_line_width(0.8)
        pdf.line(target_x, y - 1.5, target_x, y + height + 1.5)
        pdf.set_line_width(0.2)
    pdf.set_font("Helvetica", size=7.5)
    pdf.set_text_color(*MUTED)
    for tick in range(5):
        pdf.text(x + tick * scale - (0 if tick < 4 else 2), y + height + 4, str(tick))
    pdf.set_text_color(*INK)
    label = _("Index %(index)s") % {"index": _score(data.index)}
    if data.target is not None:
        label += "   " + _("Target %(target)s") % {"target": _score(data.target)}
    pdf.text(x, y - 1.5, latin1(label))
    pdf.set_y(y + height + 7)


def _trend_chart(pdf: ReportPdf, data: ReportData) -> None:
    """The trend as a line chart drawn with lines, circles and text (no plotting library): the
    published indices joined by a line, this evaluation's index as an orange point, and the
    target as a dashed red line, on the 0-4 scale."""
    points = data.trend
    if not points:
        pdf.note(_("No published index and no index of this evaluation yet."))
        return
    height, left_axis = 55.0, 9.0
    x0, top = pdf.l_margin + left_axis, pdf.get_y() + 3
    width = pdf.epw - left_axis - 2
    bottom = top + height

    def y_of(value: Decimal) -> float:
        return bottom - float(min(max(value, Decimal(0)), Decimal(4))) / 4 * height

    def x_of(number: int) -> float:
        if len(points) == 1:
            return x0 + width / 2
        return x0 + 8 + number * (width - 16) / (len(points) - 1)

    target_y = y_of(data.target) if data.target is not None else None

    def centred(x: float, y: float, text: str) -> None:
        pdf.text(x - pdf.get_string_width(text) / 2, y, text)

    def label_y(y: float) -> float:
        """A value's label goes above its point, or below when the target line runs there."""
        if target_y is not None and -1 < y - target_y < 5:
            return y + 4.5
        return y - 2.5

    pdf.set_font("Helvetica", size=7.5)
    pdf.set_line_width(0.2)
    for level in range(5):
        y = y_of(Decimal(level))
        pdf.set_draw_color(*(INK if level == 0 else GRID))
        pdf.line(x0, y, x0 + width, y)
        pdf.set_text_color(*MUTED)
        pdf.text(x0 - 6, y + 1, f"{level}.0")
    pdf.set_draw_color(*INK)
    pdf.line(x0, top, x0, bottom)
    for number, point in enumerate(points):
        centred(x_of(number), bottom + 4.5, str(point.year))

    if data.target is not None:
        y = y_of(data.target)
        pdf.set_draw_color(*_TARGET)
        pdf.set_dash_pattern(dash=1.5, gap=1.2)
        pdf.line(x0, y, x0 + width, y)
        pdf.set_dash_pattern()
        pdf.set_text_color(*_TARGET)
        label = latin1(_("Target %(target)s") % {"target": _score(data.target)})
        pdf.text(x0 + width - pdf.get_string_width(label) - 1, y - 1.2, label)

    published = [
        (x_of(n), y_of(p.published), p.published)
        for n, p in enumerate(points)
        if p.published is not None
    ]
    pdf.set_draw_color(*_PUBLISHED)
    pdf.set_fill_color(*_PUBLISHED)
    pdf.set_text_color(*_PUBLISHED)
    pdf.set_line_width(0.6)
    if len(published) > 1:
        pdf.polyline([(x, y) for x, y, _value in published])
    for x, y, value in published:
        pdf.circle(x, y, 1.1, style="F")
        centred(x, label_y(y), _score(value))

    for number, point in enumerate(points):
        if point.current is None:
            continue
        x, y = x_of(number), y_of(point.current)
        earlier = [p for p in published if p[0] < x]
        if earlier:
            # Continue the published line to this year's index, dashed: not published yet.
            pdf.set_draw_color(*_CURRENT)
            pdf.set_dash_pattern(dash=1, gap=1)
            pdf.line(earlier[-1][0], earlier[-1][1], x, y)
            pdf.set_dash_pattern()
        pdf.set_fill_color(*_CURRENT)
        pdf.set_text_color(*_CURRENT)
        pdf.circle(x, y, 1.5, style="F")
        centred(x, y + 5 if y + 5 < bottom else y - 2.5, _score(point.current))
    pdf.set_line_width(0.2)

    # Legend
    y = bottom + 10
    pdf.set_fill_color(*_PUBLISHED)
    pdf.circle(x0 + 1, y - 1, 1.1, style="F")
    pdf.set_text_color(*INK)
    pdf.text(x0 + 4, y, latin1(_("Published index")))
    pdf.set_fill_color(*_CURRENT)
    pdf.circle(x0 + 51, y - 1, 1.5, style="F")
    current_label = _("This evaluation") if data.final else _("This evaluation (provisional)")
    pdf.text(x0 + 54, y, latin1(current_label))
    if data.target is not None:
        pdf.set_draw_color(*_TARGET)
        pdf.set_dash_pattern(dash=1.5, gap=1.2)
        pdf.line(x0 + 111, y - 1, x0 + 119, y - 1)
        pdf.set_dash_pattern()
        pdf.text(x0 + 121, y, latin1(_("Target")))
    pdf.set_draw_color(*INK)
    pdf.set_text_color(*INK)
    pdf.set_y(y + 4)


def _pdf_steps(pdf: ReportPdf, steps: Sequence[Step]) -> None:
    pdf.grid(
        [_("Item"), _("Dimension"), _("From"), _("To"), _("Index gain")],
        [
            (
                f"{step.code} {step.label}",
                step.dimension_label,
                _score(step.from_score, 2),
                _score(step.to_score, 2),
                _signed(step.gain, 4),
            )
            for step in steps
        ],
        widths=(86, 42, 15, 15, 22),
        align=("LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT"),
    )


def _evidence_cell(item: ItemRow) -> str:
    return str(len(item.evidence)) if item.has_evidence else _("no evidence")


def render_pdf(data: ReportData) -> bytes:
    """The report as an A4 PDF (see the module's docstring for its fonts and characters)."""
    pdf = ReportPdf(_generated(data))
    title = _("Smart city evaluation report")
    pdf.describe(f"{title}: {data.region_name} {data.year}", data.generated_at)
    pdf.add_page()
    pdf.title_block(PROGRAMME, title, f"{data.region_name} - {data.year}")
    for label, value in _facts(data) + _figures_text(data):
        pdf.fact(label, value, label_width=38, size=9.5, height=5.2)
    if not data.final:
        pdf.ln(1)
        pdf.note(
            _(
                "The assessor has not submitted the scores yet: where an item has no assessor "
                "score, the region's proposed score stands in."
            )
        )
    pdf.ln(3)
    _index_bar(pdf, data)

    pdf.heading(_("Scores by dimension"))
    if data.dimensions:
        pdf.grid(
            [_("Dimension"), _("Weight"), _("Score"), _("Contribution")],
            [
                (
                    f"{row.label} [{row.key}]",
                    str(row.weight),
                    _score(row.score),
                    _score(row.contribution),
                )
                for row in data.dimensions
            ]
            + [(_("Index"), "1", "", _score(data.index))],
            widths=(100, 25, 25, 30),
            align=("LEFT", "RIGHT", "RIGHT", "RIGHT"),
        )
    else:
        pdf.note(_("Items without a score: %(codes)s") % {"codes": ", ".join(data.unscored)})

    pdf.heading(_("Scores by pillar"))
    pdf.grid(
        [_("Pillar"), _("Items"), _("Score")],
        [(row.name, str(row.items), _score(row.score) or "-") for row in data.pillars],
        widths=(125, 25, 30),
        align=("LEFT", "RIGHT", "RIGHT"),
    )
    pdf.note(_pillar_note())

    if pdf.will_page_break(90):  # keep the heading with its chart
        pdf.add_page()
    pdf.heading(_("Trend of the index"))
    _trend_chart(pdf, data)

    if data.gap is not None:
        pdf.heading(_("Gap to the target"))
        pdf.paragraph(
            _("Index %(index)s, target %(target)s: %(gap)s.")
            % {
                "index": _score(data.gap.index),
                "target": _score(data.gap.target),
                "gap": _gap_text(data.gap),
            }
        )
        pdf.ln(1)
        if data.gap.top_gains:
            pdf.paragraph(_("Items that raise the index most per point"), style="B")
            _pdf_steps(pdf, data.gap.top_gains)
        if data.gap.plan is None:
            pdf.paragraph(_("The target cannot be reached even with every item at 4.00."))
        elif data.gap.plan:
            pdf.paragraph(
                _("The fewest improvements that reach the target: %(count)s step(s)")
                % {"count": len(data.gap.plan)},
                style="B",
            )
            _pdf_steps(pdf, data.gap.plan)

    pdf.add_page()
    pdf.heading(_("Items"), size=15)
    pdf.note(
        _('%(count)s of %(total)s item(s) have no evidence; they are marked "%(marker)s".')
        % {"count": data.without_evidence, "total": len(data.items), "marker": _("no evidence")}
    )
    for dimension_label in dict.fromkeys(item.dimension_label for item in data.items):
        items = [item for item in data.items if item.dimension_label == dimension_label]
        pdf.heading(dimension_label, size=11)
        pdf.grid(
            [_("Code"), _("Item"), _("OPD"), _("Proposed"), _("Assessor"), _("Evidence")],
            [
                (
                    item.code,
                    item.label,
                    item.opd,
                    _score(item.proposed_score, 2),
                    _score(item.assessor_score, 2),
                    _evidence_cell(item),
                )
                for item in items
            ],
            widths=(24, 76, 24, 17, 17, 22),
            align=("LEFT", "LEFT", "LEFT", "RIGHT", "RIGHT", "LEFT"),
            shaded=[n for n, item in enumerate(items) if not item.has_evidence],
        )

    noted = [i for i in data.items if i.justification or i.assessor_comment or i.evidence]
    if noted:
        pdf.heading(_("Justifications, comments and evidence"))
        for item in noted:
            if pdf.will_page_break(15):
                pdf.add_page()
            pdf.paragraph(f"{item.code} {item.label}", size=9.5, style="B")
            if item.justification:
                pdf.paragraph(_("Justification: %(text)s") % {"text": item.justification}, 9)
            if item.assessor_comment:
                pdf.paragraph(_("Assessor comment: %(text)s") % {"text": item.assessor_comment}, 9)
            for evidence in item.evidence:
                pdf.paragraph(f"- {evidence}", 8.5)
            pdf.ln(1.5)

    pdf.heading(_("Assessor's notes"), size=15)
    for label, text in _narrative(data):
        pdf.heading(label, size=11)
        pdf.paragraph(text or _("(none given)"))
    return bytes(pdf.output())
