"""The registry's figures for the pages and for other modules (the executive dashboard reads
these, never the models): recipients per programme, the latest linkage's data quality, and the
last disbursement's reconciliation. Recipients and data quality can be limited to an area (a
region code: the city, a kecamatan or a kelurahan, and everything in it), for a kecamatan or
kelurahan office's view. No function here returns a person."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from kotacerdas.bansos import disbursement
from kotacerdas.bansos.choices import BatchStatus, LinkFlag, LinkMethod, ReviewDecision
from kotacerdas.bansos.models import Batch, DtksRecord, LinkReview, LinkRun, Programme
from kotacerdas.core import regions


@dataclass(frozen=True)
class Recipients:
    programme: Programme
    people: int


def has_flag(flag: str, field: str = "flags") -> Q:
    """DTKS rows that carry the data-quality ``flag`` in their ``;``-separated flags (matched
    as a whole item, so that no flag is mistaken for part of another)."""
    return (
        Q(**{field: flag})
        | Q(**{f"{field}__startswith": f"{flag};"})
        | Q(**{f"{field}__endswith": f";{flag}"})
        | Q(**{f"{field}__contains": f";{flag};"})
    )


def recipients_per_programme(area: str | None = None) -> list[Recipients]:
    """People with an enrolment in each programme that covers today; with ``area``, only the
    people whose kelurahan lies in it."""
    today = timezone.localdate()
    current = Q(enrolments__start__lte=today) & (
        Q(enrolments__end__isnull=True) | Q(enrolments__end__gte=today)
    )
    if area is not None:
        current &= regions.within("enrolments__person__kelurahan__code", area)
    programmes = Programme.objects.annotate(
        people=Count("enrolments__person", distinct=True, filter=current)
    )
    return [Recipients(programme, programme.people) for programme in programmes]


@dataclass(frozen=True)
class DataQuality:
    """The figures of a linkage run: DTKS rows, how many were linked, and per flag."""

    run: LinkRun
    rows: int
    linked: int
    review: int
    flags: list[tuple[str, str, int]]  # (code, label, DTKS rows)


def _finished_runs():
    """The linkage runs that finished, the one that finished last first: "the latest run" of
    every figure here."""
    return LinkRun.objects.filter(finished_at__isnull=False).order_by("-finished_at")


def latest_data_quality(area: str | None = None) -> DataQuality | None:
    """The figures of the latest finished linkage run. Without ``area``, as the run recorded
    them; with ``area``, counted from the DTKS rows whose kelurahan lies in it, as the
    linkage (and any review decided since) left them: rows, rows linked, matches waiting for
    review, and rows per flag."""
    run = _finished_runs().first()
    if run is None:
        return None
    if area is not None:
        return _area_data_quality(run, area)
    counts = run.summary.get("flags", {})
    return DataQuality(
        run=run,
        rows=run.summary.get("rows", 0),
        linked=run.summary.get("linked", 0),
        review=run.summary.get("review", 0),
        flags=[(code, label, counts.get(code, 0)) for code, label in LinkFlag.choices],
    )


def _area_data_quality(run: LinkRun, area: str) -> DataQuality:
    records = DtksRecord.objects.filter(regions.within("kelurahan_code", area))
    # One query for every figure: a count per flag beside the rows and the linked rows.
    figures = records.aggregate(
        rows=Count("pk"),
        linked=Count("pk", filter=~Q(link_method__in=["", LinkMethod.NONE])),
        **{f"flag_{code}": Count("pk", filter=has_flag(code)) for code in LinkFlag.values},
    )
    review = LinkReview.objects.filter(
        regions.within("record__kelurahan_code", area), decision=ReviewDecision.PENDING
    ).count()
    return DataQuality(
        run=run,
        rows=figures["rows"],
        linked=figures["linked"],
        review=review,
        flags=[(code, label, figures[f"flag_{code}"]) for code, label in LinkFlag.choices],
    )


def last_reconciliation() -> disbursement.Reconciliation | None:
    """The reconciliation of the batch the bank answered last (else the last batch sent)."""
    batch = (
        Batch.objects.filter(status=BatchStatus.RECONCILED).order_by("-reconciled_at").first()
        or Batch.objects.filter(status=BatchStatus.EXPORTED).order_by("-exported_at").first()
    )
    return disbursement.reconciliation(batch) if batch else None


@dataclass(frozen=True)
class FlagRise:
    """A data-quality flag more frequent in the latest linkage run than in the one before."""

    code: str
    label: str
    rows: int
    increase: int


def rising_flags(since: dt.date) -> list[FlagRise]:
    """The flags the latest linkage run raised more often than the run before it (all of its
    flags when it is the first), largest increase first; none when the latest run finished
    before ``since``."""
    runs = list(_finished_runs()[:2])
    if not runs or timezone.localtime(runs[0].finished_at).date() < since:
        return []
    latest = runs[0].summary.get("flags", {})
    earlier = runs[1].summary.get("flags", {}) if len(runs) > 1 else {}
    labels = dict(LinkFlag.choices)
    rises = [
        FlagRise(code, str(labels.get(code, code)), rows, rows - earlier.get(code, 0))
        for code, rows in latest.items()
    ]
    return sorted((r for r in rises if r.increase > 0), key=lambda r: (-r.increase, r.code))
