"""``kotacerdas demo``: set up the platform with demo data and serve it."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = (
        "Set up the platform with Kota Kediri's reference and demo data ('init --demo') and "
        "serve it at http://127.0.0.1:8000 with gunicorn ('serve'). Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="address to bind (127.0.0.1)")
        parser.add_argument("--port", type=int, default=8000, help="port to bind (8000)")

    def handle(self, *args: Any, host: str, port: int, **options: Any) -> None:
        call_command("init", demo=True, stdout=self.stdout)
        call_command("serve", host=host, port=port, stdout=self.stdout)
