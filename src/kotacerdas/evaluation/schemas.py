"""The JSON shapes of the evaluation API.

Numbers are exact decimals answered as strings, rounded once for display by
``scoring.round_score`` (the ministry's spreadsheet rounding): item and dimension scores with
two decimals (``"3.50"``), indices and targets with three (``"3.315"``), and the index gain of
one improvement step with four (``"0.0500"``; a gain is often below 0.01). Scores are accepted
as JSON numbers or numeric strings; whether they are 1.00-4.00 with two decimals is the
domain's question (``cycle.parse_score``), answered as a 422 naming ``score``.

Schema names are distinct across the whole API (hence the ``Evaluation`` prefix): the OpenAPI
document keeps one component per class name, so a second ``AnswerOut`` elsewhere would silently
replace this one.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema
from pydantic import ConfigDict, PlainSerializer

from kotacerdas.core.schemas import CODE_PATTERN
from kotacerdas.evaluation import cycle
from kotacerdas.evaluation.choices import EvidenceKind, Stage
from kotacerdas.evaluation.scoring import round_score


def _places(decimals: int) -> PlainSerializer:
    return PlainSerializer(lambda value: str(round_score(value, decimals)), return_type=str)


ScoreOut = Annotated[
    Decimal, _places(2), Field(description='an item or dimension score, e.g. "3.50"')
]
IndexOut = Annotated[Decimal, _places(3), Field(description='an index, e.g. "3.315"')]
GainOut = Annotated[
    Decimal, _places(4), Field(description='what a step adds to the index, e.g. "0.0500"')
]
# A score as sent: a JSON number or a numeric string; the domain checks 1.00-4.00, two decimals.
ScoreIn = Annotated[Decimal, Field(description='a score 1.00-4.00, e.g. 3.5 or "3.50"')]
# A target index as the database keeps it: at most five digits, three after the point.
TargetIn = Annotated[
    Decimal,
    Field(
        gt=0,
        max_digits=5,
        decimal_places=3,
        allow_inf_nan=False,
        description='a target index with at most three decimals, e.g. 3.6 or "3.600"',
    ),
]
# A link to a platform record: a path on the platform or an http(s) address, never a
# ``javascript:`` one (the staff pages render it as a link).
RECORD_URL_PATTERN = r"^$|^/[^/]|^https?://"


class _Input(Schema):
    """Request bodies refuse fields they do not know, naming them, rather than ignoring them."""

    model_config = ConfigDict(extra="forbid")


# Instruments and schemes


class EvaluationItemOut(Schema):
    code: str
    label: str
    element: str | None = Field(None, description="the group the reports list the item under")


class EvaluationDimensionOut(Schema):
    key: str
    label: str
    weight: Decimal = Field(..., description="the dimension's weight under the scheme")
    items: list[EvaluationItemOut]


class EvaluationSchemeOut(Schema):
    id: str
    label: str
    instrument: str = Field(..., description="the instrument version the scheme scores with")
    instrument_title: str
    weights: dict[str, Decimal] = Field(
        ..., description="dimension -> weight, in the instrument's order; they sum to 1"
    )


class EvaluationSchemeDetail(EvaluationSchemeOut):
    dimensions: list[EvaluationDimensionOut]


class PublishedScoreOut(Schema):
    """An index the ministry published for a region and year."""

    region: str = Field(..., alias="region_id", description="Kemendagri region code")
    year: int
    index: IndexOut
    scheme_id: str
    source: str


# Evaluations


class EvaluationOut(Schema):
    id: int
    region: str = Field(..., alias="region_id", description="Kemendagri region code")
    region_name: str
    year: int
    scheme_id: str
    stage: Stage
    deadline: dt.date | None
    target: IndexOut | None
    locked: bool
    is_demo: bool

    @staticmethod
    def resolve_region_name(obj) -> str:
        return obj.region.name


class EvaluationResultsOut(Schema):
    """The scores so far (``cycle.results``): assessor scores where given, else the region's
    proposed scores, and then ``provisional`` is true. While any item has neither, the
    dimensions are empty, the index is null and ``unscored`` lists the items."""

    dimensions: dict[str, ScoreOut]
    index: IndexOut | None
    provisional: bool
    unscored: list[str] = Field(..., description="codes of the items with no score yet")


class EvaluationDetail(EvaluationOut):
    strengths: str
    weaknesses: str
    recommendations: str
    locked_at: dt.datetime | None
    locked_by: str | None = Field(None, description="username")
    results: EvaluationResultsOut

    @staticmethod
    def resolve_results(obj) -> cycle.Results:
        return cycle.results(obj)

    @staticmethod
    def resolve_locked_by(obj) -> str | None:
        return obj.locked_by.username if obj.locked_by_id else None


class EvaluationOpenIn(_Input):
    region: str = Field(..., pattern=CODE_PATTERN, description="Kemendagri region code, e.g. 35.71")
    year: int = Field(..., ge=1, le=32767)
    scheme_id: str = Field(..., max_length=60, description="e.g. kominfo-2023-kppn-ikn")
    deadline: dt.date | None = None
    target: TargetIn | None = None


class EvaluationAdvanceIn(_Input):
    stage: Stage = Field(..., description="the next stage")


class EvaluationAssignIn(_Input):
    item_codes: list[str] = Field(..., min_length=1)
    opd: str | None = Field(..., max_length=40, description="OPD code; null takes items back")


class EvaluationAssignOut(Schema):
    assigned: int = Field(..., description="how many items were assigned")


class EvaluationSubmitIn(_Input):
    strengths: str = ""
    weaknesses: str = ""
    recommendations: str = ""


# Answers and evidence


class EvaluationRecordOut(Schema):
    """A record the platform holds (a programme, a meeting...): its kind, key, name and link."""

    kind: str
    key: str
    label: str
    url: str


class EvaluationRecordIn(_Input):
    kind: str = Field(..., min_length=1, max_length=40, description="e.g. meeting, programme")
    key: str = Field(..., min_length=1, max_length=100)
    label: str = Field(..., min_length=1, max_length=300)
    url: str = Field(
        "", max_length=500, pattern=RECORD_URL_PATTERN, description="a platform path or http(s)"
    )


class EvaluationEvidenceRecordRef(Schema):
    kind: str
    key: str


class EvaluationEvidenceOut(Schema):
    id: int
    kind: EvidenceKind
    label: str
    url: str
    file: str | None = Field(None, description="the stored file's name (file evidence)")
    record: EvaluationEvidenceRecordRef | None = Field(None, description="(record evidence)")
    added_by: str = Field(..., description="username")
    added_at: dt.datetime

    @staticmethod
    def resolve_file(obj) -> str | None:
        return obj.file.name or None

    @staticmethod
    def resolve_record(obj) -> dict[str, str] | None:
        if obj.kind != EvidenceKind.RECORD:
            return None
        return {"kind": obj.record_type, "key": obj.record_key}

    @staticmethod
    def resolve_added_by(obj) -> str:
        return obj.added_by.username


class EvaluationProposalOut(Schema):
    """What the platform can say about an item from its own records; ``score`` only for a plain
    yes/no item (4.00 or 1.00), else null for a person to judge."""

    text: str
    score: ScoreOut | None
    records: list[EvaluationRecordOut]


class EvaluationAnswerOut(Schema):
    id: int
    evaluation: int
    item_code: str
    item_label: str = Field(..., description="the item's label in the evaluation's instrument")
    element: str | None
    dimension: str
    opd: str | None = Field(..., description="code of the OPD the item is assigned to")
    proposed_score: ScoreOut | None
    justification: str
    answered_by: str | None = Field(..., description="username")
    answered_at: dt.datetime | None
    assessor_score: ScoreOut | None
    assessor_comment: str
    scored_by: str | None = Field(..., description="username")
    has_evidence: bool
    evidence: list[EvaluationEvidenceOut]
    proposal: EvaluationProposalOut | None = Field(
        ..., description="the platform's proposed answer, for the items it can back"
    )
    can_answer: bool = Field(..., description="whether you may answer it (and add evidence) now")
    can_score: bool = Field(..., description="whether you may give the assessor's score now")


class EvaluationAnswerIn(_Input):
    """The region's proposed score (null clears it) and its justification."""

    score: ScoreIn | None
    justification: str = ""


class EvaluationEvidenceIn(_Input):
    """A link (``url`` and an optional ``label``) or a platform record (``record``)."""

    url: str = Field("", max_length=500, description="https://... (link evidence)")
    label: str = Field("", max_length=300)
    record: EvaluationRecordIn | None = None


class EvaluationScoreIn(_Input):
    score: ScoreIn
    comment: str = ""


class EvaluationOverrideIn(_Input):
    score: ScoreIn
    reason: str = Field(..., description="why the locked score changes (kept in the audit trail)")


# Gap to target


class EvaluationGainOut(Schema):
    """What raising one item by one step (one point, at most to 4.00) adds to the index."""

    code: str
    label: str
    dimension: str
    score: ScoreOut
    step: ScoreOut = Field(..., description="the step's size: 1.00, less near 4.00, 0 at 4.00")
    gain: GainOut


class EvaluationStepOut(Schema):
    """One step of the plan: raise ``code`` from ``from_score`` to ``to_score``."""

    code: str
    label: str
    dimension: str
    from_score: ScoreOut
    to_score: ScoreOut
    gain: GainOut


class EvaluationGapOut(Schema):
    index: IndexOut
    target: IndexOut
    shortfall: IndexOut = Field(..., description="target - index, or 0 when reached")
    provisional: bool = Field(..., description="true while proposed scores stand in")
    gains: list[EvaluationGainOut] = Field(..., description="largest gain first")
    plan: list[EvaluationStepOut] | None = Field(
        ...,
        description="the fewest steps that reach the target ([] when reached); null when even "
        "every item at 4.00 would not",
    )
