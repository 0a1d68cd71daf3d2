"""The smart city masterplan and everything that hangs from it: programmes with their pillars,
partners, budgets and KPIs; action plans; meetings of the smart city institutions; and the
OPDs' quarterly progress reports, which are where KPI actuals and budget realisation come from.
"""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kotacerdas.core.files import validate_evidence_file
from kotacerdas.core.models import Opd, Pillar, Region, User
from kotacerdas.masterplan.choices import (
    ActionArea,
    Body,
    BudgetSource,
    Direction,
    Pentahelix,
    Period,
    ProgrammeKind,
    ProgrammeStatus,
    ReportStatus,
)

RUPIAH = [MinValueValidator(0)]


class Masterplan(models.Model):
    """A region's smart city masterplan (e.g. Kota Kediri 2020-2029) with its legal basis.
    Reviews such as the 2024 one are recorded as revisions; the audit trail keeps the
    field-by-field history of every change."""

    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT)
    title = models.CharField(_("title"), max_length=200)
    start_year = models.PositiveSmallIntegerField(_("start year"))
    end_year = models.PositiveSmallIntegerField(_("end year"))
    legal_basis = models.CharField(
        _("legal basis"), max_length=200, blank=True, help_text=_("e.g. Perwali Kediri No. 12/2020")
    )
    legal_basis_date = models.DateField(_("date of the legal basis"), null=True, blank=True)
    document = models.FileField(
        _("document"), upload_to="masterplan/", validators=[validate_evidence_file], blank=True
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("masterplan")
        verbose_name_plural = _("masterplans")
        ordering = ["-start_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")), name="masterplan_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.start_year}-{self.end_year}"

    def covers(self, year: int) -> bool:
        return self.start_year <= year <= self.end_year


class Revision(models.Model):
    """A revision of the masterplan (for instance the 2024 review with a university team):
    when, on what legal basis, and what changed."""

    masterplan = models.ForeignKey(Masterplan, on_delete=models.CASCADE, related_name="revisions")
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)
    changes = models.TextField(_("what changed"))
    document = models.FileField(
        _("document"), upload_to="masterplan/", validators=[validate_evidence_file], blank=True
    )

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["-date"]

    def __str__(self) -> str:
        return self.title


class Programme(models.Model):
    """A smart city programme or innovation of the masterplan, owned by one OPD, supporting one
    or more pillars. Quick wins are the programmes the evaluation scores separately."""

    masterplan = models.ForeignKey(Masterplan, on_delete=models.PROTECT, related_name="programmes")
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    pillars = models.ManyToManyField(Pillar, verbose_name=_("pillars"), related_name="programmes")
    owner = models.ForeignKey(
        Opd, verbose_name=_("owner OPD"), on_delete=models.PROTECT, related_name="programmes"
    )
    partner_opds = models.ManyToManyField(
        Opd, verbose_name=_("partner OPDs"), blank=True, related_name="partner_programmes"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ProgrammeKind.choices)
    is_quick_win = models.BooleanField(_("quick win"), default=False)
    start_year = models.PositiveSmallIntegerField(_("start year"))
    end_year = models.PositiveSmallIntegerField(_("end year"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ProgrammeStatus.choices, default=ProgrammeStatus.PLANNED
    )
    target_users = models.CharField(_("target users"), max_length=200, blank=True)
    delivered_by = models.CharField(
        _("delivered by"),
        max_length=200,
        blank=True,
        help_text=_("The public service or dataset that delivers it (code or link)."),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def runs_in(self, year: int) -> bool:
        """Whether the programme's period includes ``year`` (status aside)."""
        return self.start_year <= year and (self.end_year is None or year <= self.end_year)


class Partner(models.Model):
    """An external partner of a programme, by its pentahelix role."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="partners")
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("pentahelix role"), max_length=12, choices=Pentahelix.choices)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self) -> str:
        return self.name


class Budget(models.Model):
    """A programme's budget for one year from one source (APBD or not), planned and realised,
    in whole rupiah."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="budgets")
    year = models.PositiveSmallIntegerField(_("year"))
    source = models.CharField(_("source"), max_length=10, choices=BudgetSource.choices)
    planned = models.BigIntegerField(_("planned (Rp)"), validators=RUPIAH)
    realised = models.BigIntegerField(_("realised (Rp)"), null=True, blank=True, validators=RUPIAH)

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        ordering = ["year", "source"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "year", "source"], name="one_budget_per_year_and_source"
            ),
            models.CheckConstraint(condition=Q(planned__gte=0), name="budget_planned_positive"),
            models.CheckConstraint(
                condition=Q(realised__isnull=True) | Q(realised__gte=0),
                name="budget_realised_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.year} {self.source}"


PERCENT = [MinValueValidator(0)]


class Kpi(models.Model):
    """A key performance indicator of a programme: what is measured, in which unit, which way is
    better, from which baseline, with a target per year. Its red/amber/green thresholds say how
    much of the target a value must achieve to be green, and to be amber rather than red
    (``kpis.rag``)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="kpis")
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40)
    direction = models.CharField(
        _("direction"), max_length=6, choices=Direction.choices, default=Direction.HIGHER
    )
    baseline = models.DecimalField(_("baseline"), max_digits=16, decimal_places=2)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"))
    green_from = models.DecimalField(
        _("green from (% of target)"),
        max_digits=5,
        decimal_places=1,
        default=100,
        validators=PERCENT,
        help_text=_("A value achieving at least this share of the target is green."),
    )
    amber_from = models.DecimalField(
        _("amber from (% of target)"),
        max_digits=5,
        decimal_places=1,
        default=90,
        validators=PERCENT,
        help_text=_("Below the green threshold but at least this share is amber; less is red."),
    )

    class Meta:
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")
        ordering = ["programme", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amber_from__lte=models.F("green_from")), name="kpi_amber_below_green"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"


class KpiTarget(models.Model):
    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("target"), max_digits=16, decimal_places=2)

    class Meta:
        verbose_name = _("KPI target")
        verbose_name_plural = _("KPI targets")
        ordering = ["year"]
        constraints = [models.UniqueConstraint(fields=["kpi", "year"], name="one_target_per_year")]

    def __str__(self) -> str:
        return f"{self.kpi} {self.year}: {self.value}"


class ProgressReport(models.Model):
    """An OPD's progress report for one quarter: KPI actuals, budget realisation, a narrative
    and evidence. Diskominfo approves it or returns it with comments; once approved it is
    frozen except for administrators."""

    opd = models.ForeignKey(
        Opd, verbose_name=_("OPD"), on_delete=models.PROTECT, related_name="progress_reports"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    period = models.CharField(_("period"), max_length=2, choices=Period.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    narrative = models.TextField(_("narrative"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review_comment = models.TextField(_("review comment"), blank=True)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-year", "-period", "opd"]
        constraints = [
            models.UniqueConstraint(fields=["opd", "year", "period"], name="one_report_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.opd} {self.year} {self.period}"


class KpiActual(models.Model):
    """A KPI's value reported for a period, with the report it came from (its source)."""

    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="actuals")
    year = models.PositiveSmallIntegerField(_("year"))
    period = models.CharField(_("period"), max_length=2, choices=Period.choices)
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=2)
    report = models.ForeignKey(
        ProgressReport, on_delete=models.SET_NULL, null=True, blank=True, related_name="actuals"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("KPI actual")
        verbose_name_plural = _("KPI actuals")
        ordering = ["year", "period"]
        constraints = [
            models.UniqueConstraint(fields=["kpi", "year", "period"], name="one_actual_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.kpi} {self.year} {self.period}: {self.value}"


class ReportLine(models.Model):
    """What a progress report says about one programme: a narrative and the budget realised so
    far this year. The budget figures become the programme's official realisation when the
    report is approved."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="lines")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="report_lines")
    narrative = models.TextField(_("narrative"), blank=True)
    realised_apbd = models.BigIntegerField(
        _("APBD realised so far (Rp)"), null=True, blank=True, validators=RUPIAH
    )
    realised_non_apbd = models.BigIntegerField(
        _("non-APBD realised so far (Rp)"), null=True, blank=True, validators=RUPIAH
    )

    class Meta:
        verbose_name = _("report line")
        verbose_name_plural = _("report lines")
        constraints = [
            models.UniqueConstraint(fields=["report", "programme"], name="one_line_per_programme")
        ]

    def __str__(self) -> str:
        return f"{self.report} / {self.programme}"


class ReportEvidence(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(
        _("file"), upload_to="masterplan/reports/%Y/", validators=[validate_evidence_file]
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.description or self.file.name


class ReportingPeriod(models.Model):
    """A quarter for which OPDs report, with its due date; a closed period accepts no more
    submissions."""

    year = models.PositiveSmallIntegerField(_("year"))
    period = models.CharField(_("period"), max_length=2, choices=Period.choices)
    due_date = models.DateField(_("due date"))
    closed = models.BooleanField(_("closed"), default=False)

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["-year", "-period"]
        constraints = [
            models.UniqueConstraint(fields=["year", "period"], name="one_reporting_period")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.period}"


class ActionActivity(models.Model):
    """An activity of the action plan (rencana aksi) for a year, in one of the four areas the
    evaluation checks, with its plan and realisation."""

    masterplan = models.ForeignKey(Masterplan, on_delete=models.CASCADE, related_name="activities")
    area = models.CharField(
        pgettext_lazy("action plan", "area"), max_length=16, choices=ActionArea.choices
    )
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("activity"), max_length=200)
    opd = models.ForeignKey(Opd, verbose_name=_("OPD"), on_delete=models.PROTECT)
    planned_output = models.CharField(_("planned output"), max_length=200)
    realised_output = models.CharField(_("realised output"), max_length=200, blank=True)
    done = models.BooleanField(_("carried out"), default=False)
    planned_budget = models.BigIntegerField(_("planned budget (Rp)"), default=0, validators=RUPIAH)
    realised_budget = models.BigIntegerField(
        _("realised budget (Rp)"), null=True, blank=True, validators=RUPIAH
    )

    class Meta:
        verbose_name = _("action plan activity")
        verbose_name_plural = _("action plan activities")
        ordering = ["year", "area", "name"]

    def __str__(self) -> str:
        return self.name


class Meeting(models.Model):
    """A meeting of the Dewan Smart City, the Tim Pelaksana or the Forum Smart City."""

    body = models.CharField(_("body"), max_length=8, choices=Body.choices)
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    participants = models.TextField(_("participants"))
    minutes = models.TextField(_("minutes"), blank=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.get_body_display()} {self.date}"


class MeetingEvidence(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(
        _("file"), upload_to="masterplan/meetings/%Y/", validators=[validate_evidence_file]
    )
    description = models.CharField(_("description"), max_length=200, blank=True)

    def __str__(self) -> str:
        return self.description or self.file.name
