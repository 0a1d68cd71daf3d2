"""The indicator store: the figures the city tracks per region and year, each value with its
source. A value comes from a published dataset version through a declared mapping (region,
year and value columns), or is entered directly with its evidence. The evaluation proposes
them for its outcome items (``value_fact``) and the dashboard charts them.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from kotacerdas.core import access
from kotacerdas.core.audit import records_actor
from kotacerdas.core.choices import Role
from kotacerdas.core.facts import Fact, Record
from kotacerdas.core.files import check_upload
from kotacerdas.core.models import Pillar, Region, User
from kotacerdas.opendata import rules, tabular
from kotacerdas.opendata.choices import Classification, VersionStatus
from kotacerdas.opendata.models import (
    Dataset,
    Indicator,
    IndicatorMapping,
    IndicatorValue,
    Version,
)

INDICATORS_FILE = Path(__file__).resolve().parent / "reference" / "indicators.yaml"
LARGEST = Decimal("99999999999999")


@transaction.atomic
def load_indicators(path: Path = INDICATORS_FILE) -> int:
    """Add the indicators listed in ``path`` that are missing (idempotent: an indicator already
    there, perhaps edited by an administrator, is left as it is). Returns how many were added."""
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    known = set(Indicator.objects.values_list("code", flat=True))
    pillars = {p.code: p for p in Pillar.objects.all()}
    added = 0
    for entry in entries:
        if entry["code"] in known:
            continue
        Indicator.objects.create(
            code=entry["code"],
            name=entry["name"],
            unit=entry["unit"],
            direction=entry["direction"],
            definition=entry.get("definition", ""),
            pillar=pillars.get(entry.get("pillar", "")),
            iso_reference=entry.get("iso_reference", ""),
            evaluation_item=entry.get("evaluation_item", ""),
        )
        added += 1
    return added


def _number(value: object) -> Decimal | None:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() and abs(number) <= LARGEST else None


@records_actor
@transaction.atomic
def record_value(
    actor: User,
    indicator: Indicator,
    region: Region,
    year: int,
    value: str | Decimal,
    evidence: UploadedFile | None,
    source_note: str = "",
    note: str = "",
) -> IndicatorValue:
    """Enter a value by hand (a BPS publication, a ministry's report): it must come with its
    evidence file or a written source. A value filled from a dataset is replaced the same way,
    and the audit trail keeps the one before."""
    if not (rules.is_steward(actor) or access.has_role(actor, Role.OPD_OFFICER)):
        raise PermissionDenied(_("Only the steward and the OPDs enter indicator values."))
    errors: dict[str, str] = {}
    number = _number(value)
    if number is None:
        errors["value"] = _("Give a number.")
    if not 1900 <= int(year) <= 2100:
        errors["year"] = _("Give a year between 1900 and 2100.")
    if evidence is None and not source_note.strip():
        errors["evidence"] = _("Attach the evidence or name the source.")
    if evidence is not None:
        try:
            check_upload(evidence)
        except ValidationError as error:
            errors["evidence"] = " ".join(error.messages)
    if errors:
        raise ValidationError(errors)
    found, _created = IndicatorValue.objects.update_or_create(
        indicator=indicator,
        region=region,
        year=int(year),
        defaults={
            "value": number,
            "source_version": None,
            "source_note": source_note.strip()[:300],
            "note": note.strip(),
            "entered_by": actor,
        },
    )
    if evidence is not None:
        found.evidence.save(evidence.name, evidence, save=True)
    return found


def fill_from_version(version: Version) -> int:
    """Fill the indicators mapped to the version's dataset from its rows (called when a version
    is published). Rows whose region is unknown or whose year or value is not a number are
    skipped; the mapping's columns were checked when it was declared. Returns how many values
    were written."""
    written = 0
    for mapping in IndicatorMapping.objects.filter(dataset=version.dataset).select_related(
        "indicator"
    ):
        columns = [mapping.region_field, mapping.year_field, mapping.value_field]
        result = tabular.search(version.store_path, fields=columns, limit=32000)
        regions = {
            r.code: r
            for r in Region.objects.filter(
                code__in={str(row[mapping.region_field]) for row in result.records}
            )
        }
        for row in result.records:
            region = regions.get(str(row[mapping.region_field]))
            number = _number(row[mapping.value_field])
            year = _number(row[mapping.year_field])
            if region is None or number is None or year is None:
                continue
            IndicatorValue.objects.update_or_create(
                indicator=mapping.indicator,
                region=region,
                year=int(year),
                defaults={
                    "value": number,
                    "source_version": version,
                    "source_note": "",
                    "entered_by": None,
                },
            )
            written += 1
    return written


def public_values(indicator: Indicator) -> QuerySet[IndicatorValue]:
    """The indicator's values the public may see: entered with evidence, or filled from a
    published version of a public dataset (never from a limited or confidential one). Each
    comes with its region (and the region's parent) and its source version's dataset."""
    return (
        IndicatorValue.objects.filter(indicator=indicator)
        .filter(
            Q(source_version__isnull=True)
            | Q(
                source_version__status=VersionStatus.PUBLISHED,
                source_version__dataset__in=rules.public_datasets().order_by().values("pk"),
            )
        )
        .select_related("region__parent", "source_version__dataset")
    )


def staff_values(indicator: Indicator) -> QuerySet[IndicatorValue]:
    """The indicator's values any government staff member may see: the public ones and those
    filled from a published version of a limited dataset. Never from a confidential dataset,
    which is for its producer and the steward only. Loaded like ``public_values``."""
    return (
        IndicatorValue.objects.filter(indicator=indicator)
        .filter(
            Q(source_version__isnull=True)
            | Q(
                source_version__status=VersionStatus.PUBLISHED,
                source_version__dataset__classification__in=[
                    Classification.PUBLIC,
                    Classification.LIMITED,
                ],
            )
        )
        .select_related("region__parent", "source_version__dataset")
    )


def dataset_columns(dataset: Dataset) -> list[str]:
    """The dataset's columns: its Table Schema's fields, else its newest published data's."""
    if dataset.table_schema:
        return [field["name"] for field in dataset.table_schema.get("fields", [])]
    latest = dataset.latest_published()
    return list(latest.fields) if latest else []


@records_actor
@transaction.atomic
def declare_mapping(
    actor: User,
    dataset: Dataset,
    indicator: Indicator,
    region_field: str,
    year_field: str,
    value_field: str,
) -> IndicatorMapping:
    """Declare that ``dataset`` fills ``indicator`` from three of its columns, and fill it at
    once from the newest published version."""
    columns = dataset_columns(dataset)
    if not rules.is_steward(actor):
        raise PermissionDenied(_("Only the data steward maps datasets to indicators."))
    errors = {
        name: _("The dataset has no column %(column)s.") % {"column": column}
        for name, column in (
            ("region_field", region_field),
            ("year_field", year_field),
            ("value_field", value_field),
        )
        if column not in columns
    }
    if errors:
        raise ValidationError(errors)
    mapping, _created = IndicatorMapping.objects.update_or_create(
        dataset=dataset,
        indicator=indicator,
        defaults={
            "region_field": region_field,
            "year_field": year_field,
            "value_field": value_field,
        },
    )
    latest = dataset.latest_published()
    if latest is not None:
        fill_from_version(latest)
    return mapping


def value_fact(indicator_code: str, region: Region, year: int) -> Fact:
    """The indicator's value for ``region`` in ``year`` (or the latest year before it) as a
    fact with its source, for the evaluation's proposals and the dashboard."""
    indicator = Indicator.objects.filter(code=indicator_code).first()
    if indicator is None:
        return Fact(_("No indicator %(code)s.") % {"code": indicator_code})
    value = (
        IndicatorValue.objects.filter(indicator=indicator, region=region, year__lte=year)
        .select_related("source_version__dataset")
        .order_by("-year")
        .first()
    )
    if value is None:
        return Fact(
            _("%(name)s: no value recorded for %(region)s up to %(year)s.")
            % {"name": indicator.name, "region": region.name, "year": year}
        )
    if value.source_version is not None:
        dataset = value.source_version.dataset
        source = _("dataset %(title)s, version %(n)s") % {
            "title": dataset.title,
            "n": value.source_version.number,
        }
        record = Record(
            "dataset_version",
            str(value.source_version.uuid),
            source,
            reverse("opendata-portal:dataset", args=[dataset.slug]),
        )
    else:
        source = value.source_note or _("entered with evidence")
        record = Record(
            "indicator_value",
            str(value.pk),
            source,
            reverse("opendata-portal:indicator", args=[indicator.code]),
        )
    return Fact(
        _("%(name)s %(region)s %(year)s: %(value)s %(unit)s (source: %(source)s)")
        % {
            "name": indicator.name,
            "region": region.name,
            "year": value.year,
            "value": f"{value.value.normalize():f}",
            "unit": indicator.unit,
            "source": source,
        },
        float(value.value),
        [record],
    )


def evaluation_fact(item_code: str, year: int) -> Fact:
    """The value the evaluation's outcome item ``item_code`` asks for (the indicator declared
    for it, for the deployment's region, in ``year`` or the latest year before)."""
    indicator = Indicator.objects.filter(evaluation_item=item_code).first()
    region = Region.objects.filter(code=settings.KOTACERDAS_REGION).first()
    if indicator is None or region is None:
        return Fact(_("Satu Data holds no indicator for %(item)s.") % {"item": item_code})
    return value_fact(indicator.code, region, year)
