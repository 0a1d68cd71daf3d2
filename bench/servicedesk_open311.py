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
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import webload

DATA_DIR = webload.setup(
    "kc-bench-open311-",
    {
        # One address sends all the load: the per-address limits would refuse nearly all of it.
        "KOTACERDAS_PUBLIC_READS_PER_MINUTE": "0",
        "KOTACERDAS_PUBLIC_WRITES_PER_HOUR": "0",
    },
)
LUA = webload.BENCH_DIR / "servicedesk" / "open311.lua"

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import IntegrityError, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from kotacerdas.core import geo  # noqa: E402
from kotacerdas.core.choices import OpdKind, RegionLevel  # noqa: E402
from kotacerdas.core.models import Opd, Pillar, Region, User  # noqa: E402
from kotacerdas.core.personal import contact_key  # noqa: E402
from kotacerdas.core.reference_data import load_pillars  # noqa: E402
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

    webload.copy_rows(ServiceRequest, requests, with_pk=True)
    webload.copy_rows(RequestEvent, events, with_pk=False)
    webload.settle(ServiceRequest, RequestEvent)
    return len(requests), len(events)


# ---------------------------------------------------------------------------------------------
# Serving and loading


def fetch(url: str, data: bytes | None = None) -> tuple[int, object]:
    """The status and the JSON answer, or the text of an error."""
    status, body = webload.fetch(url, data)
    if 200 <= status < 300:
        return status, json.loads(body)
    return status, body.decode(errors="replace")


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


def main() -> None:
    args = webload.parse_args(__doc__, "--requests", default=100_000, help="requests to seed")
    webload.require_wrk()
    check_lua_points()
    webload.run_guarded(lambda log_path: run(args, log_path), data_dir=DATA_DIR, keep=args.keep)


def run(args: argparse.Namespace, log_path: Path) -> None:
    webload.recreate_database()
    start = time.perf_counter()
    webload.migrate()
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
        f"database {webload.DB_NAME}: setup {setup_s:.1f} s; seeded {seeded:,} requests "
        f"({open_count:,} open) and {seeded_events:,} events in {seed_s:.1f} s"
    )

    def check_post(_name: str, wrk_args: list[str], number: int) -> Callable[[webload.Result], str]:
        """After a POST run: every answer filed a request; they are deleted again."""

        def note(result: webload.Result) -> str:
            if wrk_args[0] != "post":
                return ""
            filed = delete_posted(seeded_max)
            if filed < result.completed:
                raise SystemExit(
                    f"POST run {number}: wrk saw {result.completed} answers but only "
                    f"{filed} requests were filed"
                )
            return f"  ({filed:,} requests filed, deleted again)"

        return note

    with webload.serving(log_path) as base:
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
        results = webload.measure(
            base,
            LUA,
            scenarios,
            runs=args.runs,
            duration=args.duration,
            log_path=log_path,
            prefer_hook=False,
            name_width=28,
            after_warming=lambda: delete_posted(seeded_max),
            check=check_post,
        )
        load_after = os.getloadavg()

    trivial = webload.median_result(results["trivial JSON view"])
    get = webload.median_result(results[GET_LISTS])
    miss = webload.median_result(results[GET_NEW])
    post = webload.median_result(results["POST requests.json"])
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
    webload.print_table(
        f"requests seeded: {seeded:,}  runs: {args.runs} x {args.duration} s  "
        f"database: PostgreSQL  (medians)",
        rows,
        name_width=30,
        target_width=16,
    )
    print(
        f"ratio GET/trivial throughput: {share:.2f}  (target >= {GET_SHARE_TARGET})  "
        f"{'pass' if share >= GET_SHARE_TARGET else 'FAIL'}"
    )
    print(f"ratio GET every URL new/trivial throughput: {miss['rps'] / trivial['rps']:.2f}")
    print(f"ratio POST/trivial throughput: {post['rps'] / trivial['rps']:.2f}")
    webload.print_load_average(load_after)


if __name__ == "__main__":
    main()
