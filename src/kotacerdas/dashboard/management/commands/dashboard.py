"""``kotacerdas dashboard remind`` / ``dashboard digest``: the executive dashboard's mail, for
cron or a systemd timer.

The command is a thin boundary: the reminders live in ``dashboard.meetings``
(``remind_overdue_actions``), the weekly digest in ``dashboard.digest``.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kotacerdas.dashboard import digest, meetings


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r}: give a date as YYYY-MM-DD") from None


class Command(BaseCommand):
    help = (
        "The executive dashboard's mail: remind owner OPDs of overdue action items ('remind') "
        "and send the weekly digest to its subscribers ('digest'). Both are meant for cron or "
        "a systemd timer and are safe to run every day."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        remind = sub.add_parser(
            "remind",
            help="email each owner OPD of an overdue action item",
            description=(
                "Email the owner OPD (its office address and its officers) of every action item "
                "still open or in progress after its due date, at most once every "
                "REMIND_EVERY_DAYS days (KOTACERDAS_ACTION_REMINDER_DAYS) per item. Safe to run "
                "repeatedly: run it daily from cron or a systemd timer."
            ),
        )
        remind.add_argument(
            "--date",
            type=_date,
            default=None,
            metavar="YYYY-MM-DD",
            help="count items overdue as of this day (default: today)",
        )
        sub.add_parser(
            "digest",
            help="email the weekly digest to its subscribers",
            description=(
                "Email each subscriber the weekly digest of their own dashboard (what changed "
                "in the last 7 days, the figures off target or not reported, the overdue action "
                "items). A subscriber gets at most one digest in 6 days, so run it daily from "
                "cron or a systemd timer, or weekly at the hour it should arrive."
            ),
        )

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "remind":
            sent = meetings.remind_overdue_actions(options["date"])
            self.stdout.write(f"{sent} reminder(s) sent.")
        else:
            sent = digest.send_weekly_digest()
            self.stdout.write(f"{sent} digest(s) sent.")
