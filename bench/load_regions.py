"""Benchmark: loading the 91,599 Kemendagri regions into a fresh SQLite database.

Target (foundation issue): under 15 seconds. Baseline in the same run: the plain approach the
issue rules out, one ``save()`` per row, timed on a 5,000-row sample and scaled up.

    python bench/load_regions.py [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time

os.environ["KOTACERDAS_DATA_DIR"] = tempfile.mkdtemp(prefix="kc-bench-")
os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kotacerdas.settings")
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

from kotacerdas.core.models import Region  # noqa: E402
from kotacerdas.core.reference_data import _region_rows, load_regions  # noqa: E402

SAMPLE = 5_000


def fresh_table() -> None:
    Region.objects.update(parent=None)
    Region.objects.all().delete()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    call_command("migrate", verbosity=0)

    bulk = []
    for _ in range(runs):
        fresh_table()
        start = time.perf_counter()
        total = load_regions()
        bulk.append(time.perf_counter() - start)
    reload_start = time.perf_counter()
    load_regions()
    reload = time.perf_counter() - reload_start

    one_by_one = []
    rows = _region_rows()[:SAMPLE]
    for _ in range(runs):
        fresh_table()
        start = time.perf_counter()
        with transaction.atomic():
            for row in rows:
                row.save(force_insert=True)
        one_by_one.append((time.perf_counter() - start) * total / SAMPLE)

    print(f"regions: {total:,}  runs: {runs}  database: SQLite")
    print(f"{'approach':<44} {'median s':>9}")
    print(f"{'bulk upsert into an empty table (ours)':<44} {statistics.median(bulk):>9.2f}")
    print(f"{'bulk upsert over a full table (2nd demo)':<44} {reload:>9.2f}")
    print(f"{'one save() per row (scaled from 5,000)':<44} {statistics.median(one_by_one):>9.2f}")
    print(f"ratio save()/bulk: {statistics.median(one_by_one) / statistics.median(bulk):.1f}x")


if __name__ == "__main__":
    main()
