"""Excel workbooks for the OPDs' clerks, who keep their programme figures in spreadsheets.

Two exports and two imports:

- the programmes workbook: a "Programmes" sheet (for reading) and a "Budgets" sheet (planned and
  realised rupiah per programme, year and source), which can be edited and imported back;
- the KPI actuals template for one year and period: a row per KPI, prefilled with what is
  already recorded, to be filled in and imported back.

Sheet names and column names are a contract with the files clerks keep, so they are fixed
English words, not translated; each workbook's "Read me" sheet explains them in Bahasa Indonesia
and English.

An import checks every row before it writes anything and reports every problem as (row, column,
message), the row being the spreadsheet's own row number (the header is row 1). If any row is
wrong nothing is saved; otherwise every row is saved in one transaction through the same
functions the web pages use (``programmes.record_kpi_actual``, ``programmes.set_budget``), so the
masterplan's rules and the audit trail apply unchanged.

Exports neutralise formula-like text (a cell starting with =, +, -, @, tab or carriage return is
prefixed with an apostrophe) so spreadsheet software shows it instead of running it; the imports
remove that apostrophe again, so a file survives the round trip unchanged.
"""

from __future__ import annotations

import contextlib
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from kotacerdas.core import access
from kotacerdas.core.files import check_upload
from kotacerdas.core.models import User
from kotacerdas.core.spreadsheets import neutralise, unneutralise
from kotacerdas.masterplan import programmes, rules
from kotacerdas.masterplan.choices import BudgetSource, Period
from kotacerdas.masterplan.models import Budget, Kpi, KpiActual, Masterplan, Programme

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

PROGRAMMES_SHEET = "Programmes"
BUDGETS_SHEET = "Budgets"
KPI_SHEET = "KPI actuals"
READ_ME_SHEET = "Read me"

# Text starting with one of these is read as a formula by Excel, LibreOffice or Google Sheets.

# A clerk's file has a few hundred rows; these limits keep a hostile or mistaken upload (a whole
# database dump, a zip bomb) from tying up a worker. The size of the upload itself is limited
# by ``check_upload``.
MAX_ROWS = 20_000
MAX_UNPACKED_BYTES = 50 * 1024 * 1024

NOTE_LENGTH = KpiActual._meta.get_field("note").max_length


@dataclass(frozen=True)
class Column:
    """A column of a template: its name in row 1, and what it means in both languages (for the
    "Read me" sheet)."""

    name: str
    id: str
    en: str


PROGRAMME_COLUMNS = (
    Column("code", "Kode program.", "The programme's code."),
    Column("name", "Nama program.", "The programme's name."),
    Column("owner OPD code", "Kode OPD pemilik program.", "The code of the OPD that owns it."),
    Column(
        "pillars",
        "Kode pilar yang didukung, dipisah koma (mis. society,governance).",
        "Codes of the pillars it supports, comma-separated (e.g. society,governance).",
    ),
    Column(
        "kind",
        "digital (aplikasi digital) atau non_digital.",
        "digital (a digital application) or non_digital.",
    ),
    Column("quick win", "yes jika quick win, selain itu no.", "yes for a quick win, else no."),
    Column("start year", "Tahun mulai.", "The year it starts."),
    Column(
        "end year",
        "Tahun selesai; kosong jika tidak ditentukan.",
        "The year it ends; empty if open.",
    ),
    Column(
        "status",
        "planned, running, paused atau stopped.",
        "planned, running, paused or stopped.",
    ),
    Column("target users", "Sasaran pengguna.", "Who it is for."),
)

BUDGET_COLUMNS = (
    Column(
        "programme code",
        "Kode program; harus program milik OPD Anda.",
        "The programme's code; it must be a programme of your OPD.",
    ),
    Column(
        "year",
        "Tahun anggaran, di dalam periode masterplan.",
        "The budget year, inside the masterplan period.",
    ),
    Column(
        "source",
        "apbd atau non_apbd (APBD / Non-APBD juga diterima).",
        "apbd or non_apbd (APBD / Non-APBD are accepted too).",
    ),
    Column(
        "planned",
        "Anggaran rencana dalam rupiah penuh, tanpa desimal, tidak negatif. Wajib diisi.",
        "The planned budget in whole rupiah, no decimals, not negative. Required.",
    ),
    Column(
        "realised",
        "Realisasi dalam rupiah penuh; kosong jika belum ada. Realisasi butuh rencana. Hanya "
        "Diskominfo yang dapat mengubahnya; OPD melaporkannya dalam laporan triwulan.",
        "The realised budget in whole rupiah; empty if none yet. A realisation needs a plan. "
        "Only Diskominfo can change it; OPDs report it in their quarterly progress report.",
    ),
)

KPI_COLUMNS = (
    Column(
        "programme code", "Kode program (jangan diubah).", "The programme's code (do not change)."
    ),
    Column(
        "kpi id",
        "Nomor IKU di Kota Cerdas (jangan diubah).",
        "The KPI's number in Kota Cerdas (do not change).",
    ),
    Column("kpi name", "Nama IKU; hanya dibaca, tidak diimpor.", "The KPI's name; not imported."),
    Column("unit", "Satuan nilai; hanya dibaca, tidak diimpor.", "The value's unit; not imported."),
    Column(
        "year",
        "Tahun, di dalam periode masterplan (mis. 2026).",
        "The year, inside the masterplan period (e.g. 2026).",
    ),
    Column(
        "period",
        "Q1, Q2, Q3 atau Q4 untuk triwulan; Y untuk setahun penuh.",
        "Q1, Q2, Q3 or Q4 for a quarter; Y for the whole year.",
    ),
    Column(
        "value",
        "Nilai realisasi: angka, koma atau titik desimal, dibulatkan ke 2 desimal. "
        "Kosongkan jika belum ada: baris tanpa nilai dilewati.",
        "The actual value: a number, decimal comma or point, rounded to 2 decimals. "
        "Leave it empty if not known yet: rows without a value are skipped.",
    ),
    Column(
        "note",
        f"Catatan, paling banyak {NOTE_LENGTH} karakter.",
        f"A note, at most {NOTE_LENGTH} characters.",
    ),
)

KPI_HEADER = [column.name for column in KPI_COLUMNS]

# The columns an import reads; the others are there for the clerk's eyes only. The note is
# required because importing a row writes its note: a file without the column would wipe them.
KPI_IMPORTED = ("programme code", "kpi id", "year", "period", "value", "note")
BUDGET_IMPORTED = tuple(column.name for column in BUDGET_COLUMNS)

# General rules for the "Read me" sheets, in both languages. Not gettext: the sheet is meant to
# carry both languages whatever the language of the page it was downloaded from.
IMPORT_RULES = (
    (
        "Baris 1 berisi nama kolom; jangan ganti namanya. Urutan kolom boleh diubah dan kolom "
        "tambahan diabaikan.",
        "Row 1 holds the column names; do not rename them. Columns may be reordered and extra "
        "columns are ignored.",
    ),
    (
        "Impor memeriksa semua baris lebih dulu. Jika ada kesalahan, tidak ada yang disimpan "
        "dan setiap kesalahan ditampilkan dengan nomor baris dan kolomnya.",
        "The import checks every row first. If anything is wrong nothing is saved, and every "
        "error is listed with its row number and column.",
    ),
    (
        "Anda hanya dapat mengimpor data program milik OPD Anda; Diskominfo dapat mengimpor "
        "semua program.",
        "You can import figures only for your OPD's programmes; Diskominfo can import for every "
        "programme.",
    ),
    (
        "Teks yang diawali =, +, -, @ diberi tanda petik (') agar tidak dijalankan sebagai "
        "rumus; tanda itu dibuang lagi saat impor.",
        "Text starting with =, +, - or @ gets an apostrophe (') in front so it is not run as a "
        "formula; the import removes it again.",
    ),
    (
        "Rumus dibaca sebagai hasil terakhir yang disimpan Excel.",
        "Formulas are read as the result Excel last saved.",
    ),
)
KPI_RULES = (
    (
        "Nilai yang berasal dari laporan triwulan yang sudah disetujui hanya dapat diubah oleh "
        "Diskominfo. Nilai yang tidak diubah boleh tetap ada di berkas.",
        "A value from an approved quarterly report can only be changed by Diskominfo. Values you "
        "leave unchanged may stay in the file.",
    ),
    (
        "Satu IKU hanya boleh muncul sekali per tahun dan periode.",
        "A KPI may appear only once per year and period.",
    ),
)
BUDGET_RULES = (
    (
        "Hanya lembar Budgets yang diimpor; lembar Programmes hanya untuk dibaca.",
        "Only the Budgets sheet is imported; the Programmes sheet is for reading only.",
    ),
    (
        "Satu program hanya boleh muncul sekali per tahun dan sumber anggaran.",
        "A programme may appear only once per year and budget source.",
    ),
)


@dataclass(frozen=True)
class RowError:
    """One problem in an imported file: the spreadsheet row (the header is row 1), the column
    name as written in row 1, and what is wrong, in the user's language."""

    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    """What an import did. With any ``errors`` nothing was saved and the counts are zero;
    otherwise ``created`` and ``updated`` rows were saved, ``unchanged`` rows equalled what was
    recorded and were left alone, and ``skipped`` rows gave no KPI value. Empty rows are not
    counted at all."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


# ---------------------------------------------------------------------------------------------
# Scope


def programmes_in_scope(user: User) -> QuerySet[Programme]:
    """The programmes ``user`` may export: every programme for administrators (and the other
    roles that read every OPD's work, assessors and executives); an OPD officer's own OPD's
    programmes; nothing for anyone else. Importing needs more: ``rules.can_edit_programme``."""
    found = Programme.objects.select_related("owner", "masterplan").order_by("code")
    if rules.reads_all_opds(user):
        return found
    opd = getattr(user, "opd", None)
    if opd is not None and rules.works_for(user, opd):
        return found.filter(owner=opd)
    return found.none()


def may_import(user: User) -> bool:
    """Whether ``user`` can import anything at all: administrators change every programme, an
    OPD officer their OPD's. Assessors and executives only read; each row would be refused."""
    opd = getattr(user, "opd", None)
    return access.is_administrator(user) or (opd is not None and rules.works_for(user, opd))


# ---------------------------------------------------------------------------------------------
# Exports


def _append(sheet: Worksheet, values: Iterable[Any]) -> None:
    """Every row of every export goes through here, so no cell escapes neutralising."""
    sheet.append([neutralise(value) for value in values])


def _data_sheet(
    book: Workbook, title: str, columns: Sequence[Column], widths: Sequence[int]
) -> Worksheet:
    sheet = book.create_sheet(title)
    _append(sheet, [column.name for column in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width
    return sheet


def _list_validation(sheet: Worksheet, column: int, values: Iterable[str]) -> None:
    """A drop-down on a column, so a clerk picks a valid code instead of typing one."""
    choices = ",".join(values)
    validation = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
    letter = sheet.cell(row=1, column=column).column_letter
    validation.add(f"{letter}2:{letter}{MAX_ROWS}")
    sheet.add_data_validation(validation)


def _read_me(
    book: Workbook,
    title: str,
    sheets: Sequence[tuple[str, Sequence[Column]]],
    extra_rules: Sequence[tuple[str, str]],
) -> None:
    sheet = book.create_sheet(READ_ME_SHEET)
    _append(sheet, [title])
    sheet["A1"].font = Font(bold=True, size=14)
    _append(sheet, [])
    _append(sheet, ["", "Bahasa Indonesia", "English"])
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for rule_id, rule_en in (*IMPORT_RULES, *extra_rules):
        _append(sheet, ["", rule_id, rule_en])
    for sheet_name, columns in sheets:
        _append(sheet, [])
        _append(sheet, [f"{sheet_name}: kolom / columns"])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
        for column in columns:
            _append(sheet, [column.name, column.id, column.en])
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 70
    sheet.column_dimensions["C"].width = 70
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _to_bytes(book: Workbook) -> bytes:
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def export_programmes(user: User) -> bytes:
    """The programmes in ``user``'s scope as an XLSX workbook: "Programmes" (one row each) and
    "Budgets" (one row per programme, year and source; importable with ``import_budgets``)."""
    scope = programmes_in_scope(user).prefetch_related("pillars")
    book = Workbook()
    book.remove(book.active)
    sheet = _data_sheet(
        book, PROGRAMMES_SHEET, PROGRAMME_COLUMNS, (24, 40, 16, 24, 12, 10, 11, 11, 10, 30)
    )
    for programme in scope:
        _append(
            sheet,
            [
                programme.code,
                programme.name,
                programme.owner.code,
                ",".join(sorted(pillar.code for pillar in programme.pillars.all())),
                programme.kind,
                "yes" if programme.is_quick_win else "no",
                programme.start_year,
                programme.end_year,
                programme.status,
                programme.target_users,
            ],
        )
    sheet = _data_sheet(book, BUDGETS_SHEET, BUDGET_COLUMNS, (24, 8, 10, 20, 20))
    budgets = Budget.objects.filter(programme__in=scope).select_related("programme")
    for budget in budgets.order_by("programme__code", "year", "source"):
        _append(
            sheet,
            [budget.programme.code, budget.year, budget.source, budget.planned, budget.realised],
        )
    for row in sheet.iter_rows(min_row=2, min_col=4, max_col=5):
        for cell in row:
            cell.number_format = "#,##0"
    _list_validation(sheet, 3, BudgetSource.values)
    _read_me(
        book,
        "Kota Cerdas: program dan anggaran / programmes and budgets",
        [(PROGRAMMES_SHEET, PROGRAMME_COLUMNS), (BUDGETS_SHEET, BUDGET_COLUMNS)],
        BUDGET_RULES,
    )
    return _to_bytes(book)


def _check_template_request(year: int, period: str) -> None:
    errors: dict[str, str] = {}
    if period not in Period.values:
        errors["period"] = _("The period must be Q1, Q2, Q3, Q4 or Y.")
    # Compared in Python: a region has one or two masterplans, and a year typed into a form
    # can be any size.
    masterplans = list(Masterplan.objects.order_by("-start_year"))
    if not masterplans:
        errors["year"] = _("No masterplan has been recorded yet.")
    elif not any(masterplan.covers(year) for masterplan in masterplans):
        errors.update(programmes.check_year(masterplans[0], year, "year"))
    if errors:
        raise ValidationError(errors)


def export_kpi_template(user: User, year: int, period: str) -> bytes:
    """The KPI actuals template for ``year`` and ``period``: one row per KPI of the programmes
    in ``user``'s scope (whose masterplan covers the year), with the value and note already
    recorded, if any. Refuses a period that is not Q1-Q4/Y or a year outside the masterplan."""
    _check_template_request(year, period)
    kpis = (
        Kpi.objects.filter(
            programme__in=programmes_in_scope(user),
            programme__masterplan__start_year__lte=year,
            programme__masterplan__end_year__gte=year,
        )
        .select_related("programme")
        .order_by("programme__code", "name", "pk")
    )
    recorded = {
        actual.kpi_id: actual
        for actual in KpiActual.objects.filter(kpi__in=kpis, year=year, period=period)
    }
    book = Workbook()
    book.remove(book.active)
    sheet = _data_sheet(book, KPI_SHEET, KPI_COLUMNS, (24, 8, 40, 12, 8, 8, 14, 40))
    for kpi in kpis:
        actual = recorded.get(kpi.pk)
        _append(
            sheet,
            [
                kpi.programme.code,
                kpi.pk,
                kpi.name,
                kpi.unit,
                year,
                period,
                actual.value if actual else None,
                actual.note if actual else "",
            ],
        )
    _list_validation(sheet, KPI_HEADER.index("period") + 1, Period.values)
    _read_me(
        book,
        f"Kota Cerdas: realisasi IKU / KPI actuals {year} {period}",
        [(KPI_SHEET, KPI_COLUMNS)],
        KPI_RULES,
    )
    return _to_bytes(book)


# ---------------------------------------------------------------------------------------------
# Reading an uploaded workbook


def _text(value: Any) -> str:
    """A cell as trimmed text; whole numbers without a trailing ".0" (a code typed as 2021)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unneutralise(str(value)).strip()


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _header_name(value: Any) -> str:
    return " ".join(_text(value).split()).lower()


def _open_sheet(
    upload: UploadedFile, sheet_name: str, required: Sequence[str]
) -> list[tuple[int, dict[str, Any]]]:
    """The rows of ``sheet_name`` below the header, as (row number, {column: cell value}), for
    the ``required`` columns. Refuses, with one clear message, a file that is not an XLSX by
    its content, cannot be read, lacks the sheet or some of the columns, or is too large."""
    check_upload(upload, kinds=("xlsx",))
    try:
        with zipfile.ZipFile(upload) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise ValidationError(_("The workbook cannot be read. Save it again as .xlsx.")) from None
    finally:
        upload.seek(0)
    if unpacked > MAX_UNPACKED_BYTES:
        raise ValidationError(
            _("The workbook is too large once unpacked (over %(limit)s MB); split it up.")
            % {"limit": MAX_UNPACKED_BYTES // 1_048_576}
        )
    try:
        book = load_workbook(upload, read_only=True, data_only=True)
    except Exception:
        # openpyxl reports a damaged or unusual workbook through many exception types (zip,
        # XML, key and value errors); for the clerk they all mean the same thing.
        raise ValidationError(_("The workbook cannot be read. Save it again as .xlsx.")) from None
    try:
        sheets = {name.strip().lower(): name for name in book.sheetnames}
        if sheet_name.lower() not in sheets:
            raise ValidationError(
                _(
                    "The workbook has no sheet named '%(sheet)s'. "
                    "Start from the downloaded template."
                )
                % {"sheet": sheet_name}
            )
        rows = book[sheets[sheet_name.lower()]].iter_rows(values_only=True)
        header = [_header_name(value) for value in next(rows, ())]
        for name in required:
            if header.count(name) > 1:
                raise ValidationError(
                    _("The column '%(column)s' appears more than once in row 1.") % {"column": name}
                )
        missing = [name for name in required if name not in header]
        if missing:
            raise ValidationError(
                _(
                    "Row 1 of the sheet '%(sheet)s' lacks the columns: %(columns)s. "
                    "Start from the downloaded template."
                )
                % {"sheet": sheet_name, "columns": ", ".join(missing)}
            )
        positions = {name: header.index(name) for name in required}
        found = []
        for number, values in enumerate(rows, start=2):
            cells = {
                name: values[index] if index < len(values) else None
                for name, index in positions.items()
            }
            # Empty rows (often formatted but blank rows below the data) are not counted.
            if all(_blank(value) for value in cells.values()):
                continue
            found.append((number, cells))
            if len(found) > MAX_ROWS:
                raise ValidationError(
                    _("The sheet has more than %(limit)s rows; split it into smaller files.")
                    % {"limit": MAX_ROWS}
                )
        return found
    finally:
        book.close()


# Years and ids beyond a 64-bit integer cannot even be looked up in the database.
LARGEST_WHOLE = 2**63 - 1


def _whole(value: Any) -> int:
    """A whole, non-negative number from a cell (2026, 2026.0 or "2026"); ValueError otherwise."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, str) and value.strip().isdecimal():
        value = int(value.strip())
    if isinstance(value, int) and 0 <= value <= LARGEST_WHOLE:
        return value
    raise ValueError(value)


RUPIAH_TEXT = programmes.RUPIAH_TEXT


def _rupiah(value: Any) -> int | None:
    """A whole rupiah amount from a cell, None for an empty cell; ValueError otherwise. A
    negative amount is returned as it is, for ``programmes.check_amount`` to refuse."""
    if _blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise ValueError(value)
    text = re.sub(r"^rp\.?", "", _text(value).lower()).replace(" ", "")
    if RUPIAH_TEXT.match(text):
        return int(text.replace(".", ""))
    raise ValueError(value)


def _programme_errors(
    user: User,
    code: str,
    found: dict[str, Programme],
    allowed: dict[int, bool],
) -> tuple[Programme | None, str | None]:
    """The programme a row names and whether the user may change it; (programme, error)."""
    if not code:
        return None, _("Enter the programme code.")
    programme = found.get(code)
    if programme is None:
        return None, _("There is no programme '%(code)s'.") % {"code": code}
    if programme.pk not in allowed:
        # The groups behind the rule are read once per programme, not once per row.
        allowed[programme.pk] = rules.can_edit_programme(user, programme)
    if not allowed[programme.pk]:
        return programme, _("You may not change the programme '%(code)s'.") % {"code": code}
    return programme, None


def _year_error(value: Any, masterplan: Masterplan | None) -> tuple[int | None, str | None]:
    if _blank(value):
        return None, _("Enter the year.")
    try:
        year = _whole(value)
    except ValueError:
        return None, _("'%(value)s' is not a year.") % {"value": _text(value)}
    if masterplan is not None:
        outside = programmes.check_year(masterplan, year, "year")
        if outside:
            return year, outside["year"]
    return year, None


# ---------------------------------------------------------------------------------------------
# Checking rows and saving them


def _messages(error: ValidationError | PermissionDenied) -> list[tuple[str, str]]:
    """(field, message) pairs of an error raised by a write function."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        return [(name, message) for name, found in error.message_dict.items() for message in found]
    if isinstance(error, ValidationError):
        return [("", message) for message in error.messages]
    return [("", str(error) or _("You may not change this programme."))]


class _Refused(Exception):
    """Raised inside the saving transaction to undo it when a write function refuses a row
    that passed the checks (the data changed in between)."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(errors)
        self.errors = errors


def _row_errors(
    row: int, error: ValidationError | PermissionDenied, columns: dict[str, str]
) -> list[RowError]:
    return [
        RowError(row, columns.get(name, columns[""]), message) for name, message in _messages(error)
    ]


def _save_all(
    writes: list[tuple[int, Callable[[], object]]], columns: dict[str, str]
) -> list[RowError]:
    """Carry out every row's write in one transaction. The rows were checked, but the data can
    change in between (a report approved meanwhile): a write function's refusal becomes that
    row's error and undoes every row written before it."""
    try:
        with transaction.atomic():
            for number, write in writes:
                try:
                    write()
                except (ValidationError, PermissionDenied) as error:
                    raise _Refused(_row_errors(number, error, columns)) from None
    except _Refused as refused:
        return refused.errors
    return []


def _count(result: ImportResult, existing: object | None, same: bool) -> bool:
    """Count a good row as created, updated or unchanged; whether it needs writing."""
    if existing is None:
        result.created += 1
    elif same:
        result.unchanged += 1
        return False
    else:
        result.updated += 1
    return True


def _import_rows(
    rows: list[tuple[int, dict[str, Any]]],
    checker: Any,
    *,
    same: Callable[[Any], bool],
    write: Callable[[Any], object],
    columns: dict[str, str],
    skip: Callable[[dict[str, Any]], bool] = lambda cells: False,
) -> ImportResult:
    """The one shape of every import: check every row with ``checker`` (collecting all the
    errors), count each good row as created, updated or unchanged (``same`` compares it with
    what is recorded), and only if no row failed, ``write`` the changed rows all together."""
    result = ImportResult()
    writes: list[tuple[int, Callable[[], object]]] = []
    for number, cells in rows:
        if skip(cells):
            result.skipped += 1
            continue
        errors, row = checker.check(number, cells)
        if row is None:
            result.errors.extend(RowError(number, column, message) for column, message in errors)
            continue
        if _count(result, row.existing, row.existing is not None and same(row)):
            writes.append((number, partial(write, row)))
    return _finish(result, writes, columns)


def _finish(
    result: ImportResult, writes: list[tuple[int, Callable[[], object]]], columns: dict[str, str]
) -> ImportResult:
    if result.errors:
        return ImportResult(errors=result.errors)
    errors = _save_all(writes, columns)
    return ImportResult(errors=errors) if errors else result


def _programmes_named(rows: list[tuple[int, dict[str, Any]]]) -> dict[str, Programme]:
    codes = {_text(cells["programme code"]) for _number, cells in rows}
    found = Programme.objects.filter(code__in=codes).select_related("owner", "masterplan")
    return {programme.code: programme for programme in found}


# ---------------------------------------------------------------------------------------------
# KPI actuals

# Which column a field named by ``record_kpi_actual`` is about; a refusal without a field (a
# permission) is about the programme.
KPI_FIELD_COLUMNS = {"year": "year", "period": "period", "value": "value", "": "programme code"}


@dataclass
class _KpiRow:
    kpi: Kpi
    year: int
    period: str
    value: Decimal
    note: str
    existing: KpiActual | None


class _KpiChecker:
    """Checks the rows of a KPI actuals sheet against what is recorded, read once per file."""

    def __init__(self, user: User, rows: list[tuple[int, dict[str, Any]]]) -> None:
        self.user = user
        self.reviewer = rules.can_review_reports(user)
        self.programmes = _programmes_named(rows)
        self.allowed: dict[int, bool] = {}
        ids = set()
        for _number, cells in rows:
            with contextlib.suppress(ValueError):
                ids.add(_whole(cells["kpi id"]))
        found = Kpi.objects.filter(pk__in=ids).select_related(
            "programme__owner", "programme__masterplan"
        )
        self.kpis = {kpi.pk: kpi for kpi in found}
        self.recorded = {
            (actual.kpi_id, actual.year, actual.period): actual
            for actual in KpiActual.objects.filter(kpi__in=ids).select_related("report")
        }
        self.first_row: dict[tuple[int, int, str], int] = {}

    def _kpi(
        self, cells: dict[str, Any], programme: Programme | None, errors: list[tuple[str, str]]
    ) -> Kpi | None:
        raw = cells["kpi id"]
        if _blank(raw):
            errors.append(("kpi id", _("Enter the KPI id.")))
            return None
        try:
            kpi_id = _whole(raw)
        except ValueError:
            errors.append(("kpi id", _("'%(value)s' is not a KPI id.") % {"value": _text(raw)}))
            return None
        kpi = self.kpis.get(kpi_id)
        if kpi is None:
            errors.append(("kpi id", _("There is no KPI %(id)s.") % {"id": kpi_id}))
            return None
        if programme is None:
            # The programme code is wrong (already reported): which KPI is meant is unclear.
            return None
        if kpi.programme_id != programme.pk:
            errors.append(
                (
                    "kpi id",
                    _("The KPI %(id)s does not belong to the programme '%(code)s'.")
                    % {"id": kpi_id, "code": programme.code},
                )
            )
            return None
        return kpi

    def _value(self, cells: dict[str, Any], errors: list[tuple[str, str]]) -> Decimal | None:
        try:
            # Rounded to what is stored, so "unchanged" compares like with like.
            return programmes.parse_number(_text(cells["value"]), "value")
        except ValidationError as error:
            errors.extend(("value", message) for message in error.message_dict["value"])
            return None

    def check(
        self, number: int, cells: dict[str, Any]
    ) -> tuple[list[tuple[str, str]], _KpiRow | None]:
        """The row's errors as (column, message), or no errors and what the row says."""
        errors: list[tuple[str, str]] = []
        code = _text(cells["programme code"])
        programme, problem = _programme_errors(self.user, code, self.programmes, self.allowed)
        if problem:
            errors.append(("programme code", problem))
        kpi = self._kpi(cells, programme, errors)
        if kpi is not None:
            programme = kpi.programme
        year, problem = _year_error(cells["year"], programme.masterplan if programme else None)
        if problem:
            errors.append(("year", problem))
        period = _text(cells["period"]).upper()
        if period not in Period.values:
            errors.append(("period", _("The period must be Q1, Q2, Q3, Q4 or Y.")))
        value = self._value(cells, errors)
        note = _text(cells["note"])
        if len(note) > NOTE_LENGTH:
            errors.append(
                (
                    "note",
                    _("A note can have at most %(limit)s characters; this one has %(length)s.")
                    % {"limit": NOTE_LENGTH, "length": len(note)},
                )
            )
        existing = None
        if kpi is not None and year is not None and period in Period.values:
            key = (kpi.pk, year, period)
            if key in self.first_row:
                errors.append(
                    (
                        "kpi id",
                        _("Row %(row)s already gives a value for this KPI, year and period.")
                        % {"row": self.first_row[key]},
                    )
                )
            else:
                self.first_row[key] = number
            existing = self.recorded.get(key)
        if (
            value is not None
            and existing is not None
            and not self._may_change(existing, value, note)
        ):
            errors.append(
                (
                    "value",
                    _(
                        "This value comes from an approved report; only Diskominfo's smart city "
                        "team can change it."
                    ),
                )
            )
        if errors:
            return errors, None
        return errors, _KpiRow(kpi, year, period, value, note, existing)

    def _may_change(self, existing: KpiActual, value: Decimal, note: str) -> bool:
        """A value from a report under review or approved is frozen except for reviewers;
        leaving it as it is (the template comes prefilled) is not a change."""
        if self.reviewer or (existing.value, existing.note) == (value, note):
            return True
        return not programmes.is_frozen(existing)


def import_kpi_actuals(user: User, upload: UploadedFile) -> ImportResult:
    """Import the "KPI actuals" sheet of ``upload`` (see ``export_kpi_template``).

    Every row is checked first: the programme (known, and one ``user`` may change), the KPI
    (known, of that programme), the year (inside the masterplan), the period (Q1-Q4 or Y), the
    value (a number; one from an approved report only changes for administrators), the note's
    length, and that no KPI, year and period comes twice. With any error nothing is saved and
    every error is returned. A row without a value is skipped; a row equal to what is recorded
    is left alone. Raises ValidationError for a file that is not a usable template.
    """
    rows = _open_sheet(upload, KPI_SHEET, KPI_IMPORTED)
    return _import_rows(
        rows,
        _KpiChecker(user, rows),
        same=lambda row: (row.existing.value, row.existing.note) == (row.value, row.note),
        write=lambda row: programmes.record_kpi_actual(
            user, row.kpi, row.year, row.period, row.value, row.note
        ),
        columns=KPI_FIELD_COLUMNS,
        skip=lambda cells: _blank(cells["value"]),
    )


# ---------------------------------------------------------------------------------------------
# Budgets

BUDGET_FIELD_COLUMNS = {
    "year": "year",
    "source": "source",
    "planned": "planned",
    "realised": "realised",
    "": "programme code",
}


@dataclass
class _BudgetRow:
    programme: Programme
    year: int
    source: str
    planned: int
    realised: int | None
    existing: Budget | None


def _source(value: Any) -> str | None:
    """apbd or non_apbd, also written as APBD, Non-APBD or "non apbd"."""
    text = re.sub(r"[\s-]+", "_", _text(value).lower())
    return text if text in BudgetSource.values else None


class _BudgetChecker:
    """Checks the rows of a Budgets sheet against what is recorded, read once per file."""

    def __init__(self, user: User, rows: list[tuple[int, dict[str, Any]]]) -> None:
        self.user = user
        self.reviewer = rules.can_review_reports(user)
        self.programmes = _programmes_named(rows)
        self.allowed: dict[int, bool] = {}
        self.recorded = {
            (budget.programme_id, budget.year, budget.source): budget
            for budget in Budget.objects.filter(programme__in=self.programmes.values())
        }
        self.first_row: dict[tuple[int, int, str], int] = {}

    def _amounts(
        self, cells: dict[str, Any], errors: list[tuple[str, str]]
    ) -> tuple[int | None, int | None]:
        amounts: dict[str, int | None] = {}
        for name in ("planned", "realised"):
            try:
                amounts[name] = _rupiah(cells[name])
            except ValueError:
                errors.append((name, _("Enter a whole number of rupiah.")))
                continue
            if amounts[name] is not None and amounts[name] > LARGEST_WHOLE:
                errors.append((name, _("The amount is too large.")))
                continue
            errors.extend(programmes.check_amount(amounts[name], name).items())
        planned, realised = amounts.get("planned"), amounts.get("realised")
        if "planned" in amounts and planned is None:
            # An empty plan would make set_budget delete the line: an import never deletes.
            if realised is not None:
                errors.append(("realised", _("A realised budget needs a planned budget.")))
            else:
                errors.append(("planned", _("Enter the planned budget in whole rupiah.")))
        return planned, realised

    def check(
        self, number: int, cells: dict[str, Any]
    ) -> tuple[list[tuple[str, str]], _BudgetRow | None]:
        """The row's errors as (column, message), or no errors and what the row says."""
        errors: list[tuple[str, str]] = []
        code = _text(cells["programme code"])
        programme, problem = _programme_errors(self.user, code, self.programmes, self.allowed)
        if problem:
            errors.append(("programme code", problem))
        year, problem = _year_error(cells["year"], programme.masterplan if programme else None)
        if problem:
            errors.append(("year", problem))
        source = _source(cells["source"])
        if source is None:
            errors.append(("source", _("The source must be APBD or non-APBD.")))
        planned, realised = self._amounts(cells, errors)
        existing = None
        if programme is not None and year is not None and source is not None:
            key = (programme.pk, year, source)
            if key in self.first_row:
                errors.append(
                    (
                        "source",
                        _("Row %(row)s already gives a budget for this programme, year and source.")
                        % {"row": self.first_row[key]},
                    )
                )
            else:
                self.first_row[key] = number
            existing = self.recorded.get(key)
            recorded_realised = existing.realised if existing else None
            realised_ok = not any(column == "realised" for column, _message in errors)
            if realised_ok and realised != recorded_realised and not self.reviewer:
                # The realisation becomes official when Diskominfo approves an OPD's quarterly
                # report; only administrators correct it directly (``set_budget``).
                errors.append(
                    ("realised", _("Report the realised budget in the quarterly progress report."))
                )
        if errors:
            return errors, None
        return errors, _BudgetRow(programme, year, source, planned, realised, existing)


def import_budgets(user: User, upload: UploadedFile) -> ImportResult:
    """Import the "Budgets" sheet of ``upload`` (see ``export_programmes``).

    Every row is checked first: the programme (known, and one ``user`` may change), the year
    (inside the masterplan), the source (APBD or non-APBD), the planned amount (required) and
    the realised one (optional, needs a plan, changed only by administrators: OPDs report it in
    their quarterly report), both whole non-negative rupiah, and that no programme, year and
    source comes twice. With any error nothing is saved and every error is
    returned. A row equal to what is recorded is left alone. Raises ValidationError for a file
    that is not a usable template.
    """
    rows = _open_sheet(upload, BUDGETS_SHEET, BUDGET_IMPORTED)
    return _import_rows(
        rows,
        _BudgetChecker(user, rows),
        same=lambda row: (
            (row.existing.planned, row.existing.realised) == (row.planned, row.realised)
        ),
        write=lambda row: programmes.set_budget(
            user, row.programme, row.year, row.source, row.planned, row.realised
        ),
        columns=BUDGET_FIELD_COLUMNS,
    )
