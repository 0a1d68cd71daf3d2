"""Satu Data's tabular engine: checking an uploaded version of a dataset against its Table
Schema, and the query store the published data is read from.

A dataset may declare a Frictionless Table Schema (https://specs.frictionlessdata.io/table-schema/):
its fields, each with a type (string, integer, number, boolean, date, time, datetime, year) and
constraints (required, unique, minimum, maximum, enum, pattern, minLength, maxLength), a primary
key, and values that count as missing (``missingValues``). Satu Data adds one property: a string
field with ``"region": true`` holds Kemendagri region codes (35.71, 35.71.01...), and every one
must exist.

``ingest`` reads an OPD's file (CSV, XLSX or JSON), checks every row and lists every problem by
row and column, as a spreadsheet numbers them (the header is row 1), so the clerk can correct
them all at once. Only a file without problems is stored: a DuckDB database holding one table,
``data``, with the typed values and an ``_id`` column numbering the rows 1..n in file order.
Without a Table Schema the column types are inferred, cautiously (see ``_infer_fields``).

Speed matters (a version may have a million rows), so no row is looped in Python: DuckDB reads
the file as text and types every cell into a temporary table, every check is one SQL expression
over it, all counted in a single pass, and only the checks that fail are queried again for
their first rows. XLSX and JSON files are smaller; they are read in Python, written as CSV and
go through the same checks. (bench/opendata_ingest.py: a million rows of 12 columns in about
2 seconds, where ``frictionless validate`` takes over 30.)

``search`` and ``export`` read a store the way CKAN's ``datastore_search`` does: exact filters,
a case-insensitive text search, a sort, pages. Column names are only ever used when they are
columns of the store, quoted; values always travel as query parameters.
"""

from __future__ import annotations

import bisect
import codecs
import contextlib
import csv
import datetime as dt
import io
import json
import math
import os
import re
import tempfile
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kotacerdas.core.spreadsheets import neutralise

MAX_BYTES = 200 * 1024 * 1024
MAX_PROBLEMS = 1000
MAX_LIMIT = 32000  # CKAN's datastore_search refuses more rows a page
XLSX_MAX_ROWS = 1_048_575  # a worksheet's 1,048,576 rows, less the header
KINDS = ("csv", "xlsx", "json")
TYPES = ("string", "integer", "number", "boolean", "date", "time", "datetime", "year")
ROW_ID = "_id"

# Separators clerks' spreadsheets write: comma; semicolon where the decimal separator is a
# comma (Excel set to Indonesian); tab ("Text (Tab delimited)"); vertical bar from some
# databases. Ties go to the first.
DELIMITERS = (",", ";", "\t", "|")

# A text cell a spreadsheet would run as a formula. A lone sign ("-" for "no data") is text.
FORMULA_SIGNS = ("=", "+", "-", "@")

STORE_TYPES = {
    "string": "VARCHAR",
    "integer": "BIGINT",
    "number": "DOUBLE",
    "boolean": "BOOLEAN",
    "date": "DATE",
    "time": "TIME",
    "datetime": "TIMESTAMP",
    "year": "INTEGER",
}
ORDERED_TYPES = ("integer", "number", "date", "time", "datetime", "year")
STRING_FORMATS = ("default", "email", "uri", "uuid")
DEFAULT_TRUE = ("true", "True", "TRUE", "1")
DEFAULT_FALSE = ("false", "False", "FALSE", "0")
# Day-first dates, as Indonesian offices write them, for a date field whose format is "any".
ANY_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d")

# The text forms each type accepts (RE2 syntax, matched against the whole trimmed cell). The
# casts alone are too lenient for a standard: DuckDB reads "1.5" as the integer 2 and "1_000"
# as 1000.
_INTEGER_RE = r"[+-]?[0-9]+"
_NUMBER_RE = r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?"
_YEAR_RE = r"[0-9]{4}"
_DATE_RE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
_TIME_RE = r"[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?"
_DATETIME_RE = _DATE_RE + r"[T ]" + _TIME_RE + r"(Z|[+-][0-9]{2}(:?[0-9]{2})?)?"
_EMAIL_RE = r"[^@\s]+@[^@\s]+\.[^@\s]+"
_URI_RE = r"[A-Za-z][A-Za-z0-9+.\-]*:\S+"

# What an untyped column must look like, everywhere, to be stored as a number rather than text
# (``_infer_fields``): no leading zeros ("0812...", "007"), no plus sign, no trailing zeros
# after a point ("35.10"), no more digits than a double holds. Anything else keeps its text.
_CANONICAL_INTEGER_RE = r"-?(0|[1-9][0-9]{0,17})"
_CANONICAL_NUMBER_RE = r"-?(0|[1-9][0-9]*)(\.[0-9]*[1-9])?"
_MAX_INFERRED_DIGITS = 15
# Words of a column name that say it holds codes or identity numbers, text whatever their
# digits: kode (code), NIK (identity card), NIP (civil servant), NKK (family card), NPWP (tax),
# NISN and NPSN (pupil and school), telepon, HP (mobile phone).
IDENTIFIER_WORDS = {
    "kode",
    "code",
    "nik",
    "nip",
    "nkk",
    "npwp",
    "nisn",
    "npsn",
    "telp",
    "telepon",
    "phone",
    "hp",
}

# CKAN's names for the types of a store's columns (the ``fields`` of datastore_search).
CKAN_TYPES = {
    "BIGINT": "int",
    "INTEGER": "int",
    "DOUBLE": "numeric",
    "VARCHAR": "text",
    "BOOLEAN": "bool",
    "DATE": "date",
    "TIME": "time",
    "TIMESTAMP": "timestamp",
}


# ---------------------------------------------------------------------------------------------
# Reports


@dataclass(frozen=True)
class Problem:
    """One problem of a file: its row as a spreadsheet numbers it (the header is row 1; None
    for the file as a whole), the column (None for a whole row), a code and the message for
    the clerk.

    Codes: size, encoding, format, delimiter, header, schema (of the file); type, required,
    enum, minimum, maximum, pattern, min_length, max_length, unique, primary_key, region,
    formula (of a cell)."""

    row: int | None
    field: str | None
    code: str
    message: str


@dataclass
class Report:
    """The outcome of ``ingest``: whether the file was valid (and so stored), how many data rows
    it has, its columns, and its problems in row order, the first ``MAX_PROBLEMS`` of them;
    ``truncated`` is how many more there are (0 when every problem is listed)."""

    valid: bool
    rows: int
    fields: list[str]
    problems: list[Problem]
    truncated: int = 0


@dataclass(frozen=True)
class _Field:
    """A field of the Table Schema (or inferred), with what the checks need of it."""

    name: str
    type: str = "string"
    format: str = "default"
    constraints: dict[str, Any] = field(default_factory=dict)
    required: bool = False
    region: bool = False
    descriptor: dict[str, Any] = field(default_factory=dict)

    @property
    def unique(self) -> bool:
        return self.constraints.get("unique") is True


def _fields_of(schema: dict[str, Any]) -> tuple[list[_Field], list[str], list[str]]:
    """The fields of a checked Table Schema, its primary key and its missing values."""
    key = schema.get("primaryKey") or []
    key = [key] if isinstance(key, str) else list(key)
    fields = []
    for descriptor in schema["fields"]:
        constraints = dict(descriptor.get("constraints") or {})
        fields.append(
            _Field(
                name=descriptor["name"],
                type=descriptor.get("type", "string"),
                format=descriptor.get("format", "default"),
                constraints=constraints,
                # Table Schema: the fields of the primary key are required.
                required=constraints.get("required") is True or descriptor["name"] in key,
                region=descriptor.get("region") is True,
                descriptor=descriptor,
            )
        )
    missing = schema.get("missingValues", [""])
    return fields, key, [value for value in missing if value != ""]


# ---------------------------------------------------------------------------------------------
# SQL pieces. Identifiers and the schema's own constants are quoted here; values searched for
# are always parameters.


def _literal(text: str) -> str:
    """A SQL string literal (DuckDB's standard strings: a quote is doubled, nothing else is
    special)."""
    if "\x00" in text:
        raise ValueError("NUL in SQL text")
    return "'" + text.replace("'", "''") + "'"


def _ident(name: str) -> str:
    """A quoted SQL identifier."""
    if "\x00" in name:
        raise ValueError("NUL in SQL identifier")
    return '"' + name.replace('"', '""') + '"'


def _literal_list(values: Iterable[str]) -> str:
    return "[" + ", ".join(_literal(v) for v in values) + "]"


def _text_of_constant(value: Any) -> str:
    """A constant of the Table Schema (an enum value, a minimum) as a cell would hold it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _blank_sql(column: str, missing: list[str]) -> str:
    """Whether the cell is missing: empty, spaces only, or one of the schema's missingValues.
    (Trimming every cell would cost more than all the checks; only one starting with a space
    can be spaces only.)"""
    sql = (
        f"{column} IS NULL OR {column} = '' OR (starts_with({column}, ' ') AND trim({column}) = '')"
    )
    if missing:
        sql += f" OR {column} IN ({', '.join(_literal(v) for v in missing)})"
    return f"({sql})"


def _full_match(text: str, regex: str) -> str:
    # Spaces around a number or a date are tolerated, as the casts tolerate them.
    return f"regexp_full_match({text}, {_literal(' *(?:' + regex + ') *')})"


def _convert_sql(spec: _Field, text: str, *, plain: bool = False) -> str:
    """SQL turning the cell ``text`` into a value of the field's type, or NULL when it is not
    one (or is NULL or empty). ``plain``: the text is a number as JSON writes it (a schema's
    minimum), so the field's decimalChar and groupChar do not apply."""
    kind = spec.type
    if kind == "string":
        if spec.format == "email":
            return f"CASE WHEN regexp_full_match({text}, {_literal(_EMAIL_RE)}) THEN {text} END"
        if spec.format == "uri":
            return f"CASE WHEN regexp_full_match({text}, {_literal(_URI_RE)}) THEN {text} END"
        if spec.format == "uuid":
            return f"CASE WHEN TRY_CAST({text} AS UUID) IS NOT NULL THEN {text} END"
        return text
    if kind in ("integer", "number") and not plain:
        group = spec.descriptor.get("groupChar")
        if group:
            text = f"replace({text}, {_literal(group)}, '')"
        decimal = spec.descriptor.get("decimalChar")
        if kind == "number" and decimal and decimal != ".":
            text = f"replace({text}, {_literal(decimal)}, '.')"
    if kind == "boolean":
        trues = spec.descriptor.get("trueValues") or DEFAULT_TRUE
        falses = spec.descriptor.get("falseValues") or DEFAULT_FALSE
        return (
            f"CASE WHEN trim({text}) IN ({', '.join(map(_literal, trues))}) THEN true "
            f"WHEN trim({text}) IN ({', '.join(map(_literal, falses))}) THEN false END"
        )
    if kind == "time":
        text = f"trim({text})"  # the cast refuses " 08:30 "
    regex, cast = {
        "integer": (_INTEGER_RE, f"TRY_CAST({text} AS BIGINT)"),
        "number": (_NUMBER_RE, f"TRY_CAST({text} AS DOUBLE)"),
        "year": (_YEAR_RE, f"TRY_CAST({text} AS INTEGER)"),
        "date": (_DATE_RE, f"TRY_CAST({text} AS DATE)"),
        "time": (_TIME_RE, f"TRY_CAST({text} AS TIME)"),
        # A time with an offset is stored in UTC; one without is stored as written (the
        # connection's time zone is UTC, so the cast leaves it alone).
        "datetime": (_DATETIME_RE, f"CAST(TRY_CAST({text} AS TIMESTAMPTZ) AS TIMESTAMP)"),
    }[kind]
    standard = f"CASE WHEN {_full_match(text, regex)} THEN {cast} END"
    if kind not in ("date", "time", "datetime") or spec.format in ("default", "") or plain:
        return standard
    formats = list(ANY_DATE_FORMATS) if spec.format == "any" else [spec.format]
    parsed = f"CAST(try_strptime(trim({text}), {_literal_list(formats)}) AS {STORE_TYPES[kind]})"
    return f"COALESCE({standard}, {parsed})" if spec.format == "any" else parsed


def _value_sql(spec: _Field, column: str, missing: list[str]) -> str:
    """SQL for the typed value of a raw cell: NULL when missing or not of the type. Only text
    needs the full missing test: an empty cell is no number, no date."""
    if spec.type == "string":
        converted = _convert_sql(spec, column)
        return f"CASE WHEN {_blank_sql(column, missing)} THEN NULL ELSE {converted} END"
    if missing:
        values = ", ".join(_literal(v) for v in missing)
        return f"CASE WHEN {column} IN ({values}) THEN NULL ELSE {_convert_sql(spec, column)} END"
    return _convert_sql(spec, column)


def _constant_sql(spec: _Field, value: Any) -> str:
    """SQL for a constant of the schema (minimum, maximum, an enum value) as the field's type."""
    text = _literal(_text_of_constant(value))
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _convert_sql(spec, text, plain=True)
    # Written as text: the way the field's cells are written (a date in its format, a number
    # with its decimalChar), or else the standard way (an ISO date).
    return f"COALESCE({_convert_sql(spec, text)}, {_convert_sql(spec, text, plain=True)})"


def _formula_sql(column: str) -> str:
    signs = ", ".join(_literal(sign) for sign in FORMULA_SIGNS)
    return f"(left({column}, 1) IN ({signs}) AND length({column}) > 1)"


# ---------------------------------------------------------------------------------------------
# The Table Schema itself


def check_schema(descriptor: dict) -> list[str]:
    """What is wrong with a Table Schema descriptor, one message a problem naming the field
    (an empty list when it can be used). Frictionless validates it against the standard; then
    the rules of this engine: the types it checks, field names unique (as DuckDB compares
    them, ignoring case) and not ``_id``, the primary key's fields declared, ``region`` only on
    string fields, constants (minimum, maximum, enum) of the field's type, patterns and date
    formats that compile."""
    # Imported here: Frictionless takes a moment to load, and only schemas need it.
    from frictionless import Field, Schema

    if not isinstance(descriptor, dict):
        return [_("The Table Schema must be a JSON object with a list of fields.")]
    fields = descriptor.get("fields")
    if not isinstance(fields, list) or not fields:
        return [_('The Table Schema must list its fields ("fields": [...]).')]
    messages: list[str] = []
    names: dict[str, str] = {}
    con = duckdb.connect()
    try:
        for number, item in enumerate(fields, 1):
            if not isinstance(item, dict) or not isinstance(item.get("name"), str):
                messages.append(_("Field %(number)s has no name.") % {"number": number})
                continue
            name = item["name"]
            if not name.strip():
                messages.append(_("Field %(number)s has no name.") % {"number": number})
                continue
            if name.casefold() in names:
                messages.append(
                    _('Field "%(name)s": another field is already named "%(other)s".')
                    % {"name": name, "other": names[name.casefold()]}
                )
            names.setdefault(name.casefold(), name)
            standard = [
                error.message.removeprefix("Field is not valid: ")
                for error in Field.validate_descriptor(item).errors
            ]
            for problem in standard:
                messages.append(
                    _('Field "%(name)s": %(problem)s') % {"name": name, "problem": problem}
                )
            if not standard:
                messages.extend(_field_rules(con, item))
    finally:
        con.close()

    key = descriptor.get("primaryKey")
    if key is not None:
        parts = [key] if isinstance(key, str) else key
        if not isinstance(parts, list) or not all(isinstance(p, str) for p in parts) or not parts:
            messages.append(_("The primary key must be a field name or a list of field names."))
        else:
            declared = {item.get("name") for item in fields if isinstance(item, dict)}
            messages.extend(
                _('Primary key: there is no field "%(name)s".') % {"name": part}
                for part in parts
                if part not in declared
            )
            if len(set(parts)) != len(parts):
                messages.append(_("Primary key: a field is named twice."))
    if descriptor.get("foreignKeys"):
        messages.append(_("Foreign keys are not supported; remove foreignKeys."))
    missing = descriptor.get("missingValues", [""])
    if not isinstance(missing, list) or not all(isinstance(v, str) for v in missing):
        messages.append(_("missingValues must be a list of texts."))
    if not messages:
        # Whatever else the standard asks of a schema as a whole (its fields were checked).
        messages.extend(
            error.message.removeprefix("Schema is not valid: ")
            for error in Schema.validate_descriptor(descriptor).errors
            if error.type != "field-error"
        )
    return messages


def _field_rules(con: duckdb.DuckDBPyConnection, item: dict[str, Any]) -> list[str]:
    """This engine's rules for one field that Frictionless accepts."""
    name = item["name"]
    messages = []

    def refuse(text: str, **values: Any) -> None:
        messages.append(_('Field "%(name)s": ') % {"name": name} + text % values)

    kind = item.get("type", "string")
    if name == ROW_ID:
        refuse(_("the name %(id)s is kept for the row number."), id=ROW_ID)
    if kind not in TYPES:
        refuse(
            _('the type "%(type)s" is not supported; use one of %(types)s.'),
            type=kind,
            types=", ".join(TYPES),
        )
        return messages
    region = item.get("region")
    if region is not None and not isinstance(region, bool):
        refuse(_('"region" must be true or false.'))
    elif region and kind != "string":
        refuse(_('"region" applies only to string fields (region codes are text: "35.71").'))
    form = item.get("format", "default")
    if kind == "string" and form not in STRING_FORMATS:
        refuse(
            _('the format "%(format)s" is not supported; use one of %(formats)s.'),
            format=form,
            formats=", ".join(STRING_FORMATS),
        )
        return messages
    if kind in ("date", "time", "datetime") and form not in ("default", "any"):
        if not isinstance(form, str) or "%" not in form:
            refuse(
                _('the format "%(format)s" is not a strptime pattern like %%d/%%m/%%Y.'),
                format=form,
            )
            return messages
        try:
            con.execute("SELECT try_strptime('', ?)", [form])
        except duckdb.Error:
            refuse(_('the format "%(format)s" is not a valid strptime pattern.'), format=form)
            return messages
    for option in ("decimalChar", "groupChar"):
        char = item.get(option)
        if char is not None and (not isinstance(char, str) or len(char) != 1):
            refuse(_("%(option)s must be a single character."), option=option)
            return messages
    if item.get("decimalChar") and item.get("decimalChar") == item.get("groupChar"):
        refuse(_("decimalChar and groupChar must differ."))
    if kind == "boolean":
        for option in ("trueValues", "falseValues"):
            values = item.get(option)
            if values is not None and not all(isinstance(v, str) for v in values):
                refuse(_("%(option)s must be a list of texts."), option=option)
                return messages

    spec = _Field(name=name, type=kind, format=form, descriptor=item)
    constraints = item.get("constraints") or {}
    for option in ("minimum", "maximum"):
        if option in constraints and kind not in ORDERED_TYPES:
            refuse(_("%(option)s applies only to numbers, dates and times."), option=option)
        elif option in constraints and not _converts(con, spec, constraints[option]):
            refuse(
                _('the %(option)s "%(value)s" is not a valid %(type)s.'),
                option=option,
                value=constraints[option],
                type=kind,
            )
    if "enum" in constraints:
        values = constraints["enum"]
        if not isinstance(values, list) or not values:
            refuse(_("enum must be a list of the allowed values."))
        else:
            for value in values:
                if isinstance(value, dict | list) or not _converts(con, spec, value):
                    refuse(
                        _('the enum value "%(value)s" is not a valid %(type)s.'),
                        value=value,
                        type=kind,
                    )
    if "pattern" in constraints:
        pattern = constraints["pattern"]
        try:
            if not isinstance(pattern, str):
                raise TypeError
            con.execute("SELECT regexp_full_match('', ?)", [pattern])
        except (TypeError, duckdb.Error):
            refuse(
                _('the pattern "%(pattern)s" is not a valid regular expression.'), pattern=pattern
            )
    return messages


def _converts(con: duckdb.DuckDBPyConnection, spec: _Field, value: Any) -> bool:
    try:
        return con.execute(f"SELECT {_constant_sql(spec, value)}").fetchone()[0] is not None
    except (duckdb.Error, ValueError):
        return False


# ---------------------------------------------------------------------------------------------
# Reading files


class _Refused(Exception):
    """The file cannot be read at all; the problems say why."""

    def __init__(self, *problems: Problem) -> None:
        super().__init__(problems)
        self.problems = list(problems)


@dataclass
class _Source:
    """A file ready for DuckDB: a UTF-8 CSV, its separator, its header as written, and how its
    rows are numbered in the original file."""

    path: Path
    delimiter: str
    header: list[str]
    row_of: Callable[[int], int]  # _id -> the row in the original file
    problems: list[Problem] = field(default_factory=list)  # of rows that could not be read
    problem_count: int = 0
    rejects: bool = False  # DuckDB keeps malformed lines (CSV uploads)


def _shown(value: Any, width: int = 60) -> str:
    """A cell as a message quotes it: on one line, shortened."""
    text = " ".join(str(value).split()) if value is not None else ""
    return text if len(text) <= width else text[: width - 1] + "…"


def _check_encoding(source: Path) -> None:
    """Refuse a file that is not UTF-8 (with or without a byte-order mark), naming the row of
    the first character that cannot be read."""
    with open(source, "rb") as handle:
        head = handle.read(4)
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise _Refused(
                Problem(
                    None,
                    None,
                    "encoding",
                    _(
                        'The file is UTF-16 text ("Unicode Text"). In your spreadsheet, choose '
                        'Save As > "CSV UTF-8 (Comma delimited)" and upload that file.'
                    ),
                )
            )
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        offset = 0
        while True:
            chunk = handle.read(1 << 20)
            # Most data is ASCII, which is UTF-8: checked at memory speed, not decoded.
            held = len(decoder.getstate()[0])  # the end of a character cut by the last chunk
            if held or not chunk.isascii():
                try:
                    decoder.decode(chunk, final=not chunk)
                except UnicodeDecodeError as error:
                    bad = offset - held + error.start
                    handle.seek(0)
                    raise _Refused(_encoding_problem(handle.read(bad).count(b"\n") + 1)) from None
            if not chunk:
                return
            offset += len(chunk)


def _encoding_problem(row: int) -> Problem:
    # Excel's plain "CSV (Comma delimited)" writes the Windows code page (cp1252, read as
    # latin-1 elsewhere); "CSV UTF-8" is the one that keeps every character.
    return Problem(
        row,
        None,
        "encoding",
        _(
            "The file is not UTF-8 text: row %(row)s has a character that cannot be read (the "
            'file was probably saved as "CSV (Comma delimited)", in the Windows code page). '
            'In your spreadsheet, choose Save As > "CSV UTF-8 (Comma delimited)" and upload '
            "that file."
        )
        % {"row": row},
    )


def _first_line(text: str) -> str:
    """The header's first line, its quoted parts blanked out (a separator inside quotes does
    not separate)."""
    out = []
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in "\r\n":
            break
        elif not quoted:
            out.append(char)
    return "".join(out)


def detect_delimiter(header: str, expected: Iterable[str] = ()) -> str | None:
    """The separator of a CSV, from its header line: comma, semicolon, tab or vertical bar.
    Several may appear (a semicolon inside a column name); the one that splits the header into
    the expected column names wins, else the most frequent. None when none appears in a header
    of several expected columns; a one-column file has no separator, and gets the comma."""
    line = _first_line(header)
    counts = {d: line.count(d) for d in DELIMITERS if d in line}
    expected = [name for name in expected]
    if not counts:
        return "," if len(expected) <= 1 else None
    if expected:
        wanted = set(expected)

        def matches(d: str) -> int:
            return len(wanted & {name.strip() for name in line.split(d)})

        best = max(counts, key=lambda d: (matches(d), counts[d]))
        if matches(best):
            return best
    return max(counts, key=lambda d: counts[d])


def _csv_source(source: Path, expected: list[str]) -> _Source:
    _check_encoding(source)
    with open(source, "rb") as handle:
        head = handle.read(1 << 20).decode("utf-8-sig", errors="ignore")
    if not head.strip():
        raise _Refused(_empty_problem())
    delimiter = detect_delimiter(head, expected)
    if delimiter is None:
        raise _Refused(
            Problem(
                1,
                None,
                "delimiter",
                _(
                    "The columns of the header are not separated by a comma, a semicolon, a "
                    "tab or a vertical bar (|). Save the file from your spreadsheet as "
                    '"CSV UTF-8 (Comma delimited)".'
                ),
            )
        )
    header = next(csv.reader(io.StringIO(head, newline=""), delimiter=delimiter), [])
    return _Source(source, delimiter, header, row_of=lambda row_id: row_id + 1, rejects=True)


def _empty_problem() -> Problem:
    return Problem(1, None, "header", _("The file is empty: its first row must name the columns."))


def _cell_text(value: Any, kind: str | None) -> str | None:
    """A value of a workbook or a JSON document as the text a CSV cell would hold."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e18:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        if kind != "datetime" and value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, str):
        return value
    return str(getattr(value, "text", value))  # an array formula, a timedelta...


def _write_csv(path: Path, header: list[str], rows: Iterable[list[str | None]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def _xlsx_source(source: Path, types: dict[str, str], workdir: Path) -> _Source:
    """The first worksheet of a workbook, its first row the header. Dates come as dates; a cell
    holding a formula comes as its formula text (=SUM(...)), which the formula check refuses:
    the cached result may be stale or absent."""
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(source, read_only=True, data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise _Refused(
            Problem(None, None, "format", _("The file is not a readable Excel workbook (XLSX)."))
        ) from None
    try:
        if not book.worksheets:
            raise _Refused(_empty_problem())
        rows = book.worksheets[0].iter_rows(values_only=True)
        first = next(rows, None)
        header = [_cell_text(v, None) or "" for v in (first or ())]
        while header and not header[-1].strip():
            header.pop()
        if not header:
            raise _Refused(_empty_problem())
        width = len(header)
        kinds = [types.get(name.strip()) for name in header]
        numbers: list[int] = []
        problems: list[Problem] = []
        count = 0

        def records() -> Iterator[list[str | None]]:
            nonlocal count
            for number, values in enumerate(rows, 2):
                if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                    continue  # an empty row: workbooks keep formatted ones at the end
                beyond = [i for i, v in enumerate(values[width:], width) if v is not None]
                if beyond:
                    count += 1
                    if len(problems) < MAX_PROBLEMS:
                        problems.append(
                            Problem(
                                number,
                                None,
                                "format",
                                _("Column %(column)s has a value but no name in the header.")
                                % {"column": get_column_letter(beyond[0] + 1)},
                            )
                        )
                cells = [_cell_text(v, kinds[i]) for i, v in enumerate(values[:width])]
                cells.extend([None] * (width - len(cells)))
                numbers.append(number)
                yield cells

        path = workdir / "sheet.csv"
        _write_csv(path, [f"c{i}" for i in range(width)], records())
    finally:
        book.close()
    return _Source(
        path,
        ",",
        header,
        row_of=lambda row_id: numbers[row_id - 1],
        problems=problems,
        problem_count=count,
    )


def _json_source(source: Path, types: dict[str, str], workdir: Path) -> _Source:
    """A JSON array of flat objects, one a row; the columns are their keys, in the order they
    first appear. Rows are numbered as they would be in a spreadsheet: the first object is row
    2, below the header."""
    _check_encoding(source)
    try:
        data = json.loads(source.read_bytes().decode("utf-8-sig"))
    except json.JSONDecodeError as error:
        raise _Refused(
            Problem(
                None,
                None,
                "format",
                _("The file is not valid JSON (line %(line)s, column %(column)s): %(error)s.")
                % {"line": error.lineno, "column": error.colno, "error": error.msg},
            )
        ) from None
    except RecursionError:
        raise _Refused(
            Problem(None, None, "format", _("The JSON file is nested too deeply."))
        ) from None
    if not isinstance(data, list):
        raise _Refused(
            Problem(
                None,
                None,
                "format",
                _('The JSON file must be an array of objects: [{"column": value, ...}, ...].'),
            )
        )
    header: dict[str, None] = {}
    problems: list[Problem] = []
    count = 0
    for number, item in enumerate(data, 2):
        if not isinstance(item, dict):
            count += 1
            if len(problems) < MAX_PROBLEMS:
                problems.append(Problem(number, None, "format", _("This item is not an object.")))
            continue
        for key, value in item.items():
            header.setdefault(key, None)
            if isinstance(value, dict | list):
                count += 1
                if len(problems) < MAX_PROBLEMS:
                    problems.append(
                        Problem(
                            number,
                            key,
                            "format",
                            _("The value is a list or an object; only plain values are allowed."),
                        )
                    )
    names = list(header)
    if not names:
        raise _Refused(_empty_problem())
    kinds = [types.get(name.strip()) for name in names]
    numbers = [n for n, item in enumerate(data, 2) if isinstance(item, dict)]
    path = workdir / "records.csv"
    _write_csv(
        path,
        [f"c{i}" for i in range(len(names))],
        (
            [
                None if isinstance(v := item.get(name), dict | list) else _cell_text(v, kinds[i])
                for i, name in enumerate(names)
            ]
            for item in data
            if isinstance(item, dict)
        ),
    )
    return _Source(
        path,
        ",",
        names,
        row_of=lambda row_id: numbers[row_id - 1],
        problems=problems,
        problem_count=count,
    )


def _read_csv_sql(src: _Source) -> str:
    columns = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(src.header)))
    rejects = (
        ", store_rejects=true, rejects_table='rejected_lines', rejects_scan='rejected_scans'"
        if src.rejects
        else ""
    )
    # Strict: a row with too few or too many cells, or a quote never closed, is a problem of
    # that row, not something to guess around. Every cell is read as text; the checks type it.
    return (
        f"read_csv({_literal(str(src.path))}, delim={_literal(src.delimiter)}, quote='\"', "
        f"escape='\"', header=true, auto_detect=false, strict_mode=true, null_padding=false, "
        f"columns={{{columns}}}{rejects})"
    )


def _rejected_lines(
    con: duckdb.DuckDBPyConnection, width: int
) -> tuple[list[Problem], list[int], int]:
    """The lines DuckDB could not read as a row of the header's width: their problems, their
    line numbers (the rows after them are numbered from these) and how many there are."""
    lines = con.execute(
        "SELECT line, min(error_type), min(error_message) FROM rejected_lines "
        "GROUP BY line ORDER BY line"
    ).fetchall()
    problems = []
    for line, error_type, message in lines[:MAX_PROBLEMS]:
        if error_type in ("MISSING COLUMNS", "TOO MANY COLUMNS"):
            found = re.search(r"Found: (\d+)", message or "")
            text = ngettext(
                "This row has %(found)s cell; the header has %(expected)s.",
                "This row has %(found)s cells; the header has %(expected)s.",
                int(found.group(1)) if found else 0,
            ) % {"found": found.group(1) if found else "?", "expected": width}
        elif error_type == "UNQUOTED VALUE":
            text = _(
                "A quoted cell starting on this row is never closed, so the rest of the file "
                "cannot be read."
            )
        elif error_type == "LINE SIZE OVER MAXIMUM":
            text = _("This row is too long to read (more than 2 MB).")
        else:
            text = _("This row cannot be read as CSV: %(error)s") % {
                "error": (message or error_type or "").splitlines()[0]
            }
        problems.append(Problem(int(line), None, "format", text))
    return problems, [int(line) for line, *_rest in lines], len(lines)


def _skipping(lines: list[int]) -> Callable[[int], int]:
    """Row numbers of a CSV whose unreadable ``lines`` (sorted) were left out of the table: the
    row with _id k is the k-th readable row after the header, the smallest row r such that
    rows 2..r hold k readable ones."""
    if not lines:
        return lambda row_id: row_id + 1

    def row_of(row_id: int) -> int:
        low, high = row_id + 1, row_id + 1 + len(lines)
        while low < high:
            middle = (low + high) // 2
            if middle - 1 - bisect.bisect_right(lines, middle) >= row_id:
                high = middle
            else:
                low = middle + 1
        return low

    return row_of


# ---------------------------------------------------------------------------------------------
# Checks


@dataclass
class _Check:
    """One check over the table ``work``: ``count`` is an aggregate counting the faulty rows;
    ``rows`` selects (_id, cell, first row) of the first ones (first row: of the value a
    duplicate repeats). The message is ``text`` filled with the cell (``value``), its first
    character (``sign``), its length, the first row (``row``) and ``extra``."""

    code: str
    field: str | None
    position: int
    count: str
    rows: str
    text: str
    extra: dict[str, Any] = field(default_factory=dict)

    def message(self, cell: Any, first: int | None) -> str:
        text = "" if cell is None else str(cell)
        return self.text % {
            "value": _shown(text),
            "sign": text[:1],
            "length": len(text),
            "row": first,
            **self.extra,
        }


def _simple(code: str, spec: _Field, position: int, where: str, cell: str, text: str, **extra):
    rows = (
        f"SELECT _id, {cell}, NULL FROM work WHERE {where} "  # noqa: S608
        f"ORDER BY _id LIMIT {MAX_PROBLEMS}"
    )
    return _Check(code, spec.name, position, f"count_if({where})", rows, text, extra)


def _duplicates(code: str, name: str, position: int, typed: list[str], cells: str, text: str):
    """Rows repeating the value (or, for a key, the values) of an earlier row; rows missing one
    of them are left to the required check."""
    complete = " AND ".join(f"{t} IS NOT NULL" for t in typed)
    together = ", ".join(typed)
    distinct = typed[0] if len(typed) == 1 else f"({together})"
    rows = (
        f"SELECT _id, cells, first FROM (SELECT _id, {cells} AS cells, "  # noqa: S608
        f"min(_id) OVER (PARTITION BY {together}) AS first FROM work WHERE {complete}) "
        f"WHERE _id <> first ORDER BY _id LIMIT {MAX_PROBLEMS}"
    )
    count = f"count_if({complete}) - count(DISTINCT {distinct}) FILTER ({complete})"
    return _Check(code, name, position, count, rows, text)


def _type_text(spec: _Field) -> tuple[str, dict[str, Any]]:
    """The message of a cell that is not of the field's type, and what fills it."""
    kind, form = spec.type, spec.format
    if kind == "integer":
        return _('"%(value)s" is not a whole number.'), {}
    if kind == "number":
        if spec.descriptor.get("decimalChar", ".") != ".":
            return _('"%(value)s" is not a number.'), {}
        return _(
            '"%(value)s" is not a number. Write decimals with a point (7.5) and no thousands '
            'separator, or declare "decimalChar": "," in the Table Schema.'
        ), {}
    if kind == "year":
        return _('"%(value)s" is not a year of four digits.'), {}
    if kind == "boolean":
        trues = spec.descriptor.get("trueValues") or DEFAULT_TRUE
        falses = spec.descriptor.get("falseValues") or DEFAULT_FALSE
        return _('"%(value)s" is not one of %(values)s.'), {"values": ", ".join([*trues, *falses])}
    if kind == "string":
        return {
            "email": _('"%(value)s" is not an email address.'),
            "uri": _('"%(value)s" is not a web address (URI).'),
            "uuid": _('"%(value)s" is not a UUID.'),
        }.get(form, _('"%(value)s" is not text.')), {}
    if form not in ("default", "any"):
        return _('"%(value)s" does not follow the format %(format)s.'), {"format": form}
    return {
        "date": _('"%(value)s" is not a date written YYYY-MM-DD (2024-01-31).'),
        "time": _('"%(value)s" is not a time written hh:mm:ss (08:30:00).'),
        "datetime": _(
            '"%(value)s" is not a date and time written YYYY-MM-DDThh:mm:ss (2024-01-31T08:30:00).'
        ),
    }[kind], {}


def _listed(values: list[Any], width: int = 200) -> str:
    text = ", ".join(_text_of_constant(v) for v in values)
    return text if len(text) <= width else text[: width - 1] + "…"


def _plain_text(spec: _Field) -> bool:
    return spec.type == "string" and spec.format in ("default", "")


def _raw_sql(position: int, spec: _Field | None = None, index: int | None = None) -> str | None:
    """What ``cells`` keeps of the raw text of the file's column ``position`` beside the typed
    values: all of it for a column no field reads; nothing for a text field (its value is its
    text, NULL when missing); for other fields the text of the cells that are not a value of
    the type (missing or wrong), all the checks need of it. Holding every cell twice, as text
    and as value, would cost more than all the checks."""
    if spec is None:
        return f"c{position}"
    if _plain_text(spec):
        return None
    return f"CASE WHEN t{index} IS NULL THEN c{position} END AS c{position}"


def _field_checks(
    spec: _Field, index: int, position: int, missing: list[str], region_table: str | None
) -> list[_Check]:
    """The checks of one field's cells: column ``c{position}`` of the file, typed as
    ``t{index}``; what is left of the raw text is ``_raw_sql``'s."""
    typed = f"t{index}"
    present = f"{typed} IS NOT NULL"
    if _plain_text(spec):
        # Missing is NULL; anything else is the text itself.
        failed, blank, formula, cell = "", f"{typed} IS NULL", _formula_sql(typed), typed
    else:
        raw = f"c{position}"
        failed, blank, formula = (
            f"{typed} IS NULL AND ",
            _blank_sql(raw, missing),
            _formula_sql(raw),
        )
        cell = f"COALESCE({raw}, CAST({typed} AS VARCHAR))"
    constraints = spec.constraints
    checks = []

    def add(code: str, where: str, text: str, **extra: Any) -> None:
        checks.append(_simple(code, spec, position, where, cell, text, **extra))

    if spec.required:
        add("required", f"{failed}{blank}", _("A value is required."))
    # A number ("-5", "+62"), or any value of a field's type, is no formula; text can be one,
    # even an email address ("=1+1@x.id").
    add(
        "formula",
        _formula_sql(cell) if spec.type == "string" else f"{failed}{formula}",
        _(
            '"%(value)s" starts with "%(sign)s", so spreadsheet software would execute it as a '
            "formula. Remove the sign, or write the value another way."
        ),
    )
    if not _plain_text(spec):  # text is always text
        type_text, type_extra = _type_text(spec)
        add("type", f"{typed} IS NULL AND NOT {blank} AND NOT {formula}", type_text, **type_extra)
    if "enum" in constraints:
        allowed = ", ".join(_constant_sql(spec, v) for v in constraints["enum"])
        add(
            "enum",
            f"{present} AND {typed} NOT IN ({allowed})",
            _('"%(value)s" is not one of the allowed values: %(values)s.'),
            values=_listed(constraints["enum"]),
        )
    if "minimum" in constraints:
        add(
            "minimum",
            f"{typed} < {_constant_sql(spec, constraints['minimum'])}",
            _('"%(value)s" is less than the minimum, %(limit)s.'),
            limit=_text_of_constant(constraints["minimum"]),
        )
    if "maximum" in constraints:
        add(
            "maximum",
            f"{typed} > {_constant_sql(spec, constraints['maximum'])}",
            _('"%(value)s" is more than the maximum, %(limit)s.'),
            limit=_text_of_constant(constraints["maximum"]),
        )
    if "minLength" in constraints:
        add(
            "min_length",
            f"length({typed}) < {int(constraints['minLength'])}",
            _('"%(value)s" is %(length)s characters long; the least allowed is %(limit)s.'),
            limit=int(constraints["minLength"]),
        )
    if "maxLength" in constraints:
        add(
            "max_length",
            f"length({typed}) > {int(constraints['maxLength'])}",
            _('"%(value)s" is %(length)s characters long; the most allowed is %(limit)s.'),
            limit=int(constraints["maxLength"]),
        )
    if "pattern" in constraints:
        add(
            "pattern",
            f"NOT regexp_full_match({typed}, {_literal(constraints['pattern'])})",
            _('"%(value)s" does not match the pattern %(pattern)s.'),
            pattern=constraints["pattern"],
        )
    if region_table:
        add(
            "region",
            f"{present} AND {typed} NOT IN (SELECT code FROM {region_table})",  # noqa: S608
            _('"%(value)s" is not a Kemendagri region code.'),
        )
    if spec.unique:
        checks.append(
            _duplicates(
                "unique",
                spec.name,
                position,
                [typed],
                cell,
                _(
                    '"%(value)s" is already in row %(row)s; each value of this column must be '
                    "different."
                ),
            )
        )
    return checks


def _checks(
    fields: list[_Field],
    columns: dict[str, int],
    key: list[str],
    missing: list[str],
    regions: dict[str, str],
) -> list[_Check]:
    """Every check of the rows, for the fields whose column the file has. ``columns`` maps a
    field to its column in the file (c0, c1...), ``regions`` a region field to the temporary
    table of the codes among its values that exist."""
    checks: list[_Check] = []
    index_of = {spec.name: index for index, spec in enumerate(fields)}
    for index, spec in enumerate(fields):
        if spec.name in columns:
            checks.extend(
                _field_checks(spec, index, columns[spec.name], missing, regions.get(spec.name))
            )
    if key and all(name in columns for name in key):
        cells = "concat_ws(', ', " + ", ".join(f"t{index_of[name]}" for name in key) + ")"
        checks.append(
            _duplicates(
                "primary_key",
                ", ".join(key),
                min(columns[name] for name in key),
                [f"t{index_of[name]}" for name in key],
                cells,
                _("The primary key (%(fields)s) = (%(value)s) is already in row %(row)s.").replace(
                    "%(fields)s", ", ".join(key).replace("%", "%%")
                ),
            )
        )
    return checks


def _header_problems(
    header: list[str], fields: list[_Field] | None
) -> tuple[list[Problem], dict[str, int]]:
    """Problems of the header row, and the column of each field found (its first one)."""
    problems = []
    columns: dict[str, int] = {}
    seen: dict[str, str] = {}
    for position, written in enumerate(header):
        name = written.strip()
        if not name:
            continue  # a problem only if it holds values (``_unnamed_problems``)
        # DuckDB, like SQL, does not tell column names apart by case.
        if name.casefold() in seen:
            problems.append(
                Problem(
                    1,
                    name,
                    "header",
                    _('The column "%(name)s" appears more than once.') % {"name": name}
                    if seen[name.casefold()] == name
                    else _('The columns "%(name)s" and "%(other)s" differ only in case.')
                    % {"name": name, "other": seen[name.casefold()]},
                )
            )
            continue
        seen[name.casefold()] = name
        if name == ROW_ID:
            problems.append(
                Problem(
                    1,
                    name,
                    "header",
                    _("The column name %(id)s is kept for the row number.") % {"id": ROW_ID},
                )
            )
            continue
        columns[name] = position
    if fields is None:
        return problems, columns
    declared = {spec.name for spec in fields}
    for name in columns:
        if name not in declared:
            problems.append(
                Problem(
                    1,
                    name,
                    "header",
                    _('The column "%(name)s" is not in the Table Schema.') % {"name": name},
                )
            )
    for spec in fields:
        if spec.name not in columns:
            near = next((n for n in columns if n.casefold() == spec.name.casefold()), None)
            problems.append(
                Problem(
                    1,
                    spec.name,
                    "header",
                    _('The column "%(name)s" of the Table Schema is missing.') % {"name": spec.name}
                    if near is None
                    else _(
                        'The column "%(name)s" of the Table Schema is missing (the file has '
                        '"%(near)s": names must match exactly).'
                    )
                    % {"name": spec.name, "near": near},
                )
            )
    return problems, {name: position for name, position in columns.items() if name in declared}


def _unnamed_problems(
    con: duckdb.DuckDBPyConnection, header: list[str], row_of: Callable[[int], int]
) -> list[Problem]:
    """A column without a name is a problem only if it holds values: spreadsheets often save
    empty columns after the last one ("a,b,c,,")."""
    from openpyxl.utils import get_column_letter

    problems = []
    for position, written in enumerate(header):
        if written.strip():
            continue
        first = con.execute(
            f"SELECT min(_id) FROM work WHERE NOT {_blank_sql(f'c{position}', [])}"  # noqa: S608
        ).fetchone()[0]
        if first is not None:
            problems.append(
                Problem(
                    1,
                    None,
                    "header",
                    _("Column %(column)s has no name, but row %(row)s has a value in it.")
                    % {"column": get_column_letter(position + 1), "row": row_of(first)},
                )
            )
    return problems


def _identifier_column(name: str) -> bool:
    words = {word for word in re.split(r"[^a-z0-9]+", name.lower()) if word}
    return bool(words & IDENTIFIER_WORDS) or name.lower().startswith(("kode", "code"))


def _infer_fields(con: duckdb.DuckDBPyConnection, columns: dict[str, int]) -> list[_Field]:
    """Types for the columns of a file without a Table Schema. A column is a number, a date or
    a boolean only if every value is written the way that type is always written back, so
    storing it loses nothing: "0812..." (a phone number), "007" and "35.10" (a region code)
    stay text, where a sniffer (DuckDB's among them) would make numbers of them. A column
    named as a code or an identity number (kode_wilayah, NIK) stays text whatever it holds:
    "35.71" is a code, not 35.71."""
    if not columns:
        return []
    tests = []
    for position in columns.values():
        raw = f"c{position}"
        text = f"trim({raw})"
        present = f"{raw} IS NOT NULL AND {text} <> ''"
        digits = f"length(regexp_replace({text}, '[^0-9]', '', 'g'))"
        tests.extend(
            [
                f"bool_and({text} IN ('true', 'false', 'True', 'False', 'TRUE', 'FALSE')) "
                f"FILTER ({present})",
                f"bool_and(regexp_full_match({text}, {_literal(_CANONICAL_INTEGER_RE)}) "
                f"AND TRY_CAST({text} AS BIGINT) IS NOT NULL) FILTER ({present})",
                f"bool_and(regexp_full_match({text}, {_literal(_CANONICAL_NUMBER_RE)}) "
                f"AND {digits} <= {_MAX_INFERRED_DIGITS}) FILTER ({present})",
                f"bool_and(regexp_full_match({text}, {_literal(_DATE_RE)}) "
                f"AND TRY_CAST({text} AS DATE) IS NOT NULL) FILTER ({present})",
                f"bool_and(regexp_full_match({text}, {_literal(_DATETIME_RE)}) "
                f"AND TRY_CAST({text} AS TIMESTAMPTZ) IS NOT NULL) FILTER ({present})",
            ]
        )
    answers = con.execute(f"SELECT {', '.join(tests)} FROM raw").fetchone()  # noqa: S608
    fields = []
    for number, name in enumerate(columns):
        flags = answers[number * 5 : number * 5 + 5]
        kind = "string"
        for candidate, flag in zip(
            ("boolean", "integer", "number", "date", "datetime"), flags, strict=True
        ):
            if flag:  # None: the column is empty
                kind = candidate
                break
        fields.append(_Field(name=name, type="string" if _identifier_column(name) else kind))
    return fields


# ---------------------------------------------------------------------------------------------
# Ingestion


def ingest(
    source: Path,
    kind: str,
    schema: dict | None,
    dest: Path,
    region_codes: Callable[[list[str]], set[str]] | set[str],
) -> Report:
    """Check the file ``source`` (``kind`` csv, xlsx or json) against the Table Schema
    ``schema`` (or none: types are then inferred) and, only if it has no problem, store it in
    the DuckDB database ``dest``. ``region_codes`` tells which codes exist: a set of them, or a
    function given the distinct values of the region columns, returning those that exist
    (called once).

    The store is written beside ``dest`` and moved over it only when complete: a file with
    problems, or a failure midway, leaves ``dest`` as it was.

    Row numbers are the records' numbers from row 2, as a spreadsheet shows the file: a
    quoted cell over several lines is one row, and a row that cannot be read (too many cells)
    still counts. Two approximations for CSV: the numbers differ from a text editor's line
    numbers below a multi-line cell, and a blank line, which DuckDB skips, is not counted, so
    the rows below it are reported one row too high.
    """
    source, dest = Path(source), Path(dest)
    kind = str(kind).lower()
    if kind not in KINDS:
        raise ValueError(f"unknown kind of file: {kind}")
    if schema is not None:
        errors = check_schema(schema)
        if errors:
            return Report(
                False,
                0,
                [],
                [Problem(None, None, "schema", error) for error in errors[:MAX_PROBLEMS]],
            )
        fields, key, missing = _fields_of(schema)
    else:
        fields, key, missing = None, [], []
    names = [spec.name for spec in fields] if fields is not None else []

    size = source.stat().st_size
    if size > MAX_BYTES:
        return Report(
            False,
            0,
            names,
            [
                Problem(
                    None,
                    None,
                    "size",
                    _("The file is %(size)s MB; the limit is %(limit)s MB.")
                    % {"size": round(size / 1_048_576, 1), "limit": MAX_BYTES // 1_048_576},
                )
            ],
        )

    types = {spec.name: spec.type for spec in fields or ()}
    with tempfile.TemporaryDirectory(prefix="kc-ingest-") as work_dir:
        workdir = Path(work_dir)
        try:
            if kind == "csv":
                src = _csv_source(source, names)
            elif kind == "xlsx":
                src = _xlsx_source(source, types, workdir)
            else:
                src = _json_source(source, types, workdir)
        except _Refused as refused:
            return Report(False, 0, names, refused.problems)
        con = duckdb.connect(":memory:", config={"temp_directory": str(workdir / "spill")})
        try:
            _utc(con)
            return _check_and_store(con, src, fields, key, missing, region_codes, dest)
        finally:
            con.close()


def _utc(con: duckdb.DuckDBPyConnection) -> None:
    """Read times with an offset into UTC. Without the ICU extension DuckDB's time zone is
    always UTC; with it, it would be the machine's."""
    with contextlib.suppress(duckdb.Error):
        con.execute("SET TimeZone = 'UTC'")


def _check_and_store(
    con: duckdb.DuckDBPyConnection,
    src: _Source,
    fields: list[_Field] | None,
    key: list[str],
    missing: list[str],
    region_codes: Callable[[list[str]], set[str]] | set[str],
    dest: Path,
) -> Report:
    """Read the file into the temporary table ``cells``, in file order (the view ``work`` adds
    _id): the typed value of every cell (t0, t1... in the fields' order) and what the checks
    need of the raw text (c0, c1... in the file's columns; see ``_raw_sql``). Check every row
    in SQL; if nothing is wrong, write the typed columns into a new database beside ``dest``
    and move it over ``dest``."""
    problems = list(src.problems)
    total = src.problem_count
    header_problems, columns = _header_problems(src.header, fields)
    problems.extend(header_problems)
    total += len(header_problems)

    try:
        if fields is None:
            # Without a schema the text comes first: the types are read from it.
            con.execute(f"CREATE TEMP TABLE raw AS SELECT * FROM {_read_csv_sql(src)}")  # noqa: S608
            fields = _infer_fields(con, columns)
            source = "raw"
        else:
            source = _read_csv_sql(src)
        # Each column of the file read by a field: the field and its place in the schema.
        reading = {
            columns[spec.name]: (spec, index)
            for index, spec in enumerate(fields)
            if spec.name in columns
        }
        typed = "".join(
            f", {_value_sql(spec, f'c{position}', missing)} AS t{index}"
            for position, (spec, index) in reading.items()
        )
        raws = (
            _raw_sql(position, *reading.get(position, ())) for position in range(len(src.header))
        )
        kept = ", ".join(
            [raw for raw in raws if raw] + [f"t{index}" for _spec, index in reading.values()]
        )
        con.execute(
            f"CREATE TEMP TABLE cells AS SELECT {kept} "  # noqa: S608
            f"FROM (SELECT *{typed} FROM {source})"
        )
    except duckdb.Error as error:
        # What strict reading and the rejects table do not catch; rare, but a clerk gets a
        # sentence, not a traceback.
        message = str(error).strip().splitlines()[0]
        return Report(
            False,
            0,
            [spec.name for spec in fields or ()],
            [
                Problem(
                    None,
                    None,
                    "format",
                    _("The file cannot be read as CSV: %(error)s") % {"error": message},
                )
            ],
        )
    names = [spec.name for spec in fields]
    con.execute("DROP TABLE IF EXISTS raw")
    # Insertion order is file order (DuckDB's preserve_insertion_order), so is rowid.
    con.execute("CREATE TEMP VIEW work AS SELECT rowid + 1 AS _id, * FROM cells")
    rows = con.execute("SELECT count(*) FROM cells").fetchone()[0]
    row_of = src.row_of
    if src.rejects:
        rejected, lines, count = _rejected_lines(con, len(src.header))
        problems.extend(rejected)
        total += count
        row_of = _skipping(lines)

    unnamed = _unnamed_problems(con, src.header, row_of)
    problems.extend(unnamed)
    total += len(unnamed)
    regions = _region_tables(con, fields, columns, region_codes)
    checks = _checks(fields, columns, key, missing, regions)
    if checks:
        counts = con.execute(
            f"SELECT {', '.join(check.count for check in checks)} FROM work"  # noqa: S608
        ).fetchone()
        for check, count in zip(checks, counts, strict=True):
            if not count:
                continue
            total += count
            for row_id, cell, first in con.execute(check.rows).fetchall():
                problems.append(
                    Problem(
                        row_of(row_id),
                        check.field,
                        check.code,
                        check.message(cell, row_of(first) if first is not None else None),
                    )
                )
    if not total:
        _store(con, fields, columns, dest)
        return Report(True, rows, names, [])

    order = {check.code: n for n, check in enumerate(checks)}
    problems.sort(key=lambda p: (p.row or 0, columns.get(p.field or "", -1), order.get(p.code, -1)))
    kept = problems[:MAX_PROBLEMS]
    return Report(False, rows, names, kept, truncated=max(total - len(kept), 0))


def _store(
    con: duckdb.DuckDBPyConnection, fields: list[_Field], columns: dict[str, int], dest: Path
) -> None:
    """Write the typed columns to a new database beside ``dest``, then move it over ``dest``:
    readers see the old store or the new one, never half of one."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(f".{dest.name}.{uuid.uuid4().hex}.partial")
    values = ", ".join(
        [_ident(ROW_ID)]
        + [
            (f"t{index}" if spec.name in columns else f"NULL::{STORE_TYPES[spec.type]}")
            + f" AS {_ident(spec.name)}"
            for index, spec in enumerate(fields)
        ]
    )
    try:
        # DuckDB 1.0's storage format: readable by any DuckDB this platform supports, and
        # its string compression (dictionary, FSST) reads scattered rows several times faster
        # than the newer DICT_FSST, which a sorted page of a search is.
        try:
            con.execute(f"ATTACH {_literal(str(partial))} AS store (STORAGE_VERSION 'v1.0.0')")
        except duckdb.Error:
            con.execute(f"ATTACH {_literal(str(partial))} AS store")
        con.execute(f"CREATE TABLE store.data AS SELECT {values} FROM work")  # noqa: S608
        con.execute("DETACH store")
        os.replace(partial, dest)
    finally:
        for leftover in (partial, partial.with_name(partial.name + ".wal")):
            leftover.unlink(missing_ok=True)


def _region_tables(
    con: duckdb.DuckDBPyConnection,
    fields: list[_Field],
    columns: dict[str, int],
    region_codes: Callable[[list[str]], set[str]] | set[str],
) -> dict[str, str]:
    """For each region field, a temporary table of the codes among its values that exist.
    ``region_codes`` is asked once, for the distinct values of every region column."""
    wanted = [
        (index, spec) for index, spec in enumerate(fields) if spec.region and spec.name in columns
    ]
    if not wanted:
        return {}
    values: set[str] = set()
    for index, _spec in wanted:
        found = con.execute(f"SELECT DISTINCT t{index} FROM work WHERE t{index} IS NOT NULL")  # noqa: S608
        values.update(value for (value,) in found.fetchall())
    ordered = sorted(values)
    if callable(region_codes):
        known = set(region_codes(ordered)) & values
    else:
        known = set(region_codes) & values
    con.execute("CREATE OR REPLACE TEMP TABLE known_regions (code VARCHAR PRIMARY KEY)")
    if known:
        con.execute("INSERT INTO known_regions SELECT unnest(?::VARCHAR[])", [sorted(known)])
    return {spec.name: "known_regions" for _index, spec in wanted}


# ---------------------------------------------------------------------------------------------
# The query store


class SearchError(ValueError):
    """A search the store cannot answer: a field it does not have, a sort it cannot read, a
    limit out of range. ``field`` names the culprit (None when it is no field)."""

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass
class SearchResult:
    """A page of a store, as CKAN's datastore_search answers: how many rows match, the columns
    ({"id": name, "type": CKAN type}) and the records, JSON-ready."""

    total: int
    fields: list[dict[str, str]]
    records: list[dict[str, Any]]


# Opening a store costs more than a search in it (tens of milliseconds: DuckDB reads its
# catalogue and metadata), so each process keeps the last few open, read-only, and searches on
# a cursor of its own. A store never changes in place: ingestion moves a new file over it, so
# an open one is still current while the file's inode and modification time are the same.
# One dropped from the list is not closed: a download may still be reading it on its cursor,
# which keeps the database open until it is done. Each store is attached to an in-memory
# database of its own rather than opened with duckdb.connect(path), which would hand back the
# instance still open on a file since replaced.
_OPEN_STORES: OrderedDict[str, tuple[tuple[int, int, int], duckdb.DuckDBPyConnection]] = (
    OrderedDict()
)
_OPEN_STORES_LOCK = threading.Lock()
OPEN_STORES_KEPT = 8


def _connect_store(store: Path) -> duckdb.DuckDBPyConnection:
    """A read-only cursor on the store (close it when done)."""
    path = str(Path(store).resolve())
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        raise FileNotFoundError(store) from None
    identity = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
    with _OPEN_STORES_LOCK:
        kept = _OPEN_STORES.pop(path, None)
        if kept is None or kept[0] != identity:
            # A sort too large for memory spills to the system's temporary directory, never to
            # the working directory (DuckDB's default for an in-memory database).
            spill = os.path.join(tempfile.gettempdir(), "kotacerdas-duckdb")
            con = duckdb.connect(":memory:", config={"temp_directory": spill})
            con.execute(f"ATTACH {_literal(path)} AS store (READ_ONLY)")
            kept = (identity, con)
        _OPEN_STORES[path] = kept
        while len(_OPEN_STORES) > OPEN_STORES_KEPT:
            _OPEN_STORES.popitem(last=False)
        cursor = kept[1].cursor()
    cursor.execute("USE store")
    return cursor


def _store_columns(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return dict(
        con.execute(
            "SELECT column_name, data_type FROM duckdb_columns() "
            "WHERE database_name = 'store' AND table_name = 'data' ORDER BY column_index"
        ).fetchall()
    )


@dataclass
class _Query:
    """A search of a store, checked: its columns, the condition (quoted columns, parameters
    for every value) and the sort."""

    columns: list[str]
    types: dict[str, str]
    where: str
    params: list[Any]
    order: str

    def count(self) -> str:
        return f"SELECT count(*) FROM data WHERE {self.where}"  # noqa: S608

    def rows(self, page: bool = False) -> str:
        selected = ", ".join(_ident(name) for name in self.columns)
        return (
            f"SELECT {selected} FROM data WHERE {self.where} "  # noqa: S608
            f"ORDER BY {self.order}{' LIMIT ? OFFSET ?' if page else ''}"
        )


def _filter_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _build_query(
    con: duckdb.DuckDBPyConnection,
    filters: dict[str, Any] | None,
    q: str | None,
    sort: str | None,
    fields: list[str] | None,
) -> _Query:
    types = _store_columns(con)

    def known(name: Any) -> str:
        if not isinstance(name, str) or name not in types:
            raise SearchError(
                str(name), _('There is no field "%(name)s".') % {"name": _shown(name)}
            )
        return name

    columns = list(dict.fromkeys(known(name) for name in fields)) if fields else list(types)
    conditions: list[str] = []
    params: list[Any] = []
    for name, wanted in (filters or {}).items():
        known(name)
        values = list(wanted) if isinstance(wanted, list | tuple | set) else [wanted]
        alternatives = []
        for value in values:
            if value is None:
                alternatives.append(f"{_ident(name)} IS NULL")
                continue
            text = _filter_value(value)
            cast = f"TRY_CAST(?::VARCHAR AS {types[name]})"
            if con.execute(f"SELECT {cast}", [text]).fetchone()[0] is None:
                raise SearchError(
                    name,
                    _('"%(value)s" is not a valid value of the field "%(name)s".')
                    % {"value": _shown(text), "name": name},
                )
            alternatives.append(f"{_ident(name)} = {cast}")
            params.append(text)
        conditions.append("(" + (" OR ".join(alternatives) or "false") + ")")
    if q and q.strip():
        texts = [name for name, kind in types.items() if kind == "VARCHAR"]
        for term in q.split():
            if not texts:
                conditions.append("false")
                break
            conditions.append(
                "(" + " OR ".join(f"contains(lower({_ident(n)}), ?)" for n in texts) + ")"
            )
            params.extend([term.lower()] * len(texts))
    order = []
    for part in (sort or "").split(","):
        text = part.strip()
        if not text:
            if sort and sort.strip():
                raise SearchError(None, _("The sort lists an empty field."))
            continue
        direction = "ASC"
        lowered = text.lower()
        for word in (" asc", " desc"):
            if lowered.endswith(word) and text[: -len(word)].strip():
                text, direction = text[: -len(word)].strip(), word.strip().upper()
                break
        if len(text) > 1 and text[0] == text[-1] == '"':
            text = text[1:-1].replace('""', '"')
        order.append(f"{_ident(known(text))} {direction}")
    # Then the file's order: pages never overlap or skip rows.
    order.append(_ident(ROW_ID))
    return _Query(
        columns,
        types,
        " AND ".join(conditions) or "true",
        params,
        ", ".join(order),
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date | dt.time):  # datetime is a date
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _ckan_fields(query: _Query) -> list[dict[str, str]]:
    return [
        {"id": name, "type": CKAN_TYPES.get(query.types[name], query.types[name].lower())}
        for name in query.columns
    ]


def search(
    store: Path,
    *,
    filters: dict[str, Any] | None = None,
    q: str | None = None,
    sort: str | None = None,
    limit: int = 100,
    offset: int = 0,
    fields: list[str] | None = None,
) -> SearchResult:
    """A page of the store's rows, as CKAN's datastore_search: ``filters`` match values exactly
    ({field: value or [values]}), ``q`` keeps rows where each of its words appears in some text
    column (ignoring case), ``sort`` is "field asc, other desc", then ``offset`` and ``limit``
    (0 to 32,000), and only ``fields`` if given. Raises SearchError."""
    if not isinstance(limit, int) or not 0 <= limit <= MAX_LIMIT:
        raise SearchError(
            None, _("The limit must be between 0 and %(max)s.") % {"max": f"{MAX_LIMIT:,}"}
        )
    if not isinstance(offset, int) or offset < 0:
        raise SearchError(None, _("The offset must be 0 or more."))
    con = _connect_store(store)
    try:
        query = _build_query(con, filters, q, sort, fields)
        total = con.execute(query.count(), query.params).fetchone()[0]
        found = con.execute(query.rows(page=True), [*query.params, limit, offset]).fetchall()
    finally:
        con.close()
    records = [
        {name: _jsonable(value) for name, value in zip(query.columns, row, strict=True)}
        for row in found
    ]
    return SearchResult(total, _ckan_fields(query), records)


def export(
    store: Path,
    fmt: str,
    *,
    filters: dict[str, Any] | None = None,
    q: str | None = None,
    sort: str | None = None,
    fields: list[str] | None = None,
) -> Iterator[bytes]:
    """Every row of the store matching the search, as a file to download, in pieces: ``fmt``
    csv (UTF-8 with a byte-order mark, so Excel reads it right), xlsx or json (an array of
    objects, the form ``ingest`` reads). Text in CSV and XLSX passes through ``neutralise``, so
    a cell a spreadsheet would execute ("=1+1") comes out as text ("'=1+1").

    The search is checked before the first piece (SearchError); so is the size of a workbook,
    which holds at most 1,048,575 rows below its header."""
    if fmt not in ("csv", "xlsx", "json"):
        raise SearchError(None, _("Download as CSV, XLSX or JSON."))
    con = _connect_store(store)
    try:
        query = _build_query(con, filters, q, sort, fields)
        if fmt == "xlsx":
            total = con.execute(query.count(), query.params).fetchone()[0]
            if total > XLSX_MAX_ROWS:
                raise SearchError(
                    None,
                    _(
                        "%(rows)s rows do not fit in an Excel worksheet (at most %(max)s); "
                        "download CSV, or filter the rows."
                    )
                    % {"rows": f"{total:,}", "max": f"{XLSX_MAX_ROWS:,}"},
                )
    except BaseException:
        con.close()
        raise
    writer = {"csv": _csv_pieces, "xlsx": _xlsx_pieces, "json": _json_pieces}[fmt]
    return writer(con, query)


def _rows(con: duckdb.DuckDBPyConnection, query: _Query) -> Iterator[tuple]:
    cursor = con.execute(query.rows(), query.params)
    while batch := cursor.fetchmany(5000):
        yield from batch


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return neutralise(_jsonable(value))


def _csv_pieces(con: duckdb.DuckDBPyConnection, query: _Query) -> Iterator[bytes]:
    try:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        buffer.write("\ufeff")
        writer.writerow([neutralise(name) for name in query.columns])
        for number, row in enumerate(_rows(con, query), 1):
            writer.writerow([_csv_cell(value) for value in row])
            if number % 5000 == 0:
                yield buffer.getvalue().encode("utf-8")
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue().encode("utf-8")
    finally:
        con.close()


def _xlsx_pieces(con: duckdb.DuckDBPyConnection, query: _Query) -> Iterator[bytes]:
    from openpyxl import Workbook

    try:
        book = Workbook(write_only=True)
        sheet = book.create_sheet("data")
        sheet.append([neutralise(name) for name in query.columns])
        for row in _rows(con, query):
            sheet.append([neutralise(value) for value in row])
        with tempfile.TemporaryFile() as handle:
            book.save(handle)
            handle.seek(0)
            while piece := handle.read(1 << 20):
                yield piece
    finally:
        con.close()


def _json_pieces(con: duckdb.DuckDBPyConnection, query: _Query) -> Iterator[bytes]:
    try:
        pieces = ["["]
        separator = "\n"
        for number, row in enumerate(_rows(con, query), 1):
            record = {
                name: _jsonable(value) for name, value in zip(query.columns, row, strict=True)
            }
            pieces.append(separator + json.dumps(record, ensure_ascii=False))
            separator = ",\n"
            if number % 5000 == 0:
                yield "".join(pieces).encode("utf-8")
                pieces = []
        pieces.append("\n]\n")
        yield "".join(pieces).encode("utf-8")
    finally:
        con.close()
