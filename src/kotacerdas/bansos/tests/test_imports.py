"""Importing the civil registry extract, the DTKS extract and exclusion lists: every bad row
reported with its column, good rows saved, the same file twice changes nothing, changes go into
the history with identity numbers hidden, and identity numbers are encrypted at rest."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.db import connection
from openpyxl import Workbook

from kotacerdas.bansos.choices import ExclusionKind, Relationship, Sex
from kotacerdas.bansos.identity import nik_date_digits
from kotacerdas.bansos.imports import (
    CIVIL_REGISTRY_COLUMNS,
    DTKS_COLUMNS,
    import_civil_registry,
    import_dtks,
    import_exclusions,
)
from kotacerdas.bansos.models import DtksRecord, Exclusion, Household, ImportRun, Person
from kotacerdas.bansos.registry import load_programmes, nik_index
from kotacerdas.bansos.tables import ImportFileError

pytestmark = pytest.mark.django_db

KK = "3571010101150007"


def nik(birth: str, sex: str, serial: int = 1, prefix: str = "357101") -> str:
    return f"{prefix}{nik_date_digits(dt.date.fromisoformat(birth), sex)}{serial:04d}"


BUDI = nik("1980-04-12", Sex.MALE)
SITI = nik("1983-07-02", Sex.FEMALE)
RIZKY = nik("2010-01-30", Sex.MALE, 2)


def civil_row(**values: str) -> dict[str, str]:
    row = {
        "nik": BUDI,
        "no_kk": KK,
        "nama": "Budi Santoso",
        "tempat_lahir": "Kediri",
        "tanggal_lahir": "1980-04-12",
        "jenis_kelamin": "L",
        "alamat": "Jl. Mayor Bismo 12",
        "rt": "3",
        "rw": "05",
        "kode_kelurahan": "35.71.01.1001",
        "status_hidup": "HIDUP",
        "tanggal_meninggal": "",
    }
    row.update(values)
    return row


def family() -> list[dict[str, str]]:
    return [
        civil_row(hubungan="KEPALA KELUARGA"),
        civil_row(
            nik=SITI,
            nama="Siti Aminah",
            tanggal_lahir="1983-07-02",
            jenis_kelamin="P",
            hubungan="ISTRI",
        ),
        civil_row(nik=RIZKY, nama="Muhammad Rizky", tanggal_lahir="2010-01-30", hubungan="ANAK"),
    ]


def write_csv(path: Path, rows: list[dict[str, str]], columns=None) -> Path:
    columns = columns or [*CIVIL_REGISTRY_COLUMNS, "hubungan"]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({column: row.get(column, "") for column in columns})
    return path


def test_a_family_becomes_people_in_one_household(tmp_path, kediri):
    run = import_civil_registry(write_csv(tmp_path / "dukcapil.csv", family()))

    assert (run.rows, run.created, run.rejected) == (3, 3, 0)
    assert Household.objects.count() == 1
    budi = Person.objects.get(nik_index=nik_index(BUDI))
    assert budi.nik == BUDI
    assert budi.relationship == Relationship.HEAD
    assert budi.household.kk == KK
    assert budi.household.rt == "003"
    assert budi.kelurahan_id == "35.71.01.1001"
    assert not budi.moved_out
    assert Person.objects.get(nik_index=nik_index(RIZKY)).household_id == budi.household_id


def test_every_bad_row_is_reported_with_its_column_and_the_rest_are_saved(tmp_path, kediri):
    rows = [
        *family(),
        civil_row(nik="35710112048000"),  # row 5: too short
        civil_row(nik=nik("1990-01-01", Sex.MALE, 9), tanggal_lahir="1990-13-01"),  # row 6
        civil_row(
            nik=nik("1991-01-01", Sex.MALE, 9), jenis_kelamin="X", tanggal_lahir="1991-01-01"
        ),
        civil_row(
            nik=nik("1992-01-01", Sex.MALE, 9),
            kode_kelurahan="35.71.09.9999",
            tanggal_lahir="1992-01-01",
        ),
        civil_row(
            nik=nik("1993-01-01", Sex.MALE, 9), status_hidup="MATI", tanggal_lahir="1993-01-01"
        ),  # row 9: no date of death
        civil_row(nama="Budi Lagi"),  # row 10: the same NIK as row 2
        civil_row(nik=nik("1994-01-01", Sex.MALE, 9), no_kk="123", tanggal_lahir="1994-01-01"),
    ]
    run = import_civil_registry(write_csv(tmp_path / "dukcapil.csv", rows))

    problems = {(p["row"], p["column"]) for p in run.problems if p["severity"] == "error"}
    assert problems == {
        (5, "nik"),
        (6, "tanggal_lahir"),
        (7, "jenis_kelamin"),
        (8, "kode_kelurahan"),
        (9, "tanggal_meninggal"),
        (10, "nik"),
        (11, "no_kk"),
    }
    assert (run.rows, run.created, run.rejected) == (10, 3, 7)
    assert Person.objects.count() == 3
    saved = ImportRun.objects.get(pk=run.pk)
    assert len(saved.problems) == 7
    # No report repeats a NIK.
    assert not any(BUDI in p["reason"] for p in saved.problems)


def test_a_nik_that_disagrees_with_the_birth_date_is_kept_with_a_warning(tmp_path, kediri):
    # Day and month swapped in the record: the NIK is permanent and stays as issued.
    rows = [civil_row(tanggal_lahir="1980-12-04")]
    run = import_civil_registry(write_csv(tmp_path / "dukcapil.csv", rows))

    assert (run.created, run.rejected, run.warnings) == (1, 0, 1)
    assert run.problems[0]["severity"] == "warning"
    assert Person.objects.get().nik_warnings == "nik_dob_mismatch"


def test_importing_the_same_file_twice_changes_nothing(tmp_path, kediri):
    path = write_csv(tmp_path / "dukcapil.csv", family())
    import_civil_registry(path)
    before = list(Person.objects.order_by("pk").values_list("pk", "updated_at", "source_hash"))
    entries = LogEntry.objects.count()

    again = import_civil_registry(path)

    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert (
        list(Person.objects.order_by("pk").values_list("pk", "updated_at", "source_hash")) == before
    )
    assert Household.objects.count() == 1
    assert LogEntry.objects.count() == entries


def test_a_changed_row_updates_the_person_and_the_history_hides_identity(tmp_path, kediri):
    import_civil_registry(write_csv(tmp_path / "first.csv", family()))
    rows = family()
    rows[0].update(status_hidup="MATI", tanggal_meninggal="2026-10-01", alamat="Jl. Baru 1")

    run = import_civil_registry(write_csv(tmp_path / "second.csv", rows))

    assert (run.created, run.updated, run.unchanged) == (0, 1, 2)
    budi = Person.objects.get(nik_index=nik_index(BUDI))
    assert not budi.alive
    assert budi.date_of_death == dt.date(2026, 10, 1)
    entry = LogEntry.objects.get(
        object_pk=str(budi.pk), content_type__model="person", additional_data__source="import"
    )
    assert entry.changes["alive"] == [True, False]
    # The family card's address follows its head's row; the history says it changed, not how.
    assert budi.household.address == "Jl. Baru 1"
    household_entry = LogEntry.objects.get(
        object_pk=str(budi.household_id),
        content_type__model="household",
        additional_data__source="import",
    )
    text = str(household_entry.changes)
    assert "address" in text and "Jl. Baru" not in text and KK not in text


def test_the_history_of_an_import_names_the_clerk_and_their_email(tmp_path, kediri, dinsos_officer):
    dinsos_officer.email = "petugas@dinsos.kedirikota.go.id"
    dinsos_officer.save(update_fields=["email"])
    import_civil_registry(write_csv(tmp_path / "first.csv", family()), user=dinsos_officer)
    rows = family()
    rows[0].update(status_hidup="MATI", tanggal_meninggal="2026-10-01", alamat="Jl. Baru 1")

    import_civil_registry(write_csv(tmp_path / "second.csv", rows), user=dinsos_officer)

    entries = LogEntry.objects.filter(additional_data__source="import")
    assert {e.content_type.model for e in entries} == {"person", "household"}
    assert {(e.actor_id, e.actor_email) for e in entries} == {
        (dinsos_officer.pk, "petugas@dinsos.kedirikota.go.id")
    }


def test_only_the_heads_row_changes_the_family_address(tmp_path, kediri):
    import_civil_registry(write_csv(tmp_path / "first.csv", family()))
    rows = family()
    rows[1].update(alamat="Jl. Lain 9")  # the wife's row disagrees

    run = import_civil_registry(write_csv(tmp_path / "second.csv", rows))

    assert run.unchanged == 3
    assert Household.objects.get().address == "Jl. Mayor Bismo 12"


def test_identity_numbers_and_addresses_are_encrypted_at_rest(tmp_path, kediri):
    import_civil_registry(write_csv(tmp_path / "dukcapil.csv", family()))
    with connection.cursor() as cursor:
        cursor.execute("SELECT nik, nik_index, name_key FROM bansos_person")
        stored = cursor.fetchall()
        cursor.execute("SELECT kk, kk_index, address FROM bansos_household")
        stored += cursor.fetchall()
    text = repr(stored)
    for secret in (BUDI, SITI, RIZKY, KK, "Mayor Bismo"):
        assert secret not in text


def test_someone_living_outside_the_city_is_marked_moved_out(tmp_path, kediri):
    rows = [civil_row(kode_kelurahan="35.06.01.2001")]  # Kabupaten Kediri
    import_civil_registry(write_csv(tmp_path / "dukcapil.csv", rows))
    assert Person.objects.get().moved_out


def test_a_file_without_the_required_columns_is_refused_whole(tmp_path, kediri):
    path = write_csv(tmp_path / "bad.csv", family(), columns=["nik", "nama"])
    with pytest.raises(ImportFileError) as caught:
        import_civil_registry(path)
    assert "no_kk" in str(caught.value) and "tanggal_lahir" in str(caught.value)
    assert Person.objects.count() == 0


def test_an_xlsx_extract_with_its_own_headers_is_read_through_a_mapping(tmp_path, kediri):
    book = Workbook()
    sheet = book.active
    headers = [f"KOLOM {column.upper()}" for column in CIVIL_REGISTRY_COLUMNS]
    sheet.append(headers)
    row = civil_row()
    values = [row[column] for column in CIVIL_REGISTRY_COLUMNS]
    values[CIVIL_REGISTRY_COLUMNS.index("tanggal_lahir")] = dt.date(1980, 4, 12)  # a date cell
    values[CIVIL_REGISTRY_COLUMNS.index("rt")] = 3  # a number cell
    sheet.append(values)
    path = tmp_path / "dukcapil.xlsx"
    book.save(path)

    mapping = {column: f"Kolom {column.upper()}" for column in CIVIL_REGISTRY_COLUMNS}
    run = import_civil_registry(path, mapping=mapping)

    assert (run.created, run.rejected) == (1, 0)
    person = Person.objects.get()
    assert (person.birth_date, person.household.rt) == (dt.date(1980, 4, 12), "003")


def test_semicolon_csv_from_an_indonesian_spreadsheet_is_read(tmp_path, kediri):
    path = tmp_path / "dukcapil.csv"
    header = ";".join(CIVIL_REGISTRY_COLUMNS)
    row = civil_row()
    path.write_text(header + "\n" + ";".join(row[c] for c in CIVIL_REGISTRY_COLUMNS) + "\n")
    assert import_civil_registry(path).created == 1


def dtks_row(**values: str) -> dict[str, str]:
    row = {
        "id_dtks": "DTKS-1",
        "nik": BUDI,
        "no_kk": KK,
        "nama": "BUDI SANTOSO",
        "tanggal_lahir": "1980-04-12",
        "jenis_kelamin": "L",
        "alamat": "Jl. Mayor Bismo 12",
        "kode_kelurahan": "35.71.01.1001",
        "program": "PKH",
        "desil": "1",
    }
    row.update(values)
    return row


def test_dtks_rows_are_kept_as_received_even_with_a_wrong_nik(tmp_path, kediri):
    load_programmes()
    rows = [
        dtks_row(),
        dtks_row(id_dtks="DTKS-2", nik="", nama="Siti"),
        dtks_row(id_dtks="DTKS-3", nik="3571011204800000", nama="Rizky"),  # serial 0000
        dtks_row(id_dtks="DTKS-4", desil="11"),
        dtks_row(id_dtks="DTKS-5", program="BLT"),
        dtks_row(id_dtks="DTKS-1", nama="twice"),
    ]
    path = write_csv(tmp_path / "dtks.csv", rows, columns=list(DTKS_COLUMNS))
    run = import_dtks(path)

    assert {(p["row"], p["column"]) for p in run.problems} == {
        (5, "desil"),
        (6, "program"),
        (7, "id_dtks"),
    }
    assert DtksRecord.objects.count() == 3
    wrong = DtksRecord.objects.get(id_dtks="DTKS-3")
    assert wrong.nik == "3571011204800000"
    assert DtksRecord.objects.get(id_dtks="DTKS-2").nik_index == ""

    again = import_dtks(path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_an_exclusion_list_is_imported_once(tmp_path, kediri):
    path = write_csv(
        tmp_path / "asn.csv",
        [
            {"nik": BUDI, "jenis": "PNS"},
            {"nik": SITI, "jenis": "POLRI"},
            {"nik": RIZKY, "jenis": "X"},
        ],
        columns=["nik", "jenis"],
    )
    run = import_exclusions(path)
    assert (run.created, run.rejected) == (2, 1)
    assert Exclusion.objects.get(nik_index=nik_index(BUDI)).kind == ExclusionKind.CIVIL_SERVANT
    assert import_exclusions(path).unchanged == 2
    assert Exclusion.objects.count() == 2


def test_a_file_that_is_not_utf8_text_is_refused_whole(tmp_path, kediri):
    path = tmp_path / "dukcapil.csv"
    header = ",".join(CIVIL_REGISTRY_COLUMNS)
    path.write_bytes(header.encode() + b"\n" + b"\xff\xfe\x00" * 40 + b"\n")
    with pytest.raises(ImportFileError, match="UTF-8"):
        import_civil_registry(path)
    assert Person.objects.count() == 0
