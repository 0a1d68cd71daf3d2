"""Benchmark: PECUT's Open311 GeoReport v2 endpoints under concurrent load, on PostgreSQL.

Targets (service desk issue), with 100,000 requests in the database and 20 concurrent clients:
GET requests.json with filters answers with p95 under 50 ms and at least half the throughput of
a trivial Django JSON view served the same way (the ceiling of the stack); POST requests.json
files at least 150 requests/s.

    python bench/servicedesk_open311.py [--requests 100000] [--duration 20] [--runs 3] [--keep]

What it does, in one run: (re)creates the PostgreSQL database ``kotacerdas_bench`` on
127.0.0.1:5432 (user postgres, trust auth; no other database is touched), migrates it, loads the
regions, pillars and holidays, a small catalogue (8 OPDs, 10 services, three with questions)
and an Open311 client key, then seeds the requests with COPY: two years of Kota Kediri
complaints with their timelines (submission, verification, assignment, work, resolution with
its public answer, closing; some rejected, reopened, merged or late). It then serves the
platform with gunicorn as ``kotacerdas serve`` does (3 sync workers, access log, DEBUG off; rate
limits off because all the load comes from one address) in a separate process, with one extra URL,
``/bench/trivial`` (``bench/servicedesk/open311_bench_urls.py``), and loads it with
``wrk -t2 -c20 --latency`` from another process (``bench/servicedesk/open311.lua``): the trivial
view; GET requests.json rotating through four filtered lists, as client apps poll them; the
same lists with an ignored parameter that is new on every request, so that no cache of answers
can serve them (the cost of building a list, for information); and POST requests.json. Each
scenario runs ``--runs`` times, interleaved; the table shows medians. Any response that is not
2xx stops the benchmark. Requests filed by the POST runs are deleted after each run, through
the ORM so that caches hear of it, and every GET run reads the same 100,000 rows. An advisory
lock keeps a second run from dropping the database under the first.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
HELPERS = BENCH_DIR / "servicedesk"
LUA = HELPERS / "open311.lua"
DB_NAME = "kotacerdas_bench"
SERVER_URL = "postgres://postgres@127.0.0.1:5432"
DATABASE_URL = f"{SERVER_URL}/{DB_NAME}"
DATA_DIR = tempfile.mkdtemp(prefix="kc-bench-open311-")

os.environ.update(
    {
        "DATABASE_URL": DATABASE_URL,
        "KOTACERDAS_DATA_DIR": DATA_DIR,
        "DEBUG": "0",
        # One address sends all the load: the per-address limits would refuse nearly all of it.
        "KOTACERDAS_PUBLIC_READS_PER_MINUTE": "0",
        "KOTACERDAS_PUBLIC_WRITES_PER_HOUR": "0",
        "LOG_LEVEL": "WARNING",  # for this process only: the server gets the default
    }
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kotacerdas.settings")
sys.path.insert(0, str(BENCH_DIR.parent / "src"))

import django  # noqa: E402
import psycopg  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.management.color import no_style  # noqa: E402
from django.db import IntegrityError, connection, models, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from kotacerdas.core import geo  # noqa: E402
from kotacerdas.core.choices import OpdKind, RegionLevel  # noqa: E402
from kotacerdas.core.models import Opd, Pillar, Region, User  # noqa: E402
from kotacerdas.core.personal import EncryptedTextField, contact_key, encrypt  # noqa: E402
from kotacerdas.core.reference_data import load_pillars, load_regions  # noqa: E402
from kotacerdas.servicedesk import keys, sla  # noqa: E402
from kotacerdas.servicedesk.choices import (  # noqa: E402
    AttributeType,
    Category,
    Channel,
    EventKind,
    SlaUnit,
    Status,
)
from kotacerdas.servicedesk.intake import secret_hash  # noqa: E402
from kotacerdas.servicedesk.models import (  # noqa: E402
    RequestEvent,
    Service,
    ServiceAttribute,
    ServiceRequest,
)

CITY = "35.71"
YEARS = 2
WRK_THREADS = 2
WRK_CONNECTIONS = 20
GUNICORN_WORKERS = 3
GET_P95_TARGET_MS = 50.0
POST_TARGET_RPS = 150.0
GET_SHARE_TARGET = 0.5
GET_LISTS = "GET filtered, 4 lists"
GET_NEW = "GET filtered, every URL new"

# ---------------------------------------------------------------------------------------------
# The catalogue

OPDS = [
    ("dpupr", "Dinas Pekerjaan Umum dan Penataan Ruang", "DPUPR", OpdKind.DINAS),
    ("dishub", "Dinas Perhubungan", "Dishub", OpdKind.DINAS),
    ("dlhkp", "Dinas Lingkungan Hidup, Kebersihan dan Pertamanan", "DLHKP", OpdKind.DINAS),
    ("satpolpp", "Satuan Polisi Pamong Praja", "Satpol PP", OpdKind.AGENCY),
    ("dinkes", "Dinas Kesehatan", "Dinkes", OpdKind.DINAS),
    ("bappeda", "Badan Perencanaan Pembangunan Daerah", "Bappeda", OpdKind.BADAN),
    ("diskominfo", "Dinas Komunikasi dan Informatika", "Diskominfo", OpdKind.DINAS),
    ("dispendukcapil", "Dinas Kependudukan dan Pencatatan Sipil", "Dispendukcapil", OpdKind.DINAS),
]


@dataclass
class ServiceSpec:
    code: str
    name: str
    category: str
    opd: str
    pillar: str
    sla_amount: int
    sla_unit: str
    weight: int  # relative share of the requests
    descriptions: list[str]
    answer: str
    service: Service | None = field(default=None, repr=False)


SERVICES = [
    ServiceSpec(
        "jalan-rusak",
        "Jalan rusak atau berlubang",
        Category.COMPLAINT,
        "dpupr",
        "living",
        5,
        SlaUnit.WORKING_DAYS,
        18,
        [
            "Jalan berlubang dalam di depan sekolah, sudah ada motor jatuh",
            "Aspal retak dan berlubang sepanjang 20 meter dekat pasar",
            "Jalan amblas di tikungan, berbahaya pada malam hari",
        ],
        "Lubang sudah ditambal oleh tim pemeliharaan jalan DPUPR.",
    ),
    ServiceSpec(
        "drainase-tersumbat",
        "Saluran air tersumbat / genangan",
        Category.COMPLAINT,
        "dpupr",
        "environment",
        3,
        SlaUnit.WORKING_DAYS,
        14,
        [
            "Got tersumbat sampah, air meluap ke jalan saat hujan",
            "Genangan air tidak surut dua hari di gang",
        ],
        "Saluran sudah dibersihkan dan air kembali mengalir.",
    ),
    ServiceSpec(
        "lampu-jalan-mati",
        "Lampu penerangan jalan mati",
        Category.COMPLAINT,
        "dishub",
        "living",
        3,
        SlaUnit.WORKING_DAYS,
        14,
        [
            "Lampu jalan mati tiga tiang berturut-turut, gelap dan rawan",
            "PJU berkedip lalu mati sejak minggu lalu",
        ],
        "Lampu PJU sudah diganti dan menyala kembali.",
    ),
    ServiceSpec(
        "sampah-menumpuk",
        "Sampah menumpuk / tidak diangkut",
        Category.COMPLAINT,
        "dlhkp",
        "environment",
        2,
        SlaUnit.WORKING_DAYS,
        16,
        [
            "Sampah di TPS belum diangkut lima hari, bau menyengat",
            "Tumpukan sampah liar di pinggir sungai",
        ],
        "Sampah sudah diangkut oleh armada DLHKP.",
    ),
    ServiceSpec(
        "pohon-tumbang",
        "Pohon tumbang atau rawan tumbang",
        Category.COMPLAINT,
        "dlhkp",
        "environment",
        8,
        SlaUnit.WORKING_HOURS,
        6,
        [
            "Dahan besar patah menggantung di atas jalan",
            "Pohon miring hampir menimpa kabel listrik",
        ],
        "Pohon sudah dipangkas dan dahan dibersihkan dari jalan.",
    ),
    ServiceSpec(
        "ketertiban-umum",
        "Gangguan ketertiban umum",
        Category.COMPLAINT,
        "satpolpp",
        "society",
        2,
        SlaUnit.WORKING_DAYS,
        8,
        ["Parkir liar menutup trotoar setiap sore", "Pedagang menutup badan jalan pada malam hari"],
        "Petugas Satpol PP sudah menertibkan lokasi.",
    ),
    ServiceSpec(
        "layanan-kesehatan",
        "Pengaduan layanan puskesmas",
        Category.COMPLAINT,
        "dinkes",
        "society",
        5,
        SlaUnit.WORKING_DAYS,
        6,
        [
            "Antrean puskesmas sangat lama, loket buka terlambat",
            "Obat resep tidak tersedia di puskesmas",
        ],
        "Kepala puskesmas sudah menindaklanjuti dan memperbaiki jadwal layanan.",
    ),
    ServiceSpec(
        "aspirasi-pembangunan",
        "Aspirasi pembangunan kelurahan",
        Category.ASPIRATION,
        "bappeda",
        "governance",
        10,
        SlaUnit.WORKING_DAYS,
        5,
        [
            "Usulan taman bermain anak di lahan kosong kelurahan",
            "Usulan perbaikan balai RW untuk posyandu",
        ],
        "Usulan sudah dicatat untuk Musrenbang kelurahan tahun depan.",
    ),
    ServiceSpec(
        "informasi-publik",
        "Permohonan informasi publik",
        Category.INFORMATION,
        "diskominfo",
        "governance",
        10,
        SlaUnit.WORKING_DAYS,
        8,
        [
            "Mohon salinan data anggaran kelurahan tahun ini",
            "Mohon informasi jadwal vaksinasi anak",
        ],
        "Informasi yang diminta sudah dikirim ke alamat pemohon.",
    ),
    ServiceSpec(
        "akta-kelahiran",
        "Akta kelahiran",
        Category.APPLICATION,
        "dispendukcapil",
        "governance",
        1,
        SlaUnit.WORKING_DAYS,
        5,
        ["Permohonan akta kelahiran anak kedua", "Akta kelahiran bayi baru lahir"],
        "Akta kelahiran sudah terbit dan dapat diambil di kantor.",
    ),
]

STREETS = [
    "Jl. Dhoho",
    "Jl. Brawijaya",
    "Jl. Hayam Wuruk",
    "Jl. Joyoboyo",
    "Jl. Pattimura",
    "Jl. Mayor Bismo",
    "Jl. Sudanco Supriadi",
    "Jl. Semeru",
    "Jl. Veteran",
    "Jl. Kawi",
]
FIRST_NAMES = ["Budi", "Siti", "Agus", "Dewi", "Eko", "Sri", "Joko", "Rina", "Bambang", "Wati"]
REJECT_REASON = "Bukan kewenangan Pemerintah Kota Kediri; sudah diteruskan ke instansi terkait."
REOPEN_TEXT = "Masih belum selesai, kondisi di lapangan sama seperti sebelumnya."


def create_catalogue() -> tuple[User, str]:
    """OPDs, services with their questions, a desk officer, and an Open311 client key."""
    opds = {
        code: Opd.objects.create(code=code, name=name, short_name=short, kind=kind)
        for code, name, short, kind in OPDS
    }
    pillars = {pillar.code: pillar for pillar in Pillar.objects.all()}
    for spec in SERVICES:
        spec.service = Service.objects.create(
            code=spec.code,
            name=spec.name,
            category=spec.category,
            opd=opds[spec.opd],
            pillar=pillars.get(spec.pillar),
            sla_amount=spec.sla_amount,
            sla_unit=spec.sla_unit,
        )
    by_code = {spec.code: spec.service for spec in SERVICES}
    ServiceAttribute.objects.create(
        service=by_code["jalan-rusak"],
        code="kerusakan",
        order=1,
        datatype=AttributeType.SINGLE,
        required=True,
        description="Jenis kerusakan",
        values=[
            {"key": "lubang", "name": "Berlubang"},
            {"key": "retak", "name": "Retak"},
            {"key": "amblas", "name": "Amblas"},
        ],
    )
    ServiceAttribute.objects.create(
        service=by_code["lampu-jalan-mati"],
        code="jumlah_lampu",
        order=1,
        datatype=AttributeType.NUMBER,
        required=True,
        description="Berapa lampu yang mati?",
    )
    ServiceAttribute.objects.create(
        service=by_code["drainase-tersumbat"],
        code="dampak",
        order=1,
        datatype=AttributeType.MULTI,
        required=False,
        description="Apa yang terdampak?",
        values=[
            {"key": "jalan", "name": "Jalan"},
            {"key": "rumah", "name": "Rumah warga"},
            {"key": "sekolah", "name": "Sekolah"},
        ],
    )
    desk = User.objects.create(
        username="bench-desk",
        password=make_password(None),
        is_staff=True,
        opd=opds["diskominfo"],
    )
    issued = keys.issue_key("Aplikasi Kediri Bench")
    return desk, issued.secret


# ---------------------------------------------------------------------------------------------
# Seeding the requests


def village_points(rng: random.Random, per_village: int = 20) -> dict[str, list[tuple]]:
    """For each kelurahan of the city with a boundary, some points inside it."""
    points: dict[str, list[tuple]] = {}
    for code, (_name, level, shape) in geo.boundaries().items():
        if level != "village" or not code.startswith(CITY + "."):
            continue
        ring = shape[0][0]
        xs, ys = [x for x, _ in ring], [y for _, y in ring]
        found: list[tuple] = []
        for _ in range(per_village * 50):
            x, y = rng.uniform(min(xs), max(xs)), rng.uniform(min(ys), max(ys))
            if geo.contains(code, x, y):
                found.append((Decimal(f"{y:.6f}"), Decimal(f"{x:.6f}")))
                if len(found) == per_village:
                    break
        points[code] = found
    return points


# Local hours at which people file requests: a working-day curve with an evening bump.
HOUR_WEIGHTS = [1, 1, 1, 1, 2, 4, 7, 10, 12, 12, 11, 10, 9, 9, 9, 8, 7, 7, 8, 8, 6, 4, 2, 1]


def submission_times(n: int, now: dt.datetime, rng: random.Random) -> list[dt.datetime]:
    zone = sla.local_zone()
    today = now.astimezone(zone).date()
    days = YEARS * 365
    moments = []
    while len(moments) < n:
        day = today - dt.timedelta(days=rng.randrange(days + 1))
        hour = rng.choices(range(24), weights=HOUR_WEIGHTS)[0]
        local = dt.datetime.combine(day, dt.time(hour), zone) + dt.timedelta(
            seconds=rng.randrange(3600)
        )
        moment = local.astimezone(dt.UTC)
        if moment < now - dt.timedelta(minutes=5):
            moments.append(moment)
    moments.sort()
    return moments


class Timeline:
    """A request's public and internal events as they would have been written."""

    def __init__(self, request_id: int, opd_id: int) -> None:
        self.request_id, self.opd_id = request_id, opd_id
        self.events: list[dict] = []

    def add(
        self,
        kind: str,
        at: dt.datetime,
        *,
        public: bool,
        text: str = "",
        from_status: str = "",
        to_status: str = "",
        actor: int | None = None,
    ) -> None:
        self.events.append(
            {
                "request_id": self.request_id,
                "kind": kind,
                "from_status": from_status,
                "to_status": to_status,
                "opd_id": self.opd_id,
                "actor_id": actor,
                "text": text,
                "public": public,
                "at": at,
            }
        )

    def move(
        self, before: str, after: str, at: dt.datetime, text: str = "", actor: int | None = None
    ) -> None:
        self.add(
            EventKind.STATUS,
            at,
            public=True,
            text=text,
            from_status=before,
            to_status=after,
            actor=actor,
        )


def work_through(
    row: dict,
    line: Timeline,
    spec: ServiceSpec,
    calendar: sla.WorkingCalendar,
    desk: int,
    now: dt.datetime,
    rng: random.Random,
) -> dt.datetime | None:
    """Move a seeded request as far as its age allows, as the desk and the OPD would have.
    Returns when it stopped being open (resolved or rejected), or None if it still is."""
    submitted, due = row["submitted_at"], row["due_at"]
    verified = submitted + dt.timedelta(minutes=rng.uniform(15, 180))
    if verified >= now:
        return None
    if rng.random() < 0.04:
        row.update(status=Status.REJECTED, closed_at=verified)
        line.move(Status.SUBMITTED, Status.REJECTED, verified, REJECT_REASON, desk)
        return verified
    line.move(Status.SUBMITTED, Status.VERIFIED, verified, actor=desk)
    row["status"] = Status.VERIFIED
    assigned = verified + dt.timedelta(minutes=rng.uniform(5, 120))
    if assigned >= now:
        return None
    opd_name = spec.service.opd.name
    line.move(Status.VERIFIED, Status.ASSIGNED, assigned, opd_name, desk)
    row.update(status=Status.ASSIGNED, assigned_at=assigned)
    wall = due - submitted
    took = wall * rng.uniform(0.2, 1.2)  # about one in five late
    started = max(
        submitted + min(took / 2, dt.timedelta(hours=6)), assigned + dt.timedelta(minutes=10)
    )
    resolved = max(submitted + took, started + dt.timedelta(minutes=30))
    stuck = rng.random() < 0.015  # the backlog: some requests stay open long past their due date
    warn_at = due - wall * sla.WARN_SHARE

    def deadlines(until: dt.datetime) -> None:
        if warn_at < until and warn_at > assigned:
            row["warned_at"] = warn_at
            line.add(EventKind.WARNING, warn_at, public=False)
        if due < until:
            row["escalated_at"] = due
            line.add(EventKind.ESCALATION, due, public=False)

    if stuck or resolved >= now:
        if started < now and (stuck or rng.random() < 0.8):
            line.move(Status.ASSIGNED, Status.IN_PROGRESS, started, actor=desk)
            row["status"] = Status.IN_PROGRESS
        deadlines(now)
        return None
    line.move(Status.ASSIGNED, Status.IN_PROGRESS, started, actor=desk)
    deadlines(resolved)
    line.move(Status.IN_PROGRESS, Status.RESOLVED, resolved, spec.answer, desk)
    row.update(status=Status.RESOLVED, resolved_at=resolved)

    if rng.random() < 0.02 and resolved + dt.timedelta(days=3) < now:
        # The citizen says it is not done: assigned again, with a new deadline.
        reopened = resolved + dt.timedelta(days=rng.uniform(0.5, 3))
        line.add(
            EventKind.REOPEN,
            reopened,
            public=True,
            text=REOPEN_TEXT,
            from_status=Status.RESOLVED,
            to_status=Status.ASSIGNED,
        )
        new_due = calendar.add(reopened, sla.service_time(spec.service))
        row.update(
            status=Status.ASSIGNED,
            reopened=1,
            due_at=new_due,
            assigned_at=reopened,
            resolved_at=None,
            warned_at=None,
            escalated_at=None,
        )
        resolved = reopened + dt.timedelta(hours=1) + (new_due - reopened) * rng.uniform(0.2, 1)
        if resolved >= now:
            return None
        line.move(Status.ASSIGNED, Status.IN_PROGRESS, reopened + dt.timedelta(hours=1), actor=desk)
        line.move(Status.IN_PROGRESS, Status.RESOLVED, resolved, spec.answer, desk)
        row.update(status=Status.RESOLVED, resolved_at=resolved)

    since = now - resolved
    auto_close = dt.timedelta(days=5)
    if since > auto_close or (since > dt.timedelta(days=1) and rng.random() < 0.5):
        # The citizen confirms within a few days, or it closes by itself after five.
        closed = resolved + min(dt.timedelta(days=rng.uniform(0.05, 5)), since)
        line.move(Status.RESOLVED, Status.CLOSED, closed)
        row.update(status=Status.CLOSED, closed_at=closed)
    return resolved


def copy_rows(model: type[models.Model], rows: list[dict], with_pk: bool) -> None:
    """Write ``rows`` (attname -> Python value) into ``model``'s table with COPY. Missing fields
    take their model default; encrypted fields are encrypted and JSON written as text, as the
    ORM would."""
    fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    convert = []
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


def seed_requests(n: int, desk: User, client_key_id: int, rng: random.Random) -> tuple[int, int]:
    now = timezone.now()
    zone = sla.local_zone()
    calendar = sla.calendar()
    villages = list(
        Region.objects.filter(code__startswith=CITY + ".", level=RegionLevel.VILLAGE).values_list(
            "code", flat=True
        )
    )
    points = village_points(rng)
    weights = [spec.weight for spec in SERVICES]
    service_times = {spec.code: sla.service_time(spec.service) for spec in SERVICES}
    requests: list[dict] = []
    events: list[dict] = []
    # The newest request of each service, as a candidate main request for duplicates.
    last: dict[str, tuple[dict, dt.datetime | None]] = {}
    for pk, submitted in enumerate(submission_times(n, now, rng), start=1):
        spec = rng.choices(SERVICES, weights=weights)[0]
        service = spec.service
        region = rng.choice(villages)
        point = rng.choice(points[region]) if points.get(region) and rng.random() < 0.7 else None
        secret = secrets.token_urlsafe(18)
        channel = rng.choices(
            [Channel.WEB, Channel.OPEN311, Channel.COUNTER], weights=[55, 30, 15]
        )[0]
        contact = rng.random()
        phone = f"0812-0000-{pk % 10000:04d}" if contact < 0.7 else ""
        email = f"warga{pk}@example.id" if 0.7 <= contact < 0.8 else ""
        if spec.code == "jalan-rusak":
            attributes = {"kerusakan": rng.choice(["lubang", "retak", "amblas"])}
        elif spec.code == "lampu-jalan-mati":
            attributes = {"jumlah_lampu": str(rng.randint(1, 6))}
        elif spec.code == "drainase-tersumbat" and rng.random() < 0.6:
            attributes = {"dampak": rng.sample(["jalan", "rumah", "sekolah"], rng.randint(1, 2))}
        else:
            attributes = {}
        row = {
            "id": pk,
            "number": f"PCT-{submitted.astimezone(zone).year}-{pk:06d}",
            "access_hash": secret_hash(secret),
            "access_secret": secret,
            "public_token": secrets.token_hex(16),
            "service_id": service.pk,
            "opd_id": service.opd_id,
            "status": Status.SUBMITTED,
            "description": rng.choice(spec.descriptions),
            "attributes": attributes,
            "media_url": f"https://media.kedirikota.go.id/pecut/{pk}.jpg"
            if rng.random() < 0.05
            else "",
            "region_id": region,
            "latitude": point[0] if point else None,
            "longitude": point[1] if point else None,
            "address_string": f"{rng.choice(STREETS)} No. {rng.randint(1, 250)}, "
            f"RT {rng.randint(1, 9):02d}/RW {rng.randint(1, 12):02d}"
            if rng.random() < 0.8
            else "",
            "first_name": rng.choice(FIRST_NAMES) if rng.random() < 0.4 else "",
            "phone": phone,
            "email": email,
            "contact_key": contact_key(phone or email) if phone or email else "",
            "anonymous": spec.category == Category.COMPLAINT and rng.random() < 0.1,
            "channel": channel,
            "client_key_id": client_key_id if channel == Channel.OPEN311 else None,
            "device_id": f"android-{rng.randrange(5000):04d}" if channel == Channel.OPEN311 else "",
            "submitted_at": submitted,
            "due_at": calendar.add(submitted, service_times[spec.code]),
        }
        line = Timeline(pk, service.opd_id)
        line.move("", Status.SUBMITTED, submitted)

        candidate = last.get(spec.code)
        merge_at = submitted + dt.timedelta(hours=rng.uniform(1, 3))
        if (
            candidate is not None
            and rng.random() < 0.015
            and merge_at < now
            and submitted - candidate[0]["submitted_at"] < dt.timedelta(days=2)
            and (candidate[1] is None or candidate[1] > merge_at)
        ):
            # The desk recognises a duplicate and merges it into the earlier report.
            main = candidate[0]
            verified = submitted + dt.timedelta(minutes=30)
            line.move(Status.SUBMITTED, Status.VERIFIED, verified, actor=desk.pk)
            line.add(EventKind.MERGE, merge_at, public=True, text=main["number"], actor=desk.pk)
            events.append(
                {
                    "request_id": main["id"],
                    "kind": EventKind.MERGE,
                    "from_status": "",
                    "to_status": "",
                    "opd_id": main["opd_id"],
                    "actor_id": desk.pk,
                    "text": row["number"],
                    "public": False,
                    "at": merge_at,
                }
            )
            row.update(status=Status.VERIFIED, merged_into_id=main["id"])
        else:
            finished = work_through(row, line, spec, calendar, desk.pk, now, rng)
            last[spec.code] = (row, finished)
        row["updated_at"] = max(event["at"] for event in line.events)
        requests.append(row)
        events.extend(line.events)

    copy_rows(ServiceRequest, requests, with_pk=True)
    copy_rows(RequestEvent, events, with_pk=False)
    with connection.cursor() as cursor:
        # The sequences past the ids COPY wrote, as `manage.py sqlsequencereset` would.
        for statement in connection.ops.sequence_reset_sql(
            no_style(), [ServiceRequest, RequestEvent]
        ):
            cursor.execute(statement)
        # What autovacuum would have done long since on a live database.
        for model in (ServiceRequest, RequestEvent):
            cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
    return len(requests), len(events)


# ---------------------------------------------------------------------------------------------
# Serving and loading


# Held for the whole run: a second run started meanwhile would drop this one's database.
RUN_LOCK = 3_571_311


def hold_run_lock() -> psycopg.Connection:
    lock = psycopg.connect(f"{SERVER_URL}/postgres", autocommit=True)
    if not lock.execute("SELECT pg_try_advisory_lock(%s)", [RUN_LOCK]).fetchone()[0]:
        lock.close()
        raise SystemExit(f"another run of this benchmark is using {DB_NAME}: wait for it to end")
    return lock


def recreate_database() -> None:
    if DB_NAME != "kotacerdas_bench":  # never drop anything but the bench's own database
        raise SystemExit(f"refusing to recreate {DB_NAME}")
    with psycopg.connect(f"{SERVER_URL}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {DB_NAME}")


def drop_database() -> None:
    connection.close()
    with psycopg.connect(f"{SERVER_URL}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int, log_path: Path) -> subprocess.Popen:
    """gunicorn as ``kotacerdas serve`` runs it (3 sync workers, timeout 60, access log), with
    the bench URL configuration on the path."""
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "open311_bench_settings"
    env.pop("LOG_LEVEL", None)  # the server logs as production does (INFO)
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(HELPERS), str(BENCH_DIR.parent / "src"), env.get("PYTHONPATH")])
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
    server.terminate()
    raise SystemExit(f"gunicorn did not answer within 60 s; see {log_path}")


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


@dataclass
class Result:
    rps: float
    completed: int
    non_2xx: int
    socket_errors: int
    percentiles: dict[int, float]  # percentile -> milliseconds


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def run_wrk(base: str, duration: int, args: list[str]) -> Result:
    command = [
        "wrk",
        f"-t{WRK_THREADS}",
        f"-c{WRK_CONNECTIONS}",
        f"-d{duration}s",
        "--latency",
        "-s",
        str(LUA),
        base,
        "--",
        *args,
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    out = done.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    # wrk's --latency table (50/75/90/99) and the Lua done() hook's figures, in microseconds.
    table = {
        int(p): float(v) * UNITS[unit]
        for p, v, unit in re.findall(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.M)
    }
    hook = {int(p): int(us) / 1000 for p, us in re.findall(r"^PCT (\d+) (\d+)$", out, re.M)}
    percentiles = {**hook, **table}
    if 95 not in percentiles or 50 not in percentiles:
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


def fetch(url: str, data: bytes | None = None) -> tuple[int, object]:
    try:
        # Always our own server: the URL is built from http://127.0.0.1:<port>.
        with urllib.request.urlopen(url, data=data, timeout=30) as answer:  # noqa: S310
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def get_paths(now: dt.datetime) -> list[str]:
    """The filtered lists the GET scenario rotates through, as a client app would ask."""
    zone = sla.local_zone()
    local = now.astimezone(zone)
    first = (local.replace(day=1) - dt.timedelta(days=100)).replace(day=1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    month = {
        "start_date": f"{first:%Y-%m-%d}T00:00:00+07:00",
        "end_date": f"{last:%Y-%m-%d}T23:59:59+07:00",
    }
    recent = {"start_date": f"{local - dt.timedelta(days=30):%Y-%m-%d}T00:00:00+07:00"}
    queries = [
        {"service_code": "jalan-rusak", "status": "open"},
        month,
        {"status": "closed", "service_code": "sampah-menumpuk"},
        {"service_code": "lampu-jalan-mati,drainase-tersumbat", **recent},
    ]
    return [
        "/open311/v2/requests.json" + ("?" + urllib.parse.urlencode(q) if q else "")
        for q in queries
    ]


def check_lua_points() -> None:
    """The points the POST script files at must lie inside the city, or intake refuses them."""
    for lat, lon in re.findall(r'\{"(-?[\d.]+)", "(-?[\d.]+)"\}', LUA.read_text()):
        if not geo.contains(CITY, Decimal(lon), Decimal(lat)):
            raise SystemExit(f"{LUA.name}: the point {lat},{lon} is outside {CITY}")


def delete_posted(after_pk: int) -> int:
    """Remove what the POST runs filed, so every run reads the same seeded rows. Through the ORM,
    so that whatever listens to deletions (the audit trail, a cache of the public record) hears
    of it. A worker may still be finishing a request wrk gave up on when its time ran out: wait
    for it."""
    time.sleep(1)
    for _attempt in range(10):
        try:
            with transaction.atomic():
                _total, per_model = ServiceRequest.objects.filter(pk__gt=after_pk).delete()
                return per_model.get(ServiceRequest._meta.label, 0)
        except IntegrityError:
            time.sleep(1)
    raise SystemExit("could not delete the requests the POST run filed")


# ---------------------------------------------------------------------------------------------


def median_result(results: list[Result]) -> dict:
    return {
        "rps": statistics.median(r.rps for r in results),
        **{p: statistics.median(r.percentiles[p] for r in results) for p in (50, 95, 99)},
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=100_000, help="requests to seed")
    parser.add_argument("--duration", type=int, default=20, help="seconds per wrk run")
    parser.add_argument("--runs", type=int, default=3, help="runs per scenario (median)")
    parser.add_argument(
        "--keep",
        action="store_true",
        help=f"keep the database {DB_NAME} and the data directory afterwards",
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed")
    check_lua_points()
    log_path = Path(DATA_DIR) / "gunicorn.log"
    try:
        lock = hold_run_lock()
    except SystemExit:
        shutil.rmtree(DATA_DIR, ignore_errors=True)
        raise
    try:
        run(args, log_path)
    except BaseException:
        if log_path.exists():
            print(f"last lines of {log_path}:", file=sys.stderr)
            print("".join(log_path.read_text().splitlines(True)[-40:]), file=sys.stderr)
        raise
    finally:
        if args.keep:
            print(
                f"kept: database {DATABASE_URL}, data directory {DATA_DIR} "
                f"(KOTACERDAS_DATA_DIR, holds the key to the encrypted columns)"
            )
        else:
            drop_database()
            shutil.rmtree(DATA_DIR, ignore_errors=True)
        lock.close()


def run(args: argparse.Namespace, log_path: Path) -> None:
    recreate_database()
    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    load_regions()
    load_pillars()
    sla.load_holidays()
    desk, api_key = create_catalogue()
    client_key_id = keys.client_for_key(api_key).pk
    setup_s = time.perf_counter() - start
    rng = random.Random(3571)
    start = time.perf_counter()
    seeded, seeded_events = seed_requests(args.requests, desk, client_key_id, rng)
    seed_s = time.perf_counter() - start
    seeded_max = ServiceRequest.objects.order_by("-pk").values_list("pk", flat=True).first()
    open_count = ServiceRequest.objects.open().count()
    print(
        f"database {DB_NAME}: setup {setup_s:.1f} s; seeded {seeded:,} requests "
        f"({open_count:,} open) and {seeded_events:,} events in {seed_s:.1f} s"
    )

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(port, log_path)
    try:
        paths = get_paths(timezone.now())
        # Check every scenario once, loudly, before loading it.
        status, body = fetch(base + "/bench/trivial")
        if status != 200:
            raise SystemExit(f"trivial view answered {status}: {body}")
        print("GET queries (rows returned):")
        for path in paths:
            status, body = fetch(base + path)
            if status != 200:
                raise SystemExit(f"{path} answered {status}: {body}")
            print(f"  {len(body):>4}  {urllib.parse.unquote(path)}")
        probe = urllib.parse.urlencode(
            {
                "api_key": api_key,
                "service_code": "jalan-rusak",
                "attribute[kerusakan]": "retak",
                "lat": "-7.8186",
                "long": "112.0034",
                "description": "Uji beban: jalan retak",
            }
        ).encode()
        status, body = fetch(base + "/open311/v2/requests.json", probe)
        if status != 201:
            raise SystemExit(f"POST requests.json answered {status}: {body}")
        delete_posted(seeded_max)

        scenarios = [
            ("trivial JSON view", ["get", "/bench/trivial"]),
            (GET_LISTS, ["get", *paths]),
            # The same lists with a parameter Open311 ignores, new on every request: nothing can
            # come from a cache of answers, each list is built from the database.
            (GET_NEW, ["miss", *paths]),
            ("POST requests.json", ["post", api_key]),
        ]
        results: dict[str, list[Result]] = {name: [] for name, _ in scenarios}
        for _name, wrk_args in scenarios:  # warm the workers, their connections and caches
            run_wrk(base, 3, wrk_args)
            delete_posted(seeded_max)
        print(
            f"wrk -t{WRK_THREADS} -c{WRK_CONNECTIONS} -d{args.duration}s, "
            f"gunicorn {GUNICORN_WORKERS} sync workers, {os.cpu_count()} CPUs, "
            f"load average before: {os.getloadavg()[0]:.2f}"
        )
        for run in range(1, args.runs + 1):
            for name, wrk_args in scenarios:
                result = run_wrk(base, args.duration, wrk_args)
                if result.non_2xx or result.socket_errors:
                    raise SystemExit(
                        f"{name}, run {run}: {result.non_2xx} non-2xx responses, "
                        f"{result.socket_errors} socket errors; see {log_path}"
                    )
                note = ""
                if wrk_args[0] == "post":
                    filed = delete_posted(seeded_max)
                    if filed < result.completed:
                        raise SystemExit(
                            f"POST run {run}: wrk saw {result.completed} answers but only "
                            f"{filed} requests were filed"
                        )
                    note = f"  ({filed:,} requests filed, deleted again)"
                results[name].append(result)
                p = result.percentiles
                print(
                    f"  run {run} {name:<28} {result.rps:>8.1f} req/s  p50 {p[50]:6.1f}  "
                    f"p95 {p[95]:6.1f}  p99 {p[99]:6.1f} ms{note}"
                )
        load_after = os.getloadavg()
    finally:
        stop_server(server)

    trivial = median_result(results["trivial JSON view"])
    get = median_result(results[GET_LISTS])
    miss = median_result(results[GET_NEW])
    post = median_result(results["POST requests.json"])
    share = get["rps"] / trivial["rps"]

    def p95_verdict(m: dict) -> str:
        return "pass" if m[95] < GET_P95_TARGET_MS else "FAIL"

    rows = [
        ("trivial JSON view (ceiling)", trivial, "-", ""),
        (GET_LISTS, get, f"p95 < {GET_P95_TARGET_MS:.0f} ms", p95_verdict(get)),
        (GET_NEW, miss, "(the same, info)", f"({p95_verdict(miss).lower()})"),
        (
            "POST requests.json",
            post,
            f">= {POST_TARGET_RPS:.0f} req/s",
            "pass" if post["rps"] >= POST_TARGET_RPS else "FAIL",
        ),
    ]
    print()
    print(
        f"requests seeded: {seeded:,}  runs: {args.runs} x {args.duration} s  "
        f"database: PostgreSQL  (medians)"
    )
    print(
        f"{'scenario':<30} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}  "
        f"{'target':<16} result"
    )
    for name, m, target, verdict in rows:
        print(
            f"{name:<30} {m['rps']:>8.1f} {m[50]:>7.1f} {m[95]:>7.1f} {m[99]:>7.1f}  "
            f"{target:<16} {verdict}"
        )
    print(
        f"ratio GET/trivial throughput: {share:.2f}  (target >= {GET_SHARE_TARGET})  "
        f"{'pass' if share >= GET_SHARE_TARGET else 'FAIL'}"
    )
    print(f"ratio GET every URL new/trivial throughput: {miss['rps'] / trivial['rps']:.2f}")
    print(f"ratio POST/trivial throughput: {post['rps'] / trivial['rps']:.2f}")
    # The machine is shared: the load average over the last 5 and 15 minutes says how much.
    print(f"load average at the end: {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}")


if __name__ == "__main__":
    main()
