"""The indices the ministry has published: seeded for Kota Kediri, added by administrators for
later years (Django admin)."""

from __future__ import annotations

from decimal import Decimal

from kotacerdas.core.models import Region
from kotacerdas.evaluation.models import PublishedScore

KEDIRI_HISTORY = {
    2020: (Decimal("2.870"), ""),
    2021: (Decimal("3.060"), ""),
    2022: (Decimal("3.310"), "kominfo-2022-gmsc"),
    2023: (Decimal("3.197"), ""),
}
SOURCE = "Kominfo, published evaluation results"


def seed_published_history(region: Region) -> int:
    """Record Kota Kediri's published indices (2020-2023) once; other regions add their own."""
    if region.code != "35.71":
        return 0
    created = 0
    for year, (index, scheme_id) in KEDIRI_HISTORY.items():
        _, new = PublishedScore.objects.get_or_create(
            region=region,
            year=year,
            defaults={"index": index, "scheme_id": scheme_id, "source": SOURCE},
        )
        created += new
    return created
