"""Reading the tables an import takes: CSV (comma or semicolon, UTF-8) or the first sheet of an
XLSX workbook, streamed row by row, with the header matched to canonical column names through an
optional mapping for real extracts with their own headers."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from kotacerdas.core.spreadsheets import UnreadableRow, csv_delimiter, csv_rows, unneutralise

# The canonical formats (docs/bansos.md). The civil registry extract of Dispendukcapil:
CIVIL_REGISTRY_COLUMNS = (
    "nik",
    "no_kk",
    "nama",
    "tempat_lahir",
    "tanggal_lahir",
    "jenis_kelamin",
    "alamat",
    "rt",
    "rw",
    "kode_kelurahan",
    "status_hidup",
    "tanggal_meninggal",
)
# Optional: the relationship to the head of the family, as the family card writes it.
CIVIL_REGISTRY_OPTIONAL = ("hubungan",)
# The DTKS extract (nik may be blank or wrong):
DTKS_COLUMNS = (
    "id_dtks",
    "nik",
    "no_kk",
    "nama",
    "tanggal_lahir",
    "jenis_kelamin",
    "alamat",
    "kode_kelurahan",
    "program",
    "desil",
)
# An exclusion list (jenis: PNS, ASN, PPPK, TNI, POLRI or LAINNYA):
EXCLUSION_COLUMNS = ("nik", "jenis")


class ImportFileError(ValueError):
    """The file as a whole cannot be imported (unreadable, not CSV or XLSX, columns missing);
    nothing was saved."""


def batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """``items`` in lists of ``size`` (itertools.batched arrives only in Python 3.12)."""
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def read_table(
    path: Path,
    columns: Sequence[str],
    *,
    optional: Sequence[str] = (),
    mapping: Mapping[str, str] | None = None,
) -> Iterator[tuple[int, dict[str, str]]]:
    """The rows of a CSV or XLSX file as ``(row number, {canonical column: text})``.

    ``mapping`` maps a canonical column to the file's own header (``{"nik": "NIK KTP"}``);
    headers are compared without case or surrounding spaces. Raises ``ImportFileError`` when a
    required column is missing, before any row is read.
    """
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        rows = _xlsx_rows(path)
    elif suffix in (".csv", ".txt"):
        rows = _csv_rows(path)
    else:
        raise ImportFileError(_("Give a CSV or XLSX file."))
    try:
        _number, header = next(rows)
    except StopIteration:
        raise ImportFileError(_("The file is empty.")) from None
    positions = {text.strip().lower(): index for index, text in enumerate(header) if text}
    wanted = {column: (mapping or {}).get(column, column).strip().lower() for column in columns}
    missing = [column for column, name in wanted.items() if name not in positions]
    if missing:
        raise ImportFileError(
            _("Columns missing from the header: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    index = {column: positions[name] for column, name in wanted.items()}
    for column in optional:
        name = (mapping or {}).get(column, column).strip().lower()
        if name in positions:
            index[column] = positions[name]
    for number, cells in rows:
        if not any(cell.strip() for cell in cells):
            continue
        yield (
            number,
            {
                column: unneutralise(cells[position].strip()) if position < len(cells) else ""
                for column, position in index.items()
            },
        )


def _csv_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    try:
        handle = open(path, newline="", encoding="utf-8-sig")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise ImportFileError(_("The file cannot be read.")) from exc
    with handle:
        try:
            first = handle.readline()
            lines = itertools.chain([first], handle)
            yield from csv_rows(lines, csv_delimiter(first))
        except UnicodeDecodeError:
            raise ImportFileError(_("The file is not UTF-8 text.")) from None
        except UnreadableRow as exc:
            raise ImportFileError(
                _("Row %(row)d cannot be read: %(reason)s") % {"row": exc.row, "reason": exc}
            ) from None


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise ImportFileError(_("The file is not an XLSX workbook.")) from exc
    try:
        sheet = book.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [_cell_text(value) for value in values]
    finally:
        book.close()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        # A number typed into a cell (an RT of 3, a desil of 2). A 16-digit NIK stored as a
        # number has lost its last digit already, which the NIK check then reports.
        return str(int(value))
    return str(value)
