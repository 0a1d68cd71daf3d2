"""Scoring a CSV file of evaluation scores, and writing the results as CSV.

Two kinds of file, both with a header line:

- dimension scores: a ``region`` column and one column per dimension of the scheme, one row
  per region (for instance the ministry's published table, to check or recompute the index);
- item scores: ``dimension,item,score`` and optionally ``region``, one row per item (what an
  assessor fills in). Every item of every dimension must be there for each region.

A file is scored whole or not at all: the first problem ends the scoring with a message that
names the file, the line (line 1 is the header) and the data row (1 is the first row after
the header), and the column, so that a clerk can find the cell in a spreadsheet. A partial
result would be worse than none, because it looks like a complete one.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TextIO

from kotacerdas.evaluation.instruments import Scheme
from kotacerdas.evaluation.scoring import (
    ScoreError,
    dimension_scores,
    index_score,
    is_score,
    round_score,
    took_part,
)

REGION = "region"
FINAL = "final"
ITEM_COLUMNS = ("dimension", "item", "score")
# Plain decimal numbers only: "1e0", "NaN" or "Infinity" in a score sheet are mistakes.
NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")
MAX_LISTED = 8  # missing item codes named in one message


class ScoreFileError(ValueError):
    """A score file that cannot be scored; the message names the file, line and column."""


@dataclass(frozen=True)
class ScoredRegion:
    """One region's result: its dimension scores (as given, or the means of its items) and
    its index, both unrounded."""

    region: str | None
    dimensions: dict[str, Decimal]
    final: Decimal


@dataclass(frozen=True)
class ScoreTable:
    """The result of scoring one file: the output columns (ending with ``final``) and one
    scored region per output row."""

    columns: tuple[str, ...]
    regions: tuple[ScoredRegion, ...]


@dataclass(frozen=True)
class _Row:
    line: int  # the file's line where the record starts, 1-based (line 1 is the header)
    number: int  # the data row, 1-based
    values: dict[str, str | None]  # None: the record is shorter than the header

    def where(self, name: str, column: str | None = None) -> str:
        place = f"{name}, line {self.line} (data row {self.number})"
        return f"{place}, column {column!r}" if column else place


@dataclass
class _Region:
    first: _Row
    scores: dict[str, Decimal] = field(default_factory=dict)
    rows: dict[str, _Row] = field(default_factory=dict)


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    """(first line, fields) of each record, skipping blank lines and all-blank records (a
    spreadsheet often saves a few ",,,," lines at the end)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    while True:
        start = reader.line_num + 1
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ScoreFileError(f"line {reader.line_num}: not valid CSV: {exc}") from exc
        if any(value.strip() for value in fields):
            yield start, fields


@dataclass(frozen=True)
class _Sheet:
    name: str
    header_line: int
    columns: list[str]
    records: list[tuple[int, list[str]]]

    def header_error(self, problem: str) -> ScoreFileError:
        return ScoreFileError(f"{self.name}, line {self.header_line} (header): {problem}")

    def check_columns(self, required: tuple[str, ...], allowed: tuple[str, ...], need: str) -> None:
        missing = [column for column in required if column not in self.columns]
        extra = [column for column in self.columns if column not in allowed]
        if missing:
            raise self.header_error(f"missing column(s) {', '.join(missing)}; {need}")
        if extra:
            raise self.header_error(f"unexpected column(s) {', '.join(extra)}; {need}")

    def rows(self) -> list[_Row]:
        rows = []
        for number, (line, fields) in enumerate(self.records, start=1):
            if len(fields) > len(self.columns):
                raise ScoreFileError(
                    f"{self.name}, line {line} (data row {number}): the row has {len(fields)} "
                    f"fields but the header has {len(self.columns)}"
                )
            values: dict[str, str | None] = dict.fromkeys(self.columns)
            values.update(zip(self.columns, fields, strict=False))
            rows.append(_Row(line=line, number=number, values=values))
        if not rows:
            raise ScoreFileError(f"{self.name}: the file has a header but no data rows")
        return rows


def _read(text: str, name: str) -> _Sheet:
    """The header and the records of a CSV text, with the header's names checked."""
    try:
        records = list(_records(text.removeprefix("\ufeff")))
    except ScoreFileError as exc:
        raise ScoreFileError(f"{name}, {exc}") from None
    if not records:
        raise ScoreFileError(f"{name}: the file is empty; it needs a header line")
    header_line, header = records[0]
    sheet = _Sheet(name, header_line, [column.strip() for column in header], records[1:])
    if len(sheet.columns) == 1 and ";" in sheet.columns[0]:
        raise sheet.header_error("columns must be separated by commas, not semicolons")
    for position, column in enumerate(sheet.columns, start=1):
        if not column:
            raise sheet.header_error(f"column {position} has no name")
        if sheet.columns.index(column) != position - 1:
            raise sheet.header_error(f"column {column!r} appears twice")
    return sheet


def _text(row: _Row, name: str, column: str) -> str:
    raw = row.values[column]
    if raw is None:
        raise ScoreFileError(f"{row.where(name, column)}: no value (the row is short)")
    if not raw.strip():
        raise ScoreFileError(f"{row.where(name, column)}: the value is blank")
    return raw.strip()


def _number(row: _Row, name: str, column: str) -> Decimal:
    raw = _text(row, name, column)
    if DECIMAL_COMMA.fullmatch(raw):
        raise ScoreFileError(
            f"{row.where(name, column)}: {raw!r} uses a decimal comma; write it with a point"
        )
    if not NUMBER.fullmatch(raw):
        raise ScoreFileError(f"{row.where(name, column)}: {raw!r} is not a number")
    return Decimal(raw)


def score_dimension_csv(scheme: Scheme, text: str, name: str) -> ScoreTable:
    """Score a CSV of dimension scores: a ``region`` column and one column per dimension of
    ``scheme``; each score 1.00-4.00, or every dimension of the region 0 (did not take part).

    The result keeps the file's columns in their order and adds ``final``.
    """
    sheet = _read(text, name)
    expected = (REGION, *scheme.dimensions)
    sheet.check_columns(expected, expected, f"scheme {scheme.id} needs {','.join(expected)}")
    columns = sheet.columns
    seen: dict[str, _Row] = {}
    scored = []
    for row in sheet.rows():
        region = _text(row, name, REGION)
        if region in seen:
            raise ScoreFileError(
                f"{row.where(name, REGION)}: region {region!r} is already on line "
                f"{seen[region].line}"
            )
        seen[region] = row
        # Read in the file's column order, so the first problem reported is the leftmost.
        scores = {column: _number(row, name, column) for column in columns if column != REGION}
        try:
            took_part(scores, "dimension")
        except ScoreError as exc:
            raise ScoreFileError(f"{row.where(name, exc.key)}: {exc.problem}") from None
        final = index_score(scheme, scores)
        scored.append(ScoredRegion(region=region, dimensions=scores, final=final))
    return ScoreTable(columns=(*columns, FINAL), regions=tuple(scored))


def score_item_csv(scheme: Scheme, text: str, name: str) -> ScoreTable:
    """Score a CSV of item scores: ``dimension,item,score`` and optionally ``region`` (without
    it the whole file is one region). Every item of every dimension of the scheme's instrument
    must appear once per region; each score 1.00-4.00, or every item of the region 0 (did not
    take part).

    The result has ``region`` (when the file has it), each dimension's mean and ``final``.
    """
    sheet = _read(text, name)
    sheet.check_columns(
        ITEM_COLUMNS,
        (REGION, *ITEM_COLUMNS),
        "an item file has the columns dimension,item,score and optionally region",
    )
    instrument = scheme.instrument
    has_region = REGION in sheet.columns
    regions: dict[str | None, _Region] = {}
    for row in sheet.rows():
        region = _text(row, name, REGION) if has_region else None
        dimension = _text(row, name, "dimension")
        if dimension not in scheme.dimensions:
            raise ScoreFileError(
                f"{row.where(name, 'dimension')}: unknown dimension {dimension!r}; scheme "
                f"{scheme.id} has {', '.join(scheme.dimensions)}"
            )
        code = _text(row, name, "item")
        item = instrument.item(code)
        if item is None:
            raise ScoreFileError(
                f"{row.where(name, 'item')}: unknown item code {code!r}; it is not in "
                f"instrument {instrument.version} (used by scheme {scheme.id})"
            )
        if item.dimension != dimension:
            raise ScoreFileError(
                f"{row.where(name, 'dimension')}: item {code} belongs to dimension "
                f"{item.dimension}, not {dimension}"
            )
        score = _number(row, name, "score")
        if score != 0 and not is_score(score):
            raise ScoreFileError(f"{row.where(name, 'score')}: {score} is outside 1.00-4.00")
        entry = regions.setdefault(region, _Region(first=row))
        if code in entry.scores:
            of_region = f" of region {region!r}" if has_region else ""
            raise ScoreFileError(
                f"{row.where(name, 'item')}: item {code}{of_region} is already given on line "
                f"{entry.rows[code].line}"
            )
        entry.scores[code] = score
        entry.rows[code] = row

    scored = []
    for region, entry in regions.items():
        which = f"region {region!r}" if has_region else "the file"
        for dimension_key in scheme.dimensions:
            codes = instrument.dimension(dimension_key).codes
            missing = [code for code in codes if code not in entry.scores]
            if missing:
                listed = ", ".join(missing[:MAX_LISTED])
                if len(missing) > MAX_LISTED:
                    listed += f" and {len(missing) - MAX_LISTED} more"
                raise ScoreFileError(
                    f"{name}: {which} (first row: line {entry.first.line}, data row "
                    f"{entry.first.number}): dimension {dimension_key} lacks {len(missing)} of "
                    f"its {len(codes)} items: {listed}"
                )
        try:
            took_part(entry.scores, "item")
        except ScoreError as exc:
            row = entry.rows[exc.key] if exc.key else entry.first
            raise ScoreFileError(f"{row.where(name, 'score')}: {exc.problem}") from None
        means = dimension_scores(instrument, entry.scores)
        scored.append(
            ScoredRegion(region=region, dimensions=means, final=index_score(scheme, means))
        )
    output = (REGION,) if has_region else ()
    return ScoreTable(columns=(*output, *scheme.dimensions, FINAL), regions=tuple(scored))


def write_score_csv(table: ScoreTable, out: TextIO, decimals: int = 3) -> None:
    """Write ``table`` as CSV, every score with ``decimals`` places, halves rounded up. The
    final index was computed from the unrounded dimension scores, so it may differ in the last
    place from a weighted sum of the printed ones."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.columns)
    for scored in table.regions:
        cells = []
        for column in table.columns:
            if column == REGION:
                cells.append(scored.region)
            else:
                value = scored.final if column == FINAL else scored.dimensions[column]
                cells.append(f"{round_score(value, decimals):f}")
        writer.writerow(cells)
