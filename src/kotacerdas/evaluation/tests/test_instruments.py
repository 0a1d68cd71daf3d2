"""The packaged Kominfo instruments (2022, 2023) and the schemes of the published evaluations."""

import re

from kotacerdas.evaluation.instruments import PACKAGED_DIR

OUTCOME_ADDED_IN_2023 = {"C.07.2", "C.08"}
PILLARS = {"governance", "branding", "economy", "living", "society", "environment"}


def codes(instrument, dimension):
    return set(instrument.dimension(dimension).codes)


def test_each_published_scheme_names_its_instrument_version(catalogue):
    # Given the packaged files; when loaded; then each scheme uses its year's instrument.
    versions = {scheme_id: s.instrument.version for scheme_id, s in catalogue.schemes.items()}
    assert versions == {
        "kominfo-2022-kppn-ikn": "kominfo-2022",
        "kominfo-2022-gmsc": "kominfo-2022",
        "kominfo-2023-kppn-ikn": "kominfo-2023",
    }
    assert sorted(path.name for path in PACKAGED_DIR.iterdir()) == [
        "kominfo-2022.yaml",
        "kominfo-2023.yaml",
    ]


def test_only_the_2023_scheme_has_the_collaboration_dimension(catalogue):
    schemes = catalogue.schemes
    assert "collaboration" not in schemes["kominfo-2022-gmsc"].dimensions
    assert "collaboration" not in schemes["kominfo-2022-kppn-ikn"].dimensions
    assert schemes["kominfo-2023-kppn-ikn"].dimensions[-1] == "collaboration"
    assert codes(catalogue.instruments["kominfo-2023"], "collaboration") == {
        f"K.{n}" for n in range(1, 7)
    }


def test_2022_outcome_lacks_the_two_items_added_in_2023(catalogue):
    outcome_2022 = codes(catalogue.instruments["kominfo-2022"], "outcome")
    outcome_2023 = codes(catalogue.instruments["kominfo-2023"], "outcome")
    assert outcome_2023 - outcome_2022 == OUTCOME_ADDED_IN_2023
    assert outcome_2022 < outcome_2023
    assert len(outcome_2022) == 31


def test_2022_impact_is_the_four_assessor_items(catalogue):
    assert codes(catalogue.instruments["kominfo-2022"], "impact") == {
        "I22.1",
        "I22.2",
        "I22.3",
        "I22.4",
    }


def test_2023_impact_is_the_survey_of_6_pillars_by_3_sub_dimensions_by_3_questions(catalogue):
    impact = catalogue.instruments["kominfo-2023"].dimension("impact")
    parsed = [re.fullmatch(r"S\.([a-z]+)\.([a-z_]+)\.([123])", code) for code in impact.codes]
    assert all(parsed), impact.codes
    assert {match[1] for match in parsed} == PILLARS
    sub_dimensions = {(match[1], match[2]) for match in parsed}
    assert len(sub_dimensions) == 18
    assert all(pillar_count == 3 for pillar_count in _per_pillar(sub_dimensions).values())
    assert len(impact.items) == 54 == len(set(impact.codes))


def _per_pillar(sub_dimensions):
    counts: dict[str, int] = {}
    for pillar, _ in sub_dimensions:
        counts[pillar] = counts.get(pillar, 0) + 1
    return counts


def test_a_survey_question_with_commas_in_parentheses_stays_one_item(catalogue):
    # The reference lists questions in unquoted YAML flow lists, where these commas split one
    # question into three; the packaged file must keep it whole.
    instrument = catalogue.instruments["kominfo-2023"]
    assert "RTH, olahraga, pejalan kaki" in instrument.item("S.living.harmoni.3").label
    assert "ATCS, PJU pintar, smart parking" in instrument.item("S.living.mobilitas.2").label


def test_baseline_output_and_quick_win_are_the_same_in_both_versions(catalogue):
    old, new = catalogue.instruments["kominfo-2022"], catalogue.instruments["kominfo-2023"]
    for dimension in ("baseline", "output", "quick_win"):
        assert old.dimension(dimension).items == new.dimension(dimension).items
    assert len(old.dimension("baseline").items) == 5
    assert len(old.dimension("quick_win").items) == 12
