"""Indonesian identity numbers: the NIK (Nomor Induk Kependudukan) and the KK number (Nomor
Kartu Keluarga), checked the way Dispendukcapil issues them.

A NIK is 16 digits::

    35 71 01 520387 0003
    |  |  |  |      +-- serial within the kecamatan and birth date, from 0001
    |  |  |  +--------- birth date DDMMYY; women have 40 added to the day (12 -> 52)
    |  |  +------------ kecamatan  } where the NIK was first issued, not where the
    |  +--------------- regency/city } person lives now: a NIK never changes
    +------------------ province

A KK number is 16 digits whose first six are the region (province, regency/city, kecamatan)
where the family card was issued.

A NIK is permanent and is never corrected, so a NIK whose date or sex disagrees with the
recorded birth date or sex is *valid*: the disagreement is a warning (``nik_warnings``) that a
clerk looks at, never a reason to refuse the record.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from functools import cache
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from kotacerdas.bansos.choices import NikWarning, Sex
from kotacerdas.core.reference_data import REFERENCE_DIR

NUMBER_LENGTH = 16
# What people put between the digits: spaces, dots and dashes.
_SEPARATORS = str.maketrans("", "", " .-")
# Women's NIKs carry the day of birth plus 40 (41-71).
FEMALE_DAY_OFFSET = 40


class IdentityError(ValueError):
    """A NIK or KK number that cannot be valid. ``code`` is stable (``length``, ``digits``,
    ``region``, ``date``, ``serial``) for reports and tests; the message says what is wrong in
    the reader's language and never repeats the number."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Nik:
    """A NIK taken apart. ``birth_date`` is the date the NIK encodes, with the century chosen
    so that the date is not in the future."""

    value: str
    region_code: str  # the kecamatan of first issue, as a Kemendagri code: 35.71.01
    birth_date: dt.date
    sex: str  # Sex.MALE or Sex.FEMALE
    serial: int


@cache
def region_codes(parts: int) -> frozenset[str]:
    """Every code of the Kemendagri table with this many parts (3: kecamatan ``35.71.01``,
    4: kelurahan/desa ``35.71.01.1001``). Read from the shipped table, not the database, so
    that imports and the linkage command check 300,000 rows without a query each."""
    with open(REFERENCE_DIR / "wilayah.csv", newline="", encoding="utf-8") as handle:
        return frozenset(
            row["kode"] for row in csv.DictReader(handle) if row["kode"].count(".") == parts - 1
        )


@cache
def kecamatan_codes() -> frozenset[str]:
    """Every kecamatan code without dots (``357101``): the prefixes a NIK or KK number can
    have."""
    return frozenset(code.replace(".", "") for code in region_codes(3))


@sensitive_variables("value", "digits")
def clean_number(value: str | int | None) -> str:
    """A NIK or KK number as digits only, accepting the spaces, dots and dashes people type and
    the apostrophe spreadsheets put before long numbers. Anything else is left for the checks
    to refuse (a number that lost digits in a spreadsheet, 3.57101E+15, stays wrong)."""
    if value is None:
        return ""
    return str(value).strip().lstrip("'").translate(_SEPARATORS)


def _check_shape(digits: str, label: str) -> None:
    if len(digits) != NUMBER_LENGTH:
        raise IdentityError(
            "length",
            _("%(label)s must have 16 digits, not %(count)d.")
            % {"label": label, "count": len(digits)},
        )
    if not digits.isascii() or not digits.isdigit():
        raise IdentityError("digits", _("%(label)s may contain digits only.") % {"label": label})
    if digits[:6] not in kecamatan_codes():
        raise IdentityError(
            "region",
            _("%(label)s starts with a region code that is not in the Kemendagri table.")
            % {"label": label},
        )


def _region_code(digits: str) -> str:
    return f"{digits[0:2]}.{digits[2:4]}.{digits[4:6]}"


@sensitive_variables("value", "digits")
def parse_nik(value: str | int | None, *, today: dt.date | None = None) -> Nik:
    """Check a NIK and take it apart; raises ``IdentityError`` naming the first problem."""
    digits = clean_number(value)
    _check_shape(digits, "NIK")
    day, month, year = int(digits[6:8]), int(digits[8:10]), int(digits[10:12])
    sex = Sex.MALE
    if day > FEMALE_DAY_OFFSET:
        day -= FEMALE_DAY_OFFSET
        sex = Sex.FEMALE
    # Today in Indonesia's western time, the civil registry's, without needing Django's clock.
    today = today or dt.datetime.now(ZoneInfo("Asia/Jakarta")).date()
    # Two-digit years: the latest century that does not put the birth in the future.
    century = 2000 if 2000 + year <= today.year else 1900
    try:
        birth_date = dt.date(century + year, month, day)
    except ValueError:
        raise IdentityError(
            "date", _("NIK digits 7-12 are not a real birth date (DDMMYY, women day + 40).")
        ) from None
    if birth_date > today:
        birth_date = birth_date.replace(year=birth_date.year - 100)
    serial = int(digits[12:16])
    if serial == 0:
        raise IdentityError("serial", _("NIK digits 13-16 (the serial number) cannot be 0000."))
    return Nik(
        value=digits,
        region_code=_region_code(digits),
        birth_date=birth_date,
        sex=sex,
        serial=serial,
    )


@sensitive_variables("value", "digits")
def parse_kk(value: str | int | None) -> str:
    """Check a KK number and return it as 16 digits; raises ``IdentityError``."""
    digits = clean_number(value)
    _check_shape(digits, _("KK number"))
    return digits


def nik_warnings(nik: Nik, birth_date: dt.date | None, sex: str | None) -> list[NikWarning]:
    """What a clerk should look at when a NIK disagrees with the recorded person:
    ``NikWarning.DOB_MISMATCH`` when the NIK's DDMMYY is not the recorded birth date (compared
    on day, month and the year's last two digits, since the NIK holds no century) and
    ``NikWarning.SEX_MISMATCH`` when the +40 rule says the other sex."""
    warnings = []
    if birth_date is not None and (
        nik.birth_date.day,
        nik.birth_date.month,
        nik.birth_date.year % 100,
    ) != (birth_date.day, birth_date.month, birth_date.year % 100):
        warnings.append(NikWarning.DOB_MISMATCH)
    if sex and sex != nik.sex:
        warnings.append(NikWarning.SEX_MISMATCH)
    return warnings


def nik_date_digits(birth_date: dt.date, sex: str) -> str:
    """The six date digits a NIK issued to this person carries (DDMMYY, women day + 40): used to
    make synthetic NIKs and to explain a mismatch."""
    day = birth_date.day + (FEMALE_DAY_OFFSET if sex == Sex.FEMALE else 0)
    return f"{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}"
