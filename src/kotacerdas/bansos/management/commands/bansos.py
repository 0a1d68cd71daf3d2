"""``kotacerdas bansos import|link|link-registry|synth``: the social-aid registry from the
command line, for extracts too large for an upload and for the linkage of files.

The command is a thin boundary: imports live in ``bansos.imports``, the linkage of files in
``bansos.linkage``, the linkage of the registry in ``bansos.linking``, synthetic data in
``bansos.synth``. Progress bars show counts only; no NIK or name is ever printed.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import Progress

from kotacerdas.bansos import imports, linkage, linking, synth
from kotacerdas.bansos.models import ImportRun
from kotacerdas.bansos.tables import ImportFileError

IMPORTERS = {
    "dukcapil": imports.import_civil_registry,
    "dtks": imports.import_dtks,
    "exclusions": imports.import_exclusions,
}


def _stage_progress(bar: Progress, task: Any) -> linkage.Progress:
    """A linkage progress callback that names the stage on the bar (counts only, no data)."""

    def update(stage: str, done: int, total: int) -> None:
        bar.update(task, description=f"Linking: {stage}", completed=done, total=total)

    return update


def _mapping(pairs: list[str]) -> dict[str, str]:
    mapping = {}
    for pair in pairs:
        column, sep, header = pair.partition("=")
        if not sep or not column.strip() or not header.strip():
            raise CommandError(f"--map {pair!r}: write COLUMN=HEADER, e.g. nik='NIK KTP'")
        mapping[column.strip()] = header.strip()
    return mapping


class Command(BaseCommand):
    help = (
        "The social-aid registry: import a civil-registry or DTKS extract or an exclusion list, "
        "link DTKS to the civil registry (files or the registry), or write synthetic test data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser(
            "import",
            help="import a civil-registry (dukcapil) or DTKS extract or an exclusion list",
            description=(
                "FILE is CSV (comma or semicolon, UTF-8) or XLSX with a header row; see "
                "docs/bansos.md for the columns. Every bad row is reported and not saved; "
                "importing the same file again changes nothing."
            ),
        )
        load.add_argument("kind", choices=sorted(IMPORTERS))
        load.add_argument("file", metavar="FILE", type=Path)
        load.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="COLUMN=HEADER",
            help="the file's header for a canonical column (repeat for each)",
        )

        link = sub.add_parser(
            "link",
            help="link a DTKS extract to a civil-registry extract (files in, file out)",
            description=(
                "Writes LINKS.csv with the columns id_dtks,nik_match,match_probability,method,"
                "flags: method nik_exact, probabilistic or none; flags ;-separated."
            ),
        )
        link.add_argument("--dtks", required=True, type=Path, metavar="DTKS.csv")
        link.add_argument("--dukcapil", required=True, type=Path, metavar="DUKCAPIL.csv")
        link.add_argument("--out", required=True, type=Path, metavar="LINKS.csv")
        link.add_argument("--exclusions", type=Path, metavar="EXCLUSIONS.csv")
        link.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb")

        sub.add_parser(
            "link-registry",
            help="link the registry's DTKS records to its people and queue matches for review",
        )

        fake = sub.add_parser(
            "synth",
            help="write a synthetic civil registry and DTKS extract with known truth",
        )
        fake.add_argument("--people", type=int, required=True, metavar="N")
        fake.add_argument("--out", type=Path, required=True, metavar="DIR")
        fake.add_argument("--dtks-rows", type=int, metavar="N")
        fake.add_argument("--seed", type=int, default=1)

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        console = Console(file=self.stdout, highlight=False)
        if action == "import":
            self._import(console, options["kind"], options["file"], _mapping(options["map"]))
        elif action == "link":
            self._link(console, options)
        elif action == "link-registry":
            with Progress(console=console, transient=True) as bar:
                task = bar.add_task("Linking", total=None)
                run = linking.link_registry(progress=_stage_progress(bar, task))
            summary = run.summary
            console.print(
                f"{summary['linked']:,} of {summary['rows']:,} DTKS rows linked; "
                f"{summary['review']:,} possible matches wait for review."
            )
            for flag, count in sorted(summary["flags"].items()):
                console.print(f"  {flag}: {count:,}")
        else:
            self._synth(console, options)

    def _import(self, console: Console, kind: str, path: Path, mapping: dict[str, str]) -> None:
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        with Progress(console=console, transient=True) as bar:
            task = bar.add_task(f"Importing {path.name}", total=None)
            try:
                run: ImportRun = IMPORTERS[kind](
                    path, mapping=mapping, progress=lambda done: bar.update(task, completed=done)
                )
            except ImportFileError as exc:
                raise CommandError(f"{path}: {exc}") from exc
        for problem in run.problems:
            self.stderr.write(
                f"{path}: row {problem['row']}, {problem['column']}: {problem['severity']}: "
                f"{problem['reason']}"
            )
        console.print(
            f"{run.rows:,} rows: {run.created:,} new, {run.updated:,} changed, "
            f"{run.unchanged:,} unchanged, {run.rejected:,} refused, {run.warnings:,} warnings."
        )

    def _link(self, console: Console, options: dict[str, Any]) -> None:
        for name in ("dtks", "dukcapil", "exclusions"):
            path = options[name]
            if path is not None and not path.is_file():
                raise CommandError(f"--{name} {path}: no such file")
        with Progress(console=console, transient=True) as bar:
            task = bar.add_task("Linking", total=None)
            try:
                run = linkage.link_files(
                    options["dtks"],
                    options["dukcapil"],
                    options["out"],
                    exclusions_csv=options["exclusions"],
                    engine=options["engine"],
                    progress=_stage_progress(bar, task),
                )
            except linkage.LinkageError as exc:
                raise CommandError(str(exc)) from exc
        methods = Counter(link.method for link in run.links)
        flags = Counter(flag for link in run.links for flag in link.flags)
        console.print(
            f"{len(run.links):,} DTKS rows linked into {options['out']}: "
            + ", ".join(f"{count:,} {method}" for method, count in sorted(methods.items()))
            + f"; {len(run.review):,} pairs worth a clerk's review (not written)."
        )
        for flag, count in sorted(flags.items()):
            console.print(f"  {flag}: {count:,}")

    def _synth(self, console: Console, options: dict[str, Any]) -> None:
        if options["people"] < 1:
            raise CommandError("--people must be at least 1")
        with Progress(console=console, transient=True) as bar:
            task = bar.add_task("Writing synthetic people", total=options["people"])
            summary = synth.generate(
                options["people"],
                options["out"],
                seed=options["seed"],
                dtks_rows=options["dtks_rows"],
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
        console.print(
            f"Wrote {summary.people:,} people in {summary.families:,} families "
            f"({summary.deceased:,} deceased, {summary.moved_out:,} moved out), "
            f"{summary.dtks_rows:,} DTKS rows and {summary.excluded:,} excluded NIKs "
            f"to {options['out']}, with the truth in {summary.truth.name}."
        )
