"""Benchmark: Cek Bansos lookups under concurrent load, on PostgreSQL.

Target (bansos issue): with 300,000 people in the registry, at least 500 lookups a second by
NIK and name with p99 under 100 ms, the load generator in a separate process.

    python bench/bansos_cek.py [--people 300000] [--duration 20] [--runs 3] [--keep]

What it does, in one run: (re)creates the PostgreSQL database ``kotacerdas_bench`` on
127.0.0.1:5432 (user postgres, trust auth; no other database is touched; the advisory lock of
``bench/servicedesk_open311.py`` keeps the two benchmarks, which share the database, from
dropping it under each other), migrates it, loads the regions and the programmes, then writes
the registry with COPY from a synthetic civil registry of Kota Kediri (``bansos.synth``:
invented families with valid NIKs, names as SIAK writes them, old spellings, titles): each
person with the NIK encrypted and its blind index, the normalised name, the kelurahan; and the
people of the synthetic DTKS extract enrolled in its programmes (some enrolments ended long ago,
some recently) with its welfare deciles. It then serves the platform with gunicorn as
``kotacerdas serve`` does (3 sync workers, access log, DEBUG off; the Cek Bansos rate limits
off, since all the load comes from one address and rotates through a few thousand NIKs) with
one extra URL, ``/bench/trivial`` (a JSON view touching no database: the ceiling of the stack),
and loads it from a separate ``wrk -t2 -c20 --latency`` process with a generated Lua script:

- trivial JSON view (ceiling);
- GET /cek-bansos/: the page without a lookup (what rendering the page costs);
- POST lookups by NIK and name, rotating through 20,000 prepared lookups: 40% recipients with
  their name (upper case, title case or another spelling such as "Moch." for Muhammad), 20%
  residents without a programme with their name, 20% known NIKs with another person's name,
  20% valid NIKs nobody has;
- POST lookups by kelurahan and name (for information): names of recipients and of others.

Before loading, every kind of lookup is checked once for the right answer, and a wrong name
and an unknown NIK must give the same page. After each lookup run the lookup log must hold at
least as many rows as wrk counted answers, with the expected share of recipients found. Each
scenario runs ``--runs`` times, interleaved; the table shows medians.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import re
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import webload

DATA_DIR = webload.setup(
    "kc-bench-cek-",
    {
        # One address sends all the load through a few thousand NIKs: 0 turns the limits off.
        "KOTACERDAS_CEK_LOOKUPS_PER_MINUTE": "0",
        "KOTACERDAS_CEK_LOOKUPS_PER_NIK_PER_HOUR": "0",
    },
)

from django.utils import timezone  # noqa: E402

from kotacerdas.bansos import cek, registry, synth  # noqa: E402
from kotacerdas.bansos.models import Enrolment, Lookup, Person, Programme  # noqa: E402

CITY = "35.71"
TARGET_RPS = 500.0
TARGET_P99_MS = 100.0
LOOKUPS = 20_000  # prepared NIK lookups the Lua script rotates through
KELURAHAN_LOOKUPS = 5_000
# Share of each kind of NIK lookup; only the first finds a recipient.
MIX = {"recipient": 0.4, "no_programme": 0.2, "wrong_name": 0.2, "unknown_nik": 0.2}
CITY_AMOUNTS = {"KARTU_SAHABAT": 300_000, "SI_JAMAL": 250_000}
NIK_SCENARIO = "POST lookup by NIK and name"
KELURAHAN_SCENARIO = "POST lookup by kelurahan"
RECIPIENT_MARK = 'class="recipient-name"'
CSRF_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')

# ---------------------------------------------------------------------------------------------
# The registry


@dataclass
class Resident:
    pk: int
    nik: str
    name: str
    kelurahan: str
    recipient: bool = False


def seed_registry(people: int, rng: random.Random) -> tuple[list[Resident], int]:
    """The synthetic civil registry as Person rows, and its DTKS people enrolled in their
    programmes. Returns the residents and the number of enrolments."""
    source = Path(DATA_DIR) / "synth"
    source.mkdir()
    summary = synth.generate(people, source, seed=3571)
    now = timezone.now()
    today = timezone.localdate()
    residents: list[Resident] = []
    by_nik: dict[str, Resident] = {}
    rows = []
    with summary.dukcapil.open(newline="", encoding="utf-8") as handle:
        for pk, line in enumerate(csv.DictReader(handle), start=1):
            resident = Resident(pk, line["nik"], line["nama"], line["kode_kelurahan"])
            residents.append(resident)
            by_nik[resident.nik] = resident
            dead = line["status_hidup"] == "MATI"
            rows.append(
                {
                    "id": pk,
                    "nik": line["nik"],
                    "nik_index": registry.nik_index(line["nik"]),
                    "name": line["nama"],
                    "name_key": registry.name_key(line["nama"]),
                    "birth_place": line["tempat_lahir"],
                    "birth_date": dt.date.fromisoformat(line["tanggal_lahir"]),
                    "sex": line["jenis_kelamin"],
                    "kelurahan_id": line["kode_kelurahan"],
                    "alive": not dead,
                    "date_of_death": dt.date.fromisoformat(line["tanggal_meninggal"])
                    if dead
                    else None,
                    "moved_out": not line["kode_kelurahan"].startswith(CITY + "."),
                    "source_hash": "bench",
                    "updated_at": now,
                }
            )
    programmes = dict(Programme.objects.values_list("code", "pk"))
    truth: dict[str, str] = {}
    with summary.truth.open(newline="", encoding="utf-8") as handle:
        for line in csv.DictReader(handle):
            truth[line["id_dtks"]] = line["true_nik"]
    deciles: dict[int, int] = {}
    enrolled: set[tuple[int, str]] = set()
    enrolments = []
    with summary.dtks.open(newline="", encoding="utf-8") as handle:
        for line in csv.DictReader(handle):
            resident = by_nik.get(truth.get(line["id_dtks"], ""))
            if resident is None:
                continue
            if line["desil"]:
                deciles[resident.pk] = int(line["desil"])
            code = line["program"]
            if code not in programmes or (resident.pk, code) in enrolled:
                continue
            enrolled.add((resident.pk, code))
            start = today - dt.timedelta(days=rng.randrange(30, 3 * 365))
            end = None
            roll = rng.random()
            if roll < 0.10:  # ended long ago: Cek Bansos no longer shows it
                end = today - dt.timedelta(days=rng.randrange(200, 700))
                start = min(start, end - dt.timedelta(days=90))
            elif roll < 0.15:  # ended in the last months: still shown, with its end
                end = today - dt.timedelta(days=rng.randrange(1, 150))
                start = min(start, end - dt.timedelta(days=30))
            else:
                resident.recipient = True
            enrolments.append(
                {
                    "id": len(enrolments) + 1,
                    "person_id": resident.pk,
                    "programme_id": programmes[code],
                    "start": start,
                    "end": end,
                    "amount": CITY_AMOUNTS.get(code),
                    "account_number": "",
                    "source": "bench",
                    "created_at": now,
                }
            )
            if end is not None and end >= today - cek.RECENT:
                resident.recipient = True
    for row in rows:
        row["welfare_decile"] = deciles.get(row["id"])
    webload.copy_rows(Person, rows, with_pk=True)
    webload.copy_rows(Enrolment, enrolments, with_pk=True)
    webload.settle(Person, Enrolment)
    return residents, len(enrolments)


# ---------------------------------------------------------------------------------------------
# The lookups


def typed(name: str, rng: random.Random) -> str:
    """A name as a citizen types it: as on the KTP, in title case, or with Muhammad short;
    always a spelling that Cek Bansos takes for the same name."""
    roll = rng.random()
    if roll < 0.4:
        return name
    text = name.title()
    if roll >= 0.8:
        text = re.sub(r"\bMuhammad\b", "Moch.", text)
    return text if registry.name_key(text) == registry.name_key(name) else name


def unknown_nik(resident: Resident, known: set[str], rng: random.Random) -> str:
    """A valid NIK nobody in the registry has: a resident's with another serial."""
    while True:
        candidate = resident.nik[:12] + f"{rng.randrange(5000, 10000):04d}"
        if candidate not in known:
            return candidate


def nik_lookups(
    residents: list[Resident], rng: random.Random
) -> tuple[list[tuple[str, str, str]], float]:
    """The prepared lookups by NIK: (kind, NIK, name), and the share that must find someone."""
    alive = [r for r in residents if r.kelurahan.startswith(CITY + ".")]
    recipients = [r for r in alive if r.recipient]
    others = [r for r in alive if not r.recipient]
    known = {r.nik for r in residents}
    lookups = []
    for kind, share in MIX.items():
        for _ in range(round(LOOKUPS * share)):
            if kind == "recipient":
                person = rng.choice(recipients)
                lookups.append((kind, person.nik, typed(person.name, rng)))
            elif kind == "no_programme":
                person = rng.choice(others)
                lookups.append((kind, person.nik, typed(person.name, rng)))
            elif kind == "wrong_name":
                person, other = rng.sample(alive, 2)
                while registry.name_key(other.name) == registry.name_key(person.name):
                    other = rng.choice(alive)
                lookups.append((kind, person.nik, typed(other.name, rng)))
            else:
                person = rng.choice(alive)
                lookups.append((kind, unknown_nik(person, known, rng), typed(person.name, rng)))
    rng.shuffle(lookups)
    return lookups, MIX["recipient"]


def kelurahan_lookups(residents: list[Resident], rng: random.Random) -> list[tuple[str, str]]:
    """Lookups by kelurahan and name: half recipients' names, half other residents'."""
    alive = [r for r in residents if r.kelurahan.startswith(CITY + ".")]
    recipients = [r for r in alive if r.recipient]
    lookups = []
    for n in range(KELURAHAN_LOOKUPS):
        person = rng.choice(recipients if n % 2 == 0 else alive)
        lookups.append((person.kelurahan, typed(person.name, rng)))
    return lookups


def nik_body(nik: str, name: str) -> str:
    return urllib.parse.urlencode({"by": "nik", "nik": nik, "name": name})


def kelurahan_body(code: str, name: str) -> str:
    return urllib.parse.urlencode({"by": "kelurahan", "kelurahan": code, "name": name})


def lua_strings(items: list[str]) -> str:
    return ",\n".join('"' + item.replace("\\", "\\\\").replace('"', '\\"') + '"' for item in items)


LUA = """-- wrk script for bench/bansos_cek.py (generated).
--   wrk ... -s cek.lua URL -- get PATH      GET one path
--   wrk ... -s cek.lua URL -- nik           POST the prepared lookups by NIK and name
--   wrk ... -s cek.lua URL -- kelurahan     POST the prepared lookups by kelurahan and name
-- done() prints the percentiles from wrk's own histogram as "PCT <p> <microseconds>".

local nik_bodies = {
%(nik)s
}
local kelurahan_bodies = {
%(kelurahan)s
}
local mode, path, bodies = "get", "/", nil
local counter = 0
local threads = 0
local headers = {["Content-Type"] = "application/x-www-form-urlencoded"}

function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end

function init(args)
  mode = args[1] or "get"
  path = args[2] or "/cek-bansos/"
  if mode == "nik" then
    bodies = nik_bodies
  elseif mode == "kelurahan" then
    bodies = kelurahan_bodies
  end
  -- Each thread starts at its own place in the rotation.
  counter = (id or 0) * 7919
end

function request()
  if mode == "get" then
    return wrk.format("GET", path)
  end
  counter = counter + 1
  return wrk.format("POST", "/cek-bansos/", headers, bodies[counter %% #bodies + 1])
end

function done(summary, latency, requests)
  for _, p in ipairs({50, 75, 90, 95, 99}) do
    io.write(string.format("PCT %%d %%d\\n", p, latency:percentile(p)))
  end
  io.write(string.format("COMPLETED %%d\\n", summary.requests))
end
"""


def write_lua(nik_bodies: list[str], kelurahan_bodies: list[str]) -> Path:
    """The Lua script, in the data directory."""
    lua = Path(DATA_DIR) / "cek.lua"
    lua.write_text(
        LUA % {"nik": lua_strings(nik_bodies), "kelurahan": lua_strings(kelurahan_bodies)}
    )
    return lua


# ---------------------------------------------------------------------------------------------
# Loading


def check_answers(base: str, lookups: list[tuple[str, str, str]]) -> None:
    """Every kind of lookup answers as it must before any load: recipients found, the others
    not, and a wrong name and an unknown NIK give the same page."""
    seen: dict[str, list[bytes]] = {}
    for kind, nik, name in lookups:
        if len(seen.get(kind, [])) >= 25:
            continue
        status, body = webload.fetch(base + "/cek-bansos/", nik_body(nik, name))
        if status != 200:
            raise SystemExit(f"a {kind} lookup answered {status}")
        found = RECIPIENT_MARK.encode() in body
        if found != (kind == "recipient"):
            raise SystemExit(f"a {kind} lookup {'found' if found else 'did not find'} someone")
        seen.setdefault(kind, []).append(CSRF_TOKEN.sub(b"", body))
    pages = {page for kind in ("wrong_name", "unknown_nik", "no_programme") for page in seen[kind]}
    if len(pages) != 1:
        raise SystemExit("the 'nothing found' answers differ from one another")


def last_lookup() -> int:
    return Lookup.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


# ---------------------------------------------------------------------------------------------


def main() -> None:
    args = webload.parse_args(__doc__, "--people", default=300_000, help="people in the registry")
    webload.require_wrk()
    webload.run_guarded(lambda log_path: run(args, log_path), data_dir=DATA_DIR, keep=args.keep)


def run(args: argparse.Namespace, log_path: Path) -> None:
    webload.recreate_database()
    start = time.perf_counter()
    webload.migrate()
    registry.load_programmes()
    setup_s = time.perf_counter() - start
    rng = random.Random(3571)
    start = time.perf_counter()
    residents, enrolments = seed_registry(args.people, rng)
    seed_s = time.perf_counter() - start
    recipients = sum(r.recipient for r in residents)
    print(
        f"database {webload.DB_NAME}: setup {setup_s:.1f} s; registry of {len(residents):,} "
        f"people, {enrolments:,} enrolments ({recipients:,} people receive aid now or recently) "
        f"written in {seed_s:.1f} s"
    )
    lookups, found_share = nik_lookups(residents, rng)
    places = kelurahan_lookups(residents, rng)
    lua = write_lua(
        [nik_body(nik, name) for _kind, nik, name in lookups],
        [kelurahan_body(code, name) for code, name in places],
    )

    def check_log(name: str, wrk_args: list[str], number: int) -> Callable[[webload.Result], str]:
        """After a lookup run: the lookup log holds every answer, with the expected share of
        recipients found."""
        before = last_lookup()

        def note(result: webload.Result) -> str:
            if wrk_args[0] == "get":
                return ""
            time.sleep(1)  # a worker may still be answering a request wrk gave up on
            logged = Lookup.objects.filter(pk__gt=before)
            count = logged.count()
            if count < result.completed:
                raise SystemExit(
                    f"{name}, run {number}: wrk saw {result.completed} answers but "
                    f"only {count} lookups were logged"
                )
            found = logged.filter(found=True).count() / count
            # The share of recipients among the lookups sent, within three standard errors (a
            # run covers only part of the rotation).
            margin = 3 * (found_share * (1 - found_share) / count) ** 0.5 + 0.005
            if wrk_args[0] == "nik" and abs(found - found_share) > margin:
                raise SystemExit(
                    f"{name}, run {number}: {found:.1%} of the lookups found a "
                    f"recipient, not {found_share:.0%}"
                )
            return f"  ({count:,} logged, {found:.0%} found a recipient)"

        return note

    with webload.serving(log_path) as base:
        for path in ("/bench/trivial", "/cek-bansos/"):
            status, _body = webload.fetch(base + path)
            if status != 200:
                raise SystemExit(f"{path} answered {status}")
        check_answers(base, lookups)
        status, body = webload.fetch(base + "/cek-bansos/", kelurahan_body(*places[0]))
        if status != 200 or RECIPIENT_MARK.encode() not in body:
            raise SystemExit(f"a lookup by kelurahan of a recipient answered {status} without them")

        scenarios = [
            ("trivial JSON view", ["get", "/bench/trivial"]),
            ("GET /cek-bansos/ (the page)", ["get", "/cek-bansos/"]),
            (NIK_SCENARIO, ["nik"]),
            (KELURAHAN_SCENARIO, ["kelurahan"]),
        ]
        results = webload.measure(
            base,
            lua,
            scenarios,
            runs=args.runs,
            duration=args.duration,
            log_path=log_path,
            prefer_hook=True,
            name_width=30,
            check=check_log,
        )
        load_after = os.getloadavg()

    medians = {name: webload.median_result(items) for name, items in results.items()}
    trivial = medians["trivial JSON view"]
    lookup = medians[NIK_SCENARIO]
    rows = []
    for name, m in medians.items():
        target = verdict = ""
        if name == NIK_SCENARIO:
            target = f">= {TARGET_RPS:.0f}/s, p99 < {TARGET_P99_MS:.0f} ms"
            verdict = "pass" if m["rps"] >= TARGET_RPS and m[99] < TARGET_P99_MS else "FAIL"
        rows.append((name, m, target, verdict))
    webload.print_table(
        f"people: {len(residents):,}  runs: {args.runs} x {args.duration} s  "
        f"database: PostgreSQL  (medians)",
        rows,
        name_width=32,
        target_width=27,
    )
    print(f"ratio lookup/trivial throughput: {lookup['rps'] / trivial['rps']:.2f}")
    webload.print_load_average(load_after)


if __name__ == "__main__":
    main()
