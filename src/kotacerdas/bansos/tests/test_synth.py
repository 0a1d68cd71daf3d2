"""The synthetic civil registry and DTKS: shaped like the real extracts, valid NIKs, the truth
telling what was done to each row, and the same files for the same seed."""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from kotacerdas.bansos import synth
from kotacerdas.bansos.identity import kecamatan_codes, nik_warnings, parse_kk, parse_nik
from kotacerdas.core.reference_data import REFERENCE_DIR

PEOPLE = 3000


def read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


@pytest.fixture(scope="module")
def city(tmp_path_factory) -> synth.SynthSummary:
    return synth.generate(PEOPLE, tmp_path_factory.mktemp("synth"), seed=11)


@pytest.fixture(scope="module")
def registry(city) -> list[dict[str, str]]:
    return read(city.dukcapil)[1]


@pytest.fixture(scope="module")
def dtks(city) -> dict[str, dict[str, str]]:
    return {row["id_dtks"]: row for row in read(city.dtks)[1]}


@pytest.fixture(scope="module")
def truth(city) -> dict[str, dict[str, str]]:
    return {row["id_dtks"]: row for row in read(city.truth)[1]}


def test_the_four_files_have_exactly_the_canonical_columns(city):
    assert read(city.dukcapil)[0] == list(synth.DUKCAPIL_COLUMNS)
    assert read(city.dtks)[0] == list(synth.DTKS_COLUMNS)
    assert read(city.truth)[0] == ["id_dtks", "true_nik", "errors"]
    assert read(city.exclusions)[0] == ["nik", "jenis"]


def test_the_registry_has_the_people_asked_for_and_the_dtks_a_third_of_them(city, registry, dtks):
    assert len(registry) == city.people == PEOPLE
    assert len(dtks) == city.dtks_rows == PEOPLE // 3


def test_every_nik_is_valid_unique_and_agrees_with_birth_date_and_sex(registry):
    niks = [row["nik"] for row in registry]
    assert len(set(niks)) == len(niks)
    for row in registry:
        nik = parse_nik(row["nik"])
        born = dt.date.fromisoformat(row["tanggal_lahir"])
        assert nik_warnings(nik, born, row["jenis_kelamin"]) == []
        assert born <= synth.REFERENCE_DATE


def test_niks_come_mostly_from_kediri_and_some_from_elsewhere_in_east_java(registry):
    prefixes = Counter(row["nik"][:4] for row in registry)
    assert prefixes["3571"] / len(registry) > 0.7
    assert len(prefixes) > 3
    assert all(prefix.startswith("35") for prefix in prefixes)


def test_families_share_a_kk_issued_in_a_kediri_kecamatan(registry):
    families = Counter(row["no_kk"] for row in registry)
    assert 2.5 < len(registry) / len(families) < 4.5
    for kk in families:
        assert parse_kk(kk)[:6] in {"357101", "357102", "357103"}
        dt.datetime.strptime(kk[6:12], "%d%m%y")  # noqa: DTZ007 (a date, not a moment)


def test_people_live_in_the_46_kelurahan_except_the_few_who_moved_out(registry):
    with open(REFERENCE_DIR / "wilayah.csv", newline="", encoding="utf-8") as handle:
        codes = {row["kode"] for row in csv.DictReader(handle)}
    kediri = {code for code in codes if code.startswith("35.71.") and code.count(".") == 3}
    assert len(kediri) == 46
    places = Counter(row["kode_kelurahan"] for row in registry)
    assert set(places) <= codes
    outside = sum(n for code, n in places.items() if code not in kediri)
    assert 0 < outside / len(registry) < 0.08
    assert len(set(places) & kediri) > 40


def test_only_the_dead_have_a_date_of_death(registry):
    statuses = Counter(row["status_hidup"] for row in registry)
    assert set(statuses) == {"HIDUP", "MATI"}
    assert 0 < statuses["MATI"] / len(registry) < 0.05
    for row in registry:
        assert bool(row["tanggal_meninggal"]) == (row["status_hidup"] == "MATI")


def test_names_are_javanese_and_muslim_with_titles_and_old_spellings(registry):
    names = [row["nama"] for row in registry]
    text = " ".join(names)
    assert all(name == name.upper() for name in names)
    for pattern in ("SITI ", "SRI ", "MUHAMMAD", "AHMAD", " BIN ", "OE", "DJ", "H. "):
        assert pattern in text, pattern
    assert any(name.split()[0] in {"MOCH.", "MOH.", "M.", "MOCHAMAD"} for name in names)
    assert sum(1 for name in names if len(name.split()) == 1) > 50  # Sutrisno, Slamet


def test_dtks_rows_come_from_the_registry_with_the_errors_the_truth_lists(registry, dtks, truth):
    by_nik = {row["nik"]: row for row in registry}
    assert set(dtks) == set(truth)
    tags = Counter()
    for id_dtks, row in dtks.items():
        errors = truth[id_dtks]["errors"].split(";") if truth[id_dtks]["errors"] else []
        assert set(errors) <= set(synth.TRUTH_TAGS)
        tags.update(errors)
        true_nik = truth[id_dtks]["true_nik"]
        assert (true_nik == "") == ("not_in_registry" in errors)
        if not true_nik:
            continue
        person = by_nik[true_nik]
        if "nik_blank" in errors:
            assert row["nik"] == ""
        elif "nik_typo" in errors:
            assert sum(a != b for a, b in zip(row["nik"], true_nik, strict=True)) == 1
            assert ("nik_other_person" in errors) == (row["nik"] in by_nik)
        elif "nik_family" in errors:
            assert row["nik"] != true_nik
            assert by_nik[row["nik"]]["no_kk"] == person["no_kk"]
        else:
            assert row["nik"] == true_nik
        if "dob_swapped" in errors:
            born = dt.date.fromisoformat(person["tanggal_lahir"])
            assert row["tanggal_lahir"] == dt.date(born.year, born.day, born.month).isoformat()
        if not {"dob_swapped", "dob_typo", "dob_blank", "dob_default"} & set(errors):
            assert row["tanggal_lahir"] == person["tanggal_lahir"]
        assert ("deceased" in errors) == (person["status_hidup"] == "MATI")
        assert row["program"] in synth.PROGRAMMES
        assert 1 <= int(row["desil"]) <= 10
    rows = len(dtks)
    # The rates are controlled: each error near its configured share.
    assert 0.05 < tags["nik_blank"] / rows < 0.11
    assert 0.035 < tags["nik_typo"] / rows < 0.09
    assert 0.05 < tags["name_typo"] / rows < 0.11
    assert tags["not_in_registry"] == round(rows * synth.NOT_IN_REGISTRY_SHARE)
    for tag in ("nik_family", "dob_swapped", "muhammad_variant", "spelling_modern", "duplicate"):
        assert tags[tag] > 0, tag


def test_duplicates_are_the_same_person_under_two_ids(dtks, truth):
    people = Counter(t["true_nik"] for t in truth.values() if "duplicate" in t["errors"])
    assert people and all(count >= 2 for count in people.values())


def test_some_excluded_people_are_in_the_dtks(city, truth):
    _, rows = read(city.exclusions)
    assert {row["jenis"] for row in rows} == {"PNS", "TNI", "POLRI"}
    excluded = {row["nik"] for row in rows}
    in_dtks = {t["true_nik"] for t in truth.values()} & excluded
    assert in_dtks
    assert all("excluded" in t["errors"] for t in truth.values() if t["true_nik"] in excluded)


def test_the_same_seed_writes_the_same_files_and_another_seed_others(tmp_path):
    first = synth.generate(600, tmp_path / "a", seed=5)
    again = synth.generate(600, tmp_path / "b", seed=5)
    other = synth.generate(600, tmp_path / "c", seed=6)
    for name in ("dukcapil.csv", "dtks.csv", "truth.csv", "exclusions.csv"):
        assert (first.dukcapil.parent / name).read_bytes() == (
            again.dukcapil.parent / name
        ).read_bytes()
    assert first.dukcapil.read_bytes() != other.dukcapil.read_bytes()


def test_progress_counts_up_to_the_total(tmp_path):
    calls = []
    synth.generate(300, tmp_path, seed=1, dtks_rows=50, progress=lambda d, t: calls.append((d, t)))
    assert calls[-1] == (350, 350)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_the_kecamatan_of_every_nik_exists(registry):
    assert {row["nik"][:6] for row in registry} <= kecamatan_codes()
