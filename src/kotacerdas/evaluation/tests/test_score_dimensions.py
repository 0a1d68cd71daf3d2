"""``kotacerdas index score --scheme SCHEME FILE.csv``: the index from dimension scores."""

import csv
import io
import os
import subprocess
import sys
from decimal import Decimal

import pytest

from .helpers import KEDIRI_CSV, PUBLISHED_KEDIRI_2022, PUBLISHED_ROUNDING

HEADER_2022 = "region,baseline,output,outcome,impact,quick_win"
HEADER_2023 = HEADER_2022 + ",collaboration"


def rows(stdout):
    return list(csv.DictReader(io.StringIO(stdout)))


def test_kediri_2022_gives_its_published_index(write_file, index_cli):
    # Given Kota Kediri's published 2022 dimension scores
    scores = write_file(KEDIRI_CSV)
    # When scored under the scheme of its cohort
    result = index_cli("score", "--scheme", "kominfo-2022-gmsc", scores)
    # Then the same columns and the final index are printed, three decimals by default
    assert result.error is None
    assert result.stdout == (
        f"{HEADER_2022},final\nKota Kediri,3.600,3.210,3.230,3.070,3.650,3.315\n"
    )
    # and the index is the published 3.31 up to the rounding of the published scores
    final = Decimal(rows(result.stdout)[0]["final"])
    assert abs(final - PUBLISHED_KEDIRI_2022) <= PUBLISHED_ROUNDING


@pytest.mark.parametrize(
    ("decimals", "line"),
    [
        ("2", "Kota Kediri,3.60,3.21,3.23,3.07,3.65,3.31"),  # the published figure
        ("0", "Kota Kediri,4,3,3,3,4,3"),
        ("5", "Kota Kediri,3.60000,3.21000,3.23000,3.07000,3.65000,3.31500"),
    ],
)
def test_decimals_sets_the_places_printed(write_file, index_cli, decimals, line):
    result = index_cli(
        "score", "--scheme", "kominfo-2022-gmsc", "--decimals", decimals, write_file(KEDIRI_CSV)
    )
    assert result.error is None
    assert result.stdout.splitlines()[1] == line


def test_the_final_index_is_computed_from_the_unrounded_dimension_scores(write_file, index_cli):
    # Given scores that each round up at two decimals (1.0055 -> 1.01) but whose index,
    # 0.1*1 + 0.9*1.0055 = 1.00495, rounds down
    scores = write_file(f"{HEADER_2022}\nA,1,1.0055,1.0055,1.0055,1.0055\n")
    result = index_cli("score", "--scheme", "kominfo-2022-gmsc", "--decimals", "2", scores)
    # Then the printed final is 1.00, not the 1.01 the printed dimension scores would give
    assert result.stdout.splitlines()[1] == "A,1.00,1.01,1.01,1.01,1.01,1.00"


def test_a_region_that_did_not_take_part_scores_zero(write_file, index_cli):
    scores = write_file(f"{KEDIRI_CSV}Kabupaten Absen,0,0,0,0.00,0\n")
    result = index_cli("score", "--scheme", "kominfo-2022-gmsc", scores)
    assert result.error is None
    assert [(row["region"], row["final"]) for row in rows(result.stdout)] == [
        ("Kota Kediri", "3.315"),
        ("Kabupaten Absen", "0.000"),
    ]


def test_a_scheme_with_collaboration_weighs_it_too(write_file, index_cli):
    # Given 2023 dimension scores with a collaboration column, in a different column order
    scores = write_file(
        "collaboration,region,baseline,output,outcome,impact,quick_win\n1,Kota Kediri,4,3,2,3,4\n"
    )
    result = index_cli("score", "--scheme", "kominfo-2023-kppn-ikn", scores)
    # Then 0.1*4 + 0.2*3 + 0.2*2 + 0.2*3 + 0.2*4 + 0.1*1 = 2.9, in the file's column order
    assert result.error is None
    assert result.stdout == (
        "collaboration,region,baseline,output,outcome,impact,quick_win,final\n"
        "1.000,Kota Kediri,4.000,3.000,2.000,3.000,4.000,2.900\n"
    )


GOOD = "Kota Kediri,3.60,3.21,3.23,3.07,3.65"
ERRORS = {
    "a missing dimension column": (
        "region,baseline,output,outcome,impact\nKota Kediri,3.60,3.21,3.23,3.07\n",
        "line 1 (header): missing column(s) quick_win",
    ),
    "an extra column": (
        f"{HEADER_2023}\n{GOOD},3\n",
        "line 1 (header): unexpected column(s) collaboration",
    ),
    "no region column": (
        "baseline,output,outcome,impact,quick_win\n3.60,3.21,3.23,3.07,3.65\n",
        "line 1 (header): missing column(s) region",
    ),
    "a blank value": (
        f"{HEADER_2022}\n{GOOD}\nKota Blitar,3.1,,3,3,3\n",
        "line 3 (data row 2), column 'output': the value is blank",
    ),
    "a value that is not a number": (
        f"{HEADER_2022}\nKota Blitar,3.1,3,tiga,3,3\n",
        "line 2 (data row 1), column 'outcome': 'tiga' is not a number",
    ),
    "a decimal comma": (
        f'{HEADER_2022}\nKota Blitar,3.1,3,3,"3,5",3\n',
        "line 2 (data row 1), column 'impact': '3,5' uses a decimal comma",
    ),
    "a score above 4": (
        f"{HEADER_2022}\nKota Blitar,3.1,3,3,3,4.5\n",
        "line 2 (data row 1), column 'quick_win': 4.5 is outside 1.00-4.00",
    ),
    "a score between 0 and 1": (
        f"{HEADER_2022}\nKota Blitar,0.5,3,3,3,3\n",
        "line 2 (data row 1), column 'baseline': 0.5 is outside 1.00-4.00",
    ),
    "a zero in a region that took part": (
        f"{HEADER_2022}\n\n{GOOD}\nKota Blitar,3,3,0,3,3\n",
        "line 4 (data row 2), column 'outcome': 0 is allowed only when every dimension of "
        "the region is 0 (it did not take part)",
    ),
    "a blank region": (
        f"{HEADER_2022}\n ,3,3,3,3,3\n",
        "line 2 (data row 1), column 'region': the value is blank",
    ),
    "a region twice": (
        f"{HEADER_2022}\n{GOOD}\n{GOOD}\n",
        "line 3 (data row 2), column 'region': region 'Kota Kediri' is already on line 2",
    ),
    "a short row": (
        f"{HEADER_2022}\nKota Blitar,3,3,3\n",
        "line 2 (data row 1), column 'impact': no value (the row is short)",
    ),
    "a long row": (
        f"{HEADER_2022}\nKota Blitar,3,3,3,3,3,3\n",
        "line 2 (data row 1): the row has 7 fields but the header has 6",
    ),
    "no data rows": (f"{HEADER_2022}\n", "the file has a header but no data rows"),
    "an empty file": ("", "the file is empty"),
}


@pytest.mark.parametrize("case", ERRORS, ids=list(ERRORS))
def test_a_bad_file_is_refused_naming_the_row_and_column(case, write_file, index_cli):
    # Given a file with one mistake, after a good row
    text, problem = ERRORS[case]
    path = write_file(text)
    # When scored
    result = index_cli("score", "--scheme", "kominfo-2022-gmsc", path)
    # Then the command fails with one line naming the file, the row and the column, and
    # prints nothing, not even the good rows
    assert result.error.startswith(str(path))
    assert problem in result.error
    assert "\n" not in result.error
    assert result.stdout == ""


def test_an_unknown_scheme_lists_the_known_ones(write_file, index_cli):
    result = index_cli("score", "--scheme", "kominfo-2024", write_file(KEDIRI_CSV))
    assert result.stdout == ""
    assert result.error == (
        "unknown scheme 'kominfo-2024'; known schemes: kominfo-2022-gmsc, "
        "kominfo-2022-kppn-ikn, kominfo-2023-kppn-ikn"
    )


def test_a_negative_decimals_is_refused(write_file, index_cli):
    result = index_cli(
        "score", "--scheme", "kominfo-2022-gmsc", "--decimals", "-1", write_file(KEDIRI_CSV)
    )
    assert result.stdout == "" and result.error == "--decimals must be 0-10, got -1"


def test_the_schemes_are_listed_with_instrument_and_weights(index_cli):
    result = index_cli("schemes")
    assert result.error is None
    assert result.stdout.splitlines()[1].startswith(
        "kominfo-2022-gmsc\tkominfo-2022\t"
        "baseline 0.10, output 0.20, outcome 0.30, impact 0.20, quick_win 0.20\t"
    )


@pytest.fixture
def console_env(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "SECRET_KEY", "KOTACERDAS_INSTRUMENT_DIR"}
    }
    env["KOTACERDAS_DATA_DIR"] = str(tmp_path / "data")
    return env


def console(args, env):
    return subprocess.run(
        [sys.executable, "-m", "kotacerdas.cli", *map(str, args)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_console_command_scores_kediri_without_a_database(console_env, write_file, tmp_path):
    # Given a fresh install: no database was ever set up in the data directory
    result = console(
        ["index", "score", "--scheme", "kominfo-2022-gmsc", write_file(KEDIRI_CSV)], console_env
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        f"{HEADER_2022},final\nKota Kediri,3.600,3.210,3.230,3.070,3.650,3.315\n"
    )
    assert not (tmp_path / "data" / "kotacerdas.sqlite3").exists()


def test_the_console_command_fails_with_one_line_and_no_output(console_env, write_file):
    path = write_file(f"{HEADER_2022}\nKota Blitar,3.1,3,tiga,3,3\n")
    result = console(["index", "score", "--scheme", "kominfo-2022-gmsc", path], console_env)
    assert result.returncode != 0
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        f"CommandError: {path}, line 2 (data row 1), column 'outcome': 'tiga' is not a number"
    ]
