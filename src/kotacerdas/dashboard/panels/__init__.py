"""The dashboard's panels, each read from its module's own public functions and figures (the
service desk's ``stats``, the masterplan's ``kpis`` and ``reporting``, the evaluation's
``cycle``, the registry's ``feeds``, Satu Data's indicator store), never recomputed here in
another way. A panel gives its figures (the API's summary, the briefing book) and what its
template draws (charts, rankings, groups).

A module with nothing to show yet says so in its panel's ``note``; a panel never shows a
placeholder number.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import partial

from django.utils import timezone

from kotacerdas.core.models import User
from kotacerdas.dashboard.figures import Figure, Owners
from kotacerdas.dashboard.panels.actions import actions_panel, scoped_actions
from kotacerdas.dashboard.panels.base import Panel, Reader, link, span
from kotacerdas.dashboard.panels.index import index_panel
from kotacerdas.dashboard.panels.indicators import indicators_panel
from kotacerdas.dashboard.panels.programmes import programmes_panel
from kotacerdas.dashboard.panels.services import IKM_DAYS, SLA_DAYS, scoped_requests, services_panel
from kotacerdas.dashboard.panels.social import social_panel
from kotacerdas.dashboard.scope import CITY, Scope

__all__ = [
    "IKM_DAYS",
    "SLA_DAYS",
    "Panel",
    "Reader",
    "actions_panel",
    "all_panels",
    "current_figure",
    "current_figures",
    "finish",
    "index_panel",
    "indicators_panel",
    "link",
    "programmes_panel",
    "reader_for",
    "scoped_actions",
    "scoped_requests",
    "services_panel",
    "social_panel",
    "span",
]


def reader_for(scope: Scope, user: User | None, now: dt.datetime | None = None) -> Reader:
    return Reader(scope, user, now or timezone.now(), Owners())


def all_panels(
    reader: Reader, indicator: str | None = None, level: str | None = None
) -> list[Panel]:
    """Every panel the reader's scope shows, in the dashboard's order; each figure marked
    stale or not."""
    if reader.scope.public:  # the public page: public figures only
        found = [
            index_panel(reader),
            services_panel(reader),
            indicators_panel(reader, indicator, level),
        ]
    else:
        found = [
            index_panel(reader),
            programmes_panel(reader),
            services_panel(reader),
            social_panel(reader),
            indicators_panel(reader, indicator, level),
            actions_panel(reader),
        ]
    panels = [panel for panel in found if panel is not None]
    for panel in panels:
        finish(panel, reader)
    return panels


def finish(panel: Panel, reader: Reader) -> Panel:
    """Name each figure's owner and mark the stale ones; the public keeps public figures only."""
    if reader.scope.public:
        panel.figures = [figure for figure in panel.figures if figure.metric.public]
    for figure in panel.figures:
        figure.owner_name = reader.owners.name(figure.owner) if figure.owner else ""
        figure.mark_stale(reader.now)
    return panel


# Which panel computes the figures whose keys start so.
MAKERS = {
    "index": index_panel,
    "kpi": programmes_panel,
    "budget": programmes_panel,
    "reports": programmes_panel,
    "pecut": services_panel,
    "bansos": social_panel,
    "actions": actions_panel,
}


def current_figures(
    keys: Iterable[str], now: dt.datetime | None = None
) -> dict[str, Figure | None]:
    """The figures ``keys`` as they stand now, read city-wide (action items' figures, shown
    again beside them at the next meeting); each panel is computed once for all its keys."""
    reader = reader_for(Scope(CITY), None, now)
    built: dict[object, Panel | None] = {}
    found: dict[str, Figure | None] = {}
    for key in keys:
        if key in found:
            continue
        if key.startswith("indicator."):
            code = key.split(".", 2)[1]
            which: object = ("indicator", code)
            make = partial(indicators_panel, reader, code, None)
        else:
            which = MAKERS.get(key.split(".", 1)[0])
            make = partial(which, reader) if which else None
        if which not in built:
            panel = make() if make else None
            built[which] = finish(panel, reader) if panel is not None else None
        panel = built[which]
        found[key] = panel.figure(key) if panel is not None else None
    return found


def current_figure(key: str, now: dt.datetime | None = None) -> Figure | None:
    """The figure ``key`` as it stands now, read city-wide."""
    return current_figures([key], now)[key]
