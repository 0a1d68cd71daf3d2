"""Facts the masterplan holds, for other modules to read with their source: the evaluation
proposes answers from them, the dashboard shows them. Public functions of this app; other apps
read the masterplan through these and never through its models."""

from __future__ import annotations

from django.db.models import Q, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from kotacerdas.core.facts import Fact, Record
from kotacerdas.masterplan.choices import Body, BudgetSource, ProgrammeStatus
from kotacerdas.masterplan.models import ActionActivity, Budget, Masterplan, Meeting, Programme


def _programme_record(programme: Programme) -> Record:
    return Record(
        "programme",
        programme.code,
        programme.name,
        reverse("masterplan:programme", args=[programme.code]),
    )


def running_programmes(year: int, pillar: str | None = None) -> Fact:
    """Programmes running in ``year`` (status running and the year inside their period),
    optionally under one pillar."""
    programmes = Programme.objects.filter(
        Q(end_year__isnull=True) | Q(end_year__gte=year),
        status=ProgrammeStatus.RUNNING,
        start_year__lte=year,
    ).order_by("name")
    if pillar:
        programmes = programmes.filter(pillars__code=pillar)
    found = list(programmes.distinct())
    names = ", ".join(p.name for p in found) or _("none")
    return Fact(
        _("%(count)s programme(s) running in %(year)s: %(names)s")
        % {"count": len(found), "year": year, "names": names},
        len(found),
        [_programme_record(p) for p in found],
    )


def programmes_that_ran(year: int) -> Fact:
    """Programmes whose period included ``year`` and that were not merely planned (the
    evaluation's "programmes that ran last year")."""
    found = list(
        Programme.objects.filter(
            Q(end_year__isnull=True) | Q(end_year__gte=year), start_year__lte=year
        )
        .exclude(status=ProgrammeStatus.PLANNED)
        .order_by("name")
    )
    return Fact(
        _("%(count)s smart city programme(s) ran in %(year)s.")
        % {"count": len(found), "year": year},
        len(found),
        [_programme_record(p) for p in found],
    )


def action_activities(year: int, area: str | None = None) -> Fact:
    """Action-plan activities of ``year`` (one area or all): how many were planned and done."""
    activities = ActionActivity.objects.filter(year=year)
    if area:
        activities = activities.filter(area=area)
    planned = activities.count()
    done = [a for a in activities.order_by("name") if a.done]
    return Fact(
        _("%(done)s of %(planned)s action-plan activities carried out in %(year)s.")
        % {"done": len(done), "planned": planned, "year": year},
        len(done),
        [
            Record("action_activity", str(a.pk), a.name, reverse("masterplan:action-plans"))
            for a in done
        ],
    )


def meetings_held(body: str, year: int) -> Fact:
    """Meetings of one smart city institution in ``year``."""
    meetings = list(Meeting.objects.filter(body=body, date__year=year).order_by("date"))
    return Fact(
        _("%(body)s met %(count)s time(s) in %(year)s.")
        % {"body": Body(body).label, "count": len(meetings), "year": year},
        len(meetings),
        [
            Record(
                "meeting",
                str(m.pk),
                f"{m.title} ({m.date:%d-%m-%Y})",
                reverse("masterplan:meetings"),
            )
            for m in meetings
        ],
    )


def budget_sources(year: int) -> Fact:
    """The smart city budget of ``year`` by source, and the APBD share of it (planned)."""
    totals = {
        row["source"]: row["planned"] or 0
        for row in Budget.objects.filter(year=year)
        .values("source")
        .annotate(planned=Sum("planned"))
    }
    apbd = totals.get(BudgetSource.APBD, 0)
    other = totals.get(BudgetSource.NON_APBD, 0)
    total = apbd + other
    share = round(100 * apbd / total, 1) if total else None
    return Fact(
        _(
            "Smart city budget %(year)s: APBD Rp %(apbd)s, non-APBD Rp %(other)s; "
            "APBD share %(share)s%%."
        )
        % {
            "year": year,
            "apbd": f"{apbd:,}".replace(",", "."),
            "other": f"{other:,}".replace(",", "."),
            "share": share if share is not None else "-",
        },
        share,
        [
            Record(
                "budget",
                str(year),
                _("Budget %(year)s") % {"year": year},
                reverse("masterplan:budget"),
            )
        ],
    )


def legal_basis(year: int) -> Fact:
    """The legal basis of the masterplan in force in ``year``."""
    plan = (
        Masterplan.objects.filter(start_year__lte=year, end_year__gte=year)
        .order_by("-start_year")
        .first()
    )
    if plan is None or not plan.legal_basis:
        return Fact(
            _("No masterplan with a legal basis is recorded for %(year)s.") % {"year": year}, 0
        )
    return Fact(
        _("Masterplan %(start)s-%(end)s, legal basis: %(basis)s.")
        % {"start": plan.start_year, "end": plan.end_year, "basis": plan.legal_basis},
        1,
        [Record("masterplan", str(plan.pk), str(plan), reverse("masterplan:overview"))],
    )


def budget_table() -> list[dict[str, object]]:
    """Every programme's budget line as a row (programme code and name, owner OPD code, year,
    source, planned and realised rupiah), oldest year first: what Satu Data publishes as the
    smart city programme budget dataset."""
    rows = Budget.objects.select_related("programme__owner").order_by(
        "year", "programme__code", "source"
    )
    return [
        {
            "kode_program": budget.programme.code,
            "nama_program": budget.programme.name,
            "opd": budget.programme.owner.code,
            "tahun": budget.year,
            "sumber": budget.source,
            "rencana_rp": budget.planned,
            "realisasi_rp": budget.realised,
        }
        for budget in rows
    ]
