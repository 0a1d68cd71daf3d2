"""The registry's writes and reads that the pages, the API and the command share: programmes,
enrolments, exclusions, and revealing a person's identity numbers (always recorded)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from kotacerdas.bansos import names
from kotacerdas.bansos.identity import clean_number, parse_nik
from kotacerdas.bansos.models import Enrolment, Exclusion, Person, Programme
from kotacerdas.core.personal import blind_index, mask_text, record_access

PROGRAMMES_FILE = Path(__file__).resolve().parent / "reference" / "programmes.yaml"

# The kinds of blind index: one key per kind, so a NIK's hash never equals a KK number's.
NIK = "nik"
KK = "kk"


@sensitive_variables("nik")
def nik_index(nik: str) -> str:
    """The blind index of a NIK (digits only)."""
    return blind_index(NIK, nik)


@sensitive_variables("kk")
def kk_index(kk: str) -> str:
    return blind_index(KK, kk)


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """A name in the one spelling that Cek Bansos and the staff search compare
    (``names.normalise_name``: old spellings, Muhammad's variants and titles folded). Cached:
    a city's names repeat, and an import of 300,000 people asks for each one."""
    return names.normalise_name(name)


def load_programmes() -> int:
    """Create the shipped programmes that are missing (idempotent; an existing programme keeps
    what Dinas Sosial has changed). Returns how many were created."""
    created = 0
    for entry in yaml.safe_load(PROGRAMMES_FILE.read_text(encoding="utf-8")):
        _programme, was_created = Programme.objects.get_or_create(
            code=entry.pop("code"), defaults=entry
        )
        created += was_created
    return created


# ---------------------------------------------------------------------------------------------
# Identity numbers, masked and revealed


def mask_number(number: str) -> str:
    """3571015203870003 -> 357101********03: the region prefix (not personal: where the number
    was issued) and the last two digits, enough for a clerk to tell two records apart."""
    if len(number) < 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 8) + number[-2:]


@dataclass(frozen=True)
class PersonIdentity:
    """A person's identity numbers and address, as a page may show them."""

    nik: str
    kk: str
    address: str
    revealed: bool


# What the person page shows of anyone in the clear; the identity numbers and the address are
# added when revealed.
RECORD_FIELDS = ["name", "birth_date", "sex", "kelurahan", "programmes"]
IDENTITY_FIELDS = ["nik", "kk", "address"]


def identity_of(person: Person, user: Any, *, reveal: bool) -> PersonIdentity:
    """The person's NIK, KK number and address (the family card's): masked, or in the clear
    when ``reveal`` (the caller has checked ``rules.can_reveal_identity``). Every call is a
    view of the person's record and is recorded in the access log, with the identity fields
    when they were revealed."""
    household = person.household
    kk = household.kk if household else ""
    address = household.address if household else ""
    record_access(user, person, RECORD_FIELDS + (IDENTITY_FIELDS if reveal else []), "view")
    if not reveal:
        return PersonIdentity(
            nik=mask_number(person.nik),
            kk=mask_number(kk),
            address=mask_text(address),
            revealed=False,
        )
    return PersonIdentity(nik=person.nik, kk=kk, address=address, revealed=True)


# ---------------------------------------------------------------------------------------------
# Enrolments and exclusions


# Person ids per query: small enough for SQLite's limit on query parameters.
OVERLAP_CHUNK = 2000


def overlapping(
    person_ids: Iterable[int],
    programme: Programme | int,
    start: dt.date,
    end: dt.date | None = None,
) -> set[int]:
    """The people among ``person_ids`` already enrolled in the programme on some day from
    ``start`` to ``end`` (``None``: open-ended). This is the registry's one rule of "already
    enrolled": a person has at most one enrolment in a programme on any day, whether the
    enrolment is made by a clerk (``enrol``), the DTKS linkage or the demo."""
    programme_id = programme.pk if isinstance(programme, Programme) else programme
    window = Q(end__isnull=True) | Q(end__gte=start)
    if end is not None:
        window &= Q(start__lte=end)
    ids = list(dict.fromkeys(person_ids))
    found: set[int] = set()
    for first in range(0, len(ids), OVERLAP_CHUNK):
        found.update(
            Enrolment.objects.filter(
                window,
                programme_id=programme_id,
                person_id__in=ids[first : first + OVERLAP_CHUNK],
            ).values_list("person_id", flat=True)
        )
    return found


@transaction.atomic
def enrol(
    person: Person,
    programme: Programme,
    *,
    start: dt.date,
    end: dt.date | None = None,
    amount: int | None = None,
    account_number: str = "",
    source: str = "",
) -> Enrolment:
    """Enrol a person in a programme from ``start``. The amount defaults to the programme's; a
    programme the city pays needs one. An enrolment that overlaps one the person already has in
    the programme is refused."""
    amount = amount if amount is not None else programme.amount
    if amount is not None and amount <= 0:
        raise ValidationError({"amount": _("The amount must be more than Rp 0.")})
    if amount is None and programme.paid_by_city:
        raise ValidationError({"amount": _("Give the amount per period in rupiah.")})
    if end is not None and end < start:
        raise ValidationError({"end": _("The end cannot be before the start.")})
    if overlapping([person.pk], programme, start, end):
        raise ValidationError(
            {"start": _("This person is already enrolled in the programme for this period.")}
        )
    return Enrolment.objects.create(
        person=person,
        programme=programme,
        start=start,
        end=end,
        amount=amount,
        account_number=account_number,
        source=source,
    )


def is_nik_query(text: str) -> bool:
    """Whether a search text is meant as a NIK (ten digits or more) rather than a name."""
    digits = clean_number(text)
    return digits.isdigit() and len(digits) >= 10


def find_people(text: str, kelurahan: str = "") -> QuerySet[Person]:
    """The people a staff search finds: by NIK exactly, through its blind index (raises
    ``IdentityError`` for a malformed one), or by name in any of its spellings
    (``name_key``); within a kelurahan if one is given."""
    found = Person.objects.select_related("kelurahan")
    if is_nik_query(text):
        found = found.filter(nik_index=nik_index(parse_nik(text).value))
    elif text:
        found = found.filter(name_key__contains=name_key(text))
    return found.filter(kelurahan_id=kelurahan) if kelurahan else found


def exclusions_of(person: Person) -> list[Exclusion]:
    """The exclusion lists the person is on."""
    return list(Exclusion.objects.filter(nik_index=person.nik_index))
