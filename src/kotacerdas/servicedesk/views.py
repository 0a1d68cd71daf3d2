"""The staff pages of PECUT: the queue, a request with its actions, the monitoring room, the
service catalogue, the working-day calendar and the Open311 client keys. Permissions are the
functions of ``rules``; writes go through ``workflow`` and ``catalogue``."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kotacerdas.core import access, regions
from kotacerdas.core.choices import RegionLevel
from kotacerdas.core.models import Opd, Region
from kotacerdas.core.personal import mask_email, mask_phone, record_access
from kotacerdas.core.views import administrator_required, staff_required
from kotacerdas.servicedesk import catalogue, keys, rules, stats, workflow
from kotacerdas.servicedesk.choices import HolidayKind, Status
from kotacerdas.servicedesk.duplicates import suggest_duplicates
from kotacerdas.servicedesk.forms import HolidayForm, ServiceForm
from kotacerdas.servicedesk.models import (
    ClientKey,
    Holiday,
    RequestPhoto,
    Service,
    ServiceRequest,
)

PAGE_SIZE = 50
# The shape of a Kemendagri region code, as far as the queue's filter needs to know.


def _visible(request: HttpRequest, number: str) -> ServiceRequest:
    """The request, if the reader may see it; otherwise 404, so its existence is not told."""
    found = rules.visible_requests(request.user).filter(number=number).first()
    if found is None:
        raise Http404
    return found


def region_choices(user: Any) -> list[tuple[str, str, bool]]:
    """The places the queue can be filtered by, as (code, name, is a kecamatan), in code order
    so that each kecamatan heads its kelurahan: the area a kecamatan or kelurahan office
    serves, or the whole city for everyone else."""
    area = access.area_of(user) or settings.KOTACERDAS_REGION
    places = Region.objects.filter(
        regions.within("code", area),
        level__in=[RegionLevel.DISTRICT, RegionLevel.VILLAGE],
    ).order_by("code")
    return [
        (code, name, level == RegionLevel.DISTRICT)
        for code, name, level in places.values_list("code", "name", "level")
    ]


@staff_required
@require_safe
def queue(request: HttpRequest) -> HttpResponse:
    """The work list: for the desk every request (new ones first to triage), for an OPD officer
    their OPD's queue (and a kecamatan or kelurahan office the requests located in its area),
    for executives everything to read. Filters by status, OPD, service, region (``region``: a
    kecamatan or kelurahan code, the region and everything in it), text and overdue; oldest
    deadline first."""
    requests = rules.visible_requests(request.user).select_related("merged_into")
    filters = {key: request.GET.get(key, "") for key in ("status", "opd", "service", "region", "q")}
    if filters["status"] == "open" or not filters["status"]:
        requests = requests.open()
    elif filters["status"] in Status.values:
        requests = requests.filter(status=filters["status"])
    if filters["opd"]:
        requests = requests.filter(opd__code=filters["opd"])
    if filters["service"]:
        requests = requests.filter(service__code=filters["service"])
    if filters["region"]:
        # A value that is no region code simply matches nothing.
        requests = (
            requests.filter(regions.within("region__code", filters["region"]))
            if regions.REGION_CODE.fullmatch(filters["region"])
            else requests.none()
        )
    if request.GET.get("overdue"):
        requests = requests.filter(due_at__lt=timezone.now())
    if filters["q"]:
        text = filters["q"].strip()
        requests = requests.filter(
            Q(number__iexact=text)
            | Q(description__icontains=text)
            | Q(region__name__icontains=text)
        )
    page = Paginator(requests.order_by("due_at", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "servicedesk/queue.html",
        {
            "page": page,
            "filters": filters,
            "overdue": bool(request.GET.get("overdue")),
            "statuses": [("open", _("All open")), *Status.choices],
            "opds": Opd.objects.filter(service_requests__isnull=False).distinct()
            if rules.reads_all(request.user)
            else [],
            "services": Service.objects.filter(active=True),
            "regions": region_choices(request.user),
            "is_desk": rules.is_desk(request.user),
            "now": timezone.now(),
            "to_triage": rules.visible_requests(request.user)
            .filter(status__in=[Status.SUBMITTED, Status.VERIFIED], merged_into__isnull=True)
            .count()
            if rules.is_desk(request.user)
            else None,
        },
    )


def _contact(user: Any, filed: ServiceRequest, reveal: bool) -> dict[str, Any]:
    """What the reader sees of the citizen: masked by default; unmasked only on request, for
    whoever ``rules.sees_contact`` allows, and then recorded."""
    if not rules.sees_contact(user, filed):
        return {"hidden": True, "anonymous": filed.anonymous}
    if reveal:
        record_access(user, filed, ["name", "phone", "email"], "view")
        return {
            "name": filed.contact_name,
            "phone": filed.phone,
            "email": filed.email,
            "revealed": True,
        }
    return {
        "name": filed.first_name[:1] + "…" if filed.first_name else "",
        "phone": mask_phone(filed.phone) if filed.phone else "",
        "email": mask_email(filed.email) if filed.email else "",
        "revealed": False,
    }


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def detail(request: HttpRequest, number: str) -> HttpResponse:
    """One request: what the citizen asked, where, the deadline, the whole timeline (internal
    notes included), the actions the reader may take, and for the desk the possible duplicates.
    Posting ``reveal`` shows the contact unmasked (and records that it was seen)."""
    filed = _visible(request, number)
    user = request.user
    reveal = request.method == "POST" and request.POST.get("action") == "reveal"
    is_desk, works_on = rules.is_desk(user), rules.works_on(user, filed)
    status = filed.status
    can_act = (is_desk or works_on) and filed.merged_into_id is None
    context = {
        "filed": filed,
        "area_reader": not (is_desk or works_on) and rules.reads_in_area(user, filed),
        "events": filed.events.select_related("actor", "opd"),
        "photos": filed.photos.all(),
        "duplicates": filed.duplicates.all(),
        "contact": _contact(user, filed, reveal),
        "is_desk": is_desk,
        "now": timezone.now(),
        "actions": {
            "verify": can_act and is_desk and status == Status.SUBMITTED,
            "assign": can_act and is_desk and status in (Status.SUBMITTED, Status.VERIFIED),
            "reject": can_act
            and is_desk
            and status in (Status.SUBMITTED, Status.VERIFIED, Status.ASSIGNED),
            "start": can_act and status == Status.ASSIGNED,
            "resolve": can_act and status in (Status.ASSIGNED, Status.IN_PROGRESS),
            "transfer": can_act and status in (Status.ASSIGNED, Status.IN_PROGRESS),
            "close": can_act and status == Status.RESOLVED,
            "update": can_act,
        },
        "opds": Opd.objects.filter(active=True).order_by("name"),
        "suggestions": suggest_duplicates(filed)
        if is_desk and filed.is_open and filed.merged_into_id is None
        else [],
        "errors": {},
    }
    return render(request, "servicedesk/detail.html", context)


@staff_required
@require_POST
def act(request: HttpRequest, number: str) -> HttpResponse:
    """One step of the workflow, posted from the request's page. A refusal comes back on the
    page with the reason beside the form (400); a permission refusal is 403."""
    filed = _visible(request, number)
    user, post = request.user, request.POST
    action = post.get("action", "")
    opd = None
    if post.get("opd"):
        opd = Opd.objects.filter(code=post["opd"]).first()
    try:
        if action == "verify":
            workflow.verify(user, filed)
        elif action == "assign":
            workflow.assign(user, filed, opd)
        elif action == "start":
            workflow.start(user, filed)
        elif action == "resolve":
            workflow.resolve(user, filed, post.get("answer", ""))
        elif action == "close":
            workflow.close(filed, actor=user)
        elif action == "reject":
            workflow.reject(user, filed, post.get("reason", ""))
        elif action == "transfer":
            if opd is None:
                raise ValidationError({"opd": _("Choose the OPD.")})
            workflow.transfer(user, filed, opd, post.get("reason", ""))
        elif action in ("update", "note"):
            workflow.add_update(user, filed, post.get("text", ""), public=action == "update")
        elif action == "merge":
            main = rules.visible_requests(user).filter(number=post.get("into", "")).first()
            if main is None:
                raise ValidationError({"main": _("No request with this number.")})
            workflow.merge(user, filed, main)
        else:
            raise Http404
    except ValidationError as error:
        for field, problems in error.message_dict.items():
            for problem in problems:
                messages.error(request, f"{field}: {problem}" if field != "__all__" else problem)
        return redirect("servicedesk:detail", number=number)
    messages.success(request, _("Saved."))
    return redirect("servicedesk:detail", number=number)


@staff_required
@require_safe
def staff_photo(request: HttpRequest, number: str, photo_id: int) -> FileResponse:
    filed = _visible(request, number)
    item = get_object_or_404(RequestPhoto, pk=photo_id, request=filed)
    return FileResponse(item.image.open("rb"), filename=item.image.name)


# ---------------------------------------------------------------------------------------------
# Monitoring room


def _period(request: HttpRequest) -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    start = parse_date(request.GET.get("from", "") or "") or today - dt.timedelta(days=29)
    end = parse_date(request.GET.get("to", "") or "") or today
    return (start, end) if start <= end else (end, start)


@staff_required
@require_safe
def monitoring(request: HttpRequest) -> HttpResponse:
    """The command centre's live page: open requests by status, OPD and kelurahan, their ageing,
    SLA compliance per OPD and service, today's intake, the weekly trend and the services
    that fail most. Refreshes itself every minute (htmx, or a plain reload without it)."""
    requests = rules.visible_requests(request.user)
    start, end = _period(request)
    now = timezone.now()
    by_service = stats.figures_by(requests, "service", start, end, now)
    trend = stats.weekly_trend(requests, 12, now)
    context = {
        "start": start,
        "end": end,
        "city": stats.city_figures(requests, start, end, now),
        "today": stats.intake_today(requests, now),
        "by_status": [(Status(s).label, n) for s, n in stats.open_by_status(requests).items()],
        "by_opd": stats.figures_by(requests, "opd", start, end, now),
        "by_region": sorted(
            stats.figures_by(requests, "region", start, end, now), key=lambda f: -f.open
        )[:15],
        "by_service": by_service,
        "worst": stats.worst_services(by_service),
        "ageing": stats.ageing(requests, now),
        "trend": trend,
        "trend_chart": json.dumps(
            {
                "labels": [date_format(week[0], "j M") for week in trend],
                "received": [week[1] for week in trend],
                "resolved": [week[2] for week in trend],
                "receivedLabel": _("Received"),
                "resolvedLabel": _("Resolved"),
            }
        ),
        "now": now,
    }
    template = (
        "servicedesk/_monitoring_panels.html"
        if request.headers.get("HX-Request")
        else "servicedesk/monitoring.html"
    )
    return render(request, template, context)


# ---------------------------------------------------------------------------------------------
# Catalogue, calendar, client keys


@staff_required
@require_safe
def services(request: HttpRequest) -> HttpResponse:
    """The catalogue as staff see it, with the number of open requests per service."""
    rows = Service.objects.select_related("opd", "pillar").order_by("opd__name", "name")
    return render(
        request,
        "servicedesk/services.html",
        {
            "services": rows,
            "can_add": access.is_administrator(request.user),
            "editable": {s.pk for s in rows if rules.can_manage_service(request.user, s)},
        },
    )


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def service_edit(request: HttpRequest, code: str | None = None) -> HttpResponse:
    service = get_object_or_404(Service, code=code) if code else Service()
    if code is None and not access.is_administrator(request.user):
        raise PermissionDenied
    if code is not None and not rules.can_manage_service(request.user, service):
        raise PermissionDenied
    form = ServiceForm(request.POST or None, instance=service)
    if request.method == "POST" and form.is_valid():
        try:
            saved = catalogue.save_service(request.user, form.save(commit=False))
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(request, _("Saved."))
            return redirect("servicedesk:service-edit", code=saved.code)
    return render(
        request,
        "servicedesk/service_edit.html",
        {"form": form, "service": service if code else None},
        status=400 if form.errors else 200,
    )


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def holidays(request: HttpRequest) -> HttpResponse:
    """The working-day calendar: every administrator can add a day off (a revised decree, a
    local holiday) or remove one; everyone on the staff can read it."""
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() else timezone.localdate().year
    form = HolidayForm(request.POST or None)
    if request.method == "POST":
        if request.POST.get("remove"):
            holiday = get_object_or_404(Holiday, pk=request.POST["remove"])
            catalogue.remove_holiday(request.user, holiday)
            messages.success(request, _("Removed."))
            return redirect(f"{request.path}?year={holiday.date.year}")
        if form.is_valid():
            try:
                added = catalogue.add_holiday(
                    request.user,
                    form.cleaned_data["date"],
                    form.cleaned_data["name"],
                    form.cleaned_data["kind"],
                )
            except ValidationError as error:
                for field, problems in error.message_dict.items():
                    for problem in problems:
                        form.add_error(field if field in form.fields else None, problem)
            else:
                messages.success(request, _("Added."))
                return redirect(f"{request.path}?year={added.date.year}")
    return render(
        request,
        "servicedesk/holidays.html",
        {
            "year": year,
            "holidays": Holiday.objects.filter(date__year=year),
            "form": form,
            "can_edit": access.is_administrator(request.user),
            "kinds": HolidayKind,
        },
        status=400 if form.errors else 200,
    )


@administrator_required
@require_http_methods(["GET", "HEAD", "POST"])
def client_keys(request: HttpRequest) -> HttpResponse:
    """Open311 client keys: issue one (shown once) or revoke one."""
    issued = None
    if request.method == "POST":
        if request.POST.get("revoke"):
            key = get_object_or_404(ClientKey, pk=request.POST["revoke"])
            keys.revoke_key(key)
            messages.success(request, _("Revoked."))
            return redirect("servicedesk:client-keys")
        name = request.POST.get("name", "").strip()
        if not name:
            messages.error(request, _("Give the client application's name."))
        else:
            issued = keys.issue_key(name, created_by=request.user)
    return render(
        request,
        "servicedesk/client_keys.html",
        {"keys": ClientKey.objects.select_related("created_by"), "issued": issued},
    )
