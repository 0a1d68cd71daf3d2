"""A dataset's life: the producer OPD describes it and uploads versions; each upload is validated
against the Table Schema at once (the report lists every problem by row and field) and, when
valid, loaded into its query store; the producer submits a valid version; the steward publishes
it or returns it with a comment. A published version never changes; a failed upload leaves the
published one untouched.

Every function is one transaction and refuses the whole change with a ValidationError naming
the field, or PermissionDenied.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.core.audit import records_actor
from kotacerdas.core.files import detect_kind
from kotacerdas.core.models import Region, User
from kotacerdas.opendata import rules, tabular
from kotacerdas.opendata.choices import FileKind, VersionStatus
from kotacerdas.opendata.models import Dataset, Tag, Version

# Fields of a dataset the producer describes (the steward may change them too).
METADATA_FIELDS = (
    "title",
    "description",
    "topic",
    "pillar",
    "frequency",
    "period_start",
    "period_end",
    "coverage",
    "granularity",
    "unit",
    "classification",
    "licence",
    "contact_name",
    "contact_email",
    "iso_indicator",
    "table_schema",
)


def existing_region_codes(codes: list[str]) -> set[str]:
    """The codes among ``codes`` that are Kemendagri regions (the check behind a schema field
    marked ``"region": true``)."""
    found: set[str] = set()
    for start in range(0, len(codes), 5000):
        chunk = codes[start : start + 5000]
        found.update(Region.objects.filter(code__in=chunk).values_list("code", flat=True))
    return found


def _check_metadata(dataset: Dataset) -> None:
    errors: dict[str, str] = {}
    if dataset.period_start and dataset.period_end and dataset.period_end < dataset.period_start:
        errors["period_end"] = _("The last year comes before the first.")
    if dataset.table_schema is not None:
        problems = tabular.check_schema(dataset.table_schema)
        if problems:
            errors["table_schema"] = "; ".join(problems)
    try:
        dataset.full_clean(exclude=["tags"])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, " ".join(messages))
    if errors:
        raise ValidationError(errors)


def _set_tags(dataset: Dataset, names: list[str]) -> None:
    clean = sorted({" ".join(n.split()).lower()[:60] for n in names if n.strip()})
    tags = [Tag.objects.get_or_create(name=name)[0] for name in clean]
    dataset.tags.set(tags)


@records_actor
@transaction.atomic
def save_dataset(actor: User, dataset: Dataset, tags: list[str] | None = None) -> Dataset:
    """Create or change a dataset's description. An OPD officer describes their own OPD's
    datasets (and cannot hand one to another OPD); the steward any."""
    if dataset.pk is None:
        allowed = rules.is_steward(actor) or rules.produces(actor, dataset)
    else:
        before = Dataset.objects.get(pk=dataset.pk)
        allowed = rules.can_edit(actor, before) and (
            rules.is_steward(actor) or dataset.producer_id == before.producer_id
        )
    if not allowed:
        raise PermissionDenied(_("You may describe only your own OPD's datasets."))
    _check_metadata(dataset)
    dataset.save()
    if tags is not None:
        _set_tags(dataset, tags)
    return dataset


def file_kind(upload: UploadedFile) -> str | None:
    """CSV, XLSX or JSON, judged by the content (an Excel file renamed .csv is still XLSX)."""
    kind = detect_kind(upload)
    if kind == "xlsx":
        return FileKind.XLSX
    if kind is not None:
        return None  # a PDF, an image, a Word file...
    upload.seek(0)
    head = upload.read(4096)
    upload.seek(0)
    if b"\x00" in head:
        return None  # binary
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"["):
        return FileKind.JSON
    return FileKind.CSV


@records_actor
@transaction.atomic
def upload_version(actor: User, dataset: Dataset, upload: UploadedFile, note: str = "") -> Version:
    """Add a version: the file is kept, checked against the Table Schema and, when valid, loaded
    into its own query store. An invalid version is kept as a draft with its report, so the
    producer sees every problem; it can never be submitted."""
    if not rules.can_edit(actor, dataset):
        raise PermissionDenied(_("You may upload only your own OPD's datasets."))
    limit = settings.OPENDATA["MAX_UPLOAD_BYTES"]
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            {
                "file": _("The file is %(size)s MB; the limit is %(limit)s MB.")
                % {"size": round(upload.size / 1_048_576, 1), "limit": limit // 1_048_576}
            }
        )
    kind = file_kind(upload)
    if kind is None:
        raise ValidationError({"file": _("Upload a CSV, XLSX or JSON file.")})
    number = (dataset.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = Version(
        dataset=dataset,
        number=number,
        kind=kind,
        original_name=Path(upload.name or "").name[:200],
        note=note.strip(),
        uploaded_by=actor,
    )
    version.file.save(f"v{number}.{kind}", upload, save=False)
    report = tabular.ingest(
        Path(version.file.path),
        kind,
        dataset.table_schema,
        version.store_path,
        existing_region_codes,
    )
    version.valid = report.valid
    version.rows = report.rows
    version.fields = report.fields
    version.problems = [
        {"row": p.row, "field": p.field, "code": p.code, "message": p.message}
        for p in report.problems
    ]
    version.problems_truncated = report.truncated if isinstance(report.truncated, int) else 0
    version.save()
    return version


def _locked(version: Version) -> Version:
    fresh = Version.objects.select_for_update().get(pk=version.pk)
    version.status = fresh.status
    return version


@records_actor
@transaction.atomic
def submit_version(actor: User, version: Version) -> Version:
    """The producer asks the steward to publish a valid version."""
    if not rules.can_edit(actor, version.dataset):
        raise PermissionDenied(_("You may submit only your own OPD's datasets."))
    _locked(version)
    if not version.valid:
        raise ValidationError(
            {"file": _("This version does not follow the Table Schema; upload a corrected file.")}
        )
    if version.status not in (VersionStatus.DRAFT, VersionStatus.RETURNED):
        raise ValidationError({"status": _("Only a draft or returned version can be submitted.")})
    version.status = VersionStatus.SUBMITTED
    version.submitted_at = timezone.now()
    version.save(update_fields=["status", "submitted_at"])
    return version


def _review(actor: User, version: Version, status: str, comment: str) -> Version:
    if not rules.is_steward(actor):
        raise PermissionDenied(_("Only the data steward publishes datasets."))
    _locked(version)
    if version.status != VersionStatus.SUBMITTED:
        raise ValidationError({"status": _("Only a submitted version can be reviewed.")})
    now = timezone.now()
    version.status = status
    version.reviewed_by = actor
    version.reviewed_at = now
    version.review_comment = comment
    fields = ["status", "reviewed_by", "reviewed_at", "review_comment"]
    if status == VersionStatus.PUBLISHED:
        version.published_at = now
        fields.append("published_at")
    version.save(update_fields=fields)
    return version


@records_actor
@transaction.atomic
def publish_version(actor: User, version: Version, comment: str = "") -> Version:
    """The steward publishes: the version becomes the dataset's current data (public if the
    dataset is), and the indicators mapped to the dataset are filled from its rows."""
    _review(actor, version, VersionStatus.PUBLISHED, comment.strip())
    from kotacerdas.opendata.indicators import fill_from_version

    fill_from_version(version)
    return version


@records_actor
@transaction.atomic
def return_version(actor: User, version: Version, comment: str) -> Version:
    """The steward sends the version back with what to correct."""
    if not comment.strip():
        raise ValidationError({"review_comment": _("Say what the producer should correct.")})
    return _review(actor, version, VersionStatus.RETURNED, comment.strip())


def stale(dataset: Dataset, today: dt.date | None = None) -> bool:
    """Whether the dataset's newest published version is older than its update frequency
    allows (an irregular dataset is never stale)."""
    from kotacerdas.opendata.choices import FREQUENCY_DAYS

    latest = dataset.latest_published()
    days = FREQUENCY_DAYS.get(dataset.frequency)
    if latest is None or days is None or latest.published_at is None:
        return False
    today = today or timezone.localdate()
    return (today - timezone.localtime(latest.published_at).date()).days > days
