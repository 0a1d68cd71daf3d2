"""A region's own instrument and scheme files: added without a code change, and refused with a
message naming the file and the problem when they are wrong."""

import os
import subprocess
import sys
import textwrap
from decimal import Decimal

import pytest

from kotacerdas.evaluation.instruments import (
    INSTRUMENT_DIR_VARIABLE,
    PACKAGED_DIR,
    InstrumentFileError,
    load_catalogue,
)

# A small instrument of a made-up future year, and a scheme using it.
NEW_YEAR = """\
instruments:
  kominfo-2030:
    title: A future instrument
    dimensions:
      baseline:
        label: Baseline
        items: {B.1: one, B.2: two}
      impact:
        label: Impact
        elements:
          survey: {S.1: one, S.2: two, S.3: three}
schemes:
  kominfo-2030-all:
    instrument: kominfo-2030
    label: every region, 2030
    weights: {baseline: 0.40, impact: 0.60}
"""


def write(directory, text, name="region.yaml"):
    directory.mkdir(exist_ok=True)
    path = directory / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_a_new_years_rules_are_a_yaml_file_in_the_instruments_directory(
    tmp_path, write_file, index_cli
):
    # Given a directory with a new instrument version and its scheme
    write(tmp_path / "rules", NEW_YEAR)
    scores = write_file("region,baseline,impact\nKota Kediri,2,4\n")
    # When a file is scored under the new scheme, with --instruments
    result = index_cli(
        "score", "--scheme", "kominfo-2030-all", "--instruments", tmp_path / "rules", scores
    )
    # Then it is scored with the file's weights: 0.4 * 2 + 0.6 * 4 = 3.2
    assert result.error is None
    assert result.stdout == "region,baseline,impact,final\nKota Kediri,2.000,4.000,3.200\n"


def test_a_regions_scheme_may_use_a_packaged_instrument_version(tmp_path):
    write(
        tmp_path,
        """\
        schemes:
          kediri-2022-equal:
            instrument: kominfo-2022
            weights: {baseline: 0.2, output: 0.2, outcome: 0.2, impact: 0.2, quick_win: 0.2}
        """,
    )
    catalogue = load_catalogue([tmp_path], environ={})
    scheme = catalogue.scheme("kediri-2022-equal")
    assert scheme.instrument is catalogue.instruments["kominfo-2022"]
    assert scheme.label == "kediri-2022-equal"  # no label given: the id stands in


def test_weights_are_summed_exactly_not_as_binary_floats(tmp_path):
    # Given the 2023 scheme's weights, which add up to 0.9999999999999999 as binary floats
    text = (PACKAGED_DIR / "kominfo-2023.yaml").read_text(encoding="utf-8")
    assert 0.1 + 0.2 + 0.2 + 0.2 + 0.2 + 0.1 != 1
    write(tmp_path, text.replace("kominfo-2023", "copy-2023"))
    # When loaded; then they are exact decimals that sum to 1 and the scheme is accepted
    weights = load_catalogue([tmp_path], environ={}).scheme("copy-2023-kppn-ikn").weights
    assert list(weights.values()) == [
        Decimal(w) for w in ["0.1", "0.2", "0.2", "0.2", "0.2", "0.1"]
    ]


def test_the_environment_variable_adds_a_directory(tmp_path):
    write(tmp_path, NEW_YEAR)
    environ = {INSTRUMENT_DIR_VARIABLE: str(tmp_path)}
    assert "kominfo-2030-all" in load_catalogue(environ=environ).schemes
    assert "kominfo-2030-all" not in load_catalogue(environ={}).schemes


def test_the_console_command_reads_the_environment_variable(tmp_path):
    # Given KOTACERDAS_INSTRUMENT_DIR naming a directory with a new scheme, in a fresh process
    write(tmp_path / "rules", NEW_YEAR)
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}}
    env["KOTACERDAS_DATA_DIR"] = str(tmp_path / "data")
    env[INSTRUMENT_DIR_VARIABLE] = str(tmp_path / "rules")
    # When the schemes are listed
    result = subprocess.run(
        [sys.executable, "-m", "kotacerdas.cli", "index", "schemes"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    # Then the new scheme is listed with its instrument version and weights
    assert result.returncode == 0, result.stderr
    assert "kominfo-2030-all\tkominfo-2030\tbaseline 0.40, impact 0.60\t" in result.stdout


BAD_FILES = {
    "weights summing to 0.9": (
        NEW_YEAR.replace("impact: 0.60", "impact: 0.50"),
        "the weights of scheme 'kominfo-2030-all' sum to 0.90, not 1",
    ),
    "a duplicate code in one dimension": (
        NEW_YEAR.replace("{B.1: one, B.2: two}", "{B.1: one, B.1: two}"),
        "line 7: duplicate key 'B.1'",
    ),
    "a code in two dimensions": (
        NEW_YEAR.replace("S.3: three", "B.2: three"),
        "item code 'B.2' appears twice in instrument 'kominfo-2030' "
        "(dimensions baseline and impact)",
    ),
    "an unknown instrument version": (
        NEW_YEAR.replace("instrument: kominfo-2030", "instrument: kominfo-2031"),
        "scheme 'kominfo-2030-all' names instrument version 'kominfo-2031', which does not "
        "exist; known versions: kominfo-2022, kominfo-2023, kominfo-2030",
    ),
    "a weight for a dimension the instrument lacks": (
        NEW_YEAR.replace("{baseline: 0.40, impact: 0.60}", "{baseline: 0.40, impakt: 0.60}"),
        "scheme 'kominfo-2030-all' weights dimension 'impakt', which instrument "
        "'kominfo-2030' does not have; it has baseline, impact",
    ),
    "a dimension without a weight": (
        NEW_YEAR.replace("{baseline: 0.40, impact: 0.60}", "{baseline: 1}"),
        "scheme 'kominfo-2030-all' gives no weight to dimension(s) impact",
    ),
    "an empty dimension": (
        NEW_YEAR.replace("{B.1: one, B.2: two}", "{}"),
        "dimension 'baseline' has no items",
    ),
    "a weight that is not a number": (
        NEW_YEAR.replace("impact: 0.60", "impact: sixty"),
        "the weight of impact must be a number, got 'sixty'",
    ),
    "a scheme id the packaged files already define": (
        NEW_YEAR.replace("kominfo-2030-all:", "kominfo-2022-gmsc:"),
        "scheme 'kominfo-2022-gmsc' is already defined in",
    ),
    "broken YAML": (NEW_YEAR.replace("items: {B.1: one, B.2: two}", "items: {B.1: one"), "line"),
    "an empty file": ("# nothing yet\n", "the file is empty"),
}


@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_a_bad_file_is_refused_naming_the_file_and_the_problem(
    case, tmp_path, write_file, index_cli
):
    text, problem = BAD_FILES[case]
    path = write(tmp_path / "rules", text)
    scores = write_file(
        "region,baseline,output,outcome,impact,quick_win\nKota Kediri,3.60,3.21,3.23,3.07,3.65\n"
    )
    result = index_cli(
        "score", "--scheme", "kominfo-2022-gmsc", "--instruments", tmp_path / "rules", scores
    )
    assert result.stdout == ""
    assert result.error is not None
    assert result.error.startswith(f"{path}")
    assert problem in result.error
    with pytest.raises(InstrumentFileError, match=r"region\.yaml"):
        load_catalogue([tmp_path / "rules"], environ={})


def test_a_missing_instruments_directory_is_an_error(tmp_path, index_cli):
    result = index_cli("schemes", "--instruments", tmp_path / "nowhere")
    assert result.stdout == ""
    assert result.error == f"instrument directory {tmp_path / 'nowhere'} is not a directory"
