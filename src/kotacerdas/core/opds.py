"""OPD records: the one write path used by the web form, the API and the admin, and who to
write to at an OPD."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from kotacerdas.core.access import editable_opd_fields
from kotacerdas.core.audit import records_actor
from kotacerdas.core.models import Opd, User


@records_actor
@transaction.atomic
def update_opd(actor: User, opd: Opd, changes: dict[str, Any]) -> Opd:
    """Apply ``changes`` to ``opd`` on behalf of ``actor``.

    An administrator may change any reference field; an OPD officer only the contact fields of
    their own OPD. Refuses the whole change (nothing saved) if any field is not the actor's to
    change or any value is invalid. The audit trail records the before and after values.
    """
    allowed = set(editable_opd_fields(actor, opd))
    if not allowed:
        raise PermissionDenied("You may not change this OPD.")
    refused = sorted(set(changes) - allowed)
    if refused:
        raise PermissionDenied(f"You may not change these fields: {', '.join(refused)}.")
    for field, value in changes.items():
        setattr(opd, field, value)
    opd.full_clean(validate_unique=False, validate_constraints=False)
    if opd.parent_id == opd.pk:
        raise ValidationError({"parent": "An OPD cannot be its own parent unit."})
    opd.save(update_fields=[*changes, "updated_at"])
    return opd


def mail_recipients(opd: Opd) -> list[str]:
    """Where mail to an OPD goes: its office address and its active officers' addresses,
    each once, sorted (reminders of overdue reports and action items)."""
    addresses = {opd.email} if opd.email else set()
    addresses |= {
        email
        for email in User.objects.filter(opd=opd, is_active=True).values_list("email", flat=True)
        if email
    }
    return sorted(addresses)
