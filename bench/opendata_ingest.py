"""Benchmark: validating and storing a 1,000,000-row CSV against its Table Schema (Satu Data).

The file has 12 columns: an integer primary key, a Kemendagri region code of Kota Kediri
(``"region": true``: the city, its 3 kecamatan and 46 kelurahan, read from the reference
file), a year, a date, numbers with minimum and maximum, an enum, a text with a pattern, a
boolean and free text; every row is valid, so every check runs over every row and the store is
written.

Targets (Satu Data issue): ``tabular.ingest`` under 20 s and at least 10x faster than
``frictionless validate`` on the same file and schema (which only validates, and ignores our
``region`` property); a datastore search (a filter and a sort on the 1M-row store) with a p95
under 100 ms. ``ingest`` is timed 3 times (median); the frictionless CLI, at about half a
minute, once by default.

    python bench/opendata_ingest.py [--rows 1000000] [--runs 3] [--searches 200]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DATA_DIR = tempfile.mkdtemp(prefix="kc-bench-")
os.environ["KOTACERDAS_DATA_DIR"] = DATA_DIR  # never the real data directory
os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kotacerdas.settings")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import django  # noqa: E402

django.setup()  # messages of the validation report go through gettext

from kotacerdas.opendata import tabular  # noqa: E402

WILAYAH = ROOT / "src" / "kotacerdas" / "core" / "reference" / "wilayah.csv"
KEDIRI = "35.71"
FRICTIONLESS = Path(sys.executable).parent / "frictionless"

SCHEMA = {
    "fields": [
        {"name": "id", "type": "integer", "constraints": {"minimum": 1}},
        {
            "name": "kode_wilayah",
            "type": "string",
            "region": True,
            "constraints": {"required": True},
        },
        {"name": "tahun", "type": "year", "constraints": {"minimum": 2015, "maximum": 2025}},
        {"name": "tanggal", "type": "date", "constraints": {"minimum": "2015-01-01"}},
        {"name": "penduduk", "type": "integer", "constraints": {"minimum": 0}},
        {"name": "luas_ha", "type": "number", "constraints": {"minimum": 0, "maximum": 100000}},
        {"name": "persen_miskin", "type": "number", "constraints": {"minimum": 0, "maximum": 100}},
        {"name": "anggaran", "type": "number", "constraints": {"minimum": 0}},
        {
            "name": "status",
            "type": "string",
            "constraints": {"required": True, "enum": ["baik", "sedang", "rusak"]},
        },
        {"name": "kode_aset", "type": "string", "constraints": {"pattern": "[A-Z]{3}-[0-9]{6}"}},
        {"name": "aktif", "type": "boolean"},
        {"name": "keterangan", "type": "string", "constraints": {"maxLength": 200}},
    ],
    "primaryKey": ["id"],
}

WORDS = (
    "jalan",
    "lingkungan",
    "saluran",
    "drainase",
    "posyandu",
    "sekolah",
    "pasar",
    "taman",
    "penerangan",
    "jembatan",
    "gorong-gorong",
    "puskesmas",
    "balai",
    "warga",
    "rehabilitasi",
)


def kediri_codes() -> list[str]:
    """Kota Kediri and its kecamatan and kelurahan, from the Kemendagri reference file."""
    with open(WILAYAH, encoding="utf-8", newline="") as handle:
        return [
            row["kode"]
            for row in csv.DictReader(handle)
            if row["kode"] == KEDIRI or row["kode"].startswith(KEDIRI + ".")
        ]


def generate(path: Path, rows: int, codes: list[str]) -> None:
    rng = random.Random(2024)
    start = dt.date(2015, 1, 1)
    statuses = ("baik", "sedang", "rusak")
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(",".join(field["name"] for field in SCHEMA["fields"]) + "\n")
        batch = []
        for number in range(1, rows + 1):
            day = start + dt.timedelta(days=rng.randrange(3650))
            batch.append(
                f"{number},{rng.choice(codes)},{day.year},{day.isoformat()},"
                f"{rng.randrange(200, 60000)},{rng.uniform(1, 5000):.2f},"
                f"{rng.uniform(0, 30):.2f},{rng.randrange(0, 5_000_000_000)},"
                f"{rng.choice(statuses)},"
                f"{''.join(rng.choices('ABCDEFGHIJKLMNOPQRSTUVWXYZ', k=3))}-"
                f"{rng.randrange(1_000_000):06d},{'true' if rng.random() < 0.7 else 'false'},"
                f'"{" ".join(rng.choices(WORDS, k=rng.randrange(2, 7)))}, '
                f'RT {rng.randrange(1, 20)}"\n'
            )
            if len(batch) == 50_000:
                handle.writelines(batch)
                batch = []
        handle.writelines(batch)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--searches", type=int, default=200)
    parser.add_argument("--frictionless-runs", type=int, default=1)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="kc-bench-opendata-"))
    try:
        codes = kediri_codes()
        data, schema, store = workdir / "data.csv", workdir / "schema.json", workdir / "v1.duckdb"
        started = time.perf_counter()
        generate(data, args.rows, codes)
        schema.write_text(json.dumps(SCHEMA, indent=2), encoding="utf-8")
        generation = time.perf_counter() - started

        known = set(codes)
        ingests = []
        for _ in range(args.runs):
            store.unlink(missing_ok=True)
            started = time.perf_counter()
            report = tabular.ingest(data, "csv", SCHEMA, store, lambda values: known & set(values))
            ingests.append(time.perf_counter() - started)
            if not report.valid:
                raise SystemExit(f"the generated file should be valid: {report.problems[:5]}")

        frictionless = []
        for _ in range(args.frictionless_runs):
            started = time.perf_counter()
            # Relative paths: frictionless refuses absolute ones as "not safe".
            outcome = subprocess.run(
                [str(FRICTIONLESS), "validate", "--schema", schema.name, data.name],
                cwd=workdir,
                capture_output=True,
                text=True,
                check=False,
            )
            frictionless.append(time.perf_counter() - started)
            if outcome.returncode != 0:
                print(outcome.stdout[-2000:], outcome.stderr[-2000:])
                raise SystemExit("frictionless found the generated file invalid")

        # The store keeps the file's order: row n has _id n.
        middle = args.rows // 2 + 1
        if tabular.search(store, filters={"id": middle}, fields=["_id"]).records != [
            {"_id": middle}
        ]:
            raise SystemExit("the store lost the file's order")

        rng = random.Random(7)
        searches = []
        for _ in range(args.searches):
            started = time.perf_counter()
            result = tabular.search(
                store,
                filters={"kode_wilayah": rng.choice(codes)},
                sort="persen_miskin desc, tanggal asc",
                limit=100,
            )
            searches.append((time.perf_counter() - started) * 1000)
            if not result.records:
                raise SystemExit("the search found nothing")
        size = data.stat().st_size / 1_048_576
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        shutil.rmtree(DATA_DIR, ignore_errors=True)

    ours = statistics.median(ingests)
    print(
        f"rows: {args.rows:,}  columns: {len(SCHEMA['fields'])}  file: {size:.0f} MB  "
        f"region codes: {len(codes)}  (file generated in {generation:.1f} s)"
    )
    print(f"{'step':<56} {'runs':>4} {'median':>10}")
    print(
        f"{'tabular.ingest: validate every row + write the store':<56} {args.runs:>4} {ours:>9.2f}s"
    )
    if frictionless:
        theirs = statistics.median(frictionless)
        print(
            f"{'frictionless validate (CLI, validation only)':<56} {len(frictionless):>4} "
            f"{theirs:>9.2f}s"
        )
        print(f"ratio frictionless/ingest: {theirs / ours:.1f}x  (target >= 10x)")
    print(f"ingest target: < 20 s ({'met' if ours < 20 else 'MISSED'})")
    p95 = percentile(searches, 0.95)
    print(
        f"search (a filter, a sort on 2 fields, 100 rows) x{args.searches}: "
        f"p50 {percentile(searches, 0.5):.1f} ms, p95 {p95:.1f} ms (target p95 < 100 ms)"
    )


if __name__ == "__main__":
    main()
