"""The evaluation's staff pages: the list with the trend and target, one evaluation with its
items and scores, one item with its answer, evidence and scoring, and the gap to the target."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from kotacerdas.core.models import Opd, Region
from kotacerdas.core.views import staff_required
from kotacerdas.evaluation import cycle, proposals, rules
from kotacerdas.evaluation.choices import EvidenceKind, Stage
from kotacerdas.evaluation.forms import OpenEvaluationForm
from kotacerdas.evaluation.models import Answer, Evaluation, Evidence, PublishedScore
from kotacerdas.evaluation.pillars import pillar_scores
from kotacerdas.evaluation.scoring import round_score


def _trend(evaluations) -> str:
    """The region's published indices and the current evaluations' scores, for the chart."""
    regions = {e.region_id for e in evaluations}
    published = {
        p.year: float(p.index)
        for p in PublishedScore.objects.filter(region__in=regions).order_by("year")
    }
    current = {}
    for evaluation in evaluations:
        result = cycle.results(evaluation)
        if result.index is not None and evaluation.year not in published:
            current[evaluation.year] = float(round_score(result.index, 3))
    targets = {e.year: float(e.target) for e in evaluations if e.target is not None}
    years = sorted(set(published) | set(current) | set(targets))
    return json.dumps(
        {
            "labels": years,
            "published": [published.get(y) for y in years],
            "current": [current.get(y) for y in years],
            "target": [targets.get(y) for y in years],
            "publishedLabel": _("Published index"),
            "currentLabel": _("This platform's score"),
            "targetLabel": _("Target"),
        }
    )


@staff_required
def evaluation_list(request: HttpRequest) -> HttpResponse:
    """The evaluations, the published history and the trend; administrators open a new year's
    evaluation here."""
    if request.method == "POST":
        form = OpenEvaluationForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            region = get_object_or_404(Region, code=settings.KOTACERDAS_REGION)
            opened = []
            if _run(
                request,
                lambda: opened.append(
                    cycle.open_evaluation(
                        request.user,
                        region,
                        data["year"],
                        data["scheme"],
                        data["deadline"],
                        data["target"],
                    )
                ),
                _("The evaluation has been opened."),
            ):
                return redirect("evaluation:detail", pk=opened[0].pk)
    else:
        form = OpenEvaluationForm()
    evaluations = list(Evaluation.objects.select_related("region"))
    return render(
        request,
        "evaluation/list.html",
        {
            "form": form,
            "can_manage": rules.can_manage(request.user),
            "evaluations": evaluations,
            "published": PublishedScore.objects.filter(
                region__in={e.region_id for e in evaluations}
            ).order_by("-year"),
            "trend": _trend(evaluations),
        },
    )


@staff_required
def evaluation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One evaluation: its stage, scores by dimension, and every item with its answer, score
    and evidence (items without evidence are marked)."""
    evaluation = get_object_or_404(Evaluation.objects.select_related("region"), pk=pk)
    scheme = cycle.scheme_of(evaluation)
    answers = list(
        evaluation.answers.select_related("opd").prefetch_related("evidence").order_by("position")
    )
    only_mine = request.GET.get("mine") == "1" and request.user.opd_id is not None
    if only_mine:
        answers = [a for a in answers if a.opd_id == request.user.opd_id]
    labels = {item.code: item.label for item in scheme.instrument.items}
    groups = []
    for dimension in scheme.instrument.dimensions:
        rows = [
            {"answer": a, "label": labels.get(a.item_code, "")}
            for a in answers
            if a.dimension == dimension.key
        ]
        if rows:
            groups.append({"dimension": dimension, "rows": rows})
    result = cycle.results(evaluation)
    user = request.user
    return render(
        request,
        "evaluation/detail.html",
        {
            "evaluation": evaluation,
            "scheme": scheme,
            "groups": groups,
            "result": result,
            "index": round_score(result.index, 3) if result.index is not None else None,
            # The ministry publishes two decimals; show that figure too.
            "index_published": round_score(result.index, 2) if result.index is not None else None,
            "dimension_scores": [
                (d.label, round_score(result.dimensions[d.key], 2), scheme.weights[d.key])
                for d in scheme.instrument.dimensions
                if d.key in result.dimensions
            ],
            "pillars": pillar_scores([i.code for i in scheme.instrument.items], result.item_scores),
            "without_evidence": sum(1 for a in answers if not a.evidence.all()),
            "only_mine": only_mine,
            "can_manage": rules.can_manage(user),
            "can_assess": rules.can_assess(user, evaluation),
            "next_stage": _next_stage(evaluation),
            "opds": Opd.objects.filter(active=True) if rules.can_manage(user) else [],
        },
    )


def _next_stage(evaluation: Evaluation) -> Stage | None:
    index = cycle.STAGE_ORDER.index(Stage(evaluation.stage))
    return cycle.STAGE_ORDER[index + 1] if index + 1 < len(cycle.STAGE_ORDER) else None


def _run(request: HttpRequest, action, success: str) -> bool:
    """Run a domain action for a form; show its refusal as a message. True if it went through."""
    try:
        with transaction.atomic():
            action()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return False
    messages.success(request, success)
    return True


@staff_required
def evaluation_action(request: HttpRequest, pk: int) -> HttpResponse:
    """The forms of the evaluation page: move the stage, assign items, submit the assessment."""
    evaluation = get_object_or_404(Evaluation, pk=pk)
    if request.method != "POST":
        return redirect("evaluation:detail", pk=pk)
    user, post = request.user, request.POST
    action = post.get("action")
    if action == "advance":
        _run(
            request,
            lambda: cycle.advance(user, evaluation, post.get("stage", "")),
            _("The evaluation has moved on."),
        )
    elif action == "assign":
        opd = Opd.objects.filter(code=post.get("opd", "")).first()
        _run(
            request,
            lambda: cycle.assign(user, evaluation, post.getlist("items"), opd),
            _("The items have been assigned."),
        )
    elif action == "submit":
        _run(
            request,
            lambda: cycle.submit_assessment(
                user,
                evaluation,
                post.get("strengths", ""),
                post.get("weaknesses", ""),
                post.get("recommendations", ""),
            ),
            _("The scores have been submitted and locked."),
        )
    else:
        raise PermissionDenied
    return redirect("evaluation:detail", pk=pk)


@staff_required
def item(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """One item: the platform's proposal, the region's answer and evidence, the assessor's
    score; each form shown only to whoever may use it now."""
    answer = get_object_or_404(
        Answer.objects.select_related("evaluation__region", "opd"), evaluation_id=pk, item_code=code
    )
    evaluation = answer.evaluation
    user = request.user
    if request.method == "POST":
        post = request.POST
        action = post.get("action")
        done = {
            "accept": (
                lambda: proposals.accept_proposal(user, answer),
                _("The proposal has been accepted."),
            ),
            "answer": (
                lambda: cycle.answer_item(
                    user, answer, post.get("score", ""), post.get("justification", "")
                ),
                _("The answer has been saved."),
            ),
            "link": (
                lambda: cycle.add_evidence(
                    user, answer, url=post.get("url", ""), label=post.get("label", "")
                ),
                _("The link has been added."),
            ),
            "file": (
                lambda: cycle.add_evidence(
                    user, answer, upload=_one_file(request), label=post.get("label", "")
                ),
                _("The file has been added."),
            ),
            "score": (
                lambda: cycle.score_item(
                    user, answer, post.get("score", ""), post.get("comment", "")
                ),
                _("The score has been saved."),
            ),
            "override": (
                lambda: cycle.override_score(
                    user, answer, post.get("score", ""), post.get("reason", "")
                ),
                _("The locked score has been changed."),
            ),
        }.get(action)
        if done is None:
            raise PermissionDenied
        if _run(request, *done):
            return redirect("evaluation:item", pk=pk, code=code)
    scheme = cycle.scheme_of(evaluation)
    instrument_item = scheme.instrument.item(code)
    return render(
        request,
        "evaluation/item.html",
        {
            "answer": answer,
            "evaluation": evaluation,
            "item": instrument_item,
            "proposal": proposals.proposal_for(answer),
            "evidence": answer.evidence.all(),
            "can_answer": rules.can_answer(user, answer),
            "can_score": rules.can_score(user, answer),
            "can_override": rules.can_manage(user) and evaluation.locked,
        },
    )


def _one_file(request: HttpRequest):
    upload = request.FILES.get("file")
    if upload is None:
        raise ValidationError({"file": _("Choose a file to upload.")})
    return upload


@staff_required
def gap(request: HttpRequest, pk: int) -> HttpResponse:
    """Gap to target: the items that raise the index most per point, and the fewest steps that
    reach the target, with the arithmetic explained."""
    evaluation = get_object_or_404(Evaluation.objects.select_related("region"), pk=pk)
    raw = request.GET.get("target") or (str(evaluation.target) if evaluation.target else "")
    target = None
    error = ""
    if raw:
        try:
            target = Decimal(raw.replace(",", "."))
            if not Decimal(0) < target <= Decimal(4):
                raise InvalidOperation
        except InvalidOperation:
            error = _("A target index is a number above 0 and at most 4.")
            target = None
    result = cycle.gap_to_target(evaluation, target) if target is not None else None
    scheme = cycle.scheme_of(evaluation)
    labels = {i.code: i.label for i in scheme.instrument.items}
    return render(
        request,
        "evaluation/gap.html",
        {
            "evaluation": evaluation,
            "target": target,
            "raw_target": raw,
            "error": error,
            "gap": result,
            "index": round_score(result.index, 3) if result else None,
            "shortfall": round_score(max(target - result.index, Decimal(0)), 3) if result else None,
            "gains": [(g, labels.get(g.code, "")) for g in (result.gains[:15] if result else [])],
            "plan": [(s, labels.get(s.code, "")) for s in (result.plan or [])] if result else [],
            "weights": scheme.weights,
            "sizes": {d.key: len(d.items) for d in scheme.instrument.dimensions},
        },
    )


@staff_required
def evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    """Download an uploaded evidence file (staff only), as an attachment so that it never runs
    as a page of the site."""
    evidence = get_object_or_404(Evidence, pk=pk, kind=EvidenceKind.FILE)
    return FileResponse(evidence.file.open("rb"), as_attachment=True)
