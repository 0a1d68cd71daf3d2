"""The action items panel: the live items of the reader's scope, the overdue ones counted."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kotacerdas.dashboard.models import ActionItem
from kotacerdas.dashboard.panels.base import (
    Panel,
    Reader,
    link,
    overdue_count,
)
from kotacerdas.dashboard.scope import Scope


def scoped_actions(scope: Scope):
    actions = ActionItem.objects.select_related("owner", "meeting")
    if scope.opd_code:
        actions = actions.filter(owner__code=scope.opd_code)
    return actions


def actions_panel(reader: Reader) -> Panel:
    """The overdue action items, counted and listed."""
    panel = Panel("actions", _("Action items"))
    overdue = list(scoped_actions(reader.scope).overdue(reader.today).order_by("due_date", "pk"))
    panel.figures.append(
        overdue_count(
            reader,
            "actions.overdue",
            len(overdue),
            _("Stat meetings"),
            link("dashboard:actions", overdue=1),
        )
    )
    panel.context = {"overdue": overdue}
    return panel
