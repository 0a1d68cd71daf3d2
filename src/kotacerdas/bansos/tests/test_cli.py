"""``kotacerdas bansos``: synthetic data, the linkage of files, imports and the linkage of the
registry from the command line, never printing a NIK."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kotacerdas.bansos.choices import Relationship
from kotacerdas.bansos.models import DtksRecord, Household, LinkRun, Person

OUTPUT_COLUMNS = ["id_dtks", "nik_match", "match_probability", "method", "flags"]


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("bansos", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synth")
    out, _err = run("synth", "--people", "600", "--out", str(folder), "--seed", "7")
    assert "600 people" in out
    return folder


def niks_in(folder) -> set[str]:
    with open(folder / "dukcapil.csv", newline="", encoding="utf-8") as handle:
        return {row["nik"] for row in csv.DictReader(handle)}


def test_link_writes_one_row_per_dtks_row_and_prints_no_nik(synthetic, tmp_path):
    links = tmp_path / "links.csv"
    out, err = run(
        "link",
        "--dtks", str(synthetic / "dtks.csv"),
        "--dukcapil", str(synthetic / "dukcapil.csv"),
        "--exclusions", str(synthetic / "exclusions.csv"),
        "--out", str(links),
    )  # fmt: skip
    with open(links, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
    with open(synthetic / "dtks.csv", newline="", encoding="utf-8") as handle:
        dtks_ids = [row["id_dtks"] for row in csv.DictReader(handle)]
    assert reader.fieldnames == OUTPUT_COLUMNS
    assert [row["id_dtks"] for row in rows] == dtks_ids
    assert {row["method"] for row in rows} <= {"nik_exact", "probabilistic", "none"}
    assert any(row["method"] == "nik_exact" for row in rows)
    printed = out + err
    assert "nik_exact" in printed
    assert not any(nik in printed for nik in niks_in(synthetic))


def test_link_names_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        run("link", "--dtks", str(tmp_path / "x.csv"), "--dukcapil", str(tmp_path / "y.csv"),
            "--out", str(tmp_path / "z.csv"))  # fmt: skip


@pytest.mark.django_db
def test_imports_then_link_registry(synthetic, kediri, programmes, tmp_path):
    out, err = run("import", "dukcapil", str(synthetic / "dukcapil.csv"))
    assert "600 rows: 600 new" in out and err == ""
    assert Person.objects.count() == 600
    # The synthetic extract says who heads each family card, as SIAK's does.
    heads = Person.objects.filter(relationship=Relationship.HEAD)
    assert heads.count() == Household.objects.count()
    assert heads.values("household").distinct().count() == Household.objects.count()
    run("import", "dtks", str(synthetic / "dtks.csv"))
    run("import", "exclusions", str(synthetic / "exclusions.csv"))

    out, _err = run("link-registry")

    summary = LinkRun.objects.get().summary
    assert f"{summary['linked']:,} of {summary['rows']:,} DTKS rows linked" in out
    assert summary["rows"] == DtksRecord.objects.count() > 0
    assert DtksRecord.objects.filter(person__isnull=False).count() == summary["linked"]
    assert not any(nik in out for nik in niks_in(synthetic))


@pytest.mark.django_db
def test_an_import_reports_bad_rows_on_stderr_with_a_mapping(kediri, tmp_path):
    path = tmp_path / "asn.csv"
    path.write_text("NIK PEGAWAI,JENIS\n3571011204800001,PNS\n123,TNI\n", encoding="utf-8")
    out, err = run("import", "exclusions", str(path), "--map", "nik=NIK Pegawai")
    assert "2 rows: 1 new" in out and "1 refused" in out
    assert "row 3, nik: error:" in err
    with pytest.raises(CommandError, match="COLUMN=HEADER"):
        run("import", "exclusions", str(path), "--map", "nik")
