"""Dinas Sosial's pages for usul and sanggah: the list with its filters, and a case with its
decision. The NIK, the address and the reporter's contact are masked; an officer who may
reveal them (``rules.can_reveal_identity``) can, and each reveal is recorded. Only those who
work in the registry (``rules.can_work_registry``) enter; decisions go through
``cases.decide_case``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kotacerdas.bansos import cases, registry, rules
from kotacerdas.bansos.choices import CaseKind, CaseStatus
from kotacerdas.bansos.models import Case
from kotacerdas.bansos.views import registry_required
from kotacerdas.core.personal import mask_email, mask_phone, mask_text, record_access
from kotacerdas.core.villages import city_villages

PAGE_SIZE = 50
# The personal fields of a case, as recorded when revealed. The reporter's name is among them:
# someone who objects to a neighbour's aid must not be exposed by a glance at a screen.
PERSONAL_FIELDS = ("subject_nik", "address", "reporter_name", "reporter_contact")


@registry_required
@require_safe
def case_list(request: HttpRequest) -> HttpResponse:
    """The cases, open ones by default, oldest first so none waits for ever; filters by kind,
    status and kelurahan."""
    filters = {key: request.GET.get(key, "") for key in ("kind", "status", "kelurahan")}
    found = Case.objects.select_related("kelurahan")
    status = filters["status"] or CaseStatus.OPEN
    if status in CaseStatus.values:
        found = found.filter(status=status)
    else:
        status = "all"
    filters["status"] = status
    if filters["kind"] in CaseKind.values:
        found = found.filter(kind=filters["kind"])
    if filters["kelurahan"]:
        found = found.filter(kelurahan_id=filters["kelurahan"])
    order = ["created_at", "pk"] if status == CaseStatus.OPEN else ["-created_at", "-pk"]
    page = Paginator(found.order_by(*order), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "bansos/cases/list.html",
        {
            "page": page,
            "filters": filters,
            "kinds": CaseKind.choices,
            "statuses": [*CaseStatus.choices, ("all", _("All"))],
            "kelurahan_choices": city_villages(),
        },
    )


def _mask_contact(contact: str) -> str:
    return mask_email(contact) if "@" in contact else mask_phone(contact)


def _personal(user: Any, case: Case, reveal: bool) -> dict[str, Any]:
    """The case's NIK, address, and reporter's name and contact: masked (the name as an
    initial, as PECUT shows a citizen), or in the clear when ``reveal`` (for those who may, and
    recorded)."""
    present = [name for name in PERSONAL_FIELDS if getattr(case, name)]
    if reveal and present and rules.can_reveal_identity(user):
        record_access(user, case, present, "view")
        return {
            "nik": case.subject_nik,
            "address": case.address,
            "reporter": case.reporter_name,
            "contact": case.reporter_contact,
            "revealed": True,
            "can_reveal": False,
        }
    return {
        "nik": registry.mask_number(case.subject_nik) if case.subject_nik else "",
        "address": mask_text(case.address) if case.address else "",
        "reporter": case.reporter_name[:1] + "…" if case.reporter_name else "",
        "contact": _mask_contact(case.reporter_contact) if case.reporter_contact else "",
        "revealed": False,
        "can_reveal": bool(present) and rules.can_reveal_identity(user),
    }


def _render_case(
    request: HttpRequest,
    case: Case,
    *,
    reveal: bool = False,
    errors: dict[str, list[str]] | None = None,
    posted: Any = None,
) -> HttpResponse:
    return render(
        request,
        "bansos/cases/detail.html",
        {
            "case": case,
            "personal": _personal(request.user, case, reveal),
            "person": case.person,
            "can_decide": case.status == CaseStatus.OPEN,
            "decisions": [
                (CaseStatus.UPHELD, CaseStatus.UPHELD.label),
                (CaseStatus.DISMISSED, CaseStatus.DISMISSED.label),
            ],
            "errors": errors or {},
            "posted": posted or {},
        },
        status=400 if errors else 200,
    )


def _case(pk: int) -> Case:
    return get_object_or_404(
        Case.objects.select_related("kelurahan", "person", "decided_by"), pk=pk
    )


@registry_required
@require_http_methods(["GET", "HEAD", "POST"])
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One case: what the citizen wrote, the person in the registry it concerns (if the NIK
    given is known), and the decision or the form to make it. Posting ``reveal`` shows the NIK,
    address and contact unmasked and records that they were seen."""
    case = _case(pk)
    reveal = request.method == "POST" and request.POST.get("action") == "reveal"
    return _render_case(request, case, reveal=reveal)


@registry_required
@require_POST
def case_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Uphold or dismiss a case, with the reasons. A refusal comes back on the case's page with
    the reason beside the field (400)."""
    case = _case(pk)
    try:
        cases.decide_case(
            case, request.user, request.POST.get("status", ""), request.POST.get("note", "")
        )
    except ValidationError as error:
        return _render_case(request, case, errors=error.message_dict, posted=request.POST)
    messages.success(request, _("Decision saved."))
    return redirect("bansos:case", pk=case.pk)
