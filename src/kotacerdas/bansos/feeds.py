"""The registry's figures for the pages and for other modules (the executive dashboard reads
these, never the models): recipients per programme, the latest linkage's data quality, and the
last disbursement's reconciliation. No function here returns a person."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from kotacerdas.bansos import disbursement
from kotacerdas.bansos.choices import BatchStatus, LinkFlag
from kotacerdas.bansos.models import Batch, LinkRun, Programme


@dataclass(frozen=True)
class Recipients:
    programme: Programme
    people: int


def recipients_per_programme() -> list[Recipients]:
    """People with an enrolment in each programme that covers today."""
    today = timezone.localdate()
    current = Q(enrolments__start__lte=today) & (
        Q(enrolments__end__isnull=True) | Q(enrolments__end__gte=today)
    )
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


def latest_data_quality() -> DataQuality | None:
    run = LinkRun.objects.filter(finished_at__isnull=False).first()
    if run is None:
        return None
    counts = run.summary.get("flags", {})
    return DataQuality(
        run=run,
        rows=run.summary.get("rows", 0),
        linked=run.summary.get("linked", 0),
        review=run.summary.get("review", 0),
        flags=[(code, label, counts.get(code, 0)) for code, label in LinkFlag.choices],
    )


def last_reconciliation() -> disbursement.Reconciliation | None:
    """The reconciliation of the batch the bank answered last (else the last batch sent)."""
    batch = (
        Batch.objects.filter(status=BatchStatus.RECONCILED).order_by("-reconciled_at").first()
        or Batch.objects.filter(status=BatchStatus.EXPORTED).order_by("-exported_at").first()
    )
    return disbursement.reconciliation(batch) if batch else None
