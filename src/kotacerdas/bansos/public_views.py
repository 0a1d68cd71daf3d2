"""The public pages of the social-aid registry at /cek-bansos/: Cek Bansos, and the usul and
sanggah forms.

Like PECUT's public pages they work on a cheap phone without JavaScript and without an
account: plain forms that post back to themselves, each problem beside its field. A NIK is only
ever posted, never put in a URL (so never in an access log or a browser's history), and no page
repeats a NIK it was given. The rules are in ``cek`` and ``cases``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_safe

from kotacerdas.bansos import cases, cek
from kotacerdas.bansos.choices import CaseKind
from kotacerdas.core import ratelimit
from kotacerdas.core.models import Region
from kotacerdas.core.views import limited, too_many_requests
from kotacerdas.core.villages import villages_by_district

# A field people do not see (``hidden``) and automated form fillers fill in. A lookup or a case
# that comes with it is answered as if nothing had been found or as if it had been received,
# and nothing is looked up or saved.
HONEYPOT = "website"
SELECTED = mark_safe(" selected")
NIK_FIELDS = ("nik", "name")
CASE_FIELDS = (
    "subject_name",
    "subject_nik",
    "kelurahan",
    "address",
    "reason",
    "reporter_name",
    "reporter_contact",
)

_kelurahan_groups: dict[str, list[tuple[str, list[Region]]]] = {}
_kelurahan_options: dict[tuple[str, str], SafeString] = {}


def kelurahan_groups() -> list[tuple[str, list[Region]]]:
    """The city's kelurahan by kecamatan (``villages_by_district``). Remembered per process
    once found: the list changes only with a new edition of the Kemendagri table, which comes
    with a release."""
    city = settings.KOTACERDAS_REGION
    if city not in _kelurahan_groups:
        grouped = villages_by_district()
        if not grouped:  # regions not loaded yet: ask again next time
            return []
        _kelurahan_groups[city] = grouped
    return _kelurahan_groups[city]


def kelurahan_options(selected: str = "") -> SafeString:
    """The ``<optgroup>``s and ``<option>``s of the kelurahan pickers, ``selected`` marked.
    Without a selection (every Cek Bansos answer) the HTML is built once per process and
    language: rendered as template nodes, the 46 options took a tenth of a lookup's time."""
    key = (settings.KOTACERDAS_REGION, get_language() or "")
    if not selected and key in _kelurahan_options:
        return _kelurahan_options[key]
    groups = kelurahan_groups()
    label = _("Kecamatan")
    html = format_html_join(
        "",
        '<optgroup label="{} {}">{}</optgroup>',
        (
            (
                label,
                district,
                format_html_join(
                    "",
                    '<option value="{}"{}>{}</option>',
                    (
                        (village.code, SELECTED if village.code == selected else "", village.name)
                        for village in villages
                    ),
                ),
            )
            for district, villages in groups
        ),
    )
    if not selected and groups:
        _kelurahan_options[key] = html
    return html


def _private(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


# Exempt from CSRF protection because a lookup changes nothing a forged request could abuse:
# it reads, and writes only its own anonymous log row and rate-limit count. A page on another
# site could make a visitor's browser post lookups, but it could not read the answers (the
# same-origin policy), and the visitor's own limit is all it could use up. Without a token the
# form also works from a page kept open for hours, and the benchmark posts without cookies.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@sensitive_post_parameters(*NIK_FIELDS)
def cek_bansos(request: HttpRequest) -> HttpResponse:
    """Cek Bansos: look up by NIK and name, or by kelurahan and name. The answer shows the
    recipients found, masked, or that there is no recipient with these details; a NIK with
    another person's name, a NIK nobody has and a person without a programme all get the same
    page (see ``cek``)."""
    method = request.POST.get("by", "nik") if request.method == "POST" else "nik"
    if method not in ("nik", "kelurahan"):
        method = "nik"
    context = {
        "method": method,
        "answered": False,
        "recipients": [],
        "errors": {},
        "posted": {},
    }
    if request.method == "POST":
        if limited(request, "cek", "cek_client"):
            return too_many_requests(request)
        post = request.POST
        client = ratelimit.client_address(request)
        try:
            if post.get(HONEYPOT):
                recipients: list[cek.Recipient] = []
            elif method == "nik":
                query = cek.check_nik_query(post.get("nik", ""), post.get("name", ""))
                if not cek.within_nik_limit(query):
                    return too_many_requests(request)
                recipients = cek.lookup_by_nik(query, client=client)
            else:
                place = cek.check_kelurahan_query(post.get("kelurahan", ""), post.get("name", ""))
                recipients = cek.lookup_by_kelurahan(place, client=client)
        except ValidationError as error:
            # The form again with the problem beside its field; what was typed is kept so it
            # can be corrected (this answer is never cached).
            context.update(errors=error.message_dict, posted=post)
        else:
            # The answer repeats nothing that was typed: the two "nothing found" answers must
            # be the same page, and a NIK should not linger in the page a browser keeps.
            context.update(answered=True, recipients=recipients)
    chosen = context["posted"].get("kelurahan", "") if method == "kelurahan" else ""
    context["kelurahan_options"] = kelurahan_options(chosen)
    status = 400 if context["errors"] else 200
    return _private(render(request, "bansos/public/cek.html", context, status=status))


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@sensitive_post_parameters(*CASE_FIELDS)
def case_form(request: HttpRequest, kind: str) -> HttpResponse:
    """The usul or sanggah form. A sent case goes to ``case_sent`` with its number."""
    errors: dict[str, list[str]] = {}
    posted = {}
    if request.method == "POST":
        if limited(request, "bansos_case", "public_write"):
            return too_many_requests(request)
        posted = request.POST
        if posted.get(HONEYPOT):
            return redirect("bansos-public:case-sent")
        new = cases.NewCase(kind=kind, **{name: posted.get(name, "") for name in CASE_FIELDS})
        try:
            case = cases.submit_case(new)
        except ValidationError as error:
            errors = error.message_dict
        else:
            messages.success(
                request,
                _("Received with number %(number)s. Quote it when you ask Dinas Sosial about it.")
                % {"number": case.number},
            )
            return redirect("bansos-public:case-sent")
    return _private(
        render(
            request,
            "bansos/public/case_form.html",
            {
                "kind": kind,
                "is_proposal": kind == CaseKind.PROPOSAL,
                "kelurahan_options": kelurahan_options(
                    posted.get("kelurahan", "") if posted else ""
                ),
                "posted": posted,
                "errors": errors,
            },
            status=400 if errors else 200,
        )
    )


@never_cache
@require_safe
def case_sent(request: HttpRequest) -> HttpResponse:
    """After an usul or sanggah: the number (in the message) and what happens next."""
    return _private(render(request, "bansos/public/case_sent.html"))
