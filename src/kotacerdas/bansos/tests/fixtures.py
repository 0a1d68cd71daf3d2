"""Fixtures of the social-aid registry, shared by its tests and the modules that read it (see
the root conftest): the shipped programmes, factories for households, people and cases, and a
small registry of named people of Kota Kediri with valid NIKs and their enrolments.

The registry (``bansos_people``), dates relative to today; names in upper case, as the civil
registry (SIAK) stores them:

- ``budi``: BUDI SANTOSO, man, born 12 Apr 1980, Bandar Lor, head of household KK_BUDI,
  decile 1; PKH since a year ago, BPNT ended 30 days ago (still shown as recent).
- ``siti``: SITI AMINAH, woman, born 2 Jul 1983, Bandar Lor, his spouse, decile 1; no
  programme.
- ``rizky``: MUHAMMAD RIZKY, man, born 30 Jan 2001, Bandar Kidul, decile 3; Kartu Sahabat at
  Rp 300,000 a month since a year ago.
- ``rizky_twin``: MOCH RIZKY, man, born 5 May 1999, Bandar Kidul, decile 2; PBI-JK since two
  years ago.
- ``rizky_other``: MUHAMAD RIZKY, man, born 17 Aug 1995, Bandar Kidul, decile 5; no programme.
- ``soetrisno``: SOETRISNO, man, born 1 Jan 1950, Semampir, decile 2; PKH that ended two years
  ago (too long ago for Cek Bansos).
- ``unknown_nik``: a valid NIK that nobody in the registry has.

The three Rizkys share one normalised name (``registry.name_key``), so a lookup by kelurahan and
"Moch. Rizky" finds the two recipients and not the third.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.utils import timezone

from kotacerdas.bansos import cases, registry
from kotacerdas.bansos.choices import CaseKind, Relationship, Sex
from kotacerdas.bansos.identity import nik_date_digits
from kotacerdas.bansos.models import Case, Household, Person, Programme
from kotacerdas.core.models import Region

BANDAR_LOR = "35.71.01.1001"  # Kecamatan Mojoroto
BANDAR_KIDUL = "35.71.01.1002"  # Kecamatan Mojoroto
SEMAMPIR = "35.71.02.1001"  # Kecamatan Kota
KK_BUDI = "3571010101150007"


def make_nik(birth_date: dt.date, sex: str, serial: int = 1, kecamatan: str = "357101") -> str:
    """A valid NIK for someone born on ``birth_date``, first issued in ``kecamatan`` (six
    digits, Mojoroto by default)."""
    return f"{kecamatan}{nik_date_digits(birth_date, sex)}{serial:04d}"


@pytest.fixture
def programmes(db) -> dict[str, Programme]:
    """The shipped programmes (PKH, BPNT, PBI-JK, KARTU_SAHABAT, SI_JAMAL) by code."""
    registry.load_programmes()
    return {programme.code: programme for programme in Programme.objects.all()}


@pytest.fixture
def make_household(kediri) -> Callable[..., Household]:
    """``make_household(kk, kelurahan=BANDAR_LOR, address=...)``: a family card."""

    def make(
        kk: str, kelurahan: str = BANDAR_LOR, address: str = "Jl. Mayor Bismo 12"
    ) -> Household:
        return Household.objects.create(
            kk=kk,
            kk_index=registry.kk_index(kk),
            address=address,
            rt="003",
            rw="005",
            kelurahan=Region.objects.get(code=kelurahan),
            source_hash="fixture",
        )

    return make


@pytest.fixture
def make_person(kediri) -> Callable[..., Person]:
    """``make_person(name, birth_date, sex, serial=1, kelurahan=BANDAR_LOR, **fields)``: a
    person of the civil registry with a valid NIK (``person.nik``), its blind index and the
    normalised name, saved through the model. Other ``Person`` fields go in ``fields``
    (``household``, ``relationship``, ``welfare_decile``, ``alive``...)."""

    def make(
        name: str,
        birth_date: dt.date,
        sex: str,
        serial: int = 1,
        kelurahan: str | None = BANDAR_LOR,
        **fields,
    ) -> Person:
        nik = make_nik(birth_date, sex, serial)
        return Person.objects.create(
            nik=nik,
            nik_index=registry.nik_index(nik),
            name=name,
            name_key=registry.name_key(name),
            birth_place="Kediri",
            birth_date=birth_date,
            sex=sex,
            kelurahan=Region.objects.get(code=kelurahan) if kelurahan else None,
            source_hash="fixture",
            **fields,
        )

    return make


@dataclass
class People:
    """The named people of ``bansos_people``; ``unknown_nik`` is valid and belongs to nobody."""

    budi: Person
    siti: Person
    rizky: Person
    rizky_twin: Person
    rizky_other: Person
    soetrisno: Person
    unknown_nik: str
    today: dt.date


@pytest.fixture
def bansos_people(programmes, make_household, make_person) -> People:
    """A small registry of named people and their enrolments (see the module's docstring)."""
    today = timezone.localdate()
    household = make_household(KK_BUDI)
    budi = make_person(
        "BUDI SANTOSO",
        dt.date(1980, 4, 12),
        Sex.MALE,
        household=household,
        relationship=Relationship.HEAD,
        welfare_decile=1,
    )
    siti = make_person(
        "SITI AMINAH",
        dt.date(1983, 7, 2),
        Sex.FEMALE,
        household=household,
        relationship=Relationship.SPOUSE,
        welfare_decile=1,
    )
    rizky = make_person(
        "MUHAMMAD RIZKY",
        dt.date(2001, 1, 30),
        Sex.MALE,
        kelurahan=BANDAR_KIDUL,
        welfare_decile=3,
    )
    rizky_twin = make_person(
        "MOCH RIZKY", dt.date(1999, 5, 5), Sex.MALE, kelurahan=BANDAR_KIDUL, welfare_decile=2
    )
    rizky_other = make_person(
        "MUHAMAD RIZKY",
        dt.date(1995, 8, 17),
        Sex.MALE,
        kelurahan=BANDAR_KIDUL,
        welfare_decile=5,
    )
    soetrisno = make_person(
        "SOETRISNO", dt.date(1950, 1, 1), Sex.MALE, kelurahan=SEMAMPIR, welfare_decile=2
    )
    a_year_ago = today - dt.timedelta(days=365)
    registry.enrol(budi, programmes["PKH"], start=a_year_ago, source="fixture")
    registry.enrol(
        budi,
        programmes["BPNT"],
        start=a_year_ago,
        end=today - dt.timedelta(days=30),
        source="fixture",
    )
    registry.enrol(
        rizky,
        programmes["KARTU_SAHABAT"],
        start=a_year_ago,
        amount=300_000,
        account_number="5210000000012345",
        source="fixture",
    )
    registry.enrol(
        rizky_twin, programmes["PBI-JK"], start=today - dt.timedelta(days=730), source="fixture"
    )
    registry.enrol(
        soetrisno,
        programmes["PKH"],
        start=today - dt.timedelta(days=1460),
        end=today - dt.timedelta(days=730),
        source="fixture",
    )
    return People(
        budi=budi,
        siti=siti,
        rizky=rizky,
        rizky_twin=rizky_twin,
        rizky_other=rizky_other,
        soetrisno=soetrisno,
        unknown_nik=make_nik(dt.date(1990, 3, 14), Sex.FEMALE, serial=42),
        today=today,
    )


@pytest.fixture
def file_case(kediri) -> Callable[..., Case]:
    """``file_case(kind=CaseKind.OBJECTION, **fields)``: a citizen's case filed through
    ``cases.submit_case`` (numbered), in Bandar Lor unless ``kelurahan`` says otherwise."""

    def file(kind: str = CaseKind.OBJECTION, **fields: str) -> Case:
        values = {
            "subject_name": "Budi Santoso",
            "kelurahan": BANDAR_LOR,
            "reason": "Sudah bekerja tetap sebagai pegawai pabrik sejak tahun lalu.",
            **fields,
        }
        return cases.submit_case(cases.NewCase(kind=kind, **values))

    return file
