"""The dashboard's own records: annotations on series, stat meetings with their agenda,
minutes and decisions, action items that follow a figure from one meeting to the next, and
subscriptions to the weekly digest. The figures themselves are never stored here: they are
read from their module every time (``panels``)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxLengthValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kotacerdas.core.models import Opd
from kotacerdas.dashboard.choices import LIVE_ACTION_STATUSES, ActionStatus

FIGURE_KEY = 120


class Annotation(models.Model):
    """A dated note on a series (a policy change, a flood, a break in the data), shown on every
    chart of that series. ``series`` is the series key a panel gives its chart, such as
    ``index``, ``pecut.intake`` or ``indicator.kemiskinan``."""

    series = models.CharField(
        _("series"),
        max_length=FIGURE_KEY,
        db_index=True,
        validators=[
            RegexValidator(r"^[a-z0-9][a-z0-9._-]*$", _("Name the series the note belongs to."))
        ],
    )
    date = models.DateField(_("date"))
    text = models.CharField(_("note"), max_length=300)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("annotation")
        verbose_name_plural = _("annotations")
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return f"{self.series} {self.date}: {self.text}"


class StatMeeting(models.Model):
    """A leadership performance meeting (a CitiStat-style stat meeting): when, who attended, the
    agenda (proposed from what changed since the previous meeting, then edited), the minutes
    and the decisions. Action items are made in it and reviewed at the next one."""

    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    attendees = models.TextField(_("attendees"), blank=True, validators=[MaxLengthValidator(5000)])
    minutes = models.TextField(_("minutes"), blank=True, validators=[MaxLengthValidator(50000)])
    decisions = models.TextField(_("decisions"), blank=True, validators=[MaxLengthValidator(20000)])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("stat meeting")
        verbose_name_plural = _("stat meetings")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%d-%m-%Y})"


class AgendaItem(models.Model):
    """One point of a meeting's agenda; the proposed ones name the figure that changed."""

    meeting = models.ForeignKey(StatMeeting, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("agenda item"), max_length=300)
    figure_key = models.CharField(_("figure"), max_length=FIGURE_KEY, blank=True)
    proposed = models.BooleanField(_("proposed by the system"), default=False)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class ActionItemQuerySet(models.QuerySet):
    def live(self) -> ActionItemQuerySet:
        """Open or in progress."""
        return self.filter(status__in=LIVE_ACTION_STATUSES)

    def overdue(self, today: dt.date | None = None) -> ActionItemQuerySet:
        """Live and past the due date."""
        return self.live().filter(due_date__lt=today or timezone.localdate())


class ActionItem(models.Model):
    """What a meeting decided someone must do: the owner OPD, the due date, and the figure it
    should move (its key, as the dashboard names it, and its value when the item was made), or
    the record it is about."""

    meeting = models.ForeignKey(
        StatMeeting,
        verbose_name=_("meeting"),
        on_delete=models.PROTECT,
        related_name="actions",
        null=True,
        blank=True,
    )
    title = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(
        Opd, verbose_name=_("owner OPD"), on_delete=models.PROTECT, related_name="+"
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    figure_key = models.CharField(_("figure"), max_length=FIGURE_KEY, blank=True)
    figure_label = models.CharField(_("figure name"), max_length=300, blank=True)
    metric_version = models.CharField(_("metric definition"), max_length=80, blank=True)
    figure_value = models.DecimalField(
        _("value when made"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    record_url = models.CharField(_("record"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    reminded_at = models.DateTimeField(_("last reminded"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        """Live and past the due date (``ActionItemQuerySet.overdue`` says the same)."""
        return self.status in LIVE_ACTION_STATUSES and self.due_date < timezone.localdate()


class ActionReview(models.Model):
    """An action item reviewed at a meeting (or updated by its owner between meetings): the
    status it was given, a note, and the figure's value at that moment, so the next meeting
    sees the figure beside the action."""

    action = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="reviews")
    meeting = models.ForeignKey(
        StatMeeting, on_delete=models.CASCADE, null=True, blank=True, related_name="reviews"
    )
    status = models.CharField(_("status"), max_length=12, choices=ActionStatus.choices)
    note = models.TextField(_("note"), blank=True, validators=[MaxLengthValidator(5000)])
    figure_value = models.DecimalField(
        _("figure then"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("action review")
        verbose_name_plural = _("action reviews")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} {self.status}"


class DigestSubscription(models.Model):
    """An executive's subscription to the weekly digest by email."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dashboard_digest"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_sent_at = models.DateTimeField(_("last sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("digest subscription")
        verbose_name_plural = _("digest subscriptions")

    def __str__(self) -> str:
        return str(self.user)
