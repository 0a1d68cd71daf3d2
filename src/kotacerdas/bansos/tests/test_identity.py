"""NIK and KK number checks: the layout, the +40 rule for women, the region prefix, real dates,
the serial, and mismatches that warn instead of refusing."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kotacerdas.bansos.choices import Sex
from kotacerdas.bansos.identity import (
    IdentityError,
    clean_number,
    kecamatan_codes,
    nik_date_digits,
    nik_warnings,
    parse_kk,
    parse_nik,
)

TODAY = dt.date(2026, 11, 24)


def test_a_mans_nik_is_taken_apart():
    nik = parse_nik("3571011203870003", today=TODAY)
    assert nik.region_code == "35.71.01"
    assert nik.birth_date == dt.date(1987, 3, 12)
    assert nik.sex == Sex.MALE
    assert nik.serial == 3


def test_a_womans_day_carries_forty_more():
    nik = parse_nik("3571015203870003", today=TODAY)
    assert nik.birth_date == dt.date(1987, 3, 12)
    assert nik.sex == Sex.FEMALE


def test_the_century_is_the_latest_that_is_not_in_the_future():
    assert parse_nik("3571010101250001", today=TODAY).birth_date == dt.date(2025, 1, 1)
    assert parse_nik("3571010101270001", today=TODAY).birth_date == dt.date(1927, 1, 1)
    # Later this year than today: born a century ago.
    assert parse_nik("3571013112260001", today=TODAY).birth_date == dt.date(1926, 12, 31)


def test_people_type_numbers_with_spaces_dots_and_a_spreadsheet_apostrophe():
    assert clean_number("'3571 0112.0387-0003") == "3571011203870003"
    assert parse_nik(" 35.71.01 120387 0003 ", today=TODAY).serial == 3


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("357101120387003", "length"),  # 15 digits
        ("35710112038700031", "length"),
        ("", "length"),
        ("3571011203870O03", "digits"),  # a letter O
        ("9971011203870003", "region"),  # no province 99
        ("3571991203870003", "region"),  # no kecamatan 99 in Kota Kediri
        ("3571013202870003", "date"),  # 32 February
        ("3571017202870003", "date"),  # a woman's 32nd
        ("3571012902870003", "date"),  # 29 February 1987
        ("3571011213870003", "date"),  # month 13
        ("3571011203870000", "serial"),
    ],
)
def test_impossible_niks_are_refused_with_the_reason(value, code):
    with pytest.raises(IdentityError) as caught:
        parse_nik(value, today=TODAY)
    assert caught.value.code == code
    # The message never repeats the number.
    assert value[:10] not in str(caught.value) or not value


def test_a_leap_day_is_a_real_date():
    assert parse_nik("3571012902840001", today=TODAY).birth_date == dt.date(1984, 2, 29)


def test_mismatches_with_the_record_are_warnings_not_errors():
    nik = parse_nik("3571011203870003", today=TODAY)
    assert nik_warnings(nik, dt.date(1987, 3, 12), Sex.MALE) == []
    # Swapped day and month in the record, and the other sex.
    assert nik_warnings(nik, dt.date(1987, 12, 3), Sex.FEMALE) == [
        "nik_dob_mismatch",
        "nik_sex_mismatch",
    ]
    # Nothing recorded: nothing to disagree with.
    assert nik_warnings(nik, None, "") == []


def test_a_kk_number_needs_sixteen_digits_and_a_region():
    assert parse_kk("3571010101200001") == "3571010101200001"
    with pytest.raises(IdentityError) as caught:
        parse_kk("1234560101200001")
    assert caught.value.code == "region"
    with pytest.raises(IdentityError):
        parse_kk("357101010120000")


def test_the_region_table_has_kota_kediris_three_kecamatan():
    assert {"357101", "357102", "357103"} <= kecamatan_codes()
    assert "357104" not in kecamatan_codes()


@given(
    birth=st.dates(min_value=dt.date(1927, 1, 1), max_value=TODAY),
    sex=st.sampled_from([Sex.MALE, Sex.FEMALE]),
    serial=st.integers(min_value=1, max_value=9999),
    prefix=st.sampled_from(["357101", "357102", "357103", "350601", "110101"]),
)
def test_a_nik_made_from_a_person_gives_that_person_back(birth, sex, serial, prefix):
    value = f"{prefix}{nik_date_digits(birth, sex)}{serial:04d}"
    nik = parse_nik(value, today=TODAY)
    assert (nik.birth_date, nik.sex, nik.serial) == (birth, sex, serial)
    assert nik_warnings(nik, birth, sex) == []


@given(digits=st.text(alphabet="0123456789", min_size=16, max_size=16))
def test_any_sixteen_digits_are_either_a_nik_or_refused_with_a_known_reason(digits):
    try:
        nik = parse_nik(digits, today=TODAY)
    except IdentityError as exc:
        assert exc.code in {"region", "date", "serial"}
    else:
        assert nik.birth_date <= TODAY
        assert nik_date_digits(nik.birth_date, nik.sex) == digits[6:12]
