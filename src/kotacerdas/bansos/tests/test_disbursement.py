"""Kartu Sahabat disbursement: a batch holds the flagged people with their reasons, a held
payment is released only with a reason, the database refuses a second payment for the same
person, programme and period, the bank's payment file and its access log, the bank's result
applied and every difference found, bad result files refused whole, and the pages."""

from __future__ import annotations

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import translation

from kotacerdas.bansos import disbursement
from kotacerdas.bansos.choices import BatchStatus, ExclusionKind, PaymentStatus, ProgrammeLevel
from kotacerdas.bansos.disbursement import ResultFileRefused
from kotacerdas.bansos.models import (
    Batch,
    Discrepancy,
    DtksRecord,
    Enrolment,
    Exclusion,
    Payment,
    Person,
    Programme,
)
from kotacerdas.core.models import PersonalDataAccess
from kotacerdas.core.personal import blind_index

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
AMOUNT = 300_000
PERIOD = "2026-01"
RESULT_HEADER = "reference,status,amount,reason_code,settled_at"

# ---------------------------------------------------------------------------------------------
# Local fixtures: a programme the city pays, and people enrolled in it


@pytest.fixture(autouse=True)
def english():
    """Messages in the source language, which the tests read (pages: see ``staff``)."""
    with translation.override("en"):
        yield


@pytest.fixture
def staff(client_for):
    """A browser client signed in as the given user, with the English pages chosen."""

    def make(user):
        client = client_for(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return make


@pytest.fixture
def kartu_sahabat() -> Programme:
    return Programme.objects.create(
        code="KARTU_SAHABAT",
        name="Kartu Sahabat",
        level=ProgrammeLevel.LOCAL,
        amount=AMOUNT,
        period_months=1,
        paid_by_city=True,
    )


@pytest.fixture
def pkh() -> Programme:
    return Programme.objects.create(
        code="PKH", name="Program Keluarga Harapan", level=ProgrammeLevel.NATIONAL, period_months=3
    )


_serial = iter(range(1, 10_000))


def person(name: str, **values) -> Person:
    """A person of the registry. The name key is set directly (lower case) so the fixtures do
    not depend on the name normalisation."""
    nik = f"357101010180{next(_serial):04d}"
    return Person.objects.create(
        nik=nik,
        nik_index=blind_index("nik", nik),
        name=name,
        name_key=name.lower(),
        sex="L",
        source_hash="test",
        **values,
    )


def enrol(
    who: Person,
    programme: Programme,
    *,
    account: str = "",
    start: dt.date = dt.date(2025, 6, 1),
    end: dt.date | None = None,
    amount: int | None = AMOUNT,
) -> Enrolment:
    return Enrolment.objects.create(
        person=who,
        programme=programme,
        start=start,
        end=end,
        amount=amount,
        account_number=account or f"00{who.pk:08d}",
    )


@pytest.fixture
def recipients(kartu_sahabat) -> dict[str, Person]:
    """Two people to pay and one of each reason to hold a payment back."""
    people = {
        "budi": person("Budi Santoso"),
        "siti": person("Siti Aminah"),
        "deceased": person("Slamet Riyadi", alive=False, date_of_death=dt.date(2025, 11, 3)),
        "excluded": person("Agus Prasetyo"),
        "duplicate": person("Dewi Lestari"),
        "moved": person("Rudi Hartono", moved_out=True),
        "no_account": person("Wahyu Nugroho"),
    }
    for key, who in people.items():
        enrolment = enrol(who, kartu_sahabat)
        if key == "no_account":
            enrolment.account_number = ""
            enrolment.save(update_fields=["account_number"])
    Exclusion.objects.create(
        nik=people["excluded"].nik,
        nik_index=people["excluded"].nik_index,
        kind=ExclusionKind.CIVIL_SERVANT,
    )
    DtksRecord.objects.create(
        id_dtks="DTKS-1",
        name="Dewi Lestari",
        person=people["duplicate"],
        flags="nik_dob_mismatch;duplicate_in_dtks",
        source_hash="test",
        welfare_decile=2,
    )
    return people


def payment_of(who: Person, batch: Batch) -> Payment:
    return Payment.objects.get(person=who, batch=batch)


def reference(payment: Payment) -> str:
    return disbursement.payment_reference(payment.batch_id, payment.pk)


def result_file(*lines: str, header: str = RESULT_HEADER) -> SimpleUploadedFile:
    text = "\n".join([header, *lines]) + "\n"
    return SimpleUploadedFile("hasil.csv", text.encode(), content_type="text/csv")


@pytest.fixture
def sent(recipients, kartu_sahabat, dinsos_officer) -> Batch:
    """A batch whose payment file has gone to the bank."""
    batch = disbursement.create_batch(kartu_sahabat, PERIOD, dinsos_officer).batch
    disbursement.export_payment_file(batch, dinsos_officer)
    return batch


# ---------------------------------------------------------------------------------------------
# Creating a batch


def test_a_batch_holds_flagged_people_with_their_reasons_and_includes_the_rest(
    recipients, kartu_sahabat, pkh, dinsos_officer
):
    # given people who ended before the period, start after it, or are in another programme
    ended = person("Joko Widodo")
    enrol(ended, kartu_sahabat, start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31))
    later = person("Ani Yudhoyono")
    enrol(later, kartu_sahabat, start=dt.date(2026, 2, 1))
    enrol(person("Bambang Pamungkas"), pkh, amount=None)
    last_day = person("Tini Suharti")
    enrol(last_day, kartu_sahabat, start=dt.date(2026, 1, 31))

    summary = disbursement.create_batch(kartu_sahabat, PERIOD, dinsos_officer)

    batch = summary.batch
    assert batch.status == BatchStatus.DRAFT and batch.period == PERIOD
    statuses = {p.person_id: (p.status, p.hold_reasons) for p in batch.payments.all()}
    people = recipients
    assert statuses == {
        people["budi"].pk: (PaymentStatus.PENDING, ""),
        people["siti"].pk: (PaymentStatus.PENDING, ""),
        last_day.pk: (PaymentStatus.PENDING, ""),
        people["deceased"].pk: (PaymentStatus.HELD, "deceased"),
        people["excluded"].pk: (PaymentStatus.HELD, "excluded_occupation"),
        people["duplicate"].pk: (PaymentStatus.HELD, "duplicate_in_dtks"),
        people["moved"].pk: (PaymentStatus.HELD, "moved_out"),
        people["no_account"].pk: (PaymentStatus.HELD, "no_account"),
    }
    assert (summary.pending, summary.pending_total, summary.held) == (3, 3 * AMOUNT, 5)
    assert summary.held_by_reason == {
        "deceased": 1,
        "excluded_occupation": 1,
        "duplicate_in_dtks": 1,
        "moved_out": 1,
        "no_account": 1,
    }
    assert all(p.amount == AMOUNT and p.programme == kartu_sahabat for p in batch.payments.all())


def test_a_payment_held_for_two_reasons_names_both(kartu_sahabat, dinsos_officer):
    gone = person("Sri Mulyani", alive=False, moved_out=True)
    enrol(gone, kartu_sahabat)
    summary = disbursement.create_batch(kartu_sahabat, PERIOD, dinsos_officer)
    held = payment_of(gone, summary.batch)
    assert held.hold_reasons == "deceased;moved_out"
    assert disbursement.hold_reason_labels(held.hold_reasons) == [
        "Deceased",
        "Moved out of the city",
    ]


def test_a_batch_is_only_for_a_programme_the_city_pays_and_a_real_period(
    kartu_sahabat, pkh, recipients, dinsos_officer
):
    with pytest.raises(ValidationError) as refused:
        disbursement.create_batch(pkh, PERIOD, dinsos_officer)
    assert "programme" in refused.value.message_dict
    for bad in ("2026-13", "2026-1", "Januari", "26-01"):
        with pytest.raises(ValidationError) as refused:
            disbursement.create_batch(kartu_sahabat, bad, dinsos_officer)
        assert "period" in refused.value.message_dict
    assert not Batch.objects.exists()


def test_a_quarterly_programme_has_quarterly_periods(dinsos_officer):
    quarterly = Programme.objects.create(
        code="SI_JAMAL", name="Si Jamal", level=ProgrammeLevel.LOCAL, period_months=3,
        paid_by_city=True,
    )  # fmt: skip
    march = person("Lina Marlina")
    enrol(march, quarterly, start=dt.date(2026, 3, 31))
    april = person("Yanto Basuki")
    enrol(april, quarterly, start=dt.date(2026, 4, 1))
    with pytest.raises(ValidationError) as refused:
        disbursement.create_batch(quarterly, "2026-02", dinsos_officer)
    assert "01, 04, 07, 10" in refused.value.message_dict["period"][0]
    batch = disbursement.create_batch(quarterly, "2026-01", dinsos_officer).batch
    assert list(batch.payments.values_list("person", flat=True)) == [march.pk]


def test_a_batch_with_nobody_to_pay_is_refused(kartu_sahabat, dinsos_officer):
    with pytest.raises(ValidationError) as refused:
        disbursement.create_batch(kartu_sahabat, PERIOD, dinsos_officer)
    assert "period" in refused.value.message_dict
    assert not Batch.objects.exists()


def test_a_second_batch_for_the_same_period_skips_people_already_pending(
    recipients, kartu_sahabat, dinsos_officer
):
    first = disbursement.create_batch(kartu_sahabat, PERIOD, dinsos_officer).batch
    newcomer = person("Rina Susanti")
    enrol(newcomer, kartu_sahabat, start=dt.date(2026, 1, 10))

    second = disbursement.create_batch(kartu_sahabat, PERIOD, dinsos_officer)

    assert [p.person_id for p in second.batch.payments.all()] == [newcomer.pk]
    assert second.skipped_already_paid == 2  # Budi and Siti, pending in the first batch
    assert second.skipped_held_elsewhere == 5  # waiting for a clerk in the first batch
    assert first.payments.count() == 7
    # another period is a new start for everyone
    february = disbursement.create_batch(kartu_sahabat, "2026-02", dinsos_officer)
    assert february.batch.payments.count() == 8


def test_a_person_enrolled_twice_in_the_period_gets_one_payment(kartu_sahabat, dinsos_officer):
    twice = person("Eko Purnomo")
    enrol(twice, kartu_sahabat, start=dt.date(2025, 1, 1), end=dt.date(2026, 1, 15))
    enrol(twice, kartu_sahabat, start=dt.date(2026, 1, 16))
    summary = disbursement.create_batch(kartu_sahabat, PERIOD, dinsos_officer)
    assert summary.batch.payments.count() == 1 and summary.skipped_second_enrolment == 1


# ---------------------------------------------------------------------------------------------
# One payment per person, programme and period: the database's rule


def test_the_database_refuses_a_second_pending_or_paid_payment_for_a_period(
    recipients, kartu_sahabat, dinsos_officer
):
    budi = recipients["budi"]
    first_batch = disbursement.create_batch(kartu_sahabat, PERIOD, dinsos_officer).batch
    first = payment_of(budi, first_batch)
    other_batch = Batch.objects.create(programme=kartu_sahabat, period=PERIOD)
    values = {
        "batch": other_batch,
        "enrolment": first.enrolment,
        "person": budi,
        "programme": kartu_sahabat,
        "period": PERIOD,
        "amount": AMOUNT,
    }
    for status in (PaymentStatus.PENDING, PaymentStatus.PAID):
        with pytest.raises(IntegrityError), transaction.atomic():
            Payment.objects.create(status=status, **values)
    # a held payment does not take the place, and another period is another place
    Payment.objects.create(status=PaymentStatus.HELD, **values)
    Payment.objects.create(**{**values, "period": "2026-02"})

    # once the first one failed, the person can be paid in a new batch
    Payment.objects.filter(pk=first.pk).update(status=PaymentStatus.FAILED)
    Payment.objects.create(status=PaymentStatus.PENDING, **values)
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(status=PaymentStatus.PAID, **values)


def test_a_held_payment_is_released_only_with_a_reason(recipients, kartu_sahabat, dinsos_officer):
    batch = disbursement.create_batch(kartu_sahabat, PERIOD, dinsos_officer).batch
    held = payment_of(recipients["no_account"], batch)
    with pytest.raises(ValidationError) as refused:
        disbursement.release_payment(held, dinsos_officer, "   ")
    assert "reason" in refused.value.message_dict
    held.refresh_from_db()
    assert held.status == PaymentStatus.HELD

    disbursement.release_payment(held, dinsos_officer, "Rekening baru diterima dari bank")

    held.refresh_from_db()
    assert held.status == PaymentStatus.PENDING
    assert held.release_reason == "Rekening baru diterima dari bank"
    assert held.released_by == dinsos_officer
    assert held.hold_reasons == "no_account"  # why it was held stays on record
    with pytest.raises(ValidationError) as again:
        disbursement.release_payment(held, dinsos_officer, "lagi")
    assert "status" in again.value.message_dict


def test_a_release_the_database_refuses_becomes_a_clear_refusal(
    recipients, kartu_sahabat, dinsos_officer
):
    batch = disbursement.create_batch(kartu_sahabat, PERIOD, dinsos_officer).batch
    held = payment_of(recipients["deceased"], batch)
    # meanwhile the person got a pending payment for the period elsewhere
    Payment.objects.create(
        batch=Batch.objects.create(programme=kartu_sahabat, period=PERIOD),
        enrolment=held.enrolment,
        person=held.person,
        programme=kartu_sahabat,
        period=PERIOD,
        amount=AMOUNT,
    )
    with pytest.raises(ValidationError) as refused:
        disbursement.release_payment(held, dinsos_officer, "Masih hidup, dicek ke kelurahan")
    assert "already has a pending or paid payment" in refused.value.message_dict["status"][0]
    held.refresh_from_db()
    assert held.status == PaymentStatus.HELD


def test_a_batch_sent_to_the_bank_no_longer_releases(sent, recipients, dinsos_officer):
    held = payment_of(recipients["moved"], sent)
    with pytest.raises(ValidationError) as refused:
        disbursement.release_payment(held, dinsos_officer, "Pindah kembali")
    assert "status" in refused.value.message_dict


# ---------------------------------------------------------------------------------------------
# The payment file


def test_the_payment_file_lists_pending_payments_in_whole_rupiah_and_records_the_export(
    recipients, kartu_sahabat, dinsos_officer
):
    recipients["siti"].name = '=HYPERLINK("http://evil")'
    recipients["siti"].save(update_fields=["name"])
    batch = disbursement.create_batch(kartu_sahabat, PERIOD, dinsos_officer).batch
    budi, siti = payment_of(recipients["budi"], batch), payment_of(recipients["siti"], batch)

    text = disbursement.export_payment_file(batch, dinsos_officer)

    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["reference", "account_number", "name", "amount", "period"]
    evil = '\'=HYPERLINK("http://evil")'
    assert rows[1:] == [
        [reference(budi), budi.enrolment.account_number, "Budi Santoso", "300000", PERIOD],
        [reference(siti), siti.enrolment.account_number, evil, "300000", PERIOD],
    ]
    assert reference(budi) == f"KS-{batch.pk}-{budi.pk}"
    batch.refresh_from_db()
    assert batch.status == BatchStatus.EXPORTED and batch.exported_at is not None
    budi.refresh_from_db()
    assert budi.bank_reference == f"KS-{batch.pk}-{budi.pk}"
    accesses = PersonalDataAccess.objects.filter(action="export")
    assert sorted(accesses.values_list("subject_type", "subject_id", "fields", "user")) == sorted(
        [
            ("bansos.person", str(recipients[key].pk), "name,account_number", dinsos_officer.pk)
            for key in ("budi", "siti")
        ]
    )
    # a second download is the same file, and recorded again
    assert disbursement.export_payment_file(batch, dinsos_officer) == text
    assert accesses.count() == 4


def test_the_payment_file_takes_a_constant_number_of_queries(
    kartu_sahabat, dinsos_officer, django_assert_max_num_queries
):
    for number in range(40):
        enrol(person(f"Penerima {number}"), kartu_sahabat)
    batch = disbursement.create_batch(kartu_sahabat, PERIOD, dinsos_officer).batch
    with django_assert_max_num_queries(12):
        disbursement.export_payment_file(batch, dinsos_officer)
    assert PersonalDataAccess.objects.count() == 40


def test_a_reconciled_batch_sends_no_payment_file_again(sent, recipients, dinsos_officer):
    budi = payment_of(recipients["budi"], sent)
    siti = payment_of(recipients["siti"], sent)
    disbursement.import_bank_result(
        sent,
        result_file(f"{reference(budi)},PAID,300000,,", f"{reference(siti)},PAID,300000,,"),
        dinsos_officer,
    )
    with pytest.raises(ValidationError):
        disbursement.export_payment_file(sent, dinsos_officer)


# ---------------------------------------------------------------------------------------------
# The bank's result


def test_the_result_marks_payments_paid_failed_and_returned(
    recipients, kartu_sahabat, dinsos_officer
):
    dinsos_officer.email = "petugas@dinsos.kedirikota.go.id"
    dinsos_officer.save(update_fields=["email"])
    extra = person("Hadi Susilo")
    enrol(extra, kartu_sahabat)
    batch = disbursement.create_batch(kartu_sahabat, PERIOD, dinsos_officer).batch
    disbursement.export_payment_file(batch, dinsos_officer)
    budi = payment_of(recipients["budi"], batch)
    siti = payment_of(recipients["siti"], batch)
    hadi = payment_of(extra, batch)

    result = disbursement.import_bank_result(
        batch,
        result_file(
            f"{reference(budi)},PAID,300000,,2026-01-15",
            f"{reference(siti)},failed,300000,R03,",
            f"{reference(hadi)},RETURNED,300000,R14,2026-01-20T10:30:00+07:00",
        ),
        dinsos_officer,
    )

    for payment in (budi, siti, hadi):
        payment.refresh_from_db()
    assert (budi.status, budi.reason_code) == (PaymentStatus.PAID, "")
    assert budi.settled_at == dt.datetime(2026, 1, 15, tzinfo=WIB)
    assert (siti.status, siti.reason_code, siti.settled_at) == (PaymentStatus.FAILED, "R03", None)
    assert (hadi.status, hadi.reason_code) == (PaymentStatus.RETURNED, "R14")
    assert hadi.settled_at == dt.datetime(2026, 1, 20, 10, 30, tzinfo=WIB)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.RECONCILED and batch.reconciled_at is not None
    assert (result.lines, result.changed) == (3, 3)
    assert (result.expected_count, result.expected_total) == (3, 3 * AMOUNT)
    assert (result.paid_count, result.paid_total) == (1, AMOUNT)
    assert (result.failed_count, result.returned_count, result.outstanding_count) == (1, 1, 0)
    assert (result.held_count, result.held_total) == (5, 5 * AMOUNT)
    assert result.differences == 0
    # the changes are in the payments' history, attributed to the clerk
    entries = LogEntry.objects.filter(additional_data__source="bank_result")
    assert entries.count() == 3
    assert {(e.actor_id, e.actor_email) for e in entries} == {
        (dinsos_officer.pk, "petugas@dinsos.kedirikota.go.id")
    }
    assert {e.object_repr for e in entries} == {f"{batch} #{p.pk}" for p in (budi, siti, hadi)}


def test_the_result_records_every_kind_of_discrepancy(
    sent, recipients, kartu_sahabat, dinsos_officer
):
    extra = person("Hadi Susilo")
    enrol(extra, kartu_sahabat)
    # Hadi is in a new batch; the bank reports his reference against this batch
    other = disbursement.create_batch(kartu_sahabat, PERIOD, dinsos_officer).batch
    budi = payment_of(recipients["budi"], sent)
    siti = payment_of(recipients["siti"], sent)
    held = payment_of(recipients["deceased"], sent)
    foreign = payment_of(extra, other)

    result = disbursement.import_bank_result(
        sent,
        result_file(
            f"{reference(budi)},PAID,250000,,",  # row 2: amount differs
            f"{reference(budi)},PAID,300000,,",  # row 3: the same reference again
            f"{reference(held)},PAID,300000,,",  # row 4: a held payment reported
            f"{reference(foreign)},PAID,300000,,",  # row 5: not in this batch
            "KS-999-999,FAILED,300000,R01,",  # row 6: unknown
        ),  # Siti: missing
        dinsos_officer,
    )

    found = {
        (d.kind, d.payment_id, d.reference, d.expected_amount, d.reported_amount, d.row)
        for d in sent.discrepancies.all()
    }
    assert found == {
        ("amount", budi.pk, reference(budi), AMOUNT, 250_000, 2),
        ("duplicate", budi.pk, reference(budi), None, AMOUNT, 3),
        ("held", held.pk, reference(held), AMOUNT, AMOUNT, 4),
        ("unknown", None, reference(foreign), None, AMOUNT, 5),
        ("unknown", None, "KS-999-999", None, AMOUNT, 6),
        ("missing", siti.pk, reference(siti), AMOUNT, None, None),
    }
    # a differing amount is not taken as paid, and a held payment stays held
    budi.refresh_from_db()
    held.refresh_from_db()
    foreign.refresh_from_db()
    assert budi.status == PaymentStatus.PENDING and held.status == PaymentStatus.HELD
    assert foreign.status == PaymentStatus.PENDING
    assert result.discrepancies == {
        "amount": 1,
        "duplicate": 1,
        "held": 1,
        "unknown": 2,
        "missing": 1,
    }
    assert (result.missing, result.differences) == (1, 6)
    assert (result.outstanding_count, result.outstanding_total) == (2, 2 * AMOUNT)
    assert disbursement.reconciliation(sent).discrepancies == result.discrepancies


def test_a_result_with_bad_lines_is_refused_whole_with_every_problem(
    sent, recipients, dinsos_officer
):
    budi = payment_of(recipients["budi"], sent)
    siti = payment_of(recipients["siti"], sent)
    upload = result_file(
        f"{reference(budi)},PAID,300000,,2026-01-15",  # good, but not applied
        f"{reference(siti)},PENDING,300000,,",  # row 3
        f"{reference(siti)},PAID,300.000,,",  # row 4
        f"{reference(siti)},FAILED,300000,,",  # row 5
        f"{reference(siti)},PAID,300000,,2999-01-01",  # row 6
        ",PAID,300000,,15/01/2026",  # row 7: two problems
    )
    with pytest.raises(ResultFileRefused) as refused:
        disbursement.import_bank_result(sent, upload, dinsos_officer)
    assert [(p.row, p.column) for p in refused.value.problems] == [
        (3, "status"),
        (4, "amount"),
        (5, "reason_code"),
        (6, "settled_at"),
        (7, "reference"),
        (7, "settled_at"),
    ]
    budi.refresh_from_db()
    sent.refresh_from_db()
    assert budi.status == PaymentStatus.PENDING and budi.settled_at is None
    assert sent.status == BatchStatus.EXPORTED and not Discrepancy.objects.exists()


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"reference,amount\nKS-1-1,300000\n", "no column 'status'"),
        (b"", "empty"),
        (b"PK\x03\x04 workbook", "CSV"),
        ("reference,status,amount\nKS-1-1,PAID,300000,Bu\xe9\n".encode("latin-1"), "UTF-8"),
        (RESULT_HEADER.encode() + b"\n", "no lines"),
    ],
)
def test_a_result_file_that_is_not_the_banks_csv_is_refused(sent, dinsos_officer, content, words):
    upload = SimpleUploadedFile("hasil.csv", content, content_type="text/csv")
    with pytest.raises(ResultFileRefused) as refused:
        disbursement.import_bank_result(sent, upload, dinsos_officer)
    assert words in " ".join(p.reason for p in refused.value.problems)
    sent.refresh_from_db()
    assert sent.status == BatchStatus.EXPORTED


def test_a_result_file_over_the_limit_is_refused(sent, dinsos_officer, monkeypatch):
    monkeypatch.setattr(disbursement, "MAX_RESULT_BYTES", 100)
    upload = result_file(*["KS-1-1,PAID,300000,,"] * 10)
    with pytest.raises(ResultFileRefused) as refused:
        disbursement.import_bank_result(sent, upload, dinsos_officer)
    assert "larger than" in refused.value.problems[0].reason


def test_a_result_for_a_batch_not_sent_is_refused(recipients, kartu_sahabat, dinsos_officer):
    batch = disbursement.create_batch(kartu_sahabat, PERIOD, dinsos_officer).batch
    budi = payment_of(recipients["budi"], batch)
    with pytest.raises(ResultFileRefused):
        disbursement.import_bank_result(
            batch, result_file(f"{reference(budi)},PAID,300000,,"), dinsos_officer
        )
    budi.refresh_from_db()
    assert budi.status == PaymentStatus.PENDING


def test_importing_the_same_result_again_changes_nothing(sent, recipients, dinsos_officer):
    budi = payment_of(recipients["budi"], sent)
    siti = payment_of(recipients["siti"], sent)
    lines = (
        f"{reference(budi)},PAID,300000,,2026-01-15",
        f"{reference(budi)},PAID,300000,,2026-01-15",
        "KS-999-1,PAID,300000,,",
    )
    first = disbursement.import_bank_result(sent, result_file(*lines), dinsos_officer)
    note = sent.discrepancies.get(kind="missing")
    disbursement.resolve_discrepancy(note, dinsos_officer, "Bank akan mengirim susulan")
    history = LogEntry.objects.count()
    before = sorted(sent.discrepancies.values_list("kind", "reference", "row", "resolved_note"))

    again = disbursement.import_bank_result(sent, result_file(*lines), dinsos_officer)

    after = sorted(sent.discrepancies.values_list("kind", "reference", "row", "resolved_note"))
    assert after == before and len(after) == 3
    assert ("missing", reference(siti), None, "Bank akan mengirim susulan") in after
    assert again.changed == 0 and first.changed == 1
    assert (again.paid_count, again.paid_total) == (first.paid_count, first.paid_total)
    assert again.discrepancies == first.discrepancies
    # only the batch's own save is in the history; no payment changed
    assert LogEntry.objects.count() - history == 1
    budi.refresh_from_db()
    assert budi.status == PaymentStatus.PAID


def test_a_later_result_completes_the_batch_and_may_return_a_paid_payment(
    sent, recipients, dinsos_officer
):
    budi = payment_of(recipients["budi"], sent)
    siti = payment_of(recipients["siti"], sent)
    disbursement.import_bank_result(
        sent, result_file(f"{reference(budi)},PAID,300000,,"), dinsos_officer
    )
    # the rest arrives later, and Budi's money came back
    result = disbursement.import_bank_result(
        sent,
        result_file(f"{reference(siti)},PAID,300000,,", f"{reference(budi)},RETURNED,300000,R14,"),
        dinsos_officer,
    )
    assert (result.paid_count, result.returned_count, result.missing) == (1, 1, 0)
    # but returned money is not paid again by a later file: it is refused
    with pytest.raises(ResultFileRefused) as refused:
        disbursement.import_bank_result(
            sent, result_file(f"{reference(budi)},PAID,300000,,"), dinsos_officer
        )
    assert [(p.row, p.column) for p in refused.value.problems] == [(2, "status")]


def test_a_failed_payment_frees_the_person_for_a_new_batch(
    sent, recipients, kartu_sahabat, dinsos_officer
):
    budi = payment_of(recipients["budi"], sent)
    siti = payment_of(recipients["siti"], sent)
    disbursement.import_bank_result(
        sent,
        result_file(f"{reference(budi)},FAILED,300000,R03,", f"{reference(siti)},PAID,300000,,"),
        dinsos_officer,
    )
    again = disbursement.create_batch(kartu_sahabat, PERIOD, dinsos_officer)
    pending = again.batch.payments.filter(status=PaymentStatus.PENDING)
    assert list(pending.values_list("person", flat=True)) == [recipients["budi"].pk]
    assert again.skipped_already_paid == 1  # Siti, paid
    # the people held in the first batch (sent to the bank) are looked at again
    assert again.batch.payments.filter(status=PaymentStatus.HELD).count() == 5


# ---------------------------------------------------------------------------------------------
# The pages

LIST = "/staf/bansos/penyaluran/"


def test_only_dinas_sosial_works_on_disbursement(
    client_for, staff, sent, dinsos_officer, administrator, dinkes_officer, executive, citizen
):
    pages = [
        LIST,
        f"{LIST}baru/",
        f"{LIST}{sent.pk}/",
        f"{LIST}{sent.pk}/berkas-bank/",
        f"{LIST}{sent.pk}/hasil-bank/",
        f"{LIST}{sent.pk}/rekonsiliasi/",
    ]
    for user in (dinsos_officer, administrator):
        client = client_for(user)  # in Bahasa Indonesia, the default
        assert [client.get(url).status_code for url in pages] == [200] * len(pages)
    dinkes = staff(dinkes_officer)
    assert [dinkes.get(url).status_code for url in pages] == [403] * len(pages)
    for url in (f"{LIST}baru/", f"{LIST}{sent.pk}/berkas-bank/", f"{LIST}{sent.pk}/lepas/"):
        assert dinkes.post(url).status_code == 403
    for url in pages:
        response = citizen.get(url)
        assert response.status_code == 302 and "/masuk/" in response["Location"]
    # executives read the batches' totals, never a person
    boss = staff(executive)
    listing = boss.get(LIST).content.decode()
    assert "Rp600,000" in listing and "Budi" not in listing
    assert f"{LIST}{sent.pk}/" not in listing  # no link to the payments
    assert [boss.get(url).status_code for url in pages[1:]] == [403] * (len(pages) - 1)
    assert not PersonalDataAccess.objects.filter(user__in=[dinkes_officer, executive]).exists()


def test_the_batch_page_masks_account_numbers_and_names_hold_reasons(
    staff, recipients, kartu_sahabat, dinsos_officer
):
    batch = disbursement.create_batch(kartu_sahabat, PERIOD, dinsos_officer).batch
    account = payment_of(recipients["budi"], batch).enrolment.account_number
    page = staff(dinsos_officer).get(f"{LIST}{batch.pk}/").content.decode()
    assert "Budi Santoso" in page
    assert account not in page and f"{account[:6]}**{account[-2:]}" in page
    for words in ("Deceased", "On an exclusion list", "Duplicate in DTKS", "Moved out of the city"):
        assert words in page
    assert "No card or account number" in page


def test_a_release_without_a_reason_is_refused_on_the_page(
    staff, recipients, kartu_sahabat, dinsos_officer
):
    batch = disbursement.create_batch(kartu_sahabat, PERIOD, dinsos_officer).batch
    held = payment_of(recipients["moved"], batch)
    client = staff(dinsos_officer)
    url = f"{LIST}{batch.pk}/lepas/"
    refused = client.post(url, {"payment": held.pk, "reason": ""}, follow=True)
    assert "Write why this payment may be made" in refused.content.decode()
    held.refresh_from_db()
    assert held.status == PaymentStatus.HELD
    client.post(url, {"payment": held.pk, "reason": "Alamat dikonfirmasi di Kediri"})
    held.refresh_from_db()
    assert held.status == PaymentStatus.PENDING


def test_a_batch_round_trip_through_the_pages(staff, recipients, kartu_sahabat, dinsos_officer):
    client = staff(dinsos_officer)
    # create the batch
    refused = client.post(f"{LIST}baru/", {"programme": kartu_sahabat.pk, "period": "2026-13"})
    assert refused.status_code == 400 and "YYYY-MM" in refused.content.decode()
    created = client.post(f"{LIST}baru/", {"programme": kartu_sahabat.pk, "period": PERIOD})
    batch = Batch.objects.get()
    assert created.status_code == 302 and created["Location"] == f"{LIST}{batch.pk}/"
    assert "2 payments to send to the bank" in client.get(created["Location"]).content.decode()

    # download the payment file after the confirmation page
    confirm = client.get(f"{LIST}{batch.pk}/berkas-bank/").content.decode()
    assert "recorded" in confirm
    download = client.post(f"{LIST}{batch.pk}/berkas-bank/")
    assert download.status_code == 200 and download["Content-Type"].startswith("text/csv")
    assert "attachment" in download["Content-Disposition"]
    lines = list(csv.DictReader(io.StringIO(download.content.decode())))
    assert [line["name"] for line in lines] == ["Budi Santoso", "Siti Aminah"]
    assert PersonalDataAccess.objects.filter(user=dinsos_officer, action="export").count() == 2

    # a bad result file is listed beside the form and nothing is saved
    bad = client.post(
        f"{LIST}{batch.pk}/hasil-bank/",
        {"file": result_file(f"{lines[0]['reference']},PAID,abc,,")},
    )
    assert bad.status_code == 400 and "whole rupiah" in bad.content.decode()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.EXPORTED
    not_csv = client.post(
        f"{LIST}{batch.pk}/hasil-bank/",
        {"file": SimpleUploadedFile("hasil.xlsx", b"PK\x03\x04", content_type="text/csv")},
    )
    assert not_csv.status_code == 400

    # the bank's answer: Budi paid, Siti missing
    applied = client.post(
        f"{LIST}{batch.pk}/hasil-bank/",
        {"file": result_file(f"{lines[0]['reference']},PAID,300000,,2026-01-15")},
    )
    assert applied.status_code == 302 and applied["Location"] == f"{LIST}{batch.pk}/rekonsiliasi/"
    report = client.get(applied["Location"])
    page = report.content.decode()
    assert "Result applied: 1 lines, 1 payments changed, 1 differences." in page
    assert "Not in the bank&#x27;s result" in page and lines[1]["reference"] in page
    assert "Siti Aminah" in page
    assert report.context["figures"].paid_total == AMOUNT

    # the difference is settled with a note, and the differences download as CSV
    missing = Discrepancy.objects.get()
    client.post(applied["Location"], {"discrepancy": missing.pk, "note": "Dibayar susulan"})
    missing.refresh_from_db()
    assert missing.resolved_note == "Dibayar susulan"
    exported = client.get(applied["Location"] + "?format=csv").content.decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(exported)))[1][:2] == [
        "Not in the bank's result",
        lines[1]["reference"],
    ]
    listing = client.get(LIST).content.decode()
    assert f"{LIST}{batch.pk}/rekonsiliasi/" in listing


# ---------------------------------------------------------------------------------------------
# What a batch's status allows


@pytest.mark.parametrize(
    ("status", "release", "export", "import_result"),
    [
        (BatchStatus.DRAFT, True, True, False),
        (BatchStatus.EXPORTED, False, True, True),
        (BatchStatus.RECONCILED, False, False, True),
    ],
)
def test_a_batch_allows_by_its_status(status, release, export, import_result, kartu_sahabat):
    batch = Batch(programme=kartu_sahabat, period=PERIOD, status=status)
    assert (batch.can_release, batch.can_export, batch.can_import_result) == (
        release,
        export,
        import_result,
    )


def _offers(page: str, batch: Batch) -> dict[str, bool]:
    """What a batch page offers: the release form, the payment file, the bank's result."""
    return {
        "release": 'name="reason"' in page,
        "export": f"{LIST}{batch.pk}/berkas-bank/" in page,
        "import_result": f"{LIST}{batch.pk}/hasil-bank/" in page,
    }


def test_the_pages_offer_and_the_functions_allow_the_same_actions(
    staff, recipients, kartu_sahabat, dinsos_officer
):
    client = staff(dinsos_officer)
    batch = disbursement.create_batch(kartu_sahabat, PERIOD, dinsos_officer).batch
    held = payment_of(recipients["moved"], batch)
    budi = payment_of(recipients["budi"], batch)

    def offered() -> dict[str, bool]:
        batch.refresh_from_db()
        allowed = {
            "release": batch.can_release,
            "export": batch.can_export,
            "import_result": batch.can_import_result,
        }
        assert _offers(client.get(f"{LIST}{batch.pk}/").content.decode(), batch) == allowed
        form = client.get(f"{LIST}{batch.pk}/berkas-bank/").content.decode()
        assert ('id="payment-file-form"' in form) is allowed["export"]
        return allowed

    assert offered() == {"release": True, "export": True, "import_result": False}
    with pytest.raises(ResultFileRefused):
        disbursement.import_bank_result(
            batch, result_file(f"{reference(budi)},PAID,300000,,"), dinsos_officer
        )

    disbursement.export_payment_file(batch, dinsos_officer)
    assert offered() == {"release": False, "export": True, "import_result": True}
    with pytest.raises(ValidationError):
        disbursement.release_payment(held, dinsos_officer, "Alamat dikonfirmasi")

    disbursement.import_bank_result(
        batch, result_file(f"{reference(budi)},PAID,300000,,"), dinsos_officer
    )
    assert offered() == {"release": False, "export": False, "import_result": True}
    with pytest.raises(ValidationError):
        disbursement.export_payment_file(batch, dinsos_officer)


def test_a_batch_read_before_another_clerks_change_is_read_again(sent, recipients, dinsos_officer):
    # Two clerks hold the same batch: one applies the bank's result, then the other, whose copy
    # still says "sent to the bank", asks for the payment file again.
    stale = Batch.objects.get(pk=sent.pk)
    budi = payment_of(recipients["budi"], sent)
    disbursement.import_bank_result(
        sent, result_file(f"{reference(budi)},PAID,300000,,"), dinsos_officer
    )
    assert stale.status == BatchStatus.EXPORTED

    with pytest.raises(ValidationError):
        disbursement.export_payment_file(stale, dinsos_officer)

    assert stale.status == BatchStatus.RECONCILED and stale.reconciled_at is not None
