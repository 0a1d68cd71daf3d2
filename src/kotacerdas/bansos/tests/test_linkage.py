"""Linking DTKS rows to the civil registry: accuracy on a synthetic city with known truth,
the exact-NIK check, every flag in a targeted case, clerical decisions, the review queue and
the output file."""

from __future__ import annotations

import csv
import datetime as dt
import logging
import shutil
import sys
from pathlib import Path

import pytest
from django.utils import translation

from kotacerdas.bansos import linkage, synth
from kotacerdas.bansos.linkage import LinkageError, LinkOptions, link, link_files

# Name variants the normalisation must see through (truth.csv tags).
NAME_VARIANTS = {
    "spelling_modern",
    "spelling_old",
    "muhammad_variant",
    "title_added",
    "title_dropped",
    "bin_dropped",
}
NIK_ERRORS = {"nik_blank", "nik_typo", "nik_family", "not_in_registry"}


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def tags(row: dict[str, str]) -> set[str]:
    return set(row["errors"].split(";")) if row["errors"] else set()


# ---------------------------------------------------------------------------------------------
# A synthetic city of 3,000 people and a DTKS of 1,000 rows


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    directory = tmp_path_factory.mktemp("city")
    summary = synth.generate(3000, directory, seed=3, dtks_rows=1000)
    out = directory / "links.csv"
    run = link_files(summary.dtks, summary.dukcapil, out, exclusions_csv=summary.exclusions)
    truth = {row["id_dtks"]: row for row in read_csv(summary.truth)}
    return summary, run, out, truth


@pytest.fixture(scope="module")
def plain_names_run(city):
    summary, *_ = city
    return link(summary.dtks, summary.dukcapil, options=LinkOptions(indonesian_names=False))


def test_the_links_file_has_the_output_columns_and_a_row_per_dtks_row_in_order(city):
    summary, _run, out, _truth = city
    with open(out, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        assert next(reader) == ["id_dtks", "nik_match", "match_probability", "method", "flags"]
        rows = list(reader)
    assert [row[0] for row in rows] == [row["id_dtks"] for row in read_csv(summary.dtks)]
    for _id_dtks, nik, probability, method, flags in rows:
        assert method in {"nik_exact", "probabilistic", "clerical", "none"}
        assert 0.0 <= float(probability) <= 1.0
        assert (nik == "") == (method == "none")
        assert all(flag in linkage.LinkFlag.values for flag in flags.split(";") if flag)
    assert any(";" in row[4] for row in rows)  # several flags are ;-separated


def test_rows_needing_probabilistic_linkage_are_linked_precisely_and_mostly(city):
    _summary, run, _out, truth = city
    need = [item for item in run.links if item.needed_probabilistic]
    linked = [item for item in need if item.nik_match]
    right = [item for item in linked if item.nik_match == truth[item.id_dtks]["true_nik"]]
    in_registry = [item for item in need if truth[item.id_dtks]["true_nik"]]
    assert len(need) > 150
    # The benchmark holds the targets (0.99 and 0.97) on 100,000 rows; 200 rows
    # allow a little slack, not much.
    assert len(right) / len(linked) >= 0.98
    assert len(right) / len(in_registry) >= 0.95


def test_rows_of_people_outside_the_registry_stay_unlinked(city):
    _summary, run, _out, truth = city
    strangers = [item for item in run.links if "not_in_registry" in tags(truth[item.id_dtks])]
    assert strangers
    assert sum(1 for item in strangers if item.nik_match) <= len(strangers) * 0.02


def test_exact_nik_links_are_right(city):
    _summary, run, _out, truth = city
    exact = [item for item in run.links if item.method == "nik_exact"]
    wrong = [item for item in exact if item.nik_match != truth[item.id_dtks]["true_nik"]]
    assert len(exact) > 700
    assert len(wrong) <= 2
    assert all(item.match_probability == 1.0 for item in exact)


def test_a_family_members_nik_is_not_taken_for_the_persons_own(city):
    _summary, run, _out, truth = city
    by_id = run.by_id()
    family = [i for i, row in truth.items() if "nik_family" in tags(row)]
    assert family
    for id_dtks in family:
        assert by_id[id_dtks].method != "nik_exact"
        assert by_id[id_dtks].nik_check == linkage.NIK_CHECK_FAILED
    right = sum(1 for i in family if by_id[i].nik_match == truth[i]["true_nik"])
    assert right / len(family) >= 0.9


def test_name_variants_with_a_right_nik_pass_the_exact_check_only_with_indonesian_names(
    city, plain_names_run
):
    _summary, run, _out, truth = city
    rows = [
        i for i, row in truth.items() if tags(row) & NAME_VARIANTS and not tags(row) & NIK_ERRORS
    ]
    assert len(rows) > 50
    ours = run.by_id()
    plain = plain_names_run.by_id()
    ours_exact = sum(1 for i in rows if ours[i].method == "nik_exact") / len(rows)
    plain_exact = sum(1 for i in rows if plain[i].method == "nik_exact") / len(rows)
    assert ours_exact >= 0.95
    assert plain_exact < ours_exact - 0.1


def test_the_same_input_links_the_same_way(city, tmp_path):
    summary, _run, out, _truth = city
    again = tmp_path / "again.csv"
    link_files(summary.dtks, summary.dukcapil, again, exclusions_csv=summary.exclusions)
    assert again.read_bytes() == out.read_bytes()


def test_flags_on_the_synthetic_city_follow_the_truth(city):
    _summary, run, _out, truth = city
    by_id = run.by_id()
    for id_dtks, row in truth.items():
        item = by_id[id_dtks]
        if item.nik_match != row["true_nik"] or not item.nik_match:
            continue
        assert ("deceased" in item.flags) == ("deceased" in tags(row))
        assert ("moved_out" in item.flags) == ("moved_out" in tags(row))
        assert ("excluded_occupation" in item.flags) == ("excluded" in tags(row))
        if "nik_blank" in tags(row):
            assert "nik_invalid" in item.flags


# ---------------------------------------------------------------------------------------------
# A small world, for targeted cases: 300 registry people as dict rows


@pytest.fixture(scope="module")
def registry(tmp_path_factory) -> list[dict[str, str]]:
    directory = tmp_path_factory.mktemp("small")
    summary = synth.generate(300, directory, seed=7, dtks_rows=10)
    return read_csv(summary.dukcapil)


def living(registry, count=12):
    people = [
        row
        for row in registry
        if row["status_hidup"] == "HIDUP" and row["kode_kelurahan"].startswith("35.71.")
    ]
    return people[:count]


def dtks_row(id_dtks: str, person: dict[str, str], **changes: str) -> dict[str, str]:
    row = {column: person.get(column, "") for column in linkage.DTKS_COLUMNS}
    row["id_dtks"] = id_dtks
    row.update(changes)
    return row


def unused_nik(person: dict[str, str]) -> str:
    return person["nik"][:12] + "9999"


@pytest.fixture(scope="module")
def flagged(registry):
    """One DTKS row per flag, each about a different person."""
    people = living(registry)
    dead = next(row for row in registry if row["status_hidup"] == "MATI")
    moved = next(row for row in registry if not row["kode_kelurahan"].startswith("35.71."))
    born = dt.date.fromisoformat(people[3]["tanggal_lahir"])
    rows = [
        dtks_row("invalid", people[0], nik="35710112"),
        dtks_row("blank", people[1], nik=""),
        dtks_row("not-found", people[2], nik=unused_nik(people[2])),
        # The right NIK with day and month swapped in the birth date.
        dtks_row(
            "dob", people[3], tanggal_lahir=dt.date(born.year, 1 + born.day % 12, 1).isoformat()
        ),
        dtks_row("dead", dead),
        dtks_row("moved", moved),
        dtks_row("excluded", people[4]),
        dtks_row("twice-a", people[5]),
        dtks_row("twice-b", people[5], nik=""),
        dtks_row("clean", people[6]),
    ]
    run = link(rows, registry, exclusions=[{"nik": people[4]["nik"], "jenis": "PNS"}])
    expected = {
        "invalid": people[0],
        "blank": people[1],
        "not-found": people[2],
        "dob": people[3],
        "dead": dead,
        "moved": moved,
        "excluded": people[4],
        "twice-a": people[5],
        "twice-b": people[5],
        "clean": people[6],
    }
    return run.by_id(), expected


@pytest.mark.parametrize(
    ("id_dtks", "flags", "method"),
    [
        ("invalid", ("nik_invalid",), "probabilistic"),
        ("blank", ("nik_invalid",), "probabilistic"),
        ("not-found", ("nik_not_found",), "probabilistic"),
        ("dob", ("nik_dob_mismatch",), "nik_exact"),
        ("dead", ("deceased",), "nik_exact"),
        ("moved", ("moved_out",), "nik_exact"),
        ("excluded", ("excluded_occupation",), "nik_exact"),
        ("twice-a", ("duplicate_in_dtks",), "nik_exact"),
        ("twice-b", ("nik_invalid", "duplicate_in_dtks"), "probabilistic"),
        ("clean", (), "nik_exact"),
    ],
)
def test_each_flag_in_its_own_case(flagged, id_dtks, flags, method):
    links, expected = flagged
    item = links[id_dtks]
    assert item.nik_match == expected[id_dtks]["nik"]
    assert item.flags == flags
    assert item.method == method


def test_a_mistyped_nik_of_someone_else_is_caught_by_the_check(registry):
    # The row is person A, with person B's NIK (one digit off A's would do the same).
    a, b = living(registry)[7:9]
    run = link([dtks_row("typo", a, nik=b["nik"])], registry)
    item = run.links[0]
    assert item.nik_check == linkage.NIK_CHECK_FAILED
    assert item.nik_match == a["nik"]
    assert item.method == "probabilistic"
    # The DTKS row's NIK still needs fixing: it is someone else's.
    assert "nik_other_person" in item.flags


def test_an_accepted_decision_links_clerically_and_a_rejected_one_never(registry):
    a, b, c, d = living(registry)[:4]
    rows = [
        dtks_row("accepted", a, nik=""),
        dtks_row("rejected-exact", b),
        dtks_row("rejected-probabilistic", c, nik=""),
        dtks_row("untouched", d, nik=""),
    ]
    decisions = {
        ("accepted", d["nik"]): True,  # a clerk said this row is d, whatever the model thinks
        ("rejected-exact", b["nik"]): False,
        ("rejected-probabilistic", c["nik"]): False,
    }
    run = link(rows, registry, decisions=decisions)
    links = run.by_id()
    assert links["accepted"].nik_match == d["nik"]
    assert links["accepted"].method == "clerical"
    assert links["accepted"].match_probability == 1.0
    assert links["rejected-exact"].nik_match != b["nik"]
    assert links["rejected-exact"].nik_check == linkage.NIK_REJECTED
    assert links["rejected-probabilistic"].nik_match != c["nik"]
    assert (b["nik"], c["nik"]) not in {(r.id_dtks, r.nik) for r in run.review}
    assert not any(r.nik in (b["nik"], c["nik"]) for r in run.review)
    assert links["untouched"].nik_match == d["nik"]
    # d is linked by two rows: a clerk's and the model's.
    assert "duplicate_in_dtks" in links["accepted"].flags


def test_two_equally_good_candidates_go_to_review_not_to_a_link(registry):
    person = living(registry)[9]
    twin = dict(person, nik=unused_nik(person), no_kk="3571010101200001")
    row = dtks_row("ambiguous", person, nik="", no_kk="")
    run = link([row], [*registry, twin])
    item = run.links[0]
    assert item.method == "none"
    assert item.nik_match == ""
    assert {r.nik for r in run.review} == {person["nik"], twin["nik"]}
    assert all(0.3 < r.match_probability < 0.7 for r in run.review)


def test_dict_rows_and_dates_as_dates_or_day_first_text_are_accepted(registry):
    a, b = living(registry)[10:12]
    born = dt.date.fromisoformat(b["tanggal_lahir"])
    rows = [
        dtks_row("date-object", a, nik="", tanggal_lahir=dt.date.fromisoformat(a["tanggal_lahir"])),
        dtks_row("day-first", b, nik="", tanggal_lahir=born.strftime("%d-%m-%Y")),
    ]
    links = link(rows, registry).by_id()
    assert links["date-object"].nik_match == a["nik"]
    assert links["day-first"].nik_match == b["nik"]


def test_moved_out_follows_the_city_given(registry):
    person = living(registry)[0]
    run = link([dtks_row("here", person)], registry, city="35.06")
    assert "moved_out" in run.links[0].flags


def test_no_nik_reaches_the_log_or_the_screen(registry, caplog, capsys):
    people = living(registry)[:6]
    rows = [dtks_row(f"r{i}", p, nik="" if i % 2 else p["nik"]) for i, p in enumerate(people)]
    messages = []
    with caplog.at_level(logging.DEBUG):
        link(rows, registry, progress=lambda stage, done, total: messages.append(stage))
    shown = caplog.text + capsys.readouterr().out + capsys.readouterr().err + " ".join(messages)
    assert messages
    for person in registry:
        assert person["nik"] not in shown
        assert person["nik"][:12] not in shown


def test_progress_reports_stages_with_counts(registry):
    calls = []
    link([dtks_row("one", living(registry)[0])], registry, progress=lambda *a: calls.append(a))
    assert [done for _stage, done, _total in calls] == list(range(1, len(calls) + 1))
    assert calls[-1][1] == calls[-1][2]
    assert all(isinstance(stage, str) and stage for stage, _d, _t in calls)


@translation.override("en")
def test_bad_input_is_refused_with_a_clear_error(registry, tmp_path):
    person = living(registry)[0]
    with pytest.raises(LinkageError, match="tanggal_lahir"):
        link([{"id_dtks": "1", "nik": "", "nama": "Slamet"}], registry)
    with pytest.raises(LinkageError, match="more than once"):
        link([dtks_row("same", person), dtks_row("same", person)], registry)
    with pytest.raises(LinkageError, match="engine"):
        link([dtks_row("x", person)], registry, engine="oracle")
    missing = tmp_path / "dtks.csv"
    missing.write_text("id_dtks;nik;nama\n1;;Slamet\n", encoding="utf-8")
    with pytest.raises(LinkageError, match="tanggal_lahir"):
        link(missing, registry)


# ---------------------------------------------------------------------------------------------
# The Spark engine


@translation.override("en")
def test_the_spark_engine_without_pyspark_says_how_to_install_it(registry, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyspark", None)  # import pyspark now fails
    with pytest.raises(LinkageError, match="pip install pyspark"):
        link([dtks_row("x", living(registry)[0])], registry, engine="spark")


@pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs Java 17+, not installed")
def test_the_spark_engine_links_like_duckdb(registry):
    people = living(registry)
    rows = [
        dtks_row("blank", people[0], nik=""),
        dtks_row("typo", people[1], nik=unused_nik(people[1])),
        dtks_row("exact", people[2]),
        dtks_row("twice", people[2], nik=""),
    ]
    on_spark = link(rows, registry, engine="spark").links
    on_duckdb = link(rows, registry).links
    assert [(x.nik_match, x.method, x.flags) for x in on_spark] == [
        (x.nik_match, x.method, x.flags) for x in on_duckdb
    ]
    assert [x.nik_match for x in on_spark] == [
        people[0]["nik"],
        people[1]["nik"],
        *[people[2]["nik"]] * 2,
    ]
