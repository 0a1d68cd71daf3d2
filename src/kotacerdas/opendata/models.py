"""Records of Satu Data: datasets with their metadata and Table Schema, their versions (the
files OPDs upload, validated, reviewed and published), tags, and the indicator store."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kotacerdas.core.models import Opd, Pillar, Region
from kotacerdas.opendata.choices import (
    Classification,
    Direction,
    FileKind,
    Frequency,
    Granularity,
    Licence,
    VersionStatus,
)

YEAR = [MinValueValidator(1900), MaxValueValidator(2100)]


class Tag(models.Model):
    """A keyword datasets are found by (CKAN's tags)."""

    name = models.CharField(_("name"), max_length=60, unique=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Dataset(models.Model):
    """A dataset of the city's catalogue, produced by one OPD (the *produsen data* of Perpres
    39/2019) and looked after by the steward (*walidata*, Diskominfo). Its rows follow the
    declared Table Schema; each upload is a ``Version``. ``slug`` is CKAN's package name,
    ``uuid`` its id."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(_("short name"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    producer = models.ForeignKey(
        Opd, verbose_name=_("producer OPD"), on_delete=models.PROTECT, related_name="datasets"
    )
    topic = models.CharField(_("topic"), max_length=100, blank=True)
    pillar = models.ForeignKey(
        Pillar,
        verbose_name=_("smart city pillar"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="datasets",
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="datasets")
    frequency = models.CharField(
        _("update frequency"), max_length=20, choices=Frequency.choices, default=Frequency.ANNUAL
    )
    period_start = models.PositiveSmallIntegerField(
        _("first year covered"), null=True, blank=True, validators=YEAR
    )
    period_end = models.PositiveSmallIntegerField(
        _("last year covered"), null=True, blank=True, validators=YEAR
    )
    coverage = models.ForeignKey(
        Region, verbose_name=_("area covered"), on_delete=models.PROTECT, related_name="+"
    )
    granularity = models.CharField(
        _("granularity"), max_length=20, choices=Granularity.choices, default=Granularity.CITY
    )
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    classification = models.CharField(
        _("classification"),
        max_length=20,
        choices=Classification.choices,
        default=Classification.PUBLIC,
    )
    licence = models.CharField(
        _("licence"), max_length=20, choices=Licence.choices, default=Licence.CC_BY
    )
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    iso_indicator = models.CharField(
        _("ISO 37120/37122 indicator"),
        max_length=100,
        blank=True,
        help_text=_("Where one applies, e.g. ISO 37120:2018 6.1."),
    )
    table_schema = models.JSONField(
        _("Table Schema"),
        null=True,
        blank=True,
        help_text=_("A Frictionless Table Schema every new version is validated against."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("dataset")
        verbose_name_plural = _("datasets")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.classification == Classification.PUBLIC

    def latest_published(self) -> Version | None:
        return self.versions.filter(status=VersionStatus.PUBLISHED).order_by("-number").first()


def _version_path(instance: Version, filename: str) -> str:
    return f"opendata/{instance.dataset.uuid}/v{instance.number}.{instance.kind}"


class Version(models.Model):
    """One upload of a dataset's data: validated against the dataset's Table Schema when it is
    uploaded, submitted by the producer, then published or returned by the steward. A published
    version never changes and stays downloadable; the newest published one is what the portal
    shows. ``uuid`` is CKAN's resource id; the typed rows of a valid version are in its query
    store (``store_path``)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    dataset = models.ForeignKey(
        Dataset, verbose_name=_("dataset"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=_version_path, max_length=200)
    kind = models.CharField(_("format"), max_length=10, choices=FileKind.choices)
    original_name = models.CharField(_("file name"), max_length=200)
    note = models.TextField(_("what changed"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    valid = models.BooleanField(_("valid"), default=False)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    fields = models.JSONField(_("columns"), default=list)
    problems = models.JSONField(_("validation report"), default=list)
    problems_truncated = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_comment = models.TextField(_("steward's comment"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        verbose_name = _("dataset version")
        verbose_name_plural = _("dataset versions")
        ordering = ["dataset", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "number"], name="one_number_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.dataset.slug} v{self.number}"

    @property
    def store_path(self) -> Path:
        return Path(settings.DATA_DIR) / "datastore" / f"{self.uuid}.duckdb"


class Indicator(models.Model):
    """A named figure the city tracks over time per region (% poor population, HDI, stunting...),
    with its unit and direction. The evaluation proposes its values for the outcome items and
    the dashboard charts them."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    definition = models.TextField(_("definition"), blank=True)
    pillar = models.ForeignKey(
        Pillar, verbose_name=_("pillar"), on_delete=models.PROTECT, null=True, blank=True
    )
    iso_reference = models.CharField(_("ISO 37120/37122"), max_length=60, blank=True)
    evaluation_item = models.CharField(
        _("evaluation item"),
        max_length=20,
        blank=True,
        help_text=_("The item of the national evaluation this indicator answers, e.g. C.10.1."),
    )

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def _evidence_path(instance: IndicatorValue, filename: str) -> str:
    return f"opendata/indicators/{instance.indicator.code}/{filename}"


class IndicatorValue(models.Model):
    """An indicator's value for a region and year, with its source: a published dataset version
    (filled by a mapping) or a direct entry with its evidence."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="values"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR)
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4)
    source_version = models.ForeignKey(
        Version,
        verbose_name=_("source dataset version"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicator_values",
    )
    evidence = models.FileField(_("evidence"), upload_to=_evidence_path, blank=True)
    source_note = models.CharField(_("source"), max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["indicator", "region", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "region", "year"], name="one_value_per_region_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.region_id} {self.year}: {self.value}"


class IndicatorMapping(models.Model):
    """How a dataset fills an indicator: which columns hold the region code, the year and the
    value. Publishing a version of the dataset fills the indicator's values from its rows."""

    dataset = models.ForeignKey(
        Dataset, verbose_name=_("dataset"), on_delete=models.CASCADE, related_name="mappings"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="mappings"
    )
    region_field = models.CharField(_("region code column"), max_length=100)
    year_field = models.CharField(_("year column"), max_length=100)
    value_field = models.CharField(_("value column"), max_length=100)

    class Meta:
        verbose_name = _("indicator mapping")
        verbose_name_plural = _("indicator mappings")
        constraints = [
            models.UniqueConstraint(fields=["dataset", "indicator"], name="one_mapping_per_pair")
        ]

    def __str__(self) -> str:
        return f"{self.dataset.slug} -> {self.indicator.code}"
