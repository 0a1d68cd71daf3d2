"""Gathering the evaluation report's content once, for every format (see the package)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.core.pdf import local_time_text
from kotacerdas.evaluation import cycle
from kotacerdas.evaluation.choices import EvidenceKind, Stage
from kotacerdas.evaluation.models import Answer, Evaluation, PublishedScore
from kotacerdas.evaluation.pillars import PillarRow, pillar_scores
from kotacerdas.evaluation.scoring import round_score
from kotacerdas.masterplan.excel import XLSX_CONTENT_TYPE as XLSX_CONTENT_TYPE

# The national programme the evaluation belongs to, by its name.
PROGRAMME = "Gerakan Menuju Kota Cerdas (Smart City)"

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
            return _("Final (locked on %(date)s)") % {"date": local_time_text(self.locked_at)}
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
    return _("Made by Kota Cerdas on %(date)s") % {"date": local_time_text(data.generated_at)}


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
