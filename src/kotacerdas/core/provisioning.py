"""Setting up a platform: migrate, load reference data, create the first administrator, and
optionally load the demo. Used by ``kotacerdas init`` and ``kotacerdas demo``; every step is
idempotent, so running them again changes nothing that is already there."""

from __future__ import annotations

import csv
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from kotacerdas.core.access import ensure_roles, grant_role
from kotacerdas.core.choices import OpdKind, RegionLevel, Role
from kotacerdas.core.models import Opd, Region, User
from kotacerdas.core.reference_data import load_pillars, load_regions

DEMO_DIR = Path(__file__).resolve().parent / "demo"
KOTA_KEDIRI = "35.71"


@dataclass
class NewAccount:
    """An account created during set-up, with the password to print once."""

    username: str
    role: Role
    password: str
    opd: str = ""


@dataclass
class SetupReport:
    regions: int = 0
    pillars: int = 0
    opds_created: int = 0
    accounts: list[NewAccount] = field(default_factory=list)
    loaded: list[str] = field(default_factory=list)  # what the apps' loaders added


def deployment_region() -> Region:
    """The regency/city named by KOTACERDAS_REGION, which must exist in the loaded table."""
    region = Region.objects.filter(code=settings.KOTACERDAS_REGION).first()
    if region is None or region.level != RegionLevel.REGENCY:
        raise ImproperlyConfigured(
            f"KOTACERDAS_REGION {settings.KOTACERDAS_REGION} is not a regency/city in the "
            "Kemendagri table"
        )
    return region


def load_reference_data(progress: Callable[[int, int], None] | None = None) -> SetupReport:
    """Regions, pillars and roles: what every deployment needs, demo or not."""
    report = SetupReport()
    report.regions = load_regions(progress)
    report.pillars = load_pillars()
    ensure_roles()
    region = deployment_region()
    report.loaded.extend(_app_loaders("load_reference", region))
    return report


def _app_loaders(hook: str, region: Region) -> list[str]:
    """Call ``hook(region)`` on every installed app that offers it (``load_reference`` for
    reference data, ``load_demo`` for demo data); core knows no domain app by name (GUIDE
    section 2). Returns what each loaded, for the set-up report."""
    loaded = []
    for app in apps.get_app_configs():
        loader = getattr(app, hook, None)
        if loader is not None:
            result = loader(region)
            if result:
                loaded.append(result)
    return loaded


def _new_password() -> str:
    return secrets.token_urlsafe(12)


@transaction.atomic
def create_account(username: str, role: Role, opd: Opd | None = None) -> NewAccount | None:
    """Create ``username`` with a random password and ``role``, unless the username exists
    (then nothing changes and None is returned: a password is printed once, never reset)."""
    if User.objects.filter(username=username).exists():
        return None
    password = _new_password()
    user = User.objects.create_user(username=username, password=password, opd=opd)
    if role == Role.ADMINISTRATOR:
        user.is_superuser = True
        user.save(update_fields=["is_superuser"])
    grant_role(user, role, opd)
    return NewAccount(username, role, password, opd.short_name if opd else "")


def ensure_administrator() -> NewAccount | None:
    """Create the first administrator (``admin``) if the platform has none yet."""
    if User.objects.filter(is_superuser=True).exists():
        return None
    return create_account("admin", Role.ADMINISTRATOR)


def _load_kediri_opd_list() -> int:
    created = 0
    with open(DEMO_DIR / "opd_kota_kediri.csv", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            _, new = Opd.objects.get_or_create(
                code=row["code"],
                defaults={
                    "name": row["name"],
                    "short_name": row["short_name"],
                    "kind": row["kind"],
                    "head_title": row["head_title"],
                    "is_demo": True,
                },
            )
            created += new
    setda = Opd.objects.get(code="setda")
    Opd.objects.filter(kind=OpdKind.BAGIAN, parent__isnull=True).update(parent=setda)
    return created


def _area_office(
    area: Region, kind: OpdKind, word: str, abbreviation: str, head: str, parent: Opd | None = None
) -> tuple[Opd, bool]:
    """The office of a kecamatan or kelurahan/desa, coded after the area (kec-357101)."""
    return Opd.objects.get_or_create(
        code=f"{kind.value[:3]}-{area.code.replace('.', '')}",
        defaults={
            "name": f"{word} {area.name}",
            "short_name": f"{abbreviation} {area.name}",
            "kind": kind,
            "region": area,
            "parent": parent,
            "head_title": head,
            "is_demo": True,
        },
    )


@transaction.atomic
def load_demo_opds(region: Region) -> int:
    """Kota Kediri's OPDs from the demo list (for Kota Kediri only), plus a kecamatan office for
    each kecamatan of the region and a kelurahan office for each of its kelurahan/desa, all
    flagged as demo data."""
    created = _load_kediri_opd_list() if region.code == KOTA_KEDIRI else 0
    for district in region.children.filter(level=RegionLevel.DISTRICT):
        office, new = _area_office(district, OpdKind.KECAMATAN, "Kecamatan", "Kec.", "Camat")
        created += new
        for village in district.children.filter(level=RegionLevel.VILLAGE):
            kind, title = (
                ("Kelurahan", "Lurah") if village.is_kelurahan else ("Desa", "Kepala Desa")
            )
            created += _area_office(
                village, OpdKind.KELURAHAN, kind, f"{kind[:3]}.", title, parent=office
            )[1]
    return created


# One demo account per persona, so that a visitor can see the platform as each role sees it.
DEMO_ACCOUNTS = [
    ("dinsos", Role.OPD_OFFICER, "dinsos"),
    ("dinkes", Role.OPD_OFFICER, "dinkes"),
    # The service desk: Diskominfo triages, Dinas PUPR works its queue.
    ("kominfo", Role.OPD_OFFICER, "diskominfo"),
    ("pupr", Role.OPD_OFFICER, "dpupr"),
    # A kecamatan office: the dashboard limited to its area.
    ("mojoroto", Role.OPD_OFFICER, "kec-357101"),
    ("asesor", Role.ASSESSOR, None),
    ("eksekutif", Role.EXECUTIVE, None),
]


def load_demo() -> SetupReport:
    """The demo: Kota Kediri's OPDs and one account per role (on top of the reference data)."""
    report = SetupReport()
    region = deployment_region()
    report.opds_created = load_demo_opds(region)
    for username, role, opd_code in DEMO_ACCOUNTS:
        opd = Opd.objects.filter(code=opd_code).first() if opd_code else None
        if opd_code and opd is None:
            continue  # the named OPD list is Kota Kediri's; other regions have no such office
        account = create_account(username, role, opd)
        if account:
            report.accounts.append(account)
    report.loaded.extend(_app_loaders("load_demo", region))
    return report
