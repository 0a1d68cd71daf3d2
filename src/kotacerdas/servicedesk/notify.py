"""Notifications to citizens and staff: e-mail through Django's mail backend, and any number of
further channels (an SMS or WhatsApp gateway) named in ``settings.SERVICEDESK["CHANNELS"]``.

A channel is a class with ``send(message)``. ``LogChannel`` writes a line per message for
development, with the recipient masked: a phone number never reaches the log. Delivery happens
after the transaction commits and a failing channel is logged, never raised: a request the desk
acknowledged must not be lost because a gateway was down.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils.module_loading import import_string

from kotacerdas.core.personal import mask_email, mask_phone

log = logging.getLogger(__name__)

# Set while demo data is loaded: invented citizens get no messages.
_muted: ContextVar[bool] = ContextVar("kotacerdas_notifications_muted", default=False)


@contextmanager
def muted() -> Iterator[None]:
    """Send nothing from inside the block (loading demo or historical data)."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


@dataclass(frozen=True)
class Message:
    """One notification to one person, by e-mail, phone or both."""

    subject: str
    body: str
    email: str = ""
    phone: str = ""

    def __repr__(self) -> str:  # never the contact, wherever a message is printed
        return f"Message({self.subject!r})"


class Channel(Protocol):
    def send(self, message: Message) -> None: ...


class EmailChannel:
    """E-mail through Django's backend (SMTP when EMAIL_HOST is set, else the console)."""

    def send(self, message: Message) -> None:
        if message.email:
            send_mail(message.subject, message.body, None, [message.email])


class LogChannel:
    """Development channel: logs that a message would go out, to a masked recipient."""

    def send(self, message: Message) -> None:
        recipient = mask_phone(message.phone) if message.phone else mask_email(message.email)
        log.info("notification to %s: %s", recipient, message.subject)


@cache
def channels() -> tuple[Channel, ...]:
    extra = tuple(import_string(path)() for path in settings.SERVICEDESK["CHANNELS"])
    return (EmailChannel(), *extra)


def _deliver(messages: list[Message]) -> None:
    for message in messages:
        for channel in channels():
            try:
                channel.send(message)
            except Exception:  # one failing channel must not stop the others
                log.exception("notification channel %s failed", type(channel).__name__)


def send_after_commit(messages: Iterable[Message]) -> None:
    """Send ``messages`` once the current transaction commits (at once outside one)."""
    pending = [m for m in messages if m.email or m.phone]
    if pending and not _muted.get():
        transaction.on_commit(lambda: _deliver(pending))
