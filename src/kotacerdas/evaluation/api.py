"""The evaluation JSON API: the instruments and schemes, the published indices, the region's
evaluations with their answers and evidence, the assessors' scores, and the gap to the target.

Everything here is staff data: every endpoint needs a signed-in user who holds a role, and
every role reads everything, as on the staff pages (an OPD officer sees every answer). Writes
call the domain functions of ``cycle`` and ``proposals``, which decide who may do what now (an
officer answers only their OPD's items, during the self-assessment) and refuse bad input with
a ValidationError (422) or PermissionDenied (403).

Numbers are decimal strings: scores with two decimals, indices with three (see ``schemas``).

(No ``from __future__ import annotations`` here: django-ninja reads the annotations at import.)
"""

from dataclasses import asdict
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Exists, OuterRef, Prefetch, QuerySet, prefetch_related_objects
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.errors import HttpError
from ninja.pagination import paginate

from kotacerdas.core.api_auth import signed_in
from kotacerdas.core.api_common import (
    ERRORS,
    MAX_PAGE_SIZE,
    READ_ERRORS,
    ApiPagination,
    FieldError,
    opd_by_code,
    region_by_code,
    staff_user,
)
from kotacerdas.core.models import User
from kotacerdas.core.schemas import ErrorOut
from kotacerdas.evaluation import cycle, proposals, rules
from kotacerdas.evaluation.choices import Stage
from kotacerdas.evaluation.instruments import Scheme, UnknownSchemeError, load_catalogue
from kotacerdas.evaluation.models import Answer, Evaluation, Evidence, PublishedScore
from kotacerdas.evaluation.schemas import (
    EvaluationAdvanceIn,
    EvaluationAnswerIn,
    EvaluationAnswerOut,
    EvaluationAssignIn,
    EvaluationAssignOut,
    EvaluationDetail,
    EvaluationEvidenceIn,
    EvaluationEvidenceOut,
    EvaluationGapOut,
    EvaluationOpenIn,
    EvaluationOut,
    EvaluationOverrideIn,
    EvaluationSchemeDetail,
    EvaluationSchemeOut,
    EvaluationScoreIn,
    EvaluationSubmitIn,
    PublishedScoreOut,
    TargetIn,
)

router = Router(auth=signed_in)

DEFAULT_GAINS = 20


def _renamed(error: DjangoValidationError, names: dict[str, str]) -> DjangoValidationError:
    """The domain's refusal with its fields named as the client sent them."""
    if not hasattr(error, "error_dict"):
        return error
    return DjangoValidationError(
        {names.get(field, field): messages for field, messages in error.error_dict.items()}
    )


# Instruments and schemes


def _scheme_out(scheme: Scheme, *, detail: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": scheme.id,
        "label": scheme.label,
        "instrument": scheme.instrument.version,
        "instrument_title": scheme.instrument.title,
        "weights": dict(scheme.weights),
    }
    if detail:
        out["dimensions"] = [
            {
                "key": dimension.key,
                "label": dimension.label,
                "weight": scheme.weights[dimension.key],
                "items": dimension.items,
            }
            for dimension in scheme.instrument.dimensions
        ]
    return out


@router.get(
    "/schemes", response={200: list[EvaluationSchemeOut], **READ_ERRORS}, tags=["evaluation"]
)
def list_schemes(request: HttpRequest) -> list[dict[str, Any]]:
    """The scoring schemes that were loaded (the packaged ones and a region's own files), by
    id: each names the instrument version it scores with and weighs its dimensions."""
    staff_user(request)
    catalogue = load_catalogue()
    return [_scheme_out(catalogue.schemes[key]) for key in sorted(catalogue.schemes)]


@router.get(
    "/schemes/{scheme_id}",
    response={200: EvaluationSchemeDetail, **READ_ERRORS},
    tags=["evaluation"],
)
def get_scheme(request: HttpRequest, scheme_id: str) -> dict[str, Any]:
    """One scheme with its instrument's dimensions, their weights and their items."""
    staff_user(request)
    scheme = load_catalogue().schemes.get(scheme_id)
    if scheme is None:
        raise Http404
    return _scheme_out(scheme, detail=True)


@router.get(
    "/published", response={200: list[PublishedScoreOut], **READ_ERRORS}, tags=["evaluation"]
)
def list_published(request: HttpRequest, region: str | None = None) -> QuerySet[PublishedScore]:
    """The indices the ministry published, by region code and year: the history behind the
    trend."""
    staff_user(request)
    published = PublishedScore.objects.all()
    if region is not None:
        published = published.filter(region=region_by_code(region, "region"))
    return published.order_by("region_id", "year")


# Evaluations


class EvaluationFilters(Schema):
    region: str | None = None
    year: int | None = None
    stage: Stage | None = None


def _evaluation(evaluation_id: int) -> Evaluation:
    return get_object_or_404(
        Evaluation.objects.select_related("region", "locked_by"), pk=evaluation_id
    )


@router.get("/evaluations", response={200: list[EvaluationOut], **READ_ERRORS}, tags=["evaluation"])
@paginate(ApiPagination)
def list_evaluations(
    request: HttpRequest, filters: Query[EvaluationFilters]
) -> QuerySet[Evaluation]:
    """The evaluations, the latest year first, filtered by region code, year and stage."""
    staff_user(request)
    evaluations = Evaluation.objects.select_related("region")
    if filters.region is not None:
        evaluations = evaluations.filter(region=region_by_code(filters.region, "region"))
    if filters.year is not None:
        evaluations = evaluations.filter(year=filters.year)
    if filters.stage is not None:
        evaluations = evaluations.filter(stage=filters.stage)
    return evaluations.order_by("-year", "region_id")


@router.get(
    "/evaluations/{evaluation_id}",
    response={200: EvaluationDetail, **READ_ERRORS},
    tags=["evaluation"],
)
def get_evaluation(request: HttpRequest, evaluation_id: int) -> Evaluation:
    """One evaluation: its stage, deadline, target and lock, the assessor's findings, and the
    results so far (dimension scores, index, whether proposed scores stand in, which items
    have no score yet)."""
    staff_user(request)
    return _evaluation(evaluation_id)


@router.post("/evaluations", response={201: EvaluationDetail, **ERRORS}, tags=["evaluation"])
def open_evaluation(request: HttpRequest, payload: EvaluationOpenIn) -> Any:
    """Open a region's evaluation for a year under a scheme (administrators), with one answer
    per item of the scheme's instrument. A region has one evaluation a year: a second is a
    422 naming ``year``."""
    user = staff_user(request)
    region = region_by_code(payload.region, "region")
    try:
        evaluation = cycle.open_evaluation(
            user, region, payload.year, payload.scheme_id, payload.deadline, payload.target
        )
    except UnknownSchemeError as error:
        raise FieldError("scheme_id", str(error)) from None
    return Status(201, _evaluation(evaluation.pk))


@router.post(
    "/evaluations/{evaluation_id}/advance",
    response={200: EvaluationDetail, **ERRORS},
    tags=["evaluation"],
)
def advance_evaluation(
    request: HttpRequest, evaluation_id: int, payload: EvaluationAdvanceIn
) -> Evaluation:
    """Move the evaluation one stage on (administrators): self-assessment -> assessor review
    -> final (only once the assessor has submitted)."""
    user = staff_user(request)
    cycle.advance(user, _evaluation(evaluation_id), payload.stage)
    return _evaluation(evaluation_id)


@router.post(
    "/evaluations/{evaluation_id}/assign",
    response={200: EvaluationAssignOut, **ERRORS},
    tags=["evaluation"],
)
def assign_items(
    request: HttpRequest, evaluation_id: int, payload: EvaluationAssignIn
) -> dict[str, int]:
    """Assign items to the OPD that answers them (administrators); a null ``opd`` takes them
    back."""
    user = staff_user(request)
    evaluation = _evaluation(evaluation_id)
    opd = opd_by_code(payload.opd, "opd") if payload.opd is not None else None
    codes = list(dict.fromkeys(payload.item_codes))
    try:
        assigned = cycle.assign(user, evaluation, codes, opd)
    except DjangoValidationError as error:
        raise _renamed(error, {"items": "item_codes"}) from None
    return {"assigned": assigned}


@router.post(
    "/evaluations/{evaluation_id}/submit",
    response={200: EvaluationDetail, **ERRORS},
    tags=["evaluation"],
)
def submit_assessment(
    request: HttpRequest, evaluation_id: int, payload: EvaluationSubmitIn
) -> Evaluation:
    """The assessor submits the review with the findings: every item must be scored; the
    scores lock and the evaluation is final."""
    user = staff_user(request)
    cycle.submit_assessment(
        user,
        _evaluation(evaluation_id),
        payload.strengths,
        payload.weaknesses,
        payload.recommendations,
    )
    return _evaluation(evaluation_id)


# Answers


class EvaluationAnswerFilters(Schema):
    dimension: str | None = None
    opd: str | None = None
    has_evidence: bool | None = None
    unanswered: bool | None = Field(None, description="true: no proposed score yet")


def _answers() -> QuerySet[Answer]:
    evidence = Evidence.objects.select_related("added_by")
    return Answer.objects.select_related(
        "evaluation", "opd", "answered_by", "scored_by"
    ).prefetch_related(Prefetch("evidence", queryset=evidence))


def _answer_views(user: User, answers: list[Answer], scheme: Scheme) -> list[dict[str, Any]]:
    """The answers as the API shows them: with the instrument's label, the platform's proposal
    where it has one, and what ``user`` may do with each now."""
    prefetch_related_objects([user], "groups")  # the rules ask for the roles once per answer
    views = []
    for answer in answers:
        item = scheme.instrument.item(answer.item_code)
        proposal = proposals.proposal_for(answer)
        evidence = list(answer.evidence.all())
        views.append(
            {
                "id": answer.pk,
                "evaluation": answer.evaluation_id,
                "item_code": answer.item_code,
                "item_label": item.label if item is not None else "",
                "element": item.element if item is not None else None,
                "dimension": answer.dimension,
                "opd": answer.opd.code if answer.opd_id else None,
                "proposed_score": answer.proposed_score,
                "justification": answer.justification,
                "answered_by": answer.answered_by.username if answer.answered_by_id else None,
                "answered_at": answer.answered_at,
                "assessor_score": answer.assessor_score,
                "assessor_comment": answer.assessor_comment,
                "scored_by": answer.scored_by.username if answer.scored_by_id else None,
                "has_evidence": bool(evidence),
                "evidence": evidence,
                "proposal": (
                    {
                        "text": proposal.fact.text,
                        "score": proposal.score,
                        "records": proposal.fact.records,
                    }
                    if proposal is not None
                    else None
                ),
                "can_answer": rules.can_answer(user, answer),
                "can_score": rules.can_score(user, answer),
            }
        )
    return views


def _answer(answer_id: int) -> Answer:
    return get_object_or_404(_answers(), pk=answer_id)


def _answer_view(user: User, answer_id: int) -> dict[str, Any]:
    answer = _answer(answer_id)
    return _answer_views(user, [answer], cycle.scheme_of(answer.evaluation))[0]


@router.get(
    "/evaluations/{evaluation_id}/answers",
    response={200: list[EvaluationAnswerOut], **READ_ERRORS},
    tags=["evaluation answers"],
)
def list_answers(
    request: HttpRequest, evaluation_id: int, filters: Query[EvaluationAnswerFilters]
) -> list[dict[str, Any]]:
    """Every item's answer in the instrument's order, filtered by dimension, OPD code, whether
    it has evidence, and whether it is still unanswered (no proposed score). Each carries the
    item's label, the evidence, the platform's proposal if it has one, and whether you may
    answer or score it now: an OPD officer sees every answer but acts only on their OPD's."""
    user = staff_user(request)
    evaluation = _evaluation(evaluation_id)
    scheme = cycle.scheme_of(evaluation)
    answers = _answers().filter(evaluation=evaluation)
    if filters.dimension is not None:
        if filters.dimension not in scheme.dimensions:
            raise FieldError(
                "dimension",
                f"the scheme has no dimension {filters.dimension!r}; "
                f"it has {', '.join(scheme.dimensions)}",
            )
        answers = answers.filter(dimension=filters.dimension)
    if filters.opd is not None:
        answers = answers.filter(opd=opd_by_code(filters.opd, "opd"))
    if filters.has_evidence is not None:
        with_evidence = Exists(Evidence.objects.filter(answer=OuterRef("pk")))
        answers = answers.filter(with_evidence if filters.has_evidence else ~with_evidence)
    if filters.unanswered is not None:
        answers = answers.filter(proposed_score__isnull=filters.unanswered)
    return _answer_views(user, list(answers.order_by("position")), scheme)


@router.get(
    "/answers/{answer_id}",
    response={200: EvaluationAnswerOut, **READ_ERRORS},
    tags=["evaluation answers"],
)
def get_answer(request: HttpRequest, answer_id: int) -> dict[str, Any]:
    """One item's answer, with its evidence and the platform's proposal."""
    user = staff_user(request)
    return _answer_view(user, answer_id)


@router.put(
    "/answers/{answer_id}",
    response={200: EvaluationAnswerOut, **ERRORS},
    tags=["evaluation answers"],
)
def put_answer(request: HttpRequest, answer_id: int, payload: EvaluationAnswerIn) -> Any:
    """The region's proposed score (1.00-4.00, two decimals; null clears it) and its
    justification. During the self-assessment, the OPD the item is assigned to answers it;
    administrators answer any item."""
    user = staff_user(request)
    cycle.answer_item(user, _answer(answer_id), payload.score, payload.justification)
    return _answer_view(user, answer_id)


@router.post(
    "/answers/{answer_id}/evidence",
    response={201: EvaluationEvidenceOut, **ERRORS},
    tags=["evaluation answers"],
)
def add_evidence(request: HttpRequest, answer_id: int, payload: EvaluationEvidenceIn) -> Any:
    """Back an answer with a link (``url``, http or https, and an optional ``label``) or with a
    record the platform holds (``record``: kind, key, label, url). Files go to
    ``/evidence/file``. Whoever may answer the item may add its evidence."""
    user = staff_user(request)
    answer = _answer(answer_id)
    if payload.record is not None:
        if payload.url:
            raise FieldError("url", "send a url or a record, not both")
        record = payload.record
        evidence = cycle.add_evidence(
            user,
            answer,
            record=(record.kind, record.key, record.label, record.url),
            label=payload.label,
        )
    else:
        evidence = cycle.add_evidence(user, answer, url=payload.url, label=payload.label)
    return Status(201, evidence)


@router.post(
    "/answers/{answer_id}/evidence/file",
    response={201: EvaluationEvidenceOut, **ERRORS},
    tags=["evaluation answers"],
)
def add_evidence_file(
    request: HttpRequest,
    answer_id: int,
    file: File[UploadedFile],
    label: Form[str] = "",
) -> Any:
    """Back an answer with a file, sent as multipart/form-data (``file``, and an optional
    ``label``, else the file's name). The file is judged by its content, not its name: a PDF,
    an image or an Office document within the size limit."""
    user = staff_user(request)
    evidence = cycle.add_evidence(user, _answer(answer_id), upload=file, label=label)
    return Status(201, evidence)


@router.post(
    "/answers/{answer_id}/accept-proposal",
    response={200: EvaluationAnswerOut, **ERRORS},
    tags=["evaluation answers"],
)
def accept_proposal(request: HttpRequest, answer_id: int) -> Any:
    """Take the platform's proposal as the answer: its text becomes the justification, its
    records the evidence, and for a plain yes/no item its score the proposed score. An item the
    platform has no proposal for answers 404."""
    user = staff_user(request)
    answer = _answer(answer_id)
    if proposals.proposal_for(answer) is None:
        raise HttpError(404, f"The platform has no proposal for item {answer.item_code}.")
    proposals.accept_proposal(user, answer)
    return _answer_view(user, answer_id)


@router.put(
    "/answers/{answer_id}/score",
    response={200: EvaluationAnswerOut, **ERRORS},
    tags=["evaluation answers"],
)
def put_score(request: HttpRequest, answer_id: int, payload: EvaluationScoreIn) -> Any:
    """The assessor's score (1.00-4.00, two decimals) and comment, during the assessor review
    until the scores are submitted."""
    user = staff_user(request)
    cycle.score_item(user, _answer(answer_id), payload.score, payload.comment)
    return _answer_view(user, answer_id)


@router.put(
    "/answers/{answer_id}/override",
    response={200: EvaluationAnswerOut, **ERRORS},
    tags=["evaluation answers"],
)
def override_score(request: HttpRequest, answer_id: int, payload: EvaluationOverrideIn) -> Any:
    """Change a locked score (administrators), giving the reason, which the audit trail
    keeps."""
    user = staff_user(request)
    cycle.override_score(user, _answer(answer_id), payload.score, payload.reason)
    return _answer_view(user, answer_id)


# Gap to target


class EvaluationGapQuery(Schema):
    target: TargetIn | None = None
    limit: int = Field(DEFAULT_GAINS, ge=1, le=MAX_PAGE_SIZE, description="how many gains")


@router.get(
    "/evaluations/{evaluation_id}/gap",
    response={200: EvaluationGapOut, 409: ErrorOut, **READ_ERRORS},
    tags=["evaluation"],
)
def get_gap(
    request: HttpRequest, evaluation_id: int, query: Query[EvaluationGapQuery]
) -> dict[str, Any]:
    """The gap to a target index (``target``, by default the evaluation's own): the items that
    raise the index most per step (the first ``limit``, largest gain first), and the fewest
    one-point steps that reach the target (null when even every item at 4.00 would not).

    The gap needs a score for every item (the assessor's, or the region's proposed one, and then
    ``provisional`` is true): until then it answers 409, as the evaluation is not in a state
    that has a gap yet; the evaluation's ``results.unscored`` lists what is missing."""
    staff_user(request)
    evaluation = _evaluation(evaluation_id)
    target = query.target if query.target is not None else evaluation.target
    if target is None:
        raise FieldError("target", "the evaluation has no target; give one")
    current = cycle.results(evaluation)
    gap = cycle.gap_to_target(evaluation, target) if current.index is not None else None
    if gap is None:
        raise HttpError(
            409,
            f"The evaluation is not fully scored yet: {len(current.unscored)} item(s) have no "
            "score.",
        )
    labels = {item.code: item.label for item in cycle.scheme_of(evaluation).instrument.items}
    return {
        "index": gap.index,
        "target": gap.target,
        "shortfall": max(gap.target - gap.index, Decimal(0)),
        "provisional": current.provisional,
        "gains": [
            {**asdict(gain), "label": labels.get(gain.code, "")}
            for gain in gap.gains[: query.limit]
        ],
        "plan": (
            [{**asdict(step), "label": labels.get(step.code, "")} for step in gap.plan]
            if gap.plan is not None
            else None
        ),
    }
