"""Usul and sanggah: a citizen proposes someone for social aid (usul) or objects to a recipient
(sanggah), and Dinas Sosial decides.

A case names the person (and their NIK, if the citizen knows it), the kelurahan, why, and
optionally who is asking and how to reach them. It gets a number the citizen quotes,
``USL-2026-000012`` or ``SGH-2026-000034``, from its row id like PECUT's tracking numbers. The
NIK, the address and the reporter's contact are personal data: encrypted, the NIK found by its
blind index, never in the audit trail. When the NIK given is one of the registry's, the case is
linked to that person, so the clerk sees the person's programmes beside the case.

Deciding records the outcome (upheld or dismissed) with the clerk's reasons; what follows from
an upheld case (an enrolment, or the end of one) is done on the person's record, where the
registry's own rules apply.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from kotacerdas.bansos import registry, rules
from kotacerdas.bansos.choices import CaseKind, CaseStatus
from kotacerdas.bansos.identity import IdentityError, parse_nik
from kotacerdas.bansos.models import Case, Person
from kotacerdas.core.personal import normalise_contact
from kotacerdas.core.villages import city_village

NUMBER_PREFIX = {CaseKind.PROPOSAL: "USL", CaseKind.OBJECTION: "SGH"}
MAX_NAME = 150
MAX_ADDRESS = 300
MAX_REASON = 5000
MAX_CONTACT = 100
# The same case sent again this soon (a double tap, a reload of the sent form) is the first one.
DOUBLE_SUBMIT = dt.timedelta(minutes=10)


@dataclass
class NewCase:
    """What a citizen sends: the kind (``CaseKind``), the person concerned, the kelurahan (a
    Kemendagri code of the city), the reason, and the optional NIK, address, and the reporter's
    name and phone or e-mail."""

    kind: str
    subject_name: str
    kelurahan: str
    reason: str
    subject_nik: str = ""
    address: str = ""
    reporter_name: str = ""
    reporter_contact: str = ""

    def __repr__(self) -> str:  # personal data never in a traceback or a log line
        return f"NewCase({self.kind}, {self.kelurahan})"


def _text(value: str) -> str:
    return " ".join((value or "").split())


@sensitive_variables("new", "cleaned", "parsed")
def check_case(new: NewCase) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The case's fields cleaned, and every problem by field (messages never repeat a NIK or a
    contact)."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    if new.kind not in CaseKind.values:
        errors["kind"] = [_("Choose usul or sanggah.")]
    name = _text(new.subject_name)
    if not name:
        errors["subject_name"] = [_("Give the name of the person.")]
    elif len(name) > MAX_NAME:
        errors["subject_name"] = [_("At most %(n)d characters.") % {"n": MAX_NAME}]
    cleaned["subject_name"] = name

    cleaned["subject_nik"] = cleaned["subject_nik_index"] = ""
    if (new.subject_nik or "").strip():
        try:
            parsed = parse_nik(new.subject_nik)
        except IdentityError as exc:
            errors["subject_nik"] = [str(exc)]
        else:
            cleaned["subject_nik"] = parsed.value
            cleaned["subject_nik_index"] = registry.nik_index(parsed.value)

    code = (new.kelurahan or "").strip()
    region = city_village(code)
    if region is None:
        errors["kelurahan"] = [
            _("Pick a kelurahan from the list.") if code else _("Choose a kelurahan.")
        ]
    cleaned["kelurahan"] = region

    address = _text(new.address)
    if len(address) > MAX_ADDRESS:
        errors["address"] = [_("At most %(n)d characters.") % {"n": MAX_ADDRESS}]
    cleaned["address"] = address

    reason = (new.reason or "").strip()
    if not reason:
        errors["reason"] = [_("Say why: what you know of the person's situation.")]
    elif len(reason) > MAX_REASON:
        errors["reason"] = [_("At most %(n)d characters.") % {"n": MAX_REASON}]
    cleaned["reason"] = reason

    reporter = _text(new.reporter_name)
    if len(reporter) > MAX_NAME:
        errors["reporter_name"] = [_("At most %(n)d characters.") % {"n": MAX_NAME}]
    cleaned["reporter_name"] = reporter

    contact = _text(new.reporter_contact)
    if contact:
        try:
            if len(contact) > MAX_CONTACT:
                raise ValidationError(_("This is not a phone number or an e-mail address."))
            normalise_contact(contact)
        except ValidationError as exc:
            errors["reporter_contact"] = list(exc.messages)
    cleaned["reporter_contact"] = contact
    return cleaned, errors


@sensitive_variables("new", "cleaned")
def submit_case(new: NewCase, at: dt.datetime | None = None) -> Case:
    """File a citizen's usul or sanggah and give it its number. Raises ``ValidationError`` with
    every problem by field, having saved nothing. The same case sent again within
    ``DOUBLE_SUBMIT`` while still open is answered with the first one, not filed twice."""
    cleaned, errors = check_case(new)
    if errors:
        raise ValidationError(errors)
    at = at or timezone.now()
    with transaction.atomic():
        earlier = (
            Case.objects.filter(
                kind=new.kind,
                status=CaseStatus.OPEN,
                subject_name=cleaned["subject_name"],
                subject_nik_index=cleaned["subject_nik_index"],
                kelurahan=cleaned["kelurahan"],
                reason=cleaned["reason"],
                created_at__gte=at - DOUBLE_SUBMIT,
            )
            .order_by("pk")
            .first()
        )
        if earlier is not None:
            return earlier
        person = None
        if cleaned["subject_nik_index"]:
            person = Person.objects.filter(nik_index=cleaned["subject_nik_index"]).first()
        case = Case.objects.create(kind=new.kind, person=person, **cleaned)
        case.number = f"{NUMBER_PREFIX[new.kind]}-{timezone.localtime(at).year}-{case.pk:06d}"
        # A queryset update: the number is derived, not a change worth an audit entry of its own.
        Case.objects.filter(pk=case.pk).update(number=case.number)
    return case


@transaction.atomic
def decide_case(case: Case, user: Any, status: str, note: str) -> Case:
    """Dinas Sosial's decision on an open case: upheld or dismissed, with the reasons (required,
    kept with the case). The case is re-read under a lock, so two clerks cannot both decide it.
    Returns the decided case; raises ``PermissionDenied`` for anyone who does not work in the
    registry and ``ValidationError`` naming the field otherwise."""
    if not rules.can_work_registry(user):
        raise PermissionDenied(_("Only Dinas Sosial decides usul and sanggah."))
    fresh = Case.objects.select_for_update().get(pk=case.pk)
    errors: dict[str, list[str]] = {}
    if fresh.status != CaseStatus.OPEN:
        errors["status"] = [_("This case has already been decided.")]
    elif status not in (CaseStatus.UPHELD, CaseStatus.DISMISSED):
        errors["status"] = [_("Choose upheld or dismissed.")]
    note = (note or "").strip()
    if not note:
        errors["note"] = [_("Write the reasons for the decision.")]
    if errors:
        raise ValidationError(errors)
    fresh.status = status
    fresh.decision_note = note
    fresh.decided_by = user
    fresh.decided_at = timezone.now()
    fresh.save(update_fields=["status", "decision_note", "decided_by", "decided_at"])
    return fresh
