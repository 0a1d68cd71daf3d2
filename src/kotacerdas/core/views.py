"""The core web pages: the public home, the staff area, reference data, account and audit."""

from __future__ import annotations

import logging
from functools import wraps
from typing import Any

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from kotacerdas.core import access, ratelimit
from kotacerdas.core.choices import RegionLevel
from kotacerdas.core.forms import SignUpForm, TokenForm, opd_form_class
from kotacerdas.core.middleware import api_error
from kotacerdas.core.models import Opd, Pillar, Region
from kotacerdas.core.modules import MODULES, MODULES_BY_SLUG
from kotacerdas.core.opds import update_opd
from kotacerdas.core.tokens import issue_token, revoke_token

logger = logging.getLogger(__name__)


def requires(check, view):
    """Signed in and passing ``check``; anonymous visitors go to the sign-in page, the rest
    are refused."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not check(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def staff_required(view):
    """Any role opens the staff area; what each page shows depends on the role."""
    return requires(access.is_staff_member, view)


def administrator_required(view):
    return requires(access.is_administrator, view)


def home(request: HttpRequest) -> HttpResponse:
    """The citizens' front page: what the city offers here, and the city's basic facts."""
    region = Region.objects.filter(code=settings.KOTACERDAS_REGION).first()
    counts = {}
    if region is not None:
        counts = Region.objects.filter(code__startswith=f"{region.code}.").aggregate(
            districts=Count("code", filter=Q(level=RegionLevel.DISTRICT)),
            villages=Count("code", filter=Q(level=RegionLevel.VILLAGE)),
        )
    return render(
        request,
        "core/home.html",
        {"region": region, "counts": counts, "pillars": Pillar.objects.all()},
    )


@staff_required
def staff_home(request: HttpRequest) -> HttpResponse:
    roles = sorted(role.label for role in access.roles_of(request.user))
    return render(request, "core/staff_home.html", {"modules": MODULES, "roles": roles})


@staff_required
def module_page(request: HttpRequest, slug: str) -> HttpResponse:
    module = MODULES_BY_SLUG.get(slug)
    if module is None:
        raise Http404
    if module.url_name:
        return redirect(module.url_name)
    return render(request, "core/module.html", {"module": module})


@staff_required
def regions(request: HttpRequest) -> HttpResponse:
    """The deployment region's kecamatan and kelurahan, and a search over all of Indonesia."""
    region = get_object_or_404(Region, code=settings.KOTACERDAS_REGION)
    districts = region.children.prefetch_related("children")
    query = request.GET.get("q", "").strip()
    results = Region.objects.filter(name__icontains=query)[:50] if len(query) >= 3 else None
    context = {"region": region, "districts": districts, "query": query, "results": results}
    if request.headers.get("HX-Request"):
        return render(request, "core/_region_results.html", context)
    return render(request, "core/regions.html", context)


@staff_required
def opd_list(request: HttpRequest) -> HttpResponse:
    opds = Opd.objects.select_related("region", "parent")
    kind = request.GET.get("kind", "")
    if kind:
        opds = opds.filter(kind=kind)
    return render(
        request,
        "core/opd_list.html",
        {"opds": opds, "kind": kind, "kinds": Opd._meta.get_field("kind").choices},
    )


@staff_required
def opd_detail(request: HttpRequest, code: str) -> HttpResponse:
    opd = get_object_or_404(Opd.objects.select_related("region", "parent"), code=code)
    return render(
        request,
        "core/opd_detail.html",
        {
            "opd": opd,
            "can_edit": bool(access.editable_opd_fields(request.user, opd)),
            "units": opd.units.all(),
        },
    )


@staff_required
def opd_edit(request: HttpRequest, code: str) -> HttpResponse:
    opd = get_object_or_404(Opd, code=code)
    fields = access.editable_opd_fields(request.user, opd)
    if not fields:
        raise PermissionDenied
    form_class = opd_form_class(fields)
    # The form edits a copy, so a refused change never leaves the record half-modified.
    form = form_class(request.POST or None, instance=Opd.objects.get(pk=opd.pk))
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        if changes:
            update_opd(request.user, opd, changes)
            messages.success(request, _("The OPD has been updated."))
        return redirect("core:opd-detail", code=opd.code)
    return render(request, "core/opd_edit.html", {"opd": opd, "form": form})


def limited(request: HttpRequest, scope: str, limit: str) -> bool:
    """Count one use of a public page by the client's address; True when over ``limit``."""
    return not ratelimit.hit(scope, ratelimit.client_address(request), ratelimit.limit_for(limit))


def too_many_requests(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "error.html",
        {"status": _("Too many requests"), "message": _("Please wait a while and try again.")},
        status=429,
    )


@login_required
def after_login(request: HttpRequest) -> HttpResponse:
    """Where signing in leads when no page asked for it: the staff area for staff, the account
    page for a citizen."""
    return redirect("core:staff-home" if access.is_staff_member(request.user) else "core:account")


@require_http_methods(["GET", "HEAD", "POST"])
@sensitive_post_parameters("password1", "password2", "email")
def signup(request: HttpRequest) -> HttpResponse:
    """A citizen creates an account (no role) to see the history of their own requests. Signs
    them in and goes on to ``next`` (a page of this site) or their account page. Limited per
    client address like the other public forms."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = ""
    if request.user.is_authenticated:
        return redirect(next_url or "core:account")
    form = SignUpForm(request.POST or None)
    if request.method == "POST":
        if limited(request, "signup", "public_write"):
            return too_many_requests(request)
        if form.is_valid():
            user = form.save()
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect(next_url or "core:account")
    return render(
        request,
        "registration/signup.html",
        {"form": form, "next": next_url},
        status=400 if form.errors else 200,
    )


@login_required
def account(request: HttpRequest) -> HttpResponse:
    """The signed-in user's account: roles, OPD, password and personal API tokens."""
    new_secret = None
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        issued = issue_token(request.user, form.cleaned_data["name"])
        new_secret = issued.secret
        form = TokenForm()
    return render(
        request,
        "core/account.html",
        {
            "roles": sorted(role.label for role in access.roles_of(request.user)),
            "tokens": request.user.api_tokens.all(),
            "form": form,
            "new_secret": new_secret,
        },
    )


@login_required
@require_POST
def revoke_api_token(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(request.user.api_tokens, pk=pk)
    revoke_token(token)
    messages.success(request, _("The token has been revoked."))
    return redirect("core:account")


@administrator_required
def audit_trail(request: HttpRequest) -> HttpResponse:
    """Every recorded create, update and delete, newest first, filterable by record type and
    by person."""
    entries = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp")
    model = request.GET.get("model", "")
    actor = request.GET.get("actor", "").strip()
    if model.isdigit():
        entries = entries.filter(content_type_id=int(model))
    if actor:
        entries = entries.filter(actor__username=actor)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    models_in_trail = ContentType.objects.filter(
        pk__in=LogEntry.objects.values("content_type").distinct()
    )
    return render(
        request,
        "core/audit.html",
        {"page": page, "models": models_in_trail, "model": model, "actor": actor},
    )


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, 503 when it does not (for load balancers and monitors)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy"; the reason goes to the log
        logger.exception("health check: database unavailable")
        return JsonResponse({"status": "unavailable", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def _error(request: HttpRequest, status: int, api_message: str, page_message: str):
    if request.path.startswith("/api/"):
        return api_error(status, api_message)
    return render(request, "error.html", {"status": status, "message": page_message}, status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _error(
        request, 400, "The request could not be read.", _("The request could not be read.")
    )


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _error(request, 403, "You may not do this.", _("You may not open this page."))


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _error(request, 404, "No such API endpoint.", _("This page does not exist."))


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return api_error(500, "Internal error; it has been logged.")
    # No request context: the context processors read the database, which may be what failed.
    return HttpResponse(render_to_string("500.html"), status=500)


@administrator_required
def media_file(request: HttpRequest, name: str) -> FileResponse:
    """An uploaded file by its stored name, for administrators only: the Django admin links
    files this way. Everyone else downloads through each module's own view, which checks who
    may read that file. Always an attachment, so an upload never runs as a page of the site."""
    try:
        if not default_storage.exists(name):
            raise Http404
        handle = default_storage.open(name, "rb")
    except SuspiciousFileOperation:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True)
