"""Choices used by the core models."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    """The four levels of the Kemendagri administrative code:
    PP, PP.RR, PP.RR.KK and PP.RR.KK.VVVV."""

    PROVINCE = "province", _("Province")
    REGENCY = "regency", _("Regency/city")
    DISTRICT = "district", _("Kecamatan")
    VILLAGE = "village", _("Kelurahan/desa")


class OpdKind(models.TextChoices):
    """The kinds of regional government unit (Organisasi Perangkat Daerah)."""

    SECRETARIAT = "secretariat", _("Secretariat")
    DINAS = "dinas", _("Dinas")
    BADAN = "badan", _("Badan")
    BAGIAN = "bagian", _("Bagian")
    INSPECTORATE = "inspectorate", _("Inspectorate")
    AGENCY = "agency", _("Other unit")
    KECAMATAN = "kecamatan", _("Kecamatan office")
    KELURAHAN = "kelurahan", _("Kelurahan office")


class Role(models.TextChoices):
    """The platform's roles, stored as Django auth groups (the value is the group name)."""

    ADMINISTRATOR = "Administrator", _("Administrator")
    OPD_OFFICER = "OPD officer", _("OPD officer")
    ASSESSOR = "Assessor", _("Assessor")
    EXECUTIVE = "Executive", _("Executive")
