"""Fixtures of the evaluation tests: the packaged catalogue, running ``kotacerdas index`` in
process, and writing score files. None of these tests needs the database."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from kotacerdas.evaluation.instruments import (
    INSTRUMENT_DIR_VARIABLE,
    Catalogue,
    load_catalogue,
)


@pytest.fixture(autouse=True)
def _no_instrument_dir_from_the_shell(monkeypatch):
    # A developer's own KOTACERDAS_INSTRUMENT_DIR must not change what the tests load.
    monkeypatch.delenv(INSTRUMENT_DIR_VARIABLE, raising=False)


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue(environ={})


@dataclass(frozen=True)
class Outcome:
    """What ``kotacerdas index ...`` printed, and its error (None when it succeeded)."""

    stdout: str
    error: str | None


@pytest.fixture
def index_cli() -> Callable[..., Outcome]:
    """Run ``kotacerdas index ARGS`` in process; a CommandError is a non-zero exit."""

    def run(*args: object) -> Outcome:
        stdout = io.StringIO()
        try:
            call_command("index", *map(str, args), stdout=stdout)
        except CommandError as exc:
            return Outcome(stdout.getvalue(), str(exc))
        return Outcome(stdout.getvalue(), None)

    return run


@pytest.fixture
def write_file(tmp_path) -> Callable[[str, str], Path]:
    def write(text: str, name: str = "scores.csv") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def evaluation_2024(kediri, administrator):
    """Kota Kediri's 2024 evaluation under the 2023 scheme, just opened (self-assessment)."""
    from decimal import Decimal

    from kotacerdas.evaluation.cycle import open_evaluation

    return open_evaluation(
        administrator, kediri, 2024, "kominfo-2023-kppn-ikn", target=Decimal("3.600")
    )


@pytest.fixture
def evaluation_2022(kediri, administrator):
    """A 2022-style evaluation (scheme kominfo-2022-gmsc), just opened."""
    from kotacerdas.evaluation.cycle import open_evaluation

    return open_evaluation(administrator, kediri, 2022, "kominfo-2022-gmsc")
