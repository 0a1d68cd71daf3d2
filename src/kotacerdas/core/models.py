"""Core records: administrative regions, smart city pillars, OPDs, users and API tokens."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kotacerdas.core.choices import OpdKind, RegionLevel


class Region(models.Model):
    """An administrative region in the Kemendagri code table: a province (35), a regency or city
    (35.71), a kecamatan (35.71.01) or a kelurahan/desa (35.71.01.1001). Kelurahan codes have a
    last part starting with 1, desa codes with 2. Population and area are given for provinces and
    regencies/cities only. Loaded in bulk from the reference data; see ``regions.load_regions``."""

    code = models.CharField(_("code"), max_length=13, primary_key=True)
    name = models.CharField(_("name"), max_length=100, db_index=True)
    level = models.CharField(_("level"), max_length=10, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_male = models.PositiveIntegerField(_("male population"), null=True, blank=True)
    population_female = models.PositiveIntegerField(_("female population"), null=True, blank=True)
    area_km2 = models.DecimalField(
        _("area (km²)"), max_digits=10, decimal_places=3, null=True, blank=True
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        indexes = [models.Index(fields=["parent", "level"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_kelurahan(self) -> bool:
        """A kelurahan (urban village, led by a civil servant) rather than a desa."""
        return self.level == RegionLevel.VILLAGE and self.code.rsplit(".", 1)[1].startswith("1")


class Pillar(models.Model):
    """One of the six smart city pillars of the national programme (Gerakan Menuju Smart City):
    governance, branding, economy, living, society, environment. Programmes, evaluation items
    and datasets are filed under pillars."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name_id = models.CharField(_("name (Indonesian)"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=60)
    definition_id = models.TextField(_("definition (Indonesian)"))
    definition_en = models.TextField(_("definition (English)"))

    class Meta:
        verbose_name = _("pillar")
        verbose_name_plural = _("pillars")
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the language of the current request."""
        english = (get_language() or "id").startswith("en")
        return self.name_en if english else self.name_id

    @property
    def definition(self) -> str:
        english = (get_language() or "id").startswith("en")
        return self.definition_en if english else self.definition_id


class Opd(models.Model):
    """A regional government unit (Organisasi Perangkat Daerah): a dinas, badan, bagian of the
    secretariat, or a kecamatan or kelurahan office. OPDs own programmes, answer evaluation
    items, work service requests and produce datasets; an OPD officer sees their OPD's work."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OpdKind.choices)
    region = models.ForeignKey(
        Region,
        verbose_name=_("area served"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opds",
        help_text=_("For kecamatan and kelurahan offices: the area they serve."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
    )
    head_title = models.CharField(_("head's title"), max_length=100, blank=True)
    email = models.EmailField(_("office email"), blank=True)
    phone = models.CharField(_("office phone"), max_length=30, blank=True)
    address = models.CharField(_("office address"), max_length=200, blank=True)
    website = models.URLField(_("website"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    is_demo = models.BooleanField(
        _("demo data"),
        default=False,
        help_text=_("Loaded by the demo; check and correct before real use."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("OPD")
        verbose_name_plural = _("OPDs")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.short_name or self.name


class User(AbstractUser):
    """A person who signs in. Their role is their group (see ``choices.Role``); an OPD officer
    belongs to one OPD and sees that OPD's work."""

    opd = models.ForeignKey(
        Opd,
        verbose_name=_("OPD"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officers",
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("user")
        verbose_name_plural = _("users")


class ApiToken(models.Model):
    """A personal token with which a machine client calls the API as its user. Only a hash of
    the token is stored; the token itself is shown once, when it is issued."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(_("prefix"), max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class PersonalDataAccess(models.Model):
    """One view or export of a person's personal data (NIK, KK, phone, e-mail, address) shown
    unmasked: who, when, whose record and which fields. Required by UU 27/2022; written by
    ``core.personal.record_access`` and never edited."""

    class Action(models.TextChoices):
        VIEW = "view", _("viewed")
        EXPORT = "export", _("exported")

    user = models.ForeignKey(
        User,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="personal_data_accesses",
    )
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    subject_type = models.CharField(_("record type"), max_length=100)
    subject_id = models.CharField(_("record"), max_length=40)
    fields = models.CharField(_("fields"), max_length=200)

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        ordering = ["-at"]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self) -> str:
        return f"{self.user} {self.action} {self.subject_type}#{self.subject_id} ({self.fields})"
