"""Choices of the dashboard's own records."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ActionStatus(models.TextChoices):
    """Where an action item stands. Open and in progress are the live states; done and dropped
    close it, and the next meeting still reviews it once."""

    OPEN = "open", pgettext_lazy("action status", "Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


LIVE_ACTION_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


class FigureStatus(models.TextChoices):
    """A figure's status on the dashboard: a KPI's red / amber / green (``masterplan.kpis``), or
    for the other figures whether they meet their metric's threshold."""

    GREEN = "green", _("On target")
    AMBER = "amber", _("Near target")
    RED = "red", _("Off target")
    NOT_REPORTED = "not_reported", _("Not reported")
    NEUTRAL = "neutral", _("For information")
