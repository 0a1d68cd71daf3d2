"""Linking the DTKS to the civil registry: which registry person each DTKS row is, if any.

Dinas Sosial receives the DTKS (the national social-welfare register) as rows of names, birth
dates and NIKs typed by many hands over many years, and must know for each row whether the
person exists in the civil registry (Dispendukcapil), whether they have died, moved away or
joined the civil service, and whether they are listed twice. ``link`` answers that for every
row, in three steps:

1. **Clerical decisions first.** A pair a clerk has already judged (``decisions``) is final:
   an accepted pair is the link (method ``clerical``); a rejected pair is never linked nor
   proposed again.
2. **Exact NIK, checked.** A row whose NIK is valid (``identity.parse_nik``) and held by a
   registry person is linked to that person (method ``nik_exact``, probability 1.0) only if the
   names agree (``_EXACT_CHECK``): a mistyped NIK can be someone else's, and a family often
   shares one member's NIK on every row. A row whose NIK is blank, invalid, unknown or fails
   the check "needs probabilistic linkage".
3. **Probabilistic linkage** of those rows with Splink (Fellegi-Sunter; on DuckDB, or on
   Spark with ``engine="spark"``, see ``linkage_spark``). Each row is compared with the
   registry people who share its KK number, the KK of the person whose NIK it carries, the
   first 12 digits of its NIK, its birth date (day and month in either order), the phonetic
   key of its name, or its last name's key and birth year (``_blocking_rules``), on the levels
   of ``COMPARISONS``: the name as ``names`` normalises it, the birth date (with a level for
   day and month swapped), sex, kelurahan, KK and the NIK's region and serial. u
   probabilities are estimated by random sampling (seeded, so a run is repeatable) and m
   probabilities by expectation maximisation on the rows themselves, from written priors
   that stand where the data is too small to learn from; the prior is that each row is one
   of the registry's people. A row being at most one person, its candidates' probabilities
   share one unit (two equally good candidates get half each). The best is linked (method
   ``probabilistic``) from ``accept_threshold``; the other candidates from
   ``review_threshold`` go to the clerical review queue (``LinkRun.review``).

Then each row gets its flags (``LinkFlag``): ``nik_invalid`` (the NIK fails ``parse_nik``;
a blank NIK counts), ``nik_not_found``, ``nik_other_person`` (the NIK is held by a registry
person who is not this row), ``nik_dob_mismatch`` (the NIK's date digits disagree
with the row's birth date), and for a linked row ``deceased``, ``excluded_occupation``,
``moved_out`` (the person's kelurahan is outside ``city``) and ``duplicate_in_dtks`` (on every
row linked to a person that another row is also linked to: which one to keep is the clerk's
decision, not the machine's).

Input rows are plain dicts with the canonical column names (``DTKS_COLUMNS``,
``REGISTRY_COLUMNS``; values as text or dates), or a CSV file with those columns;
``link_files`` reads CSV files and writes the links as CSV. NIKs are personal data: nothing here
logs or prints one, and progress reports carry counts only.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import itertools
import logging
import math
import re
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from kotacerdas.bansos import names
from kotacerdas.bansos.choices import LinkFlag, LinkMethod, NikWarning
from kotacerdas.bansos.identity import IdentityError, nik_warnings, parse_nik
from kotacerdas.bansos.tables import DTKS_COLUMNS, EXCLUSION_COLUMNS

DTKS_REQUIRED = ("id_dtks", "nik", "nama", "tanggal_lahir")
REGISTRY_COLUMNS = (
    "nik",
    "no_kk",
    "nama",
    "tanggal_lahir",
    "jenis_kelamin",
    "kode_kelurahan",
    "status_hidup",
)
REGISTRY_REQUIRED = ("nik", "nama", "tanggal_lahir")
OUTPUT_COLUMNS = ("id_dtks", "nik_match", "match_probability", "method", "flags")
ENGINES = ("duckdb", "spark")
DECEASED_STATUS = "MATI"

# How the NIK of a row came out of the exact step (``Link.nik_check``). Every value but
# ``exact`` means the row needed probabilistic linkage.
NIK_EXACT = "exact"
NIK_BLANK = "blank"
NIK_INVALID = "invalid"
NIK_NOT_FOUND = "not_found"
NIK_CHECK_FAILED = "check_failed"  # held by a registry person whose name disagrees
NIK_REJECTED = "rejected"  # held by a registry person a clerk said is someone else

# Dates as Indonesian offices write them, tried in this order.
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d")


Progress = Callable[[str, int, int], None]
Records = Iterable[Mapping[str, Any]] | Path | str


@dataclass(frozen=True)
class LinkOptions:
    """The knobs of a linkage run.

    ``accept_threshold``: the match probability from which the best candidate is linked
    without a clerk. ``review_threshold``: the probability from which a pair is worth a
    clerk's look: a row's candidates from there up, other than its link, are queued.
    ``indonesian_names``: normalise names with ``names`` (titles, bin/binti, Muhammad, old
    spelling, phonetic key); off only to measure what that handling is worth (the benchmark's
    ablation). ``seed``: for the random sampling of u probabilities. ``u_pairs``: how many
    random pairs estimate them. ``threads``: DuckDB's (or local Spark's) threads; all cores
    by default."""

    accept_threshold: float = 0.9
    review_threshold: float = 0.2
    indonesian_names: bool = True
    seed: int = 1
    u_pairs: float = 3e6
    threads: int | None = None


@dataclass(frozen=True, slots=True)
class Link:
    """What the linkage says of one DTKS row: the registry NIK it is (``""`` for none), how
    sure (1.0 for a checked exact NIK or a clerk's decision), how it was decided
    (``LinkMethod``), its flags (``LinkFlag``), and how its own NIK fared (``nik_check``: one
    of ``exact``, ``blank``, ``invalid``, ``not_found``, ``check_failed``, ``rejected``)."""

    id_dtks: str
    nik_match: str
    match_probability: float
    method: str
    flags: tuple[str, ...]
    nik_check: str

    @property
    def needed_probabilistic(self) -> bool:
        return self.nik_check != NIK_EXACT


@dataclass(frozen=True, slots=True)
class ReviewCandidate:
    """A pair for the clerical review queue: a DTKS row and a registry person it may be,
    with the model's probability (from the review threshold up; never the row's link)."""

    id_dtks: str
    nik: str
    match_probability: float


@dataclass
class LinkRun:
    """The outcome of ``link``: one ``Link`` per DTKS row in input order, the review queue,
    and counts (rows, registry, per method, needing probabilistic linkage, candidate pairs
    scored) with the seconds each step took."""

    links: list[Link]
    review: list[ReviewCandidate]
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def __iter__(self) -> Iterator[Link]:
        return iter(self.links)

    def __len__(self) -> int:
        return len(self.links)

    def by_id(self) -> dict[str, Link]:
        return {link.id_dtks: link for link in self.links}


class LinkageError(ValueError):
    """Input the linkage cannot use; the message is for the clerk and never holds a NIK."""


# ---------------------------------------------------------------------------------------------
# Reading the input into DuckDB


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def _delimiter(header: str) -> str:
    counts = {sep: header.count(sep) for sep in (",", ";", "\t", "|")}
    return max(counts, key=lambda sep: counts[sep])


def _sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _load(
    con: duckdb.DuckDBPyConnection,
    source: Records,
    table: str,
    columns: tuple[str, ...],
    required: tuple[str, ...],
    label: str,
) -> int:
    """``source`` (dict rows or a CSV path) as the table ``table`` holding ``columns`` as text
    (a missing optional column is all NULL) and ``_row``, the input order from 0."""
    if isinstance(source, (str, Path)):
        path = Path(source)
        try:
            with open(path, encoding="utf-8-sig", newline="") as handle:
                first = handle.readline()
        except OSError as error:
            raise LinkageError(
                _("%(label)s: the file cannot be read (%(reason)s).")
                % {"label": label, "reason": error.strerror}
            ) from None
        delimiter = _delimiter(first)
        header = [name.strip().lower() for name in next(csv.reader([first], delimiter=delimiter))]
        _check_columns(header, required, label)
        con.execute(
            f"CREATE TEMP TABLE _raw_{table} AS SELECT * FROM read_csv("  # noqa: S608
            f"{_sql_literal(str(path))}, header=true, all_varchar=true, "
            f"delim={_sql_literal(delimiter)}, quote='\"', normalize_names=false)"
        )
        present = {
            name.strip().lower(): name
            for (name,) in con.execute(
                f"SELECT column_name FROM (DESCRIBE SELECT * FROM _raw_{table})"  # noqa: S608
            ).fetchall()
        }
        selects = ", ".join(
            f"NULLIF(TRIM(\"{present[c]}\"), '') AS {c}"
            if c in present
            else f"NULL::VARCHAR AS {c}"
            for c in columns
        )
        con.execute(
            f"CREATE TEMP TABLE {table} AS SELECT (row_number() OVER () - 1)::INTEGER "  # noqa: S608
            f"AS _row, {selects} FROM _raw_{table}"
        )
        con.execute(f"DROP TABLE _raw_{table}")
    else:
        values: dict[str, list[str | None]] = {c: [] for c in columns}
        checked = False
        for record in source:
            if not checked:
                _check_columns(list(record), required, label)
                checked = True
            for column in columns:
                values[column].append(_text(record.get(column)))
        arrow = pa.table(
            {"_row": pa.array(range(len(values[columns[0]])), pa.int32())}
            | {c: pa.array(v, pa.string()) for c, v in values.items()}
        )
        con.register(f"_arrow_{table}", arrow)
        con.execute(f"CREATE TEMP TABLE {table} AS SELECT * FROM _arrow_{table}")  # noqa: S608
        con.unregister(f"_arrow_{table}")
    return int(_one(con, f"SELECT count(*) FROM {table}")[0])  # noqa: S608


def _check_columns(header: list[str], required: tuple[str, ...], label: str) -> None:
    missing = [c for c in required if c not in header]
    if missing:
        raise LinkageError(
            _("%(label)s lacks the columns %(columns)s.")
            % {"label": label, "columns": ", ".join(missing)}
        )


def _one(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> tuple:
    """The first row of a query (None when there is none), the result read to the end: DuckDB
    refuses other work on a connection with an unfinished result."""
    rows = con.execute(sql, params or []).fetchall()
    return rows[0] if rows else None  # type: ignore[return-value]


def _date_sql(column: str) -> str:
    tries = ", ".join(f"try_strptime({column}, '{fmt}')::DATE" for fmt in DATE_FORMATS)
    return f"COALESCE({tries})"


# ---------------------------------------------------------------------------------------------
# Names and NIKs, computed in Python once per distinct value


_NON_WORD = re.compile(r"[^a-z0-9]+")


def _raw_name(name: str) -> str:
    """The ablation's name: lower case and plain words, nothing Indonesian about it."""
    return " ".join(word for word in _NON_WORD.split(name.lower()) if word)


def _name_table(con: duckdb.DuckDBPyConnection, indonesian: bool) -> None:
    """``_names``: for every distinct name of both inputs, its normalised form, its words and
    their phonetic keys."""
    distinct = [
        row[0]
        for row in con.execute(
            "SELECT nama FROM dtks WHERE nama IS NOT NULL UNION "
            "SELECT nama FROM registry WHERE nama IS NOT NULL"
        ).fetchall()
    ]
    norms, keys, words, word_keys = [], [], [], []
    for name in distinct:
        if indonesian:
            norm = names.normalise_name(name)
            parts = norm.split()
            parts_keys = [names.word_key(part) for part in parts]
        else:
            norm = _raw_name(name)
            parts = norm.split()
            parts_keys = parts
        norms.append(norm or None)
        keys.append(" ".join(parts_keys) or None)
        words.append(parts)
        word_keys.append(parts_keys)
    table = pa.table(
        {
            "nama": pa.array(distinct, pa.string()),
            "name_norm": pa.array(norms, pa.string()),
            "name_key": pa.array(keys, pa.string()),
            "words": pa.array(words, pa.list_(pa.string())),
            "word_keys": pa.array(word_keys, pa.list_(pa.string())),
        }
    )
    con.register("_arrow_names", table)
    con.execute("CREATE TEMP TABLE _names AS SELECT * FROM _arrow_names")
    con.unregister("_arrow_names")


@sensitive_variables("rows", "nik", "parsed")
def _nik_table(con: duckdb.DuckDBPyConnection) -> None:
    """``_nik``: per DTKS row whose NIK is given, whether it is valid and whether its date
    digits disagree with the row's birth date (``identity``'s rules, in Python)."""
    rows = con.execute("SELECT _row, nik, birth FROM _dtks_base WHERE nik IS NOT NULL").fetchall()
    ids, valid, mismatch = [], [], []
    for row, nik, birth in rows:
        try:
            parsed = parse_nik(nik)
        except IdentityError:
            ids.append(row)
            valid.append(False)
            mismatch.append(False)
            continue
        ids.append(row)
        valid.append(True)
        mismatch.append(NikWarning.DOB_MISMATCH in nik_warnings(parsed, birth, None))
    table = pa.table(
        {
            "_row": pa.array(ids, pa.int32()),
            "nik_valid": pa.array(valid, pa.bool_()),
            "nik_dob_mismatch": pa.array(mismatch, pa.bool_()),
        }
    )
    con.register("_arrow_nik", table)
    con.execute("CREATE TEMP TABLE _nik AS SELECT * FROM _arrow_nik")
    con.unregister("_arrow_nik")


def _prepare(con: duckdb.DuckDBPyConnection, indonesian: bool) -> None:
    """The columns both sides are compared on, in ``_dtks_p`` and ``_registry_p``: digits-only
    NIK and KK, the birth date and a key of it that ignores the order of day and month, the
    name in its normalised, phonetic and word forms, sex, kelurahan and kecamatan."""
    _name_table(con, indonesian)
    for side in ("dtks", "registry"):
        extra = "id_dtks," if side == "dtks" else "status_hidup,"
        con.execute(
            f"""
            CREATE TEMP TABLE _{side}_base AS
            SELECT _row, {extra}
                NULLIF(regexp_replace(nik, '[ .\\-'']', '', 'g'), '') AS nik,
                NULLIF(regexp_replace(no_kk, '[ .\\-'']', '', 'g'), '') AS kk,
                nama,
                {_date_sql("tanggal_lahir")} AS birth,
                CASE upper(jenis_kelamin) WHEN 'L' THEN 'L' WHEN 'P' THEN 'P' END AS sex,
                kode_kelurahan AS kel
            FROM {side}
            """  # noqa: S608
        )
    _nik_table(con)
    for side in ("dtks", "registry"):
        extra = (
            "b.id_dtks, COALESCE(k.nik_valid, false) AS nik_valid, "
            if side == "dtks"
            else ("upper(b.status_hidup) AS status_hidup, ")
        )
        join = "LEFT JOIN _nik k USING (_row)" if side == "dtks" else ""
        con.execute(
            f"""
            CREATE TEMP TABLE _{side}_p AS
            SELECT b._row AS uid, {extra}
                b.nik, b.kk, b.birth AS dob,
                CASE WHEN b.birth IS NOT NULL THEN
                    year(b.birth)::VARCHAR || '-'
                    || least(month(b.birth), day(b.birth))::VARCHAR || '-'
                    || greatest(month(b.birth), day(b.birth))::VARCHAR
                END AS dob_key,
                year(b.birth) AS birth_year,
                b.sex, b.kel,
                CASE WHEN b.kel IS NOT NULL THEN left(b.kel, 8) END AS kec,
                n.name_norm, n.name_key, n.words, n.word_keys,
                n.word_keys[len(n.word_keys)] AS last_key
            FROM _{side}_base b
            LEFT JOIN _names n USING (nama)
            {join}
            """  # noqa: S608
        )


# ---------------------------------------------------------------------------------------------
# Step 2: exact NIK, checked against the name

# The names agree well enough for an exact NIK to be trusted: the same normalised name or
# phonetic key, one typo apart (in the name or its key), or one name's words all in the other
# (a word left out: "Siti Aminah" for "Siti Aminah Zahro"), the shorter having two words at
# least. Or, less alike (Jaro-Winkler 0.85) when the birth date agrees in full and so does the
# KK number or the kelurahan. A date alone proves nothing: a mistyped serial gives another
# person born the same day in the same kecamatan.
_EXACT_CHECK = """
    d.name_norm = r.name_norm
    OR d.name_key = r.name_key
    OR damerau_levenshtein(d.name_norm, r.name_norm) <= 1
    OR damerau_levenshtein(d.name_key, r.name_key) <= 1
    OR (least(len(d.words), len(r.words)) >= 2
        AND (list_has_all(d.word_keys, r.word_keys) OR list_has_all(r.word_keys, d.word_keys)))
    OR (jaro_winkler_similarity(d.name_norm, r.name_norm) >= 0.85
        AND d.dob = r.dob AND (d.kk = r.kk OR d.kel = r.kel))
"""


def _exact_step(con: duckdb.DuckDBPyConnection) -> None:
    """``_exact``: rows whose valid NIK is held by a registry person, with whether the
    names agree. Pairs a clerk rejected never count (``_rejected``)."""
    con.execute(
        f"""
        CREATE TEMP TABLE _exact AS
        SELECT d.uid AS d_uid, r.uid AS r_uid, ({_EXACT_CHECK}) AS agrees,
            EXISTS (SELECT 1 FROM _decisions x
                    WHERE x.id_dtks = d.id_dtks AND x.nik = r.nik AND NOT x.same) AS rejected
        FROM _dtks_p d JOIN _registry_p r ON d.nik = r.nik
        WHERE d.nik_valid
        """  # noqa: S608
    )


# ---------------------------------------------------------------------------------------------
# Step 3: Splink


def _one_typo(column: str) -> str:
    """One letter changed, added, dropped or two swapped, anywhere but the first letter (which
    people rarely get wrong, and checking it first spares the costly distance on most pairs)."""
    left, right = f"{column}_l", f"{column}_r"
    return (
        f"(left({left}, 1) = left({right}, 1) AND abs(length({left}) - length({right})) <= 1 "
        f"AND damerau_levenshtein({left}, {right}) <= 1)"
    )


@dataclass(frozen=True)
class _Level:
    label: str
    sql: str  # "ELSE" for the last level
    m_prior: float  # share of true pairs expected at this level before any training
    u_prior: float  # share of pairs of different people at this level, likewise


@dataclass(frozen=True)
class _Comparison:
    name: str
    null_columns: tuple[str, ...]
    levels: tuple[_Level, ...]


# The Fellegi-Sunter comparisons, each a list of levels, most alike first. ``m_prior`` is what
# we expect of true pairs in a DTKS before seeing it (most agree; a few in ten have a typo, a
# stale KK or kelurahan, a date written wrong), ``u_prior`` of two different people in a city
# (one in 2,000 share a name, one in 20,000 a birth date, half their sex, a few in a hundred
# their kelurahan; a family card has three or four members). The model starts from them,
# learns the real values from the data when there is enough of it (``EM_MIN_ROWS``,
# ``U_MIN_PAIRS``), and keeps a prior where the data shows nothing.
COMPARISONS = (
    _Comparison(
        "name",
        ("name_norm",),
        (
            _Level("same name", "name_norm_l = name_norm_r", 0.75, 0.0005),
            _Level("same phonetic key", "name_key_l = name_key_r", 0.08, 0.0001),
            _Level(
                "one typo", f"{_one_typo('name_norm')} OR {_one_typo('name_key')}", 0.07, 0.0002
            ),
            _Level(
                "words of one within the other",
                "list_has_all(word_keys_l, word_keys_r) OR list_has_all(word_keys_r, word_keys_l)",
                0.04,
                0.0003,
            ),
            _Level(
                "phonetic keys alike",
                "jaro_winkler_similarity(name_key_l, name_key_r) >= 0.9",
                0.02,
                0.003,
            ),
            _Level(
                "a shared word, few typos",
                "len(list_intersect(word_keys_l, word_keys_r)) >= 1 "
                "AND abs(length(name_key_l) - length(name_key_r)) <= 3 "
                "AND damerau_levenshtein(name_key_l, name_key_r) <= 3",
                0.02,
                0.001,
            ),
            _Level(
                "a shared word", "len(list_intersect(word_keys_l, word_keys_r)) >= 1", 0.01, 0.02
            ),
            _Level("different", "ELSE", 0.01, 0.97),
        ),
    ),
    _Comparison(
        "dob",
        ("dob",),
        (
            _Level("same date", "dob_l = dob_r", 0.9, 5e-05),
            _Level(
                "day and month swapped",
                "year(dob_l) = year(dob_r) AND day(dob_l) = month(dob_r) "
                "AND month(dob_l) = day(dob_r)",
                0.02,
                2e-05,
            ),
            _Level(
                "two of day, month and year",
                "(year(dob_l) = year(dob_r))::INT + (month(dob_l) = month(dob_r))::INT "
                "+ (day(dob_l) = day(dob_r))::INT = 2",
                0.04,
                0.005,
            ),
            _Level("within a year", "abs(date_diff('day', dob_l, dob_r)) <= 366", 0.02, 0.025),
            _Level("different", "ELSE", 0.02, 0.97),
        ),
    ),
    _Comparison(
        "sex",
        ("sex",),
        (_Level("same sex", "sex_l = sex_r", 0.99, 0.5), _Level("different", "ELSE", 0.01, 0.5)),
    ),
    _Comparison(
        "kel",
        ("kel",),
        (
            _Level("same kelurahan", "kel_l = kel_r", 0.9, 0.03),
            _Level("same kecamatan", "kec_l = kec_r", 0.04, 0.3),
            _Level("different", "ELSE", 0.06, 0.67),
        ),
    ),
    _Comparison(
        "kk",
        ("kk",),
        (_Level("same KK", "kk_l = kk_r", 0.85, 2e-05), _Level("different", "ELSE", 0.15, 1.0)),
    ),
    # The NIK without its date digits (region and serial, ``nik_rs``): the date is the birth
    # date, compared above, and counting it twice would make a made-up NIK of the right date
    # look like a typo of the right person's. Mostly weak evidence (serials are small numbers),
    # it helps where a mistyped NIK is all that agrees.
    _Comparison(
        "nik",
        ("nik_rs",),
        (
            _Level("same region and serial", "nik_rs_l = nik_rs_r", 0.7, 0.05),
            _Level(
                "region and serial one digit apart", "hamming(nik_rs_l, nik_rs_r) = 1", 0.2, 0.2
            ),
            _Level("different", "ELSE", 0.1, 0.75),
        ),
    ),
)
# Fewer rows needing linkage than this, and the m probabilities stay at their priors: EM on a
# handful of pairs learns noise.
EM_MIN_ROWS = 300
# Fewer possible pairs than this, and the u probabilities stay at their priors: random pairs
# of a tiny registry say little about the city.
U_MIN_PAIRS = 100_000


def splink_comparisons(sql_of: Mapping[tuple[str, str], str] | None = None) -> list[Any]:
    """``COMPARISONS`` as Splink comparisons, starting from the m priors. ``sql_of`` gives a
    level's condition in another SQL dialect, by (comparison, level label); by default the
    DuckDB one."""
    from splink import comparison_level_library as cll
    from splink.comparison_library import CustomComparison

    sql_of = sql_of or {}
    out = []
    for comparison in COMPARISONS:
        null_sql = " OR ".join(f"{c}_l IS NULL OR {c}_r IS NULL" for c in comparison.null_columns)
        levels = [cll.CustomLevel(null_sql, label_for_charts="null").configure(is_null_level=True)]
        for item in comparison.levels:
            level = (
                cll.ElseLevel()
                if item.sql == "ELSE"
                else cll.CustomLevel(
                    sql_of.get((comparison.name, item.label), item.sql),
                    label_for_charts=item.label,
                )
            )
            levels.append(level.configure(m_probability=item.m_prior))
        out.append(CustomComparison(comparison_levels=levels, output_column_name=comparison.name))
    return out


def _complete_model(model: dict[str, Any], u_pairs: float) -> dict[str, Any]:
    """A trained model with every level's m and u: a level the training never saw keeps its m
    prior, and its u prior, or one in the pairs sampled if that is rarer (Splink would
    otherwise take one in a million, far too sure on a small registry)."""
    for comparison, spec in zip(model["comparisons"], COMPARISONS, strict=True):
        levels = [
            level for level in comparison["comparison_levels"] if not level.get("is_null_level")
        ]
        for level, item in zip(levels, spec.levels, strict=True):
            level.setdefault("m_probability", item.m_prior)
            level.setdefault(
                "u_probability", min(item.u_prior, 1 / u_pairs) if u_pairs else item.u_prior
            )
    return model


def _nik12_sql(column: str) -> str:
    # Region and date digits (1-12) of a NIK of the right length.
    return f"CASE WHEN length({column}) = 16 THEN left({column}, 12) END"


def _nik_rs_sql(column: str) -> str:
    # Region (digits 1-6) and serial (13-16) of a NIK of the right length.
    return f"CASE WHEN length({column}) = 16 THEN left({column}, 6) || right({column}, 4) END"


def _blocking_rules() -> list[str]:
    """Candidate pairs: the same KK number; the same family card as the person whose NIK the
    row carries (a family member's NIK is a common mistake); the same first 12 NIK digits
    (a typo in the serial); the same birth date, day and month in either order; the same
    phonetic name; the same last-name key and birth year. A true pair is missed only when all
    of them disagree."""
    return [
        "l.kk = r.kk",
        "l.family_kk = r.family_kk",
        "l.nik12 = r.nik12",
        "l.dob_key = r.dob_key",
        "l.name_key = r.name_key",
        "l.last_key = r.last_key AND l.birth_year = r.birth_year",
    ]


def _splink_scores(
    con: duckdb.DuckDBPyConnection,
    registry_count: int,
    options: LinkOptions,
    report: Callable[[str, str], None],
    engine: str,
) -> int:
    """Score the rows in ``_need`` against the registry into ``_scores`` (d_uid, r_uid, w: the
    match weight) with the engine asked for; returns how many pairs were scored."""
    con.execute(
        f"""
        CREATE TEMP TABLE _splink_dtks AS
        SELECT d.uid, {_nik_rs_sql("d.nik")} AS nik_rs, {_nik12_sql("d.nik")} AS nik12,
            d.kk, (SELECT min(r.kk) FROM _registry_p r WHERE r.nik = d.nik) AS family_kk,
            d.dob, d.dob_key, d.birth_year, d.sex, d.kel, d.kec,
            d.name_norm, d.name_key, d.words, d.word_keys, d.last_key
        FROM _dtks_p d WHERE d.uid IN (SELECT uid FROM _need)
        """  # noqa: S608
    )
    con.execute(
        f"""
        CREATE TEMP TABLE _splink_registry AS
        SELECT uid, {_nik_rs_sql("nik")} AS nik_rs, {_nik12_sql("nik")} AS nik12,
            kk, kk AS family_kk, dob, dob_key, birth_year, sex, kel, kec,
            name_norm, name_key, words, word_keys, last_key
        FROM _registry_p
        """  # noqa: S608
    )
    if engine == "spark":
        from kotacerdas.bansos import linkage_spark

        scores = linkage_spark.score(
            con.table("_splink_dtks").to_arrow_table(),
            con.table("_splink_registry").to_arrow_table(),
            options,
            report,
        )
        con.register("_arrow_scores", scores)
        con.execute(
            "CREATE TEMP TABLE _scores AS "
            "SELECT d_uid::INTEGER AS d_uid, r_uid::INTEGER AS r_uid, w::DOUBLE AS w "
            "FROM _arrow_scores"
        )
        con.unregister("_arrow_scores")
    else:
        from splink import DuckDBAPI

        db_api = DuckDBAPI(connection=con)
        left = db_api.register("_splink_dtks", table_name="a_dtks")
        right = db_api.register("_splink_registry", table_name="b_registry")
        predictions = fit_and_predict(left, right, splink_comparisons(), options, report)
        con.execute(
            f"""
            CREATE TEMP TABLE _scores AS
            SELECT uid_l::INTEGER AS d_uid, uid_r::INTEGER AS r_uid, match_weight AS w
            FROM {predictions.physical_name}
            WHERE source_dataset_l = 'a_dtks'
            """  # noqa: S608
        )
    return int(_one(con, "SELECT count(*) FROM _scores")[0])


def fit_and_predict(
    left: Any,
    right: Any,
    comparisons: list[Any],
    options: LinkOptions,
    report: Callable[[str, str], None],
    *,
    u_chunks: int = 10,
) -> Any:
    """Train the model on the DTKS rows needing linkage (``left``, registered as "a_dtks",
    so that it is Splink's left side) against the registry (``right``, "b_registry"), and
    score the candidate pairs; the same on every engine. Returns Splink's predictions (with
    ``uid_l``, ``uid_r``, ``source_dataset_l`` and ``match_weight``). ``u_chunks``: how many
    pieces Splink samples u in (stopping early when every level has been seen enough); each
    is a job, cheap on DuckDB, seconds on Spark."""
    from splink import Linker, SettingsCreator

    need_count = _count(left)
    registry_count = _count(right)
    settings = SettingsCreator(
        link_type="link_only",
        unique_id_column_name="uid",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=_blocking_rules(),
        # Each DTKS row is (at most) one of the registry's people.
        probability_two_random_records_match=1 / max(registry_count, 2),
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
        em_convergence=0.001,
        max_iterations=20,
    )
    linker = Linker([left, right], settings, log_level=None)
    report("train", _("Estimating the model"))
    u_pairs = min(options.u_pairs, need_count * registry_count)
    if u_pairs >= U_MIN_PAIRS:
        linker.training.estimate_u_using_random_sampling(
            max_pairs=u_pairs, seed=options.seed, num_chunks=u_chunks
        )
    else:
        u_pairs = 0
    if need_count >= EM_MIN_ROWS:
        # m from the rows themselves: blocked on the birth date (which teaches every
        # comparison but the date), then on the phonetic name (which teaches the date).
        for rule in ("l.dob = r.dob", "l.name_key = r.name_key"):
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True
            )
    model = _complete_model(linker.misc.save_model_to_json(), u_pairs)
    linker = Linker([left, right], model, log_level=None)
    report("score", _("Scoring candidate pairs"))
    return linker.inference.predict(
        threshold_match_probability=options.review_threshold / 10, warning_mode="never"
    )


def _count(table: Any) -> int:
    """The rows of a registered Splink table."""
    result = table.query_sql(f"SELECT count(*) AS n FROM {table.physical_name}")  # noqa: S608
    return int(result.as_record_list()[0]["n"])


# ---------------------------------------------------------------------------------------------
# The whole run


@sensitive_variables("decisions")
def _decision_table(
    con: duckdb.DuckDBPyConnection, decisions: Mapping[tuple[str, str], bool] | None
) -> None:
    items = list((decisions or {}).items())
    table = pa.table(
        {
            "id_dtks": pa.array([str(key[0]) for key, _same in items], pa.string()),
            "nik": pa.array([str(key[1]) for key, _same in items], pa.string()),
            "same": pa.array([bool(same) for _key, same in items], pa.bool_()),
        }
    )
    con.register("_arrow_decisions", table)
    con.execute("CREATE TEMP TABLE _decisions AS SELECT * FROM _arrow_decisions")
    con.unregister("_arrow_decisions")


def _exclusion_table(con: duckdb.DuckDBPyConnection, exclusions: Records | None) -> None:
    if exclusions is None:
        con.execute("CREATE TEMP TABLE exclusions (_row INTEGER, nik VARCHAR, jenis VARCHAR)")
        return
    _load(con, exclusions, "exclusions", EXCLUSION_COLUMNS, ("nik",), _("The exclusions list"))


def _default_city(con: duckdb.DuckDBPyConnection) -> str | None:
    """The regency or city most of the registry lives in (``35.71``)."""
    row = _one(
        con,
        "SELECT left(kel, 5) AS city, count(*) AS n FROM _registry_p WHERE kel IS NOT NULL "
        "GROUP BY city ORDER BY n DESC, city LIMIT 1",
    )
    return row[0] if row else None


def link(
    dtks: Records,
    registry: Records,
    *,
    exclusions: Records | None = None,
    decisions: Mapping[tuple[str, str], bool] | None = None,
    engine: str = "duckdb",
    city: str | None = None,
    progress: Progress | None = None,
    options: LinkOptions | None = None,
) -> LinkRun:
    """Link every DTKS row to a civil-registry person, or to none (see the module's
    docstring for the method).

    ``dtks`` and ``registry``: rows as dicts with the canonical column names
    (``DTKS_COLUMNS``, ``REGISTRY_COLUMNS``; at least ``DTKS_REQUIRED`` and
    ``REGISTRY_REQUIRED``), or the path of a CSV file with them. ``exclusions``: rows or a CSV
    of ``nik,jenis`` (PNS, TNI, POLRI...). ``decisions``: the clerks' earlier judgements,
    ``(id_dtks, nik) -> True`` (same person) or ``False`` (different people). ``city``: the
    Kemendagri code of the regency or city (``35.71``); a linked person whose kelurahan is
    outside it is flagged ``moved_out``; by default, the one most of the registry lives in.
    ``progress(stage, done, total)``: called as the run goes, with a translated stage name
    and counts of steps (never any data). Raises ``LinkageError`` for unusable input."""
    if engine not in ENGINES:
        raise LinkageError(
            _("Unknown linkage engine %(engine)s; use duckdb or spark.") % {"engine": engine}
        )
    if engine == "spark":
        # Fail before reading anything when PySpark is missing.
        from kotacerdas.bansos import linkage_spark

        linkage_spark.check_available()
    options = options or LinkOptions()
    stages = ("read", "exact", "train", "score", "decide")
    marks: list[tuple[str, float]] = []

    def report(key: str, label: str) -> None:
        marks.append((key, time.perf_counter()))
        if progress:
            progress(label, len(marks), len(stages) + 1)

    with _connection(options) as con:
        report("read", _("Reading the DTKS and the civil registry"))
        dtks_count = _load(con, dtks, "dtks", DTKS_COLUMNS, DTKS_REQUIRED, _("The DTKS file"))
        registry_count = _load(
            con, registry, "registry", REGISTRY_COLUMNS, REGISTRY_REQUIRED, _("The civil registry")
        )
        _check_unique_ids(con)
        _exclusion_table(con, exclusions)
        _decision_table(con, decisions)
        _prepare(con, options.indonesian_names)
        city = city or _default_city(con)

        report("exact", _("Matching exact NIKs"))
        _exact_step(con)
        # Per row: how its NIK fared, and the person a clerk or the exact step linked it to.
        con.execute(
            """
            CREATE TEMP TABLE _stage AS
            SELECT d.uid, d.id_dtks,
                CASE
                    WHEN d.nik IS NULL THEN 'blank'
                    WHEN NOT d.nik_valid THEN 'invalid'
                    WHEN NOT EXISTS (SELECT 1 FROM _exact e WHERE e.d_uid = d.uid)
                        THEN 'not_found'
                    WHEN EXISTS (SELECT 1 FROM _exact e
                                 WHERE e.d_uid = d.uid AND e.agrees AND NOT e.rejected)
                        THEN 'exact'
                    WHEN EXISTS (SELECT 1 FROM _exact e WHERE e.d_uid = d.uid AND e.agrees)
                        THEN 'rejected'
                    ELSE 'check_failed'
                END AS nik_check,
                (SELECT min(r.uid) FROM _decisions x JOIN _registry_p r ON r.nik = x.nik
                 WHERE x.id_dtks = d.id_dtks AND x.same) AS clerical_uid,
                (SELECT min(e.r_uid) FROM _exact e
                 WHERE e.d_uid = d.uid AND e.agrees AND NOT e.rejected) AS exact_uid
            FROM _dtks_p d
            """
        )
        con.execute(
            "CREATE TEMP TABLE _need AS SELECT uid FROM _stage "
            "WHERE clerical_uid IS NULL AND exact_uid IS NULL"
        )
        need_count = int(_one(con, "SELECT count(*) FROM _need")[0])

        pairs = 0
        if need_count and registry_count:
            pairs = _splink_scores(con, registry_count, options, report, engine)
        else:
            report("train", _("Estimating the model"))
            report("score", _("Scoring candidate pairs"))
            con.execute("CREATE TEMP TABLE _scores (d_uid INTEGER, r_uid INTEGER, w DOUBLE)")

        report("decide", _("Choosing links and flags"))
        links, review = _decide(con, options, city)
        report("done", _("Done"))

    counts = {
        "dtks_rows": dtks_count,
        "registry_rows": registry_count,
        "needed_probabilistic": int(need_count),
        "pairs_scored": pairs,
        "review_candidates": len(review),
    }
    for method in LinkMethod.values:
        counts[method] = sum(1 for item in links if item.method == method)
    seconds = {key: end - start for (key, start), (_next, end) in itertools.pairwise(marks)}
    seconds["total"] = marks[-1][1] - marks[0][1]
    return LinkRun(links=links, review=review, counts=counts, seconds=seconds)


@contextlib.contextmanager
def _connection(options: LinkOptions) -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory DuckDB that may spill to a temporary directory, removed afterwards.
    Splink's own log stays quiet: it names tables and counts, but a quiet run is the rule."""
    splink_logger = logging.getLogger("splink")
    level = splink_logger.level
    splink_logger.setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory(prefix="kc-linkage-") as spill:
        config: dict[str, Any] = {"temp_directory": spill}
        if options.threads:
            config["threads"] = options.threads
        con = duckdb.connect(":memory:", config=config)
        try:
            yield con
        finally:
            con.close()
            splink_logger.setLevel(level)


def _check_unique_ids(con: duckdb.DuckDBPyConnection) -> None:
    blank, repeated = _one(
        con,
        "SELECT count(*) FILTER (WHERE id_dtks IS NULL), count(*) - count(DISTINCT id_dtks) "
        "FILTER (WHERE id_dtks IS NOT NULL) FROM dtks",
    )
    if blank:
        raise LinkageError(
            _("%(count)d DTKS rows have no id_dtks; every row needs one.") % {"count": blank}
        )
    if repeated:
        raise LinkageError(
            _("%(count)d id_dtks values appear more than once in the DTKS file.")
            % {"count": repeated}
        )


def _decide(
    con: duckdb.DuckDBPyConnection, options: LinkOptions, city: str | None
) -> tuple[list[Link], list[ReviewCandidate]]:
    """From the stages' results, each row's link, probability, method and flags, and the
    review queue."""
    accept, review = options.accept_threshold, options.review_threshold
    # Candidates a clerk has not rejected, best first. A row is at most one person, so each
    # candidate's probability is its odds over one plus the odds of all the row's candidates
    # (the odds of being nobody are 1 by the prior): two equally good candidates get 0.5
    # each, however sure the model is of either alone.
    con.execute(
        """
        CREATE TEMP TABLE _candidates AS
        SELECT s.d_uid, s.r_uid,
            pow(2.0, s.w) / (1 + sum(pow(2.0, s.w)) OVER (PARTITION BY s.d_uid)) AS p,
            row_number() OVER (PARTITION BY s.d_uid ORDER BY s.w DESC, r.nik) AS rank
        FROM _scores s
        JOIN _dtks_p d ON d.uid = s.d_uid
        JOIN _registry_p r ON r.uid = s.r_uid
        WHERE NOT EXISTS (SELECT 1 FROM _decisions x
                          WHERE x.id_dtks = d.id_dtks AND x.nik = r.nik AND NOT x.same)
        """
    )
    con.execute(
        f"""
        CREATE TEMP TABLE _chosen AS
        SELECT st.uid, st.id_dtks, st.nik_check,
            CASE
                WHEN st.clerical_uid IS NOT NULL THEN st.clerical_uid
                WHEN st.exact_uid IS NOT NULL THEN st.exact_uid
                WHEN best.p >= {accept} THEN best.r_uid
            END AS r_uid,
            CASE
                WHEN st.clerical_uid IS NOT NULL THEN 'clerical'
                WHEN st.exact_uid IS NOT NULL THEN 'nik_exact'
                WHEN best.p >= {accept} THEN 'probabilistic'
                ELSE 'none'
            END AS method,
            CASE
                WHEN st.clerical_uid IS NOT NULL OR st.exact_uid IS NOT NULL THEN 1.0
                ELSE coalesce(best.p, 0.0)
            END AS p
        FROM _stage st
        LEFT JOIN _candidates best ON best.d_uid = st.uid AND best.rank = 1
        """  # noqa: S608
    )
    prefix = (city + ".") if city else None
    rows = con.execute(
        """
        SELECT c.id_dtks, coalesce(r.nik, '') AS nik_match, c.p, c.method, c.nik_check,
            coalesce(k.nik_dob_mismatch, false) AS dob_mismatch,
            r.status_hidup = ? AS deceased,
            r.nik IN (SELECT nik FROM exclusions WHERE nik IS NOT NULL) AS excluded,
            ? IS NOT NULL AND r.kel IS NOT NULL AND NOT starts_with(r.kel, ?) AS moved_out,
            r.uid IS NOT NULL AND count(*) OVER (PARTITION BY r.uid) > 1 AS duplicate
        FROM _chosen c
        LEFT JOIN _registry_p r ON r.uid = c.r_uid
        LEFT JOIN _nik k ON k._row = c.uid
        ORDER BY c.uid
        """,
        [DECEASED_STATUS, prefix, prefix or ""],
    ).fetchall()
    links = []
    for (
        id_dtks,
        nik_match,
        probability,
        method,
        nik_check,
        dob_mismatch,
        deceased,
        excluded,
        moved_out,
        duplicate,
    ) in rows:
        flags = []
        if nik_check in (NIK_BLANK, NIK_INVALID):
            flags.append(LinkFlag.NIK_INVALID.value)
        elif nik_check == NIK_NOT_FOUND:
            flags.append(LinkFlag.NIK_NOT_FOUND.value)
        elif nik_check in (NIK_CHECK_FAILED, NIK_REJECTED):
            # A valid NIK held by a registry person who is not this row: the NIK needs fixing
            # in DTKS even when the row was linked to the right person another way.
            flags.append(LinkFlag.NIK_OTHER_PERSON.value)
        if dob_mismatch:
            flags.append(LinkFlag.NIK_DOB_MISMATCH.value)
        if nik_match:
            if deceased:
                flags.append(LinkFlag.DECEASED.value)
            if duplicate:
                flags.append(LinkFlag.DUPLICATE_IN_DTKS.value)
            if excluded:
                flags.append(LinkFlag.EXCLUDED_OCCUPATION.value)
            if moved_out:
                flags.append(LinkFlag.MOVED_OUT.value)
        if method in (LinkMethod.PROBABILISTIC, LinkMethod.NONE):
            # 1.0 is kept for what is certain: a checked exact NIK or a clerk's decision.
            probability = min(probability, 0.999999)
        links.append(
            Link(
                id_dtks=id_dtks,
                nik_match=nik_match,
                match_probability=_round(probability),
                method=method,
                flags=tuple(flags),
                nik_check=nik_check,
            )
        )
    candidates = con.execute(
        f"""
        SELECT st.id_dtks, r.nik, c.p
        FROM _candidates c
        JOIN _stage st ON st.uid = c.d_uid
        JOIN _registry_p r ON r.uid = c.r_uid
        JOIN _chosen ch ON ch.uid = c.d_uid
        WHERE ch.method IN ('none', 'probabilistic') AND c.p >= {review}
            AND ch.r_uid IS DISTINCT FROM c.r_uid
        ORDER BY c.d_uid, c.p DESC, r.nik
        """  # noqa: S608
    ).fetchall()
    review_queue = [
        ReviewCandidate(id_dtks=i, nik=n, match_probability=_round(min(p, 0.999999)))
        for i, n, p in candidates
    ]
    return links, review_queue


def _round(probability: float) -> float:
    if probability is None or math.isnan(probability):
        return 0.0
    return round(float(probability), 6)


# ---------------------------------------------------------------------------------------------
# Files


def link_files(
    dtks_csv: Path | str,
    dukcapil_csv: Path | str,
    out_csv: Path | str,
    *,
    exclusions_csv: Path | str | None = None,
    engine: str = "duckdb",
    progress: Progress | None = None,
    decisions: Mapping[tuple[str, str], bool] | None = None,
    city: str | None = None,
) -> LinkRun:
    """Link a DTKS CSV to a civil-registry CSV and write ``out_csv`` with the columns
    ``id_dtks,nik_match,match_probability,method,flags`` (flags ``;``-separated), one row per
    DTKS row in its order. What ``kotacerdas bansos link`` runs. Returns the run (its review
    queue is not written: that goes to the database)."""
    run = link(
        Path(dtks_csv),
        Path(dukcapil_csv),
        exclusions=Path(exclusions_csv) if exclusions_csv else None,
        decisions=decisions,
        engine=engine,
        city=city,
        progress=progress,
    )
    write_links(run, out_csv)
    return run


def write_links(run: LinkRun, out_csv: Path | str) -> None:
    """Write a run's links as CSV (``OUTPUT_COLUMNS``)."""
    with open(out_csv, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(OUTPUT_COLUMNS)
        for item in run.links:
            writer.writerow(
                (
                    item.id_dtks,
                    item.nik_match,
                    f"{item.match_probability:.6f}".rstrip("0").rstrip(".") or "0",
                    item.method,
                    ";".join(item.flags),
                )
            )
