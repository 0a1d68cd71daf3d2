"""The demo registry is made the way real data arrives: synthetic extracts through the real
imports and linkage, then Kartu Sahabat enrolments and a batch; loading it twice adds nothing."""

from __future__ import annotations

import pytest

from kotacerdas.bansos import demo
from kotacerdas.bansos.choices import PaymentStatus, Relationship
from kotacerdas.bansos.models import Batch, DtksRecord, ImportRun, LinkRun, Person

pytestmark = pytest.mark.django_db


def test_the_demo_registry_comes_through_the_real_imports_and_linkage(kediri, programmes):
    assert demo.load(kediri)

    assert Person.objects.count() == demo.DEMO_PEOPLE
    assert ImportRun.objects.filter(rejected=0).count() == 3
    run = LinkRun.objects.get()
    assert run.summary["rows"] == DtksRecord.objects.count() > 0
    assert DtksRecord.objects.filter(person__isnull=False).count() == run.summary["linked"]
    batch = Batch.objects.get()
    assert batch.programme.code == "KARTU_SAHABAT"
    # Only heads of household are enrolled, and only the data-quality flags hold payments.
    payers = Person.objects.filter(payments__batch=batch)
    assert set(payers.values_list("relationship", flat=True)) == {Relationship.HEAD}
    assert batch.payments.filter(status=PaymentStatus.PENDING).exists()
    for payment in batch.payments.filter(status=PaymentStatus.HELD):
        assert payment.hold_reasons

    assert not demo.load(kediri)
    assert Person.objects.count() == demo.DEMO_PEOPLE
