"""Open311 client keys (``api_key``): issued by administrators to client applications, shown
once, stored as a SHA-256 only (as personal API tokens are, ``core.tokens``)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from kotacerdas.core.models import User
from kotacerdas.core.tokens import hash_token
from kotacerdas.servicedesk.models import ClientKey

KEY_PREFIX = "o311_"


@dataclass(frozen=True)
class IssuedKey:
    """A newly issued key: ``secret`` is shown once and never again."""

    key: ClientKey
    secret: str


@transaction.atomic
def issue_key(name: str, created_by: User | None = None) -> IssuedKey:
    """A new key for the client application ``name``."""
    name = name.strip()
    if not name:
        raise ValueError("a client key needs a name")
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    key = ClientKey.objects.create(
        name=name[:100], prefix=secret[:10], key_hash=hash_token(secret), created_by=created_by
    )
    return IssuedKey(key=key, secret=secret)


@transaction.atomic
def revoke_key(key: ClientKey) -> None:
    """Stop a key from working; the record stays for the audit trail and the requests it
    filed."""
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])


def client_for_key(secret: str) -> ClientKey | None:
    """The active client a presented ``api_key`` belongs to, or None."""
    if not secret.startswith(KEY_PREFIX) or len(secret) > 100:
        return None
    key = ClientKey.objects.filter(key_hash=hash_token(secret), revoked_at__isnull=True).first()
    if key is not None and (
        key.last_used_at is None or timezone.now() - key.last_used_at > timedelta(minutes=5)
    ):
        # Touch at most every few minutes: a busy client should not write on every call.
        ClientKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
    return key
