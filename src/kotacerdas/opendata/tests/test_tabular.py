"""Satu Data's tabular engine without a database: a version checked against its Table Schema
(every problem by row and column), stored only when valid and never half-written, read back as
CKAN's datastore_search reads, and downloaded as CSV, XLSX or JSON."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import duckdb
import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

from kotacerdas.opendata import tabular
from kotacerdas.opendata.tabular import Problem, SearchError

KNOWN = {"35.71", "35.71.01", "35.71.02", "35.71.03"}
SCHEMA = {
    "fields": [
        {
            "name": "kode_wilayah",
            "type": "string",
            "region": True,
            "constraints": {"required": True},
        },
        {"name": "tahun", "type": "year", "constraints": {"minimum": 2015, "maximum": 2030}},
        {"name": "tanggal", "type": "date"},
        {"name": "persen_miskin", "type": "number", "constraints": {"minimum": 0, "maximum": 100}},
        {"name": "penduduk", "type": "integer", "constraints": {"minimum": 0}},
        {
            "name": "status",
            "type": "string",
            "constraints": {"enum": ["baik", "sedang", "rusak"]},
        },
        {"name": "kode_aset", "type": "string", "constraints": {"pattern": "[A-Z]{3}-[0-9]{3}"}},
        {"name": "aktif", "type": "boolean"},
        {"name": "keterangan", "type": "string", "constraints": {"maxLength": 20}},
    ],
    "primaryKey": ["kode_wilayah", "tahun"],
}
HEADER = "kode_wilayah,tahun,tanggal,persen_miskin,penduduk,status,kode_aset,aktif,keterangan"
GOOD = [
    "35.71,2022,2022-12-31,7.81,286796,baik,AST-001,true,Kota Kediri",
    "35.71,2023,2023-12-31,7.23,288000,baik,AST-002,true,kota kediri lama",
    "35.71.01,2023,2023-12-31,8.10,95000,sedang,AST-003,false,Mojoroto barat",
    "35.71.02,2023,2023-12-31,6.90,80000,rusak,,true,",
    "35.71.03,2023,2023-12-31,7.40,97000,sedang,AST-005,true,Pesantren",
    "35.71.01,2022,2022-12-31,8.10,94000,baik,AST-006,false,Mojoroto",
]


@pytest.fixture(autouse=True)
def _english():
    # The assertions read the English messages, whatever the platform's language.
    with translation.override("en"):
        yield


def csv_text(*rows: str, header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


def ingest_text(tmp_path: Path, text: str, schema=SCHEMA, regions=KNOWN, name="data.csv"):
    source = tmp_path / name
    source.write_text(text, encoding="utf-8", newline="")
    dest = tmp_path / "store" / f"{name}.duckdb"
    return tabular.ingest(source, "csv", schema, dest, regions), dest


def found(report) -> set[tuple[int | None, str | None, str]]:
    return {(p.row, p.field, p.code) for p in report.problems}


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("store")
    with translation.override("en"):
        report, dest = ingest_text(folder, csv_text(*GOOD))
    assert report.valid, report.problems
    return dest


# ---------------------------------------------------------------------------------------------
# A valid file, stored and searched


def test_a_valid_csv_is_stored_with_its_types(store):
    result = tabular.search(store)
    assert result.total == 6
    assert result.fields == [
        {"id": "_id", "type": "int"},
        {"id": "kode_wilayah", "type": "text"},
        {"id": "tahun", "type": "int"},
        {"id": "tanggal", "type": "date"},
        {"id": "persen_miskin", "type": "numeric"},
        {"id": "penduduk", "type": "int"},
        {"id": "status", "type": "text"},
        {"id": "kode_aset", "type": "text"},
        {"id": "aktif", "type": "bool"},
        {"id": "keterangan", "type": "text"},
    ]
    assert result.records[0] == {
        "_id": 1,
        "kode_wilayah": "35.71",
        "tahun": 2022,
        "tanggal": "2022-12-31",
        "persen_miskin": 7.81,
        "penduduk": 286796,
        "status": "baik",
        "kode_aset": "AST-001",
        "aktif": True,
        "keterangan": "Kota Kediri",
    }
    assert [r["_id"] for r in result.records] == [1, 2, 3, 4, 5, 6]
    # An empty cell is stored as missing, not as empty text.
    assert result.records[3]["kode_aset"] is None and result.records[3]["keterangan"] is None
    json.dumps(result.records)  # JSON-ready as it is
    with duckdb.connect(str(store), read_only=True) as con:
        assert con.execute("SELECT table_name FROM duckdb_tables()").fetchall() == [("data",)]
        types = dict(con.execute("SELECT column_name, data_type FROM duckdb_columns()").fetchall())
    assert types["tahun"] == "INTEGER" and types["penduduk"] == "BIGINT"
    assert types["persen_miskin"] == "DOUBLE" and types["tanggal"] == "DATE"


def test_search_filters_text_search_and_fields(store):
    result = tabular.search(store, filters={"tahun": 2023}, fields=["kode_wilayah", "tahun"])
    assert result.total == 4
    assert result.fields == [{"id": "kode_wilayah", "type": "text"}, {"id": "tahun", "type": "int"}]
    assert result.records[0] == {"kode_wilayah": "35.71", "tahun": 2023}
    # A list means any of them; values may come as text, as a query string has them.
    both = tabular.search(
        store, filters={"kode_wilayah": ["35.71.01", "35.71.02"], "tahun": "2023"}
    )
    assert [r["_id"] for r in both.records] == [3, 4]
    assert tabular.search(store, filters={"aktif": False}).total == 2
    assert tabular.search(store, filters={"tanggal": "2022-12-31"}).total == 2
    assert tabular.search(store, filters={"persen_miskin": 8.1}).total == 2
    assert tabular.search(store, filters={"keterangan": None}).total == 1
    # q: every word, in any text column, ignoring case.
    assert [r["_id"] for r in tabular.search(store, q="KEDIRI").records] == [1, 2]
    assert [r["_id"] for r in tabular.search(store, q="kediri lama").records] == [2]
    assert [
        r["_id"] for r in tabular.search(store, q="mojoroto", filters={"tahun": 2022}).records
    ] == [6]
    assert tabular.search(store, q="jakarta").total == 0


def test_search_sorts_on_two_fields_and_pages(store):
    by = tabular.search(store, sort="persen_miskin desc, tahun asc", fields=["_id"])
    assert [r["_id"] for r in by.records] == [6, 3, 1, 5, 2, 4]
    by = tabular.search(store, sort="persen_miskin desc, tahun desc", fields=["_id"])
    assert [r["_id"] for r in by.records] == [3, 6, 1, 5, 2, 4]
    by = tabular.search(store, sort="status, penduduk DESC", fields=["_id"])
    assert [r["_id"] for r in by.records] == [2, 1, 6, 4, 5, 3]
    page = tabular.search(store, sort="penduduk asc", limit=2, offset=2, fields=["penduduk"])
    assert page.total == 6  # every matching row, not the page
    assert [r["penduduk"] for r in page.records] == [95000, 97000]
    assert tabular.search(store, limit=0).records == []
    assert tabular.search(store, limit=0).total == 6
    assert len(tabular.search(store, limit=tabular.MAX_LIMIT).records) == 6


@pytest.mark.parametrize(
    ("arguments", "culprit"),
    [
        ({"filters": {"kota": "x"}}, "kota"),
        ({"sort": "kota desc"}, "kota"),
        ({"fields": ["tahun", "kota"]}, "kota"),
        ({"sort": "tahun; DROP TABLE data"}, "tahun; DROP TABLE data"),
        ({"sort": 'tahun" desc; DROP TABLE data; --'}, 'tahun" desc; DROP TABLE data; --'),
        ({"filters": {"tahun": "dua ribu"}}, "tahun"),
        ({"limit": tabular.MAX_LIMIT + 1}, None),
        ({"limit": -1}, None),
        ({"offset": -1}, None),
    ],
)
def test_search_refuses_what_the_store_does_not_have(store, arguments, culprit):
    with pytest.raises(SearchError) as refused:
        tabular.search(store, **arguments)
    assert refused.value.field == culprit
    assert isinstance(refused.value, ValueError)
    assert tabular.search(store).total == 6  # and the table is still there


def test_an_injection_in_sort_never_reaches_sql(store):
    with pytest.raises(SearchError):
        tabular.search(store, sort="kode_wilayah; DROP TABLE data")
    with pytest.raises(SearchError):
        tabular.export(store, "csv", sort="(SELECT 1)")
    assert tabular.search(store).total == 6


# ---------------------------------------------------------------------------------------------
# Problems


def test_every_problem_is_reported_by_row_and_field(tmp_path):
    text = csv_text(
        "35.71,2022,2022-12-31,7.81,12a,baik,AST-001,true,ok",  # 2: not an integer
        ",2023,2023-12-31,7.23,1000,bagus,AST-002,ya,ok",  # 3: required, enum, boolean
        "35.71.01,2010,2023-02-30,108,-1,sedang,AST3,false,ok",  # 4: min, date, max, min, pattern
        "35.71.02,2031,31/12/2023,6.9,80000,rusak,AST-004,true,teks yang jauh terlalu panjang",
        "99.99,2023,2023-12-31,6.9,80000,rusak,AST-005,true,=1+1",  # 6: region, formula
        "35.71.03,2023,2023-12-31,7,5,80000,rusak,AST-006,true,ok",  # 7: a cell too many
        "35.71.03,2024,2023-12-31,7.5,80000,rusak,AST-007,TRUE,ok",  # 8: valid
    )
    report, dest = ingest_text(tmp_path, text)
    assert not report.valid
    assert report.rows == 6  # row 7 could not be read
    assert report.fields == [f["name"] for f in SCHEMA["fields"]]
    assert found(report) == {
        (2, "penduduk", "type"),
        (3, "kode_wilayah", "required"),
        (3, "status", "enum"),
        (3, "aktif", "type"),
        (4, "tahun", "minimum"),
        (4, "tanggal", "type"),
        (4, "persen_miskin", "maximum"),
        (4, "penduduk", "minimum"),
        (4, "kode_aset", "pattern"),
        (5, "tahun", "maximum"),
        (5, "tanggal", "type"),
        (5, "keterangan", "max_length"),
        (6, "kode_wilayah", "region"),
        (6, "keterangan", "formula"),
        (7, None, "format"),
    }
    assert len(report.problems) == 15 and report.truncated == 0
    # In row order, then in the order of the columns.
    assert [(p.row, p.field) for p in report.problems][:4] == [
        (2, "penduduk"),
        (3, "kode_wilayah"),
        (3, "status"),
        (3, "aktif"),
    ]
    messages = {(p.row, p.field): p.message for p in report.problems}
    assert messages[(2, "penduduk")] == '"12a" is not a whole number.'
    assert (
        messages[(3, "status")] == '"bagus" is not one of the allowed values: baik, sedang, rusak.'
    )
    assert messages[(4, "tahun")] == '"2010" is less than the minimum, 2015.'
    assert messages[(4, "kode_aset")] == '"AST3" does not match the pattern [A-Z]{3}-[0-9]{3}.'
    assert messages[(5, "tanggal")].startswith('"31/12/2023" is not a date written YYYY-MM-DD')
    assert messages[(6, "kode_wilayah")] == '"99.99" is not a Kemendagri region code.'
    assert "spreadsheet software would execute it" in messages[(6, "keterangan")]
    assert messages[(7, None)] == "This row has 10 cells; the header has 9."
    assert not dest.exists()
    assert not dest.parent.exists() or not any(dest.parent.iterdir())


def test_rows_are_numbered_as_a_spreadsheet_numbers_them(tmp_path):
    # A quoted cell over two lines is one spreadsheet row; a row that cannot be read still
    # counts, so the rows below it keep their numbers.
    text = csv_text(
        '35.71,2022,2022-12-31,7.81,1,baik,AST-001,true,"dua\nbaris"',  # 2
        "35.71,2023",  # 3: too few cells
        "35.71.01,2023,2023-12-31,7.1,x,baik,AST-003,true,ok",  # 4
    )
    report, _dest = ingest_text(tmp_path, text)
    assert found(report) == {(3, None, "format"), (4, "penduduk", "type")}
    assert report.problems[0].message == "This row has 2 cells; the header has 9."


def test_duplicates_of_the_primary_key_name_the_first_row(tmp_path):
    text = csv_text(
        GOOD[0],  # 2
        GOOD[1],  # 3
        GOOD[0].replace("Kota Kediri", "lagi"),  # 4: repeats row 2
        GOOD[2],  # 5
        GOOD[0].replace("7.81", "9"),  # 6: repeats row 2 again
    )
    report, _dest = ingest_text(tmp_path, text)
    assert found(report) == {
        (4, "kode_wilayah, tahun", "primary_key"),
        (6, "kode_wilayah, tahun", "primary_key"),
    }
    assert report.problems[0].message == (
        "The primary key (kode_wilayah, tahun) = (35.71, 2022) is already in row 2."
    )


def test_a_unique_column_reports_each_repeat(tmp_path):
    schema = {
        "fields": [
            {"name": "nik", "type": "integer", "constraints": {"unique": True}},
            {"name": "nama", "type": "string", "constraints": {"minLength": 2}},
        ]
    }
    report, _dest = ingest_text(
        tmp_path, "nik,nama\n1,Ani\n2,B\n01,Citra\n3,Dodi\n1,Eka\n", schema=schema
    )
    # "01" is the integer 1: unique compares values, not text.
    assert found(report) == {(3, "nama", "min_length"), (4, "nik", "unique"), (6, "nik", "unique")}
    assert [p.message for p in report.problems if p.code == "unique"] == [
        '"1" is already in row 2; each value of this column must be different.'
    ] * 2


def test_region_codes_are_asked_once_for_the_distinct_values(tmp_path):
    asked = []

    def existing(codes: list[str]) -> set[str]:
        asked.append(codes)
        return {"35.71", "35.71.01"}

    text = csv_text(GOOD[0], GOOD[1], GOOD[2], GOOD[3], GOOD[4].replace("35.71.03", "35.72"))
    report, _dest = ingest_text(tmp_path, text, regions=existing)
    assert len(asked) == 1 and sorted(asked[0]) == ["35.71", "35.71.01", "35.71.02", "35.72"]
    assert found(report) == {(5, "kode_wilayah", "region"), (6, "kode_wilayah", "region")}


def test_signed_numbers_are_numbers_not_formulas(tmp_path):
    schema = {
        "fields": [
            {"name": "selisih", "type": "number"},
            {"name": "telepon", "type": "integer"},
            {"name": "catatan", "type": "string"},
        ]
    }
    good, dest = ingest_text(tmp_path, "selisih,telepon,catatan\n-5.5,+62812,-\n+3,-1,x\n", schema)
    assert good.valid, good.problems  # a lone sign ("-") is text, not a formula
    assert [r["selisih"] for r in tabular.search(dest).records] == [-5.5, 3.0]
    bad, _dest = ingest_text(
        tmp_path, "selisih,telepon,catatan\n-x,=1+2,+62 812\n@SUM(A1),5,=HYPERLINK(1)\n", schema
    )
    assert found(bad) == {
        (2, "selisih", "formula"),
        (2, "telepon", "formula"),
        (2, "catatan", "formula"),
        (3, "selisih", "formula"),
        (3, "catatan", "formula"),
    }


def test_types_are_read_strictly(tmp_path):
    # DuckDB's casts alone would take "1.5" as the integer 2 and "1_000" as 1000.
    schema = {
        "fields": [
            {"name": "bulat", "type": "integer"},
            {"name": "pecahan", "type": "number"},
            {"name": "tahun", "type": "year"},
            {"name": "tanggal", "type": "date"},
            {"name": "jam", "type": "time"},
            {"name": "waktu", "type": "datetime"},
            {"name": "surel", "type": "string", "format": "email"},
        ]
    }
    header = "bulat,pecahan,tahun,tanggal,jam,waktu,surel\n"
    good = " 12 ,-1.5e3,2024,2024-02-29,08:30,2024-02-29T08:30:00Z,a@kediri.go.id\n"
    report, dest = ingest_text(tmp_path, header + good, schema)
    assert report.valid, report.problems
    assert tabular.search(dest, fields=["bulat", "pecahan", "jam"]).records == [
        {"bulat": 12, "pecahan": -1500.0, "jam": "08:30:00"}
    ]
    bad = [
        "1.5,1_0.5,24,2024-1-5,8.30,2024-02-29,a@kediri",
        "1_000,7.5.1,20245,2023-02-29,25:00,29/02/2024 08:30,kediri.go.id",
        "1e3,0x10,2024.0,20240229,08:30:00:00,2024-02-29T25:00,a b@c.d",
    ]
    report, _dest = ingest_text(tmp_path, header + "\n".join(bad) + "\n", schema)
    assert found(report) == {
        (row, name, "type") for row in (2, 3, 4) for name in header.strip().split(",")
    }
    formula = good.replace("a@kediri.go.id", "=1+1@kediri.go.id")
    report, _dest = ingest_text(tmp_path, header + formula, schema)
    assert found(report) == {(2, "surel", "formula")}


def test_missing_values_and_decimal_comma(tmp_path):
    schema = {
        "fields": [
            {"name": "kode", "type": "string", "constraints": {"required": True}},
            {"name": "nilai", "type": "number", "decimalChar": ",", "groupChar": "."},
            {"name": "tanggal", "type": "date", "format": "%d/%m/%Y"},
            {"name": "waktu", "type": "datetime"},
        ],
        "missingValues": ["", "-"],
    }
    text = (
        "kode;nilai;tanggal;waktu\n"
        "a;1.234,5;31/12/2023;2024-01-31T08:30:00+07:00\n"
        "b;-;-;2024-01-31 08:30\n"
        "-;7,5;01/02/2024;\n"
    )
    report, dest = ingest_text(tmp_path, text, schema)
    assert found(report) == {(4, "kode", "required")}
    report, dest = ingest_text(tmp_path, text.replace("-;7,5", "c;7,5"), schema)
    assert report.valid, report.problems
    records = tabular.search(dest).records
    assert [r["nilai"] for r in records] == [1234.5, None, 7.5]
    assert [r["tanggal"] for r in records] == ["2023-12-31", None, "2024-02-01"]
    # An offset is turned into UTC; a time without one is kept as written.
    assert [r["waktu"] for r in records] == ["2024-01-31T01:30:00", "2024-01-31T08:30:00", None]


def test_problems_are_capped_and_the_rest_counted(tmp_path):
    rows = [f"35.71,{2015 + n % 10},2023-12-31,7,x{n},baik,AST-001,true,ok" for n in range(1200)]
    report, _dest = ingest_text(tmp_path, csv_text(*rows))
    # 1,200 type errors, and every row but the first ten repeats the primary key.
    assert len(report.problems) == tabular.MAX_PROBLEMS
    assert report.truncated == 1200 + 1190 - tabular.MAX_PROBLEMS
    assert report.problems[0] == Problem(2, "penduduk", "type", '"x0" is not a whole number.')
    assert [p.row for p in report.problems] == sorted(p.row for p in report.problems)


# ---------------------------------------------------------------------------------------------
# The file itself


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_semicolon_tab_and_bar_separated_files(tmp_path, delimiter):
    text = csv_text(*GOOD).replace(",", delimiter)
    report, dest = ingest_text(tmp_path, text)
    assert report.valid, report.problems
    assert (
        tabular.search(dest, filters={"kode_wilayah": "35.71.03"}).records[0]["penduduk"] == 97000
    )


def test_a_comma_inside_a_semicolon_file_is_text(tmp_path):
    rows = [row.replace(",", ";") for row in GOOD]
    rows[0] = rows[0].replace("Kota Kediri", "Kediri, kota")
    report, dest = ingest_text(tmp_path, csv_text(*rows, header=HEADER.replace(",", ";")))
    assert report.valid, report.problems
    assert tabular.search(dest).records[0]["keterangan"] == "Kediri, kota"


def test_a_header_without_separator_is_refused(tmp_path):
    text = csv_text(*(row.replace(",", ":") for row in GOOD), header=HEADER.replace(",", ":"))
    report, dest = ingest_text(tmp_path, text)
    assert found(report) == {(1, None, "delimiter")}
    assert not dest.exists()


def test_utf8_with_a_byte_order_mark_is_accepted(tmp_path):
    source = tmp_path / "bom.csv"
    source.write_bytes(b"\xef\xbb\xbf" + csv_text(*GOOD).replace("Pesantren", "Pesantrén").encode())
    dest = tmp_path / "bom.duckdb"
    report = tabular.ingest(source, "csv", SCHEMA, dest, KNOWN)
    assert report.valid, report.problems
    assert report.fields[0] == "kode_wilayah"  # not "\ufeffkode_wilayah"
    assert tabular.search(dest, q="pesantrén").total == 1


def test_a_windows_code_page_file_is_refused_with_a_way_out(tmp_path):
    source = tmp_path / "ansi.csv"
    text = csv_text(GOOD[0], GOOD[1].replace("kota kediri lama", "Kediri café"))
    source.write_bytes(text.encode("cp1252"))
    dest = tmp_path / "ansi.duckdb"
    report = tabular.ingest(source, "csv", SCHEMA, dest, KNOWN)
    assert found(report) == {(3, None, "encoding")}
    assert '"CSV UTF-8' in report.problems[0].message
    assert not dest.exists()
    source.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    assert {p.code for p in tabular.ingest(source, "csv", SCHEMA, dest, KNOWN).problems} == {
        "encoding"
    }


def test_header_problems_name_the_column(tmp_path):
    header = (
        "kode_wilayah,Tahun,tanggal,persen_miskin,penduduk,status,kode_aset,aktif,aktif,catatan"
    )
    report, _dest = ingest_text(tmp_path, csv_text(header=header))
    assert found(report) == {
        (1, "tahun", "header"),  # missing (the file has "Tahun")
        (1, "keterangan", "header"),  # missing
        (1, "Tahun", "header"),  # not in the schema
        (1, "catatan", "header"),  # not in the schema
        (1, "aktif", "header"),  # twice
    }
    messages = {p.field: p.message for p in report.problems}
    assert messages["tahun"] == (
        'The column "tahun" of the Table Schema is missing (the file has "Tahun": names must '
        "match exactly)."
    )
    assert messages["aktif"] == 'The column "aktif" appears more than once.'


def test_an_unnamed_column_is_a_problem_only_with_values_in_it(tmp_path):
    schema = {"fields": [{"name": "a", "type": "integer"}, {"name": "b"}]}
    report, _dest = ingest_text(tmp_path, "a,b,,\n1,x,,\n2,y,,\n", schema)
    assert report.valid, report.problems  # empty columns after the last, as Excel saves them
    report, _dest = ingest_text(tmp_path, "a,b,,\n1,x,,\n2,y,,z\n", schema)
    assert report.problems == [
        Problem(1, None, "header", "Column D has no name, but row 3 has a value in it.")
    ]


def test_an_empty_file_and_a_file_over_the_limit(tmp_path, monkeypatch):
    report, _dest = ingest_text(tmp_path, "")
    assert found(report) == {(1, None, "header")}
    monkeypatch.setattr(tabular, "MAX_BYTES", 100)
    report, dest = ingest_text(tmp_path, csv_text(*GOOD))
    assert found(report) == {(None, None, "size")}
    assert not dest.exists()


def test_a_failed_ingestion_leaves_the_existing_store_untouched(tmp_path):
    report, dest = ingest_text(tmp_path, csv_text(*GOOD))
    assert report.valid and tabular.search(dest).total == 6
    before = dest.read_bytes()
    report, again = ingest_text(tmp_path, csv_text(GOOD[0], GOOD[0]))
    assert again == dest and not report.valid
    assert dest.read_bytes() == before
    # Nothing is left beside it: no partial database, no write-ahead log.
    assert sorted(p.name for p in dest.parent.iterdir()) == [dest.name]
    report, _dest = ingest_text(tmp_path, csv_text(GOOD[2]))
    # A valid one replaces it, and searches see the new one at once.
    assert report.valid and tabular.search(dest).total == 1
    assert tabular.search(dest).records[0]["kode_wilayah"] == "35.71.01"


def test_a_failure_while_storing_leaves_the_old_store(tmp_path, monkeypatch):
    report, dest = ingest_text(tmp_path, csv_text(*GOOD))
    assert report.valid
    before = dest.read_bytes()

    def crash(*args, **kwargs):
        raise OSError("the disk is full")

    monkeypatch.setattr(tabular.os, "replace", crash)  # the last step of writing a store
    with pytest.raises(OSError):
        ingest_text(tmp_path, csv_text(GOOD[2]))
    assert dest.read_bytes() == before
    assert sorted(p.name for p in dest.parent.iterdir()) == [dest.name]


def test_the_store_keeps_the_file_order_of_a_large_file(tmp_path):
    # Enough rows for DuckDB to read and write in parallel.
    rows = 300_000
    text = "n,teks\n" + "".join(f"{n},t{n % 97}\n" for n in range(1, rows + 1))
    schema = {"fields": [{"name": "n", "type": "integer"}, {"name": "teks", "type": "string"}]}
    report, dest = ingest_text(tmp_path, text, schema)
    assert report.valid and report.rows == rows
    with duckdb.connect(str(dest), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM data WHERE _id <> n").fetchone() == (0,)
    bad, _dest = ingest_text(tmp_path, text.replace("\n250000,", "\n25OOOO,"), schema, name="x.csv")
    assert found(bad) == {(250001, "n", "type")}


def test_without_a_schema_types_are_inferred_without_losing_text(tmp_path):
    text = (
        "kode,telepon,jumlah,persen,tanggal,aktif,catatan\n"
        "35.10,08123,10,7.5,2024-01-31,true,a\n"
        "35.71,08124,-3,8,2024-02-01,false,\n"
    )
    report, dest = ingest_text(tmp_path, text, schema=None)
    assert report.valid and report.fields == [
        "kode",
        "telepon",
        "jumlah",
        "persen",
        "tanggal",
        "aktif",
        "catatan",
    ]
    result = tabular.search(dest)
    assert [f["type"] for f in result.fields] == [
        "int",
        "text",
        "text",
        "int",
        "numeric",
        "date",
        "bool",
        "text",
    ]
    assert result.records[0] == {
        "_id": 1,
        "kode": "35.10",  # a region code, not the number 35.1
        "telepon": "08123",  # leading zero kept
        "jumlah": 10,
        "persen": 7.5,
        "tanggal": "2024-01-31",
        "aktif": True,
        "catatan": "a",
    }
    # Codes stay text when the column's name says they are codes.
    report, dest = ingest_text(tmp_path, "kode_wilayah,NIK,n\n35.71,3571,1\n", None, name="k.csv")
    assert tabular.search(dest).records == [
        {"_id": 1, "kode_wilayah": "35.71", "NIK": "3571", "n": 1}
    ]
    bad, _dest = ingest_text(tmp_path, "a,a,,b\n=1,2,3,4\n", schema=None, name="bad.csv")
    assert found(bad) == {(1, "a", "header"), (1, None, "header"), (2, "a", "formula")}


# ---------------------------------------------------------------------------------------------
# Workbooks and JSON


def workbook(path: Path, rows: list[list]) -> Path:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.create_sheet("lain").append(["ignored"])
    book.save(path)
    return path


def test_an_xlsx_workbook_is_read_from_its_first_sheet(tmp_path):
    header = HEADER.split(",")
    # A workbook holds a date as a date and time without a time zone.
    year_end = dt.datetime(2022, 12, 31)  # noqa: DTZ001
    good = [
        ["35.71", 2022, year_end, 7.81, 286796, "baik", "AST-001", True, "a"],
        ["35.71", 2023, dt.date(2023, 12, 31), 7.23, 288000.0, "baik", None, False, None],
    ]
    source = workbook(tmp_path / "data.xlsx", [header, *good])
    dest = tmp_path / "xlsx.duckdb"
    report = tabular.ingest(source, "xlsx", SCHEMA, dest, KNOWN)
    assert report.valid, report.problems
    records = tabular.search(dest).records
    assert [r["tanggal"] for r in records] == ["2022-12-31", "2023-12-31"]
    assert [r["penduduk"] for r in records] == [286796, 288000]
    assert [r["aktif"] for r in records] == [True, False]

    bad = [
        good[0],
        [None] * 9,  # row 3: empty, skipped, still counted
        ["35.71.01", 2023, "31/12/2023", "=D2*2", 1, "baik", "AST-003", True, "a"],  # row 4
        ["35.71.02", 2023, year_end, 7, 1, "baik", "AST-004", True, "a", "x"],
    ]
    source = workbook(tmp_path / "bad.xlsx", [header, *bad])
    report = tabular.ingest(source, "xlsx", SCHEMA, dest, KNOWN)
    assert found(report) == {
        (4, "tanggal", "type"),
        (4, "persen_miskin", "formula"),
        (5, None, "format"),
    }
    assert tabular.search(dest).total == 2  # the valid store is still there


def test_an_unreadable_workbook_is_refused(tmp_path):
    source = tmp_path / "rusak.xlsx"
    source.write_bytes(b"PK\x03\x04 not really a workbook")
    report = tabular.ingest(source, "xlsx", SCHEMA, tmp_path / "x.duckdb", KNOWN)
    assert found(report) == {(None, None, "format")}


def test_a_json_array_of_objects(tmp_path):
    records = [
        {
            "kode_wilayah": "35.71",
            "tahun": 2023,
            "tanggal": "2023-12-31",
            "persen_miskin": 7.23,
            "penduduk": 288000,
            "status": "baik",
            "kode_aset": "AST-002",
            "aktif": True,
            "keterangan": "kota",
        },
        {"kode_wilayah": "35.71.01", "tahun": 2023, "penduduk": 95000, "aktif": False},
    ]
    source = tmp_path / "data.json"
    source.write_text(json.dumps(records), encoding="utf-8")
    dest = tmp_path / "json.duckdb"
    report = tabular.ingest(source, "json", SCHEMA, dest, KNOWN)
    assert report.valid, report.problems
    stored = tabular.search(dest, fields=["kode_wilayah", "persen_miskin", "aktif"]).records
    assert stored == [
        {"kode_wilayah": "35.71", "persen_miskin": 7.23, "aktif": True},
        {"kode_wilayah": "35.71.01", "persen_miskin": None, "aktif": False},
    ]

    records[1].update(tahun=2023.5, status=["baik"], kode_wilayah="35.79")
    source.write_text(json.dumps([*records, "teks"]), encoding="utf-8")
    report = tabular.ingest(source, "json", SCHEMA, dest, KNOWN)
    assert found(report) == {
        (3, "tahun", "type"),
        (3, "status", "format"),
        (3, "kode_wilayah", "region"),
        (4, None, "format"),
    }
    source.write_text('{"kode_wilayah": "35.71"}', encoding="utf-8")
    assert found(tabular.ingest(source, "json", SCHEMA, dest, KNOWN)) == {(None, None, "format")}
    source.write_text('[{"kode_wilayah": "35.71",}]', encoding="utf-8")
    refused = tabular.ingest(source, "json", SCHEMA, dest, KNOWN)
    assert refused.problems[0].code == "format" and "line 1" in refused.problems[0].message
    assert tabular.search(dest).total == 2


# ---------------------------------------------------------------------------------------------
# Table Schema descriptors


def test_a_sound_schema_has_no_problem():
    assert tabular.check_schema(SCHEMA) == []


@pytest.mark.parametrize(
    ("descriptor", "expected"),
    [
        ([], "must be a JSON object"),
        ({"fields": []}, "must list its fields"),
        ({"fields": [{"name": "a", "type": "geopoint"}]}, 'Field "a": the type "geopoint"'),
        ({"fields": [{"name": "a", "type": "foo"}]}, 'Field "a": field type "foo"'),
        ({"fields": [{"name": "a", "type": "integer", "region": True}]}, 'Field "a": "region"'),
        ({"fields": [{"name": "a"}, {"name": "A"}]}, 'Field "A": another field is already'),
        ({"fields": [{"name": "_id"}]}, 'Field "_id": the name _id is kept'),
        ({"fields": [{"name": "a"}], "primaryKey": ["b"]}, 'Primary key: there is no field "b"'),
        (
            {"fields": [{"name": "a", "type": "integer", "constraints": {"minimum": "x"}}]},
            'Field "a": the minimum "x" is not a valid integer',
        ),
        (
            {"fields": [{"name": "a", "type": "date", "constraints": {"enum": ["2024-13-01"]}}]},
            'Field "a": the enum value "2024-13-01"',
        ),
        (
            {"fields": [{"name": "a", "constraints": {"pattern": "[a-"}}]},
            'Field "a": the pattern "[a-" is not a valid regular expression',
        ),
        (
            {"fields": [{"name": "a", "type": "integer", "constraints": {"required": "ya"}}]},
            "Field \"a\": 'ya' is not of type 'boolean'",
        ),
        ({"fields": [{"name": "a", "type": "date", "format": "%Q"}]}, 'Field "a": the format'),
    ],
)
def test_schema_problems_name_the_field(descriptor, expected):
    problems = tabular.check_schema(descriptor)
    assert any(expected in problem for problem in problems), problems


def test_an_invalid_schema_is_reported_not_applied(tmp_path):
    schema = {"fields": [{"name": "kode_wilayah", "type": "integer", "region": True}]}
    report, dest = ingest_text(tmp_path, "kode_wilayah\n1\n", schema)
    assert {p.code for p in report.problems} == {"schema"} and not dest.exists()


# ---------------------------------------------------------------------------------------------
# Downloads


@pytest.fixture
def risky_store(tmp_path) -> Path:
    """A store with text a spreadsheet would execute (ingestion refuses it, but a download must
    never rely on that)."""
    path = tmp_path / "risky.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute(
            "CREATE TABLE data AS SELECT * FROM (VALUES "
            "(1::BIGINT, '=1+1', -5::BIGINT, DATE '2024-01-31', true), "
            "(2, 'aman', 7, NULL, false)) v(_id, teks, angka, tanggal, aktif)"
        )
    return path


def test_a_csv_download_neutralises_formulas(risky_store):
    data = b"".join(tabular.export(risky_store, "csv"))
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [
        ["_id", "teks", "angka", "tanggal", "aktif"],
        ["1", "'=1+1", "-5", "2024-01-31", "true"],
        ["2", "aman", "7", "", "false"],
    ]
    only = b"".join(tabular.export(risky_store, "csv", filters={"aktif": False}, fields=["teks"]))
    assert only.decode("utf-8-sig").splitlines() == ["teks", "aman"]


def test_an_xlsx_download_reads_back(risky_store, tmp_path):
    path = tmp_path / "out.xlsx"
    path.write_bytes(b"".join(tabular.export(risky_store, "xlsx", sort="angka desc")))
    sheet = load_workbook(path).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["_id", "teks", "angka", "tanggal", "aktif"]
    assert rows[1] == [2, "aman", 7, None, False]
    assert rows[2][:3] == [1, "'=1+1", -5] and rows[2][3].date() == dt.date(2024, 1, 31)


def test_an_xlsx_download_refuses_more_rows_than_a_sheet_holds(risky_store, monkeypatch):
    monkeypatch.setattr(tabular, "XLSX_MAX_ROWS", 1)
    with pytest.raises(SearchError, match="do not fit in an Excel worksheet"):
        tabular.export(risky_store, "xlsx")
    assert b"".join(tabular.export(risky_store, "xlsx", filters={"_id": 1}))


def test_a_json_download_is_the_records(store):
    data = json.loads(b"".join(tabular.export(store, "json", sort="tahun desc")))
    assert data == tabular.search(store, sort="tahun desc").records
    assert json.loads(b"".join(tabular.export(store, "json", filters={"tahun": 1999}))) == []
    with pytest.raises(SearchError):
        tabular.export(store, "pdf")
