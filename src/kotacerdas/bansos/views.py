"""The registry's staff pages: the overview, finding a person, a person's record (identity
numbers masked until revealed, every reveal recorded), imports with their reports, and the
linkage with its clerical review queue. Permissions are the functions of ``rules``; writes go
through ``imports``, ``linking`` and ``registry``."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path
from urllib.parse import urlencode

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from kotacerdas.bansos import feeds, imports, linking, registry, rules
from kotacerdas.bansos.choices import CaseStatus, ReviewDecision
from kotacerdas.bansos.identity import IdentityError
from kotacerdas.bansos.models import (
    Case,
    DtksRecord,
    Enrolment,
    Household,
    ImportRun,
    LinkReview,
    LinkRun,
    Person,
)
from kotacerdas.bansos.tables import ImportFileError
from kotacerdas.core.spreadsheets import neutralise
from kotacerdas.core.views import requires
from kotacerdas.core.villages import city_villages

PAGE_SIZE = 50
# The import report page lists this many problems; the CSV download has them all.
PROBLEMS_SHOWN = 500


def registry_required(view):
    """Dinas Sosial's officers and the administrators."""
    return requires(rules.can_work_registry, view)


def figures_required(view):
    return requires(rules.can_see_figures, view)


@figures_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The registry at a glance: people and households, recipients per programme, the latest
    linkage's data-quality figures, the last disbursement's reconciliation, and the work
    waiting (reviews, cases)."""
    return render(
        request,
        "bansos/home.html",
        {
            "people": Person.objects.count(),
            "households": Household.objects.count(),
            "dtks": DtksRecord.objects.count(),
            "recipients": feeds.recipients_per_programme(),
            "quality": feeds.latest_data_quality(),
            "reconciliation": feeds.last_reconciliation(),
            "pending_reviews": LinkReview.objects.filter(decision=ReviewDecision.PENDING).count(),
            "open_cases": Case.objects.filter(status=CaseStatus.OPEN).count(),
            # The work waiting, and the links from a figure to the records behind it, are for
            # those who work in the registry; executives see the figures only.
            "can_work": rules.can_work_registry(request.user),
        },
    )


@registry_required
@require_http_methods(["GET", "POST"])
def people(request: HttpRequest) -> HttpResponse:
    """Find a person by NIK (exactly, through the blind index) or by name, in a kelurahan.

    The form is posted, so that a NIK typed into it never appears in a URL (and so in no
    server or proxy log); a search by name goes on as a paginated GET."""
    params = request.POST if request.method == "POST" else request.GET
    query = params.get("q", "").strip()[:150]
    kelurahan = params.get("kelurahan", "")
    by_nik = registry.is_nik_query(query)
    if request.method == "POST" and not by_nik:
        return redirect(f"{request.path}?{urlencode({'q': query, 'kelurahan': kelurahan})}")
    searched = bool(query or kelurahan)
    found = Person.objects.none()
    # A NIK in a URL is not searched: it came from a log, not from the form.
    if searched and (request.method == "POST" or not by_nik):
        try:
            found = registry.find_people(query, kelurahan)
        except IdentityError as exc:
            messages.error(request, str(exc))
    if by_nik:
        query = ""  # never written back into the page
    page = Paginator(found, PAGE_SIZE).get_page(params.get("page"))
    return render(
        request,
        "bansos/people.html",
        {
            "page": page,
            "query": query,
            "kelurahan": kelurahan,
            "kelurahan_choices": city_villages(),
            "searched": searched,
            "rows": [(person, registry.mask_number(person.nik)) for person in page],
        },
    )


@registry_required
@require_http_methods(["GET", "POST"])
def person(request: HttpRequest, pk: int) -> HttpResponse:
    """A person's record: identity (masked; revealed on request and recorded), household,
    enrolments, DTKS rows and their flags, cases, payments, and the history of changes."""
    subject = get_object_or_404(Person.objects.select_related("household", "kelurahan"), pk=pk)
    reveal = request.method == "POST" and rules.can_reveal_identity(request.user)
    identity = registry.identity_of(subject, request.user, reveal=reveal)
    history = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Person), object_pk=str(subject.pk)
    ).select_related("actor")[:50]
    return render(
        request,
        "bansos/person.html",
        {
            "person": subject,
            "identity": identity,
            "can_reveal": rules.can_reveal_identity(request.user),
            "members": subject.household.members.exclude(pk=subject.pk).order_by("birth_date")
            if subject.household
            else [],
            "enrolments": Enrolment.objects.filter(person=subject).select_related("programme"),
            "dtks_records": subject.dtks_records.all(),
            "cases": subject.cases.all(),
            "payments": subject.payments.select_related("batch", "programme")[:50],
            "excluded": registry.exclusions_of(subject),
            "history": history,
        },
    )


IMPORTERS = {
    ImportRun.Kind.DUKCAPIL: imports.import_civil_registry,
    ImportRun.Kind.DTKS: imports.import_dtks,
    ImportRun.Kind.EXCLUSIONS: imports.import_exclusions,
}


@registry_required
@require_http_methods(["GET", "POST"])
def imports_page(request: HttpRequest) -> HttpResponse:
    """Upload a civil-registry extract, a DTKS extract or an exclusion list (CSV or XLSX), and
    the imports done so far. Extracts larger than the upload limit go through
    ``kotacerdas bansos import``."""
    error = ""
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        upload = request.FILES.get("file")
        if kind not in IMPORTERS:
            error = _("Choose what the file is.")
        elif upload is None:
            error = _("Choose a file.")
        elif upload.size > settings.BANSOS["MAX_UPLOAD_BYTES"]:
            error = _("The file is larger than %(mb)d MB: import it with the command line.") % {
                "mb": settings.BANSOS["MAX_UPLOAD_BYTES"] // (1024 * 1024)
            }
        else:
            suffix = Path(upload.name).suffix.lower()
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / f"upload{suffix}"
                with open(path, "wb") as handle:
                    for piece in upload.chunks():
                        handle.write(piece)
                try:
                    run = IMPORTERS[kind](path, user=request.user, file_name=upload.name[:255])
                except ImportFileError as exc:
                    error = str(exc)
                else:
                    return redirect("bansos:import-report", pk=run.pk)
    return render(
        request,
        "bansos/imports.html",
        {
            "runs": ImportRun.objects.select_related("started_by")[:30],
            "kinds": ImportRun.Kind.choices,
            "error": error,
            "max_mb": settings.BANSOS["MAX_UPLOAD_BYTES"] // (1024 * 1024),
        },
        status=400 if error else 200,
    )


@registry_required
@require_safe
def import_report(request: HttpRequest, pk: int) -> HttpResponse:
    """What an import did, and every row it refused or doubted (``?format=csv`` for all)."""
    run = get_object_or_404(ImportRun, pk=pk)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="import-{run.pk}-problems.csv"'
        writer = csv.writer(response)
        writer.writerow(["row", "column", "severity", "reason"])
        for problem in run.problems:
            writer.writerow(
                [
                    problem["row"],
                    problem["column"],
                    problem["severity"],
                    neutralise(problem["reason"]),
                ]
            )
        return response
    return render(
        request,
        "bansos/import_report.html",
        {"run": run, "problems": run.problems[:PROBLEMS_SHOWN], "shown": PROBLEMS_SHOWN},
    )


@registry_required
@require_http_methods(["GET", "POST"])
def linkage(request: HttpRequest) -> HttpResponse:
    """Run the linkage of the DTKS records to the civil registry, see its figures, and work the
    review queue of possible matches."""
    if request.method == "POST":
        run = linking.link_registry(user=request.user)
        messages.success(
            request,
            _("Linkage finished: %(linked)d of %(total)d DTKS rows linked, %(review)d to review.")
            % {
                "linked": run.summary.get("linked", 0),
                "total": run.summary.get("rows", 0),
                "review": run.summary.get("review", 0),
            },
        )
        return redirect("bansos:linkage")
    pending = LinkReview.objects.filter(decision=ReviewDecision.PENDING).select_related(
        "record", "candidate"
    )
    page = Paginator(pending, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "bansos/linkage.html",
        {
            "runs": LinkRun.objects.all()[:10],
            "page": page,
        },
    )


@registry_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """One possible match, side by side; the clerk says whether they are the same person."""
    pair = get_object_or_404(LinkReview.objects.select_related("record", "candidate"), pk=pk)
    refused = False
    if request.method == "POST":
        try:
            linking.decide_review(pair, request.user, request.POST.get("decision", ""))
        except ValidationError as error:
            refused = True
            for problem in error.messages:
                messages.error(request, problem)
            pair.refresh_from_db(fields=["decision"])
        else:
            messages.success(request, _("Decision saved."))
            following = (
                LinkReview.objects.filter(decision=ReviewDecision.PENDING)
                .exclude(pk=pair.pk)
                .first()
            )
            return (
                redirect("bansos:review", pk=following.pk)
                if following
                else redirect("bansos:linkage")
            )
    record, candidate = pair.record, pair.candidate
    return render(
        request,
        "bansos/review.html",
        {
            "pair": pair,
            "record": record,
            "candidate": candidate,
            "record_nik": registry.mask_number(record.nik),
            "candidate_nik": registry.mask_number(candidate.nik),
        },
        status=400 if refused else 200,
    )
