"""The Kediri demo's stat meetings: a meeting held five weeks ago whose action items follow a
red KPI, a failing service and a data-quality flag (one of them overdue, one reviewed since),
the next meeting planned with its agenda proposed from what changed, and notes on the series.
Everything goes through the real meeting functions, so the figures kept are the real ones."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from kotacerdas.core.choices import Role
from kotacerdas.core.models import Region, User
from kotacerdas.dashboard import annotations, meetings, panels
from kotacerdas.dashboard.choices import ActionStatus, FigureStatus
from kotacerdas.dashboard.models import StatMeeting
from kotacerdas.dashboard.scope import CITY, Scope

ATTENDEES = "Wali Kota, Wakil Wali Kota, Sekretaris Daerah, Kepala Bappeda, Kepala Diskominfo"


def load(region: Region) -> bool:
    if region.code != "35.71" or StatMeeting.objects.filter(is_demo=True).exists():
        return False
    _load()
    return True


def _first(figures, prefix: str, status: str | None = None):
    return next(
        (f for f in figures if f.key.startswith(prefix) and (status is None or f.status == status)),
        None,
    )


@transaction.atomic
def _load() -> None:
    admin = (
        User.objects.filter(Q(is_superuser=True) | Q(groups__name=Role.ADMINISTRATOR))
        .order_by("pk")
        .first()
    )
    if admin is None:
        return
    today = timezone.localdate()
    held = meetings.plan_meeting(
        admin,
        date=today - dt.timedelta(days=35),
        title="Rapat evaluasi kinerja SIE",
        attendees=ATTENDEES,
    )
    meetings.record_meeting(
        admin,
        held,
        {
            "minutes": (
                "Wali Kota meminta OPD dengan IKU merah dan layanan yang lewat tenggat "
                "menyampaikan rencana perbaikan (demo)."
            ),
            "decisions": "Tindak lanjut dibahas kembali pada rapat berikutnya (demo).",
        },
    )
    reader = panels.reader_for(Scope(CITY), None)
    figures = [f for panel in panels.all_panels(reader) for f in panel.figures]
    picks = [
        (_first(figures, "kpi.", FigureStatus.RED), "Susun rencana percepatan capaian IKU", 10),
        (
            _first(figures, "pecut.sla.service.", FigureStatus.RED)
            or _first(figures, "pecut.sla.service."),
            "Kurangi tunggakan permohonan",
            -5,
        ),
        (_first(figures, "bansos.flag.deceased"), "Verifikasi penerima yang meninggal", 21),
    ]
    made = []
    for figure, title, due_in in picks:
        if figure is None or not figure.owner:
            continue
        made.append(
            meetings.create_action(
                admin,
                title=f"{title}: {figure.label}"[:300],
                owner=figure.owner,
                due_date=today + dt.timedelta(days=due_in),
                meeting=held,
                figure_key=figure.key,
                record_url=figure.drill_url,
            )
        )
    for action in made[:1]:
        meetings.review_action(
            admin,
            action,
            status=ActionStatus.IN_PROGRESS,
            note="Rencana aksi sudah disusun (demo).",
        )
    for action in StatMeeting.objects.filter(pk=held.pk).first().actions.all():
        action.is_demo = True
        action.save(update_fields=["is_demo"])
    upcoming = meetings.plan_meeting(
        admin,
        date=today + dt.timedelta(days=7),
        title="Rapat evaluasi kinerja SIE",
        attendees=ATTENDEES,
    )
    StatMeeting.objects.filter(pk__in=[held.pk, upcoming.pk]).update(is_demo=True)
    annotations.annotate(
        admin, series="index", date=dt.date(2023, 6, 1), text="Instrumen evaluasi baru (KPPN/IKN)"
    )
    annotations.annotate(
        admin,
        series="pecut.intake",
        date=today - dt.timedelta(days=20),
        text="Sosialisasi PECUT di 46 kelurahan (demo)",
    )
