"""``kotacerdas servicedesk ikm FILE.csv`` / ``servicedesk apikey create|list|revoke`` /
``servicedesk deadlines``: the PECUT service desk from the command line.

The command is a thin boundary: the satisfaction index lives in ``servicedesk.ikm``, Open311
keys in ``servicedesk.keys``, deadlines in ``servicedesk.workflow``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from kotacerdas.servicedesk import workflow
from kotacerdas.servicedesk.ikm import ELEMENTS, IkmFileError, IkmResult, read_ikm_csv
from kotacerdas.servicedesk.keys import issue_key, revoke_key
from kotacerdas.servicedesk.models import ClientKey


class Command(BaseCommand):
    help = (
        "The PECUT service desk: compute the satisfaction index (IKM) of a CSV of survey "
        "answers, manage Open311 client keys, or check deadlines (run 'deadlines' from cron "
        "every few minutes)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        ikm = sub.add_parser(
            "ikm",
            help="print the IKM (PermenPANRB 14/2017) of a CSV of survey answers",
            description=(
                "FILE has a header row with the columns u1..u9 (answers 1-4) and optionally "
                "service (one IKM per service); one respondent a row, commas or semicolons, "
                "UTF-8. A file with any bad row gives no result."
            ),
        )
        ikm.add_argument("file", metavar="FILE.csv", type=Path)

        apikey = sub.add_parser("apikey", help="issue, list or revoke Open311 client keys")
        keys = apikey.add_subparsers(dest="key_action", required=True)
        create = keys.add_parser("create", help="issue a key and print it once")
        create.add_argument("name", help="the client application, e.g. 'Kiosk Kelurahan Banjaran'")
        keys.add_parser("list", help="list the keys (prefixes only)")
        revoke = keys.add_parser("revoke", help="revoke the key with this prefix")
        revoke.add_argument("prefix")

        sub.add_parser(
            "deadlines",
            help="warn OPDs of requests due soon, escalate breached ones, close resolved ones",
            description=(
                "Warn each OPD once of a request close to its deadline, escalate a breached "
                "request to the head of the OPD once, and close requests resolved more than "
                "AUTO_CLOSE_DAYS ago. Safe to run repeatedly: run it from cron or a systemd "
                "timer every few minutes."
            ),
        )

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "ikm":
            self._ikm(options["file"])
        elif action == "apikey":
            self._apikey(options["key_action"], options)
        else:
            warned, escalated = workflow.check_deadlines()
            closed = workflow.close_resolved()
            days = settings.SERVICEDESK["AUTO_CLOSE_DAYS"]
            self.stdout.write(
                f"{warned} warned (due soon), {escalated} escalated (deadline passed), "
                f"{closed} closed (resolved over {days} days ago)"
            )

    # -----------------------------------------------------------------------------------------

    def _ikm(self, path: Path) -> None:
        try:
            data = read_ikm_csv(path)
        except OSError as exc:
            raise CommandError(f"{path}: cannot be read: {exc.strerror or exc}") from exc
        except IkmFileError as exc:
            for row in exc.rows:
                self.stderr.write(f"{path}: {row}")
            raise CommandError(f"{path}: {exc}") from exc
        results = data.results()
        for key, _label, result in results:
            self._print_result(key if data.by_service else path.name, result)
        total = data.total()
        if len(results) > 1 and total is not None:
            self._print_result("All services", total)

    def _print_result(self, heading: str, result: IkmResult) -> None:
        plural = "" if result.respondents == 1 else "s"
        nrr = "  ".join(
            f"{code} {value}" for code, value in zip(ELEMENTS, result.rounded_nrr, strict=True)
        )
        self.stdout.write(f"{heading}: {result.respondents} respondent{plural}")
        self.stdout.write(f"  NRR  {nrr}")
        # The grade by the regulation's name, as every IKM report in Indonesia prints it.
        self.stdout.write(
            f"  IKM {result.rounded_ikm}  score {result.rounded_score}  "
            f"grade {result.grade} ({result.grade_official_name})"
        )

    # -----------------------------------------------------------------------------------------

    def _apikey(self, action: str, options: dict[str, Any]) -> None:
        if action == "create":
            try:
                issued = issue_key(options["name"])
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"Open311 key for {issued.key.name!r} (prefix {issued.key.prefix}):")
            self.stdout.write(issued.secret)
            self.stdout.write("Store it now: it will not be shown again.")
        elif action == "list":
            for key in ClientKey.objects.order_by("created_at", "pk"):
                self.stdout.write(
                    "\t".join(
                        (
                            key.prefix,
                            key.name,
                            f"issued {_when(key.created_at)}",
                            f"last used {_when(key.last_used_at) if key.last_used_at else 'never'}",
                            f"revoked {_when(key.revoked_at)}" if key.revoked_at else "active",
                        )
                    )
                )
        else:
            prefix = options["prefix"]
            keys = ClientKey.objects.filter(prefix=prefix, revoked_at__isnull=True)
            if keys.count() != 1:
                raise CommandError(f"no single active Open311 key has prefix {prefix!r}")
            key = keys.get()
            revoke_key(key)
            self.stdout.write(f"revoked {prefix} ({key.name})")


def _when(moment: dt.datetime) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"
