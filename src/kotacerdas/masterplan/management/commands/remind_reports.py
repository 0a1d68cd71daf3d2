"""``kotacerdas remind_reports``: email every OPD whose progress report is overdue. Run it daily
(cron or a systemd timer); it only writes to OPDs that are late."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from kotacerdas.masterplan.reporting import overdue_reports, remind_overdue


class Command(BaseCommand):
    help = "Email a reminder to each OPD whose quarterly progress report is overdue."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="list the late OPDs without sending email"
        )

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        late = overdue_reports()
        for item in late:
            period = f"{item.period.year} {item.period.period}"
            self.stdout.write(f"{item.opd.name}\t{period}\t{item.days_late} days late")
        if not dry_run:
            sent = remind_overdue()
            self.stdout.write(f"{sent} reminder(s) sent.")
