"""Choices of the Satu Data catalogue."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Classification(models.TextChoices):
    """Who may see a dataset (Perpres 39/2019 and the public information law, UU 14/2008): only
    public data ever leaves the platform through the portal, the CKAN API or DCAT."""

    PUBLIC = "public", _("Public")
    LIMITED = "limited", _("Limited (government staff)")
    CONFIDENTIAL = "confidential", _("Confidential (producer and steward)")


class Frequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    SEMIANNUAL = "semiannual", _("Every six months")
    ANNUAL = "annual", _("Yearly")
    IRREGULAR = "irregular", _("Irregular")


# How long a figure may go unrefreshed before it counts as stale (the dashboard marks it).
FREQUENCY_DAYS = {
    Frequency.DAILY: 2,
    Frequency.MONTHLY: 45,
    Frequency.QUARTERLY: 120,
    Frequency.SEMIANNUAL: 200,
    Frequency.ANNUAL: 400,
}


class Granularity(models.TextChoices):
    """The smallest area a dataset's rows describe."""

    CITY = "city", _("City")
    DISTRICT = "district", _("Kecamatan")
    VILLAGE = "village", _("Kelurahan")


class Licence(models.TextChoices):
    CC_BY = "cc-by-4.0", "Creative Commons Attribution 4.0"
    CC0 = "cc-zero", "Creative Commons CC0"
    ODBL = "odc-odbl", "Open Data Commons ODbL"
    GOV = "other-open", _("Other open licence (government work)")
    CLOSED = "other-closed", _("Not open")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for the steward")
    PUBLISHED = "published", _("Published")
    RETURNED = "returned", _("Returned for correction")


class FileKind(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"
    JSON = "json", "JSON"


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")
