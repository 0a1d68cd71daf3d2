"""Benchmark: linking a DTKS extract to the civil registry (bansos linkage issue).

Generates a synthetic Kota Kediri (``bansos.synth``: 300,000 people, a 100,000-row DTKS with
controlled errors and the truth), then links it four ways, each in a fresh process so that
its time and peak memory are its own:

- ``exact``: the plain approach, a DuckDB join on NIK (no check, no fallback);
- ``generic``: Splink 5 as its tutorials set it up, with no Indonesian name handling: raw names
  lower-cased with Jaro-Winkler levels, exact dates, sex, kelurahan, KK, NIK (exact or one
  edit), blocked on NIK, date, KK and name, u by random sampling (1e7 pairs), m by EM, the
  prior from exact NIKs; each row linked to its best candidate at probability 0.9 or more;
- ``ours``: ``linkage.link_files``, what ``kotacerdas bansos link`` runs;
- ``ablation``: ``linkage.link`` with ``LinkOptions(indonesian_names=False)``: the same
  pipeline with names only lower-cased, to show what ``names`` is worth;
- ``spark`` (only when asked for): ``linkage.link`` with ``engine="spark"``. Its peak RSS is
  the Python process's; Spark's JVM is not counted.

Precision and recall are computed against truth.csv over the DTKS rows that *need*
probabilistic linkage: those without a usable NIK (blank, invalid, not in the registry, or
held by someone whose name disagrees), as ``ours`` classifies them (the same rows for every
approach). Precision: of those rows linked to someone, the share linked to the right person;
recall: of those rows whose person is in the registry, the share linked to them. The same
two over all rows, and accuracy: over all rows, the share whose link (or absence of one) is
right.

Targets: ``ours`` precision >= 0.99 and recall >= 0.97 on those rows, the whole run under
120 s on the 2-core machine.

    python bench/bansos_linkage.py [--people 300000] [--dtks-rows 100000] [--runs 3]
        [--approaches exact,generic,ours,ablation[,spark]] [--seed 1] [--keep DIR]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DATA_DIR = tempfile.mkdtemp(prefix="kc-bench-")
os.environ["KOTACERDAS_DATA_DIR"] = DATA_DIR  # never the real data directory
os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kotacerdas.settings")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import django  # noqa: E402

django.setup()

from kotacerdas.bansos import linkage, synth  # noqa: E402

APPROACHES = ("exact", "generic", "ours", "ablation", "spark")
DEFAULT_APPROACHES = ("exact", "generic", "ours", "ablation")
LABELS = {
    "exact": "exact NIK join (plain)",
    "generic": "Splink 5, generic settings",
    "ours": "linkage.link (checked NIK + Splink, Indonesian names)",
    "ablation": "linkage.link without Indonesian name handling",
    "spark": "linkage.link, engine spark (local mode)",
}
ACCEPT = 0.9


# ---------------------------------------------------------------------------------------------
# Workers: one approach, in its own process, writing id_dtks,nik_match[,nik_check]


def run_exact(data: Path, out: Path) -> None:
    import duckdb

    con = duckdb.connect()
    con.execute(
        f"""
        COPY (
            SELECT d.id_dtks, coalesce(r.nik, '') AS nik_match
            FROM read_csv('{data / "dtks.csv"}', all_varchar=true) d
            LEFT JOIN read_csv('{data / "dukcapil.csv"}', all_varchar=true) r
                ON trim(d.nik) = trim(r.nik)
        ) TO '{out}' (HEADER, DELIMITER ',')
        """  # noqa: S608
    )


def run_generic(data: Path, out: Path) -> None:
    import duckdb
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    con = duckdb.connect()
    for name, path, key in (
        ("a_dtks", data / "dtks.csv", "id_dtks"),
        ("b_registry", data / "dukcapil.csv", "nik"),
    ):
        con.execute(
            f"""
            CREATE TABLE {name}_t AS
            SELECT {key} AS unique_id, nik, no_kk, lower(nama) AS nama, tanggal_lahir,
                jenis_kelamin, kode_kelurahan
            FROM read_csv('{path}', all_varchar=true)
            """  # noqa: S608
        )
    db_api = DuckDBAPI(connection=con)
    left = db_api.register("a_dtks_t", table_name="a_dtks")
    right = db_api.register("b_registry_t", table_name="b_registry")
    settings = SettingsCreator(
        link_type="link_only",
        comparisons=[
            cl.JaroWinklerAtThresholds("nama", [0.95, 0.88, 0.7]),
            cl.ExactMatch("tanggal_lahir"),
            cl.ExactMatch("jenis_kelamin"),
            cl.ExactMatch("kode_kelurahan"),
            cl.ExactMatch("no_kk"),
            cl.LevenshteinAtThresholds("nik", 1),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("nik"),
            block_on("tanggal_lahir"),
            block_on("no_kk"),
            block_on("nama"),
        ],
        retain_matching_columns=False,
    )
    linker = Linker([left, right], settings, log_level=None)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("nik", "tanggal_lahir")], recall=0.8
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e7, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("tanggal_lahir"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("nama"))
    predictions = linker.inference.predict(threshold_match_probability=ACCEPT)
    con.execute(
        f"""
        COPY (
            SELECT d.unique_id AS id_dtks, coalesce(best.nik, '') AS nik_match
            FROM a_dtks_t d
            LEFT JOIN (
                SELECT unique_id_l AS id_dtks, arg_max(unique_id_r, match_probability) AS nik
                FROM {predictions.physical_name}
                WHERE source_dataset_l = 'a_dtks'
                GROUP BY unique_id_l
            ) best ON best.id_dtks = d.unique_id
        ) TO '{out}' (HEADER, DELIMITER ',')
        """  # noqa: S608
    )


def run_ours(data: Path, out: Path, *, indonesian: bool, engine: str = "duckdb") -> None:
    options = linkage.LinkOptions(indonesian_names=indonesian)
    run = linkage.link(
        data / "dtks.csv",
        data / "dukcapil.csv",
        exclusions=data / "exclusions.csv",
        options=options,
        engine=engine,
    )
    with open(out, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(("id_dtks", "nik_match", "nik_check"))
        writer.writerows((link.id_dtks, link.nik_match, link.nik_check) for link in run.links)
    if indonesian:
        # What link_files writes, so the run's cost includes it.
        linkage.write_links(run, out.with_suffix(".links.csv"))


def worker(approach: str, data: Path, out: Path) -> None:
    started = time.perf_counter()
    if approach == "exact":
        run_exact(data, out)
    elif approach == "generic":
        run_generic(data, out)
    elif approach == "spark":
        run_ours(data, out, indonesian=True, engine="spark")
    else:
        run_ours(data, out, indonesian=approach == "ours")
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_rss_mb": peak}))


# ---------------------------------------------------------------------------------------------
# The parent: data, runs, scores, table


def read_links(path: Path) -> dict[str, dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return {row["id_dtks"]: row for row in csv.DictReader(handle)}


def score(
    links: dict[str, dict[str, str]], truth: dict[str, str], need: set[str]
) -> dict[str, float]:
    linked = [i for i in need if links[i]["nik_match"]]
    right = sum(1 for i in linked if links[i]["nik_match"] == truth[i])
    known = [i for i in need if truth[i]]
    found = sum(1 for i in known if links[i]["nik_match"] == truth[i])
    correct = sum(1 for i, true_nik in truth.items() if links[i]["nik_match"] == true_nik)
    all_linked = [i for i in truth if links[i]["nik_match"]]
    all_known = [i for i in truth if truth[i]]
    return {
        "precision": right / len(linked) if linked else 1.0,
        "recall": found / len(known) if known else 1.0,
        "precision_all": sum(1 for i in all_linked if links[i]["nik_match"] == truth[i])
        / max(1, len(all_linked)),
        "recall_all": sum(1 for i in all_known if links[i]["nik_match"] == truth[i])
        / max(1, len(all_known)),
        "accuracy": correct / len(truth),
        "linked_need": len(linked),
    }


def load_average() -> str:
    try:
        return " ".join(f"{value:.1f}" for value in os.getloadavg())
    except OSError:
        return "?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=300_000)
    parser.add_argument("--dtks-rows", type=int, default=None, help="default: people // 3")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--approaches",
        default=",".join(DEFAULT_APPROACHES),
        help=f"a comma-separated choice of {', '.join(APPROACHES)} (spark needs PySpark)",
    )
    parser.add_argument("--keep", type=Path, help="write the data here and keep it")
    parser.add_argument("--worker", choices=APPROACHES, help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.data, args.out)
        return

    approaches = [a for a in args.approaches.split(",") if a]
    unknown = set(approaches) - set(APPROACHES)
    if unknown:
        parser.error(f"unknown approaches: {', '.join(sorted(unknown))}")
    # "ours" first: it decides which rows need probabilistic linkage.
    approaches = ["ours"] + [a for a in approaches if a != "ours"]
    work = Path(tempfile.mkdtemp(prefix="kc-bench-linkage-"))
    data = args.keep or work / "data"
    try:
        print(f"load average before: {load_average()}", flush=True)
        started = time.perf_counter()
        summary = synth.generate(args.people, data, seed=args.seed, dtks_rows=args.dtks_rows)
        print(
            f"synth.generate: {summary.people:,} people in {summary.families:,} families, "
            f"{summary.dtks_rows:,} DTKS rows, {time.perf_counter() - started:.1f} s",
            flush=True,
        )
        with open(summary.truth, newline="", encoding="utf-8") as handle:
            truth = {row["id_dtks"]: row["true_nik"] for row in csv.DictReader(handle)}

        need: set[str] = set()
        results: dict[str, list[dict[str, float]]] = {}
        for run_number in range(1, args.runs + 1):
            for approach in approaches:
                out = work / f"{approach}-{run_number}.csv"
                completed = subprocess.run(
                    [
                        sys.executable,
                        __file__,
                        "--worker",
                        approach,
                        "--data",
                        str(data),
                        "--out",
                        str(out),
                    ],
                    check=False,
                    capture_output=True,
                    text=True,
                )
                if completed.returncode:
                    sys.exit(f"{approach} failed:\n{completed.stderr[-3000:]}")
                measured = json.loads(completed.stdout.strip().splitlines()[-1])
                links = read_links(out)
                if approach == "ours" and not need:
                    need = {i for i, row in links.items() if row["nik_check"] != "exact"}
                measured |= score(links, truth, need)
                results.setdefault(approach, []).append(measured)
                print(
                    f"  run {run_number} {approach:9s} {measured['seconds']:7.1f} s "
                    f"{measured['peak_rss_mb']:7.0f} MB  precision {measured['precision']:.4f} "
                    f"recall {measured['recall']:.4f} accuracy {measured['accuracy']:.4f}",
                    flush=True,
                )
        known = sum(1 for i in need if truth[i])
        print()
        print(
            f"{len(truth):,} DTKS rows x {summary.people:,} people; {len(need):,} rows need "
            f"probabilistic linkage ({known:,} of them are in the registry). "
            f"Median of {args.runs} run(s); peak RSS is the largest of the runs."
        )
        print()
        print(
            "| approach | time | peak RSS | precision (need) | recall (need) "
            "| precision (all) | recall (all) | accuracy (all) |"
        )
        print("|---|---|---|---|---|---|---|---|")
        for approach in APPROACHES:
            if approach not in results:
                continue
            runs = results[approach]

            def median(key: str, runs: list[dict[str, float]] = runs) -> float:
                return statistics.median(run[key] for run in runs)

            print(
                f"| {LABELS[approach]} | {median('seconds'):.1f} s "
                f"| {max(r['peak_rss_mb'] for r in runs) / 1024:.2f} GB "
                f"| {median('precision'):.4f} | {median('recall'):.4f} "
                f"| {median('precision_all'):.4f} | {median('recall_all'):.4f} "
                f"| {median('accuracy'):.4f} |"
            )
        print()
        print(f"load average after: {load_average()}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(DATA_DIR, ignore_errors=True)


if __name__ == "__main__":
    main()
