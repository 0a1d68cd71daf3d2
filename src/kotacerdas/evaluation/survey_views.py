"""The impact survey's pages: the public survey of each pillar (a plain form that works without
JavaScript on a phone), and the staff page where the administrator reads the flags and means,
imports a CSV, decides on the flagged responses and applies the means. The rules are in
``survey.py``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_safe

from kotacerdas.core.views import staff_required
from kotacerdas.evaluation import survey
from kotacerdas.evaluation.models import Evaluation

# The answers a question offers, in the order the form lists them. The source gives the scale
# (1-4) but not its wording; these words read the item labels as statements to agree with.
SCALE = (
    (1, gettext_lazy("Strongly disagree")),
    (2, gettext_lazy("Disagree")),
    (3, gettext_lazy("Agree")),
    (4, gettext_lazy("Strongly agree")),
    (0, gettext_lazy("Don't know / does not apply")),
)

THANKS = "selesai"  # the query parameter of the thank-you page (after a successful answer)


def _public_evaluation(survey_key: str) -> Evaluation:
    evaluation = get_object_or_404(
        Evaluation.objects.select_related("region"), survey_key=survey_key
    )
    if not survey.has_survey(evaluation):
        raise Http404
    return evaluation


def _same_namespace(request: HttpRequest, name: str, **kwargs: Any) -> str:
    namespace = request.resolver_match.namespace if request.resolver_match else ""
    return reverse(f"{namespace}:{name}" if namespace else name, kwargs=kwargs)


@require_safe
def survey_index(request: HttpRequest, survey_key: str) -> HttpResponse:
    """The evaluation's survey: one link per pillar."""
    evaluation = _public_evaluation(survey_key)
    names = survey.pillar_names(survey.survey_items(evaluation))
    pillars = [
        {
            "code": code,
            "name": name,
            "url": _same_namespace(request, "survey-form", survey_key=survey_key, pillar=code),
        }
        for code, name in names.items()
    ]
    return render(
        request,
        "evaluation/survey_index.html",
        {"evaluation": evaluation, "pillars": pillars, "open": survey.is_open(evaluation)},
    )


def _groups(
    items: tuple[Any, ...], posted: dict[str, str], errors: dict[str, list[str]]
) -> list[dict[str, Any]]:
    """The questions grouped by sub-dimension, each with what was chosen and its error."""
    groups: list[dict[str, Any]] = []
    for number, item in enumerate(items, start=1):
        label = survey.subdimension_label(item)
        if not groups or groups[-1]["label"] != label:
            groups.append({"label": label, "questions": []})
        groups[-1]["questions"].append(
            {
                "number": number,
                "code": item.code,
                "label": item.label,
                "chosen": posted.get(item.code, ""),
                "errors": errors.get(item.code, []),
            }
        )
    return groups


@require_http_methods(["GET", "HEAD", "POST"])
@sensitive_post_parameters("contact")
def survey_form(request: HttpRequest, survey_key: str, pillar: str) -> HttpResponse:
    """One pillar's survey. Answering needs no account and no JavaScript: the form posts back
    here, refused answers come back with the message beside the question, and an accepted one
    leads to the thank-you page."""
    evaluation = _public_evaluation(survey_key)
    items = survey.survey_items(evaluation).get(pillar)
    if items is None:
        raise Http404
    context: dict[str, Any] = {
        "evaluation": evaluation,
        "pillar": pillar,
        "pillar_name": survey.pillar_names([pillar])[pillar],
        "index_url": _same_namespace(request, "survey-index", survey_key=survey_key),
        "scale": SCALE,
    }
    if not survey.is_open(evaluation):
        status = 400 if request.method == "POST" else 200
        return render(request, "evaluation/survey_closed.html", context, status=status)
    if request.method == "GET" and THANKS in request.GET:
        return render(request, "evaluation/survey_thanks.html", context)
    posted: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    contact = ""
    if request.method == "POST":
        contact = request.POST.get("contact", "")
        posted = {item.code: request.POST[item.code] for item in items if item.code in request.POST}
        try:
            survey.submit_response(evaluation, pillar, contact, posted)
        except ValidationError as error:
            errors = error.message_dict
        else:
            return redirect(f"{request.path}?{THANKS}=1")
    context.update(
        {
            "groups": _groups(items, posted, errors),
            "contact": contact,
            "contact_errors": errors.get("contact", []),
            "other_errors": errors.get("survey", []) + errors.get("pillar", []),
            "has_errors": bool(errors),
        }
    )
    return render(request, "evaluation/survey_form.html", context, status=400 if errors else 200)


# ---------------------------------------------------------------------------------------------
# Staff


def _public_url(request: HttpRequest, name: str, **kwargs: Any) -> str:
    return request.build_absolute_uri(reverse(f"evaluation-public:{name}", kwargs=kwargs))


def _admin_page(
    request: HttpRequest, evaluation: Evaluation, status: int = 200, **extra: Any
) -> HttpResponse:
    pillars = [
        {
            "survey": summary,
            "rows": [
                (mean, item.label) for mean, item in zip(summary.means, summary.items, strict=True)
            ],
            "flags": [
                (flag, label, summary.flag_counts[flag]) for flag, label in survey.Flag.choices
            ],
            "url": _public_url(
                request, "survey-form", survey_key=evaluation.survey_key, pillar=summary.pillar
            ),
        }
        for summary in survey.overview(evaluation)
    ]
    context = {
        "evaluation": evaluation,
        "pillars": pillars,
        "usage_checked": bool(survey.USAGE_LOOKUPS),
        "index_url": _public_url(request, "survey-index", survey_key=evaluation.survey_key),
        "open": survey.is_open(evaluation),
        "can_manage": survey.may_manage(request.user),
        "max_import_mb": survey.MAX_IMPORT_BYTES // 1_048_576,
        **extra,
    }
    return render(request, "evaluation/survey_admin.html", context, status=status)


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def survey_admin(request: HttpRequest, pk: int) -> HttpResponse:
    """The survey of one evaluation for the staff: per pillar the responses, their flags, the
    item means with and without the flagged responses, and the decision. Administrators and
    assessors read it; administrators import, decide and apply (one form each, posted here
    with its ``action``). ``?template=csv`` downloads an empty import file."""
    if not survey.may_view(request.user):
        raise PermissionDenied
    evaluation = get_object_or_404(Evaluation.objects.select_related("region"), pk=pk)
    if not survey.has_survey(evaluation):
        return render(
            request,
            "evaluation/survey_admin.html",
            {"evaluation": evaluation, "no_survey": True},
            status=404,
        )
    if request.method == "GET" and request.GET.get("template") == "csv":
        response = HttpResponse(survey.csv_template(evaluation), content_type="text/csv")
        response["Content-Disposition"] = (
            f'attachment; filename="survei-{evaluation.region_id}-{evaluation.year}.csv"'
        )
        return response
    if request.method != "POST":
        return _admin_page(request, evaluation)
    if not survey.may_manage(request.user):
        raise PermissionDenied
    action = request.POST.get("action", "")
    if action == "decide":
        return _decide(request, evaluation)
    if action == "import":
        return _import(request, evaluation)
    if action == "apply":
        return _apply(request, evaluation)
    return _admin_page(request, evaluation, status=400, page_error=_("Unknown action."))


def _decide(request: HttpRequest, evaluation: Evaluation) -> HttpResponse:
    pillar = request.POST.get("pillar", "")
    include = request.POST.get("include_flagged")
    if include not in ("1", "0"):
        errors = {"include_flagged": [_("Choose whether the flagged responses count.")]}
        return _admin_page(
            request, evaluation, status=400, decide_pillar=pillar, decide_errors=errors
        )
    try:
        survey.decide(
            request.user, evaluation, pillar, include == "1", request.POST.get("reason", "")
        )
    except ValidationError as error:
        return _admin_page(
            request,
            evaluation,
            status=400,
            decide_pillar=pillar,
            decide_errors=error.message_dict,
            decide_reason=request.POST.get("reason", ""),
        )
    messages.success(request, _("The decision has been recorded."))
    return redirect(f"{request.path}#pillar-{pillar}")


def _import(request: HttpRequest, evaluation: Evaluation) -> HttpResponse:
    upload = request.FILES.get("file")
    if upload is None:
        return _admin_page(
            request, evaluation, status=400, import_error=_("Choose a CSV file to upload.")
        )
    try:
        result = survey.import_responses(request.user, evaluation, upload)
    except ValidationError as error:
        return _admin_page(request, evaluation, status=400, import_error=" ".join(error.messages))
    if not result.ok:
        return _admin_page(
            request, evaluation, status=400, import_result=result, filename=upload.name
        )
    messages.success(
        request,
        _("%(name)s imported: %(count)s responses.")
        % {"name": upload.name, "count": result.created},
    )
    return redirect(request.path)


def _apply(request: HttpRequest, evaluation: Evaluation) -> HttpResponse:
    try:
        applied = survey.apply_means(request.user, evaluation)
    except ValidationError as error:
        return _admin_page(request, evaluation, status=400, page_error=" ".join(error.messages))
    return _admin_page(request, evaluation, applied=applied)
