"""``kotacerdas init [--demo]``: prepare the data directory and database without serving."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from kotacerdas.core import provisioning


class Command(BaseCommand):
    help = (
        "Create the data directory, migrate the database, load the reference data (regions, "
        "pillars, roles) and create the first administrator. With --demo, also load the demo "
        "data. Safe to run again: nothing is duplicated and no password is reset."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--demo", action="store_true", help="also load the demo data")
        parser.add_argument("--no-static", action="store_true", help="skip collecting static files")

    def handle(self, *args: Any, demo: bool = False, no_static: bool = False, **options: Any):
        console = Console(file=self.stdout, highlight=False)
        console.print(f"Data directory: {settings.DATA_DIR}")
        call_command("migrate", interactive=False, verbosity=0)
        console.print("Database migrated.")
        if not no_static:
            call_command("collectstatic", interactive=False, verbosity=0)
        with Progress(console=console, transient=True) as bar:
            task = bar.add_task("Loading Kemendagri regions", total=None)
            report = provisioning.load_reference_data(
                lambda done, total: bar.update(task, completed=done, total=total)
            )
        console.print(f"Reference data: {report.regions:,} regions, {report.pillars} pillars.")
        for loaded in report.loaded:
            console.print(f"Reference data: {loaded}.")
        accounts = []
        admin = provisioning.ensure_administrator()
        if admin:
            accounts.append(admin)
        if demo:
            demo_report = provisioning.load_demo()
            accounts.extend(demo_report.accounts)
            console.print(f"Demo data: {demo_report.opds_created} OPDs added.")
            for loaded in demo_report.loaded:
                console.print(f"Demo data: {loaded}.")
        if accounts:
            table = Table(title="New accounts (passwords are shown this once; write them down)")
            for column in ("username", "role", "OPD", "password"):
                table.add_column(column)
            for account in accounts:
                table.add_row(account.username, account.role.value, account.opd, account.password)
            console.print(table)
        else:
            console.print("Accounts already exist; passwords are unchanged.")
