"""Personal data (core.personal): encrypted at rest, found by a keyed hash, masked by default,
every unmasked view recorded, and never in the audit trail."""

from __future__ import annotations

import re

import pytest
from cryptography.fernet import Fernet
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from kotacerdas.core import personal
from kotacerdas.core.models import Opd, PersonalDataAccess

PHONE = "0812-3456-7890"
PHONE_DIGITS = "081234567890"
EMAIL = "budi@example.id"


@pytest.fixture
def switch_data_key(settings):
    """Give the platform a fresh data key, as often as a test asks. The module caches the
    Fernet and the index keys, so the caches are emptied on every switch and again at the end
    (before the settings fixture puts the old key back): no other test sees a key of this one."""

    def switch() -> str:
        settings.PERSONAL_DATA_KEY = Fernet.generate_key().decode()
        personal._index_key.cache_clear()
        personal._fernet.cache_clear()
        return settings.PERSONAL_DATA_KEY

    personal._index_key.cache_clear()
    personal._fernet.cache_clear()
    try:
        yield switch
    finally:
        personal._index_key.cache_clear()
        personal._fernet.cache_clear()


def _messages(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


# --- Encryption ---------------------------------------------------------------------------------


def test_a_value_comes_back_from_its_token():
    # Given a value with non-ASCII text
    value = "Jl. Dhoho 5, Kediri — Bu Siti"
    # When it is encrypted and decrypted again
    token = personal.encrypt(value)
    # Then the value is unchanged, and the token does not show it
    assert personal.decrypt(token) == value
    assert "Dhoho" not in token and "Siti" not in token


def test_the_same_value_never_gives_the_same_token_twice():
    # Given one phone number encrypted twice
    first, second = personal.encrypt(PHONE), personal.encrypt(PHONE)
    # Then the tokens differ (a new IV each time), so equal values do not look equal at rest
    assert first != second
    assert personal.decrypt(first) == personal.decrypt(second) == PHONE


def test_a_tampered_token_is_refused_without_repeating_the_value():
    # Given a valid token with one character in its body changed
    token = personal.encrypt(PHONE)
    position = len(token) // 2
    replacement = "A" if token[position] != "A" else "B"
    tampered = token[:position] + replacement + token[position + 1 :]
    # When it is decrypted
    with pytest.raises(ValueError) as refused:
        personal.decrypt(tampered)
    # Then it is refused, not misread, and the message neither holds the value nor its digits
    message = str(refused.value)
    assert "KOTACERDAS_DATA_KEY" in message
    assert PHONE not in message and PHONE_DIGITS not in message


def test_a_token_made_with_another_key_is_refused_without_repeating_the_value():
    # Given a token written by a deployment with a different data key
    foreign = Fernet(Fernet.generate_key()).encrypt(PHONE.encode()).decode()
    # When this deployment decrypts it
    with pytest.raises(ValueError) as refused:
        personal.decrypt(foreign)
    # Then it is refused, and the message does not hold the value
    assert PHONE not in str(refused.value)
    assert PHONE_DIGITS not in str(refused.value)


def test_text_that_is_no_token_at_all_is_refused():
    with pytest.raises(ValueError):
        personal.decrypt("0812-3456-7890")


def test_a_token_written_under_another_data_key_cannot_be_read(switch_data_key):
    # Given a token written under the data key of the day
    token = personal.encrypt(PHONE)
    assert personal.decrypt(token) == PHONE
    # When the key is replaced (a lost or rotated key)
    switch_data_key()
    # Then the token is refused rather than misread
    with pytest.raises(ValueError) as refused:
        personal.decrypt(token)
    assert PHONE not in str(refused.value)


# --- Blind index --------------------------------------------------------------------------------


def test_equal_values_give_equal_blind_indexes_of_64_hex_digits():
    first = personal.blind_index("phone", "6281234567890")
    assert first == personal.blind_index("phone", "6281234567890")
    assert re.fullmatch(r"[0-9a-f]{64}", first)
    assert first != personal.blind_index("phone", "6281234567891")
    assert "6281234567890" not in first


def test_the_same_value_of_two_kinds_gives_two_blind_indexes():
    # Given a 16-digit number that could be a NIK or a KK number
    number = "3571010101010001"
    # Then its hash as a NIK cannot be matched with its hash as a KK number or a phone
    hashes = {personal.blind_index(kind, number) for kind in ("nik", "kk", "phone")}
    assert len(hashes) == 3


def test_the_blind_index_depends_on_the_data_key(switch_data_key):
    # Given a value's index under this deployment's key
    value = "6281234567890"
    before = personal.blind_index("phone", value)
    # When the data key is another one
    switch_data_key()
    after = personal.blind_index("phone", value)
    # Then the index differs: without the key a list of numbers cannot be hashed to find one
    assert before != after
    assert re.fullmatch(r"[0-9a-f]{64}", after)
    assert after == personal.blind_index("phone", value)


# --- Contacts -----------------------------------------------------------------------------------


def test_every_spelling_of_a_phone_number_is_one_normalised_contact():
    spellings = (
        "0812-3456-7890",
        "+62 812 3456 7890",
        "6281234567890",
        "81234567890",
        "(0812) 3456.7890",
        "  0812   3456\t7890 ",
    )
    assert {personal.normalise_contact(s) for s in spellings} == {"phone:6281234567890"}
    assert len({personal.contact_key(s) for s in spellings}) == 1


def test_an_email_address_is_normalised_to_lower_case():
    assert personal.normalise_contact(" Budi@Example.ID ") == "email:budi@example.id"
    assert personal.contact_key("BUDI@EXAMPLE.ID") == personal.contact_key(EMAIL)
    assert personal.contact_key(EMAIL) != personal.contact_key("budi2@example.id")


def test_a_phone_number_has_eight_to_thirteen_national_digits():
    # 8 and 13 digits after the trunk prefix are numbers; 7 and 14 are not
    assert personal.normalise_contact("0" + "8" * 8) == "phone:62" + "8" * 8
    assert personal.normalise_contact("0" + "8" * 13) == "phone:62" + "8" * 13
    for wrong in ("0" + "8" * 7, "0" + "8" * 14):
        with pytest.raises(ValidationError):
            personal.normalise_contact(wrong)


def test_a_phone_number_and_an_email_address_never_share_a_key():
    assert personal.contact_key(PHONE) != personal.contact_key(EMAIL)
    assert re.fullmatch(r"[0-9a-f]{64}", personal.contact_key(PHONE))


@pytest.mark.parametrize(
    "not_a_contact",
    ["budi@", "budi@@example.id", "budi santoso", "0812-34", "0812-3456-7890-1234-56", "jl. dhoho"],
)
def test_a_bad_contact_is_refused_without_repeating_it(not_a_contact):
    with pytest.raises(ValidationError) as refused:
        personal.contact_key(not_a_contact)
    assert not_a_contact not in _messages(refused.value)
    assert refused.value.code == "invalid"


def test_an_empty_contact_is_asked_for():
    with pytest.raises(ValidationError) as refused:
        personal.normalise_contact("   ")
    assert refused.value.code == "required"


def test_with_ids_allowed_anything_else_is_a_respondent_id():
    # Given a survey run elsewhere, whose respondents are ids
    assert personal.normalise_contact("R-017", allow_id=True) == "id:r-017"
    assert personal.normalise_contact("budi@", allow_id=True) == "id:budi@"
    # Then ids are case-insensitive, and a real phone or e-mail is still normalised as such
    assert personal.contact_key("R-017", allow_id=True) == personal.contact_key(
        "r-017", allow_id=True
    )
    assert personal.normalise_contact(PHONE, allow_id=True) == "phone:6281234567890"
    assert personal.normalise_contact("Budi@Example.id", allow_id=True) == "email:budi@example.id"


# --- Masking ------------------------------------------------------------------------------------


def test_a_phone_number_is_masked_to_its_operator_prefix_and_last_two_digits():
    assert personal.mask_phone("0812-3456-7890") == "0812******90"
    assert personal.mask_phone("+62 812 3456 7890") == "6281*******90"


def test_a_short_number_is_all_stars():
    assert personal.mask_phone("123456") == "******"
    assert personal.mask_phone("12-34") == "****"
    assert personal.mask_phone("") == ""


def test_an_email_address_keeps_its_domain():
    assert personal.mask_email("budi.santoso@example.id") == "b**********o@example.id"
    assert personal.mask_email("ab@example.id") == "**@example.id"
    assert personal.mask_email("budi") == "b**i"


def test_a_name_keeps_the_first_and_last_letter_of_each_word():
    # One star per hidden letter, as the docstring's rule says. (Its example, "S**i A***h",
    # shows three stars for the four hidden letters of "Aminah": the example is mistaken.)
    assert personal.mask_text("Siti Aminah") == "S**i A****h"
    assert personal.mask_text("Al  Amin") == "Al A**n"
    assert personal.mask_text("Budi") == "B**i"


@st.composite
def written_phone_numbers(draw) -> tuple[str, str]:
    """A phone number's digits and the number as someone might write it."""
    digits = draw(st.text(alphabet="0123456789", min_size=1, max_size=16))
    separators = st.sampled_from(["", "", " ", "-", ".", "(", ")"])
    written = "".join(digit + draw(separators) for digit in digits)
    prefix = draw(st.sampled_from(["", "+", " "]))
    return digits, prefix + written


@given(written_phone_numbers())
def test_a_masked_phone_number_shows_at_most_the_first_four_and_last_two_digits(number):
    digits, written = number
    masked = personal.mask_phone(written)
    # One character per digit, whatever the separators
    assert len(masked) == len(digits)
    if len(digits) <= 6:
        assert masked == "*" * len(digits)
    else:
        # The middle is all stars; only the prefix and the last two digits remain
        assert masked[:4] == digits[:4]
        assert masked[-2:] == digits[-2:]
        assert set(masked[4:-2]) == {"*"}
        assert sum(ch.isdigit() for ch in masked) == 6


# --- Recorded access ----------------------------------------------------------------------------


def test_an_unmasked_view_is_recorded_with_who_whose_and_which_fields(dinsos, administrator):
    # Given a record holding personal data (any model: here an OPD) and a reader
    # When the reader sees fields unmasked, then one access is recorded, naming only the fields
    personal.record_access(administrator, dinsos, ["phone", "email"], "view")
    access = PersonalDataAccess.objects.get()
    assert access.user == administrator
    assert access.action == PersonalDataAccess.Action.VIEW
    assert (access.subject_type, access.subject_id) == ("core.opd", str(dinsos.pk))
    assert access.fields == "phone,email" and access.at is not None


def test_an_export_by_an_anonymous_reader_is_recorded_without_a_user(dinsos):
    personal.record_access(AnonymousUser(), dinsos, ["phone"], "export")
    access = PersonalDataAccess.objects.get()
    assert access.user is None and access.action == PersonalDataAccess.Action.EXPORT


def test_an_export_of_many_records_is_recorded_once_per_record(dinsos, dinkes, administrator):
    # Given a list of records exported at once, named by model or by label
    recorded = personal.record_accesses(
        administrator, Opd, [dinsos.pk, dinkes.pk], ["name", "phone"], "export"
    )
    personal.record_accesses(administrator, "core.Opd", [dinsos.pk], ["email"], "view")

    # Then each record has its own access row, like ``record_access`` writes one at a time
    assert recorded == 2
    rows = PersonalDataAccess.objects.order_by("pk")
    assert list(rows.values_list("user", "action", "subject_type", "subject_id", "fields")) == [
        (administrator.pk, "export", "core.opd", str(dinsos.pk), "name,phone"),
        (administrator.pk, "export", "core.opd", str(dinkes.pk), "name,phone"),
        (administrator.pk, "view", "core.opd", str(dinsos.pk), "email"),
    ]
    assert all(row.at is not None for row in rows)
    assert personal.record_accesses(AnonymousUser(), Opd, [], ["phone"], "export") == 0
