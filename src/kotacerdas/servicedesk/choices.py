"""Choices of the PECUT service desk."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """What a citizen brings to the front door (the four kinds of PECUT's intake)."""

    COMPLAINT = "complaint", _("Complaint")
    ASPIRATION = "aspiration", _("Aspiration")
    INFORMATION = "information", _("Information request")
    APPLICATION = "application", _("Service application")


# Complaints and aspirations are about the city (a pothole, a park) and are part of the public
# record (Open311's request lists); information requests and service applications are a
# person's own business and are never listed publicly.
PUBLIC_CATEGORIES = (Category.COMPLAINT, Category.ASPIRATION)


class SlaUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("working days")
    WORKING_HOURS = "working_hours", _("working hours")


class Status(models.TextChoices):
    """Where a request stands. Transfers and reopenings are events that lead back to
    ``assigned``; a merged duplicate keeps its status and follows its main request."""

    SUBMITTED = "submitted", _("Submitted")
    VERIFIED = "verified", _("Verified")
    ASSIGNED = "assigned", _("Assigned to an OPD")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")


# Statuses in which the OPD still owes the citizen an answer (the SLA clock runs).
OPEN_STATUSES = (Status.SUBMITTED, Status.VERIFIED, Status.ASSIGNED, Status.IN_PROGRESS)
FINISHED_STATUSES = (Status.RESOLVED, Status.CLOSED, Status.REJECTED)


class EventKind(models.TextChoices):
    """An entry in a request's timeline."""

    STATUS = "status", _("Status change")
    TRANSFER = "transfer", _("Transferred")
    REOPEN = "reopen", _("Reopened")
    MERGE = "merge", _("Merged")
    UPDATE = "update", _("Public update")
    NOTE = "note", _("Internal note")
    WARNING = "warning", _("Deadline warning")
    ESCALATION = "escalation", _("Escalated")


class Channel(models.TextChoices):
    """How a request reached the desk."""

    WEB = "web", _("Web form")
    OPEN311 = "open311", _("Open311 client")
    API = "api", _("API")
    COUNTER = "counter", _("Counter (entered by staff)")


class HolidayKind(models.TextChoices):
    NATIONAL = "national", _("National holiday")
    JOINT_LEAVE = "joint_leave", _("Joint leave (cuti bersama)")
    LOCAL = "local", _("Local day off")


class AttributeType(models.TextChoices):
    """Open311 GeoReport v2 attribute datatypes."""

    STRING = "string", _("Short text")
    NUMBER = "number", _("Number")
    DATETIME = "datetime", _("Date and time")
    TEXT = "text", _("Long text")
    SINGLE = "singlevaluelist", _("One choice from a list")
    MULTI = "multivaluelist", _("Several choices from a list")
