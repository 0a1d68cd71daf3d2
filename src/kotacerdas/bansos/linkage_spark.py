"""The Spark engine of the DTKS linkage (``link(..., engine="spark")``): the same model,
trained and scored by Splink on Apache Spark in local mode instead of DuckDB.

Only the probabilistic step runs on Spark: reading the files, the checked exact NIKs, the
decisions and the flags stay in DuckDB (``linkage``), which does them in seconds for any
city's registry. The DTKS rows needing linkage and the registry go to Spark as Arrow tables,
and the scored pairs come back the same way.

PySpark is an optional extra of Kota Cerdas: ``pip install 'kotacerdas[spark]'`` (or
``pip install pyspark``; it needs Java 17 or later). If a Spark session is already active (a
notebook, a cluster job), it is used and left running; it must have Splink's similarity jar on
its class path (``splink.backends.spark.similarity_jar_location()``). Otherwise a local session
is started for the run, with the jar, and stopped afterwards.
"""

from __future__ import annotations

import contextlib
import logging
import tempfile
from collections.abc import Callable, Iterator
from typing import Any

import pyarrow as pa
from django.utils.translation import gettext as _

from kotacerdas.bansos import linkage

# The levels' conditions in Spark SQL, where DuckDB's differ (``linkage.COMPARISONS``).
# damerau_levenshtein and jaro_winkler are the UDFs of Splink's jar; ``list_has_all(a, b)``
# is "nothing of b outside a"; on two strings of the same length, hamming distance 1 is
# Levenshtein distance 1.


def _one_typo(column: str) -> str:
    left, right = f"{column}_l", f"{column}_r"
    return (
        f"(left({left}, 1) = left({right}, 1) AND abs(length({left}) - length({right})) <= 1 "
        f"AND damerau_levenshtein({left}, {right}) <= 1)"
    )


SPARK_SQL = {
    ("name", "one typo"): f"{_one_typo('name_norm')} OR {_one_typo('name_key')}",
    ("name", "words of one within the other"): (
        "size(array_except(word_keys_r, word_keys_l)) = 0 "
        "OR size(array_except(word_keys_l, word_keys_r)) = 0"
    ),
    ("name", "phonetic keys alike"): "jaro_winkler(name_key_l, name_key_r) >= 0.9",
    ("name", "a shared word, few typos"): (
        "size(array_intersect(word_keys_l, word_keys_r)) >= 1 "
        "AND abs(length(name_key_l) - length(name_key_r)) <= 3 "
        "AND damerau_levenshtein(name_key_l, name_key_r) <= 3"
    ),
    ("name", "a shared word"): "size(array_intersect(word_keys_l, word_keys_r)) >= 1",
    ("dob", "two of day, month and year"): (
        "CAST(year(dob_l) = year(dob_r) AS INT) + CAST(month(dob_l) = month(dob_r) AS INT) "
        "+ CAST(day(dob_l) = day(dob_r) AS INT) = 2"
    ),
    ("dob", "within a year"): "abs(datediff(dob_l, dob_r)) <= 366",
    ("nik", "region and serial one digit apart"): "levenshtein(nik_rs_l, nik_rs_r) = 1",
}


PARTITIONS = 4


def check_available() -> None:
    """Raise ``LinkageError`` saying how to install PySpark when it is missing."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise linkage.LinkageError(
            _("The Spark engine needs PySpark, which is not installed: pip install pyspark")
        ) from None


@contextlib.contextmanager
def _session(threads: int | None) -> Iterator[Any]:
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    # py4j says at exit that it closes its connection; a quiet run is the rule.
    logging.getLogger("py4j").setLevel(logging.WARNING)
    active = SparkSession.getActiveSession()
    if active is not None:
        yield active
        return
    with tempfile.TemporaryDirectory(prefix="kc-linkage-spark-") as scratch:
        spark = (
            SparkSession.builder.master(f"local[{threads or '*'}]")
            .appName("kotacerdas-linkage")
            .config("spark.jars", similarity_jar_location())
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.local.dir", scratch)
            # One machine: a partition or two per core, not the cluster default of 200.
            .config("spark.sql.shuffle.partitions", str(PARTITIONS))
            .config("spark.default.parallelism", str(PARTITIONS))
            .config("spark.driver.memory", "4g")
            .config("spark.sql.execution.arrow.pyspark.enabled", "true")
            .getOrCreate()
        )
        spark.sparkContext.setLogLevel("ERROR")
        try:
            yield spark
        finally:
            spark.stop()


def score(
    dtks: pa.Table,
    registry: pa.Table,
    options: linkage.LinkOptions,
    report: Callable[[str, str], None],
) -> pa.Table:
    """Train and score on Spark: ``dtks`` (the rows needing linkage) against ``registry``,
    both with the columns ``linkage`` prepares. Returns (d_uid, r_uid, w) for each candidate
    pair, w the match weight."""
    check_available()
    from splink import SparkAPI

    with (
        _session(options.threads) as spark,
        tempfile.TemporaryDirectory(prefix="kc-linkage-spark-") as checkpoints,
    ):
        # Splink writes its intermediate tables as Parquet and reads them back, which cuts
        # Spark's lineage: without it, every EM iteration recomputes the blocking.
        spark.sparkContext.setCheckpointDir(checkpoints)
        db_api = SparkAPI(
            spark_session=spark,
            break_lineage_method="parquet",
            num_partitions_on_repartition=PARTITIONS,
        )
        left = db_api.register(spark.createDataFrame(dtks), table_name="a_dtks")
        right = db_api.register(spark.createDataFrame(registry), table_name="b_registry")
        predictions = linkage.fit_and_predict(
            left, right, linkage.splink_comparisons(SPARK_SQL), options, report, u_chunks=1
        )
        frame = predictions.as_spark_dataframe()
        chosen = frame.where(frame.source_dataset_l == "a_dtks").selectExpr(
            "CAST(uid_l AS INT) AS d_uid", "CAST(uid_r AS INT) AS r_uid", "match_weight AS w"
        )
        return chosen.toArrow()
