"""Personal data (UU 27/2022): encrypted at rest, found by keyed hash, masked by default, and
every view or export of it recorded.

- **Encryption.** Fields holding a phone number, an e-mail address, a NIK, a KK number or a home
  address are ``EncryptedTextField``: the database holds only Fernet tokens (AES-128-CBC with an
  HMAC-SHA256 tag, so a tampered value is refused, not misread). The key is
  ``KOTACERDAS_DATA_KEY`` or, on a machine with no configuration, ``<data dir>/data_key``,
  generated once with owner-only permissions; it is never in the database, so a copy of the
  database alone reveals nothing.
- **Blind index.** An encrypted value cannot be searched, so a record also keeps a keyed hash
  (HMAC-SHA256 under a key derived from the data key and the kind of value) of the normalised
  value: equal values give equal hashes, and without the key a list of phone numbers cannot be
  hashed to find one.
- **Masking.** Pages show ``mask_phone``/``mask_email``/``mask_text`` unless the reader's role
  needs the value and they ask for it; that view is recorded with ``record_access``.
- Values never reach the log: the functions here are ``sensitive_variables``, messages never
  repeat a value, and the audit trail excludes encrypted fields (each app registers them so).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Iterable
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

# A phone number as people write it: digits with +, spaces, dots, dashes and brackets.
PHONE_TEXT = re.compile(r"\+?[\d\s().-]+")
# Indonesian numbers have 8-13 digits after the trunk prefix 0 (or the country code 62).
PHONE_DIGITS = range(8, 14)

# The contact key is derived from SECRET_KEY and this purpose (the name is historical: the impact
# survey was its first user, and changing it would break the link to earlier responses).
# Rotating SECRET_KEY starts new keys: a contact seen before the rotation is no longer
# recognised as the same person's.
CONTACT_KEY_PURPOSE = "kotacerdas.evaluation.survey.respondent_key"


@cache
def _fernet() -> Fernet:
    return Fernet(settings.PERSONAL_DATA_KEY)


@cache
def _index_key(kind: str) -> bytes:
    # A separate key per kind of value, so a NIK's hash can never be compared with a phone's.
    master = base64.urlsafe_b64decode(settings.PERSONAL_DATA_KEY)
    return hmac.new(master, f"kotacerdas.blind-index.{kind}".encode(), hashlib.sha256).digest()


@sensitive_variables("value")
def encrypt(value: str) -> str:
    """The Fernet token of ``value``; a new one each time (random IV), so equal values do not
    look equal in the database."""
    return _fernet().encrypt(value.encode()).decode("ascii")


@sensitive_variables("token")
def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode("ascii")).decode()
    except InvalidToken:
        # Never the value: only that this key cannot read it (a wrong or rotated data key).
        raise ValueError(
            "a personal-data field cannot be decrypted with this KOTACERDAS_DATA_KEY"
        ) from None


@sensitive_variables("value")
def blind_index(kind: str, value: str) -> str:
    """The keyed hash by which records holding ``value`` are found (64 hex digits)."""
    return hmac.new(_index_key(kind), value.encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """A text column stored encrypted. Reads and writes plain ``str`` in Python; the database
    holds only the token. It cannot be filtered or ordered by: pair it with a blind index."""

    description = "Text encrypted at rest"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value: Any) -> str | None:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)


# ---------------------------------------------------------------------------------------------
# Contacts: one spelling and one key per person


@sensitive_variables("contact", "text", "email", "digits", "national")
def normalise_contact(contact: str, *, allow_id: bool = False) -> str:
    """The contact in one spelling, so that the same person gives the same key: an e-mail
    address lower-cased (``email:budi@example.id``), a phone number as digits with the country
    code (0812-3456-7890, +62 812 3456 7890 and 6281234567890 are all ``phone:6281234567890``).

    With ``allow_id``, anything else is taken as a respondent id from a survey run elsewhere
    (``id:r-017``); otherwise it is refused. The message never repeats the contact.
    """
    text = " ".join(contact.split())
    if not text:
        raise ValidationError(_("Give your phone number or e-mail address."), code="required")
    if "@" in text:
        email = text.lower()
        try:
            validate_email(email)
        except ValidationError:
            if not allow_id:
                raise ValidationError(
                    _("This is not a valid e-mail address."), code="invalid"
                ) from None
        else:
            return f"email:{email}"
    elif PHONE_TEXT.fullmatch(text):
        digits = re.sub(r"\D", "", text)
        if digits.startswith("62"):
            national = digits[2:]
        elif digits.startswith("0"):
            national = digits[1:]
        else:
            national = digits
        if len(national) in PHONE_DIGITS:
            return f"phone:62{national}"
    if allow_id:
        return f"id:{text.casefold()}"
    raise ValidationError(
        _("Give a phone number (such as 0812 3456 7890) or an e-mail address."), code="invalid"
    )


@sensitive_variables("contact")
def contact_key(contact: str, *, allow_id: bool = False) -> str:
    """A person's key from their phone number or e-mail address: HMAC-SHA256 of the normalised
    contact (``normalise_contact``) under a key derived from SECRET_KEY, as 64 hex digits. The
    impact survey knows respondents by it and the service desk keeps it on each request, so the
    survey can tell whether a respondent really used a service."""
    normalised = normalise_contact(contact, allow_id=allow_id)
    return salted_hmac(CONTACT_KEY_PURPOSE, normalised, algorithm="sha256").hexdigest()


# ---------------------------------------------------------------------------------------------
# Masking


@sensitive_variables("phone", "digits")
def mask_phone(phone: str) -> str:
    """0812-3456-7890 -> 0812******90: the operator prefix and the last two digits."""
    digits = re.sub(r"\D", "", phone)
    if len(digits) <= 6:
        return "*" * len(digits)
    return digits[:4] + "*" * (len(digits) - 6) + digits[-2:]


@sensitive_variables("email", "local")
def mask_email(email: str) -> str:
    """budi.santoso@example.id -> b**********o@example.id: the domain stays, for telling
    addresses apart."""
    local, _sep, domain = email.partition("@")
    masked = "*" * len(local) if len(local) <= 2 else local[0] + "*" * (len(local) - 2) + local[-1]
    return f"{masked}@{domain}" if domain else masked


@sensitive_variables("text")
def mask_text(text: str) -> str:
    """Each word as its first and last letter with stars between (Cek Bansos's rule):
    "Siti Aminah" -> "S**i A****h"."""
    return " ".join(
        word if len(word) <= 2 else word[0] + "*" * (len(word) - 2) + word[-1]
        for word in text.split()
    )


# Access rows per INSERT: small enough for SQLite's limit on query parameters.
ACCESS_CHUNK = 500


def record_access(user: Any, subject: models.Model, fields: list[str], action: str) -> None:
    """Record that ``user`` saw (``view``) or exported (``export``) personal data of
    ``subject``. Called by every page, export and API endpoint that shows it unmasked."""
    record_accesses(user, type(subject), [subject.pk], fields, action)


def record_accesses(
    user: Any,
    model: type[models.Model] | str,
    ids: Iterable[Any],
    fields: list[str],
    action: str,
) -> int:
    """``record_access`` for many records of one model at once (an export of a list): one
    access row per record id, written in bulk. ``model`` is the model or its label
    (``"bansos.Person"``). Returns how many were recorded."""
    from kotacerdas.core.models import PersonalDataAccess

    label = (apps.get_model(model) if isinstance(model, str) else model)._meta.label_lower
    reader = user if getattr(user, "is_authenticated", False) else None
    rows = [
        PersonalDataAccess(
            user=reader,
            action=action,
            subject_type=label,
            subject_id=str(pk),
            fields=",".join(fields),
        )
        for pk in ids
    ]
    PersonalDataAccess.objects.bulk_create(rows, batch_size=ACCESS_CHUNK)
    return len(rows)
