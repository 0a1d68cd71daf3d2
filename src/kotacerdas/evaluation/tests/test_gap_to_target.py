"""The gap to a target index: what one step on each item adds, and the fewest steps that
reach the target."""

import itertools
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kotacerdas.evaluation.instruments import load_catalogue
from kotacerdas.evaluation.scoring import (
    ScoreError,
    dimension_scores,
    index_gain_per_item,
    index_score,
    smallest_improvement_set,
)

D = Decimal
# Two dimensions: "a" weighs 0.6 over 2 items (0.3 a point), "b" 0.4 over 4 items (0.1 a point).
SMALL = """\
instruments:
  small:
    dimensions:
      a: {items: {A1: one, A2: two}}
      b: {items: {B1: one, B2: two, B3: three, B4: four}}
schemes:
  small-scheme: {instrument: small, weights: {a: 0.6, b: 0.4}}
"""
# Index 0.6 * (3.5 + 2) / 2 + 0.4 * (1 + 1 + 1 + 1) / 4 = 1.65 + 0.4 = 2.05
CURRENT = {"A1": D("3.5"), "A2": D(2), "B1": D(1), "B2": D(1), "B3": D(1), "B4": D(1)}

scores = st.integers(100, 400).map(lambda hundredths: D(hundredths).scaleb(-2))
item_scores = st.fixed_dictionaries({code: scores for code in CURRENT})
targets = st.integers(0, 420).map(lambda hundredths: D(hundredths).scaleb(-2))


@pytest.fixture(scope="module")
def scheme(tmp_path_factory):
    directory = tmp_path_factory.mktemp("small")
    (directory / "small.yaml").write_text(SMALL, encoding="utf-8")
    return load_catalogue([directory], environ={}).scheme("small-scheme")


def oracle_index(scheme, item_scores):
    """The index in exact fractions, straight from the rules (independent of the code)."""
    total = Fraction(0)
    for key, weight in scheme.weights.items():
        codes = scheme.instrument.dimension(key).codes
        total += Fraction(weight) * sum(Fraction(item_scores[code]) for code in codes) / len(codes)
    return total


def apply(item_scores, plan):
    raised = dict(item_scores)
    for step in plan:
        assert step.from_score == raised[step.code]  # each step starts where the last ended
        raised[step.code] = step.to_score
    return raised


def test_each_items_gain_is_its_dimensions_weight_per_item_times_the_step(scheme):
    gains = index_gain_per_item(scheme, CURRENT)
    assert [(g.code, g.step, g.gain) for g in gains] == [
        ("A2", D(1), D("0.3")),  # 0.6 / 2 * 1
        ("A1", D("0.5"), D("0.15")),  # 0.6 / 2 * (4 - 3.5): capped at 4.00
        ("B1", D(1), D("0.1")),  # 0.4 / 4 * 1
        ("B2", D(1), D("0.1")),
        ("B3", D(1), D("0.1")),
        ("B4", D(1), D("0.1")),
    ]


def test_an_item_at_four_gains_nothing_and_comes_last(scheme):
    gains = index_gain_per_item(scheme, {**CURRENT, "A2": D(4)})
    assert (gains[-1].code, gains[-1].step, gains[-1].gain) == ("A2", D(0), D(0))


@pytest.mark.parametrize(
    ("target", "plan"),
    [
        ("2.05", []),  # already reached
        ("1.00", []),
        ("2.20", [("A2", "2", "3")]),  # 0.15 needed, one step of 0.3
        ("2.65", [("A2", "2", "3"), ("A2", "3", "4")]),  # 0.6 needed: reached exactly
        ("2.66", [("A2", "2", "3"), ("A2", "3", "4"), ("A1", "3.5", "4.00")]),  # 0.61 needed
    ],
)
def test_the_smallest_improvement_set_takes_the_largest_gains_first(scheme, target, plan):
    found = smallest_improvement_set(scheme, CURRENT, D(target))
    assert [(s.code, str(s.from_score), str(s.to_score)) for s in found] == plan


def test_every_item_at_four_is_the_most_a_plan_can_do(scheme):
    # 4.00 is reachable with every possible step (A2: 2, A1: 1, each B: 3); above it is not.
    plan = smallest_improvement_set(scheme, CURRENT, D(4))
    assert len(plan) == 2 + 1 + 4 * 3
    assert set(apply(CURRENT, plan).values()) == {D(4)}
    assert smallest_improvement_set(scheme, CURRENT, D("4.01")) is None


def test_a_region_that_did_not_take_part_has_nothing_to_raise(scheme):
    with pytest.raises(ScoreError, match="did not take part"):
        smallest_improvement_set(scheme, dict.fromkeys(CURRENT, D(0)), D(3))


@given(current=item_scores, code=st.sampled_from(sorted(CURRENT)), raise_by=scores)
def test_raising_an_item_never_lowers_the_index(scheme, current, code, raise_by):
    raised = {**current, code: min(current[code] + raise_by - 1, D(4))}
    before = index_score(scheme, dimension_scores(scheme.instrument, current))
    after = index_score(scheme, dimension_scores(scheme.instrument, raised))
    assert after >= before


@given(current=item_scores)
def test_each_gain_is_what_the_step_adds_to_the_index(scheme, current):
    gains = index_gain_per_item(scheme, current)
    assert [g.gain for g in gains] == sorted((g.gain for g in gains), reverse=True)
    for gain in gains:
        raised = {**current, gain.code: current[gain.code] + gain.step}
        assert oracle_index(scheme, raised) - oracle_index(scheme, current) == Fraction(gain.gain)


def _fewest_steps_by_brute_force(scheme, current, target):
    """Try every number of steps on every item: the true minimum (None if unreachable)."""
    options = []
    for code in CURRENT:
        score, ladder = current[code], [current[code]]
        while score < 4:
            score = min(score + 1, D(4))
            ladder.append(score)
        options.append([(count, (code, value)) for count, value in enumerate(ladder)])
    best = None
    for choice in itertools.product(*options):
        steps = sum(count for count, _ in choice)
        if best is not None and steps >= best:
            continue
        if oracle_index(scheme, dict(pair for _, pair in choice)) >= target:
            best = steps
    return best


@settings(deadline=None)
@given(current=item_scores, target=targets)
def test_the_smallest_set_reaches_the_target_and_no_smaller_set_does(scheme, current, target):
    plan = smallest_improvement_set(scheme, current, target)
    fewest = _fewest_steps_by_brute_force(scheme, current, target)
    if plan is None:
        assert fewest is None
        assert target > 4
    else:
        assert oracle_index(scheme, apply(current, plan)) >= target
        assert len(plan) == fewest
