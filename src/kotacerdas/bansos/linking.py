"""The linkage of the registry's DTKS records to its civil-registry people, and the clerical
review of the matches it was not sure of.

``linkage`` does the matching on plain rows (the same code the ``kotacerdas bansos link``
command runs on CSV files); this module feeds it the registry's rows, decrypted in memory only,
writes the links and flags back, queues the uncertain pairs for review, and keeps every
reviewer's decision so that the next run reuses it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.bansos import linkage, registry, rules
from kotacerdas.bansos.choices import LinkMethod, ProgrammeLevel, ReviewDecision
from kotacerdas.bansos.models import (
    DtksRecord,
    Enrolment,
    Exclusion,
    LinkReview,
    LinkRun,
    Person,
    Programme,
)

CHUNK = 2000


def _registry_rows() -> tuple[list[dict[str, str]], dict[str, int]]:
    """Every person as a civil-registry row, and the person id of each NIK."""
    rows, ids = [], {}
    people = Person.objects.select_related("household").only(
        "nik",
        "name",
        "birth_place",
        "birth_date",
        "sex",
        "kelurahan_id",
        "alive",
        "date_of_death",
        "household__kk",
        "household__rt",
        "household__rw",
    )
    for person in people.iterator(chunk_size=CHUNK):
        ids[person.nik] = person.pk
        rows.append(
            {
                "nik": person.nik,
                "no_kk": person.household.kk if person.household else "",
                "nama": person.name,
                "tempat_lahir": person.birth_place,
                "tanggal_lahir": person.birth_date.isoformat() if person.birth_date else "",
                "jenis_kelamin": person.sex,
                "alamat": "",
                "rt": person.household.rt if person.household else "",
                "rw": person.household.rw if person.household else "",
                "kode_kelurahan": person.kelurahan_id or "",
                "status_hidup": "HIDUP" if person.alive else "MATI",
                "tanggal_meninggal": person.date_of_death.isoformat()
                if person.date_of_death
                else "",
            }
        )
    return rows, ids


def _dtks_rows() -> list[dict[str, str]]:
    return [
        {
            "id_dtks": record.id_dtks,
            "nik": record.nik,
            "no_kk": record.kk,
            "nama": record.name,
            "tanggal_lahir": record.birth_date.isoformat() if record.birth_date else "",
            "jenis_kelamin": record.sex,
            "alamat": "",
            "kode_kelurahan": record.kelurahan_code,
            "program": record.programme_code,
            "desil": str(record.welfare_decile or ""),
        }
        for record in DtksRecord.objects.only(
            "id_dtks",
            "nik",
            "kk",
            "name",
            "birth_date",
            "sex",
            "kelurahan_code",
            "programme_code",
            "welfare_decile",
        ).iterator(chunk_size=CHUNK)
    ]


def _decisions() -> dict[tuple[str, str], bool]:
    """Every decided review as (DTKS id, candidate NIK) -> same person."""
    decided = LinkReview.objects.exclude(decision=ReviewDecision.PENDING).select_related(
        "record", "candidate"
    )
    return {
        (review.record.id_dtks, review.candidate.nik): review.decision == ReviewDecision.ACCEPTED
        for review in decided.only("decision", "record__id_dtks", "candidate__nik")
    }


def link_registry(*, user: Any = None, progress: linkage.Progress | None = None) -> LinkRun:
    """Link every DTKS record to a person or to none, and record the run's figures.

    The matching reads the registry in memory; writing back is one transaction, so a failed
    run leaves the previous links in place."""
    run = LinkRun.objects.create(
        started_by=user if getattr(user, "is_authenticated", False) else None
    )
    registry_rows, person_ids = _registry_rows()
    exclusions = [
        {"nik": exclusion.nik, "jenis": exclusion.kind}
        for exclusion in Exclusion.objects.only("nik", "kind")
    ]
    result = linkage.link(
        _dtks_rows(),
        registry_rows,
        exclusions=exclusions,
        decisions=_decisions(),
        city=settings.KOTACERDAS_REGION,
        progress=progress,
    )
    now = timezone.now()
    with transaction.atomic():
        records = {
            record.id_dtks: record
            for record in DtksRecord.objects.only("id_dtks", "welfare_decile", "programme_code")
        }
        methods: Counter[str] = Counter()
        flags: Counter[str] = Counter()
        changed = []
        for row in result.links:
            record = records[row.id_dtks]
            record.person_id = person_ids.get(row.nik_match) if row.nik_match else None
            record.link_method = row.method
            record.match_probability = row.match_probability
            record.flags = ";".join(row.flags)
            record.linked_at = now
            changed.append(record)
            methods[row.method] += 1
            flags.update(row.flags)
        DtksRecord.objects.bulk_update(
            changed,
            ["person", "link_method", "match_probability", "flags", "linked_at"],
            batch_size=CHUNK,
        )
        queued = _queue_reviews(result.review, records, person_ids)
        _apply_dtks_facts(changed, now.date())
        run.summary = {
            "rows": len(changed),
            "linked": sum(count for method, count in methods.items() if method != LinkMethod.NONE),
            "methods": dict(methods),
            "flags": dict(flags),
            "review": queued,
        }
        run.finished_at = timezone.now()
        run.save(update_fields=["summary", "finished_at"])
    return run


def _queue_reviews(
    candidates: list[linkage.ReviewCandidate],
    records: dict[str, DtksRecord],
    person_ids: dict[str, int],
) -> int:
    """Queue the uncertain pairs not seen before; returns how many wait for review."""
    wanted = [
        LinkReview(
            record=records[candidate.id_dtks],
            candidate_id=person_ids[candidate.nik],
            probability=candidate.match_probability,
        )
        for candidate in candidates
        if candidate.nik in person_ids
    ]
    LinkReview.objects.bulk_create(wanted, ignore_conflicts=True, batch_size=CHUNK)
    return LinkReview.objects.filter(decision=ReviewDecision.PENDING).count()


def _apply_dtks_facts(records: list[DtksRecord], today: dt.date) -> None:
    """What DTKS says of a linked person: their welfare decile, and the national programme
    they receive (an open enrolment from this month, unless an enrolment of theirs in it runs
    on any day from then on). The city's own programmes are the city's decisions, enrolled in
    the registry, never taken from DTKS."""
    linked = [record for record in records if record.person_id]
    deciles = {
        record.person_id: record.welfare_decile for record in linked if record.welfare_decile
    }
    people = Person.objects.in_bulk(deciles.keys())
    for pk, decile in deciles.items():
        people[pk].welfare_decile = decile
    Person.objects.bulk_update(people.values(), ["welfare_decile"], batch_size=CHUNK)

    programmes = dict(
        Programme.objects.filter(level=ProgrammeLevel.NATIONAL).values_list("code", "pk")
    )
    start = today.replace(day=1)
    # The first DTKS row of each person and national programme it names.
    wanted: dict[tuple[int, int], DtksRecord] = {}
    for record in linked:
        programme_id = programmes.get(record.programme_code)
        if programme_id:
            wanted.setdefault((record.person_id, programme_id), record)
    # The registry's rule of "already enrolled" (``registry.overlapping``), as for a clerk.
    by_programme: dict[int, list[int]] = {}
    for person_id, programme_id in wanted:
        by_programme.setdefault(programme_id, []).append(person_id)
    enrolled = {
        (person_id, programme_id)
        for programme_id, person_ids in by_programme.items()
        for person_id in registry.overlapping(person_ids, programme_id, start)
    }
    new = [
        Enrolment(
            person_id=person_id,
            programme_id=programme_id,
            start=start,
            source=f"DTKS {record.id_dtks}",
        )
        for (person_id, programme_id), record in wanted.items()
        if (person_id, programme_id) not in enrolled
    ]
    Enrolment.objects.bulk_create(new, batch_size=CHUNK)


@transaction.atomic
def decide_review(review: LinkReview, user: Any, decision: str) -> LinkReview:
    """A reviewer's answer to a possible match: ``accepted`` (same person: the DTKS record is
    linked to the candidate now, method ``clerical``, and the record's other candidates are
    answered "different people") or ``rejected`` (the pair is never proposed again).

    The DTKS record and the review are re-read under a lock, so two clerks cannot both answer
    it, nor link one record to two people. Returns the decided review; raises
    ``PermissionDenied`` for anyone who does not work in the registry and ``ValidationError``
    naming the field otherwise, having changed nothing."""
    if not rules.can_work_registry(user):
        raise PermissionDenied(_("Only Dinas Sosial decides whether a match is the same person."))
    # The record first: every decision on one DTKS row waits for the one before it.
    record = DtksRecord.objects.select_for_update().get(pk=review.record_id)
    fresh = LinkReview.objects.select_for_update().select_related("candidate").get(pk=review.pk)
    if fresh.decision != ReviewDecision.PENDING:
        raise ValidationError({"decision": [_("This possible match has already been decided.")]})
    if decision not in (ReviewDecision.ACCEPTED, ReviewDecision.REJECTED):
        raise ValidationError({"decision": [_("Choose same person or different people.")]})
    fresh.decision = decision
    fresh.decided_by = user
    fresh.decided_at = timezone.now()
    fresh.save(update_fields=["decision", "decided_by", "decided_at"])
    if decision == ReviewDecision.ACCEPTED:
        record.person = fresh.candidate
        record.link_method = LinkMethod.CLERICAL
        record.match_probability = fresh.probability
        record.linked_at = fresh.decided_at
        record.save(update_fields=["person", "link_method", "match_probability", "linked_at"])
        # The record has its person: the other candidates for it are answered too.
        LinkReview.objects.filter(record=record, decision=ReviewDecision.PENDING).update(
            decision=ReviewDecision.REJECTED, decided_by=user, decided_at=fresh.decided_at
        )
    fresh.record = record
    return fresh
