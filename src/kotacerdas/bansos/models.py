"""The social-aid registry of Dinas Sosial: the civil registry's households and people, the
aid programmes and who is enrolled in them, the DTKS extract and its link to the civil
registry, citizens' proposals and objections, and the Kartu Sahabat disbursements.

NIK, KK numbers, addresses and bank account numbers are personal data (UU 27/2022): each is an
``EncryptedTextField`` found through a blind index (``core.personal.blind_index``), never
stored in the clear, never in the audit trail.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kotacerdas.bansos.choices import (
    BatchStatus,
    CaseKind,
    CaseStatus,
    ExclusionKind,
    LinkFlag,
    LinkMethod,
    NikWarning,
    PaymentStatus,
    ProgrammeLevel,
    Relationship,
    ReviewDecision,
    Sex,
)
from kotacerdas.core.models import Region
from kotacerdas.core.personal import EncryptedTextField

DECILE_RANGE = Q(welfare_decile__isnull=True) | Q(welfare_decile__gte=1, welfare_decile__lte=10)


class Programme(models.Model):
    """A social-aid programme: national (PKH, BPNT/Sembako, PBI-JK) or the city's own (Kartu
    Sahabat, Si Jamal). ``amount`` is the usual benefit per payment period in rupiah, the
    default for new enrolments."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=120)
    level = models.CharField(_("level"), max_length=10, choices=ProgrammeLevel.choices)
    description = models.TextField(_("description"), blank=True)
    amount = models.PositiveBigIntegerField(_("benefit per period (Rp)"), null=True, blank=True)
    period_months = models.PositiveSmallIntegerField(
        _("months per payment period"),
        default=1,
        help_text=_("1 for monthly payments, 3 for quarterly."),
    )
    paid_by_city = models.BooleanField(
        _("paid by the city"),
        default=False,
        help_text=_("Paid through Kartu Sahabat batches from this platform."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["level", "code"]

    def __str__(self) -> str:
        return self.name


class Household(models.Model):
    """A family as the civil registry knows it: one family card (KK) and its address."""

    kk = EncryptedTextField(_("KK number"))
    kk_index = models.CharField(max_length=64, unique=True, editable=False)
    address = EncryptedTextField(_("address"), blank=True)
    rt = models.CharField(_("RT"), max_length=3, blank=True)
    rw = models.CharField(_("RW"), max_length=3, blank=True)
    kelurahan = models.ForeignKey(
        Region,
        verbose_name=_("kelurahan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    source_hash = models.CharField(max_length=64, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self) -> str:
        return f"KK #{self.pk}"


class Person(models.Model):
    """A person in the civil registry (Dispendukcapil's extract), the one record every
    programme, DTKS row and payment points to. ``name_key`` is the name normalised for
    Indonesian spelling variants (``registry.name_key``), used to check a name at Cek Bansos and
    to search. ``source_hash`` is a keyed hash of the person's last imported row, so importing
    the same file again changes nothing."""

    nik = EncryptedTextField(_("NIK"))
    nik_index = models.CharField(max_length=64, unique=True, editable=False)
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    relationship = models.CharField(
        _("relationship to the head"), max_length=20, choices=Relationship.choices, blank=True
    )
    name = models.CharField(_("name"), max_length=150)
    name_key = models.CharField(max_length=150, editable=False)
    birth_place = models.CharField(_("place of birth"), max_length=100, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    # The address, RT and RW are the family card's (Household); the kelurahan is kept here too,
    # for Cek Bansos's lookup by kelurahan and name.
    kelurahan = models.ForeignKey(
        Region,
        verbose_name=_("kelurahan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    alive = models.BooleanField(_("alive"), default=True)
    date_of_death = models.DateField(_("date of death"), null=True, blank=True)
    moved_out = models.BooleanField(
        _("moved out of the city"),
        default=False,
        help_text=_("The civil registry shows an address outside the city."),
    )
    welfare_decile = models.PositiveSmallIntegerField(
        _("welfare decile (desil)"),
        null=True,
        blank=True,
        help_text=_("1 (poorest tenth) to 10, from the latest DTKS extract."),
    )
    nik_warnings = models.CharField(
        _("NIK warnings"),
        max_length=100,
        blank=True,
        help_text=_("Where the NIK disagrees with the recorded birth date or sex."),
    )
    source_hash = models.CharField(max_length=64, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["kelurahan", "name_key"])]
        constraints = [
            models.CheckConstraint(condition=DECILE_RANGE, name="bansos_person_decile_1_10")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def nik_warning_labels(self) -> list[str]:
        """The person's NIK warnings (``nik_warnings``, ``;``-separated codes) in words."""
        labels = dict(NikWarning.choices)
        return [str(labels.get(code, code)) for code in self.nik_warnings.split(";") if code]


class Exclusion(models.Model):
    """A person who may not receive social aid because of their occupation (a civil servant,
    a soldier, a police officer), from the lists BKD, TNI and Polri provide. Kept by NIK so a
    list can arrive before the person is in the registry."""

    nik = EncryptedTextField(_("NIK"))
    nik_index = models.CharField(max_length=64, editable=False, db_index=True)
    kind = models.CharField(_("occupation"), max_length=20, choices=ExclusionKind.choices)
    source = models.CharField(_("source"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("exclusion")
        verbose_name_plural = _("exclusions")
        constraints = [
            models.UniqueConstraint(fields=["nik_index", "kind"], name="bansos_exclusion_once")
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class Enrolment(models.Model):
    """A person's membership of a programme for a period, with the amount per payment period
    in rupiah (unknown for national programmes the ministry pays). An open-ended enrolment has
    no end. ``account_number`` is the Kartu Sahabat card
    or bank account the city pays into."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="enrolments"
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True)
    # None for a national programme the ministry pays: the city does not know the amount.
    amount = models.PositiveBigIntegerField(_("amount per period (Rp)"), null=True, blank=True)
    account_number = EncryptedTextField(_("card or account number"), blank=True)
    source = models.CharField(_("source"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["programme", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="bansos_enrolment_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gt=0),
                name="bansos_enrolment_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} - {self.person}"


class ImportRun(models.Model):
    """One import of a civil-registry extract, a DTKS extract or an exclusion list: what it
    did and every row it could not take (row, column, reason)."""

    class Kind(models.TextChoices):
        DUKCAPIL = "dukcapil", _("Civil registry extract")
        DTKS = "dtks", _("DTKS extract")
        EXCLUSIONS = "exclusions", _("Exclusion list")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    file_name = models.CharField(_("file"), max_length=255)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    warnings = models.PositiveIntegerField(_("warnings"), default=0)
    # [{"row": 12, "column": "nik", "reason": "...", "severity": "error"|"warning"}]
    problems = models.JSONField(_("problems"), default=list)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_name}"


class DtksRecord(models.Model):
    """A row of the DTKS (national welfare register) extract, kept as received, and its link
    to a civil-registry person: how it was linked, with what probability, and the data-quality
    flags the linkage raised (``LinkFlag`` values, ``;``-separated)."""

    id_dtks = models.CharField(_("DTKS id"), max_length=40, unique=True)
    nik = EncryptedTextField(_("NIK"), blank=True)
    nik_index = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    kk = EncryptedTextField(_("KK number"), blank=True)
    name = models.CharField(_("name"), max_length=150)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    address = EncryptedTextField(_("address"), blank=True)
    kelurahan_code = models.CharField(_("kelurahan code"), max_length=13, blank=True)
    programme_code = models.CharField(_("programme"), max_length=30, blank=True)
    welfare_decile = models.PositiveSmallIntegerField(_("welfare decile (desil)"), null=True)
    source_hash = models.CharField(max_length=64, editable=False)

    person = models.ForeignKey(
        Person,
        verbose_name=_("linked person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dtks_records",
    )
    link_method = models.CharField(
        _("link method"), max_length=20, choices=LinkMethod.choices, blank=True
    )
    match_probability = models.FloatField(_("match probability"), null=True, blank=True)
    flags = models.CharField(_("flags"), max_length=200, blank=True)
    linked_at = models.DateTimeField(_("linked"), null=True, blank=True)

    class Meta:
        verbose_name = _("DTKS record")
        verbose_name_plural = _("DTKS records")
        ordering = ["id_dtks"]
        constraints = [
            models.CheckConstraint(condition=DECILE_RANGE, name="bansos_dtks_decile_1_10")
        ]

    def __str__(self) -> str:
        return self.id_dtks

    @property
    def flag_list(self) -> list[str]:
        return [flag for flag in self.flags.split(";") if flag]

    @property
    def flag_labels(self) -> list[str]:
        labels = dict(LinkFlag.choices)
        return [str(labels.get(flag, flag)) for flag in self.flag_list]


class LinkRun(models.Model):
    """One run of the linkage of the DTKS records to the civil registry, with its data-quality
    figures (``summary``: counts per method and per flag), which the dashboard reports."""

    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    summary = models.JSONField(_("summary"), default=dict)

    class Meta:
        verbose_name = _("linkage run")
        verbose_name_plural = _("linkage runs")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"


class LinkReview(models.Model):
    """A possible match the linkage was not sure of (its probability between the review and the
    acceptance thresholds), waiting for Dinas Sosial to say whether the DTKS row and the person
    are the same. A decision is kept and reused by every later linkage run."""

    record = models.ForeignKey(
        DtksRecord, verbose_name=_("DTKS record"), on_delete=models.CASCADE, related_name="reviews"
    )
    candidate = models.ForeignKey(
        Person, verbose_name=_("candidate"), on_delete=models.CASCADE, related_name="+"
    )
    probability = models.FloatField(_("match probability"))
    decision = models.CharField(
        _("decision"),
        max_length=10,
        choices=ReviewDecision.choices,
        default=ReviewDecision.PENDING,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("proposed"), auto_now_add=True)

    class Meta:
        verbose_name = _("match review")
        verbose_name_plural = _("match reviews")
        ordering = ["-probability", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["record", "candidate"], name="bansos_review_pair_once")
        ]

    def __str__(self) -> str:
        return f"{self.record_id} ~ {self.candidate_id}"


class Case(models.Model):
    """A citizen's usul (propose someone for aid) or sanggah (object to a recipient), a case
    for Dinas Sosial to check and decide. ``number`` is what the citizen quotes
    (USL-2026-000012 / SGH-2026-000034)."""

    number = models.CharField(  # noqa: DJ001 - unique, and NULLs never collide
        _("number"), max_length=20, unique=True, null=True
    )
    kind = models.CharField(_("kind"), max_length=10, choices=CaseKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    subject_name = models.CharField(_("name of the person"), max_length=150)
    subject_nik = EncryptedTextField(_("NIK of the person"), blank=True)
    subject_nik_index = models.CharField(max_length=64, blank=True, editable=False)
    kelurahan = models.ForeignKey(
        Region, verbose_name=_("kelurahan"), on_delete=models.PROTECT, related_name="+"
    )
    address = EncryptedTextField(_("address"), blank=True)
    reason = models.TextField(_("reason"))
    reporter_name = models.CharField(_("your name"), max_length=150, blank=True)
    reporter_contact = EncryptedTextField(_("your phone or e-mail"), blank=True)
    person = models.ForeignKey(
        Person,
        verbose_name=_("person in the registry"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
    )
    decision_note = models.TextField(_("decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    class Meta:
        verbose_name = _("usul/sanggah case")
        verbose_name_plural = _("usul/sanggah cases")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"


class Lookup(models.Model):
    """One Cek Bansos lookup, for abuse monitoring and the load figures. It never holds the
    NIK or the name asked about: only how the lookup was made, whether it found someone, and a
    keyed hash of the client's address."""

    class Method(models.TextChoices):
        NIK = "nik", _("NIK and name")
        KELURAHAN = "kelurahan", _("Kelurahan and name")

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    method = models.CharField(max_length=10, choices=Method.choices)
    found = models.BooleanField()
    client_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("Cek Bansos lookup")
        verbose_name_plural = _("Cek Bansos lookups")

    def __str__(self) -> str:
        return f"{self.method} {self.at:%Y-%m-%d %H:%M}"


class Batch(models.Model):
    """A disbursement batch: one programme, one payment period (``period`` as YYYY-MM, the
    period's first month), the payments the bank is asked to make, and their reconciliation."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="batches"
    )
    period = models.CharField(_("period"), max_length=7, help_text=_("YYYY-MM"))
    status = models.CharField(
        _("status"), max_length=12, choices=BatchStatus.choices, default=BatchStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    exported_at = models.DateTimeField(_("sent to the bank"), null=True, blank=True)
    reconciled_at = models.DateTimeField(_("reconciled"), null=True, blank=True)

    class Meta:
        verbose_name = _("disbursement batch")
        verbose_name_plural = _("disbursement batches")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.programme.code} {self.period} #{self.pk}"

    # What the batch's status allows, stated once: ``disbursement`` refuses anything else and
    # the pages offer only this. A held payment may be released only while the batch is a
    # draft (the payment file fixes what the batch pays); the payment file may be downloaded
    # from a draft, and again (the same file) until the bank's result is in; the bank's result
    # may be applied once the file has been sent, and again (a later part of it).
    RELEASE_WHILE = (BatchStatus.DRAFT,)
    EXPORT_WHILE = (BatchStatus.DRAFT, BatchStatus.EXPORTED)
    IMPORT_RESULT_WHILE = (BatchStatus.EXPORTED, BatchStatus.RECONCILED)

    @property
    def can_release(self) -> bool:
        return self.status in self.RELEASE_WHILE

    @property
    def can_export(self) -> bool:
        return self.status in self.EXPORT_WHILE

    @property
    def can_import_result(self) -> bool:
        return self.status in self.IMPORT_RESULT_WHILE


class Payment(models.Model):
    """One payment of a batch: an enrolment's amount for the batch's period. A payment held
    back by a data-quality flag (deceased, excluded, duplicate) waits as ``held`` with its
    reasons until someone releases it with a written reason.

    The database, not only the code, refuses a second pending or paid payment to the same
    person for the same programme and period (``bansos_one_payment_per_period``); a failed or
    returned payment frees the place for a later batch."""

    batch = models.ForeignKey(
        Batch, verbose_name=_("batch"), on_delete=models.PROTECT, related_name="payments"
    )
    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.PROTECT, related_name="payments"
    )
    # Copies of the enrolment's person and programme and of the batch's period, so that the
    # one-payment rule can be a database constraint.
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="payments"
    )
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(_("period"), max_length=7)
    amount = models.PositiveBigIntegerField(_("amount (Rp)"))
    status = models.CharField(
        _("status"), max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.PENDING
    )
    hold_reasons = models.CharField(_("held because"), max_length=200, blank=True)
    release_reason = models.TextField(_("released because"), blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("released by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    bank_reference = models.CharField(_("bank reference"), max_length=60, blank=True)
    reason_code = models.CharField(_("bank reason code"), max_length=20, blank=True)
    settled_at = models.DateTimeField(_("settled"), null=True, blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["batch", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "programme", "period"],
                condition=Q(status__in=[PaymentStatus.PENDING, PaymentStatus.PAID]),
                name="bansos_one_payment_per_period",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="bansos_payment_amount"),
        ]

    def __str__(self) -> str:
        return f"{self.batch} #{self.pk}"


class Discrepancy(models.Model):
    """A difference reconciliation found between a batch and the bank's result file: a payment
    the bank did not report, a line the batch does not know, an amount that differs, a payment
    reported twice. Each one is shown until someone resolves it with a note."""

    class Kind(models.TextChoices):
        MISSING = "missing", _("Not in the bank's result")
        UNKNOWN = "unknown", _("Not in the batch")
        AMOUNT = "amount", _("Amount differs")
        DUPLICATE = "duplicate", _("Reported more than once")
        HELD = "held", _("Held payment reported paid")

    batch = models.ForeignKey(
        Batch, verbose_name=_("batch"), on_delete=models.CASCADE, related_name="discrepancies"
    )
    payment = models.ForeignKey(
        Payment,
        verbose_name=_("payment"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="discrepancies",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    reference = models.CharField(_("reference"), max_length=60, blank=True)
    expected_amount = models.BigIntegerField(_("expected (Rp)"), null=True, blank=True)
    reported_amount = models.BigIntegerField(_("reported (Rp)"), null=True, blank=True)
    row = models.PositiveIntegerField(_("row in the result file"), null=True, blank=True)
    resolved_note = models.TextField(_("resolution"), blank=True)

    class Meta:
        verbose_name = _("discrepancy")
        verbose_name_plural = _("discrepancies")
        ordering = ["batch", "kind", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference}"
