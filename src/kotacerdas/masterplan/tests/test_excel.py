"""Excel import and export: clerks' round trips, every bad row reported with nothing saved,
the OPD scope, formula-like text neutralised, and files that are not workbooks refused.

The views (``excel_views``) are thin; these tests drive the domain functions of ``excel``."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook, load_workbook

from kotacerdas.core.models import Pillar
from kotacerdas.masterplan import excel, programmes
from kotacerdas.masterplan.models import Budget, Kpi, KpiActual, Programme, ProgressReport

pytestmark = pytest.mark.django_db

KPI_HEADER = ["programme code", "kpi id", "kpi name", "unit", "year", "period", "value", "note"]
BUDGET_HEADER = ["programme code", "year", "source", "planned", "realised"]


@pytest.fixture(autouse=True)
def _english():
    # Messages are asserted in English, the msgid language; the site defaults to Indonesian.
    with translation.override("en"):
        yield


def upload(content: bytes, name: str = "data.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=excel.XLSX_CONTENT_TYPE)


def workbook(sheet: str, header: list, rows: list[list]) -> SimpleUploadedFile:
    """A workbook built in memory, as a clerk's upload."""
    book = Workbook()
    book.active.title = sheet
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    output = io.BytesIO()
    book.save(output)
    return upload(output.getvalue())


def rows_of(content: bytes, sheet: str) -> list[tuple]:
    book = load_workbook(io.BytesIO(content))
    return [tuple(row) for row in book[sheet].iter_rows(values_only=True)]


def refill(content: bytes, sheet: str, changes: dict[tuple[int, int], object]) -> bytes:
    """An exported workbook as a clerk saves it after typing into some cells (row, column)."""
    book = load_workbook(io.BytesIO(content))
    for (row, column), value in changes.items():
        book[sheet].cell(row=row, column=column, value=value)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def triples(result: excel.ImportResult) -> list[tuple[int, str, str]]:
    return [(error.row, error.column, error.message) for error in result.errors]


@pytest.fixture
def dinkes_programme(masterplan, dinkes) -> Programme:
    programme = Programme.objects.create(
        masterplan=masterplan,
        code="puskesmas-online",
        name="Puskesmas Online",
        owner=dinkes,
        kind="digital",
        start_year=2022,
        status="running",
    )
    programme.pillars.set([Pillar.objects.get(code="living")])
    Kpi.objects.create(
        programme=programme, name="Antrean daring", unit="%", baseline=10, baseline_year=2021
    )
    return programme


# --- Exports ----------------------------------------------------------------------------------


def test_programmes_export_has_a_programmes_and_a_budgets_sheet(administrator, programme):
    programme.pillars.add(Pillar.objects.get(code="governance"))
    content = excel.export_programmes(administrator)
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Programmes", "Budgets", "Read me"]
    assert rows_of(content, "Programmes") == [
        (
            "code",
            "name",
            "owner OPD code",
            "pillars",
            "kind",
            "quick win",
            "start year",
            "end year",
            "status",
            "target users",
        ),
        (
            "kartu-sahabat",
            "Kartu Sahabat",
            "dinsos",
            "governance,society",
            "digital",
            "no",
            2021,
            None,
            "running",
            None,
        ),
    ]
    assert rows_of(content, "Budgets") == [
        tuple(BUDGET_HEADER),
        ("kartu-sahabat", 2026, "apbd", 1_000_000_000, None),
    ]


def test_an_officer_exports_only_their_opds_programmes(
    administrator, dinsos_officer, dinkes_officer, programme, dinkes_programme
):
    def codes(user):
        return [row[0] for row in rows_of(excel.export_programmes(user), "Programmes")[1:]]

    assert codes(administrator) == ["kartu-sahabat", "puskesmas-online"]
    assert codes(dinsos_officer) == ["kartu-sahabat"]
    assert codes(dinkes_officer) == ["puskesmas-online"]
    budgets = rows_of(excel.export_programmes(dinkes_officer), "Budgets")
    assert budgets == [tuple(BUDGET_HEADER)]  # Dinsos's budget stays with Dinsos


def test_the_kpi_template_has_a_row_per_kpi_with_what_is_recorded(
    dinsos_officer, programme, kpi, dinkes_programme
):
    KpiActual.objects.create(kpi=kpi, year=2026, period="Q3", value=Decimal("86.5"), note="naik")
    second = Kpi.objects.create(
        programme=programme, name="Kartu aktif", unit="kartu", baseline=0, baseline_year=2020
    )
    content = excel.export_kpi_template(dinsos_officer, 2026, "Q3")
    assert rows_of(content, "KPI actuals") == [
        tuple(KPI_HEADER),
        ("kartu-sahabat", second.pk, "Kartu aktif", "kartu", 2026, "Q3", None, None),
        ("kartu-sahabat", kpi.pk, "Penerima terverifikasi NIK", "%", 2026, "Q3", 86.5, "naik"),
    ]
    read_me = "\n".join(
        str(cell) for row in rows_of(content, "Read me") for cell in row if cell is not None
    )
    for column in KPI_HEADER:
        assert f"\n{column}\n" in read_me
    assert "Bahasa Indonesia" in read_me and "English" in read_me
    assert "Kosongkan jika belum ada" in read_me and "Leave it empty" in read_me


def test_the_kpi_template_refuses_a_period_or_year_it_cannot_have(administrator, kpi):
    with pytest.raises(ValidationError) as refused:
        excel.export_kpi_template(administrator, 2031, "Q5")
    assert set(refused.value.message_dict) == {"year", "period"}
    assert "outside the masterplan period 2020-2029" in refused.value.message_dict["year"][0]


def test_formula_like_text_is_neutralised_in_every_export(administrator, programme, kpi):
    programme.name = '=HYPERLINK("http://evil.example","klik")'
    programme.target_users = "+62 warga"
    programme.save()
    kpi.name = "@SUM(A1:A9)"
    kpi.unit = "\tpersen"
    kpi.save()
    KpiActual.objects.create(kpi=kpi, year=2026, period="Q3", value=1, note="-5 dari target")

    book = load_workbook(io.BytesIO(excel.export_programmes(administrator)))
    name, target_users = book["Programmes"]["B2"], book["Programmes"]["J2"]
    assert (name.value, name.data_type) == ('\'=HYPERLINK("http://evil.example","klik")', "s")
    assert target_users.value == "'+62 warga"

    content = excel.export_kpi_template(administrator, 2026, "Q3")
    row = rows_of(content, "KPI actuals")[1]
    assert row[2:4] == ("'@SUM(A1:A9)", "'\tpersen")
    assert row[7] == "'-5 dari target"
    assert not any(
        cell.data_type == "f"
        for sheet in load_workbook(io.BytesIO(content))
        for line in sheet.iter_rows()
        for cell in line
    )
    # The import takes the apostrophe off again: the note survives the round trip unchanged.
    changed = refill(content, "KPI actuals", {(2, 7): 2})
    assert excel.import_kpi_actuals(administrator, upload(changed)).updated == 1
    assert KpiActual.objects.get().note == "-5 dari target"


def test_neutralise_leaves_numbers_and_plain_text_alone():
    assert excel.neutralise(-5) == -5
    assert excel.neutralise("Kartu Sahabat") == "Kartu Sahabat"
    assert excel.neutralise("\rx") == "'\rx"
    assert excel.neutralise("bell\x07") == "bell"  # not storable in a workbook


# --- KPI actuals import -----------------------------------------------------------------------


def test_kpi_template_round_trip(dinsos_officer, programme, kpi):
    content = excel.export_kpi_template(dinsos_officer, 2026, "Q3")
    filled = refill(content, "KPI actuals", {(2, 7): "88,5", (2, 8): "Triwulan III"})

    result = excel.import_kpi_actuals(dinsos_officer, upload(filled))
    assert result.ok and (result.created, result.updated) == (1, 0)
    actual = KpiActual.objects.get()
    assert (actual.kpi, actual.year, actual.period) == (kpi, 2026, "Q3")
    assert (actual.value, actual.note) == (Decimal("88.5"), "Triwulan III")

    # The next template carries the value; uploading it untouched changes nothing.
    again = excel.export_kpi_template(dinsos_officer, 2026, "Q3")
    assert rows_of(again, "KPI actuals")[1][6:] == (88.5, "Triwulan III")
    result = excel.import_kpi_actuals(dinsos_officer, upload(again))
    assert result.ok and (result.created, result.updated, result.unchanged) == (0, 0, 1)

    result = excel.import_kpi_actuals(
        dinsos_officer, upload(refill(again, "KPI actuals", {(2, 7): 90}))
    )
    assert (result.created, result.updated) == (0, 1)
    assert KpiActual.objects.get().value == 90


def test_rows_without_a_value_are_skipped_and_rows_keep_their_spreadsheet_number(
    dinsos_officer, programme, kpi
):
    file = workbook(
        "KPI actuals",
        KPI_HEADER,
        [
            ["kartu-sahabat", kpi.pk, "", "", 2026, "Q1", None, ""],
            [],
            [],
            ["kartu-sahabat", kpi.pk, "", "", 2026, "Q2", "banyak", ""],
        ],
    )
    result = excel.import_kpi_actuals(dinsos_officer, file)
    assert triples(result) == [(5, "value", "'banyak' is not a number.")]


def test_every_bad_kpi_row_is_reported_and_nothing_is_saved(
    dinsos_officer, programme, kpi, dinkes_programme
):
    KpiActual.objects.create(kpi=kpi, year=2026, period="Q2", value=80, note="lama")
    other_kpi = dinkes_programme.kpis.get()
    file = workbook(
        "KPI actuals",
        KPI_HEADER,
        [
            ["kartu-sahabat", kpi.pk, "", "", 2026, "Q3", 88, ""],  # 2: good
            ["kartu-sakti", kpi.pk, "", "", 2026, "Q3", 88, ""],  # 3: no such programme
            ["kartu-sahabat", 999_999, "", "", 2026, "Q3", 88, ""],  # 4: no such KPI
            ["kartu-sahabat", other_kpi.pk, "", "", 2026, "Q3", 88, ""],  # 5: Dinkes's KPI
            ["kartu-sahabat", kpi.pk, "", "", 2031, "Q4", 88, ""],  # 6: after the masterplan
            ["kartu-sahabat", kpi.pk, "", "", 2026, "Q5", 88, ""],  # 7: no such period
            ["kartu-sahabat", kpi.pk, "", "", 2026, "Q2", "tinggi", ""],  # 8: not a number
            ["kartu-sahabat", kpi.pk, "", "", 2026, "Q3", 89, ""],  # 9: again row 2
            ["kartu-sahabat", "satu", "", "", "dua ribu", "Y", 1, "x" * 301],  # 10: three
        ],
    )
    result = excel.import_kpi_actuals(dinsos_officer, file)
    assert not result.ok and (result.created, result.updated) == (0, 0)
    assert triples(result) == [
        (3, "programme code", "There is no programme 'kartu-sakti'."),
        (4, "kpi id", "There is no KPI 999999."),
        (
            5,
            "kpi id",
            f"The KPI {other_kpi.pk} does not belong to the programme 'kartu-sahabat'.",
        ),
        (6, "year", "2031 is outside the masterplan period 2020-2029."),
        (7, "period", "The period must be Q1, Q2, Q3, Q4 or Y."),
        (8, "value", "'tinggi' is not a number."),
        (9, "kpi id", "Row 2 already gives a value for this KPI, year and period."),
        (10, "kpi id", "'satu' is not a KPI id."),
        (10, "year", "'dua ribu' is not a year."),
        (10, "note", "A note can have at most 300 characters; this one has 301."),
    ]
    # Not even the good row 2 was saved, and the recorded value is untouched.
    assert KpiActual.objects.count() == 1
    assert KpiActual.objects.get().value == 80


def test_an_officer_of_another_opd_is_refused_row_by_row(dinkes_officer, programme, kpi):
    file = workbook(
        "KPI actuals",
        KPI_HEADER,
        [
            ["kartu-sahabat", kpi.pk, "", "", 2026, "Q1", 70, ""],
            ["kartu-sahabat", kpi.pk, "", "", 2026, "Q2", 75, ""],
        ],
    )
    result = excel.import_kpi_actuals(dinkes_officer, file)
    message = "You may not change the programme 'kartu-sahabat'."
    assert triples(result) == [(2, "programme code", message), (3, "programme code", message)]
    assert not KpiActual.objects.exists()


def test_readers_export_everything_but_import_nothing(assessor, programme, kpi):
    assert rows_of(excel.export_programmes(assessor), "Programmes")[1][0] == "kartu-sahabat"
    assert not excel.may_import(assessor)
    content = excel.export_kpi_template(assessor, 2026, "Q3")
    result = excel.import_kpi_actuals(assessor, upload(refill(content, "KPI actuals", {(2, 7): 1})))
    assert [error.column for error in result.errors] == ["programme code"]
    assert not KpiActual.objects.exists()


def test_a_value_from_an_approved_report_changes_only_for_administrators(
    dinsos, dinsos_officer, administrator, programme, kpi
):
    report = ProgressReport.objects.create(opd=dinsos, year=2026, period="Q3", status="approved")
    KpiActual.objects.create(kpi=kpi, year=2026, period="Q3", value=86, report=report)
    content = excel.export_kpi_template(dinsos_officer, 2026, "Q3")

    # Uploading the prefilled value untouched is fine: it is not a change.
    assert excel.import_kpi_actuals(dinsos_officer, upload(content)).unchanged == 1

    changed = upload(refill(content, "KPI actuals", {(2, 7): 99}))
    result = excel.import_kpi_actuals(dinsos_officer, changed)
    assert [(e.row, e.column) for e in result.errors] == [(2, "value")]
    assert "approved report" in result.errors[0].message
    assert KpiActual.objects.get().value == 86

    changed.seek(0)
    assert excel.import_kpi_actuals(administrator, changed).updated == 1
    assert KpiActual.objects.get().value == 99


def test_values_are_read_leniently_and_rounded_to_two_decimals(administrator, programme, kpi):
    file = workbook(
        # Columns reordered, names in another case, an extra column of the clerk's own.
        "kpi actuals",
        ["Period", "Value", "KPI ID", "Programme Code", "Year", "Note", "keterangan"],
        [
            ["q1", " 12,3456 ", str(kpi.pk), "kartu-sahabat", "2026", None, "abc"],
            ["Y", 1 / 3, float(kpi.pk), "kartu-sahabat", 2026.0, 7, None],
        ],
    )
    result = excel.import_kpi_actuals(administrator, file)
    assert result.ok and result.created == 2
    values = {a.period: (a.value, a.note) for a in KpiActual.objects.all()}
    assert values == {"Q1": (Decimal("12.35"), ""), "Y": (Decimal("0.33"), "7")}


def test_a_refusal_while_saving_undoes_the_rows_already_saved(
    monkeypatch, dinsos_officer, programme, kpi
):
    # The rows pass the checks, then the second is refused while saving (say a report was
    # approved in between): the first must not stay saved.
    original = programmes.record_kpi_actual

    def record(actor, kpi, year, period, value, note=""):
        if period == "Q2":
            raise ValidationError({"period": "The reporting period is closed."})
        return original(actor, kpi, year, period, value, note)

    monkeypatch.setattr(programmes, "record_kpi_actual", record)
    file = workbook(
        "KPI actuals",
        KPI_HEADER,
        [
            ["kartu-sahabat", kpi.pk, "", "", 2026, "Q1", 70, ""],
            ["kartu-sahabat", kpi.pk, "", "", 2026, "Q2", 75, ""],
        ],
    )
    result = excel.import_kpi_actuals(dinsos_officer, file)
    assert triples(result) == [(3, "period", "The reporting period is closed.")]
    assert not KpiActual.objects.exists()


# --- Files that are not the template ----------------------------------------------------------


def zip_with(part: str) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr(part, "<xml/>")
    return output.getvalue()


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"programme code,kpi id,year\nkartu-sahabat,1,2026\n", id="csv-renamed"),
        pytest.param(b"%PDF-1.7\n1 0 obj\n", id="pdf"),
        pytest.param(zip_with("word/document.xml"), id="docx"),
        pytest.param(zip_with("hello.txt"), id="zip"),
        pytest.param(b"", id="empty"),
    ],
)
@pytest.mark.parametrize("importer", [excel.import_kpi_actuals, excel.import_budgets])
def test_a_file_that_is_not_an_xlsx_is_refused(administrator, programme, importer, content):
    with pytest.raises(ValidationError) as refused:
        importer(administrator, upload(content, "realisasi.xlsx"))
    assert refused.value.messages == ["This file is not one of the accepted types (XLSX)."]


def test_a_workbook_that_only_looks_like_one_is_refused(administrator, programme):
    with pytest.raises(ValidationError) as refused:
        excel.import_budgets(administrator, upload(zip_with("xl/workbook.xml")))
    assert "cannot be read" in refused.value.messages[0]


def test_a_sheet_without_the_templates_columns_is_refused_naming_them(administrator, kpi):
    file = workbook("KPI actuals", ["programme code", "kpi id", "year", "nilai"], [])
    with pytest.raises(ValidationError) as refused:
        excel.import_kpi_actuals(administrator, file)
    assert refused.value.messages == [
        "Row 1 of the sheet 'KPI actuals' lacks the columns: period, value, note. "
        "Start from the downloaded template."
    ]

    with pytest.raises(ValidationError) as refused:
        excel.import_budgets(administrator, workbook("Sheet1", BUDGET_HEADER, []))
    assert "no sheet named 'Budgets'" in refused.value.messages[0]

    duplicated = workbook("Budgets", [*BUDGET_HEADER, "year"], [])
    with pytest.raises(ValidationError) as refused:
        excel.import_budgets(administrator, duplicated)
    assert refused.value.messages == ["The column 'year' appears more than once in row 1."]


# --- Budgets import ---------------------------------------------------------------------------


def test_budgets_round_trip(dinsos_officer, programme):
    content = excel.export_programmes(dinsos_officer)
    book = load_workbook(io.BytesIO(content))
    book["Budgets"]["D2"] = 1_100_000_000
    book["Budgets"].append(["kartu-sahabat", 2027, "non_apbd", 50_000_000, None])
    output = io.BytesIO()
    book.save(output)

    result = excel.import_budgets(dinsos_officer, upload(output.getvalue()))
    assert result.ok and (result.created, result.updated, result.unchanged) == (1, 1, 0)
    budgets = {(b.year, b.source): (b.planned, b.realised) for b in Budget.objects.all()}
    assert budgets == {
        (2026, "apbd"): (1_100_000_000, None),
        (2027, "non_apbd"): (50_000_000, None),
    }
    # Exported again and uploaded untouched: nothing to change.
    again = excel.import_budgets(dinsos_officer, upload(excel.export_programmes(dinsos_officer)))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_only_administrators_change_a_realised_budget(dinsos_officer, administrator, programme):
    # OPDs report realisation in their quarterly report; Diskominfo corrects it directly.
    content = excel.export_programmes(administrator)
    changed = upload(refill(content, "Budgets", {(2, 5): 400_000_000}))
    result = excel.import_budgets(dinsos_officer, changed)
    assert triples(result) == [
        (2, "realised", "Report the realised budget in the quarterly progress report.")
    ]
    assert Budget.objects.get().realised is None

    changed.seek(0)
    assert excel.import_budgets(administrator, changed).updated == 1
    assert Budget.objects.get().realised == 400_000_000


def test_budget_amounts_typed_as_text_are_read_as_rupiah(administrator, programme):
    file = workbook(
        "Budgets",
        BUDGET_HEADER,
        [
            ["kartu-sahabat", 2026, "APBD", "Rp 1.200.000.000", "300000000"],
            ["kartu-sahabat", 2026, "Non-APBD", 75_000_000.0, None],
        ],
    )
    result = excel.import_budgets(administrator, file)
    assert result.ok and (result.created, result.updated) == (1, 1)
    assert Budget.objects.get(source="apbd").planned == 1_200_000_000
    assert Budget.objects.get(source="non_apbd").planned == 75_000_000


def test_budgets_import_all_or_nothing_with_every_bad_row(dinsos_officer, programme):
    file = workbook(
        "Budgets",
        BUDGET_HEADER,
        [
            ["kartu-sahabat", 2026, "apbd", 1_100_000_000, None],  # 2: good
            ["kartu-sahabat", 2027, "apbd", -5_000_000, None],  # 3: negative plan
            ["kartu-sahabat", 2028, "non_apbd", None, 10_000_000],  # 4: realised, no plan
            ["kartu-sahabat", 2030, "apbd", 1_000_000, None],  # 5: after the masterplan
            ["kartu-sahabat", 2027, "non_apbd", 1.5, "sejuta"],  # 6: not whole rupiah
            ["kartu-sahabat", 2026, "apbd", 1, None],  # 7: again row 2
            ["kartu-sahabat", 2027, "hibah", 1, -1],  # 8: no such source, negative
            ["kartu-sahabat", 2029, "apbd", None, None],  # 9: no plan at all
        ],
    )
    result = excel.import_budgets(dinsos_officer, file)
    assert triples(result) == [
        (3, "planned", "A budget cannot be negative."),
        (4, "realised", "A realised budget needs a planned budget."),
        (5, "year", "2030 is outside the masterplan period 2020-2029."),
        (6, "planned", "Enter a whole number of rupiah."),
        (6, "realised", "Enter a whole number of rupiah."),
        (7, "source", "Row 2 already gives a budget for this programme, year and source."),
        (8, "source", "The source must be APBD or non-APBD."),
        (8, "realised", "A budget cannot be negative."),
        (9, "planned", "Enter the planned budget in whole rupiah."),
    ]
    # Nothing saved: not even the good row 2.
    budget = Budget.objects.get()
    assert (budget.year, budget.planned, budget.realised) == (2026, 1_000_000_000, None)


def test_budgets_of_another_opd_are_refused(dinkes_officer, programme):
    file = workbook("Budgets", BUDGET_HEADER, [["kartu-sahabat", 2026, "apbd", 1, None]])
    result = excel.import_budgets(dinkes_officer, file)
    assert triples(result) == [
        (2, "programme code", "You may not change the programme 'kartu-sahabat'.")
    ]
    assert Budget.objects.get().planned == 1_000_000_000


def test_out_of_range_numbers_are_row_errors_not_crashes(administrator, programme, kpi):
    file = workbook(
        "KPI actuals",
        KPI_HEADER,
        [["kartu-sahabat", 10**20, "", "", 10**20, "Q1", "1e20", ""]],
    )
    result = excel.import_kpi_actuals(administrator, file)
    assert [error.column for error in result.errors] == ["kpi id", "year", "value"]
    with pytest.raises(ValidationError):
        excel.export_kpi_template(administrator, 10**20, "Q1")
    file = workbook("Budgets", BUDGET_HEADER, [["kartu-sahabat", 2026, "apbd", 10**20, None]])
    assert triples(excel.import_budgets(administrator, file)) == [
        (2, "planned", "The amount is too large.")
    ]


def test_oversized_sheets_and_workbooks_are_refused(monkeypatch, administrator, programme):
    rows = [["kartu-sahabat", 2026, "apbd", 1, None], [], ["kartu-sahabat", 2027, "apbd", 1, None]]
    monkeypatch.setattr(excel, "MAX_ROWS", 1)
    with pytest.raises(ValidationError) as refused:
        excel.import_budgets(administrator, workbook("Budgets", BUDGET_HEADER, rows))
    assert "more than 1 rows" in refused.value.messages[0]

    monkeypatch.setattr(excel, "MAX_UNPACKED_BYTES", 1000)
    with pytest.raises(ValidationError) as refused:
        excel.import_budgets(administrator, workbook("Budgets", BUDGET_HEADER, rows))
    assert "too large once unpacked" in refused.value.messages[0]
