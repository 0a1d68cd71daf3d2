"""The public performance page /kinerja/ ("Kinerja Kota"): the smart city index the ministry
published, how the PECUT service desk serves citizens, and the published indicators with a map
of the kecamatan or kelurahan. For citizens on cheap phones: no sign-in, no JavaScript needed,
charts and maps drawn on the server as small inline SVG.

The page reads the dashboard's own panels with the public scope: ``panels.finish`` keeps the
figures of public metrics only (the published index, not the evaluation in progress), there
are no records behind figures, only the indicator values the public may see, and no staff
annotation. A figure here is the same number, by the same definition, as on the executive
dashboard. The programmes, budgets, social aid and action items are never read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from kotacerdas.core.choices import RegionLevel
from kotacerdas.dashboard import panels
from kotacerdas.dashboard.figures import Figure, format_number
from kotacerdas.dashboard.scope import PUBLIC_SCOPE

# The figures change at most every few minutes: a browser or a proxy may keep the page this long.
MAX_AGE = 300
HEADLINE_SERVICES = ("pecut.intake", "pecut.sla")
SLA_BY_OPD = "pecut.sla.opd."
IKM_BY_SERVICE = "pecut.ikm.service."
LEVELS = (RegionLevel.VILLAGE, RegionLevel.DISTRICT)
MAX_CODE = 60  # of an unknown indicator code repeated back in the notice


@dataclass(frozen=True)
class Shown:
    """A public figure as the page shows it: the value and target as the reader's locale
    writes them, its period as dates when it is one (else the period as it is, a year), its
    detail, and a link to its source only when that is a public page of Satu Data."""

    figure: Figure
    value: str
    target: str
    start: dt.date | None
    end: dt.date | None
    detail: str
    source_url: str


def _dates(period: str) -> tuple[dt.date | None, dt.date | None]:
    """A period written as an ISO 8601 date or interval (2026-10-26/2026-11-24) as its first
    and last day; (None, None) for any other period (a year)."""
    try:
        days = [dt.date.fromisoformat(part) for part in period.split("/")]
    except ValueError:
        return None, None
    return days[0], days[-1]


def _public(figures: list[Figure]) -> list[Shown]:
    """The figures as the page shows them (``panels.finish`` kept the public ones only)."""
    portal = reverse("opendata-portal:search")
    shown = []
    for figure in figures:
        start, end = _dates(figure.period)
        shown.append(
            Shown(
                figure=figure,
                value=format_number(figure.value),
                target=format_number(figure.target),
                start=start,
                end=end,
                detail=figure.detail,
                source_url=figure.source_url if figure.source_url.startswith(portal) else "",
            )
        )
    return shown


def _by_label(shown: list[Shown]) -> list[Shown]:
    return sorted(shown, key=lambda s: str(s.figure.label).casefold())


def _index(reader: panels.Reader) -> dict[str, Any]:
    panel = panels.finish(panels.index_panel(reader), reader)
    context = panel.context
    return {
        "title": panel.title,
        "figures": _public(panel.figures),
        "history": [
            (label, format_number(value)) for _day, value, label in context.get("history", [])
        ][::-1],
        "chart": context.get("chart"),
        "target": format_number(context.get("target")),
    }


def _services(reader: panels.Reader) -> dict[str, Any]:
    panel = panels.finish(panels.services_panel(reader), reader)
    figures = panel.figures
    return {
        "title": panel.title,
        "note": panel.note,
        "figures": _public([f for f in figures if f.key in HEADLINE_SERVICES]),
        "by_opd": _by_label(_public([f for f in figures if f.key.startswith(SLA_BY_OPD)])),
        "ikm": _by_label(_public([f for f in figures if f.key.startswith(IKM_BY_SERVICE)])),
        "chart": panel.context.get("chart"),
    }


def _indicators(reader: panels.Reader, chosen: str, level: str) -> dict[str, Any]:
    panel = panels.finish(panels.indicators_panel(reader, chosen or None, level or None), reader)
    context = panel.context
    shown_level = context.get("level")
    return {
        "title": panel.title,
        "note": panel.note,
        "figures": _public(panel.figures),
        "chosen": context.get("chosen"),
        "level": shown_level,
        "level_label": dict(context.get("levels", [])).get(shown_level, ""),
        "year": context.get("year"),
        "ranking": context.get("ranking", []),
        "choropleth": context.get("choropleth"),
        "chart": context.get("chart"),
        "choices": context.get("choices", []),
        "levels": context.get("levels", []),
    }


@require_safe
def kinerja(request: HttpRequest) -> HttpResponse:
    """The city's performance for citizens: the published smart city index and its target,
    PECUT's intake, SLA compliance (city-wide and per OPD) and IKM per service, and the
    published indicators with one indicator's map and ranking (``?indicator=&level=``). An
    unknown indicator or level is answered with the page as it stands without it, the field and
    the reason named, and a 400."""
    reader = panels.reader_for(PUBLIC_SCOPE, None)
    chosen = request.GET.get("indicator", "").strip()
    level = request.GET.get("level", "").strip()
    problems = []
    if level and level not in LEVELS:
        problems.append(_("Level: choose kelurahan or kecamatan."))
        level = ""
    indicators = _indicators(reader, chosen, level)
    if chosen and chosen not in {indicator.code for indicator in indicators["choices"]}:
        problems.append(
            _("Indicator: no published indicator has the code %(code)s.")
            % {"code": chosen[:MAX_CODE]}
        )
    response = render(
        request,
        "dashboard/kinerja.html",
        {
            "now": reader.now,
            "index": _index(reader),
            "services": _services(reader),
            "indicators": indicators,
            "problems": problems,
        },
        status=400 if problems else 200,
    )
    # The language comes from a cookie, and a signed-in visitor's header names their account.
    patch_vary_headers(response, ("Cookie",))
    if not problems:
        if request.user.is_authenticated:
            patch_cache_control(response, private=True, max_age=MAX_AGE)
        else:
            patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response
