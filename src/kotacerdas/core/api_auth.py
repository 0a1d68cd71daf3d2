"""How API clients authenticate: a personal token (``Authorization: Bearer kc_...``) for
machine clients, or the browser session (with CSRF) for the platform's own pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from kotacerdas.core.audit import attribute_to
from kotacerdas.core.tokens import user_for_token


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is None:
            return None
        request.user = user
        attribute_to(user)
        return user


class ActiveSessionAuth(SessionAuth):
    """The signed-in browser session; ninja checks the CSRF token on unsafe methods."""


# Endpoints that need a signed-in user accept either.
signed_in = [TokenAuth(), ActiveSessionAuth()]
