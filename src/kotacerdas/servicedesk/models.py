"""Records of the PECUT service desk: the service catalogue, the working-day calendar, citizens'
requests with their timeline and photos, satisfaction (IKM) answers and Open311 client keys."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kotacerdas.core.models import Opd, Pillar, Region
from kotacerdas.core.personal import EncryptedTextField
from kotacerdas.servicedesk.choices import (
    OPEN_STATUSES,
    AttributeType,
    Category,
    Channel,
    EventKind,
    HolidayKind,
    SlaUnit,
    Status,
)


class Service(models.Model):
    """A service or complaint category in the catalogue: what a citizen can ask for, which OPD
    answers, what it needs and costs, its legal basis and its service standard time (SLA).
    ``code`` is the Open311 service_code."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    opd = models.ForeignKey(
        Opd,
        verbose_name=_("responsible OPD"),
        on_delete=models.PROTECT,
        related_name="services",
        help_text=_("Requests go to this OPD unless a routing rule for the area says otherwise."),
    )
    pillar = models.ForeignKey(
        Pillar,
        verbose_name=_("smart city pillar"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="services",
    )
    requirements = models.TextField(_("requirements"), blank=True)
    fee = models.PositiveBigIntegerField(
        _("fee (rupiah)"), default=0, help_text=_("0 for a free service.")
    )
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    sla_amount = models.PositiveIntegerField(
        _("service standard time"), validators=[MinValueValidator(1)]
    )
    sla_unit = models.CharField(
        _("unit"), max_length=20, choices=SlaUnit.choices, default=SlaUnit.WORKING_DAYS
    )
    keywords = models.CharField(
        _("keywords"), max_length=200, blank=True, help_text=_("Comma-separated, for search.")
    )
    active = models.BooleanField(_("active"), default=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["category", "name"]

    def __str__(self) -> str:
        return self.name


class ServiceRoute(models.Model):
    """A routing rule: requests for ``service`` located in ``region`` (a kecamatan or kelurahan)
    go to ``opd``, such as a kecamatan office, instead of the service's own OPD. The most
    specific region wins."""

    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.CASCADE, related_name="routes"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )
    opd = models.ForeignKey(
        Opd, verbose_name=_("OPD"), on_delete=models.PROTECT, related_name="routed_services"
    )

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        constraints = [
            models.UniqueConstraint(fields=["service", "region"], name="one_route_per_area")
        ]

    def __str__(self) -> str:
        return f"{self.service} @ {self.region_id} -> {self.opd}"


class ServiceAttribute(models.Model):
    """An extra question a service asks (Open311's service definition attributes), such as the
    kind of road damage or the meter number."""

    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.CASCADE, related_name="attributes"
    )
    code = models.SlugField(_("code"), max_length=60)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    datatype = models.CharField(_("type"), max_length=20, choices=AttributeType.choices)
    required = models.BooleanField(_("required"), default=False)
    description = models.CharField(_("question"), max_length=300)
    # [{"key": "hole", "name": "Lubang"}, ...] for the list types.
    values = models.JSONField(_("choices"), default=list, blank=True)

    class Meta:
        verbose_name = _("service attribute")
        verbose_name_plural = _("service attributes")
        ordering = ["service", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["service", "code"], name="attribute_code_per_service")
        ]

    def __str__(self) -> str:
        return f"{self.service.code}.{self.code}"


class Holiday(models.Model):
    """A day the government's offices are closed besides weekends: a national holiday, a joint
    leave day (cuti bersama, by joint ministerial decree) or a local day off. SLA deadlines skip
    them."""

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=HolidayKind.choices)

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class ClientKey(models.Model):
    """An Open311 ``api_key`` issued to a client application (a mobile app, a kelurahan kiosk).
    Only a hash is stored; the key is shown once, when it is issued."""

    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("issued"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("Open311 client key")
        verbose_name_plural = _("Open311 client keys")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class RequestQuerySet(models.QuerySet):
    def open(self) -> RequestQuerySet:
        """Requests the city still owes an answer: not finished and not merged into another."""
        return self.filter(status__in=OPEN_STATUSES, merged_into__isnull=True)


class ServiceRequest(models.Model):
    """A citizen's request or complaint, from the moment the desk acknowledges it (it is
    committed before the answer is sent) until it is closed. ``number`` is the tracking number
    citizens quote (PCT-2026-000123); ``access_hash`` is the hash of the secret in their status
    link. Contact details are personal data: encrypted, found by ``contact_key``."""

    # NULL only inside the creating transaction: the number is made from the primary key.
    number = models.CharField(  # noqa: DJ001 - unique, and NULLs never collide
        _("tracking number"), max_length=20, unique=True, null=True
    )
    access_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The secret itself, encrypted, so later notifications can carry the link again.
    access_secret = EncryptedTextField(editable=False)
    # Open311's token for a request (not a secret): clients may poll tokens/{token}.
    public_token = models.CharField(max_length=32, unique=True, editable=False)
    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="requests"
    )
    opd = models.ForeignKey(
        Opd,
        verbose_name=_("OPD"),
        on_delete=models.PROTECT,
        related_name="service_requests",
        help_text=_("The OPD that answers: proposed by routing, confirmed by the desk."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    description = models.TextField(_("description"))
    attributes = models.JSONField(_("answers to the service's questions"), default=dict)
    media_url = models.URLField(_("media URL"), max_length=500, blank=True)

    region = models.ForeignKey(
        Region,
        verbose_name=_("kelurahan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    address_string = models.CharField(_("location"), max_length=300, blank=True)
    address_id = models.CharField(_("address id"), max_length=60, blank=True)

    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    phone = EncryptedTextField(_("phone"), blank=True)
    email = EncryptedTextField(_("e-mail"), blank=True)
    # core.personal.contact_key of the phone (else the e-mail): finds a person's requests
    # without decrypting, and tells the impact survey who used a service.
    contact_key = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    anonymous = models.BooleanField(
        _("anonymous to the OPD"),
        default=False,
        help_text=_("The OPD does not see who filed the complaint; the desk does."),
    )
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("citizen account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="service_requests",
    )

    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    client_key = models.ForeignKey(
        ClientKey,
        verbose_name=_("Open311 client"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
    )
    device_id = models.CharField(_("device id"), max_length=100, blank=True)
    client_account_id = models.CharField(_("client's account id"), max_length=100, blank=True)
    # Hash of (client, Idempotency-Key): a retried submission finds the request it made.
    idempotency_hash = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
    )

    submitted_at = models.DateTimeField(_("submitted"), db_index=True)
    due_at = models.DateTimeField(_("due"), db_index=True)
    assigned_at = models.DateTimeField(_("assigned"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    warned_at = models.DateTimeField(_("deadline warning sent"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    reopened = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    objects = RequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["status", "opd"]),
            models.Index(fields=["service", "submitted_at"]),
            models.Index(fields=["region", "status"]),
            # The monitoring room and the dashboard count requests resolved in a period and
            # the open ones (``stats``) without reading the closed history.
            models.Index(fields=["submitted_at"]),
            models.Index(fields=["resolved_at"]),
            models.Index(
                fields=["due_at"],
                condition=Q(status__in=OPEN_STATUSES, merged_into__isnull=True),
                name="servicedesk_open_due",
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    @property
    def main(self) -> ServiceRequest:
        """The request this one follows: its main request if merged, else itself."""
        return self.merged_into or self

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def contact_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)


class RequestEvent(models.Model):
    """One entry in a request's timeline: a status change, a transfer, a public update to the
    citizen or an internal note among staff. Public entries show on the status page."""

    request = models.ForeignKey(
        ServiceRequest, verbose_name=_("request"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    opd = models.ForeignKey(
        Opd, verbose_name=_("OPD"), on_delete=models.PROTECT, null=True, blank=True
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    text = models.TextField(_("text"), blank=True)
    public = models.BooleanField(_("public"), default=False)
    at = models.DateTimeField(_("when"), db_index=True)

    class Meta:
        verbose_name = _("request event")
        verbose_name_plural = _("request events")
        ordering = ["at", "pk"]
        # The timeline of a request, and Open311's newest public note, read by this index.
        indexes = [models.Index(fields=["request", "public", "at"])]

    def __str__(self) -> str:
        return f"{self.request} {self.kind} {self.at:%Y-%m-%d %H:%M}"


def _photo_path(instance: RequestPhoto, filename: str) -> str:
    return f"servicedesk/{instance.request.submitted_at:%Y/%m}/{filename}"


class RequestPhoto(models.Model):
    """A photo attached to a request, re-encoded on upload so that no location or camera
    metadata survives."""

    request = models.ForeignKey(
        ServiceRequest, verbose_name=_("request"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.FileField(_("photo"), upload_to=_photo_path)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.image.name


IKM_ANSWER = [MinValueValidator(1), MaxValueValidator(4)]


class SatisfactionResponse(models.Model):
    """One respondent's answers to the nine elements of the satisfaction survey (IKM,
    PermenPANRB 14/2017), each 1-4, about one service. Given on the status page of a closed
    request (at most once per request) or imported from a paper survey."""

    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="ratings"
    )
    request = models.OneToOneField(
        ServiceRequest,
        verbose_name=_("request"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rating",
    )
    u1 = models.PositiveSmallIntegerField(_("requirements"), validators=IKM_ANSWER)
    u2 = models.PositiveSmallIntegerField(_("procedure"), validators=IKM_ANSWER)
    u3 = models.PositiveSmallIntegerField(_("completion time"), validators=IKM_ANSWER)
    u4 = models.PositiveSmallIntegerField(_("cost"), validators=IKM_ANSWER)
    u5 = models.PositiveSmallIntegerField(_("product specification"), validators=IKM_ANSWER)
    u6 = models.PositiveSmallIntegerField(_("staff competence"), validators=IKM_ANSWER)
    u7 = models.PositiveSmallIntegerField(_("staff behaviour"), validators=IKM_ANSWER)
    u8 = models.PositiveSmallIntegerField(_("complaint handling"), validators=IKM_ANSWER)
    u9 = models.PositiveSmallIntegerField(_("facilities"), validators=IKM_ANSWER)
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), db_index=True)

    class Meta:
        verbose_name = _("satisfaction response")
        verbose_name_plural = _("satisfaction responses")
        ordering = ["-submitted_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    *(models.Q(**{f"u{i}__gte": 1, f"u{i}__lte": 4}) for i in range(1, 10))
                ),
                name="ikm_answers_1_to_4",
            )
        ]

    def __str__(self) -> str:
        return f"{self.service} {self.submitted_at:%Y-%m-%d}"

    def answers(self) -> tuple[int, ...]:
        return tuple(getattr(self, f"u{i}") for i in range(1, 10))
