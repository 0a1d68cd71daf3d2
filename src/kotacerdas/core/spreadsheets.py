"""Cells that are safe to open in a spreadsheet. Every CSV or Excel export of the platform
passes its text through ``neutralise``: text a spreadsheet would run as a formula (starting with
=, +, -, @, tab or carriage return) gets a leading apostrophe, and characters a workbook cannot
hold are dropped. Imports undo it with ``unneutralise`` and read CSV rows with ``csv_rows``."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# A longer cell in an uploaded CSV is almost always a quote left open that swallowed the rest.
MAX_CELL_CHARACTERS = 131_072


def neutralise(value: Any) -> Any:
    """A cell value safe to open in a spreadsheet. Numbers, dates and empty cells are returned
    as they are."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def unneutralise(text: str) -> str:
    """Undo ``neutralise``: the apostrophe an export put before formula-like text."""
    if len(text) > 1 and text[0] == "'" and text[1:].startswith(FORMULA_TRIGGERS):
        return text[1:]
    return text


class UnreadableRow(ValueError):
    """A CSV record the reader cannot take (a cell over its size limit, typically an unclosed
    quote); ``row`` is its number as a spreadsheet shows it."""

    def __init__(self, row: int, reason: str) -> None:
        super().__init__(reason)
        self.row = row


def csv_delimiter(text: str) -> str:
    """Comma or semicolon, from the header. Spreadsheets set to Indonesian, where the decimal
    separator is a comma, save CSV with semicolons; the header (text only) tells which."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    return ";" if ";" in header and "," not in header else ","


def csv_rows(
    text: str | Iterable[str], delimiter: str | None = None
) -> Iterator[tuple[int, list[str]]]:
    """The records of a CSV text numbered as a spreadsheet numbers its rows (a blank line is a
    row; a quoted cell over several lines is one). ``text`` may also be the lines of a file
    opened with ``newline=""``, read as they come (give the ``delimiter`` then). Raises
    ``UnreadableRow``."""
    if isinstance(text, str):
        delimiter = delimiter or csv_delimiter(text)
        text = io.StringIO(text, newline="")
    reader = csv.reader(text, delimiter=delimiter or ",")
    number = 0
    while True:
        number += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise UnreadableRow(number, str(exc)) from None
        # The csv module's own limit is process-wide and other libraries raise it (frictionless
        # does, on import), so the limit that makes an unclosed quote an error is checked here.
        if any(len(cell) > MAX_CELL_CHARACTERS for cell in cells):
            raise UnreadableRow(number, f"a cell is longer than {MAX_CELL_CHARACTERS} characters")
        yield number, cells
