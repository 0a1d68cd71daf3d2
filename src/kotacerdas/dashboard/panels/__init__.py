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

from django.utils import timezone

from kotacerdas.core.models import User
from kotacerdas.dashboard.figures import Figure, Owners
from kotacerdas.dashboard.panels.actions import actions_panel, scoped_actions
from kotacerdas.dashboard.panels.base import Panel, Reader, link, span
from kotacerdas.dashboard.panels.index import index_panel, index_target
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
    "finish",
    "index_panel",
    "index_target",
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


def current_figure(key: str, now: dt.datetime | None = None) -> Figure | None:
    """The figure ``key`` as it stands now, read city-wide (an action item's figure, shown again
    beside it at the next meeting)."""
    reader = reader_for(Scope(CITY), None, now)
    if key.startswith("indicator."):
        code = key.split(".", 2)[1]
        panel = indicators_panel(reader, code, None)
    else:
        makers = {
            "index": index_panel,
            "kpi": programmes_panel,
            "budget": programmes_panel,
            "reports": programmes_panel,
            "pecut": services_panel,
            "bansos": social_panel,
            "actions": actions_panel,
        }
        maker = makers.get(key.split(".", 1)[0])
        panel = maker(reader) if maker else None
    return finish(panel, reader).figure(key) if panel is not None else None
