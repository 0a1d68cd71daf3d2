"""``kotacerdas index score --scheme SCHEME --items FILE.csv``: the index from item scores."""

import pytest

from .helpers import item_csv


def threes_except(exceptions):
    """Score every item 3, except the codes in ``exceptions``."""
    return lambda item: exceptions.get(item.code, "3")


def test_item_scores_of_one_region_give_the_hand_computed_means(catalogue, write_file, index_cli):
    # Given every 2022 item at 3 except B.1.1 at 4 and I22.1 at 1, without a region column
    instrument = catalogue.instruments["kominfo-2022"]
    scores = write_file(item_csv(instrument, threes_except({"B.1.1": "4", "I22.1": "1.00"})))
    # When scored under kominfo-2022-gmsc
    result = index_cli("score", "--scheme", "kominfo-2022-gmsc", "--items", scores)
    # Then baseline = (4 + 4*3)/5 = 3.2, impact = (1 + 3*3)/4 = 2.5, the rest 3, and
    # final = 0.1*3.2 + 0.2*3 + 0.3*3 + 0.2*2.5 + 0.2*3 = 2.92
    assert result.error is None
    assert result.stdout == (
        "baseline,output,outcome,impact,quick_win,final\n3.200,3.000,3.000,2.500,3.000,2.920\n"
    )


def test_item_scores_of_several_regions_are_scored_region_by_region(
    catalogue, write_file, index_cli
):
    # Given, in one file, Kota Blitar with every item at 1 and Kota Kediri with every item at 4
    # except quick win Q.10.2 at 2.8, their rows interleaved, then a region that did not take
    # part (every item 0)
    instrument = catalogue.instruments["kominfo-2022"]
    blitar = item_csv(instrument, lambda item: "1", region="Kota Blitar").splitlines()
    kediri = item_csv(
        instrument,
        lambda item: "2.8" if item.code == "Q.10.2" else "4",
        region="Kota Kediri",
        header=False,
    ).splitlines()
    interleaved = [blitar[0]] + [
        line for pair in zip(blitar[1:], kediri, strict=True) for line in pair
    ]
    text = "\n".join(interleaved) + "\n"
    text += item_csv(instrument, lambda item: "0", region="Kabupaten Absen", header=False)
    result = index_cli(
        "score",
        "--scheme",
        "kominfo-2022-kppn-ikn",
        "--items",
        "--decimals",
        "4",
        write_file(text),
    )
    # Then one row per region in the order they first appear; Kediri's quick win is
    # (11*4 + 2.8)/12 = 3.9, final 0.1*4 + 0.2*4 + 0.3*4 + 0.1*4 + 0.3*3.9 = 3.97
    assert result.error is None
    assert result.stdout.splitlines() == [
        "region,baseline,output,outcome,impact,quick_win,final",
        "Kota Blitar,1.0000,1.0000,1.0000,1.0000,1.0000,1.0000",
        "Kota Kediri,4.0000,4.0000,4.0000,4.0000,3.9000,3.9700",
        "Kabupaten Absen,0.0000,0.0000,0.0000,0.0000,0.0000,0.0000",
    ]


def test_the_2023_instrument_has_the_survey_and_collaboration_items(
    catalogue, write_file, index_cli
):
    # Given every 2023 item at 3 except survey item S.environment.sampah_limbah.3 at 1 and
    # collaboration K.1 at 4
    instrument = catalogue.instruments["kominfo-2023"]
    exceptions = {"S.environment.sampah_limbah.3": "1", "K.1": "4"}
    scores = write_file(item_csv(instrument, threes_except(exceptions), region="Kota Kediri"))
    result = index_cli("score", "--scheme", "kominfo-2023-kppn-ikn", "--items", scores)
    # Then impact = (53*3 + 1)/54 = 2.96296..., collaboration = (4 + 5*3)/6 = 3.1666...,
    # final = 0.1*3 + 0.2*3 + 0.2*3 + 0.2*160/54 + 0.2*3 + 0.1*19/6 = 3.00925...
    assert result.error is None
    assert result.stdout.splitlines() == [
        "region,baseline,output,outcome,impact,quick_win,collaboration,final",
        "Kota Kediri,3.000,3.000,3.000,2.963,3.000,3.167,3.009",
    ]


def _kediri_2022(catalogue, **changes):
    """A valid 2022 item file of Kota Kediri (every item 3), then ``changes``: a code mapped
    to a replacement line (None drops it)."""
    instrument = catalogue.instruments["kominfo-2022"]
    lines = item_csv(instrument, threes_except({}), region="Kota Kediri").splitlines()
    out = []
    for line in lines:
        code = line.split(",")[2]
        if code in changes:
            if changes[code] is not None:
                out.append(changes[code])
        else:
            out.append(line)
    return "\n".join(out) + "\n"


ERRORS = {
    "an item of the 2023 instrument only": (
        {"C.07.1": "Kota Kediri,outcome,C.07.1,3\nKota Kediri,outcome,C.08,3"},
        "line 22 (data row 21), column 'item': unknown item code 'C.08'; it is not in "
        "instrument kominfo-2022",
    ),
    "an item under the wrong dimension": (
        {"O.1.1": "Kota Kediri,baseline,O.1.1,3"},
        "line 7 (data row 6), column 'dimension': item O.1.1 belongs to dimension output, "
        "not baseline",
    ),
    "an unknown dimension": (
        {"K.1": None, "Q.01": "Kota Kediri,collaboration,K.1,3"},
        "column 'dimension': unknown dimension 'collaboration'; scheme kominfo-2022-gmsc has "
        "baseline, output, outcome, impact, quick_win",
    ),
    "a missing item": (
        {"C.RA.2": None, "Q.05": None},
        "region 'Kota Kediri' (first row: line 2, data row 1): dimension outcome lacks 1 of "
        "its 31 items: C.RA.2",
    ),
    "an item given twice": (
        {"I22.4": "Kota Kediri,impact,I22.4,3\nKota Kediri,impact,I22.1,2"},
        "line 49 (data row 48), column 'item': item I22.1 of region 'Kota Kediri' is already "
        "given on line 45",
    ),
    "a score above 4": (
        {"B.1.2": "Kota Kediri,baseline,B.1.2,4.01"},
        "line 3 (data row 2), column 'score': 4.01 is outside 1.00-4.00",
    ),
    "a zero in a region that took part": (
        {"B.1.3": "Kota Kediri,baseline,B.1.3,0"},
        "line 4 (data row 3), column 'score': 0 is allowed only when every item of the region "
        "is 0 (it did not take part)",
    ),
    "a blank score": (
        {"B.2.1": "Kota Kediri,baseline,B.2.1,"},
        "line 5 (data row 4), column 'score': the value is blank",
    ),
    "a score that is not a number": (
        {"B.2.2": "Kota Kediri,baseline,B.2.2,n/a"},
        "line 6 (data row 5), column 'score': 'n/a' is not a number",
    ),
    "a blank region": (
        {"B.1.1": ",baseline,B.1.1,3"},
        "line 2 (data row 1), column 'region': the value is blank",
    ),
}


@pytest.mark.parametrize("case", ERRORS, ids=list(ERRORS))
def test_a_bad_item_file_is_refused_naming_the_row(case, catalogue, write_file, index_cli):
    # Given a full 2022 item file with one mistake
    changes, problem = ERRORS[case]
    path = write_file(_kediri_2022(catalogue, **changes))
    # When scored
    result = index_cli("score", "--scheme", "kominfo-2022-gmsc", "--items", path)
    # Then it fails with one line naming the file and the row, and nothing is printed
    assert result.error is not None and result.error.startswith(str(path))
    assert problem in result.error
    assert result.stdout == ""


def test_the_file_as_given_is_valid(catalogue, write_file, index_cli):
    # The base of the cases above scores cleanly, so each case fails for its own mistake.
    result = index_cli(
        "score", "--scheme", "kominfo-2022-gmsc", "--items", write_file(_kediri_2022(catalogue))
    )
    assert result.stdout.splitlines()[1] == "Kota Kediri,3.000,3.000,3.000,3.000,3.000,3.000"


def test_an_item_of_the_2022_impact_is_unknown_to_the_2023_scheme(catalogue, write_file, index_cli):
    instrument = catalogue.instruments["kominfo-2023"]
    text = item_csv(instrument, threes_except({})) + "impact,I22.1,3\n"
    result = index_cli("score", "--scheme", "kominfo-2023-kppn-ikn", "--items", write_file(text))
    assert result.stdout == ""
    assert "line 119 (data row 118), column 'item': unknown item code 'I22.1'" in result.error


@pytest.mark.parametrize(
    ("header", "problem"),
    [
        ("region,dimension,item", "line 1 (header): missing column(s) score"),
        ("region,dimension,item,score,note", "line 1 (header): unexpected column(s) note"),
        ("region,dimension,item,score,item", "line 1 (header): column 'item' appears twice"),
        ("region;dimension;item;score", "separated by commas, not semicolons"),
    ],
)
def test_an_item_file_needs_its_columns(header, problem, write_file, index_cli):
    path = write_file(f"{header}\nKota Kediri,baseline,B.1.1,3\n")
    result = index_cli("score", "--scheme", "kominfo-2022-gmsc", "--items", path)
    assert result.stdout == ""
    assert result.error.startswith(f"{path}, ") and problem in result.error
