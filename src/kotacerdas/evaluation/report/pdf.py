"""The evaluation report as a PDF (fpdf2, core fonts only; see the package)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.utils.translation import gettext as _
from fpdf import FPDF, FontFace, XPos, YPos

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

# --- PDF ---------------------------------------------------------------------------------------

# Typographic characters people paste from word processors, and their Latin-1 stand-ins.
LATIN1_REPLACEMENTS = {
    "\u2018": "'",  # ' left single quotation mark
    "\u2019": "'",  # ' right single quotation mark, apostrophe
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",  # prime
    "\u201c": '"',  # " left double quotation mark
    "\u201d": '"',  # " right double quotation mark
    "\u201e": '"',
    "\u201f": '"',
    "\u2033": '"',  # double prime
    "\u2010": "-",  # hyphen
    "\u2011": "-",  # non-breaking hyphen
    "\u2012": "-",  # figure dash
    "\u2013": "-",  # en dash
    "\u2014": "-",  # em dash
    "\u2015": "-",  # horizontal bar
    "\u2212": "-",  # minus sign
    "\u2022": "-",  # bullet
    "\u2026": "...",  # ellipsis
    "\u20ac": "EUR",
    "\u2122": "(TM)",
    "\u2009": " ",  # thin space
    "\u202f": " ",  # narrow no-break space
    "\u200b": "",  # zero-width space
    "\u200c": "",
    "\u200d": "",
    "\ufeff": "",  # byte-order mark
    "\t": " ",
}


def latin1(text: str) -> str:
    """``text`` in the characters the PDF core fonts hold (Latin-1), so that nothing a person
    typed can stop the report from being made.

    Curly quotes become straight quotes, dashes, minus signs and bullets a hyphen, the
    ellipsis three dots, and invisible characters (zero-width spaces, byte-order marks)
    disappear (``LATIN1_REPLACEMENTS``). A letter with a mark Latin-1 lacks loses the mark
    ("ş" -> "s"), a ligature is spelt out ("ﬁ" -> "fi"), and anything else (emoji, other
    scripts) becomes "?". Line breaks are kept, other control characters dropped.
    """
    out = []
    for char in text.replace("\r\n", "\n").replace("\r", "\n"):
        if char in LATIN1_REPLACEMENTS:
            out.append(LATIN1_REPLACEMENTS[char])
        elif char == "\n" or (ord(char) < 256 and unicodedata.category(char) != "Cc"):
            out.append(char)
        elif unicodedata.category(char) == "Cc":
            continue
        else:
            plain = "".join(
                part
                for part in unicodedata.normalize("NFKD", char)
                if not unicodedata.combining(part)
            )
            out.append(plain if plain and all(ord(part) < 256 for part in plain) else "?")
    return "".join(out)


_INK = (33, 37, 41)
_MUTED = (108, 117, 125)
_PUBLISHED = (31, 78, 140)
_CURRENT = (214, 110, 0)
_TARGET = (190, 30, 45)
_GRID = (222, 226, 230)
_RULE = (173, 181, 189)
_HEADING_FILL = (231, 237, 245)
_WARNING_FILL = (253, 236, 200)


class _ReportPdf(FPDF):
    """A4 portrait with the platform's footer on every page."""

    def __init__(self, footer_text: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.footer_text = footer_text
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(auto=True, margin=18)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", size=8)
        self.set_text_color(*_MUTED)
        self.cell(0, 5, latin1(self.footer_text), align="L")
        # {nb} is fpdf2's alias for the page count, filled in when the document is closed.
        page = _("Page %(page)s of %(pages)s") % {"page": self.page_no(), "pages": "{nb}"}
        self.set_x(self.l_margin)
        self.cell(0, 5, latin1(page), align="R")
        self.set_text_color(*_INK)

    # Helpers that every section uses; all text goes through latin1().

    def heading(self, text: str, size: int = 13) -> None:
        if self.will_page_break(size + 20):
            self.add_page()
        self.ln(3)
        self.set_font("Helvetica", "B", size)
        self.multi_cell(0, size * 0.5, latin1(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1.5)
        self.set_font("Helvetica", size=9.5)

    def paragraph(self, text: str, size: float = 9.5, style: str = "") -> None:
        self.set_font("Helvetica", style, size)
        self.multi_cell(0, size * 0.5, latin1(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def note(self, text: str) -> None:
        self.set_text_color(*_MUTED)
        self.paragraph(text, size=8.5)
        self.set_text_color(*_INK)

    def grid(
        self,
        header: Sequence[str],
        rows: Iterable[Sequence[str]],
        widths: Sequence[float],
        align: Sequence[str],
        highlight: Sequence[int] = (),
    ) -> None:
        """A table whose cells wrap; the header repeats on every page it spans. Rows whose
        index is in ``highlight`` are shaded (items without evidence)."""
        self.set_font("Helvetica", size=8.5)
        # A table draws with the current colours: set them, whatever was drawn before.
        self.set_draw_color(*_RULE)
        self.set_fill_color(255, 255, 255)
        self.set_text_color(*_INK)
        with self.table(
            col_widths=tuple(widths),
            text_align=tuple(align),
            line_height=4.2,
            padding=(0.8, 1.2),
            headings_style=FontFace(emphasis="BOLD", fill_color=_HEADING_FILL),
            repeat_headings=1,
        ) as table:
            head = table.row()
            for text in header:
                head.cell(latin1(text))
            for number, values in enumerate(rows):
                fill = _WARNING_FILL if number in highlight else (255, 255, 255)
                style = FontFace(fill_color=fill)
                row = table.row()
                for text in values:
                    row.cell(latin1(text), style=style)
        self.ln(2)


def _index_bar(pdf: _ReportPdf, data: ReportData) -> None:
    """The index against the target on the 0-4 scale: a filled bar and a line at the target."""
    if data.index is None:
        return
    x, y, width, height = pdf.l_margin, pdf.get_y() + 2, pdf.epw, 7
    scale = width / 4
    pdf.set_fill_color(*_GRID)
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
    pdf.set_text_color(*_MUTED)
    for tick in range(5):
        pdf.text(x + tick * scale - (0 if tick < 4 else 2), y + height + 4, str(tick))
    pdf.set_text_color(*_INK)
    label = _("Index %(index)s") % {"index": _score(data.index)}
    if data.target is not None:
        label += "   " + _("Target %(target)s") % {"target": _score(data.target)}
    pdf.text(x, y - 1.5, latin1(label))
    pdf.set_y(y + height + 7)


def _trend_chart(pdf: _ReportPdf, data: ReportData) -> None:
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
        pdf.set_draw_color(*(_INK if level == 0 else _GRID))
        pdf.line(x0, y, x0 + width, y)
        pdf.set_text_color(*_MUTED)
        pdf.text(x0 - 6, y + 1, f"{level}.0")
    pdf.set_draw_color(*_INK)
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
    pdf.set_text_color(*_INK)
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
    pdf.set_draw_color(*_INK)
    pdf.set_text_color(*_INK)
    pdf.set_y(y + 4)


def _pdf_steps(pdf: _ReportPdf, steps: Sequence[Step]) -> None:
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
    pdf = _ReportPdf(_generated(data))
    title = _("Smart city evaluation report")
    pdf.set_title(latin1(f"{title}: {data.region_name} {data.year}"))
    pdf.set_author("Kota Cerdas")
    pdf.set_creator("Kota Cerdas")
    pdf.set_creation_date(data.generated_at)
    pdf.add_page()

    # Title block
    pdf.set_font("Helvetica", size=10)
    pdf.set_text_color(*_MUTED)
    pdf.cell(0, 5, PROGRAMME, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*_INK)
    pdf.paragraph(title, size=18, style="B")
    pdf.paragraph(f"{data.region_name} - {data.year}", size=14, style="B")
    pdf.ln(3)
    pdf.set_font("Helvetica", size=9.5)
    for label, value in _facts(data) + _figures_text(data):
        pdf.set_font("Helvetica", "B", 9.5)
        pdf.cell(38, 5.2, latin1(label))
        pdf.set_font("Helvetica", size=9.5)
        pdf.multi_cell(0, 5.2, latin1(value), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
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
            highlight=[n for n, item in enumerate(items) if not item.has_evidence],
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
