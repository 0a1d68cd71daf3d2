"""Choices of the evaluation module."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    """Where an evaluation stands: the region's self-assessment (Tahap I), the assessors'
    review and interview (Tahap II), and the final, locked scores."""

    SELF_ASSESSMENT = "self", _("Self-assessment")
    ASSESSOR_REVIEW = "review", _("Assessor review")
    FINAL = "final", _("Final")


class EvidenceKind(models.TextChoices):
    FILE = "file", _("File")
    LINK = "link", _("Link")
    RECORD = "record", _("Platform record")
