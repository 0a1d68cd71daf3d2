"""The registry's figures for the pages and for other modules (the executive dashboard reads
these, never the models): recipients per programme, the latest linkage's data quality, and the
last disbursement's reconciliation. Recipients and data quality can be limited to an area (a
region code: the city, a kecamatan or a kelurahan, and everything in it), for a kecamatan or
kelurahan office's view. No function here returns a person."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from kotacerdas.bansos import disbursement
from kotacerdas.bansos.choices import BatchStatus, LinkFlag, LinkMethod, ReviewDecision
from kotacerdas.bansos.models import Batch, DtksRecord, LinkReview, LinkRun, Programme


@dataclass(frozen=True)
class Recipients:
    programme: Programme
    people: int


def in_area(field: str, area: str) -> Q:
    """Rows whose region code ``field`` lies in ``area``: the region itself and every region
    below it (a kecamatan code takes in its kelurahan)."""
    return Q(**{field: area}) | Q(**{f"{field}__startswith": f"{area}."})


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
        current &= in_area("enrolments__person__kelurahan__code", area)
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


def flagged_records(flag: str, area: str | None = None) -> int:
    """How many DTKS rows carry the data-quality ``flag`` (a ``LinkFlag`` value) as the
    linkage left them; with ``area``, only rows whose kelurahan lies in it. An unknown flag
    counts nothing."""
    if flag not in LinkFlag.values:
        return 0
    records = DtksRecord.objects.filter(has_flag(flag))
    if area is not None:
        records = records.filter(in_area("kelurahan_code", area))
    return records.count()


def latest_data_quality(area: str | None = None) -> DataQuality | None:
    """The figures of the latest finished linkage run. Without ``area``, as the run recorded
    them; with ``area``, counted from the DTKS rows whose kelurahan lies in it, as the
    linkage (and any review decided since) left them: rows, rows linked, matches waiting for
    review, and rows per flag."""
    run = LinkRun.objects.filter(finished_at__isnull=False).first()
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
    records = DtksRecord.objects.filter(in_area("kelurahan_code", area))
    # One query for every figure: a count per flag beside the rows and the linked rows.
    figures = records.aggregate(
        rows=Count("pk"),
        linked=Count("pk", filter=~Q(link_method__in=["", LinkMethod.NONE])),
        **{f"flag_{code}": Count("pk", filter=has_flag(code)) for code in LinkFlag.values},
    )
    review = LinkReview.objects.filter(
        in_area("record__kelurahan_code", area), decision=ReviewDecision.PENDING
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
