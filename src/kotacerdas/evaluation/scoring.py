"""The evaluation's arithmetic: dimension scores, the index, and what it takes to reach a
target index.

The rules are the ministry's, as verified against its published 2022 results:

- every item is scored 1.00-4.00 (survey items are means of the respondents' answers);
- a dimension score is the plain mean of its item scores;
- the index ("Indeks Pencapaian") is the weighted sum of the dimension scores under a scheme,
  whose weights sum to 1, so the index is on the same 1-4 scale;
- a region that did not take part gets 0 for every dimension, hence an index of 0. Zero is
  allowed only for that: a single 0 among real scores is a data-entry mistake.

Everything is computed with Decimal: only a mean's division can be inexact, and it is carried
to 34 significant digits. Rounding to what is shown happens once, at the end (``round_score``),
and there the engine follows the ministry's own arithmetic. The ministry computes in
spreadsheets, that is in binary floating point, where an exact decimal tie is usually a hair
off: Kota Kediri 2022 is exactly 3.315 from its published dimension scores, which a spreadsheet
holds as 3.31499... and publishes as 3.31. Rounding exact decimals half up would print 3.32.
So a score is rounded as the nearest binary double, half up; away from exact ties the two
rules agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal, localcontext
from fractions import Fraction

from kotacerdas.evaluation.instruments import Instrument, Scheme

MIN_SCORE = Decimal("1.00")
MAX_SCORE = Decimal("4.00")
DID_NOT_TAKE_PART = Decimal(0)
STEP = Decimal(1)  # one improvement step raises an item by one point, up to MAX_SCORE

# IEEE decimal128 precision, independent of whatever context the caller has set.
_CONTEXT = Context(prec=34, rounding=ROUND_HALF_EVEN)


class ScoreError(ValueError):
    """Scores that break the evaluation's rules: missing or unknown items or dimensions, a
    score outside 1.00-4.00, or a 0 in a region that did take part. ``key`` is the item code or
    dimension at fault, when there is one, and ``problem`` the message without it."""

    def __init__(self, problem: str, key: str | None = None, what: str = "score") -> None:
        super().__init__(f"{what} {key}: {problem}" if key is not None else problem)
        self.problem = problem
        self.key = key


def took_part(scores: Mapping[str, Decimal], what: str = "score") -> bool:
    """Check a region's item or dimension scores and tell whether it took part.

    Every score must be 1.00-4.00, or every score 0 (the region did not take part, the only
    meaning 0 has). ``what`` names the scores in the error, e.g. "item" or "dimension".
    """
    for key, value in scores.items():
        if isinstance(value, bool) or not isinstance(value, Decimal | int):
            raise TypeError(f"{what} {key}: scores are Decimals, got {value!r}")
        if isinstance(value, Decimal) and not value.is_finite():
            raise ScoreError(f"{value} is not a score", key, what)
    if scores and all(value == 0 for value in scores.values()):
        return False
    for key, value in scores.items():
        if value == 0:
            raise ScoreError(
                f"0 is allowed only when every {what} of the region is 0 (it did not take part)",
                key,
                what,
            )
        if not is_score(value):
            raise ScoreError(f"{value} is outside {MIN_SCORE}-{MAX_SCORE}", key, what)
    return True


def is_score(value: Decimal) -> bool:
    """Whether ``value`` is a score a participating region can have: 1.00-4.00."""
    return MIN_SCORE <= value <= MAX_SCORE


def _check_keys(given: Mapping[str, object], expected: tuple[str, ...], what: str) -> None:
    unknown = [key for key in given if key not in expected]
    missing = [key for key in expected if key not in given]
    if unknown:
        raise ScoreError(f"unknown {what}(s): {', '.join(map(str, unknown))}")
    if missing:
        raise ScoreError(f"missing {what}(s): {', '.join(missing)}")


def dimension_scores(
    instrument: Instrument, item_scores: Mapping[str, Decimal]
) -> dict[str, Decimal]:
    """Each dimension's score: the plain mean of its items' scores, unrounded.

    ``item_scores`` maps every item code of ``instrument`` (and nothing else) to its score. A
    region whose every item is 0 did not take part and gets 0 for every dimension.
    """
    _check_keys(item_scores, tuple(item.code for item in instrument.items), "item")
    participated = took_part(item_scores, "item")
    with localcontext(_CONTEXT):
        return {
            dimension.key: (
                sum((Decimal(item_scores[code]) for code in dimension.codes), Decimal(0))
                / len(dimension.items)
                if participated
                else DID_NOT_TAKE_PART
            )
            for dimension in instrument.dimensions
        }


def index_score(scheme: Scheme, dimension_scores: Mapping[str, Decimal]) -> Decimal:
    """The index: the weighted sum of the dimension scores under ``scheme``, unrounded.

    ``dimension_scores`` has exactly the scheme's dimensions, each 1.00-4.00, or all 0 for a
    region that did not take part (whose index is then 0).
    """
    _check_keys(dimension_scores, scheme.dimensions, "dimension")
    took_part(dimension_scores, "dimension")
    with localcontext(_CONTEXT):
        return sum(
            (weight * Decimal(dimension_scores[key]) for key, weight in scheme.weights.items()),
            Decimal(0),
        )


def round_score(value: Decimal, decimals: int = 3) -> Decimal:
    """``value`` with ``decimals`` places, as the ministry's spreadsheets round it: the nearest
    binary double, then half up (3.3146 -> 3.315 at three; the exact tie 3.315 -> 3.31 at two,
    because the double nearest to 3.315 is 3.31499...)."""
    if decimals < 0:
        raise ValueError("decimals must be 0 or more")
    as_spreadsheet = Decimal(float(value))
    return as_spreadsheet.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


# --- Gap to a target index -------------------------------------------------------------------
#
# The index is linear in the item scores: raising item i of dimension d by x points raises the
# index by weight(d) / items(d) * x, whatever the other scores are. The planning helpers below
# work on that, with exact fractions, so that "reaches the target" is never decided by a
# rounding in the last digit.


@dataclass(frozen=True)
class ItemGain:
    """What raising one item by one step (one point, at most to 4.00) adds to the index."""

    code: str
    dimension: str
    score: Decimal
    step: Decimal  # min(1, 4.00 - score): 0 for an item already at 4.00
    gain: Decimal  # weight(dimension) / items(dimension) * step


@dataclass(frozen=True)
class Improvement:
    """One step of a plan: raise ``code`` from ``from_score`` to ``to_score``."""

    code: str
    dimension: str
    from_score: Decimal
    to_score: Decimal
    gain: Decimal


def _as_decimal(value: Fraction) -> Decimal:
    with localcontext(_CONTEXT):
        return Decimal(value.numerator) / Decimal(value.denominator)


def _per_point(scheme: Scheme) -> dict[str, Fraction]:
    """The index gain of one point on one item, by dimension: weight / number of items."""
    instrument = scheme.instrument
    return {
        key: Fraction(weight) / len(instrument.dimension(key).items)
        for key, weight in scheme.weights.items()
    }


def _participating_scores(scheme: Scheme, item_scores: Mapping[str, Decimal]) -> None:
    dimension_scores(scheme.instrument, item_scores)  # checks codes and ranges
    if not took_part(item_scores, "item"):
        raise ScoreError("a region that did not take part has no item scores to raise")


def exact_index(scheme: Scheme, item_scores: Mapping[str, Decimal]) -> Fraction:
    """The index of these item scores as an exact fraction (for comparing with a target)."""
    _check_keys(item_scores, tuple(item.code for item in scheme.instrument.items), "item")
    per_point = _per_point(scheme)
    return sum(
        (
            per_point[item.dimension] * Fraction(item_scores[item.code])
            for item in scheme.instrument.items
        ),
        Fraction(0),
    )


def index_gain_per_item(scheme: Scheme, item_scores: Mapping[str, Decimal]) -> list[ItemGain]:
    """For every item, the index gain of raising it by one step, largest gain first.

    A step is one point, capped at 4.00, so the gain is
    ``weight(dimension) / items(dimension) * min(1, 4.00 - score)``: an item in a heavy, short
    dimension gains most; an item at 4.00 gains nothing and comes last. Ties keep the
    instrument's order of items.
    """
    _participating_scores(scheme, item_scores)
    per_point = _per_point(scheme)
    gains = []
    for item in scheme.instrument.items:
        score = Decimal(item_scores[item.code])
        step = min(STEP, MAX_SCORE - score)
        gain = per_point[item.dimension] * Fraction(step)
        gains.append((gain, ItemGain(item.code, item.dimension, score, step, _as_decimal(gain))))
    gains.sort(key=lambda pair: -pair[0])  # sort is stable: ties stay in instrument order
    return [item_gain for _, item_gain in gains]


def smallest_improvement_set(
    scheme: Scheme, item_scores: Mapping[str, Decimal], target: Decimal
) -> list[Improvement] | None:
    """The fewest single-step improvements that lift the index to ``target`` or above.

    A step raises one item by one point (the last step of an item may be smaller, to reach
    4.00); an item may take several steps, each listed, in order. Returns ``[]`` when the index
    already reaches the target and None when even every item at 4.00 would not.

    The plan takes steps greedily, largest gain first, and that is optimal. Proof: the index
    is linear in the item scores, so a step's gain is ``weight / items * size`` whatever else
    is raised, and a set of steps gains the sum of its steps' gains. List every possible step
    by gain, largest first, g1 >= g2 >= ...; any k steps gain at most g1 + ... + gk. Taking
    the first k of that list is a valid plan: an item's steps are full points except possibly
    its last, so its earlier steps never gain less than its later ones and (ties broken by
    step order) come first. Greedy thus gains the most possible with k steps for every k, so
    when its first k steps are the first to reach the target, no k - 1 steps can.
    """
    _participating_scores(scheme, item_scores)
    needed = Fraction(Decimal(target)) - exact_index(scheme, item_scores)
    if needed <= 0:
        return []
    per_point = _per_point(scheme)
    steps: list[tuple[Fraction, int, int, Improvement]] = []
    for order, item in enumerate(scheme.instrument.items):
        score = Decimal(item_scores[item.code])
        number = 0
        while score < MAX_SCORE:
            raised = min(score + STEP, MAX_SCORE)
            gain = per_point[item.dimension] * Fraction(raised - score)
            improvement = Improvement(item.code, item.dimension, score, raised, _as_decimal(gain))
            steps.append((gain, order, number, improvement))
            score, number = raised, number + 1
    steps.sort(key=lambda step: (-step[0], step[1], step[2]))
    plan: list[Improvement] = []
    gained = Fraction(0)
    for gain, _, _, improvement in steps:
        plan.append(improvement)
        gained += gain
        if gained >= needed:
            return plan
    return None
