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
from django.db import transaction
from django.utils import timezone

from kotacerdas.bansos import linkage
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
    they receive (an open enrolment from this month, if they have none in it). The city's own
    programmes are the city's decisions, enrolled in the registry, never taken from DTKS."""
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
    open_pairs = set(
        Enrolment.objects.filter(end__isnull=True).values_list("person_id", "programme_id")
    )
    start = today.replace(day=1)
    new = {}
    for record in linked:
        programme_id = programmes.get(record.programme_code)
        pair = (record.person_id, programme_id)
        if programme_id and pair not in open_pairs and pair not in new:
            new[pair] = Enrolment(
                person_id=record.person_id,
                programme_id=programme_id,
                start=start,
                source=f"DTKS {record.id_dtks}",
            )
    Enrolment.objects.bulk_create(new.values(), batch_size=CHUNK)


@transaction.atomic
def decide_review(review: LinkReview, user: Any, decision: str) -> LinkReview:
    """Record a reviewer's answer. Same person: the DTKS record is linked to the candidate now
    (method ``clerical``); different people: the pair is never proposed again."""
    review.decision = decision
    review.decided_by = user
    review.decided_at = timezone.now()
    review.save(update_fields=["decision", "decided_by", "decided_at"])
    record = review.record
    if decision == ReviewDecision.ACCEPTED:
        record.person = review.candidate
        record.link_method = LinkMethod.CLERICAL
        record.match_probability = review.probability
        record.linked_at = review.decided_at
        record.save(update_fields=["person", "link_method", "match_probability", "linked_at"])
        # The record has its person: the other candidates for it are answered too.
        LinkReview.objects.filter(record=record, decision=ReviewDecision.PENDING).update(
            decision=ReviewDecision.REJECTED, decided_by=user, decided_at=review.decided_at
        )
    return review
