"""Scores by smart city pillar. The ministry scores dimensions only; Kota Cerdas also shows each
pillar's score, as the plain mean of the item scores of the items that belong to the pillar, so
that the city sees which pillar holds its index back. The grouping is the platform's reading of
the instrument (see ``pillar_of``)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Context, Decimal, localcontext

from kotacerdas.core.models import Pillar

# The six pillars of the national programme, in the programme's order. K.1-K.6 follow it.
PILLAR_ORDER = ("governance", "branding", "economy", "living", "society", "environment")

# Outcome items C.01-C.18.x, by the number after "C.": the instrument lists each pillar's
# "programme runs this year" item (C.01, C.06, C.09, C.11, C.14, C.17) followed by the
# indicators of that pillar, so a pillar runs from its programme item to the next one.
OUTCOME_PILLARS = (
    (range(1, 6), "governance"),
    (range(6, 9), "branding"),
    (range(9, 11), "economy"),
    (range(11, 14), "living"),
    (range(14, 17), "society"),
    (range(17, 19), "environment"),
)
_OUTCOME_CODE = re.compile(r"C\.(\d{2})(?:\.\d+)?")
_SURVEY_CODE = re.compile(r"S\.([a-z]+)\..+")
_COLLABORATION_CODE = re.compile(r"K\.([1-6])")

# A mean of item scores, carried as far as the scoring engine carries its means.
_MEAN_CONTEXT = Context(prec=34)


@dataclass(frozen=True)
class PillarRow:
    code: str
    name: str
    items: int
    score: Decimal | None  # None until every item of the pillar has a score


def pillar_of(code: str) -> str | None:
    """The pillar an item belongs to, for the pillar scores, or None for an item of no single
    pillar (baseline, output, the action plan items C.RA.*, the 2022 impact items, quick wins).

    This grouping is Kota Cerdas's reading of the instrument, not a formula the ministry
    publishes: the ministry scores dimensions only. Outcome items C.01-C.05 are governance,
    C.06-C.08 branding, C.09-C.10.x economy, C.11-C.13.x living, C.14-C.16.x society and
    C.17-C.18.x environment; a survey item ``S.<pillar>.*`` belongs to the pillar in its code;
    the collaboration items K.1-K.6 are one per pillar, in the pillars' order.
    """
    if match := _OUTCOME_CODE.fullmatch(code):
        number = int(match.group(1))
        return next((pillar for numbers, pillar in OUTCOME_PILLARS if number in numbers), None)
    if (match := _SURVEY_CODE.fullmatch(code)) and match.group(1) in PILLAR_ORDER:
        return match.group(1)
    if match := _COLLABORATION_CODE.fullmatch(code):
        return PILLAR_ORDER[int(match.group(1)) - 1]
    return None


def pillar_scores(codes: Sequence[str], scores: dict[str, Decimal]) -> tuple[PillarRow, ...]:
    """Each pillar's score: the plain mean of the scores of its items (see ``pillar_of``),
    once all of them are scored. A pillar without items in the instrument is left out."""
    names = {pillar.code: pillar.name for pillar in Pillar.objects.all()}
    rows = []
    for pillar in PILLAR_ORDER:
        members = [code for code in codes if pillar_of(code) == pillar]
        if not members:
            continue
        score = None
        if all(code in scores for code in members):
            with localcontext(_MEAN_CONTEXT):
                score = sum((scores[code] for code in members), Decimal(0)) / len(members)
        rows.append(PillarRow(pillar, names.get(pillar, pillar), len(members), score))
    return tuple(rows)
