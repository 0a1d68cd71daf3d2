"""Choices of the masterplan module."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgrammeStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RUNNING = "running", _("Running")
    PAUSED = "paused", _("Paused")
    STOPPED = "stopped", _("Stopped")


class ProgrammeKind(models.TextChoices):
    DIGITAL = "digital", _("Digital application")
    NON_DIGITAL = "non_digital", _("Non-digital")


class Pentahelix(models.TextChoices):
    """The five kinds of partner in the pentahelix model of collaboration."""

    GOVERNMENT = "government", _("Government")
    ACADEMIA = "academia", _("Academia")
    BUSINESS = "business", _("Business")
    COMMUNITY = "community", _("Community")
    MEDIA = "media", _("Media")


class BudgetSource(models.TextChoices):
    APBD = "apbd", _("APBD")
    NON_APBD = "non_apbd", _("Non-APBD")


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class Rag(models.TextChoices):
    """A KPI's status for a period. "Not reported" is its own status, never green: a KPI with no
    value for the period tells the leadership nothing good."""

    GREEN = "green", _("On target")
    AMBER = "amber", _("Near target")
    RED = "red", _("Off target")
    NOT_REPORTED = "not_reported", _("Not reported")
    NO_TARGET = "no_target", _("No target")


class Period(models.TextChoices):
    """The period a KPI value or a progress report covers: a quarter, or the whole year."""

    Q1 = "Q1", _("Quarter 1")
    Q2 = "Q2", _("Quarter 2")
    Q3 = "Q3", _("Quarter 3")
    Q4 = "Q4", _("Quarter 4")
    YEAR = "Y", _("Whole year")


class ActionArea(models.TextChoices):
    """The four areas of action plan (rencana aksi) that the national evaluation checks."""

    HUMAN_CAPACITY = "sdm", _("Human capacity (SDM)")
    INFRASTRUCTURE = "infrastructure", _("Infrastructure")
    APPLICATIONS = "applications", _("Applications")
    LITERACY = "literacy", _("Smart city literacy")


class Body(models.TextChoices):
    """The smart city institutions whose meetings the evaluation asks about."""

    COUNCIL = "council", _("Dewan Smart City")
    TEAM = "team", _("Tim Pelaksana Smart City")
    FORUM = "forum", _("Forum Smart City")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for revision")
    APPROVED = "approved", _("Approved")
