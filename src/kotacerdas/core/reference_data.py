"""Loading the reference data shipped in ``core/reference``: regions and pillars.

Loads are bulk upserts, so running them again (a second ``kotacerdas demo``, or a new edition of
the Kemendagri table) updates rows in place and never duplicates them.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from kotacerdas.core.choices import RegionLevel
from kotacerdas.core.models import Pillar, Region

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
LEVEL_BY_PARTS = {
    1: RegionLevel.PROVINCE,
    2: RegionLevel.REGENCY,
    3: RegionLevel.DISTRICT,
    4: RegionLevel.VILLAGE,
}
BATCH_SIZE = 5000


def _read_csv(name: str) -> Iterator[dict[str, str]]:
    with open(REFERENCE_DIR / name, newline="", encoding="utf-8") as handle:
        yield from csv.DictReader(handle)


def _region_rows() -> list[Region]:
    population = {row["kode"]: row for row in _read_csv("wilayah_penduduk.csv")}
    area = {row["kode"]: Decimal(row["luas_km2"]) for row in _read_csv("wilayah_luas_km2.csv")}
    regions = []
    for row in _read_csv("wilayah.csv"):
        code = row["kode"]
        parts = code.split(".")
        people = population.get(code)
        regions.append(
            Region(
                code=code,
                name=row["nama"].strip(),
                level=LEVEL_BY_PARTS[len(parts)],
                parent_id=".".join(parts[:-1]) or None,
                population=int(people["total"]) if people else None,
                population_male=int(people["pria"]) if people else None,
                population_female=int(people["wanita"]) if people else None,
                area_km2=area.get(code),
            )
        )
    return regions


@transaction.atomic
def load_regions(progress: Callable[[int, int], None] | None = None) -> int:
    """Load (or refresh) all Kemendagri regions with their population and area.

    Rows are upserted in batches, parents before children; ``progress(done, total)`` is called
    after each batch. Returns the number of regions in the table.
    """
    rows = _region_rows()
    total = len(rows)
    update_fields = [
        "name",
        "level",
        "parent",
        "population",
        "population_male",
        "population_female",
        "area_km2",
    ]
    for start in range(0, total, BATCH_SIZE):
        Region.objects.bulk_create(
            rows[start : start + BATCH_SIZE],
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=update_fields,
        )
        if progress:
            progress(min(start + BATCH_SIZE, total), total)
    return total


@transaction.atomic
def load_pillars() -> int:
    """Load (or refresh) the six smart city pillars."""
    entries = json.loads((REFERENCE_DIR / "pillars.json").read_text(encoding="utf-8"))
    for order, entry in enumerate(entries, start=1):
        code = entry.pop("code")
        Pillar.objects.update_or_create(code=code, defaults={**entry, "order": order})
    return len(entries)
