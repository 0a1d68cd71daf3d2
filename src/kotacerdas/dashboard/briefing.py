"""The briefing book of a stat meeting: what the leadership prints before the meeting and reads
in it. A cover (the meeting, its attendees and agenda), what changed since the previous meeting,
every figure of the reader's dashboard with its target, period, source, owner and whether it is
stale, the action items the meeting reviews with their figure then and now, and the items made
at the meeting.

The book is made on request from the figures as they stand (``panels``), for the reader's scope
(``scope.scope_of``): an OPD officer's book holds their OPD's figures and actions, as their
dashboard does. Nothing is stored.

It is an A4 PDF on the platform's page (``kotacerdas.core.pdf.ReportPdf``), as the evaluation
report is: fpdf2 and the PDF core font Helvetica, for the reasons that module's docstring gives,
and every text through ``latin1``, so that nothing typed can stop the book from being made. The
labels follow the active language.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kotacerdas.core.models import User
from kotacerdas.core.pdf import GREEN, ORANGE, PDF_CONTENT_TYPE, RED, ReportPdf, local_time_text
from kotacerdas.dashboard import changes, meetings, panels
from kotacerdas.dashboard.choices import LIVE_ACTION_STATUSES, ActionStatus, FigureStatus
from kotacerdas.dashboard.figures import Figure, format_number
from kotacerdas.dashboard.models import ActionItem, StatMeeting
from kotacerdas.dashboard.scope import Scope, scope_of

__all__ = ["PDF_CONTENT_TYPE", "briefing_book", "file_name"]

_STATUS_INK = {FigureStatus.RED: RED, FigureStatus.AMBER: ORANGE, FigureStatus.GREEN: GREEN}
_NONE = "-"


# --- Formatting -------------------------------------------------------------------------------


def _number(value: Decimal | int | None) -> str:
    """A figure's value as the dashboard shows it (``figures.format_number``)."""
    return format_number(value) or _NONE


def _signed(value: Decimal | None) -> str:
    if value is None:
        return _NONE
    text = _number(value)
    return f"+{text}" if value > 0 else text


def _day(day: dt.date) -> str:
    return date_format(day, "DATE_FORMAT")


def _when(moment: dt.datetime | None) -> str:
    """A moment as the platform's documents show it ("24 Nov 2026 17:18 WIB"), or "unknown"."""
    return _("unknown") if moment is None else local_time_text(moment)


def _opd(action: ActionItem) -> str:
    return str(action.owner)


def file_name(meeting: StatMeeting) -> str:
    """``buku-briefing-rapat-evaluasi-kinerja-sie-2026-12-01.pdf``: in Bahasa Indonesia
    whatever the reader's language, as the URL is."""
    parts = ("buku-briefing", slugify(meeting.title)[:60].strip("-"), meeting.date.isoformat())
    return "-".join(part for part in parts if part) + ".pdf"


# --- Sections ---------------------------------------------------------------------------------


def _cover(pdf: ReportPdf, meeting: StatMeeting, scope: Scope) -> None:
    pdf.title_block(_("Briefing book of the stat meeting"), meeting.title, _day(meeting.date))
    pdf.fact(_("Figures for"), scope.label())
    pdf.fact(_("Attendees"), meeting.attendees.strip() or _("(not given)"))
    pdf.heading(_("Agenda"))
    agenda = list(meeting.agenda.all())
    if not agenda:
        pdf.note(_("No agenda item yet."))
    for number, item in enumerate(agenda, start=1):
        pdf.paragraph(f"{number}. {item.text}")


def _changed(pdf: ReportPdf, found: list[changes.Change], since: dt.date) -> None:
    pdf.heading(_("What changed"))
    pdf.note(_("Since %(date)s, for the figures of this book.") % {"date": _day(since)})
    if not found:
        pdf.paragraph(_("Nothing that needs the leadership's attention changed."))
    for change in found:
        pdf.paragraph(f"- {change.text}")


def _figure_row(figure: Figure) -> list[str]:
    label = figure.label + (f"\n{figure.detail}" if figure.detail else "")
    value = _number(figure.value) + (
        f" {figure.unit}" if figure.unit and figure.value is not None else ""
    )
    status = figure.status_label
    if figure.target is not None:
        status += "\n" + _("target %(target)s") % {"target": _number(figure.target)}
    if figure.stale:
        status += "\n" + _("stale")
    return [
        label,
        value,
        status,
        f"{figure.period}\n{figure.source}",
        f"{_when(figure.updated_at)}\n{figure.owner_name or _NONE}",
    ]


def _figures(pdf: ReportPdf, found: list[panels.Panel]) -> None:
    pdf.add_page()
    pdf.heading(_("Figures"), size=15)
    pdf.note(
        _(
            "Each figure with its status and target, its period and source, when it was last "
            "updated and the OPD that owns it. Shaded rows are stale: older than their metric "
            "expects."
        )
    )
    for panel in found:
        pdf.heading(panel.title, size=11)
        if panel.note:
            pdf.note(panel.note)
        if not panel.figures:
            continue
        colours = {
            (number, 2): _STATUS_INK[figure.status]
            for number, figure in enumerate(panel.figures)
            if figure.status in _STATUS_INK
        }
        pdf.grid(
            [_("Figure"), _("Value"), _("Status"), _("Period and source"), _("Updated, owner")],
            [_figure_row(figure) for figure in panel.figures],
            widths=(58, 24, 30, 38, 30),
            align=("LEFT", "RIGHT", "LEFT", "LEFT", "LEFT"),
            shaded=[n for n, figure in enumerate(panel.figures) if figure.stale],
            colours=colours,
        )


def _action_label(action: ActionItem) -> str:
    return action.title + (f"\n{action.figure_label}" if action.figure_label else "")


def _to_review(pdf: ReportPdf, found: list[meetings.ActionUnderReview], today: dt.date) -> None:
    pdf.add_page()
    pdf.heading(_("Action items to review"), size=15)
    if not found:
        pdf.note(_("No action item to review."))
        return
    pdf.note(
        _(
            "The items made at earlier meetings or between them: every open one, and those "
            "closed since the previous meeting, with their figure when the item was made and now."
        )
    )
    rows = []
    for item in found:
        action = item.action
        unit = f" {item.now.unit}" if item.now is not None and item.now.unit else ""
        now = item.now.value if item.now is not None else None
        rows.append(
            [
                _action_label(action),
                _opd(action),
                _day(action.due_date),
                ActionStatus(action.status).label,
                _number(action.figure_value) + (unit if action.figure_value is not None else ""),
                _number(now) + (unit if now is not None else ""),
                _signed(item.moved),
            ]
        )
    pdf.grid(
        [_("Action"), _("Owner"), _("Due"), _("Status"), _("When made"), _("Now"), _("Change")],
        rows,
        widths=(62, 24, 20, 20, 19, 19, 16),
        align=("LEFT", "LEFT", "LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT"),
        shaded=[n for n, item in enumerate(found) if _overdue(item.action, today)],
    )
    pdf.note(_("Shaded rows are overdue."))


def _overdue(action: ActionItem, today: dt.date) -> bool:
    return action.status in LIVE_ACTION_STATUSES and action.due_date < today


def _made_here(pdf: ReportPdf, found: list[ActionItem]) -> None:
    pdf.heading(_("Action items made at this meeting"), size=15)
    if not found:
        pdf.note(_("None yet."))
        return
    pdf.grid(
        [_("Action"), _("Owner"), _("Due"), _("Status"), _("Figure when made")],
        [
            [
                _action_label(action),
                _opd(action),
                _day(action.due_date),
                ActionStatus(action.status).label,
                _number(action.figure_value),
            ]
            for action in found
        ],
        widths=(76, 30, 22, 24, 28),
        align=("LEFT", "LEFT", "LEFT", "LEFT", "RIGHT"),
    )


# --- The book ---------------------------------------------------------------------------------


def briefing_book(meeting: StatMeeting, user: User, now: dt.datetime | None = None) -> bytes:
    """The briefing book of ``meeting`` for ``user``, as an A4 PDF in the active language, with
    the figures of the user's dashboard as they stand at ``now`` (by default, now). Refused to
    a user without a dashboard."""
    scope = scope_of(user)
    if scope is None:
        raise PermissionDenied(_("Only users with a dashboard read the briefing book."))
    reader = panels.reader_for(scope, user, now)
    last = meetings.previous_meeting(meeting.date)
    since = min(last.date if last else meeting.date - meetings.DEFAULT_LOOKBACK, reader.today)
    found_changes = changes.what_changed(reader, since)
    found_panels = panels.all_panels(reader)
    to_review = meetings.actions_to_review(meeting, scope)
    made_here = meetings.actions_made_at(meeting, scope)

    made_on = _("Made by Kota Cerdas on %(date)s") % {"date": _when(reader.now)}
    pdf = ReportPdf(f"{meeting.title}, {_day(meeting.date)}. {made_on}")
    title = _("Briefing book: %(meeting)s (%(date)s)") % {
        "meeting": meeting.title,
        "date": _day(meeting.date),
    }
    pdf.describe(title, reader.now)
    pdf.add_page()
    _cover(pdf, meeting, scope)
    _changed(pdf, found_changes, since)
    _figures(pdf, found_panels)
    _to_review(pdf, to_review, reader.today)
    _made_here(pdf, list(made_here))
    return bytes(pdf.output())
