"""PECUT's public pages at /layanan/: the catalogue, the form, and the citizen's status page.

They work on a cheap phone without JavaScript and without an account: plain forms that post back
to themselves, errors beside the field they concern. The status page is reached only through the
secret link given at submission; it shows the public timeline and never another person's data.
The rules are in ``intake``, ``workflow`` and ``ikm``.
"""

from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_safe

from kotacerdas.core.models import Region
from kotacerdas.core.views import limited, too_many_requests
from kotacerdas.core.villages import villages_by_district
from kotacerdas.servicedesk import ikm, intake, workflow
from kotacerdas.servicedesk.choices import Category, EventKind, Status
from kotacerdas.servicedesk.models import RequestEvent, RequestPhoto, Service, ServiceRequest
from kotacerdas.servicedesk.photos import MAX_PHOTOS

# The answers to each IKM question, worst to best, in the words of the standard questionnaire.
RATING_SCALE = (
    (1, gettext_lazy("Poor")),
    (2, gettext_lazy("Fair")),
    (3, gettext_lazy("Good")),
    (4, gettext_lazy("Very good")),
)


@require_safe
def catalogue(request: HttpRequest) -> HttpResponse:
    """What a citizen can ask for, by category, with what each needs, costs and takes."""
    services = Service.objects.filter(active=True).select_related("opd")
    query = request.GET.get("q", "").strip()[:100]
    if query:
        services = services.filter(
            Q(name__icontains=query)
            | Q(description__icontains=query)
            | Q(keywords__icontains=query)
        )
    groups = [
        (label, [s for s in services if s.category == value]) for value, label in Category.choices
    ]
    return render(
        request,
        "servicedesk/public/catalogue.html",
        {"groups": [(label, items) for label, items in groups if items], "query": query},
    )


@login_required
@require_safe
def my_requests(request: HttpRequest) -> HttpResponse:
    """The requests the signed-in person filed while signed in, newest first, each with its
    status and its status page."""
    mine = (
        ServiceRequest.objects.filter(account=request.user)
        .select_related("service", "merged_into")
        .order_by("-submitted_at")
    )
    return render(request, "servicedesk/public/mine.html", {"requests": mine})


def _decimal(text: str) -> Decimal | None:
    text = text.strip().replace(",", ".")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError from None
    if not value.is_finite():
        raise ValueError
    return value


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@sensitive_post_parameters("phone", "email", "first_name", "last_name")
def submit(request: HttpRequest, code: str) -> HttpResponse:
    """The form for one service. A double tap on "send" files one request: the form carries an
    idempotency key, and the second post finds the request the first one made."""
    service = get_object_or_404(
        Service.objects.select_related("opd").prefetch_related("attributes"), code=code, active=True
    )
    posted: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        if limited(request, "web_submit", "public_write"):
            return too_many_requests(request)
        posted = request.POST
        new, errors = _new_request(request, service)
        if errors:
            # Name every other problem too, so the citizen corrects the form once.
            _cleaned, more = intake.check_request(new)
            errors = {**{f: [m] for f, m in more.items()}, **errors}
        else:
            try:
                filed, _created = intake.submit_request(new)
            except ValidationError as error:
                errors = error.message_dict
            else:
                messages.success(
                    request,
                    _(
                        "Your request has been received. Keep this page's address: it is the only "
                        "way to follow your request without an account."
                    ),
                )
                return redirect("servicedesk-public:status", secret=filed.access_secret)
    attributes = [
        {
            "attribute": attribute,
            "value": posted.get(f"attribute[{attribute.code}]", "") if posted else "",
            "values": posted.getlist(f"attribute[{attribute.code}]") if posted else [],
            "errors": errors.get(f"attribute[{attribute.code}]", []),
        }
        for attribute in service.attributes.all()
    ]
    return render(
        request,
        "servicedesk/public/submit.html",
        {
            "service": service,
            "villages": villages_by_district(),
            "attributes": attributes,
            "posted": posted,
            "errors": errors,
            "location_errors": errors.get("location", []) + errors.get("region", []),
            "idempotency_key": posted.get("idempotency_key") or uuid.uuid4().hex,
            "max_photos": MAX_PHOTOS,
            "is_complaint": service.category == Category.COMPLAINT,
        },
        status=400 if errors else 200,
    )


def _new_request(
    request: HttpRequest, service: Service
) -> tuple[intake.NewRequest, dict[str, list[str]]]:
    """The form's fields as a NewRequest, with the problems the form itself can see (a number
    that is not a number); the rest is checked by ``intake``."""
    post = request.POST
    errors: dict[str, list[str]] = {}
    region = None
    if post.get("region"):
        region = Region.objects.filter(code=post["region"]).first()
        if region is None:
            errors["region"] = [_("Pick a kelurahan from the list.")]
    coordinates: dict[str, Decimal | None] = {}
    for name in ("lat", "long"):
        try:
            coordinates[name] = _decimal(post.get(name, ""))
        except ValueError:
            errors[name] = [_("Give a number such as -7.8166.")]
            coordinates[name] = None
    attributes: dict[str, Any] = {}
    for attribute in service.attributes.all():
        key = f"attribute[{attribute.code}]"
        values = [v for v in post.getlist(key) if v.strip()]
        if values:
            attributes[attribute.code] = (
                values if attribute.datatype == "multivaluelist" else values[0]
            )
    new = intake.NewRequest(
        service=service,
        description=post.get("description", ""),
        region=region,
        latitude=coordinates["lat"],
        longitude=coordinates["long"],
        address_string=post.get("address_string", ""),
        first_name=post.get("first_name", ""),
        last_name=post.get("last_name", ""),
        phone=post.get("phone", ""),
        email=post.get("email", ""),
        anonymous=bool(post.get("anonymous")),
        attributes=attributes,
        photos=[f for f in request.FILES.getlist("photos") if f.size],
        channel="web",
        account=request.user if request.user.is_authenticated else None,
        idempotency_key=post.get("idempotency_key", "")[:64],
    )
    return new, errors


def _timeline(filed) -> list[RequestEvent]:
    """The public events the citizen sees: their own request's, and once it was merged, the
    main request's too (they share its updates)."""
    events = RequestEvent.objects.filter(public=True).select_related("opd")
    if filed.merged_into_id:
        events = events.filter(Q(request=filed) | Q(request_id=filed.merged_into_id))
    else:
        events = events.filter(request=filed)
    return list(events.order_by("at", "pk"))


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def status(request: HttpRequest, secret: str) -> HttpResponse:
    """The citizen's status page: where the request stands, its public timeline, and once it is
    resolved the buttons to confirm, reopen or rate the service. Reached only by the secret
    link; the page is never cached and asks search engines not to index it."""
    if limited(request, "status_read", "public_read"):
        return too_many_requests(request)
    filed = intake.find_by_secret(secret)
    if filed is None:
        raise Http404
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        if limited(request, "status_write", "public_write"):
            return too_many_requests(request)
        action = request.POST.get("action")
        try:
            if action == "confirm":
                workflow.close(filed)
                messages.success(request, _("Thank you: the request is closed."))
            elif action == "reopen":
                workflow.reopen(filed, request.POST.get("reason", ""))
                messages.success(request, _("The request is open again and back with the OPD."))
            elif action == "rate":
                answers = {f"u{i}": request.POST.get(f"u{i}", "") for i in range(1, 10)}
                ikm.rate_request(filed, answers, request.POST.get("comment", ""))
                messages.success(request, _("Thank you for rating the service."))
            else:
                raise Http404
        except ValidationError as error:
            errors = error.message_dict
        else:
            return redirect(request.path)
    main = filed.main
    resolved = main.status in (Status.RESOLVED, Status.CLOSED)
    can_rate = resolved and not hasattr(filed, "rating")
    response = render(
        request,
        "servicedesk/public/status.html",
        {
            "filed": filed,
            "main": main,
            "events": _timeline(filed),
            "photos": filed.photos.all(),
            "secret": secret,
            "errors": errors,
            "posted": request.POST if errors else {},
            "can_confirm": main.status == Status.RESOLVED and not filed.merged_into_id,
            "can_reopen": resolved and not filed.merged_into_id,
            "can_rate": can_rate,
            "questions": [
                {
                    "code": code,
                    "label": ikm.element_label(code),
                    "chosen": request.POST.get(code, "") if errors else "",
                    "errors": errors.get(code, []),
                }
                for code in ikm.ELEMENTS
            ]
            if can_rate
            else [],
            "scale": RATING_SCALE,
            "event_kinds": EventKind,
        },
        status=400 if errors else 200,
    )
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_safe
def photo(request: HttpRequest, secret: str, photo_id: int) -> FileResponse:
    """One of the citizen's own photos, for their status page."""
    filed = intake.find_by_secret(secret)
    if filed is None:
        raise Http404
    item = get_object_or_404(RequestPhoto, pk=photo_id, request=filed)
    return FileResponse(item.image.open("rb"), as_attachment=False, filename=item.image.name)
