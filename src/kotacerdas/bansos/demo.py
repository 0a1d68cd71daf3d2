"""Demo data for the social-aid registry in Kota Kediri, made the way real data arrives: a
synthetic civil registry and DTKS extract (``synth``: invented people, no real personal data)
imported through the real imports, linked by the real linkage, then Kartu Sahabat enrolments
for the poorest linked households and one disbursement batch, so every figure on the pages
comes from records."""

from __future__ import annotations

import datetime as dt
import random
import tempfile
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from kotacerdas.bansos import disbursement, imports, linking, registry, synth
from kotacerdas.bansos.choices import Relationship
from kotacerdas.bansos.models import Enrolment, Person, Programme
from kotacerdas.core.models import Region

DEMO_PEOPLE = 3000
SEED = 2026
# Kartu Sahabat's monthly benefit in the demo; Dinas Sosial sets the real amount.
DEMO_AMOUNT = 300_000
# Card numbers in a range no bank issues, so a demo payment file can never pay anyone.
DEMO_CARD_PREFIX = "99990000"


def load(region: Region) -> bool:
    if region.code != "35.71" or Person.objects.exists():
        return False
    with tempfile.TemporaryDirectory() as folder:
        written = synth.generate(DEMO_PEOPLE, Path(folder), seed=SEED)
        imports.import_civil_registry(written.dukcapil, file_name="demo-dukcapil.csv")
        imports.import_dtks(written.dtks, file_name="demo-dtks.csv")
        imports.import_exclusions(written.exclusions, file_name="demo-asn.csv")
    linking.link_registry()
    _kartu_sahabat()
    return True


@transaction.atomic
def _kartu_sahabat() -> None:
    programme = Programme.objects.filter(code="KARTU_SAHABAT").first()
    if programme is None:
        return
    if not programme.amount:
        programme.amount = DEMO_AMOUNT
        programme.save(update_fields=["amount"])
    rng = random.Random(SEED)  # noqa: S311 - invented card numbers, not secrets
    today = timezone.localdate()
    start = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    # The heads of the linked households in the two poorest deciles, unless already enrolled
    # (the registry's rule, ``registry.overlapping``).
    heads = list(
        Person.objects.filter(
            dtks_records__isnull=False,
            welfare_decile__lte=2,
            relationship__in=[Relationship.HEAD, ""],
        )
        .distinct()
        .values_list("pk", flat=True)
    )
    enrolled = registry.overlapping(heads, programme, start)
    Enrolment.objects.bulk_create(
        Enrolment(
            person_id=person_id,
            programme=programme,
            start=start,
            amount=DEMO_AMOUNT,
            account_number=f"{DEMO_CARD_PREFIX}{rng.randrange(10**8):08d}",
            source="demo",
        )
        for person_id in heads
        if person_id not in enrolled
    )
    disbursement.create_batch(programme, today.strftime("%Y-%m"), None)
