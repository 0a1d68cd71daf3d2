"""The weekly digest: a plain-text email to each subscriber with what changed on their dashboard
in the last seven days, the figures off target or not reported, and the overdue action items,
each with a link into Kota Cerdas.

Each subscriber reads their own scope (``scope.scope_of``), as on their dashboard: an officer
of a kelurahan office gets their kelurahan's figures and their office's actions, never another
area's. A subscriber who has lost their dashboard, their email address or their account gets
nothing. The digest carries figures, never personal data: the figures hold none, and the
digest adds only labels, values, units, OPD names, dates and links.

``send_weekly_digest`` is safe to run every day from cron: a subscriber gets at most one digest
in ``MIN_INTERVAL``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kotacerdas.core.models import User
from kotacerdas.dashboard import changes, meetings, panels
from kotacerdas.dashboard.choices import FigureStatus
from kotacerdas.dashboard.figures import format_number
from kotacerdas.dashboard.models import DigestSubscription
from kotacerdas.dashboard.scope import Scope, scope_of

WINDOW = dt.timedelta(days=7)  # what changed: the last week
# At most one digest a subscriber in this time. Six days, not seven, so that a daily cron job
# that ran a little later last week still sends on the same weekday this week.
MIN_INTERVAL = dt.timedelta(days=6)
ATTENTION = (FigureStatus.RED, FigureStatus.NOT_REPORTED)


@dataclass(frozen=True)
class Digest:
    subject: str
    body: str


def _absolute(url: str) -> str:
    return settings.KOTACERDAS_PUBLIC_URL + url if url.startswith("/") else url


def _number(value) -> str:
    """A figure's value as the dashboard shows it (``figures.format_number``)."""
    return format_number(value) or "-"


def _day(day: dt.date) -> str:
    return date_format(day, "DATE_FORMAT")


def digest_for(user: User, scope: Scope, now: dt.datetime | None = None) -> Digest:
    """The digest ``user`` reads for ``scope`` at ``now``: subject and plain-text body."""
    reader = panels.reader_for(scope, user, now)
    today = reader.today
    since = today - WINDOW
    home = _absolute(reverse("dashboard:home"))
    lines = [
        _("Kota Cerdas weekly digest for %(scope)s, %(date)s")
        % {"scope": scope.label(), "date": _day(today)},
        "",
    ]

    def section(title: str) -> None:
        lines.extend([title, "=" * len(title)])

    section(_("What changed since %(date)s") % {"date": _day(since)})
    found = changes.what_changed(reader, since)
    for change in found:
        lines.append(f"- {change.text}")
        if change.url:
            lines.append(f"  {_absolute(change.url)}")
    if not found:
        lines.append(_("Nothing that needs your attention changed."))
    lines.append("")

    section(_("Figures off target or not reported"))
    listed = 0
    for panel in panels.all_panels(reader):
        figures = [f for f in panel.figures if f.status in ATTENTION]
        if not figures:
            continue
        lines.append(f"{panel.title}:")
        for figure in figures:
            value = (
                f": {_number(figure.value)} {figure.unit}".rstrip()
                if figure.value is not None
                else ""
            )
            lines.append(f"- [{figure.status_label}] {figure.label}{value} ({figure.period})")
            lines.append(f"  {home}#panel-{panel.key}")
            listed += 1
    if not listed:
        lines.append(_("Every figure is on target or near it."))
    lines.append("")

    section(_("Overdue action items"))
    overdue = meetings.find_actions(scope, overdue=True, today=today)
    for action in overdue:
        lines.append(
            "- "
            + _("%(title)s (%(opd)s), due %(due)s, %(days)s days ago")
            % {
                "title": action.title,
                "opd": action.owner,
                "due": _day(action.due_date),
                "days": (today - action.due_date).days,
            }
        )
        lines.append(f"  {_absolute(panels.link('dashboard:action', action.pk))}")
    if not overdue.exists():
        lines.append(_("None."))
    lines += [
        "",
        "-- ",
        _("The dashboard: %(url)s") % {"url": home},
        _(
            "You receive this digest because you subscribed to it on the dashboard; stop it "
            "there: %(url)s"
        )
        % {"url": f"{home}#digest"},
    ]
    subject = _("Kota Cerdas weekly digest, %(date)s") % {"date": _day(today)}
    return Digest(subject, "\n".join(lines) + "\n")


def subscribe(user: User) -> DigestSubscription:
    """Subscribe ``user`` to the weekly digest; it goes to the account's email address, so one
    is required."""
    if not user.email:
        raise ValidationError({"email": _("Your account has no email address: add one first.")})
    subscription, _created = DigestSubscription.objects.get_or_create(user=user)
    return subscription


def unsubscribe(user: User) -> None:
    DigestSubscription.objects.filter(user=user).delete()


def due_subscriptions(now: dt.datetime) -> list[DigestSubscription]:
    """The subscriptions a digest is due to at ``now``: active users with an email address,
    sent none in the last ``MIN_INTERVAL``. (Whether they still have a dashboard is checked
    per user.)"""
    return list(
        DigestSubscription.objects.filter(user__is_active=True)
        .exclude(user__email="")
        .filter(Q(last_sent_at__isnull=True) | Q(last_sent_at__lte=now - MIN_INTERVAL))
        .select_related("user__opd")
        .order_by("pk")
    )


def send_weekly_digest(now: dt.datetime | None = None) -> int:
    """Email the weekly digest to every subscriber it is due to, each in their own scope, and
    note when it was sent. Returns the number of digests sent.

    Each subscription is claimed before its mail goes out (its ``last_sent_at`` moved on only
    if nobody else moved it first), so two runs at once never send one person two digests; a
    mail that fails gives the claim back and the error ends the run, for cron to report.
    """
    now = now or timezone.now()
    due = due_subscriptions(now)
    if not due:
        return 0
    sent = 0
    with get_connection() as connection:
        for subscription in due:
            user = subscription.user
            scope = scope_of(user)
            if scope is None:
                continue
            # Mail goes out in the platform's language (Bahasa Indonesia unless configured),
            # whatever language the process running the command happens to be in.
            with translation.override(settings.LANGUAGE_CODE):
                digest = digest_for(user, scope, now)
            # ``last_sent_at=None`` matches a NULL: a first digest is claimed the same way.
            claimed = DigestSubscription.objects.filter(
                pk=subscription.pk, last_sent_at=subscription.last_sent_at
            ).update(last_sent_at=now)
            if not claimed:
                continue
            message = EmailMessage(
                digest.subject,
                digest.body,
                settings.DEFAULT_FROM_EMAIL,
                [user.email],
                connection=connection,
            )
            try:
                message.send(fail_silently=False)
            except Exception:
                DigestSubscription.objects.filter(pk=subscription.pk, last_sent_at=now).update(
                    last_sent_at=subscription.last_sent_at
                )
                raise
            sent += 1
    return sent
