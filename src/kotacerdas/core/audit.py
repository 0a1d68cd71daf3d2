"""The audit trail: who created, changed or deleted which record, when, with before/after values.

Recording is done by django-auditlog from model signals, so every write through the UI, the
Django admin, the API or the CLI is covered as soon as its model is registered here (domain apps
register their own models the same way, with ``auditlog.register``). Bulk loads of reference data
bypass signals on purpose: 91,599 regions are one event, not 91,599. A domain write that
changes many records at once (an import, a bank's result file) records them with
``log_bulk_changes``, attributed like any other entry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any, TypeVar

from auditlog.cid import get_cid
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.auth.models import AnonymousUser, Group
from django.contrib.contenttypes.models import ContentType
from django.db import router
from django.db.models import Model
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

from kotacerdas.core.models import ApiToken, Opd, Pillar, Region, User

T = TypeVar("T")


def register_core_models() -> None:
    """Put the core models under the audit trail (called once at start-up)."""
    auditlog.register(Region)
    auditlog.register(Pillar)
    auditlog.register(Opd)
    # Secrets never enter the trail: not the password hash, not the token hash.
    auditlog.register(User, exclude_fields=["password", "last_login"], m2m_fields={"groups"})
    auditlog.register(ApiToken, exclude_fields=["key_hash", "last_used_at"])
    auditlog.register(Group, m2m_fields={"permissions"})


# The user acting in the current request, command or task, when the platform knows better than
# the session: an API token's owner, or the actor passed to a domain function. django-auditlog
# keeps its own context in a variable it never resets between requests, so ours is separate and
# always restored (see ``acting_as`` and ``AuditActorMiddleware``).
_actor: ContextVar[User | None] = ContextVar("kotacerdas_audit_actor", default=None)


@receiver(pre_save, sender=LogEntry)
def _stamp_actor(sender: type, instance: LogEntry, **kwargs: Any) -> None:
    _stamp(instance, _actor.get())


def _stamp(entry: LogEntry, user: User | None) -> None:
    """Attribute an entry that names no actor yet to ``user``: the account and its e-mail
    address, kept apart because an account can be deleted and its address changed."""
    if user is not None and entry.actor_id is None:
        entry.actor = user
        entry.actor_email = getattr(user, "email", None)


# Entries per INSERT: small enough for SQLite's limit on query parameters.
BULK_CHUNK = 500


def log_bulk_changes(
    model: type[Model],
    changes: Iterable[tuple[Any, str, dict[str, list[Any]]]],
    *,
    source: str,
    actor: User | AnonymousUser | None = None,
) -> list[LogEntry]:
    """Audit-trail entries for records a bulk write changed (``bulk_update`` and queryset
    updates send no signal, so django-auditlog sees nothing of them): one "update" entry per
    ``(pk, label, {field: [before, after]})``, with ``additional_data`` ``{"source": source}``
    (an import, a bank result). Written in one INSERT per ``BULK_CHUNK`` entries, where a save
    each would cost a query per record.

    ``bulk_create`` sends no ``pre_save`` either, so the entries are attributed here as a save
    attributes them: to ``actor`` when it is a signed-in user, else to the actor of the
    surrounding ``acting_as`` or ``attribute_to``; django-auditlog's own request context (the
    client's address) is applied by sending its ``pre_save`` receiver each entry."""
    content_type = ContentType.objects.get_for_model(model)
    user = actor if isinstance(actor, User) and actor.is_authenticated else _actor.get()
    database = router.db_for_write(LogEntry)
    cid = get_cid()
    entries = []
    for pk, label, diff in changes:
        entry = LogEntry(
            content_type=content_type,
            object_pk=str(pk),
            object_id=pk if isinstance(pk, int) else None,
            object_repr=label,
            action=LogEntry.Action.UPDATE,
            changes=diff,
            additional_data={"source": source},
            cid=cid,
        )
        _stamp(entry, user)
        pre_save.send(
            sender=LogEntry, instance=entry, raw=False, using=database, update_fields=None
        )
        entries.append(entry)
    return LogEntry.objects.bulk_create(entries, batch_size=BULK_CHUNK)


def attribute_to(user: User) -> None:
    """Attribute the rest of the current request's audit entries to ``user`` (an API client
    authenticated by token). ``AuditActorMiddleware`` clears it when the request ends."""
    _actor.set(user)


@contextmanager
def acting_as(user: User) -> Iterator[None]:
    """Record ``user`` as the actor of the audit entries written inside the block, in a web
    request, a CLI command or a background task alike."""
    token = _actor.set(user)
    try:
        yield
    finally:
        _actor.reset(token)


class AuditActorMiddleware:
    """Start every request with no explicit actor and restore the previous state after it, so a
    token user never leaks into the next request served by the same worker."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _actor.set(None)
        try:
            return self.get_response(request)
        finally:
            _actor.reset(token)


def records_actor(function: Callable[..., T]) -> Callable[..., T]:
    """Decorate a domain function whose first argument is the acting user, so that everything it
    writes is attributed to that user in the audit trail, whoever calls it."""

    @wraps(function)
    def wrapper(actor: User, *args: Any, **kwargs: Any) -> T:
        with acting_as(actor):
            return function(actor, *args, **kwargs)

    return wrapper
