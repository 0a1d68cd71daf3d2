"""What the load benchmarks in ``bench/`` share: a throwaway PostgreSQL database, gunicorn
serving the platform, and wrk loading it from a separate process.

``bench/servicedesk_open311.py`` and ``bench/bansos_cek.py`` import it (``bench/`` is on the
path as the directory of the script being run). Each of them seeds its own data, writes or names
its own wrk Lua script and checks its own answers; this module holds the rest:

- ``setup``: the environment the platform reads (the database ``kotacerdas_bench`` on
  127.0.0.1:5432, a temporary data directory, DEBUG off, the script's rate limits off), then
  ``django.setup()``. A script calls it before it imports anything from Django or the platform,
  which is why nothing here imports Django at module level;
- ``parse_args`` and ``require_wrk``: the command line (the script's own option for how much to
  seed, then --duration, --runs, --keep) and wrk present;
- ``run_guarded``: the advisory lock that keeps two runs (of either benchmark: they share the
  database) from dropping it under each other, the tail of the server log when a run fails, and
  the database and data directory dropped afterwards unless kept;
- ``recreate_database``, ``migrate``, ``copy_rows`` and ``settle``: an empty database, migrated,
  rows written with COPY as the ORM would have written them, then the sequences and the
  planner's statistics set right;
- ``serving``: gunicorn as ``kotacerdas serve`` runs it, with one extra URL, ``/bench/trivial``
  (``bench/servicedesk/open311_bench_urls.py``), a JSON view touching no database: the ceiling
  of the stack the other figures are read against; ``fetch`` asks it one thing;
- ``measure``, ``run_wrk``, ``median_result`` and ``print_table``: the scenarios run with wrk,
  interleaved, and their medians. The Lua script's ``done()`` hook must print ``PCT <p>
  <microseconds>`` for 50, 95 and 99 and ``COMPLETED <requests>``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import psycopg

if TYPE_CHECKING:
    from django.db import models

BENCH_DIR = Path(__file__).resolve().parent
SRC_DIR = BENCH_DIR.parent / "src"
DB_NAME = "kotacerdas_bench"
SERVER_URL = "postgres://postgres@127.0.0.1:5432"
DATABASE_URL = f"{SERVER_URL}/{DB_NAME}"
# Held for a whole run by every benchmark that uses (and drops) DB_NAME.
RUN_LOCK = 3_571_311
# The server's settings: the platform's, with the URL configuration that adds /bench/trivial.
TRIVIAL_HELPERS = BENCH_DIR / "servicedesk"
TRIVIAL_SETTINGS = "open311_bench_settings"
WRK_THREADS = 2
WRK_CONNECTIONS = 20
GUNICORN_WORKERS = 3
WARM_SECONDS = 3

# ---------------------------------------------------------------------------------------------
# The environment and the database


def setup(data_prefix: str, limits: dict[str, str]) -> str:
    """Make a temporary data directory, point the platform at it and at ``DATABASE_URL`` (DEBUG
    off, ``limits`` set: the rate limits a load from one address would hit), set Django up and
    return the directory. Must run before anything from Django or the platform is imported."""
    data_dir = tempfile.mkdtemp(prefix=data_prefix)
    os.environ.update(
        {
            "DATABASE_URL": DATABASE_URL,
            "KOTACERDAS_DATA_DIR": data_dir,
            "DEBUG": "0",
            **limits,
            "LOG_LEVEL": "WARNING",  # for this process only: the server gets the default
        }
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kotacerdas.settings")
    sys.path.insert(0, str(SRC_DIR))
    import django

    django.setup()
    return data_dir


def parse_args(doc: str, option: str, *, default: int, help: str) -> argparse.Namespace:
    """The command line of a load benchmark: its own ``option`` (how much data to seed), then
    --duration, --runs and --keep."""
    parser = argparse.ArgumentParser(
        description=doc, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(option, type=int, default=default, help=help)
    parser.add_argument("--duration", type=int, default=20, help="seconds per wrk run")
    parser.add_argument("--runs", type=int, default=3, help="runs per scenario (median)")
    parser.add_argument(
        "--keep",
        action="store_true",
        help=f"keep the database {DB_NAME} and the data directory afterwards",
    )
    return parser.parse_args()


def require_wrk() -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install -y wrk)")


def hold_run_lock() -> psycopg.Connection:
    lock = psycopg.connect(f"{SERVER_URL}/postgres", autocommit=True)
    if not lock.execute("SELECT pg_try_advisory_lock(%s)", [RUN_LOCK]).fetchone()[0]:
        lock.close()
        raise SystemExit(f"another benchmark is using {DB_NAME}: wait for it to end")
    return lock


def recreate_database() -> None:
    if DB_NAME != "kotacerdas_bench":  # never drop anything but the bench's own database
        raise SystemExit(f"refusing to recreate {DB_NAME}")
    with psycopg.connect(f"{SERVER_URL}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {DB_NAME}")


def migrate() -> None:
    """What every benchmark's data stands on: the schema, the static files the served pages link
    to, and the regions (the kelurahan the data refers to)."""
    from django.core.management import call_command

    from kotacerdas.core.reference_data import load_regions

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    load_regions()


def drop_database() -> None:
    from django.db import connection

    connection.close()
    with psycopg.connect(f"{SERVER_URL}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")


def run_guarded(body: Callable[[Path], None], *, data_dir: str, keep: bool) -> None:
    """Run ``body`` with the server log's path, holding the run lock. If it fails, show the end
    of the server log; afterwards drop the database and the data directory unless ``keep``."""
    log_path = Path(data_dir) / "gunicorn.log"
    try:
        lock = hold_run_lock()
    except SystemExit:
        shutil.rmtree(data_dir, ignore_errors=True)
        raise
    try:
        body(log_path)
    except BaseException:
        if log_path.exists():
            print(f"last lines of {log_path}:", file=sys.stderr)
            print("".join(log_path.read_text().splitlines(True)[-40:]), file=sys.stderr)
        raise
    finally:
        if keep:
            print(
                f"kept: database {DATABASE_URL}, data directory {data_dir} "
                f"(KOTACERDAS_DATA_DIR, holds the key to the encrypted columns)"
            )
        else:
            drop_database()
            shutil.rmtree(data_dir, ignore_errors=True)
        lock.close()


def copy_rows(model: type[models.Model], rows: list[dict], *, with_pk: bool) -> None:
    """Write ``rows`` (attname -> Python value) into ``model``'s table with COPY. Missing fields
    take their model default; encrypted fields are encrypted and JSON written as text, as the
    ORM would."""
    from django.db import connection, models

    from kotacerdas.core.personal import EncryptedTextField, encrypt

    fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    convert: list[Callable[[object], object] | None] = []
    for f in fields:
        if isinstance(f, EncryptedTextField):
            convert.append(lambda v: encrypt(v) if v else v)
        elif isinstance(f, models.JSONField):
            convert.append(lambda v: json.dumps(v, ensure_ascii=False))
        else:
            convert.append(None)
    defaults = {f.attname: f.get_default() for f in fields}
    connection.ensure_connection()
    with (
        connection.connection.cursor() as cursor,
        cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            values = []
            for f, fn in zip(fields, convert, strict=True):
                value = row[f.attname] if f.attname in row else defaults[f.attname]
                values.append(fn(value) if fn and value is not None else value)
            copy.write_row(values)


def settle(*tables: type[models.Model]) -> None:
    """After COPY: the id sequences past the ids written, as ``manage.py sqlsequencereset``
    would, and VACUUM ANALYZE, what autovacuum would have done long since on a live database."""
    from django.core.management.color import no_style
    from django.db import connection

    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), list(tables)):
            cursor.execute(statement)
        for model in tables:
            cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")


# ---------------------------------------------------------------------------------------------
# Serving


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int, log_path: Path) -> subprocess.Popen:
    """gunicorn as ``kotacerdas serve`` runs it (3 sync workers, timeout 60, access log), with
    the bench URL configuration on the path."""
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = TRIVIAL_SETTINGS
    env.pop("LOG_LEVEL", None)  # the server logs as production does (INFO)
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(TRIVIAL_HELPERS), str(SRC_DIR), env.get("PYTHONPATH")])
    )
    gunicorn = Path(sys.executable).with_name("gunicorn")
    log = log_path.open("w")
    server = subprocess.Popen(
        [
            str(gunicorn),
            "kotacerdas.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(GUNICORN_WORKERS),
            "--worker-class",
            "sync",
            "--timeout",
            "60",
            "--access-logfile",
            "-",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited early; see {log_path}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return server
        except urllib.error.HTTPError as error:
            stop_server(server)
            raise SystemExit(f"gunicorn answered /healthz with {error.code}") from None
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    stop_server(server)
    raise SystemExit(f"gunicorn did not answer within 60 s; see {log_path}")


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


@contextmanager
def serving(log_path: Path) -> Iterator[str]:
    """The platform served on a free port for the block; yields its base URL."""
    port = free_port()
    server = start_server(port, log_path)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_server(server)


def fetch(url: str, data: bytes | str | None = None) -> tuple[int, bytes]:
    """GET ``url``, or POST ``data`` to it: the status and the body, also of an error."""
    if isinstance(data, str):
        data = data.encode()
    try:
        # Always our own server: the URL is built from http://127.0.0.1:<port>.
        with urllib.request.urlopen(url, data=data, timeout=30) as answer:  # noqa: S310
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


# ---------------------------------------------------------------------------------------------
# Loading


@dataclass
class Result:
    rps: float
    completed: int
    non_2xx: int
    socket_errors: int
    percentiles: dict[int, float]  # percentile -> milliseconds


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def run_wrk(base: str, lua: Path, duration: int, args: list[str], *, prefer_hook: bool) -> Result:
    """One wrk run with the Lua script ``lua`` and its arguments ``args``. The percentiles come
    from wrk's ``--latency`` table (50/75/90/99) and the ``done()`` hook's figures in
    microseconds (which have the 95th); ``prefer_hook`` says which wins where both have one."""
    command = [
        "wrk",
        f"-t{WRK_THREADS}",
        f"-c{WRK_CONNECTIONS}",
        f"-d{duration}s",
        "--latency",
        "-s",
        str(lua),
        base,
        "--",
        *args,
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    out = done.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    table = {
        int(p): float(v) * UNITS[unit]
        for p, v, unit in re.findall(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.M)
    }
    hook = {int(p): int(us) / 1000 for p, us in re.findall(r"^PCT (\d+) (\d+)$", out, re.M)}
    percentiles = {**table, **hook} if prefer_hook else {**hook, **table}
    if not {50, 95, 99} <= percentiles.keys():
        raise SystemExit(f"could not read wrk's output:\n{out}\n{done.stderr}")
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    return Result(
        rps=rps,
        completed=int(re.search(r"^COMPLETED (\d+)$", out, re.M).group(1)),
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=sum(int(n) for n in sockets.groups()) if sockets else 0,
        percentiles=percentiles,
    )


Scenario = tuple[str, list[str]]  # the name in the table, the Lua script's arguments
# Called before each measured run with the scenario's name and arguments and the run's number;
# what it returns is called with the result and checks it, giving a note for the run's line.
Check = Callable[[str, list[str], int], Callable[[Result], str]]


def measure(
    base: str,
    lua: Path,
    scenarios: list[Scenario],
    *,
    runs: int,
    duration: int,
    log_path: Path,
    prefer_hook: bool,
    name_width: int,
    after_warming: Callable[[], object] | None = None,
    check: Check | None = None,
) -> dict[str, list[Result]]:
    """Warm the workers with a short run of each scenario (``after_warming`` after each), then
    run them all ``runs`` times, interleaved, printing a line a run. Any response that is not
    2xx, or a socket error, stops the benchmark."""
    for _name, wrk_args in scenarios:  # warm the workers, their connections and caches
        run_wrk(base, lua, WARM_SECONDS, wrk_args, prefer_hook=prefer_hook)
        if after_warming is not None:
            after_warming()
    print(
        f"wrk -t{WRK_THREADS} -c{WRK_CONNECTIONS} -d{duration}s, "
        f"gunicorn {GUNICORN_WORKERS} sync workers, {os.cpu_count()} CPUs, "
        f"load average before: {os.getloadavg()[0]:.2f}"
    )
    results: dict[str, list[Result]] = {name: [] for name, _ in scenarios}
    for number in range(1, runs + 1):
        for name, wrk_args in scenarios:
            checked = check(name, wrk_args, number) if check is not None else None
            result = run_wrk(base, lua, duration, wrk_args, prefer_hook=prefer_hook)
            if result.non_2xx or result.socket_errors:
                raise SystemExit(
                    f"{name}, run {number}: {result.non_2xx} non-2xx responses, "
                    f"{result.socket_errors} socket errors; see {log_path}"
                )
            note = checked(result) if checked is not None else ""
            results[name].append(result)
            p = result.percentiles
            print(
                f"  run {number} {name:<{name_width}} {result.rps:>8.1f} req/s  p50 {p[50]:6.1f}  "
                f"p95 {p[95]:6.1f}  p99 {p[99]:6.1f} ms{note}"
            )
    return results


def median_result(results: list[Result]) -> dict[str | int, float]:
    return {
        "rps": statistics.median(r.rps for r in results),
        **{p: statistics.median(r.percentiles[p] for r in results) for p in (50, 95, 99)},
    }


TableRow = tuple[str, dict[str | int, float], str, str]  # scenario, medians, target, verdict


def print_table(title: str, rows: list[TableRow], *, name_width: int, target_width: int) -> None:
    print()
    print(title)
    print(
        f"{'scenario':<{name_width}} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}  "
        f"{'target':<{target_width}} result"
    )
    for name, m, target, verdict in rows:
        print(
            f"{name:<{name_width}} {m['rps']:>8.1f} {m[50]:>7.1f} {m[95]:>7.1f} {m[99]:>7.1f}  "
            f"{target:<{target_width}} {verdict}"
        )


def print_load_average(load: tuple[float, float, float]) -> None:
    # The machine is shared: the load average over the last 5 and 15 minutes says how much.
    print(f"load average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
