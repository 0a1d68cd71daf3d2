"""Benchmark: the executive dashboard on a city-sized database, on PostgreSQL.

Targets (dashboard issue): with 100,000 service requests, 300,000 registered people and ten
years of indicators per kelurahan on PostgreSQL, the dashboard page (``/eksekutif/``) and the
summary endpoint (``GET /api/v1/dashboard/summary``) answer in under 300 ms server time (median
over 20 loads, measured beside the foundation's trivial view in the same run), and the phone
view of ``/eksekutif/`` transfers at most 250 KB compressed on first load.

    python bench/dashboard.py [--requests 100000] [--people 300000] [--runs 20] [--keep]
    python bench/dashboard.py --requests 2000 --people 3000 --runs 5     # a smoke run

What it does, in one run: (re)creates the PostgreSQL database ``kotacerdas_bench`` on
127.0.0.1:5432 (user postgres, trust auth; the advisory lock of ``bench/webload.py`` keeps the
load benchmarks, which share the database, from dropping it under each other) and sets the
platform up as a city would, through its own commands:

- ``kotacerdas init --demo``: the regions, pillars, indicators, holidays and programmes, the
  Kediri masterplan, the evaluations, Satu Data's datasets, PECUT's catalogue with its demo
  requests, a synthetic civil registry linked to DTKS, and the demo stat meetings;
- ``--requests`` service requests over two years with their timelines, written with COPY by the
  seeding of ``bench/servicedesk_open311.py`` (ids and tracking numbers after the demo's);
- ``--people`` people: ``kotacerdas bansos synth``, then ``bansos import dukcapil``, ``import
  dtks`` and ``import exclusions`` and ``bansos link-registry``, the import and linkage a city
  runs (the linkage enrols the linked DTKS people in their national programmes, so the social
  aid panel counts recipients);
- ten years of values of every indicator in the store for each kelurahan and kecamatan of
  Kota Kediri (``IndicatorValue``, bulk-created with a ``source_note``; the demo's values stay);
- then VACUUM ANALYZE, what autovacuum would have done long since on a live database.

Server time is measured in this process with Django's test ``Client`` signed in as the demo's
``eksekutif`` account (DEBUG off, the platform's middleware): after two warm-up loads each,
``--runs`` rounds of ``/bench/trivial`` (the JSON view of ``bench/servicedesk/`` that the other
load benchmarks measure against: no database), ``/healthz`` (one ``SELECT 1``), ``/eksekutif/``
and the summary endpoint, interleaved; median and p90 in ms and the ratio to the trivial view.
The summary endpoint is reported "absent" if the platform answers 404. A breakdown of one
load per panel (time and SQL statements, from ``panels`` and ``changes``, the rest being the
template or the serialisation) follows; if a target fails, the script also profiles one load
with cProfile and prints the costliest functions of the platform.

Transfer size: gunicorn serves the platform as ``kotacerdas serve`` does (``webload.serving``)
and the script fetches ``/eksekutif/`` with the session cookie, a phone's user agent and
``Accept-Encoding: gzip, br``, then every stylesheet, script and image the HTML references
(``<link href>``, ``<script src>``, ``<img src>``, and ``url()`` in the stylesheets), counting
the bytes of each body as sent (compressed when the server compressed it; headers not counted).
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import io
import math
import os
import pstats
import random
import re
import statistics
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import webload

# The trivial view lives in the bench URL configuration: use it in this process too, so that
# the in-process loads see /bench/trivial through the same settings as the server.
os.environ["DJANGO_SETTINGS_MODULE"] = webload.TRIVIAL_SETTINGS
sys.path.insert(0, str(webload.TRIVIAL_HELPERS))

# Importing the Open311 benchmark sets the environment up (webload.setup: the database
# kotacerdas_bench, a temporary data directory, DEBUG off, public rate limits off) and Django;
# this script shares that data directory rather than making a second one.
import servicedesk_open311 as open311

DATA_DIR = open311.DATA_DIR

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn  # noqa: E402

from kotacerdas.bansos.models import DtksRecord, Enrolment, Person  # noqa: E402
from kotacerdas.core.choices import RegionLevel  # noqa: E402
from kotacerdas.core.models import Region, User  # noqa: E402
from kotacerdas.opendata.models import Indicator, IndicatorValue  # noqa: E402
from kotacerdas.servicedesk import keys  # noqa: E402
from kotacerdas.servicedesk.models import RequestEvent, Service, ServiceRequest  # noqa: E402

CITY = "35.71"
TARGET_MS = 300.0
TARGET_BYTES = 250_000  # 250 KB; the table also gives KiB
YEARS = 10
TRIVIAL = "/bench/trivial"
HEALTHZ = "/healthz"
PAGE = "/eksekutif/"
SUMMARY = "/api/v1/dashboard/summary"
EXECUTIVE = "eksekutif"  # the demo's executive account
WARMUP = 2
PHONE_UA = (
    "Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Mobile Safari/537.36"
)
console = Console(highlight=False)


@contextmanager
def step(text: str) -> Iterator[None]:
    """A spinner with the elapsed time for a long step that reports no progress of its own."""
    with Progress(
        SpinnerColumn(), TextColumn(text), TimeElapsedColumn(), console=console, transient=True
    ) as bar:
        bar.add_task(text, total=None)
        yield


def seconds_since(start: float) -> str:
    return f"{time.perf_counter() - start:.1f} s"


# ---------------------------------------------------------------------------------------------
# Seeding


def init_demo() -> None:
    """``kotacerdas init --demo``, its output (with the demo accounts' passwords) kept quiet."""
    call_command("init", demo=True, stdout=io.StringIO())


@contextmanager
def after_existing(offsets: dict[type, Callable[[dict], dict]]) -> Iterator[None]:
    """The other scripts' seeders write ids from 1 into empty tables; here the demo's rows are
    there first, so the rows are moved past them on their way to ``webload.copy_rows``."""
    original = webload.copy_rows

    def copy_rows(model, rows, *, with_pk):
        shift = offsets.get(model)
        original(model, [shift(row) for row in rows] if shift else rows, with_pk=with_pk)

    webload.copy_rows = copy_rows
    try:
        yield
    finally:
        webload.copy_rows = original


def seed_requests(n: int) -> tuple[int, int]:
    """``n`` requests with their timelines through ``servicedesk_open311.seed_requests``, on
    the demo's catalogue (the same ten services), filed by its desk officer and, for Open311
    ones, a client key issued here. Ids follow the demo's, and tracking numbers follow the
    platform's rule (``PCT-<year>-<id>``)."""
    for spec in open311.SERVICES:
        spec.service = Service.objects.get(code=spec.code)
    desk = User.objects.get(username="kominfo")
    client_key_id = keys.client_for_key(keys.issue_key("Aplikasi Kediri Bench").secret).pk
    offset = ServiceRequest.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def request(row: dict) -> dict:
        row["id"] += offset
        if row.get("merged_into_id"):
            row["merged_into_id"] += offset
        row["number"] = f"{row['number'].rsplit('-', 1)[0]}-{row['id']:06d}"
        return row

    def event(row: dict) -> dict:
        row["request_id"] += offset
        return row

    with after_existing({ServiceRequest: request, RequestEvent: event}):
        return open311.seed_requests(n, desk, client_key_id, random.Random(3571))


def seed_people(people: int) -> None:
    """The bansos CLI as a city runs it: synthetic extracts, the three imports, the linkage.
    Their own progress bars show; the per-row warnings of the import go to a buffer."""
    out = Path(DATA_DIR) / "synth"
    quiet = io.StringIO()
    call_command("bansos", "synth", "--people", str(people), "--out", str(out), "--seed", "3571")
    for kind, name in (("dukcapil", "dukcapil.csv"), ("dtks", "dtks.csv")):
        call_command("bansos", "import", kind, str(out / name), stderr=quiet)
    call_command("bansos", "import", "exclusions", str(out / "exclusions.csv"), stderr=quiet)
    call_command("bansos", "link-registry")


# Plausible Kota Kediri figures for the indicators the demo has no city value of.
DEFAULT_BASE = {
    "penduduk-miskin": Decimal("7.2"),
    "ipm": Decimal("79.5"),
    "stunting": Decimal("15.0"),
    "imunisasi-lengkap": Decimal("92.0"),
    "air-minum-layak": Decimal("95.0"),
    "sanitasi-layak": Decimal("88.0"),
    "jalan-mantap": Decimal("85.0"),
    "apm-smp": Decimal("80.0"),
    "pad": Decimal("300000000000"),
}


def seed_indicators(rng: random.Random) -> tuple[int, int, int]:
    """Ten years (to last year) of every indicator for every kelurahan and kecamatan of the
    city: around the latest city value (or a plausible one), each area with its own level and
    a trend in the indicator's good direction. Values already there (the demo's) are kept."""
    areas = list(
        Region.objects.filter(
            code__startswith=CITY + ".", level__in=[RegionLevel.DISTRICT, RegionLevel.VILLAGE]
        )
    )
    last = timezone.localdate().year - 1
    years = range(last - YEARS + 1, last + 1)
    existing = set(IndicatorValue.objects.values_list("indicator_id", "region_id", "year"))
    new = []
    indicators = list(Indicator.objects.all())
    for indicator in indicators:
        latest = (
            IndicatorValue.objects.filter(indicator=indicator, region_id=CITY)
            .order_by("-year")
            .values_list("value", flat=True)
            .first()
        )
        base = float(latest or DEFAULT_BASE.get(indicator.code, Decimal(50)))
        percent = indicator.unit.strip() == "%"
        better = 1 if indicator.direction == "higher" else -1
        for area in areas:
            level = base * rng.uniform(0.8, 1.2)
            if indicator.unit.strip().lower() == "rp":  # an amount: the area's share of the city's
                level /= 3 if area.level == RegionLevel.DISTRICT else 46
            for year in years:
                if (indicator.pk, area.code, year) in existing:
                    continue
                back = last - year  # earlier years are worse, by 1.5% (3% falling) a year
                drift = 1 - 0.015 * back if better > 0 else 1 + 0.03 * back
                value = level * drift * rng.uniform(0.98, 1.02)
                if percent:
                    value = min(max(value, 0.0), 100.0)
                new.append(
                    IndicatorValue(
                        indicator=indicator,
                        region=area,
                        year=year,
                        value=Decimal(f"{value:.2f}"),
                        source_note="bench/dashboard.py: invented values",
                    )
                )
    IndicatorValue.objects.bulk_create(new, batch_size=2000)
    return len(new), len(indicators), len(areas)


def vacuum_analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


# ---------------------------------------------------------------------------------------------
# Server time, in this process


@dataclass
class Timings:
    samples: dict[str, list[float]] = field(default_factory=dict)  # path -> ms
    first: dict[str, float] = field(default_factory=dict)  # the first (cold) load, ms
    absent: set[str] = field(default_factory=set)
    sizes: dict[str, int] = field(default_factory=dict)
    queries: dict[str, int] = field(default_factory=dict)


def p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]


def executive_client() -> Client:
    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(username=EXECUTIVE))
    return client


def load(client: Client, path: str) -> tuple[float, int, bytes]:
    start = time.perf_counter()
    response = client.get(path)
    elapsed = (time.perf_counter() - start) * 1000
    return elapsed, response.status_code, response.content


@contextmanager
def counting_queries() -> Iterator[list[float]]:
    """The SQL statements run in the block, each as its time in ms (works with DEBUG off)."""
    found: list[float] = []

    def wrapper(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            found.append((time.perf_counter() - start) * 1000)

    with connection.execute_wrapper(wrapper):
        yield found


def measure(client: Client, runs: int) -> Timings:
    paths = [TRIVIAL, HEALTHZ, PAGE, SUMMARY]
    timings = Timings()
    for path in paths:
        for n in range(WARMUP):
            with counting_queries() as queries:
                elapsed, status, body = load(client, path)
            if n == 0:
                timings.first[path] = elapsed
            if status == 404 and path == SUMMARY:
                timings.absent.add(path)
                break
            if status != 200:
                raise SystemExit(f"{path} answered {status}: {body[:300]!r}")
            timings.sizes[path] = len(body)
            timings.queries[path] = len(queries)
    live = [path for path in paths if path not in timings.absent]
    timings.samples = {path: [] for path in live}
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task("Loading the pages in this process", total=runs * len(live))
        for _ in range(runs):  # interleaved, so that a busy moment hits every path alike
            for path in live:
                elapsed, status, body = load(client, path)
                if status != 200:
                    raise SystemExit(f"{path} answered {status}: {body[:300]!r}")
                timings.samples[path].append(elapsed)
                bar.advance(task)
    return timings


# The functions one load of the page or the summary spends its time in, by module attribute.
SECTIONS = [
    ("panels", "index_panel"),
    ("panels", "programmes_panel"),
    ("panels", "services_panel"),
    ("panels", "social_panel"),
    ("panels", "indicators_panel"),
    ("panels", "actions_panel"),
    ("changes", "what_changed"),
]


def breakdown(client: Client, path: str, loads: int = 5) -> list[tuple[str, float, int, float]]:
    """Median over ``loads`` loads of ``path``: per panel function, its time, SQL statements and
    their time; then the rest of the request (template or serialisation, middleware, session)."""
    from kotacerdas.dashboard import changes, panels

    modules = {"panels": panels, "changes": changes}
    active: list[str] = []
    spent: dict[str, list[float]] = defaultdict(list)
    sql: dict[str, list[float]] = defaultdict(list)

    def wrap(name: str, function: Callable) -> Callable:
        def timed(*args, **kwargs):
            active.append(name)
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name].append((time.perf_counter() - start) * 1000)
                active.pop()

        return timed

    def wrapper(execute, sql_text, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql_text, params, many, context)
        finally:
            sql[active[-1] if active else "rest"].append((time.perf_counter() - start) * 1000)

    originals = {(m, a): getattr(modules[m], a) for m, a in SECTIONS}
    rows: dict[str, list[tuple[float, int, float]]] = {}
    try:
        for (module, attr), function in originals.items():
            setattr(modules[module], attr, wrap(attr, function))
        for _ in range(loads):
            spent.clear()
            sql.clear()
            with connection.execute_wrapper(wrapper):
                total, status, _body = load(client, path)
            if status != 200:
                raise SystemExit(f"{path} answered {status} while its parts were timed")
            inside = 0.0
            for _m, attr in SECTIONS:
                if not spent[attr]:
                    continue
                took = sum(spent[attr])
                inside += took
                queries = sql.get(attr, [])
                rows.setdefault(attr, []).append((took, len(queries), sum(queries)))
            rest = sql.get("rest", [])
            rows.setdefault("rest of the request", []).append(
                (total - inside, len(rest), sum(rest))
            )
            rows.setdefault("whole request", []).append(
                (total, sum(len(v) for v in sql.values()), sum(sum(v) for v in sql.values()))
            )
    finally:
        for (module, attr), function in originals.items():
            setattr(modules[module], attr, function)
    return [
        (
            name,
            statistics.median(r[0] for r in items),
            round(statistics.median(r[1] for r in items)),
            statistics.median(r[2] for r in items),
        )
        for name, items in rows.items()
    ]


def profile(client: Client, path: str, top: int = 25) -> str:
    """cProfile of one load: the platform's own functions by cumulative time."""
    profiler = cProfile.Profile()
    profiler.enable()
    client.get(path)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(r"kotacerdas/", top)
    stats.sort_stats("tottime").print_stats(15)
    return out.getvalue()


# ---------------------------------------------------------------------------------------------
# Transfer size, through gunicorn


class References(HTMLParser):
    """The stylesheets, scripts and images an HTML page makes a browser fetch."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []  # (kind, URL)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        rel = a.get("rel", "").lower().split()
        if tag == "link" and a.get("href") and {"stylesheet", "icon", "preload"} & set(rel):
            self.found.append(("stylesheet" if "stylesheet" in rel else rel[0], a["href"]))
        elif tag == "script" and a.get("src"):
            self.found.append(("script", a["src"]))
        elif tag in ("img", "image") and (a.get("src") or a.get("href")):
            self.found.append(("image", a.get("src") or a["href"]))


CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


@dataclass
class Item:
    kind: str
    url: str
    status: int
    encoding: str  # Content-Encoding, "" when sent as it is
    sent: int  # body bytes as sent
    plain: int  # body bytes decoded


def get(url: str, cookie: str) -> tuple[int, str, bytes]:
    request = urllib.request.Request(  # noqa: S310 - our own server, see below
        url,
        headers={"User-Agent": PHONE_UA, "Accept-Encoding": "gzip, br", "Cookie": cookie},
    )
    try:
        # Always our own server: the URL is built from http://127.0.0.1:<port>.
        with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310
            return answer.status, answer.headers.get("Content-Encoding", ""), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Encoding", ""), error.read()


def decoded(encoding: str, body: bytes) -> bytes:
    if encoding == "gzip":
        return gzip.decompress(body)
    if encoding == "br":
        import brotli  # only if the server sent it, which needs brotli installed there too

        return brotli.decompress(body)
    return body


def transfer(base: str, cookie: str) -> list[Item]:
    """The page and everything it references, each fetched once as a phone would."""
    status, encoding, body = get(base + PAGE, cookie)
    if status != 200:
        raise SystemExit(f"gunicorn answered {PAGE} with {status}")
    html = decoded(encoding, body)
    items = [Item("html", PAGE, status, encoding, len(body), len(html))]
    parser = References()
    parser.feed(html.decode("utf-8", errors="replace"))
    queue = [(kind, urllib.parse.urljoin(base + PAGE, url)) for kind, url in parser.found]
    seen = {base + PAGE}
    while queue:
        kind, url = queue.pop(0)
        if url in seen or url.startswith("data:") or not url.startswith(base):
            continue
        seen.add(url)
        status, encoding, body = get(url, cookie)
        plain = decoded(encoding, body)
        items.append(Item(kind, url[len(base) :], status, encoding, len(body), len(plain)))
        if kind == "stylesheet" and status == 200:
            for found in CSS_URL.findall(plain.decode("utf-8", errors="replace")):
                if not found.startswith("data:") and "#" not in found[:1]:
                    queue.append(("from CSS", urllib.parse.urljoin(url, found)))
    return items


# ---------------------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=100_000, help="service requests to seed")
    parser.add_argument("--people", type=int, default=300_000, help="people in the registry")
    parser.add_argument("--runs", type=int, default=20, help="loads of each page (median)")
    parser.add_argument(
        "--keep",
        action="store_true",
        help=f"keep the database {webload.DB_NAME} and the data directory afterwards",
    )
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    webload.run_guarded(lambda log_path: run(args, log_path), data_dir=DATA_DIR, keep=args.keep)


def run(args: argparse.Namespace, log_path: Path) -> None:
    webload.recreate_database()
    started = time.perf_counter()
    with step("kotacerdas init --demo"):
        init_demo()
    console.print(f"kotacerdas init --demo: {seconds_since(started)}")

    start = time.perf_counter()
    with step(f"Seeding {args.requests:,} service requests"):
        seeded, events = seed_requests(args.requests)
    console.print(
        f"seeded {seeded:,} requests and {events:,} events in {seconds_since(start)} "
        f"({ServiceRequest.objects.count():,} requests in all with the demo's)"
    )

    start = time.perf_counter()
    seed_people(args.people)
    console.print(
        f"bansos synth, imports and linkage: {seconds_since(start)}; "
        f"{Person.objects.count():,} people, {DtksRecord.objects.count():,} DTKS records, "
        f"{Enrolment.objects.count():,} enrolments "
        f"({Enrolment.objects.filter(end__isnull=True).values('person').distinct().count():,} "
        f"people enrolled now)"
    )

    start = time.perf_counter()
    values, indicators, areas = seed_indicators(random.Random(3571))
    console.print(
        f"{values:,} indicator values ({indicators} indicators x {areas} kelurahan and "
        f"kecamatan x {YEARS} years, less the demo's) in {seconds_since(start)}; "
        f"{IndicatorValue.objects.count():,} values in all"
    )
    start = time.perf_counter()
    with step("VACUUM ANALYZE"):
        vacuum_analyze()
    console.print(f"VACUUM ANALYZE: {seconds_since(start)}; setup in all {seconds_since(started)}")

    client = executive_client()
    load_before = os.getloadavg()
    timings = measure(client, args.runs)
    page_parts = breakdown(client, PAGE)
    summary_parts = [] if SUMMARY in timings.absent else breakdown(client, SUMMARY)

    with webload.serving(log_path) as base:
        cookie = f"sessionid={client.cookies['sessionid'].value}"
        items = transfer(base, cookie)
    load_after = os.getloadavg()

    # ------------------------------------------------------------------ the tables
    trivial = statistics.median(timings.samples[TRIVIAL])
    print()
    print(
        f"requests: {ServiceRequest.objects.count():,}  people: {Person.objects.count():,}  "
        f"indicator values: {IndicatorValue.objects.count():,}  database: PostgreSQL  "
        f"loads: {args.runs} each after {WARMUP} warm-up, in this process, as {EXECUTIVE}"
    )
    print(
        f"{'page':<28} {'median ms':>9} {'p90 ms':>7} {'first ms':>8} {'/trivial':>8} "
        f"{'SQL':>4} {'bytes':>9}  {'target':<10} result"
    )
    verdicts: dict[str, str] = {}
    names = {
        TRIVIAL: "trivial JSON view",
        HEALTHZ: "/healthz (SELECT 1)",
        PAGE: "/eksekutif/",
        SUMMARY: "GET /api/v1/dashboard/summary",
    }
    for path in (TRIVIAL, HEALTHZ, PAGE, SUMMARY):
        if path in timings.absent:
            print(f"{names[path]:<28} {'absent (404)':>9}")
            verdicts[path] = "absent"
            continue
        samples = timings.samples[path]
        median = statistics.median(samples)
        target = verdict = ""
        if path in (PAGE, SUMMARY):
            target = f"< {TARGET_MS:.0f} ms"
            verdict = "pass" if median < TARGET_MS else "FAIL"
            verdicts[path] = verdict
        print(
            f"{names[path]:<28} {median:>9.1f} {p90(samples):>7.1f} {timings.first[path]:>8.1f} "
            f"{median / trivial:>8.1f} {timings.queries[path]:>4} {timings.sizes[path]:>9,}  "
            f"{target:<10} {verdict}"
        )

    for path, parts in ((PAGE, page_parts), (SUMMARY, summary_parts)):
        if not parts:
            continue
        print()
        print(f"where one load of {names[path]} goes (median of 5 loads)")
        print(f"{'part':<28} {'ms':>8} {'SQL':>5} {'SQL ms':>8}")
        for name, took, count, sql_ms in parts:
            print(f"{name:<28} {took:>8.1f} {count:>5} {sql_ms:>8.1f}")

    print()
    print(f"phone first load of {PAGE} through gunicorn (Accept-Encoding: gzip, br)")
    print(f"{'kind':<11} {'status':>6} {'encoding':>8} {'sent':>9} {'decoded':>9}  url")
    for item in items:
        print(
            f"{item.kind:<11} {item.status:>6} {item.encoding or '-':>8} {item.sent:>9,} "
            f"{item.plain:>9,}  {item.url}"
        )
    total = sum(item.sent for item in items)
    html = items[0]
    size_verdict = "pass" if total <= TARGET_BYTES else "FAIL"
    print(
        f"total sent: {total:,} bytes ({total / 1000:.1f} KB, {total / 1024:.1f} KiB)  "
        f"target <= {TARGET_BYTES / 1000:.0f} KB  {size_verdict}"
    )
    if not html.encoding:
        print(
            f"the HTML is sent uncompressed ({html.sent:,} bytes); gzip -6 of the same page "
            f"would be {len(gzip.compress(page_html(client), 6)):,} bytes (information)"
        )

    failed = [path for path, verdict in verdicts.items() if verdict == "FAIL"]
    if failed:
        for path in failed:
            print()
            print(f"cProfile of one load of {names[path]}:")
            print(profile(client, path))
    print(
        f"load average before the loads: {load_before[0]:.2f}; "
        f"after: {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}"
    )


def page_html(client: Client) -> bytes:
    return client.get(PAGE).content


if __name__ == "__main__":
    main()
