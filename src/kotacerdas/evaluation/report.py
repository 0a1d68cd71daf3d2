"""The evaluation report, as a PDF for the ministry and the region's leaders and as an Excel
workbook for those who work on the figures: the index against the target, the scores by
dimension and by pillar, the trend of the published indices, every item with its scores and
evidence, and the assessor's strengths, weaknesses and recommendations.

``report_data`` gathers everything once, from the evaluation's results and the instrument;
``render_pdf`` and ``render_xlsx`` only lay it out, so both documents always say the same.

The PDF is made with fpdf2, which is pure Python: it installs with pip alone, with no system
library (Cairo, Pango, a browser) that a fresh server lacks. It uses the PDF core font
Helvetica, which every PDF reader has, so no font file is shipped or downloaded. The core fonts
hold only Latin-1 characters. Bahasa Indonesia needs nothing more, but what people type may
(smart quotes, dashes, emoji, other scripts), so every text goes through ``latin1`` first,
which replaces such characters as documented there. The workbook keeps the text as typed.

The labels follow the active language (Bahasa Indonesia by default, the language the ministry
reads); the sheet names are fixed.
"""

from __future__ import annotations

import datetime
import io
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from fpdf import FPDF, FontFace, XPos, YPos
from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from kotacerdas.evaluation import cycle
from kotacerdas.evaluation.choices import EvidenceKind, Stage
from kotacerdas.evaluation.models import Answer, Evaluation, PublishedScore
from kotacerdas.evaluation.pillars import PillarRow, pillar_scores
from kotacerdas.evaluation.scoring import round_score
from kotacerdas.masterplan.excel import XLSX_CONTENT_TYPE as XLSX_CONTENT_TYPE
from kotacerdas.masterplan.excel import neutralise

# The national programme the evaluation belongs to, by its name.
PROGRAMME = "Gerakan Menuju Kota Cerdas (Smart City)"
PDF_CONTENT_TYPE = "application/pdf"  # XLSX_CONTENT_TYPE is the masterplan's, re-exported

TOP_GAINS = 10  # items listed as raising the index most
EXCEL_CELL_LIMIT = 32_767  # the most characters a spreadsheet cell holds


# --- The data ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class EvidenceLine:
    """One piece of evidence as the report names it: its label and where it is (the link, the
    platform record, or the uploaded file's name)."""

    kind: str
    label: str
    where: str

    def __str__(self) -> str:
        if self.where and self.where != self.label:
            return f"{self.label} ({self.where})"
        return self.label


@dataclass(frozen=True)
class ItemRow:
    """One item of the instrument with the region's answer and the assessor's score."""

    code: str
    label: str
    dimension: str
    dimension_label: str
    opd: str
    proposed_score: Decimal | None
    assessor_score: Decimal | None
    justification: str
    assessor_comment: str
    evidence: tuple[EvidenceLine, ...]

    @property
    def has_evidence(self) -> bool:
        return bool(self.evidence)


@dataclass(frozen=True)
class DimensionRow:
    key: str
    label: str
    weight: Decimal
    score: Decimal  # the plain mean of the dimension's items, unrounded

    @property
    def contribution(self) -> Decimal:
        """What the dimension adds to the index: its weight times its score."""
        return self.weight * self.score


@dataclass(frozen=True)
class TrendPoint:
    """A year of the trend: the index the ministry published and, for the evaluation's own
    year, the index this evaluation gives."""

    year: int
    published: Decimal | None
    current: Decimal | None


@dataclass(frozen=True)
class Step:
    """An item's one-point improvement, with the index it adds (for the gap section)."""

    code: str
    label: str
    dimension_label: str
    from_score: Decimal
    to_score: Decimal
    gain: Decimal


@dataclass(frozen=True)
class GapSummary:
    """How far the index is from the target, the items that raise it most per point, and the
    fewest one-point steps that reach the target ([] when reached, None when out of reach)."""

    target: Decimal
    index: Decimal
    gap: Decimal  # target - index; zero or less when the target is reached
    top_gains: tuple[Step, ...]
    plan: tuple[Step, ...] | None


@dataclass(frozen=True)
class ReportData:
    """Everything the report shows, gathered once by ``report_data``."""

    region_code: str
    region_name: str
    year: int
    scheme_id: str
    scheme_label: str
    stage: str
    stage_label: str
    final: bool  # the assessor submitted and the scores are locked
    locked_at: datetime.datetime | None
    index: Decimal | None  # unrounded; None until every item has a score
    index_3: Decimal | None
    index_2: Decimal | None
    unscored: tuple[str, ...]
    dimensions: tuple[DimensionRow, ...]
    pillars: tuple[PillarRow, ...]
    target: Decimal | None
    gap: GapSummary | None
    trend: tuple[TrendPoint, ...]
    items: tuple[ItemRow, ...]
    strengths: str
    weaknesses: str
    recommendations: str
    generated_at: datetime.datetime

    @property
    def status_label(self) -> str:
        if self.final and self.locked_at is not None:
            return _("Final (locked on %(date)s)") % {"date": _when(self.locked_at)}
        return _("Provisional")

    @property
    def without_evidence(self) -> int:
        return sum(1 for item in self.items if not item.has_evidence)


# --- Gathering ---------------------------------------------------------------------------------


def _evidence_line(evidence: Any) -> EvidenceLine:
    if evidence.kind == EvidenceKind.FILE:
        where = evidence.file.name.rsplit("/", 1)[-1] if evidence.file else ""
    elif evidence.kind == EvidenceKind.RECORD:
        record = f"{evidence.record_type} {evidence.record_key}".strip()
        where = f"{record}, {evidence.url}" if evidence.url else record
    else:
        where = evidence.url
    return EvidenceLine(evidence.kind, evidence.label, where)


def _item_rows(
    evaluation: Evaluation, labels: dict[str, str], dimension_labels: dict[str, str]
) -> tuple[ItemRow, ...]:
    answers = (
        Answer.objects.filter(evaluation=evaluation)
        .select_related("opd")
        .prefetch_related("evidence")
        .order_by("position")
    )
    return tuple(
        ItemRow(
            code=answer.item_code,
            label=labels.get(answer.item_code, ""),
            dimension=answer.dimension,
            dimension_label=dimension_labels.get(answer.dimension, answer.dimension),
            opd=(answer.opd.short_name or answer.opd.name) if answer.opd else "",
            proposed_score=answer.proposed_score,
            assessor_score=answer.assessor_score,
            justification=answer.justification,
            assessor_comment=answer.assessor_comment,
            evidence=tuple(_evidence_line(evidence) for evidence in answer.evidence.all()),
        )
        for answer in answers
    )


def _trend(evaluation: Evaluation, index: Decimal | None) -> tuple[TrendPoint, ...]:
    """The region's published indices up to the evaluation's year, and this evaluation's index
    in its year (a report on 2022 shows the road to 2022, not what came after)."""
    published = {
        row.year: row.index
        for row in PublishedScore.objects.filter(
            region=evaluation.region, year__lte=evaluation.year
        )
    }
    years = sorted(set(published) | ({evaluation.year} if index is not None else set()))
    return tuple(
        TrendPoint(
            year,
            published.get(year),
            round_score(index, 3) if index is not None and year == evaluation.year else None,
        )
        for year in years
    )


def _gap(
    evaluation: Evaluation, labels: dict[str, str], dimension_labels: dict[str, str]
) -> GapSummary | None:
    if evaluation.target is None:
        return None
    gap = cycle.gap_to_target(evaluation, evaluation.target)
    if gap is None:
        return None
    top = tuple(
        Step(
            gain.code,
            labels.get(gain.code, ""),
            dimension_labels.get(gain.dimension, gain.dimension),
            gain.score,
            gain.score + gain.step,
            gain.gain,
        )
        for gain in gap.gains
        if gain.gain > 0
    )[:TOP_GAINS]
    plan = None
    if gap.plan is not None:
        plan = tuple(
            Step(
                step.code,
                labels.get(step.code, ""),
                dimension_labels.get(step.dimension, step.dimension),
                step.from_score,
                step.to_score,
                step.gain,
            )
            for step in gap.plan
        )
    return GapSummary(gap.target, gap.index, gap.target - gap.index, top, plan)


def report_data(evaluation: Evaluation) -> ReportData:
    """Gather what the report shows. The scores are the evaluation's results so far: the
    assessor's where given, else the region's proposed score (then the report says
    "provisional"); until every item has one there is no index, and the report lists what is
    missing."""
    scheme = cycle.scheme_of(evaluation)
    instrument = scheme.instrument
    labels = {item.code: item.label for item in instrument.items}
    dimension_labels = {dimension.key: dimension.label for dimension in instrument.dimensions}
    result = cycle.results(evaluation)
    index = result.index
    return ReportData(
        region_code=evaluation.region.code,
        region_name=evaluation.region.name,
        year=evaluation.year,
        scheme_id=scheme.id,
        scheme_label=scheme.label,
        stage=evaluation.stage,
        stage_label=str(Stage(evaluation.stage).label),
        final=evaluation.locked,
        locked_at=evaluation.locked_at,
        index=index,
        index_3=round_score(index, 3) if index is not None else None,
        index_2=round_score(index, 2) if index is not None else None,
        unscored=tuple(result.unscored),
        dimensions=tuple(
            DimensionRow(key, dimension_labels[key], scheme.weights[key], score)
            for key, score in result.dimensions.items()
        ),
        pillars=pillar_scores([item.code for item in instrument.items], result.item_scores),
        target=evaluation.target,
        gap=_gap(evaluation, labels, dimension_labels) if index is not None else None,
        trend=_trend(evaluation, index),
        items=_item_rows(evaluation, labels, dimension_labels),
        strengths=evaluation.strengths,
        weaknesses=evaluation.weaknesses,
        recommendations=evaluation.recommendations,
        generated_at=timezone.now(),
    )


# --- Shared formatting -------------------------------------------------------------------------


def _when(moment: datetime.datetime) -> str:
    """A moment as the platform shows it, with the zone's abbreviation: "24 Nov 2026 17:18 WIB"
    (WITA or WIT for a region whose server runs in those zones)."""
    local = timezone.localtime(moment)
    return f"{date_format(local, 'DATETIME_FORMAT')} {local.tzname()}"


def _score(value: Decimal | None, decimals: int = 3) -> str:
    return "" if value is None else str(round_score(value, decimals))


def _signed(value: Decimal, decimals: int = 3) -> str:
    rounded = round_score(value, decimals)
    return f"+{rounded}" if rounded > 0 else str(rounded)


def _gap_text(gap: GapSummary) -> str:
    if gap.plan == ():
        return _("target reached")
    return _("%(gap)s below the target") % {"gap": _score(gap.gap)}


def _generated(data: ReportData) -> str:
    return _("Made by Kota Cerdas on %(date)s") % {"date": _when(data.generated_at)}


def _facts(data: ReportData) -> list[tuple[str, str]]:
    """What the report is about, at the top of both documents."""
    return [
        (_("Region"), f"{data.region_name} ({data.region_code})"),
        (_("Year"), str(data.year)),
        (_("Scheme"), f"{data.scheme_id}: {data.scheme_label}"),
        (_("Stage"), data.stage_label),
        (_("Scores"), data.status_label),
    ]


def _figures_text(data: ReportData) -> list[tuple[str, str]]:
    """The index, the target and the gap, as the PDF writes them."""
    rows = []
    if data.index is not None:
        rows.append((_("Index"), f"{_score(data.index)} ({_score(data.index, 2)})"))
    else:
        rows.append(
            (
                _("Index"),
                _("not yet computed: %(count)s item(s) have no score")
                % {"count": len(data.unscored)},
            )
        )
    if data.target is not None:
        rows.append((_("Target"), _score(data.target)))
    if data.gap is not None:
        rows.append((_("Gap to target"), _gap_text(data.gap)))
    return rows


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


def _narrative(data: ReportData) -> list[tuple[str, str]]:
    return [
        (_("Strengths"), data.strengths),
        (_("Weaknesses"), data.weaknesses),
        (_("Recommendations"), data.recommendations),
    ]


def _pillar_note() -> str:
    return _(
        "A pillar's score is the mean of the scores of its items. The grouping is Kota "
        "Cerdas's reading of the instrument, not a formula of the ministry, which scores "
        "dimensions only: outcome items C.01-C.05 governance, C.06-C.08 branding, C.09-C.10 "
        "economy, C.11-C.13 living, C.14-C.16 society, C.17-C.18 environment; survey items by "
        "the pillar in their code; collaboration items K.1-K.6 one per pillar."
    )


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
    run as a formula is shown as text (``masterplan.excel.neutralise``)."""
    book = Workbook()
    _summary_sheet(book.active, data)
    _items_sheet(book.create_sheet(ITEMS_SHEET), data)
    _notes_sheet(book.create_sheet(NOTES_SHEET), data)
    book.properties.creator = "Kota Cerdas"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
