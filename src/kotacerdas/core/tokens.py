"""Personal API tokens for machine clients.

A token is ``kc_`` followed by 32 random bytes (URL-safe base64). Only its SHA-256 is stored:
the token is high-entropy, so a fast hash is as safe as a slow one and keeps every API call
cheap. The first characters are kept in clear as a prefix so the owner can tell tokens apart.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from kotacerdas.core.models import ApiToken, User

TOKEN_PREFIX = "kc_"  # noqa: S105 - a public marker, not a secret


@dataclass(frozen=True)
class IssuedToken:
    """A newly issued token: ``secret`` is shown to the user once and never again."""

    token: ApiToken
    secret: str


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def issue_token(user: User, name: str) -> IssuedToken:
    """Create a token for ``user`` named ``name`` (for example the client that will use it)."""
    name = name.strip()
    if not name:
        raise ValueError("a token needs a name")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name[:80], prefix=secret[:10], key_hash=hash_token(secret)
    )
    return IssuedToken(token=token, secret=secret)


@transaction.atomic
def revoke_token(token: ApiToken) -> None:
    """Stop a token from working. The record stays, for the audit trail."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def user_for_token(secret: str) -> User | None:
    """The active user a presented token belongs to, or None for an unknown or revoked token
    or an inactive user."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    # Record use at most once a minute, so a busy client does not write on every call.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
