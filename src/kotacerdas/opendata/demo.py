"""Demo data for Satu Data in Kota Kediri, loaded through the real workflow (described, uploaded,
validated, submitted, published), so the portal, the CKAN API and the indicators show what a
deployment would:

- the population of East Java's regencies and cities, from the platform's own reference data
  (Kemendagri, real figures);
- the smart city index history of Kota Kediri (the published indices);
- welfare indicators of Kota Kediri and its kecamatan by year, mapped to the indicator store
  (invented values shaped like BPS publications; marked as demo data);
- the budgets of the smart city programmes, from the masterplan module's records;
- a limited dataset, which the public never sees.
"""

from __future__ import annotations

import csv
import io
import random

from auditlog.context import disable_auditlog
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Q

from kotacerdas.core.choices import Role
from kotacerdas.core.models import Opd, Pillar, Region, User
from kotacerdas.core.reference_data import REFERENCE_DIR
from kotacerdas.masterplan.facts import budget_table
from kotacerdas.opendata import indicators, publishing
from kotacerdas.opendata.choices import Classification, Frequency, Granularity
from kotacerdas.opendata.models import Dataset, Indicator

POPULATION_SCHEMA = {
    "fields": [
        {"name": "kode", "type": "string", "region": True, "constraints": {"required": True}},
        {"name": "nama", "type": "string", "constraints": {"required": True}},
        {"name": "pria", "type": "integer", "constraints": {"minimum": 0}},
        {"name": "wanita", "type": "integer", "constraints": {"minimum": 0}},
        {"name": "total", "type": "integer", "constraints": {"minimum": 0}},
    ],
    "primaryKey": ["kode"],
}
INDEX_SCHEMA = {
    "fields": [
        {"name": "tahun", "type": "integer", "constraints": {"required": True}},
        {"name": "indeks", "type": "number", "constraints": {"minimum": 0, "maximum": 4}},
        {"name": "sumber", "type": "string"},
    ],
    "primaryKey": ["tahun"],
}
WELFARE_SCHEMA = {
    "fields": [
        {"name": "kode_wilayah", "type": "string", "region": True},
        {"name": "tahun", "type": "integer", "constraints": {"minimum": 2000, "maximum": 2100}},
        {"name": "penduduk_miskin_persen", "type": "number", "constraints": {"minimum": 0}},
        {"name": "ipm", "type": "number", "constraints": {"minimum": 0, "maximum": 100}},
        {"name": "stunting_persen", "type": "number", "constraints": {"minimum": 0}},
        {"name": "air_minum_layak_persen", "type": "number", "constraints": {"minimum": 0}},
        {"name": "sanitasi_layak_persen", "type": "number", "constraints": {"minimum": 0}},
    ],
    "primaryKey": ["kode_wilayah", "tahun"],
}
WELFARE_MAPPINGS = {
    "penduduk-miskin": "penduduk_miskin_persen",
    "ipm": "ipm",
    "stunting": "stunting_persen",
    "air-minum-layak": "air_minum_layak_persen",
    "sanitasi-layak": "sanitasi_layak_persen",
}
BUDGET_SCHEMA = {
    "fields": [
        {"name": "kode_program", "type": "string", "constraints": {"required": True}},
        {"name": "nama_program", "type": "string"},
        {"name": "opd", "type": "string"},
        {"name": "tahun", "type": "integer"},
        {"name": "sumber", "type": "string", "constraints": {"enum": ["apbd", "non_apbd"]}},
        {"name": "rencana_rp", "type": "integer", "constraints": {"minimum": 0}},
        {"name": "realisasi_rp", "type": "integer", "constraints": {"minimum": 0}},
    ],
    "primaryKey": ["kode_program", "tahun", "sumber"],
}
PUBLISHED_INDEX = [(2020, "2.87"), (2021, "3.06"), (2022, "3.31"), (2023, "3.197")]


def load(region: Region) -> bool:
    if region.code != "35.71" or Dataset.objects.filter(is_demo=True).exists():
        return False
    opds = {opd.code: opd for opd in Opd.objects.all()}
    steward = (
        User.objects.filter(Q(is_superuser=True) | Q(groups__name=Role.ADMINISTRATOR))
        .order_by("pk")
        .first()
    )
    if steward is None or not {"dispendukcapil", "diskominfo", "bappeda"} <= set(opds):
        return False
    with disable_auditlog():
        _load(region, opds, steward)
    return True


def _csv(rows: list[list[object]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def _publish(steward: User, dataset: Dataset, name: str, content: bytes, note: str) -> None:
    version = publishing.upload_version(
        steward, dataset, SimpleUploadedFile(name, content, "text/csv"), note
    )
    publishing.submit_version(steward, version)
    publishing.publish_version(steward, version)


def _dataset(steward: User, **fields) -> Dataset:
    tags = fields.pop("tags")
    return publishing.save_dataset(steward, Dataset(is_demo=True, **fields), tags=tags)


@transaction.atomic
def _load(region: Region, opds: dict[str, Opd], steward: User) -> None:
    pillars = {p.code: p for p in Pillar.objects.all()}
    province = Region.objects.get(code="35")

    population = _dataset(
        steward,
        slug="penduduk-kabupaten-kota-jawa-timur",
        title="Jumlah penduduk kabupaten/kota di Jawa Timur",
        description="Penduduk menurut jenis kelamin per kabupaten/kota di Provinsi Jawa Timur, "
        "dari data Kemendagri (Kepmendagri 300.2.2-2138/2025).",
        producer=opds["dispendukcapil"],
        topic="Kependudukan",
        pillar=pillars["society"],
        frequency=Frequency.SEMIANNUAL,
        period_start=2025,
        period_end=2025,
        coverage=province,
        granularity=Granularity.CITY,
        unit="jiwa",
        contact_name="Dispendukcapil Kota Kediri",
        iso_indicator="ISO 37120:2018 profile",
        table_schema=POPULATION_SCHEMA,
        tags=["kependudukan", "kemendagri"],
    )
    with (REFERENCE_DIR / "wilayah_penduduk.csv").open(encoding="utf-8") as handle:
        rows = [
            [r["kode"], r["nama"], r["pria"], r["wanita"], r["total"]]
            for r in csv.DictReader(handle)
            if r["kode"].startswith("35.")
        ]
    _publish(
        steward,
        population,
        "penduduk-jatim.csv",
        _csv([["kode", "nama", "pria", "wanita", "total"], *rows]),
        "Data Kemendagri 2025",
    )

    index = _dataset(
        steward,
        slug="indeks-kota-cerdas-kediri",
        title="Indeks Kota Cerdas Kota Kediri",
        description="Nilai indeks evaluasi Gerakan Menuju Smart City Kota Kediri yang "
        "diterbitkan kementerian (skala 0-4).",
        producer=opds["diskominfo"],
        topic="Kota cerdas",
        pillar=pillars["governance"],
        frequency=Frequency.ANNUAL,
        period_start=2020,
        period_end=2023,
        coverage=region,
        granularity=Granularity.CITY,
        unit="indeks (0-4)",
        table_schema=INDEX_SCHEMA,
        tags=["smart city", "evaluasi"],
    )
    _publish(
        steward,
        index,
        "indeks.csv",
        _csv(
            [
                ["tahun", "indeks", "sumber"],
                *[[y, v, "Kementerian Kominfo"] for y, v in PUBLISHED_INDEX],
            ]
        ),
        "Indeks 2020-2023",
    )

    welfare = _dataset(
        steward,
        slug="indikator-kesejahteraan-kediri",
        title="Indikator kesejahteraan Kota Kediri per kecamatan",
        description="Kemiskinan, IPM, stunting, air minum dan sanitasi layak per tahun untuk "
        "kota dan kecamatan. DATA DEMO: nilai karangan yang dibentuk seperti publikasi BPS; "
        "ganti dengan data resmi sebelum dipakai.",
        producer=opds["bappeda"],
        topic="Kesejahteraan",
        pillar=pillars["society"],
        frequency=Frequency.ANNUAL,
        period_start=2019,
        period_end=2024,
        coverage=region,
        granularity=Granularity.DISTRICT,
        unit="persen / indeks",
        table_schema=WELFARE_SCHEMA,
        tags=["kemiskinan", "ipm", "stunting", "demo"],
    )
    rng = random.Random(35_71)  # noqa: S311 - invented demo data, the same on every machine
    areas = [region.code, *Region.objects.filter(parent=region).values_list("code", flat=True)]
    rows = []
    for code in areas:
        offset = rng.uniform(-0.8, 0.8)
        for year in range(2019, 2025):
            trend = year - 2019
            rows.append(
                [
                    code,
                    year,
                    round(8.4 - 0.25 * trend + offset, 2),
                    round(78.0 + 0.45 * trend - offset / 2, 2),
                    round(19.0 - 1.6 * trend + offset * 2, 2),
                    round(93.0 + 0.9 * trend - offset, 2),
                    round(84.0 + 1.5 * trend - offset, 2),
                ]
            )
    header = [field["name"] for field in WELFARE_SCHEMA["fields"]]
    for code, column in WELFARE_MAPPINGS.items():
        indicator = Indicator.objects.filter(code=code).first()
        if indicator is not None:
            indicators.declare_mapping(steward, welfare, indicator, "kode_wilayah", "tahun", column)
    _publish(steward, welfare, "kesejahteraan.csv", _csv([header, *rows]), "Demo 2019-2024")

    budgets = budget_table()
    if budgets:
        budget = _dataset(
            steward,
            slug="anggaran-program-kota-cerdas",
            title="Anggaran program kota cerdas Kota Kediri",
            description="Rencana dan realisasi anggaran (APBD dan non-APBD) program masterplan "
            "smart city per tahun, dari modul masterplan.",
            producer=opds["bappeda"],
            topic="Kota cerdas",
            pillar=pillars["governance"],
            frequency=Frequency.QUARTERLY,
            coverage=region,
            granularity=Granularity.CITY,
            unit="rupiah",
            table_schema=BUDGET_SCHEMA,
            tags=["anggaran", "smart city"],
        )
        header = [field["name"] for field in BUDGET_SCHEMA["fields"]]
        rows = [[row[name] if row[name] is not None else "" for name in header] for row in budgets]
        _publish(steward, budget, "anggaran.csv", _csv([header, *rows]), "Dari masterplan")

    internal = _dataset(
        steward,
        slug="rekap-pengaduan-internal",
        title="Rekap internal tindak lanjut pengaduan per OPD",
        description="Rekap kerja internal untuk rapat pimpinan; tidak untuk publik.",
        producer=opds["diskominfo"],
        topic="Pelayanan publik",
        pillar=pillars["governance"],
        frequency=Frequency.MONTHLY,
        coverage=region,
        classification=Classification.LIMITED,
        table_schema=None,
        tags=["internal"],
    )
    _publish(
        steward,
        internal,
        "rekap.csv",
        _csv([["opd", "bulan", "selesai"], ["dpupr", "2026-10", 41], ["dlhkp", "2026-10", 37]]),
        "Oktober 2026",
    )
