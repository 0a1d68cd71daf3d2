"""Benchmark: importing a 300,000-row civil-registry extract into the bansos registry.

Target (bansos issue): 300,000 civil-registry rows import in under 60 seconds on this machine.

    python bench/bansos_import.py [--people 300000] [--runs 3] [--database postgres|sqlite]

What it does: writes a synthetic Kota Kediri civil registry with ``bansos.synth`` (invented
people; families with KK numbers, NIKs consistent with birth date and sex), then, on a fresh
database (PostgreSQL ``kotacerdas_bench_import`` on 127.0.0.1:5432, or SQLite in a temporary
directory), imports it with ``bansos.imports.import_civil_registry`` exactly as
``kotacerdas bansos import dukcapil`` does: every row checked (NIK, KK, dates, sex, kelurahan
code), NIK, KK and address encrypted, blind indexes computed, households and people written in
one transaction. Each run starts from empty registry tables; the same file is then imported a
second time (the idempotent path: every row found unchanged). The baselines in the same run are
the floor of any import: reading the CSV with Python's csv module, and (PostgreSQL) loading the
raw file with COPY into an unlogged text table with no checks at all. The table shows medians.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = tempfile.mkdtemp(prefix="kc-bench-import-")
SERVER_URL = "postgres://postgres@127.0.0.1:5432"
DB_NAME = "kotacerdas_bench_import"


def _configure(database: str) -> None:
    os.environ["KOTACERDAS_DATA_DIR"] = DATA_DIR  # never the real data directory
    os.environ["LOG_LEVEL"] = "WARNING"
    if database == "postgres":
        os.environ["DATABASE_URL"] = f"{SERVER_URL}/{DB_NAME}"
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kotacerdas.settings")
    sys.path.insert(0, str(ROOT / "src"))


def _recreate_postgres() -> None:
    import psycopg

    with psycopg.connect(f"{SERVER_URL}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB_NAME}")


def _timed(action) -> tuple[float, object]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def _read_csv(path: Path) -> int:
    with open(path, newline="", encoding="utf-8") as handle:
        return sum(1 for _row in csv.reader(handle)) - 1


def _copy_raw(path: Path) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_raw")
        columns = ", ".join(f"c{i} text" for i in range(12))
        cursor.execute(f"CREATE UNLOGGED TABLE bench_raw ({columns})")
        with (
            open(path, "rb") as handle,
            cursor.copy("COPY bench_raw FROM STDIN WITH (FORMAT csv, HEADER true)") as copy,
        ):
            while data := handle.read(1 << 20):
                copy.write(data)
        cursor.execute("SELECT count(*) FROM bench_raw")
        count = cursor.fetchone()[0]
        cursor.execute("DROP TABLE bench_raw")
    return count


def _empty_registry() -> None:
    from auditlog.models import LogEntry

    from kotacerdas.bansos.models import Household, ImportRun, Person

    LogEntry.objects.filter(content_type__app_label="bansos").delete()
    Person.objects.all().delete()
    Household.objects.all().delete()
    ImportRun.objects.all().delete()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=300_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    args = parser.parse_args()

    _configure(args.database)
    if args.database == "postgres":
        _recreate_postgres()
    import django

    django.setup()
    from django.core.management import call_command

    from kotacerdas.bansos import synth
    from kotacerdas.bansos.imports import import_civil_registry
    from kotacerdas.core.reference_data import load_regions

    call_command("migrate", verbosity=0)
    load_regions()
    folder = Path(tempfile.mkdtemp(prefix="kc-bench-synth-"))
    try:
        seconds, written = _timed(lambda: synth.generate(args.people, folder, seed=1))
        print(
            f"synthetic registry: {written.people:,} people, {written.families:,} families "
            f"({seconds:.1f} s), {written.dukcapil.stat().st_size / 1e6:.0f} MB"
        )
        times: dict[str, list[float]] = {"read": [], "copy": [], "import": [], "again": []}
        for run in range(1, args.runs + 1):
            _empty_registry()
            times["read"].append(_timed(lambda: _read_csv(written.dukcapil))[0])
            if args.database == "postgres":
                times["copy"].append(_timed(lambda: _copy_raw(written.dukcapil))[0])
            first_s, first = _timed(lambda: import_civil_registry(written.dukcapil))
            again_s, again = _timed(lambda: import_civil_registry(written.dukcapil))
            if first.created != written.people or first.rejected:
                raise SystemExit(
                    f"run {run}: import created {first.created:,} and refused "
                    f"{first.rejected:,}; expected {written.people:,} and 0"
                )
            if again.unchanged != written.people:
                raise SystemExit(f"run {run}: re-import left {again.unchanged:,} unchanged")
            times["import"].append(first_s)
            times["again"].append(again_s)
            print(f"run {run}: import {first_s:.1f} s, again {again_s:.1f} s")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(DATA_DIR, ignore_errors=True)

    people = args.people
    rows = [
        ("csv module read (floor)", times["read"]),
        ("PostgreSQL COPY, no checks (floor)", times["copy"]),
        ("import_civil_registry, empty registry", times["import"]),
        ("import_civil_registry, same file again", times["again"]),
    ]
    print()
    print(f"{args.database}, {people:,} rows, median of {args.runs} runs")
    print(f"{'work':40} {'median s':>9} {'rows/s':>10}")
    for label, values in rows:
        if values:
            median = statistics.median(values)
            print(f"{label:40} {median:9.1f} {people / median:10,.0f}")
    verdict = "PASS" if statistics.median(times["import"]) < 60 else "FAIL"
    print(f"target: import under 60 s: {verdict}")


if __name__ == "__main__":
    main()
