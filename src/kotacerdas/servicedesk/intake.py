"""The front door: a citizen's request or complaint, checked and committed in one transaction.

Whatever the channel (the web form, an Open311 client, the API, a counter clerk), a submission
goes through ``submit_request``: it is checked whole (every problem named by field), routed to
its OPD, given a tracking number and a secret status link, and committed before the desk answers.
A client that retries with the same idempotency key gets the same request back, never a second
one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from kotacerdas.core import geo
from kotacerdas.core.models import Opd, Region, User
from kotacerdas.core.personal import contact_key, normalise_contact
from kotacerdas.core.villages import city_village, is_city_village
from kotacerdas.servicedesk import notify, sla
from kotacerdas.servicedesk.choices import AttributeType, Category, Channel, EventKind, Status
from kotacerdas.servicedesk.models import (
    ClientKey,
    RequestEvent,
    RequestPhoto,
    Service,
    ServiceAttribute,
    ServiceRequest,
)
from kotacerdas.servicedesk.photos import MAX_PHOTOS, clean_photo

MAX_DESCRIPTION = 5000


@dataclass
class NewRequest:
    """What a citizen (or a client acting for one) submits."""

    service: Service
    description: str
    region: Region | None = None  # the kelurahan
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    address_string: str = ""
    address_id: str = ""
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    email: str = ""
    anonymous: bool = False
    attributes: dict[str, Any] = field(default_factory=dict)
    media_url: str = ""
    photos: list[UploadedFile] = field(default_factory=list)
    channel: str = Channel.WEB
    account: User | None = None
    client_key: ClientKey | None = None
    device_id: str = ""
    account_id: str = ""
    idempotency_key: str = ""

    def __repr__(self) -> str:  # never the contact details
        return f"NewRequest(service={self.service.code!r}, channel={self.channel!r})"


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def find_by_secret(secret: str) -> ServiceRequest | None:
    """The request whose status link carries ``secret``, or None."""
    if not secret or len(secret) > 100:
        return None
    return (
        ServiceRequest.objects.select_related("service", "opd", "region", "merged_into")
        .filter(access_hash=secret_hash(secret))
        .first()
    )


def route(service: Service, region: Region | None) -> Opd:
    """The OPD that answers a request for ``service`` in ``region``: the routing rule for the
    most specific area that contains the region, else the service's own OPD."""
    if region is not None:
        routes = [r for r in service.routes.select_related("opd", "region") if r.opd.active]
        matching = [
            r
            for r in routes
            if region.code == r.region_id or region.code.startswith(r.region_id + ".")
        ]
        if matching:
            return max(matching, key=lambda r: len(r.region_id)).opd
    return service.opd


def _check_attribute(attribute: ServiceAttribute, value: Any) -> tuple[Any, str | None]:
    """The answer to one of the service's questions in its stored form, or the problem."""
    kind = attribute.datatype
    if kind == AttributeType.MULTI:
        values = value if isinstance(value, list) else [value]
        keys = {str(choice["key"]) for choice in attribute.values}
        values = [str(v) for v in values if str(v).strip()]
        unknown = [v for v in values if v not in keys]
        if unknown:
            return None, _("Not one of the choices: %(values)s.") % {"values": ", ".join(unknown)}
        return values, None
    if isinstance(value, list):
        if len(value) != 1:
            return None, _("Give one value.")
        value = value[0]
    text = str(value).strip()
    if kind == AttributeType.NUMBER:
        try:
            number = Decimal(text)
        except InvalidOperation:
            return None, _("Give a number.")
        if not number.is_finite():
            return None, _("Give a number.")
        return text, None
    if kind == AttributeType.DATETIME:
        try:
            parsed = parse_datetime(text)
        except ValueError:
            parsed = None
        if parsed is None:
            return None, _("Give a date and time such as 2026-11-24T09:30:00+07:00.")
        return text, None
    if kind == AttributeType.SINGLE:
        if text not in {str(choice["key"]) for choice in attribute.values}:
            return None, _("Not one of the choices.")
        return text, None
    if len(text) > 2000:
        return None, _("At most 2,000 characters.")
    return text, None


@sensitive_variables("new")
def check_request(new: NewRequest) -> tuple[dict[str, Any], dict[str, str]]:
    """Check a submission whole. Returns the cleaned values (the kelurahan found from the point
    when none was picked, the attributes in stored form, the cleaned photos) and every problem
    by field name, so the citizen can correct everything at once."""
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    service = new.service
    if not service.active:
        errors["service_code"] = _("This service no longer takes requests.")

    description = new.description.strip()
    if not description:
        errors["description"] = _("Describe the request or complaint.")
    elif len(description) > MAX_DESCRIPTION:
        errors["description"] = _("At most %(n)s characters.") % {"n": f"{MAX_DESCRIPTION:,}"}
    cleaned["description"] = description

    city = settings.KOTACERDAS_REGION
    region = new.region
    if region is not None and not is_city_village(region):
        errors["region"] = _("Pick a kelurahan of this city.")

    latitude, longitude = new.latitude, new.longitude
    if (latitude is None) != (longitude is None):
        errors["lat" if latitude is None else "long"] = _("Give both latitude and longitude.")
    elif latitude is not None and longitude is not None:
        if not latitude.is_finite():
            errors["lat"] = _("Give a number.")
        elif not longitude.is_finite():
            errors["long"] = _("Give a number.")
        elif not (-90 <= latitude <= 90):
            errors["lat"] = _("Latitude must be between -90 and 90.")
        elif not (-180 <= longitude <= 180):
            errors["long"] = _("Longitude must be between -180 and 180.")
        elif geo.contains(city, longitude, latitude) is False:
            errors["lat"] = _("This point is outside the city's boundary.")
        else:
            latitude = latitude.quantize(Decimal("0.000001"))
            longitude = longitude.quantize(Decimal("0.000001"))
            if region is None:
                code = geo.village_at(longitude, latitude)
                region = city_village(code)
    cleaned.update(region=region, latitude=latitude, longitude=longitude)

    address = new.address_string.strip()
    if len(address) > 300:
        errors["address_string"] = _("At most 300 characters.")
    if region is None and latitude is None and not address and not new.address_id.strip():
        errors["location"] = _("Say where: pick a kelurahan, a point on the map or an address.")
    cleaned["address_string"] = address[:300]

    phone, email = new.phone.strip(), new.email.strip()
    if phone:
        try:
            if not normalise_contact(phone).startswith("phone:"):
                raise ValidationError("")
        except ValidationError:
            errors["phone"] = _("Give a phone number such as 0812 3456 7890.")
    if email:
        try:
            if not normalise_contact(email).startswith("email:"):
                raise ValidationError("")
        except ValidationError:
            errors["email"] = _("This is not a valid e-mail address.")
    if len(new.first_name) > 100 or len(new.last_name) > 100:
        errors["first_name"] = _("At most 100 characters.")

    answers: dict[str, Any] = {}
    questions = list(service.attributes.all())
    for attribute in questions:
        value = new.attributes.get(attribute.code)
        if isinstance(value, list):
            value = [v for v in value if str(v).strip()]
        empty = value is None or str(value).strip() == "" or value == []
        if empty:
            if attribute.required:
                errors[f"attribute[{attribute.code}]"] = _("This question must be answered.")
            continue
        stored, problem = _check_attribute(attribute, value)
        if problem:
            errors[f"attribute[{attribute.code}]"] = problem
        else:
            answers[attribute.code] = stored
    unknown = set(new.attributes) - {a.code for a in questions}
    for code in sorted(unknown):
        errors[f"attribute[{code}]"] = _("This service asks no such question.")
    cleaned["attributes"] = answers

    if len(new.media_url) > 500:
        errors["media_url"] = _("At most %(n)s characters.") % {"n": 500}
    elif new.media_url:
        try:
            URLValidator(schemes=["http", "https"])(new.media_url)
        except ValidationError:
            errors["media_url"] = _("Give a web address starting with http:// or https://.")

    if len(new.photos) > MAX_PHOTOS:
        errors["photos"] = _("At most %(n)s photos.") % {"n": MAX_PHOTOS}
    else:
        photos = []
        for index, upload in enumerate(new.photos, start=1):
            try:
                photos.append(clean_photo(upload))
            except ValidationError as exc:
                errors["photos"] = _("Photo %(n)s: %(reason)s") % {
                    "n": index,
                    "reason": " ".join(exc.messages),
                }
                break
        cleaned["photos"] = photos
    return cleaned, errors


def _idempotency_hash(new: NewRequest) -> str | None:
    """The retry key, scoped to the client so two clients' keys never collide."""
    if not new.idempotency_key:
        return None
    if new.client_key is not None:
        scope = f"client:{new.client_key.pk}"
    elif new.account is not None:
        scope = f"user:{new.account.pk}"
    else:
        scope = "public"
    return hashlib.sha256(f"{scope}\n{new.idempotency_key}".encode()).hexdigest()


def _same_submission(existing: ServiceRequest, new: NewRequest) -> ServiceRequest:
    """A retry must carry the submission the key was first used for. Anything else is refused:
    answering with the first request would hand its status link to whoever reused (or guessed)
    the key."""
    if existing.service_id != new.service.pk or existing.description != new.description.strip():
        raise ValidationError(
            {"idempotency_key": _("This key was already used for another request.")}
        )
    return existing


@sensitive_variables("new", "cleaned")
def submit_request(new: NewRequest, at: dt.datetime | None = None) -> tuple[ServiceRequest, bool]:
    """File a request. Returns it and whether it was created now (False: a retry with the same
    idempotency key, answered with the request made the first time). Raises ValidationError
    with every problem by field, having saved nothing."""
    retry = _idempotency_hash(new)
    if retry:
        existing = ServiceRequest.objects.filter(idempotency_hash=retry).first()
        if existing is not None:
            return _same_submission(existing, new), False
    cleaned, errors = check_request(new)
    if errors:
        raise ValidationError(errors)
    try:
        return _create(new, cleaned, retry, at or timezone.now()), True
    except IntegrityError:
        # Two retries raced: the other one committed first, and its request is the answer.
        existing = ServiceRequest.objects.filter(idempotency_hash=retry).first() if retry else None
        if existing is None:
            raise
        return _same_submission(existing, new), False


@sensitive_variables("new", "cleaned", "secret")
@transaction.atomic
def _create(
    new: NewRequest, cleaned: dict[str, Any], retry: str | None, at: dt.datetime
) -> ServiceRequest:
    secret = secrets.token_urlsafe(18)
    contact = new.phone.strip() or new.email.strip()
    request = ServiceRequest.objects.create(
        access_hash=secret_hash(secret),
        access_secret=secret,
        public_token=secrets.token_hex(16),
        service=new.service,
        opd=route(new.service, cleaned["region"]),
        description=cleaned["description"],
        attributes=cleaned["attributes"],
        media_url=new.media_url,
        region=cleaned["region"],
        latitude=cleaned["latitude"],
        longitude=cleaned["longitude"],
        address_string=cleaned["address_string"],
        address_id=new.address_id.strip()[:60],
        first_name=new.first_name.strip(),
        last_name=new.last_name.strip(),
        phone=new.phone.strip(),
        email=new.email.strip(),
        contact_key=contact_key(contact) if contact else "",
        # Only a complaint hides its author from the OPD: a service application is the
        # applicant's own business and the OPD must know whose it is.
        anonymous=new.anonymous and new.service.category == Category.COMPLAINT,
        account=new.account,
        channel=new.channel,
        client_key=new.client_key,
        device_id=new.device_id[:100],
        client_account_id=new.account_id[:100],
        idempotency_hash=retry,
        submitted_at=at,
        due_at=sla.deadline(new.service, at),
    )
    request.number = f"PCT-{timezone.localtime(at).year}-{request.pk:06d}"
    # A queryset update: the number is derived, not a change worth an audit entry of its own.
    ServiceRequest.objects.filter(pk=request.pk).update(number=request.number)
    RequestEvent.objects.create(
        request=request,
        kind=EventKind.STATUS,
        to_status=Status.SUBMITTED,
        opd=request.opd,
        text="",
        public=True,
        at=at,
    )
    for photo in cleaned["photos"]:
        RequestPhoto.objects.create(request=request, image=photo)
    from kotacerdas.servicedesk.workflow import citizen_messages

    notify.send_after_commit(
        citizen_messages(
            request,
            with_duplicates=False,  # nothing is merged into a request filed this instant
            subject=_("Your request %(number)s has been received") % {"number": request.number},
            body=_(
                "Thank you. Your request has tracking number %(number)s and is due by "
                "%(due)s. Follow it here:"
            )
            % {
                "number": request.number,
                "due": timezone.localtime(request.due_at).strftime("%d %b %Y %H:%M WIB"),
            },
        )
    )
    return request
