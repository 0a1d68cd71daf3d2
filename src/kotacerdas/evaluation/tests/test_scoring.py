"""Dimension scores and the index, as pure functions (what the web UI will call)."""

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kotacerdas.evaluation.scoring import (
    ScoreError,
    dimension_scores,
    index_score,
    round_score,
)

from .helpers import KEDIRI_2022, PUBLISHED_KEDIRI_2022, PUBLISHED_ROUNDING

D = Decimal
scores = st.integers(100, 400).map(lambda hundredths: D(hundredths).scaleb(-2))


def all_items(instrument, score, **exceptions):
    """Every item of ``instrument`` at ``score``, except (or in addition) ``exceptions``."""
    return {**{item.code: D(score) for item in instrument.items}, **exceptions}


def test_kediri_2022_published_dimension_scores_reproduce_its_published_index(catalogue):
    # Given Kota Kediri's published 2022 dimension scores, under scheme kominfo-2022-gmsc
    index = index_score(catalogue.scheme("kominfo-2022-gmsc"), KEDIRI_2022)
    # Then the index is their weighted sum, 0.1*3.60 + 0.2*3.21 + 0.3*3.23 + 0.2*3.07 + 0.2*3.65
    assert index == D("0.360") + D("0.642") + D("0.969") + D("0.614") + D("0.730")
    # and it is the published 3.31 up to the rounding of the published dimension scores
    assert abs(index - PUBLISHED_KEDIRI_2022) <= PUBLISHED_ROUNDING
    # while the other 2022 scheme's weights do not reproduce it
    other = index_score(catalogue.scheme("kominfo-2022-kppn-ikn"), KEDIRI_2022)
    assert abs(other - PUBLISHED_KEDIRI_2022) > PUBLISHED_ROUNDING


def test_kediri_2022_prints_the_published_3_31_at_two_decimals(catalogue):
    # The rounded published scores give exactly 3.315, a tie at two decimals. The ministry's
    # spreadsheets hold it as the double 3.31499... and publish 3.31; so does the engine.
    index = index_score(catalogue.scheme("kominfo-2022-gmsc"), KEDIRI_2022)
    assert index == D("3.315")
    assert round_score(index, 2) == PUBLISHED_KEDIRI_2022
    assert round_score(index, 3) == D("3.315")
    # Unrounded scores that round to the published ones give the published index, e.g.:
    unrounded = {**KEDIRI_2022, "impact": D("3.066")}
    assert round_score(unrounded["impact"], 2) == KEDIRI_2022["impact"]
    assert round_score(index_score(catalogue.scheme("kominfo-2022-gmsc"), unrounded), 2) == (
        PUBLISHED_KEDIRI_2022
    )


def test_a_dimension_score_is_the_plain_mean_of_its_items(catalogue):
    # Given the 2022 instrument with every item 3 except B.1.1 = 4 and I22.1 = 1
    instrument = catalogue.instruments["kominfo-2022"]
    items = all_items(instrument, 3, **{"B.1.1": D(4), "I22.1": D(1)})
    # When scored
    means = dimension_scores(instrument, items)
    # Then baseline = (4 + 3*4) / 5 and impact = (1 + 3*3) / 4; the rest stay 3
    assert means == {
        "baseline": D("3.2"),
        "output": D(3),
        "outcome": D(3),
        "impact": D("2.5"),
        "quick_win": D(3),
    }
    # and the gmsc index is 0.1*3.2 + 0.2*3 + 0.3*3 + 0.2*2.5 + 0.2*3 = 2.92
    assert index_score(catalogue.scheme("kominfo-2022-gmsc"), means) == D("2.92")


def test_a_mean_that_does_not_terminate_is_not_rounded_early(catalogue):
    # Given the 2023 survey (54 items) with one item at 1 and the rest at 3: 160/54 = 2.96296...
    instrument = catalogue.instruments["kominfo-2023"]
    items = all_items(instrument, 3, **{"S.environment.sampah_limbah.3": D(1)})
    impact = dimension_scores(instrument, items)["impact"]
    assert abs(impact * 54 - 160) < D("1e-30")
    assert round_score(impact, 3) == D("2.963")


def test_a_region_that_did_not_take_part_scores_zero_everywhere(catalogue):
    instrument = catalogue.instruments["kominfo-2023"]
    means = dimension_scores(instrument, all_items(instrument, 0))
    assert set(means.values()) == {D(0)} and len(means) == 6
    assert index_score(catalogue.scheme("kominfo-2023-kppn-ikn"), means) == 0


@pytest.mark.parametrize(
    ("exceptions", "problem"),
    [
        ({"Q.01": D(0)}, "item Q.01: 0 is allowed only when every item of the region is 0"),
        ({"Q.01": D("0.99")}, "item Q.01: 0.99 is outside 1.00-4.00"),
        ({"O.2.1": D("4.01")}, "item O.2.1: 4.01 is outside 1.00-4.00"),
        ({"C.08": D(3)}, "unknown item(s): C.08"),
    ],
)
def test_item_scores_that_break_the_rules_are_refused(catalogue, exceptions, problem):
    instrument = catalogue.instruments["kominfo-2022"]
    with pytest.raises(ScoreError, match=re.escape(problem)):
        dimension_scores(instrument, all_items(instrument, 3, **exceptions))


def test_every_item_is_needed_and_floats_are_refused(catalogue):
    instrument = catalogue.instruments["kominfo-2022"]
    items = all_items(instrument, 3)
    del items["Q.05"]
    with pytest.raises(ScoreError, match=re.escape("missing item(s): Q.05")):
        dimension_scores(instrument, items)
    with pytest.raises(TypeError, match="Decimals"):
        dimension_scores(instrument, {**all_items(instrument, 3), "Q.05": 3.5})


def test_the_index_needs_exactly_the_schemes_dimensions(catalogue):
    scheme = catalogue.scheme("kominfo-2023-kppn-ikn")
    with pytest.raises(ScoreError, match=re.escape("missing dimension(s): collaboration")):
        index_score(scheme, KEDIRI_2022)
    with pytest.raises(ScoreError, match=re.escape("unknown dimension(s): collaboration")):
        index_score(catalogue.scheme("kominfo-2022-gmsc"), {**KEDIRI_2022, "collaboration": 3})


@pytest.mark.parametrize(
    ("value", "decimals", "shown"),
    [
        ("2.0006", 3, "2.001"),
        ("2.00049", 3, "2.000"),
        ("3.315", 2, "3.31"),  # the double nearest 3.315 is 3.31499...
        ("3.325", 2, "3.33"),  # the double nearest 3.325 is 3.32500...1
        ("3.5", 0, "4"),  # exact in binary: half up
    ],
)
def test_rounding_follows_the_spreadsheets_binary_doubles(value, decimals, shown):
    assert str(round_score(D(value), decimals)) == shown


@given(st.lists(scores, min_size=5, max_size=5))
def test_the_index_lies_between_the_lowest_and_highest_dimension_score(catalogue, values):
    # The weights are positive and sum to 1, so the index is a weighted average.
    scheme = catalogue.scheme("kominfo-2022-gmsc")
    index = index_score(scheme, dict(zip(scheme.dimensions, values, strict=True)))
    assert min(values) <= index <= max(values)
