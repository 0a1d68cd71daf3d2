"""Who may see and change what in the social-aid registry.

The registry is Dinas Sosial's: its officers and the administrators work in it and may reveal
identity numbers (every reveal recorded). Executives see the figures, never a person. Nobody
else enters the staff pages; citizens reach only Cek Bansos and the usul/sanggah form.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AnonymousUser

from kotacerdas.core import access
from kotacerdas.core.choices import Role
from kotacerdas.core.models import User

AnyUser = User | AnonymousUser


def is_social_affairs(user: AnyUser) -> bool:
    """An administrator or an officer of the social affairs OPD (settings.BANSOS["OPD"])."""
    return access.is_administrator(user) or access.is_officer_of(user, settings.BANSOS["OPD"])


def can_work_registry(user: AnyUser) -> bool:
    """Import, link, review matches, decide cases and run disbursements."""
    return is_social_affairs(user)


def can_reveal_identity(user: AnyUser) -> bool:
    """See a NIK, KK number, address or account number unmasked (each time recorded)."""
    return is_social_affairs(user)


def can_see_figures(user: AnyUser) -> bool:
    """Recipients per programme, data-quality figures and reconciliation totals."""
    return is_social_affairs(user) or access.has_role(user, Role.EXECUTIVE)
