"""The audit trail: who created, changed or deleted which record, when, with before/after values.

Recording is done by django-auditlog from model signals, so every write through the UI, the
Django admin, the API or the CLI is covered as soon as its model is registered here (domain apps
register their own models the same way, with ``auditlog.register``). Bulk loads of reference data
bypass signals on purpose: 91,599 regions are one event, not 91,599.
"""

from __future__ import annotations

from auditlog.context import auditlog_value
from auditlog.registry import auditlog
from django.contrib.auth.models import Group

from kotacerdas.core.models import ApiToken, Opd, Pillar, Region, User


def register_core_models() -> None:
    """Put the core models under the audit trail (called once at start-up)."""
    auditlog.register(Region)
    auditlog.register(Pillar)
    auditlog.register(Opd)
    # Secrets never enter the trail: not the password hash, not the token hash.
    auditlog.register(User, exclude_fields=["password", "last_login"], m2m_fields={"groups"})
    auditlog.register(ApiToken, exclude_fields=["key_hash", "last_used_at"])
    auditlog.register(Group, m2m_fields={"permissions"})


def attribute_to(user: User) -> None:
    """Attribute the audit entries of the current request to ``user``.

    The audit middleware reads the session user when the request arrives; an API client that
    authenticates with a token is only known later, inside the API, and is recorded through this.
    """
    context = auditlog_value.get(None)
    if context is not None:
        context["actor"] = user
