"""The evaluation cycle: a region's evaluation for a year under one of the ministry's schemes,
each item's answer with its evidence, the assessors' scores, the impact survey's responses,
and the history of published indices and targets."""

from __future__ import annotations

import secrets

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kotacerdas.core.files import validate_evidence_file
from kotacerdas.core.models import Opd, Region, User
from kotacerdas.evaluation.choices import EvidenceKind, Stage

SCORE = [MinValueValidator(1), MaxValueValidator(4)]


def new_survey_key() -> str:
    return secrets.token_urlsafe(16)


class PublishedScore(models.Model):
    """An index the ministry published for a region and year: the history behind the trend."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("year"))
    index = models.DecimalField(_("index"), max_digits=5, decimal_places=3)
    scheme_id = models.CharField(_("scheme"), max_length=60, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("published index")
        verbose_name_plural = _("published indices")
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="one_published_index_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year}: {self.index}"


class Evaluation(models.Model):
    """A region's evaluation for one year under one scheme (which names its instrument). It
    moves from self-assessment to assessor review to final; once the assessor submits, scores
    are locked and only an administrator changes them, with a reason."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("year"))
    scheme_id = models.CharField(_("scheme"), max_length=60)
    stage = models.CharField(
        _("stage"), max_length=8, choices=Stage.choices, default=Stage.SELF_ASSESSMENT
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    target = models.DecimalField(
        _("target index"), max_digits=5, decimal_places=3, null=True, blank=True
    )
    strengths = models.TextField(_("strengths"), blank=True)
    weaknesses = models.TextField(_("weaknesses"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    locked_at = models.DateTimeField(_("scores locked"), null=True, blank=True)
    locked_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The public impact-survey links carry this key, so they cannot be guessed from the year.
    survey_key = models.CharField(max_length=24, default=new_survey_key, unique=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="one_evaluation_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.region.name} {self.year}"

    @property
    def locked(self) -> bool:
        return self.locked_at is not None


class Answer(models.Model):
    """One item of the instrument for one evaluation: the region's proposed score with its
    justification and evidence (from the OPD the item is assigned to), and the assessor's
    score and comment."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="answers")
    item_code = models.CharField(_("item"), max_length=40)
    dimension = models.CharField(_("dimension"), max_length=30)
    position = models.PositiveSmallIntegerField(default=0)  # the instrument's order
    opd = models.ForeignKey(
        Opd, verbose_name=_("assigned to"), on_delete=models.PROTECT, null=True, blank=True
    )
    proposed_score = models.DecimalField(
        _("proposed score"),
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        validators=SCORE,
    )
    justification = models.TextField(_("justification"), blank=True)
    answered_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    assessor_score = models.DecimalField(
        _("assessor score"),
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        validators=SCORE,
    )
    assessor_comment = models.TextField(_("assessor comment"), blank=True)
    scored_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "item_code"], name="one_answer_an_item"),
            models.CheckConstraint(
                condition=Q(proposed_score__isnull=True)
                | Q(proposed_score__gte=1, proposed_score__lte=4),
                name="proposed_score_1_to_4",
            ),
            models.CheckConstraint(
                condition=Q(assessor_score__isnull=True)
                | Q(assessor_score__gte=1, assessor_score__lte=4),
                name="assessor_score_1_to_4",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evaluation} {self.item_code}"

    def get_additional_data(self) -> dict[str, str] | None:
        """Shown in the audit trail: why an administrator changed a locked score."""
        reason = getattr(self, "change_reason", "")
        return {"reason": reason} if reason else None


class Evidence(models.Model):
    """What backs an answer: an uploaded file, a link, or a record the platform already holds
    (a programme, its KPI values, a meeting...), named by its kind and key so that the
    evaluation never copies a fact it can point to."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=6, choices=EvidenceKind.choices)
    label = models.CharField(_("label"), max_length=300)
    file = models.FileField(
        _("file"), upload_to="evaluation/%Y/", blank=True, validators=[validate_evidence_file]
    )
    url = models.URLField(_("link"), blank=True, max_length=500)
    record_type = models.CharField(_("record type"), max_length=40, blank=True)
    record_key = models.CharField(_("record"), max_length=100, blank=True)
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["added_at"]

    def __str__(self) -> str:
        return self.label


class SurveyResponse(models.Model):
    """One respondent's answers to one pillar's impact survey (2023 instrument), on the
    instrument's scale (1-4; 0 is kept, and flagged). The respondent is known only by a keyed
    hash of the contact they gave, enough to notice the same person answering twice or for
    several pillars, never enough to recover the contact."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="survey_responses"
    )
    pillar = models.CharField(_("pillar"), max_length=20)
    respondent = models.CharField(_("respondent"), max_length=64)
    answers = models.JSONField(_("answers"))
    imported = models.BooleanField(_("imported from CSV"), default=False)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "pillar", "respondent"], name="one_response_a_pillar"
            )
        ]

    def __str__(self) -> str:
        return f"{self.evaluation} {self.pillar} {self.respondent[:8]}"


class SurveyDecision(models.Model):
    """The administrator's choice, for one pillar's survey, to count or leave out the flagged
    responses, with the recorded reason."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="survey_decisions"
    )
    pillar = models.CharField(_("pillar"), max_length=20)
    include_flagged = models.BooleanField(_("count flagged responses"))
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("survey decision")
        verbose_name_plural = _("survey decisions")
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "pillar"], name="one_decision_a_pillar")
        ]

    def __str__(self) -> str:
        return f"{self.evaluation} {self.pillar}"
