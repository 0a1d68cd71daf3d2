"""Demo data for PECUT in Kota Kediri: a service catalogue across the city's OPDs, and twelve
weeks of invented requests worked through the real workflow (so every figure in the monitoring
room and the IKM report comes from records, not from numbers typed in). The citizens are
invented: names are not stored, phone numbers are in a range no operator issues (0812-0000-xxxx).
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from kotacerdas.core.choices import RegionLevel, Role
from kotacerdas.core.models import Opd, Pillar, Region, User
from kotacerdas.servicedesk import notify, workflow
from kotacerdas.servicedesk.choices import AttributeType, Category, SlaUnit
from kotacerdas.servicedesk.intake import NewRequest, submit_request
from kotacerdas.servicedesk.models import SatisfactionResponse, Service, ServiceAttribute

# code, name, category, OPD code, pillar, SLA amount, unit, fee, requirements, legal basis
SERVICES = [
    (
        "jalan-rusak",
        "Jalan rusak atau berlubang",
        Category.COMPLAINT,
        "dpupr",
        "living",
        5,
        SlaUnit.WORKING_DAYS,
        0,
        "",
        "Perwali Kota Kediri tentang standar pelayanan DPUPR",
    ),
    (
        "drainase-tersumbat",
        "Saluran air tersumbat / genangan",
        Category.COMPLAINT,
        "dpupr",
        "environment",
        3,
        SlaUnit.WORKING_DAYS,
        0,
        "",
        "",
    ),
    (
        "lampu-jalan-mati",
        "Lampu penerangan jalan mati",
        Category.COMPLAINT,
        "dishub",
        "living",
        3,
        SlaUnit.WORKING_DAYS,
        0,
        "",
        "",
    ),
    (
        "sampah-menumpuk",
        "Sampah menumpuk / tidak diangkut",
        Category.COMPLAINT,
        "dlhkp",
        "environment",
        2,
        SlaUnit.WORKING_DAYS,
        0,
        "",
        "",
    ),
    (
        "pohon-tumbang",
        "Pohon tumbang atau rawan tumbang",
        Category.COMPLAINT,
        "dlhkp",
        "environment",
        8,
        SlaUnit.WORKING_HOURS,
        0,
        "",
        "",
    ),
    (
        "ketertiban-umum",
        "Gangguan ketertiban umum",
        Category.COMPLAINT,
        "satpolpp",
        "society",
        2,
        SlaUnit.WORKING_DAYS,
        0,
        "",
        "Perda Kota Kediri tentang ketertiban umum",
    ),
    (
        "layanan-kesehatan",
        "Pengaduan layanan puskesmas",
        Category.COMPLAINT,
        "dinkes",
        "society",
        5,
        SlaUnit.WORKING_DAYS,
        0,
        "",
        "",
    ),
    (
        "aspirasi-pembangunan",
        "Aspirasi pembangunan kelurahan",
        Category.ASPIRATION,
        "bappeda",
        "governance",
        10,
        SlaUnit.WORKING_DAYS,
        0,
        "",
        "",
    ),
    (
        "informasi-publik",
        "Permohonan informasi publik",
        Category.INFORMATION,
        "diskominfo",
        "governance",
        10,
        SlaUnit.WORKING_DAYS,
        0,
        "KTP pemohon; rincian informasi yang diminta",
        "UU 14/2008 tentang Keterbukaan Informasi Publik",
    ),
    (
        "akta-kelahiran",
        "Akta kelahiran",
        Category.APPLICATION,
        "dispendukcapil",
        "governance",
        1,
        SlaUnit.WORKING_DAYS,
        0,
        "Surat keterangan lahir; KK; KTP orang tua; buku nikah",
        "Perpres 96/2018",
    ),
    (
        "pbg",
        "Persetujuan Bangunan Gedung (PBG)",
        Category.APPLICATION,
        "dpmptsp",
        "economy",
        28,
        SlaUnit.WORKING_DAYS,
        0,
        "Dokumen rencana teknis; bukti hak atas tanah; KTP",
        "PP 16/2021",
    ),
    (
        "bantuan-sosial",
        "Pengaduan bantuan sosial",
        Category.COMPLAINT,
        "dinsos",
        "society",
        5,
        SlaUnit.WORKING_DAYS,
        0,
        "",
        "",
    ),
]

COMPLAINTS = {
    "jalan-rusak": [
        "Jalan berlubang dalam di depan sekolah, sudah ada motor jatuh",
        "Aspal retak dan berlubang sepanjang 20 meter dekat pasar",
    ],
    "drainase-tersumbat": [
        "Got tersumbat sampah, air meluap ke jalan saat hujan",
        "Genangan air tidak surut dua hari di gang",
    ],
    "lampu-jalan-mati": [
        "Lampu jalan mati tiga tiang berturut-turut, gelap dan rawan",
        "PJU berkedip lalu mati sejak minggu lalu",
    ],
    "sampah-menumpuk": [
        "Sampah di TPS belum diangkut lima hari, bau menyengat",
        "Tumpukan sampah liar di pinggir sungai",
    ],
    "pohon-tumbang": [
        "Dahan besar patah menggantung di atas jalan",
        "Pohon miring hampir menimpa kabel listrik",
    ],
    "ketertiban-umum": [
        "Parkir liar menutup trotoar setiap sore",
        "Pedagang menutup badan jalan pada malam hari",
    ],
    "layanan-kesehatan": [
        "Antrean puskesmas sangat lama, loket buka terlambat",
        "Obat resep tidak tersedia di puskesmas",
    ],
    "aspirasi-pembangunan": [
        "Usulan taman bermain anak di lahan kosong kelurahan",
        "Usulan perbaikan balai RW untuk posyandu",
    ],
    "informasi-publik": [
        "Mohon salinan data anggaran kelurahan tahun ini",
        "Mohon informasi jadwal vaksinasi anak",
    ],
    "akta-kelahiran": ["Permohonan akta kelahiran anak kedua", "Akta kelahiran bayi baru lahir"],
    "pbg": ["Permohonan PBG rumah tinggal dua lantai", "PBG untuk ruko tiga pintu"],
    "bantuan-sosial": [
        "Keluarga kami tidak lagi menerima bantuan padahal belum mampu",
        "Tetangga yang sudah meninggal masih tercatat penerima",
    ],
}
WEEKS = 12
REQUESTS = 180


def load(region: Region) -> bool:
    if region.code != "35.71" or Service.objects.filter(is_demo=True).exists():
        return False
    opds = {opd.code: opd for opd in Opd.objects.all()}
    if "dpupr" not in opds:
        return False  # the demo OPDs are not there (core's demo loads them first)
    with notify.muted():
        _load(region, opds)
    return True


@transaction.atomic
def _load(region: Region, opds: dict[str, Opd]) -> None:
    pillars = {pillar.code: pillar for pillar in Pillar.objects.all()}
    services = []
    for code, name, category, opd, pillar, amount, unit, fee, needs, basis in SERVICES:
        services.append(
            Service.objects.create(
                code=code,
                name=name,
                category=category,
                opd=opds[opd],
                pillar=pillars.get(pillar),
                sla_amount=amount,
                sla_unit=unit,
                fee=fee,
                requirements=needs,
                legal_basis=basis,
                is_demo=True,
            )
        )
    ServiceAttribute.objects.create(
        service=services[0],
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
    desk = (
        User.objects.filter(Q(is_superuser=True) | Q(groups__name=Role.ADMINISTRATOR))
        .order_by("pk")
        .first()
    )
    if desk is None:
        return
    villages = list(
        Region.objects.filter(code__startswith=region.code + ".", level=RegionLevel.VILLAGE)
    )
    rng = random.Random(35_71)  # noqa: S311 - invented demo data, the same on every machine
    now = timezone.now()
    for n in range(REQUESTS):
        service = rng.choice(services)
        submitted = now - dt.timedelta(minutes=rng.randint(10, WEEKS * 7 * 24 * 60))
        if service.attributes.exists():
            attributes = {"kerusakan": rng.choice(["lubang", "retak", "amblas"])}
        else:
            attributes = {}
        filed, _ = submit_request(
            NewRequest(
                service=service,
                description=rng.choice(COMPLAINTS[service.code]),
                region=rng.choice(villages),
                phone=f"0812-0000-{n:04d}",
                attributes=attributes,
                anonymous=service.category == Category.COMPLAINT and rng.random() < 0.1,
            ),
            at=submitted,
        )
        _work(filed, desk, submitted, now, rng)


def _work(filed, desk: User, submitted: dt.datetime, now: dt.datetime, rng: random.Random) -> None:
    """Move a demo request as far as its age allows: most are triaged within hours, resolved
    around their deadline (some late), rated and closed; the youngest are still open."""
    age = now - submitted
    if age < dt.timedelta(hours=3):
        return
    if rng.random() < 0.04:
        workflow.reject(
            desk,
            filed,
            "Bukan kewenangan Pemerintah Kota Kediri.",
            at=submitted + dt.timedelta(hours=2),
        )
        return
    workflow.assign(desk, filed, at=submitted + dt.timedelta(hours=rng.randint(1, 3)))
    service_time = filed.due_at - submitted
    took = service_time * rng.uniform(0.3, 1.5)
    if took > age or rng.random() < 0.08:
        if age > dt.timedelta(days=1):
            workflow.start(desk, filed, at=submitted + dt.timedelta(hours=5))
        return
    workflow.start(desk, filed, at=submitted + min(took / 2, dt.timedelta(hours=6)))
    resolved_at = submitted + took
    workflow.resolve(desk, filed, "Sudah ditindaklanjuti oleh petugas di lapangan.", at=resolved_at)
    if rng.random() < 0.6:
        late = resolved_at > filed.due_at
        base = 2 if late else 3
        answers = [min(4, max(1, base + rng.choice([0, 0, 1, -1]))) for _ in range(9)]
        SatisfactionResponse.objects.create(
            service=filed.service,
            request=filed,
            submitted_at=resolved_at + dt.timedelta(hours=4),
            **{f"u{i}": answer for i, answer in enumerate(answers, start=1)},
        )
    if now - resolved_at > dt.timedelta(days=1) and rng.random() < 0.7:
        workflow.close(filed, at=resolved_at + dt.timedelta(days=1))
