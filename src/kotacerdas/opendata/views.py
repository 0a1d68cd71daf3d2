"""Satu Data's staff pages: the catalogue as staff see it, describing a dataset, uploading a
version and reading its validation report, the steward's review, and the indicator store.
Permissions are ``rules``; writes go through ``publishing`` and ``indicators``."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kotacerdas.core.views import staff_required
from kotacerdas.opendata import indicators, publishing, rules
from kotacerdas.opendata.choices import VersionStatus
from kotacerdas.opendata.forms import DatasetForm, IndicatorValueForm, MappingForm, UploadForm
from kotacerdas.opendata.models import Dataset, Indicator, IndicatorValue, Version


def _refused_to_form(form: Form, error: ValidationError) -> None:
    """Put a domain refusal beside the fields it names (or on top of the form)."""
    for field, problems in error.message_dict.items():
        for problem in problems:
            form.add_error(field if field in form.fields else None, problem)


def _dataset(request: HttpRequest, slug: str) -> Dataset:
    found = rules.visible_datasets(request.user).filter(slug=slug).first()
    if found is None:
        raise Http404
    return found


@staff_required
@require_safe
def catalogue(request: HttpRequest) -> HttpResponse:
    """Every dataset the reader may see, with the state of its newest version; for the steward
    the versions waiting for review first."""
    datasets = (
        rules.visible_datasets(request.user)
        .select_related("producer", "pillar")
        .prefetch_related("versions")
    )
    steward = rules.is_steward(request.user)
    waiting = (
        Version.objects.filter(status=VersionStatus.SUBMITTED).select_related("dataset")
        if steward
        else []
    )
    return render(
        request,
        "opendata/catalogue.html",
        {
            "datasets": datasets,
            "waiting": waiting,
            "is_steward": steward,
            "can_add": steward or bool(request.user.opd_id),
        },
    )


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def dataset_edit(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """Describe a new dataset, or change one's description (its producer or the steward)."""
    dataset = _dataset(request, slug) if slug else Dataset(producer=request.user.opd)
    if slug and not rules.can_edit(request.user, dataset):
        raise PermissionDenied
    if dataset.producer_id is None and not rules.is_steward(request.user):
        raise PermissionDenied
    if not slug and dataset.coverage_id is None:
        dataset.coverage_id = settings.KOTACERDAS_REGION
    form = DatasetForm(
        request.POST or None, instance=dataset, can_choose_producer=rules.is_steward(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = publishing.save_dataset(
                request.user, form.save(commit=False), tags=form.tag_names()
            )
        except ValidationError as error:
            _refused_to_form(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("opendata:dataset", slug=saved.slug)
    return render(
        request,
        "opendata/dataset_edit.html",
        {"form": form, "dataset": dataset if slug else None},
        status=400 if form.errors else 200,
    )


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def dataset_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A dataset for staff: its description, every version with its state, the upload form (its
    producer and the steward), and the indicators it fills (the steward declares them)."""
    dataset = _dataset(request, slug)
    can_edit = rules.can_edit(request.user, dataset)
    upload = UploadForm(request.POST or None, request.FILES or None)
    mapping = MappingForm(None)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if request.POST.get("action") == "map":
            mapping = MappingForm(request.POST)
            upload = UploadForm(None)
            if mapping.is_valid():
                try:
                    indicators.declare_mapping(
                        request.user,
                        dataset,
                        mapping.cleaned_data["indicator"],
                        mapping.cleaned_data["region_field"],
                        mapping.cleaned_data["year_field"],
                        mapping.cleaned_data["value_field"],
                    )
                except ValidationError as error:
                    _refused_to_form(mapping, error)
                else:
                    messages.success(request, _("Saved."))
                    return redirect("opendata:dataset", slug=slug)
        elif upload.is_valid():
            try:
                version = publishing.upload_version(
                    request.user, dataset, upload.cleaned_data["file"], upload.cleaned_data["note"]
                )
            except ValidationError as error:
                _refused_to_form(upload, error)
            else:
                return redirect("opendata:version", slug=slug, number=version.number)
    return render(
        request,
        "opendata/dataset.html",
        {
            "dataset": dataset,
            "versions": dataset.versions.select_related("uploaded_by", "reviewed_by"),
            "mappings": dataset.mappings.select_related("indicator"),
            "columns": indicators.dataset_columns(dataset),
            "can_edit": can_edit,
            "is_steward": rules.is_steward(request.user),
            "upload": upload,
            "mapping": mapping,
            "stale": publishing.stale(dataset),
        },
        status=400 if (upload.errors or mapping.errors) else 200,
    )


def _version(request: HttpRequest, slug: str, number: int) -> Version:
    return get_object_or_404(Version, dataset=_dataset(request, slug), number=number)


@staff_required
@require_safe
def version_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """A version: its validation report (every problem by row and field), its state and the
    actions the reader may take."""
    version = _version(request, slug, number)
    return render(
        request,
        "opendata/version.html",
        {
            "version": version,
            "dataset": version.dataset,
            "can_submit": rules.can_edit(request.user, version.dataset)
            and version.valid
            and version.status in (VersionStatus.DRAFT, VersionStatus.RETURNED),
            "can_review": rules.is_steward(request.user)
            and version.status == VersionStatus.SUBMITTED,
        },
    )


@staff_required
@require_POST
def version_act(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    version = _version(request, slug, number)
    action = request.POST.get("action")
    comment = request.POST.get("comment", "")
    try:
        if action == "submit":
            publishing.submit_version(request.user, version)
        elif action == "publish":
            publishing.publish_version(request.user, version, comment)
        elif action == "return":
            publishing.return_version(request.user, version, comment)
        else:
            raise Http404
    except ValidationError as error:
        for problems in error.message_dict.values():
            for problem in problems:
                messages.error(request, problem)
    else:
        messages.success(request, _("Saved."))
    return redirect("opendata:version", slug=slug, number=number)


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def indicator_values(request: HttpRequest) -> HttpResponse:
    """The indicator store for staff: the latest values with their source, and the form to enter
    a value with its evidence."""
    form = IndicatorValueForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            indicators.record_value(
                request.user,
                data["indicator"],
                data["region"],
                data["year"],
                data["value"],
                data["evidence"],
                data["source_note"],
                data["note"],
            )
        except ValidationError as error:
            _refused_to_form(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("opendata:indicators")
    values = IndicatorValue.objects.select_related(
        "indicator", "region", "source_version__dataset"
    ).order_by("indicator__name", "-year", "region_id")[:300]
    return render(
        request,
        "opendata/indicators.html",
        {"form": form, "values": values, "indicators": Indicator.objects.all()},
        status=400 if form.errors else 200,
    )
