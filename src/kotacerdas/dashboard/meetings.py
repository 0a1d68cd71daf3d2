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
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from kotacerdas.core.audit import records_actor
from kotacerdas.core.models import Opd, User
from kotacerdas.core.opds import mail_recipients
from kotacerdas.dashboard import changes, panels, scope
from kotacerdas.dashboard.choices import LIVE_ACTION_STATUSES, ActionStatus
from kotacerdas.dashboard.figures import Figure, end_of_day
from kotacerdas.dashboard.models import ActionItem, ActionReview, AgendaItem, StatMeeting

DEFAULT_LOOKBACK = dt.timedelta(days=30)
TITLE_MAX = 300


def _require_meetings(actor: User) -> None:
    if not scope.can_run_meetings(actor):
        raise PermissionDenied(_("Only the leadership and administrators run stat meetings."))


def _text(value: object, field: str, limit: int, required: bool = True) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise ValidationError({field: _("This field is required.")})
    if len(text) > limit:
        raise ValidationError(
            {
                field: _("At most %(limit)s characters, not %(n)s.")
                % {"limit": limit, "n": len(text)}
            }
        )
    return text


def _date(value: object, field: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise ValidationError(
            {field: _("Give a date as YYYY-MM-DD, such as 2026-12-01.")}
        ) from None


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
    meeting = StatMeeting.objects.create(
        date=_date(date, "date"),
        title=_text(title, "title", 200),
        attendees=_text(attendees, "attendees", 5000, required=False),
        created_by=actor,
    )
    items = []
    if ActionItem.objects.filter(status__in=LIVE_ACTION_STATUSES).exists():
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


@records_actor
@transaction.atomic
def record_meeting(actor: User, meeting: StatMeeting, changes_: dict[str, object]) -> StatMeeting:
    """Change a meeting's title, date, attendees, minutes or decisions."""
    _require_meetings(actor)
    limits = {"title": 200, "attendees": 5000, "minutes": 50000, "decisions": 20000}
    clean: dict[str, object] = {}
    errors: dict[str, str] = {}
    for name, value in changes_.items():
        try:
            if name == "date":
                clean[name] = _date(value, "date")
            elif name in limits:
                clean[name] = _text(value, name, limits[name], required=name == "title")
            else:
                errors[name] = _("Unknown field.")
        except ValidationError as exc:
            errors.update({field: problems[0] for field, problems in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    for name, value in clean.items():
        setattr(meeting, name, value)
    if clean:
        meeting.save(update_fields=list(clean))
    return meeting


@records_actor
@transaction.atomic
def add_agenda_item(actor: User, meeting: StatMeeting, text: object) -> AgendaItem:
    _require_meetings(actor)
    last = meeting.agenda.order_by("-position").first()
    return AgendaItem.objects.create(
        meeting=meeting,
        position=(last.position + 1) if last else 0,
        text=_text(text, "text", TITLE_MAX),
    )


@records_actor
@transaction.atomic
def remove_agenda_item(actor: User, item: AgendaItem) -> None:
    _require_meetings(actor)
    item.delete()


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
    errors: dict[str, str] = {}

    def checked(check, *args):
        try:
            return check(*args)
        except ValidationError as exc:
            errors.update({name: problems[0] for name, problems in exc.message_dict.items()})
            return None

    clean_title = checked(_text, title, "title", TITLE_MAX)
    opd = (
        owner
        if isinstance(owner, Opd)
        else Opd.objects.filter(code=str(owner or "").strip(), active=True).first()
    )
    if opd is None:
        errors["owner"] = _("Choose the OPD that owns the action.")
    due = checked(_date, due_date, "due_date")
    key = str(figure_key or "").strip()[:120]
    figure = panels.current_figure(key) if key else None
    if key and figure is None:
        errors["figure_key"] = _("The dashboard has no figure %(key)s.") % {"key": key}
    url = str(record_url or "").strip()
    if url and (not url.startswith("/") or url.startswith("//")):
        errors["record_url"] = _("A record is given as a link inside Kota Cerdas, such as /staf/…")
    if errors:
        raise ValidationError(errors)
    return ActionItem.objects.create(
        meeting=meeting,
        title=clean_title,
        owner=opd,
        due_date=due,
        figure_key=key,
        figure_label=(f"{figure.metric.name}: {figure.label}"[:300] if figure else ""),
        metric_version=figure.metric.versioned if figure else "",
        figure_value=_figure_value(figure),
        record_url=url[:300],
        created_by=actor,
    )


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
    if status not in ActionStatus.values:
        raise ValidationError(
            {"status": _("Choose one of: %(s)s.") % {"s": ", ".join(ActionStatus.values)}}
        )
    if meeting is not None and not scope.can_run_meetings(actor):
        raise PermissionDenied(_("Only the leadership and administrators review at a meeting."))
    figure = panels.current_figure(action.figure_key) if action.figure_key else None
    review = ActionReview.objects.create(
        action=action,
        meeting=meeting,
        status=status,
        note=_text(note, "note", 5000, required=False),
        figure_value=_figure_value(figure),
        by=actor,
    )
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


def actions_to_review(meeting: StatMeeting) -> list[ActionUnderReview]:
    """The items made at earlier meetings (or between them) that this meeting reviews: every
    live one, and those closed since the previous meeting."""
    last = previous_meeting(meeting.date)
    candidates = ActionItem.objects.exclude(meeting=meeting).filter(
        created_at__date__lte=meeting.date
    )
    closed_since = candidates.exclude(status__in=LIVE_ACTION_STATUSES).filter(
        updated_at__date__gte=last.date if last else meeting.date - DEFAULT_LOOKBACK
    )
    found = list(candidates.filter(status__in=LIVE_ACTION_STATUSES)) + list(closed_since)
    reviews = {r.action_id: r for r in ActionReview.objects.filter(meeting=meeting)}
    figures: dict[str, Figure | None] = {}
    result = []
    for action in sorted(found, key=lambda a: (a.due_date, a.pk)):
        if action.figure_key and action.figure_key not in figures:
            figures[action.figure_key] = panels.current_figure(action.figure_key)
        result.append(
            ActionUnderReview(action, figures.get(action.figure_key), reviews.get(action.pk))
        )
    return result


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
    overdue = ActionItem.objects.filter(
        status__in=LIVE_ACTION_STATUSES, due_date__lt=today
    ).select_related("owner")
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
