"""Stat meetings and their action items: the named actions every boundary (pages, API,
commands) calls. A meeting's agenda is proposed from what changed since the previous meeting;
any figure or record can become an action item with an owner OPD, a due date and the figure it
should move; the next meeting reviews each item with the figure shown again beside it; overdue
items are reminded to their owner OPD.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from kotacerdas.core.audit import records_actor
from kotacerdas.core.models import Opd, User
from kotacerdas.core.opds import mail_recipients
from kotacerdas.dashboard import changes, panels, scope
from kotacerdas.dashboard.choices import LIVE_ACTION_STATUSES
from kotacerdas.dashboard.figures import Figure, end_of_day
from kotacerdas.dashboard.models import ActionItem, ActionReview, AgendaItem, StatMeeting

DEFAULT_LOOKBACK = dt.timedelta(days=30)
TITLE_MAX = 300


def _require_meetings(actor: User) -> None:
    if not scope.can_run_meetings(actor):
        raise PermissionDenied(_("Only the leadership and administrators run stat meetings."))


def _stripped(value: object) -> str:
    return str(value or "").strip()


def previous_meeting(before: dt.date) -> StatMeeting | None:
    return StatMeeting.objects.filter(date__lt=before).order_by("-date", "-pk").first()


def since_last_meeting(today: dt.date) -> dt.date:
    """Where "what changed" starts by default: the last meeting held, else 30 days ago."""
    last = StatMeeting.objects.filter(date__lte=today).order_by("-date", "-pk").first()
    return last.date if last else today - DEFAULT_LOOKBACK


def proposed_agenda(date: dt.date, now: dt.datetime | None = None) -> list[changes.Change]:
    """What changed city-wide since the previous meeting (or 30 days before ``date``)."""
    reader = panels.reader_for(scope.Scope(scope.CITY), None, now)
    last = previous_meeting(date)
    since = last.date if last else date - DEFAULT_LOOKBACK
    return changes.what_changed(reader, min(since, reader.today))


@records_actor
@transaction.atomic
def plan_meeting(
    actor: User, *, date: object, title: object, attendees: object = ""
) -> StatMeeting:
    """A new stat meeting, its agenda proposed: the review of the live action items, then each
    change since the previous meeting. Staff edit the agenda afterwards."""
    _require_meetings(actor)
    meeting = StatMeeting(
        date=date, title=_stripped(title), attendees=_stripped(attendees), created_by=actor
    )
    meeting.full_clean(exclude=["created_by"])
    meeting.save()
    items = []
    if ActionItem.objects.live().exists():
        items.append((_("Review of the open action items"), ""))
    items += [
        (Truncator(change.text).chars(TITLE_MAX), change.figure_key)
        for change in proposed_agenda(meeting.date)
    ]
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, position=n, text=text, figure_key=key, proposed=True)
        for n, (text, key) in enumerate(items)
    )
    return meeting


# What a meeting's record may change.
RECORDED = {"title", "date", "attendees", "minutes", "decisions"}


@records_actor
@transaction.atomic
def record_meeting(actor: User, meeting: StatMeeting, changes_: dict[str, object]) -> StatMeeting:
    """Change a meeting's title, date, attendees, minutes or decisions."""
    _require_meetings(actor)
    unknown = set(changes_) - RECORDED
    if unknown:
        raise ValidationError({name: _("Unknown field.") for name in sorted(unknown)})
    for name, value in changes_.items():
        setattr(meeting, name, value if name == "date" else _stripped(value))
    meeting.full_clean(exclude=[f.name for f in StatMeeting._meta.fields if f.name not in changes_])
    if changes_:
        meeting.save(update_fields=list(changes_))
    return meeting


@records_actor
@transaction.atomic
def add_agenda_item(actor: User, meeting: StatMeeting, text: object) -> AgendaItem:
    _require_meetings(actor)
    last = meeting.agenda.order_by("-position").first()
    item = AgendaItem(
        meeting=meeting, position=(last.position + 1) if last else 0, text=_stripped(text)
    )
    item.full_clean(exclude=["meeting"])
    item.save()
    return item


@records_actor
@transaction.atomic
def remove_agenda_item(actor: User, item: AgendaItem) -> None:
    _require_meetings(actor)
    item.delete()


# An action item is due in a month unless the meeting says otherwise.
DEFAULT_DUE = dt.timedelta(days=30)


def action_defaults(figure: Figure | None) -> tuple[str, dt.date]:
    """What a new action item proposes before anyone edits it: the figure's owner OPD (its
    code, "" without a figure) and a due date a month from today."""
    return (figure.owner if figure else ""), timezone.localdate() + DEFAULT_DUE


def _figure_value(figure: Figure | None) -> Decimal | None:
    if figure is None or figure.value is None:
        return None
    return Decimal(figure.value).quantize(Decimal("0.0001"))


@records_actor
@transaction.atomic
def create_action(
    actor: User,
    *,
    title: object,
    owner: object,
    due_date: object,
    meeting: StatMeeting | None = None,
    figure_key: object = "",
    record_url: object = "",
) -> ActionItem:
    """An action item: what must be done, by which OPD, by when, and the figure it should move
    (its value now is kept, to compare at the next meeting) or the record it is about."""
    _require_meetings(actor)
    opd = (
        owner
        if isinstance(owner, Opd)
        else Opd.objects.filter(code=_stripped(owner), active=True).first()
    )
    key = _stripped(figure_key)[:120]
    figure = panels.current_figure(key) if key else None
    action = ActionItem(
        meeting=meeting,
        title=_stripped(title),
        owner=opd,
        due_date=due_date,
        figure_key=key,
        figure_label=(f"{figure.metric.name}: {figure.label}"[:300] if figure else ""),
        metric_version=figure.metric.versioned if figure else "",
        figure_value=_figure_value(figure),
        record_url=_stripped(record_url),
        created_by=actor,
    )
    errors: dict[str, list[str]] = {}
    try:
        action.full_clean(exclude=["meeting", "owner", "created_by"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if opd is None:
        errors["owner"] = [_("Choose the OPD that owns the action.")]
    if key and figure is None:
        errors["figure_key"] = [_("The dashboard has no figure %(key)s.") % {"key": key}]
    url = action.record_url
    if url and (not url.startswith("/") or url.startswith("//")):
        errors["record_url"] = [
            _("A record is given as a link inside Kota Cerdas, such as /staf/…")
        ]
    if errors:
        raise ValidationError(errors)
    action.save()
    return action


@records_actor
@transaction.atomic
def review_action(
    actor: User,
    action: ActionItem,
    *,
    status: object,
    note: object = "",
    meeting: StatMeeting | None = None,
) -> ActionReview:
    """Record where an action item stands (at a meeting, or its owner between meetings), with
    the figure's value at that moment."""
    if not scope.can_update_action(actor, action.owner_id):
        raise PermissionDenied(_("Only the owner OPD and the leadership update this action."))
    if meeting is not None and not scope.can_run_meetings(actor):
        raise PermissionDenied(_("Only the leadership and administrators review at a meeting."))
    figure = panels.current_figure(action.figure_key) if action.figure_key else None
    review = ActionReview(
        action=action,
        meeting=meeting,
        status=status,
        note=_stripped(note),
        figure_value=_figure_value(figure),
        by=actor,
    )
    review.full_clean(exclude=["action", "meeting", "by"])
    review.save()
    if action.status != status:
        action.status = status
        action.save(update_fields=["status", "updated_at"])
    return review


@dataclass(frozen=True)
class ActionUnderReview:
    """An action item as a meeting reviews it: the figure when it was made and now."""

    action: ActionItem
    now: Figure | None
    reviewed_here: ActionReview | None

    @property
    def moved(self) -> Decimal | None:
        if self.now is None or self.now.value is None or self.action.figure_value is None:
            return None
        return Decimal(self.now.value) - self.action.figure_value


def find_actions(
    reader_scope: scope.Scope,
    *,
    status: str | None = "live",
    owner: str | None = None,
    overdue: bool | None = None,
    today: dt.date | None = None,
) -> QuerySet[ActionItem]:
    """The action items ``reader_scope`` covers, by due date: of one ``status`` ("live" for
    open or in progress, None for all), one owner OPD (its code), and overdue only (True) or
    none overdue (False)."""
    found = panels.scoped_actions(reader_scope)
    if status == "live":
        found = found.live()
    elif status:
        found = found.filter(status=status)
    if owner:
        found = found.filter(owner__code=owner)
    if overdue is True:
        found = found.overdue(today)
    elif overdue is False:
        found = found.exclude(pk__in=ActionItem.objects.overdue(today).values("pk"))
    return found.order_by("due_date", "pk")


def actions_made_at(meeting: StatMeeting, reader_scope: scope.Scope) -> QuerySet[ActionItem]:
    """The items made at ``meeting`` that the reader's scope covers."""
    return panels.scoped_actions(reader_scope).filter(meeting=meeting).order_by("due_date", "pk")


def actions_to_review(
    meeting: StatMeeting, reader_scope: scope.Scope | None = None
) -> list[ActionUnderReview]:
    """The items made at earlier meetings (or between them) that this meeting reviews: every
    live one, and those closed since the previous meeting; within ``reader_scope`` when given
    (an OPD officer sees their OPD's)."""
    last = previous_meeting(meeting.date)
    candidates = (
        panels.scoped_actions(reader_scope or scope.Scope(scope.CITY))
        .exclude(meeting=meeting)
        .filter(created_at__date__lte=meeting.date)
    )
    closed_since = candidates.exclude(status__in=LIVE_ACTION_STATUSES).filter(
        updated_at__date__gte=last.date if last else meeting.date - DEFAULT_LOOKBACK
    )
    found = list(candidates.live()) + list(closed_since)
    reviews = {r.action_id: r for r in ActionReview.objects.filter(meeting=meeting)}
    figures = panels.current_figures(action.figure_key for action in found if action.figure_key)
    return [
        ActionUnderReview(action, figures.get(action.figure_key), reviews.get(action.pk))
        for action in sorted(found, key=lambda a: (a.due_date, a.pk))
    ]


def _reminder(action: ActionItem, today: dt.date) -> tuple[str, str]:
    """The subject and body of an overdue action item's reminder."""
    subject = _("Action item overdue: %(title)s") % {"title": Truncator(action.title).chars(80)}
    body = _(
        "The action item '%(title)s' given to %(opd)s was due on %(due)s (%(days)s days "
        "ago). Please report its progress in Kota Cerdas: %(url)s"
    ) % {
        "title": action.title,
        "opd": action.owner.name,
        "due": date_format(action.due_date),
        "days": (today - action.due_date).days,
        "url": settings.KOTACERDAS_PUBLIC_URL + panels.link("dashboard:action", action.pk),
    }
    return subject, body


def remind_overdue_actions(today: dt.date | None = None) -> int:
    """Email the owner OPD (its office address and its officers) of each overdue action item,
    at most once every ``DASHBOARD["REMIND_EVERY_DAYS"]`` days per item. Each item is marked
    reminded as its message goes, so a mail server failing halfway costs no one a second
    reminder. Returns the number of messages sent."""
    now = timezone.now()
    if today is None:
        today = timezone.localdate()
    else:  # a run for another day (tests, a catch-up) counts intervals from that day
        now = end_of_day(today)
    every = dt.timedelta(days=settings.DASHBOARD["REMIND_EVERY_DAYS"])
    overdue = ActionItem.objects.overdue(today).select_related("owner")
    connection = get_connection()
    sent = 0
    for action in overdue:
        if action.reminded_at and now - action.reminded_at < every:
            continue
        recipients = mail_recipients(action.owner)
        if not recipients:
            continue
        # Mail goes out in the platform's language, whatever the process running cron is in.
        with translation.override(settings.LANGUAGE_CODE):
            subject, body = _reminder(action, today)
        EmailMessage(
            subject,
            body,
            settings.DEFAULT_FROM_EMAIL,
            recipients,
            connection=connection,
        ).send()
        ActionItem.objects.filter(pk=action.pk).update(reminded_at=now)
        sent += 1
    return sent
