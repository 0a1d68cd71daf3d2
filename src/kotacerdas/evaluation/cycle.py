"""The evaluation cycle: opening an evaluation, assigning items to OPDs, answering them with
evidence (the platform proposes answers it can back with its own records), assessor scoring
and locking, results, and the gap to the target.

Every write is one transaction and names its actor; refusals are ValidationError (naming the
field) or PermissionDenied.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.core import access
from kotacerdas.core.audit import records_actor
from kotacerdas.core.choices import Role
from kotacerdas.core.files import check_upload
from kotacerdas.core.models import Opd, Region, User
from kotacerdas.evaluation import rules
from kotacerdas.evaluation.choices import EvidenceKind, Stage
from kotacerdas.evaluation.instruments import Scheme, load_catalogue
from kotacerdas.evaluation.models import Answer, Evaluation, Evidence
from kotacerdas.evaluation.scoring import (
    Improvement,
    ItemGain,
    dimension_scores,
    index_gain_per_item,
    index_score,
    smallest_improvement_set,
)

STAGE_ORDER = [Stage.SELF_ASSESSMENT, Stage.ASSESSOR_REVIEW, Stage.FINAL]


def _current(evaluation: Evaluation) -> Evaluation:
    """Re-read the evaluation's stage and lock inside the transaction, locked, so that a score
    given while the assessor submits cannot slip in after the lock."""
    fresh = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    for name in ("stage", "locked_at", "locked_by_id"):
        setattr(evaluation, name, getattr(fresh, name))
    return evaluation


def scheme_of(evaluation: Evaluation) -> Scheme:
    return load_catalogue().scheme(evaluation.scheme_id)


def parse_score(value: Any, field: str = "score") -> Decimal:
    """An item score: 1.00-4.00 with at most two decimals (a decimal comma is accepted)."""
    try:
        score = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ValidationError(
            {field: _("'%(value)s' is not a number.") % {"value": value}}
        ) from None
    if not score.is_finite() or not Decimal(1) <= score <= Decimal(4):
        raise ValidationError({field: _("A score is between 1.00 and 4.00.")})
    if score != score.quantize(Decimal("0.01")):
        raise ValidationError({field: _("A score has at most two decimals.")})
    return score.quantize(Decimal("0.01"))


@records_actor
@transaction.atomic
def open_evaluation(
    actor: User,
    region: Region,
    year: int,
    scheme_id: str,
    deadline: datetime.date | None = None,
    target: Decimal | None = None,
) -> Evaluation:
    """Open the region's evaluation for ``year`` with one answer per item of the scheme's
    instrument, in the instrument's order."""
    if not rules.can_manage(actor):
        raise PermissionDenied(_("Only administrators open evaluations."))
    if target is not None and not Decimal(0) < Decimal(target) <= Decimal(4):
        raise ValidationError({"target": _("A target index is a number above 0 and at most 4.")})
    scheme = load_catalogue().scheme(scheme_id)
    if Evaluation.objects.filter(region=region, year=year).exists():
        raise ValidationError({"year": _("%(year)s already has an evaluation.") % {"year": year}})
    evaluation = Evaluation.objects.create(
        region=region, year=year, scheme_id=scheme.id, deadline=deadline, target=target
    )
    Answer.objects.bulk_create(
        Answer(evaluation=evaluation, item_code=item.code, dimension=item.dimension, position=n)
        for n, item in enumerate(scheme.instrument.items)
    )
    return evaluation


@records_actor
@transaction.atomic
def assign(actor: User, evaluation: Evaluation, item_codes: list[str], opd: Opd | None) -> int:
    """Assign items to the OPD that will answer them (None takes the assignment back)."""
    if not rules.can_manage(actor):
        raise PermissionDenied(_("Only administrators assign items."))
    answers = evaluation.answers.filter(item_code__in=item_codes)
    unknown = sorted(set(item_codes) - set(answers.values_list("item_code", flat=True)))
    if unknown:
        raise ValidationError(
            {"items": _("Unknown item(s): %(codes)s") % {"codes": ", ".join(unknown)}}
        )
    for answer in answers:
        answer.opd = opd
        answer.save(update_fields=["opd"])
    return len(item_codes)


@records_actor
@transaction.atomic
def answer_item(actor: User, answer: Answer, score: Any, justification: str) -> Answer:
    """The region's proposed score for an item, with its justification."""
    _current(answer.evaluation)
    if not rules.can_answer(actor, answer):
        raise PermissionDenied(_("You may not answer this item now."))
    answer.proposed_score = None if score in (None, "") else parse_score(score)
    answer.justification = justification.strip()
    answer.answered_by = actor
    answer.answered_at = timezone.now()
    answer.save(update_fields=["proposed_score", "justification", "answered_by", "answered_at"])
    return answer


@records_actor
@transaction.atomic
def add_evidence(
    actor: User,
    answer: Answer,
    *,
    upload: UploadedFile | None = None,
    url: str = "",
    record: tuple[str, str, str, str] | None = None,
    label: str = "",
) -> Evidence:
    """Back an answer with an uploaded file (checked by content and size), a link, or a
    platform record given as (kind, key, label, url)."""
    _current(answer.evaluation)
    if not rules.can_answer(actor, answer):
        raise PermissionDenied(_("You may not change this item now."))
    if upload is not None:
        try:
            check_upload(upload)
        except ValidationError as error:
            raise ValidationError({"file": error.messages}) from None
        return Evidence.objects.create(
            answer=answer,
            kind=EvidenceKind.FILE,
            file=upload,
            label=(label or upload.name)[:300],
            added_by=actor,
        )
    if record is not None:
        kind, key, record_label, record_url = record
        # Only records the platform itself proposed for this item: a client cannot present its
        # own claim as "a platform record", the evidence assessors trust most. (Imported here:
        # proposals builds on this module.)
        from kotacerdas.evaluation.proposals import proposal_for

        proposal = proposal_for(answer)
        offered = {(r.kind, r.key) for r in proposal.fact.records} if proposal else set()
        if (kind, key) not in offered:
            raise ValidationError(
                {"record": _("Only records the platform proposes for this item can be added.")}
            )
        # A record points into the platform (a path) or to a web page; nothing else may become
        # a link on the item page.
        if not record_url.startswith(("/", "https://", "http://")) or record_url.startswith("//"):
            raise ValidationError({"record": _("A record's link must be a path of this site.")})
        return Evidence.objects.create(
            answer=answer,
            kind=EvidenceKind.RECORD,
            record_type=kind,
            record_key=key,
            label=(label or record_label)[:300],
            url=record_url,
            added_by=actor,
        )
    url = url.strip()
    if not url.startswith(("https://", "http://")):
        raise ValidationError({"url": _("A link starts with https:// or http://.")})
    evidence = Evidence(
        answer=answer, kind=EvidenceKind.LINK, url=url, label=(label or url)[:300], added_by=actor
    )
    evidence.full_clean(exclude=["answer", "added_by", "file"])
    evidence.save()
    return evidence


@records_actor
@transaction.atomic
def advance(actor: User, evaluation: Evaluation, stage: str) -> Evaluation:
    """Move the evaluation to the next stage (self-assessment -> assessor review -> final)."""
    if not rules.can_manage(actor):
        raise PermissionDenied(_("Only administrators move an evaluation on."))
    _current(evaluation)
    if stage not in Stage.values:
        raise ValidationError({"stage": _("Unknown stage.")})
    if STAGE_ORDER.index(Stage(stage)) != STAGE_ORDER.index(Stage(evaluation.stage)) + 1:
        raise ValidationError({"stage": _("An evaluation moves one stage forward at a time.")})
    if stage == Stage.FINAL and not evaluation.locked:
        raise ValidationError({"stage": _("The assessor has not submitted the scores yet.")})
    evaluation.stage = stage
    evaluation.save(update_fields=["stage"])
    return evaluation


@records_actor
@transaction.atomic
def score_item(actor: User, answer: Answer, score: Any, comment: str = "") -> Answer:
    """The assessor's score for an item (1.00-4.00, two decimals) and comment."""
    _current(answer.evaluation)
    if not rules.can_score(actor, answer):
        raise PermissionDenied(
            _("Scores can be given only during the assessor review, until locked.")
        )
    answer.assessor_score = parse_score(score)
    answer.assessor_comment = comment.strip()
    answer.scored_by = actor
    answer.save(update_fields=["assessor_score", "assessor_comment", "scored_by"])
    return answer


@records_actor
@transaction.atomic
def submit_assessment(
    actor: User, evaluation: Evaluation, strengths: str, weaknesses: str, recommendations: str
) -> Evaluation:
    """The assessor submits: every item must be scored; the scores lock and the evaluation is
    final. Later changes need an administrator and a reason (``override_score``)."""
    if not access.has_role(actor, Role.ASSESSOR):
        raise PermissionDenied(_("Only an assessor submits the scores."))
    _current(evaluation)
    if evaluation.stage != Stage.ASSESSOR_REVIEW or evaluation.locked:
        raise ValidationError({"stage": _("Only an evaluation under review can be submitted.")})
    missing = list(
        evaluation.answers.filter(assessor_score__isnull=True).values_list("item_code", flat=True)
    )
    if missing:
        raise ValidationError(
            {"scores": _("Items not scored yet: %(codes)s") % {"codes": ", ".join(missing)}}
        )
    evaluation.strengths = strengths.strip()
    evaluation.weaknesses = weaknesses.strip()
    evaluation.recommendations = recommendations.strip()
    evaluation.locked_at = timezone.now()
    evaluation.locked_by = actor
    evaluation.stage = Stage.FINAL
    evaluation.save()
    return evaluation


@records_actor
@transaction.atomic
def override_score(actor: User, answer: Answer, score: Any, reason: str) -> Answer:
    """An administrator changes a locked score; the reason goes into the audit trail."""
    _current(answer.evaluation)
    if not rules.can_manage(actor):
        raise PermissionDenied(_("Only an administrator changes a locked score."))
    if not answer.evaluation.locked:
        raise ValidationError({"stage": _("Until the scores are locked, the assessor scores.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Changing a locked score needs a reason.")})
    answer.assessor_score = parse_score(score)
    answer.change_reason = reason.strip()
    answer.save(update_fields=["assessor_score"])
    return answer


@dataclass(frozen=True)
class Results:
    """The evaluation's scores so far. Assessor scores count where given; otherwise the
    region's proposed score stands in, and ``provisional`` says so."""

    dimensions: dict[str, Decimal]
    index: Decimal | None
    provisional: bool
    unscored: list[str]
    item_scores: dict[str, Decimal]


def results(evaluation: Evaluation) -> Results:
    scheme = scheme_of(evaluation)
    scores: dict[str, Decimal] = {}
    unscored = []
    provisional = False
    for answer in evaluation.answers.all():
        if answer.assessor_score is not None:
            scores[answer.item_code] = answer.assessor_score
        elif answer.proposed_score is not None:
            scores[answer.item_code] = answer.proposed_score
            provisional = True
        else:
            unscored.append(answer.item_code)
    if unscored:
        return Results({}, None, True, unscored, scores)
    dimensions = dimension_scores(scheme.instrument, scores)
    return Results(dimensions, index_score(scheme, dimensions), provisional, [], scores)


@dataclass(frozen=True)
class Gap:
    target: Decimal
    index: Decimal
    gains: list[ItemGain]
    plan: list[Improvement] | None


def gap_to_target(evaluation: Evaluation, target: Decimal) -> Gap | None:
    """Which items raise the index most per point, and the fewest one-step improvements that
    reach ``target`` (None when the evaluation is not fully scored yet)."""
    current = results(evaluation)
    if current.index is None:
        return None
    scheme = scheme_of(evaluation)
    return Gap(
        target,
        current.index,
        index_gain_per_item(scheme, current.item_scores),
        smallest_improvement_set(scheme, current.item_scores, target),
    )
