"""Test data shared by the evaluation tests: Kota Kediri's published 2022 figures and a
builder of item-score CSV files."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal

from kotacerdas.evaluation.instruments import Instrument, Item

# Published by Kominfo for Kota Kediri, 2022 evaluation, scheme kominfo-2022-gmsc.
KEDIRI_2022 = {
    "baseline": Decimal("3.60"),
    "output": Decimal("3.21"),
    "outcome": Decimal("3.23"),
    "impact": Decimal("3.07"),
    "quick_win": Decimal("3.65"),
}
PUBLISHED_KEDIRI_2022 = Decimal("3.31")


def item_csv(
    instrument: Instrument,
    score: Callable[[Item], str],
    region: str | None = None,
    header: bool = True,
    skip: Iterable[str] = (),
) -> str:
    """An item-score CSV with every item of ``instrument`` (except ``skip``), scored by
    ``score(item)``; with a ``region`` column when ``region`` is given."""
    lines = [("region," if region else "") + "dimension,item,score"] if header else []
    for item in instrument.items:
        if item.code not in skip:
            prefix = f"{region}," if region else ""
            lines.append(f"{prefix}{item.dimension},{item.code},{score(item)}")
    return "\n".join(lines) + "\n"


# The published dimension scores are rounded to two decimals, so each is within 0.005 of the
# score behind it; the weights sum to 1, so an index computed from them is within 0.005 of the
# index computed from the unrounded scores.
PUBLISHED_ROUNDING = Decimal("0.005")

KEDIRI_CSV = (
    "region," + ",".join(KEDIRI_2022) + "\n"
    "Kota Kediri," + ",".join(str(score) for score in KEDIRI_2022.values()) + "\n"
)
