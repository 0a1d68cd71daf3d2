"""``kotacerdas index score --scheme SCHEME [--items] FILE.csv`` / ``index schemes``: the
national smart city evaluation's index, computed from a CSV of dimension or item scores.

The command is a thin boundary: the rules live in ``evaluation.scoring`` and
``evaluation.score_files``, the instruments and schemes in YAML files. It needs no database.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kotacerdas.evaluation.instruments import (
    INSTRUMENT_DIR_VARIABLE,
    Catalogue,
    InstrumentFileError,
    UnknownSchemeError,
    load_catalogue,
)
from kotacerdas.evaluation.score_files import (
    ScoreFileError,
    score_dimension_csv,
    score_item_csv,
    write_score_csv,
)

MAX_DECIMALS = 10


class Command(BaseCommand):
    help = (
        "Compute the smart city evaluation index of regions from a CSV of dimension or item "
        "scores, or list the scoring schemes. Needs no database."
    )
    # Pure arithmetic on files: no system checks, so it runs before (or without) `init`.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        score = sub.add_parser(
            "score",
            help="print each region's dimension scores and index (final) as CSV",
            description=(
                "FILE has a region column and one column per dimension of the scheme, or with "
                "--items the columns dimension,item,score and optionally region."
            ),
        )
        score.add_argument("--scheme", required=True, help="e.g. kominfo-2022-gmsc")
        score.add_argument(
            "--items", action="store_true", help="FILE holds item scores, not dimension scores"
        )
        score.add_argument(
            "--decimals", type=int, default=3, help="decimal places in the output (default 3)"
        )
        score.add_argument("file", metavar="FILE.csv", type=Path)
        schemes = sub.add_parser("schemes", help="list the schemes, their instrument and weights")
        for subparser in (score, schemes):
            subparser.add_argument(
                "--instruments",
                metavar="DIR",
                type=Path,
                action="append",
                default=[],
                help=(
                    "also read instrument and scheme YAML files from DIR (besides the packaged "
                    f"ones and {INSTRUMENT_DIR_VARIABLE})"
                ),
            )

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        try:
            catalogue = load_catalogue(options["instruments"])
        except InstrumentFileError as exc:
            raise CommandError(str(exc)) from exc
        if action == "schemes":
            self._list_schemes(catalogue)
        else:
            self._score(catalogue, options)

    def _list_schemes(self, catalogue: Catalogue) -> None:
        for scheme in catalogue.schemes.values():
            weights = ", ".join(f"{key} {weight}" for key, weight in scheme.weights.items())
            self.stdout.write(
                f"{scheme.id}\t{scheme.instrument.version}\t{weights}\t{scheme.label}"
            )

    def _score(self, catalogue: Catalogue, options: dict[str, Any]) -> None:
        decimals = options["decimals"]
        if not 0 <= decimals <= MAX_DECIMALS:
            raise CommandError(f"--decimals must be 0-{MAX_DECIMALS}, got {decimals}")
        try:
            scheme = catalogue.scheme(options["scheme"])
        except UnknownSchemeError as exc:
            raise CommandError(str(exc)) from exc
        path: Path = options["file"]
        try:
            # utf-8-sig: spreadsheets often start a UTF-8 CSV with a byte-order mark.
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{path}: cannot be read: {exc}") from exc
        score = score_item_csv if options["items"] else score_dimension_csv
        try:
            table = score(scheme, text, str(path))
        except ScoreFileError as exc:
            raise CommandError(str(exc)) from exc
        output = io.StringIO()
        write_score_csv(table, output, decimals)
        self.stdout.write(output.getvalue(), ending="")
