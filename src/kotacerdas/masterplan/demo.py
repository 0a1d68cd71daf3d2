"""Kota Kediri's masterplan as demo data: the programmes named in public reporting, mapped to
pillars and plausible owner OPDs, with KPIs, budgets, a few years of actuals, action-plan
activities, institution meetings and quarterly reports. Everything is flagged ``is_demo`` or
lives under the demo masterplan. The figures are invented but consistent with each other, so
every page has something to show; they are not Kediri's real results."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from pathlib import Path

from auditlog.context import disable_auditlog
from django.db import transaction

from kotacerdas.core.models import Opd, Pillar, Region, User
from kotacerdas.masterplan.choices import (
    ActionArea,
    Body,
    BudgetSource,
    Period,
    ReportStatus,
)
from kotacerdas.masterplan.models import (
    ActionActivity,
    Budget,
    Kpi,
    KpiActual,
    KpiTarget,
    Masterplan,
    Meeting,
    Programme,
    ProgressReport,
    ReportingPeriod,
    ReportLine,
    Revision,
)

DEMO_FILE = Path(__file__).resolve().parent / "demo" / "programmes.json"
FIRST_YEAR, CURRENT_YEAR = 2020, 2026
# Realisation as a share of plan, year by year: not every year goes to plan.
REALISATION = [Decimal("0.82"), Decimal("0.91"), Decimal("0.88"), Decimal("0.95"), Decimal("0.93")]
# How actual KPI values fall around the trend: some years miss the target.
ACHIEVEMENT = [Decimal("0.97"), Decimal("1.04"), Decimal("0.92"), Decimal("1.02"), Decimal("0.96")]
QUARTER_DUE = {"Q1": (4, 15), "Q2": (7, 15), "Q3": (10, 15), "Q4": (1, 15)}
# OPDs whose 2026 Q3 report is still missing in the demo, so the overdue list has entries.
LATE_IN_Q3 = {"dlhkp", "disperkim"}
# KPIs that fell behind in 2026 Q3, so the dashboard has red figures to follow to their records.
SHORT_IN_Q3 = {"Cakupan pemeriksaan IVA", "Rata-rata waktu penyelesaian"}


def load(region: Region) -> bool:
    """Load the demo masterplan for Kota Kediri once; returns False if it was already there or
    the region is not Kota Kediri (the demo OPDs are Kediri's)."""
    if region.code != "35.71" or Masterplan.objects.filter(region=region, is_demo=True).exists():
        return False
    # One demo load is one event, not thousands of audit entries.
    with disable_auditlog():
        _load(region)
    return True


@transaction.atomic
def _load(region: Region) -> None:
    masterplan = Masterplan.objects.create(
        region=region,
        title="Masterplan Smart City Kota Kediri",
        start_year=2020,
        end_year=2029,
        legal_basis="Peraturan Wali Kota Kediri tentang Masterplan Smart City (demo)",
        legal_basis_date=datetime.date(2020, 3, 2),
        is_demo=True,
    )
    Revision.objects.create(
        masterplan=masterplan,
        date=datetime.date(2024, 9, 30),
        title="Reviu masterplan 2024",
        legal_basis="Perwali perubahan (demo)",
        changes=(
            "Reviu bersama tim universitas: survei ke seluruh OPD, umpan balik tiap OPD, "
            "penambahan program Cek Bansos dan SIE, penghentian program masa pandemi."
        ),
    )
    opds = {opd.code: opd for opd in Opd.objects.all()}
    pillars = {pillar.code: pillar for pillar in Pillar.objects.all()}
    for index, spec in enumerate(json.loads(DEMO_FILE.read_text(encoding="utf-8"))):
        _programme(masterplan, spec, index, opds, pillars)
    _activities(masterplan, opds)
    _meetings()
    _reports()


def _programme(masterplan, spec, index, opds, pillars) -> None:
    end = spec.get("end")
    programme = Programme.objects.create(
        masterplan=masterplan,
        code=spec["code"],
        name=spec["name"],
        description=spec["description"],
        owner=opds[spec["owner"]],
        kind=spec["kind"],
        is_quick_win=spec["quick_win"],
        start_year=spec["start"],
        end_year=end,
        status=spec["status"],
        target_users=spec["target_users"],
        is_demo=True,
    )
    programme.pillars.set(pillars[code] for code in spec["pillars"])
    programme.partner_opds.set(opds[code] for code in spec["partners_opd"])
    last = min(end or CURRENT_YEAR, CURRENT_YEAR)
    for year in range(spec["start"], last + 1):
        share = REALISATION[(year + index) % len(REALISATION)]
        for source, amount in (
            (BudgetSource.APBD, spec["apbd"]),
            (BudgetSource.NON_APBD, spec["non_apbd"]),
        ):
            if amount:
                realised = None if year == CURRENT_YEAR else int(amount * share) // 1000 * 1000
                Budget.objects.create(
                    programme=programme, year=year, source=source, planned=amount, realised=realised
                )
    for kpi_spec in spec["kpis"]:
        _kpi(programme, kpi_spec, index, last)


def _kpi(programme: Programme, spec, index: int, last: int) -> None:
    baseline, step = Decimal(spec["baseline"]), Decimal(spec["step"])
    kpi = Kpi.objects.create(
        programme=programme,
        name=spec["name"],
        unit=spec["unit"],
        direction=spec["direction"],
        baseline=baseline,
        baseline_year=programme.start_year - 1,
    )
    end = programme.end_year or 2029
    for offset, year in enumerate(range(programme.start_year, end + 1), start=1):
        target = baseline + step * offset
        # Keep targets meaningful: a share stays under 100%, a duration above a floor.
        if spec["unit"] == "%":
            target = min(target, Decimal(98))
        if spec["direction"] == "lower":
            target = max(target, (baseline * Decimal("0.4")).quantize(Decimal("1.0")))
        KpiTarget.objects.create(kpi=kpi, year=year, value=target)
        if year < CURRENT_YEAR and year <= last:
            achieved = ACHIEVEMENT[(year + index) % len(ACHIEVEMENT)]
            # Falling short means a lower value for "higher is better" and a higher one otherwise.
            factor = achieved if spec["direction"] == "higher" else 2 - achieved
            KpiActual.objects.create(
                kpi=kpi,
                year=year,
                period=Period.YEAR,
                value=(target * factor).quantize(Decimal("1.00")),
            )


def _activities(masterplan: Masterplan, opds) -> None:
    plan = [
        (ActionArea.HUMAN_CAPACITY, "Pelatihan literasi data bagi ASN", "diskominfo", "4 angkatan"),
        (
            ActionArea.INFRASTRUCTURE,
            "Perluasan jaringan fiber optik antar-OPD",
            "diskominfo",
            "12 OPD terhubung",
        ),
        (
            ActionArea.APPLICATIONS,
            "Integrasi aplikasi layanan ke PECUT",
            "diskominfo",
            "10 layanan",
        ),
        (ActionArea.LITERACY, "Sosialisasi kota cerdas di kelurahan", "bappeda", "46 kelurahan"),
    ]
    for year in range(2022, CURRENT_YEAR + 1):
        for area, name, opd, output in plan:
            done = year < CURRENT_YEAR or area in {ActionArea.HUMAN_CAPACITY, ActionArea.LITERACY}
            ActionActivity.objects.create(
                masterplan=masterplan,
                area=area,
                year=year,
                name=name,
                opd=opds[opd],
                planned_output=output,
                realised_output=output if done else "",
                done=done,
                planned_budget=150_000_000,
                realised_budget=138_500_000 if done else None,
            )


def _meetings() -> None:
    for year in range(2022, CURRENT_YEAR + 1):
        Meeting.objects.create(
            body=Body.COUNCIL,
            date=datetime.date(year, 2, 14),
            title=f"Rapat Dewan Smart City {year}",
            participants="Wali Kota, Sekretaris Daerah, Kepala Bappeda, Kepala Diskominfo",
            minutes="Penetapan prioritas program tahun berjalan (demo).",
        )
        for month in (3, 9):
            Meeting.objects.create(
                body=Body.TEAM,
                date=datetime.date(year, month, 10),
                title=f"Rapat koordinasi Tim Pelaksana {year}",
                participants="Perwakilan seluruh OPD pemilik program",
                minutes="Evaluasi capaian KPI dan realisasi anggaran (demo).",
            )
        Meeting.objects.create(
            body=Body.FORUM,
            date=datetime.date(year, 11, 5),
            title=f"Forum Smart City {year}",
            participants="Perguruan tinggi, komunitas, pelaku usaha, media",
            minutes="Masukan masyarakat untuk program tahun depan (demo).",
        )


def _reports() -> None:
    """Reporting periods for 2026, approved reports for Q1 and Q2, Q3 partly done."""
    reviewer = User.objects.filter(is_superuser=True).order_by("pk").first()
    for quarter in ("Q1", "Q2", "Q3", "Q4"):
        month, day = QUARTER_DUE[quarter]
        year = CURRENT_YEAR + 1 if quarter == "Q4" else CURRENT_YEAR
        ReportingPeriod.objects.create(
            year=CURRENT_YEAR, period=quarter, due_date=datetime.date(year, month, day)
        )
    running = Programme.objects.filter(status="running").select_related("owner")
    for quarter, fraction in (
        ("Q1", Decimal("0.2")),
        ("Q2", Decimal("0.45")),
        ("Q3", Decimal("0.7")),
    ):
        for opd in {programme.owner for programme in running}:
            if quarter == "Q3" and opd.code in LATE_IN_Q3:
                continue
            status = ReportStatus.APPROVED if quarter != "Q3" else ReportStatus.SUBMITTED
            report = ProgressReport.objects.create(
                opd=opd,
                year=CURRENT_YEAR,
                period=quarter,
                status=status,
                narrative=f"Laporan kemajuan {quarter} {CURRENT_YEAR} (demo).",
                reviewed_by=reviewer if status == ReportStatus.APPROVED else None,
            )
            for programme in running.filter(owner=opd):
                apbd = programme.budgets.filter(year=CURRENT_YEAR, source=BudgetSource.APBD).first()
                ReportLine.objects.create(
                    report=report,
                    programme=programme,
                    narrative="Kegiatan berjalan sesuai jadwal (demo).",
                    realised_apbd=int(apbd.planned * fraction) if apbd else None,
                )
                for kpi in programme.kpis.all():
                    target = kpi.targets.filter(year=CURRENT_YEAR).first()
                    if target:
                        value = target.value * (Decimal("0.7") + fraction / 2)
                        if quarter == "Q3" and kpi.name in SHORT_IN_Q3:
                            # The dashboard's red: a KPI that fell behind this quarter.
                            shortfall = "0.75" if kpi.direction == "higher" else "1.4"
                            value = target.value * Decimal(shortfall)
                        if kpi.unit == "%":
                            value = min(value, Decimal(100))
                        KpiActual.objects.create(
                            kpi=kpi,
                            year=CURRENT_YEAR,
                            period=quarter,
                            report=report,
                            value=value.quantize(Decimal("1.00")),
                        )
