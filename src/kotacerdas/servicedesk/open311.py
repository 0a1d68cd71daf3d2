"""Open311 GeoReport v2 at /open311/v2/: the service desk as other applications see it.

Client applications (a city app, a kelurahan kiosk, FixMyStreet-style sites) read the service
catalogue and the public record of requests, and file requests for citizens with an ``api_key``
the city issued them (``keys``). Every endpoint answers in JSON or XML, chosen by the extension
(``services.json``, ``services.xml``); errors come in the spec's shape, one entry per problem,
with the matching HTTP status.

The public record is what anyone may know about a request: its service, place, description and
progress, never who filed it (no names, phones or e-mails) and never the secret of the status
link. A duplicate merged into another request reports the progress of the one it follows.

Our extensions to the spec: ``limit`` on the request list (default 200, at most 1000), and
``device_id`` + ``client_token`` (or an ``Idempotency-Key`` header) so that a client retrying a
submission over a bad connection gets the first request back instead of filing a second one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.db import transaction
from django.db.models import (
    Case,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters

from kotacerdas.core import ratelimit
from kotacerdas.servicedesk import keys
from kotacerdas.servicedesk.choices import (
    FINISHED_STATUSES,
    OPEN_STATUSES,
    PUBLIC_CATEGORIES,
    AttributeType,
    Category,
    Channel,
    EventKind,
)
from kotacerdas.servicedesk.intake import NewRequest, check_request, submit_request
from kotacerdas.servicedesk.models import RequestEvent, Service, ServiceAttribute, ServiceRequest
from kotacerdas.servicedesk.sla import local_zone

# The request list: the spec's default window, and our ``limit`` extension.
DEFAULT_DAYS = 90
DEFAULT_LIMIT = 200
MAX_LIMIT = 1000
# The spec's schema caps a request's description; ours may be longer (intake allows 5,000).
MAX_DESCRIPTION = 4000
MAX_IDEMPOTENCY_KEY = 200

CONTENT_TYPES = {
    "json": "application/json; charset=utf-8",
    "xml": "text/xml; charset=utf-8",
}
XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>'
# In XML a list's entries are named after the list: <attributes><attribute>...
XML_ITEMS = {"attributes": "attribute", "values": "value", "errors": "error"}
# Characters XML 1.0 cannot carry at all, even escaped: a control character pasted into a
# description must not make the whole answer unreadable.
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
ATTRIBUTE_PARAM = re.compile(r"^attribute\[([^\[\]]+)\](\[\])?$")


class Open311Error(Exception):
    """A refusal in the spec's error shape: the HTTP status and one description per problem."""

    def __init__(
        self, status: int, *descriptions: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(*descriptions)
        self.status = status
        self.descriptions = list(descriptions)
        self.headers = headers or {}


@dataclass
class Answer:
    """What an endpoint found, before it is written as JSON or XML: a list of records (written
    in XML as ``<root><item>...``) or one record (written as ``<root>...``)."""

    data: list[dict[str, Any]] | dict[str, Any]
    root: str
    item: str = ""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None  # already written (a cached list)


# ---------------------------------------------------------------------------------------------
# Writing answers


def _xml_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return XML_FORBIDDEN.sub("", str(value))


def _xml_fill(element: ET.Element, value: Any) -> None:
    if isinstance(value, dict):
        for name, child in value.items():
            _xml_fill(ET.SubElement(element, name), child)
    elif isinstance(value, list):
        item = XML_ITEMS.get(element.tag, "item")
        for child in value:
            _xml_fill(ET.SubElement(element, item), child)
    else:
        element.text = _xml_text(value)


def _body(fmt: str, answer: Answer) -> str:
    if fmt == "xml":
        root = ET.Element(answer.root)
        if isinstance(answer.data, list):
            for record in answer.data:
                _xml_fill(ET.SubElement(root, answer.item), record)
        else:
            _xml_fill(root, answer.data)
        return XML_DECLARATION + ET.tostring(root, encoding="unicode")
    return json.dumps(answer.data, ensure_ascii=False)


def _render(fmt: str, answer: Answer) -> HttpResponse:
    body = answer.body if answer.body is not None else _body(fmt, answer)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt], status=answer.status)
    for name, value in answer.headers.items():
        response[name] = value
    return response


def _error_answer(error: Open311Error) -> Answer:
    return Answer(
        data=[{"code": error.status, "description": text} for text in error.descriptions],
        root="errors",
        item="error",
        status=error.status,
        headers=error.headers,
    )


def _field_error(name: str, message: str) -> str:
    """An error description that names the Open311 parameter, so a client can point at it."""
    return f"{name}: {message}"


def _datetime(value: dt.datetime | None) -> str | None:
    # ISO 8601 in the city's time, as clients show it: 2026-11-02T09:00:00+07:00.
    if value is None:
        return None
    return value.astimezone(local_zone()).isoformat(timespec="seconds")


# ---------------------------------------------------------------------------------------------
# The checks every endpoint shares


def _format_of(path: str) -> str:
    return "xml" if path.endswith(".xml") else "json"


def _check_rate(request: HttpRequest) -> None:
    if request.method == "POST":
        scope, limit = "open311_write", ratelimit.limit_for("public_write")
    else:
        scope, limit = "open311_read", ratelimit.limit_for("public_read")
    if not ratelimit.hit(scope, ratelimit.client_address(request), limit):
        raise Open311Error(
            429,
            _("Too many requests; try again later."),
            # The window is fixed, so a client that waits this long is certainly let in.
            headers={"Retry-After": str(limit[1])},
        )


def _check_jurisdiction(request: HttpRequest) -> None:
    given = request.GET.get("jurisdiction_id", "")
    if request.method == "POST":
        given = request.POST.get("jurisdiction_id", given)
    # The parameter is optional: this deployment serves one jurisdiction.
    if given.strip() and given.strip() != settings.SERVICEDESK["JURISDICTION_ID"]:
        raise Open311Error(404, _field_error("jurisdiction_id", _("not found")))


def endpoint(*methods: str) -> Callable:
    """Make ``handler(request, **url_args) -> Answer`` an Open311 view: the format from the
    extension (anything but .json and .xml is 404), the allowed methods (405), the rate limit
    (429) and the jurisdiction (404), and refusals written in the spec's error shape."""
    allowed = set(methods) | ({"HEAD"} if "GET" in methods else set())

    def decorate(handler: Callable[..., Answer]) -> Callable[..., HttpResponse]:
        # Clients are programs with an api_key, not browsers with a session: no CSRF token.
        @csrf_exempt
        @sensitive_post_parameters("api_key", "email", "phone", "first_name", "last_name")
        @wraps(handler)
        def view(request: HttpRequest, fmt: str, **kwargs: Any) -> HttpResponse:
            # Pages follow the language switch only; a client asks for its language with
            # Accept-Language, as on the JSON API (core.middleware.PlatformLocaleMiddleware).
            with translation.override(translation.get_language_from_request(request)):
                try:
                    if fmt not in CONTENT_TYPES:
                        fmt = "json"
                        raise Open311Error(404, _("Unknown format: ask for .json or .xml."))
                    if request.method not in allowed:
                        raise Open311Error(
                            405,
                            _("Method %(method)s is not allowed here.")
                            % {"method": request.method},
                            headers={"Allow": ", ".join(sorted(allowed))},
                        )
                    _check_rate(request)
                    _check_jurisdiction(request)
                    request.open311_format = fmt
                    answer = handler(request, **kwargs)
                except (SuspiciousOperation, MultiPartParserError):
                    # An oversized or malformed body (Django refuses it when POST is read).
                    answer = _error_answer(
                        Open311Error(400, _("The request body could not be read."))
                    )
                except Open311Error as error:
                    answer = _error_answer(error)
                response = _render(fmt, answer)
            patch_vary_headers(response, ("Accept-Language",))
            return response

        return view

    return decorate


@csrf_exempt
def not_found(request: HttpRequest) -> HttpResponse:
    """Any other path under /open311/v2/: the spec's 404, not the site's HTML page."""
    with translation.override(translation.get_language_from_request(request)):
        answer = _error_answer(
            Open311Error(
                404,
                _("No such Open311 endpoint: see services, requests and tokens."),
            )
        )
        return _render(_format_of(request.path), answer)


# ---------------------------------------------------------------------------------------------
# The catalogue


@endpoint("GET")
def services(request: HttpRequest) -> Answer:
    """GET services.json: every active service. ``metadata`` says the service asks questions
    (read them in its definition); ``group`` is its kind (complaint, information request...)."""
    has_attributes = ServiceAttribute.objects.filter(service=OuterRef("pk"))
    rows = (
        Service.objects.filter(active=True)
        .annotate(metadata=Exists(has_attributes))
        .order_by("category", "name", "code")
        .values("code", "name", "description", "metadata", "keywords", "category")
    )
    data = [
        {
            "service_code": row["code"],
            "service_name": row["name"],
            "description": row["description"],
            "metadata": row["metadata"],
            # Every request reaches the desk's queue as it is filed.
            "type": "realtime",
            "keywords": row["keywords"],
            "group": str(Category(row["category"]).label),
        }
        for row in rows
    ]
    return Answer(data, root="services", item="service")


@endpoint("GET")
def service_definition(request: HttpRequest, code: str) -> Answer:
    """GET services/{code}.json: the questions the service asks, to send as
    ``attribute[code]`` (``attribute[code][]`` for each choice of a multivaluelist)."""
    service = Service.objects.filter(active=True, code=code).prefetch_related("attributes").first()
    if service is None:
        raise Open311Error(404, _field_error("service_code", _("not found")))
    attributes = [
        {
            # Every question takes an answer (the spec's "variable": not a fixed notice).
            "variable": True,
            "code": attribute.code,
            "datatype": attribute.datatype,
            "required": attribute.required,
            "datatype_description": str(AttributeType(attribute.datatype).label),
            "order": attribute.order,
            "description": attribute.description,
            "values": [
                {"key": str(choice["key"]), "name": str(choice["name"])}
                for choice in attribute.values or []
            ],
        }
        for attribute in service.attributes.all()
    ]
    return Answer({"service_code": service.code, "attributes": attributes}, "service_definition")


# ---------------------------------------------------------------------------------------------
# Filing a request


def _decimal(text: str) -> Decimal | None:
    """A coordinate as given, or None when it is not a plain finite number."""
    if len(text) > 40:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _attributes(params: Any) -> dict[str, Any]:
    """The answers given as ``attribute[code]=v`` and ``attribute[code][]=v`` (a list)."""
    answers: dict[str, Any] = {}
    for name in params:
        match = ATTRIBUTE_PARAM.match(name)
        if match is None:
            continue
        code, as_list = match.group(1), bool(match.group(2))
        values = params.getlist(name)
        if as_list or len(values) > 1 or isinstance(answers.get(code), list):
            before = answers.get(code, [])
            answers[code] = [*(before if isinstance(before, list) else [before]), *values]
        else:
            answers[code] = values[0] if values else ""
    return answers


def _idempotency_key(request: HttpRequest, params: Any) -> str:
    """The retry key: the Idempotency-Key header, else device_id + client_token together."""
    header = request.headers.get("Idempotency-Key", "").strip()
    if header:
        if len(header) > MAX_IDEMPOTENCY_KEY:
            raise Open311Error(
                400,
                _field_error(
                    "Idempotency-Key",
                    _("At most %(n)s characters.") % {"n": MAX_IDEMPOTENCY_KEY},
                ),
            )
        return header
    device, token = params.get("device_id", "").strip(), params.get("client_token", "").strip()
    if device and token:
        # Both parts, unambiguously: ("a", "b:c") and ("a:b", "c") are different retries.
        return "device:" + json.dumps([device, token])
    return ""


# intake names most problems as Open311 does; these it names after the web form.
INTAKE_FIELDS = {
    "region": "address_id",
    "photos": "media_url",
    "idempotency_key": "Idempotency-Key",
}


def _post_errors(errors: dict[str, Any]) -> list[str]:
    descriptions = []
    for name, problem in errors.items():
        message = " ".join(problem) if isinstance(problem, list) else str(problem)
        if name == "location":
            name, message = "lat", _("Say where: give lat and long, address_string or address_id.")
        descriptions.append(_field_error(INTAKE_FIELDS.get(name, name), message))
    return descriptions


@endpoint("GET", "POST")
def requests(request: HttpRequest) -> Answer:
    """GET requests.json lists the public record of requests; POST files one."""
    if request.method == "POST":
        return _file_request(request)
    return _list_requests(request)


def _file_request(request: HttpRequest) -> Answer:
    """POST requests.json: file a request for a citizen, through the same intake as the web
    form. 201 with the tracking number and token; 200 with the same answer for a retry."""
    params = request.POST
    client = keys.client_for_key(params.get("api_key", "").strip())
    if client is None:
        raise Open311Error(403, _field_error("api_key", _("missing, unknown or revoked")))

    code = params.get("service_code", "").strip()
    if not code:
        raise Open311Error(400, _field_error("service_code", _("not provided")))
    # Inactive services are found too: intake says they no longer take requests.
    service = Service.objects.filter(code=code).select_related("opd").first()
    if service is None:
        raise Open311Error(400, _field_error("service_code", _("not found")))

    problems: dict[str, str] = {}
    point: dict[str, Decimal | None] = {}
    for name in ("lat", "long"):
        text = params.get(name, "").strip()
        point[name] = _decimal(text) if text else None
        if text and point[name] is None:
            problems[name] = _("Give a number.")
    if problems:
        # A malformed coordinate is reported as such, not as a missing one.
        point = {"lat": None, "long": None}

    new = NewRequest(
        service=service,
        description=params.get("description", ""),
        region=None,  # intake finds the kelurahan from the point
        latitude=point["lat"],
        longitude=point["long"],
        address_string=params.get("address_string", ""),
        address_id=params.get("address_id", ""),
        first_name=params.get("first_name", ""),
        last_name=params.get("last_name", ""),
        phone=params.get("phone", ""),
        email=params.get("email", ""),
        attributes=_attributes(params),
        media_url=params.get("media_url", "").strip(),
        channel=Channel.OPEN311,
        client_key=client,
        device_id=params.get("device_id", "").strip(),
        account_id=params.get("account_id", "").strip(),
        idempotency_key=_idempotency_key(request, params),
    )
    if problems:
        # Check the rest too, so the client can correct everything at once; nothing is saved.
        _cleaned, errors = check_request(new)
        errors.pop("location", None)
        errors.pop("lat", None)
        errors.pop("long", None)
        raise Open311Error(400, *_post_errors({**problems, **errors}))
    try:
        filed, created = submit_request(new)
    except ValidationError as refused:
        raise Open311Error(400, *_post_errors(refused.message_dict)) from None
    data = [
        {
            "service_request_id": filed.number,
            "token": filed.public_token,
            "service_notice": "",
            "account_id": None,
        }
    ]
    return Answer(data, root="service_requests", item="request", status=201 if created else 200)


# ---------------------------------------------------------------------------------------------
# The public record of requests


def _public_requests() -> QuerySet:
    """Requests as the public record reads them, in one query: complaints and aspirations only
    (``PUBLIC_CATEGORIES``), only public columns (never
    contact details or the status link's secret), the service, OPD and main request joined, and
    the newest public note of the request or of the main request it follows."""
    # A reopening's reason is the citizen's own words, written for the OPD on their status
    # page, not for the open record: the record only says that the request was reopened.
    note = Case(
        When(kind=EventKind.REOPEN, then=Value(_("Reopened: the reporter says it is not done."))),
        default=F("text"),
        output_field=TextField(),
    )
    notes = (
        RequestEvent.objects.filter(
            Q(request=OuterRef("pk")) | Q(request=OuterRef("merged_into")), public=True
        )
        .exclude(text="")
        .order_by("-at", "-pk")
        .values(note=note)[:1]
    )
    public = ServiceRequest.objects.filter(service__category__in=PUBLIC_CATEGORIES)
    return public.annotate(notes=Subquery(notes)).values(
        "number",
        "status",
        "merged_into_id",
        "merged_into__status",
        "merged_into__due_at",
        "merged_into__updated_at",
        "service__code",
        "service__name",
        "opd__name",
        "description",
        "submitted_at",
        "updated_at",
        "due_at",
        "address_string",
        "address_id",
        "latitude",
        "longitude",
        "media_url",
        "notes",
    )


def _public_request(row: dict[str, Any]) -> dict[str, Any]:
    """One request in the spec's representation."""
    updated, due, status = row["updated_at"], row["due_at"], row["status"]
    if row["merged_into_id"] is not None:
        # A duplicate follows its main request: its progress is the main request's.
        status, due = row["merged_into__status"], row["merged_into__due_at"]
        updated = max(updated, row["merged_into__updated_at"])
    latitude, longitude = row["latitude"], row["longitude"]
    return {
        "service_request_id": row["number"],
        "status": "open" if status in OPEN_STATUSES else "closed",
        "status_notes": row["notes"] or "",
        "service_name": row["service__name"],
        "service_code": row["service__code"],
        "description": row["description"][:MAX_DESCRIPTION],
        "agency_responsible": row["opd__name"],
        "service_notice": "",
        "requested_datetime": _datetime(row["submitted_at"]),
        "updated_datetime": _datetime(updated),
        "expected_datetime": _datetime(due),
        "address": row["address_string"],
        "address_id": row["address_id"],
        "zipcode": "",
        "lat": float(latitude) if latitude is not None else None,
        "long": float(longitude) if longitude is not None else None,
        "media_url": row["media_url"] or None,
    }


def _date_param(request: HttpRequest, name: str) -> dt.datetime | None:
    text = request.GET.get(name, "").strip()
    if not text:
        return None
    try:
        moment = parse_datetime(text)
    except ValueError:  # well formed but impossible, such as month 13
        moment = None
    if moment is None:
        raise Open311Error(
            400,
            _field_error(name, _("Give a date and time such as 2026-11-02T09:00:00+07:00.")),
        )
    if timezone.is_naive(moment):
        # Without an offset, the client means the city's time.
        moment = moment.replace(tzinfo=local_zone())
    return moment


def _limit_param(request: HttpRequest) -> int:
    text = request.GET.get("limit", "").strip()
    if not text:
        return DEFAULT_LIMIT
    limit = int(text) if text.isdecimal() and len(text) <= 4 else 0
    if not 1 <= limit <= MAX_LIMIT:
        raise Open311Error(
            400,
            _field_error("limit", _("Give a whole number from 1 to %(n)s.") % {"n": MAX_LIMIT}),
        )
    return limit


def _list_parameter(request: HttpRequest, name: str) -> list[str]:
    """A comma-separated parameter as its non-empty entries."""
    return [part.strip() for part in request.GET.get(name, "").split(",") if part.strip()]


def _status_filter(request: HttpRequest) -> Q | None:
    wanted = {part.lower() for part in _list_parameter(request, "status")}
    if not wanted:
        return None
    if not wanted <= {"open", "closed"}:
        raise Open311Error(400, _field_error("status", _("Give open, closed or both.")))
    if wanted == {"open", "closed"}:
        return None
    statuses = OPEN_STATUSES if wanted == {"open"} else FINISHED_STATUSES
    # A merged duplicate is as open as its main request.
    return Q(merged_into__isnull=True, status__in=statuses) | Q(merged_into__status__in=statuses)


# ---------------------------------------------------------------------------------------------
# The public record's cache
#
# Civic apps poll the same few lists again and again; building a 200-row page in Python costs
# about ten times what serving it from the cache does. A page is cached under the record's
# version, which every save of a request, a timeline event or a service changes, so a cached
# page is never older than the record (and at most LIST_CACHE_SECONDS old for the sliding
# 90-day window).

LIST_CACHE_SECONDS = 30
RECORD_VERSION_KEY = "open311:record-version"


def record_version() -> int:
    version = cache.get(RECORD_VERSION_KEY)
    if version is None:
        version = time.time_ns()
        cache.add(RECORD_VERSION_KEY, version, None)
    return version


@receiver([post_save, post_delete], sender=ServiceRequest)
@receiver([post_save, post_delete], sender=RequestEvent)
@receiver([post_save, post_delete], sender=Service)
def _record_changed(**kwargs: Any) -> None:
    # After the commit: a list built before it must not be cached under the new version. Once
    # per transaction: filing a request saves three rows, and each cache write costs the file
    # cache a directory listing.
    pending = transaction.get_connection().run_on_commit
    if not any(callback is _bump_record_version for _sids, callback, _robust in pending):
        transaction.on_commit(_bump_record_version)


def _bump_record_version() -> None:
    cache.set(RECORD_VERSION_KEY, time.time_ns(), None)


def _list_requests(request: HttpRequest) -> Answer:
    """GET requests.json: the newest requests first, from the cache when the record has not
    changed since the same list was built."""
    fmt = request.open311_format
    query = sorted((k, v) for k, values in request.GET.lists() for v in values)
    key = (
        "open311:list:"
        + hashlib.sha256(
            f"{record_version()}|{fmt}|{translation.get_language()}|{query}".encode()
        ).hexdigest()
    )
    body = cache.get(key)
    if body is None:
        body = _body(fmt, _build_list(request))
        cache.set(key, body, LIST_CACHE_SECONDS)
    return Answer([], root="service_requests", item="request", body=body)


def _build_list(request: HttpRequest) -> Answer:
    """The list itself. ``service_request_id`` (comma-separated tracking numbers) picks
    requests and overrides the other filters; else ``service_code``, ``status``,
    ``start_date`` and ``end_date`` filter, within the last 90 days unless dates are given."""
    limit = _limit_param(request)
    rows = _public_requests()
    numbers = _list_parameter(request, "service_request_id")
    if numbers:
        rows = rows.filter(number__in=numbers)
    else:
        start, end = _date_param(request, "start_date"), _date_param(request, "end_date")
        if start and end and end < start:
            raise Open311Error(400, _field_error("end_date", _("It is before start_date.")))
        if start is None:
            # The spec's default window, kept when only end_date is given, so every list reads
            # a bounded stretch of the submitted_at index.
            start = (end or timezone.now()) - dt.timedelta(days=DEFAULT_DAYS)
        rows = rows.filter(submitted_at__gte=start)
        if end is not None:
            rows = rows.filter(submitted_at__lte=end)
        codes = _list_parameter(request, "service_code")
        if codes:
            # By id, so that one service's list reads the (service, submitted_at) index.
            services = list(Service.objects.filter(code__in=codes).values_list("pk", flat=True))
            if not services:
                return Answer([], root="service_requests", item="request")
            rows = rows.filter(service_id__in=services)
        status = _status_filter(request)
        if status is not None:
            rows = rows.filter(status)
    rows = rows.order_by("-submitted_at", "-pk")[:limit]
    data = [_public_request(row) for row in rows]
    return Answer(data, root="service_requests", item="request")


@endpoint("GET")
def request_detail(request: HttpRequest, number: str) -> Answer:
    """GET requests/{service_request_id}.json: one request, as a one-element list."""
    row = _public_requests().filter(number=number).first()
    if row is None:
        raise Open311Error(404, _field_error("service_request_id", _("not found")))
    return Answer([_public_request(row)], root="service_requests", item="request")


@endpoint("GET")
def token_lookup(request: HttpRequest, token: str) -> Answer:
    """GET tokens/{token}.json: the tracking number of the request a client filed, from the
    token it was given."""
    number = (
        ServiceRequest.objects.filter(public_token=token).values_list("number", flat=True).first()
    )
    if number is None:
        raise Open311Error(404, _field_error("token", _("not found")))
    data = [{"service_request_id": number, "token": token}]
    return Answer(data, root="service_requests", item="request")
