"""Kartu Sahabat disbursement: the city pays its own social aid (Kartu Sahabat, Si Jamal: the
programmes ``paid_by_city``) through a bank, one batch per programme and payment period.

    create_batch -> (release_payment) -> export_payment_file -> import_bank_result
       draft                                  exported               reconciled

- **A batch** takes every enrolment of the programme active in the period with an amount. A
  person who is deceased, on an exclusion list (civil servant, TNI, Polri), flagged as a
  duplicate in DTKS, moved out of the city, or has no card/account number is *held*, with the
  reasons; the rest are *pending*. A clerk may release a held payment while the batch is a
  draft, always with a written reason. A person already pending or paid for the programme and
  period in another batch is left out.
- **One payment per person, programme and period.** The database refuses a second pending or
  paid payment (the partial unique constraint ``bansos_one_payment_per_period``); a failed or
  returned payment frees the place for a later batch. The code checks first so a clerk gets a
  sentence instead of an error, but the constraint is what holds under concurrent clerks.
- **The payment file** for the bank is CSV, UTF-8, comma-separated, one line per pending
  payment::

      reference,account_number,name,amount,period
      KS-12-3456,1234567890,Siti Aminah,300000,2026-01

  ``reference`` is the payment's own (``KS-<batch>-<payment>``), the same each time the file is
  downloaded, so the bank can match its result to it; ``amount`` is whole rupiah, digits only.
  Every download is an export of personal data (names, account numbers): one
  ``PersonalDataAccess`` row per person.
- **The bank's result file** is CSV (UTF-8, commas or semicolons, header row, columns in any
  order, header case ignored)::

      reference,status,amount,reason_code,settled_at
      KS-12-3456,PAID,300000,,2026-01-15
      KS-12-3457,FAILED,300000,R03,
      KS-12-3458,RETURNED,300000,R14,2026-01-20T10:30:00+07:00

  ``reference``, ``status`` and ``amount`` are required columns; ``reason_code`` and
  ``settled_at`` may be left out when no line needs them. ``status`` is ``PAID``, ``FAILED``
  or ``RETURNED``; ``amount`` is whole rupiah, digits only; ``reason_code`` (the bank's code,
  up to 20 characters) is required for ``FAILED`` and ``RETURNED``; ``settled_at`` is an ISO
  date or date and time (WIB when no offset is given), not in the future.

  Every line is checked and every bad one reported (row, column, reason); with any bad line
  nothing is saved. A good file updates the payments it lists and records every difference
  (``Discrepancy``): a pending payment the result does not mention (missing), a reference the
  batch does not know (unknown), an amount that is not the payment's (amount), a reference
  listed twice (duplicate: the first line counts), a held payment listed (held). A line whose
  amount differs is *not* applied: the platform cannot tell whether the right person got the
  right money, so the payment stays outstanding until a clerk settles the difference with the
  bank. Importing the same file again changes nothing: the statuses are already what it says,
  and the discrepancies are replaced, not added to (a note a clerk wrote on one is kept).
  A bank may send its result in parts: payments an earlier file settled keep their status.

Money is integer rupiah everywhere. Each write is one transaction, attributed to the acting
user in the audit trail.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import IO, Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import BooleanField, Case, Count, Exists, OuterRef, Q, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_variables

from kotacerdas.bansos.choices import BatchStatus, LinkFlag, PaymentStatus
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
from kotacerdas.core.audit import acting_as, log_bulk_changes
from kotacerdas.core.files import MAX_UPLOAD_BYTES
from kotacerdas.core.models import PersonalDataAccess, User
from kotacerdas.core.personal import record_accesses
from kotacerdas.core.spreadsheets import UnreadableRow, csv_rows, neutralise, unneutralise

WIB = ZoneInfo("Asia/Jakarta")
PERIOD = re.compile(r"(\d{4})-(\d{2})")
# The bank's result file: the largest accepted upload (50,000 lines are about 3 MB).
MAX_RESULT_BYTES = MAX_UPLOAD_BYTES
# Rows are written in chunks small enough for SQLite's limit on query parameters.
CHUNK = 500

PAYMENT_FILE_COLUMNS = ("reference", "account_number", "name", "amount", "period")
RESULT_COLUMNS = ("reference", "status", "amount")
RESULT_OPTIONAL = ("reason_code", "settled_at")
# The fields an exported payment file shows of each person, as the access log names them.
EXPORTED_FIELDS = ["name", "account_number"]


class HoldReason(models.TextChoices):
    """Why a payment is held back. The codes of the data-quality flags are the linkage's
    (``LinkFlag``), so a code means the same on a DTKS row and on a payment."""

    DECEASED = LinkFlag.DECEASED.value, gettext_lazy("Deceased")
    EXCLUDED = LinkFlag.EXCLUDED_OCCUPATION.value, gettext_lazy("On an exclusion list")
    DUPLICATE = LinkFlag.DUPLICATE_IN_DTKS.value, gettext_lazy("Duplicate in DTKS")
    MOVED_OUT = LinkFlag.MOVED_OUT.value, gettext_lazy("Moved out of the city")
    NO_ACCOUNT = "no_account", gettext_lazy("No card or account number")


class BankStatus(models.TextChoices):
    """A line's status in the bank's result file, and the payment status it gives."""

    PAID = "PAID", PaymentStatus.PAID.label
    FAILED = "FAILED", PaymentStatus.FAILED.label
    RETURNED = "RETURNED", PaymentStatus.RETURNED.label


BANK_STATUS = {
    BankStatus.PAID: PaymentStatus.PAID,
    BankStatus.FAILED: PaymentStatus.FAILED,
    BankStatus.RETURNED: PaymentStatus.RETURNED,
}
# What a later result may say about a payment an earlier result settled: the same again (the
# same file twice), or paid money that came back. A failed payment never becomes paid: the
# person may have been paid in a new batch since.
SETTLED_MAY_BECOME = {
    PaymentStatus.PAID: {PaymentStatus.PAID, PaymentStatus.RETURNED},
    PaymentStatus.FAILED: {PaymentStatus.FAILED},
    PaymentStatus.RETURNED: {PaymentStatus.RETURNED},
}


def hold_reason_labels(codes: str) -> list[str]:
    """The ``;``-separated hold reasons of a payment, in words."""
    labels = dict(HoldReason.choices)
    return [str(labels.get(code, code)) for code in codes.split(";") if code]


def payment_reference(batch_id: int, payment_id: int) -> str:
    """The reference the bank quotes for a payment: unique and never changing."""
    return f"KS-{batch_id}-{payment_id}"


# ---------------------------------------------------------------------------------------------
# Periods


def period_bounds(programme: Programme, period: str) -> tuple[dt.date, dt.date]:
    """The first and last day a period of the programme covers: ``period`` (YYYY-MM) is its
    first month, and it lasts ``programme.period_months`` months. A programme that pays every
    3 months has periods starting in January, April, July and October, so two batches can
    never cover overlapping months under different period names."""
    match = PERIOD.fullmatch(period.strip())
    year, month = (int(match[1]), int(match[2])) if match else (0, 0)
    if not match or not 1 <= month <= 12 or year < 2000:
        raise ValidationError({"period": _("Give the period as YYYY-MM, such as 2026-01.")})
    months = max(programme.period_months, 1)
    if 12 % months == 0 and (month - 1) % months:
        starts = ", ".join(f"{m:02d}" for m in range(1, 13, months))
        raise ValidationError(
            {
                "period": _(
                    "%(programme)s pays every %(months)d months: its periods start in the "
                    "months %(starts)s."
                )
                % {"programme": programme.name, "months": months, "starts": starts}
            }
        )
    first = dt.date(year, month, 1)
    end_month = month + months - 1
    end_year, end_month = year + (end_month - 1) // 12, (end_month - 1) % 12 + 1
    last = dt.date(end_year, end_month, calendar.monthrange(end_year, end_month)[1])
    return first, last


# ---------------------------------------------------------------------------------------------
# Creating a batch


@dataclass
class BatchSummary:
    """What creating a batch did. ``held_by_reason`` counts a payment held for two reasons
    under both. The skipped enrolments got no payment in this batch."""

    batch: Batch
    pending: int = 0
    pending_total: int = 0
    held: int = 0
    held_by_reason: dict[str, int] = field(default_factory=dict)
    # Already pending or paid for the programme and period in another batch.
    skipped_already_paid: int = 0
    # Held in another batch of the period that is still a draft: released there, or not.
    skipped_held_elsewhere: int = 0
    # A second enrolment of the same person active in the period.
    skipped_second_enrolment: int = 0


def _candidates(programme: Programme, period: str, first: dt.date, last: dt.date) -> Any:
    """The enrolments active in the period, with every fact a hold decision needs, in one
    query and without decrypting anything."""
    same_period = Payment.objects.filter(
        person_id=OuterRef("person_id"), programme=programme, period=period
    )
    return (
        Enrolment.objects.filter(programme=programme, start__lte=last, amount__isnull=False)
        .filter(Q(end__isnull=True) | Q(end__gte=first))
        .order_by("person_id", "start", "pk")
        .values("pk", "person_id", "amount", "person__alive", "person__moved_out")
        .annotate(
            excluded=Exists(Exclusion.objects.filter(nik_index=OuterRef("person__nik_index"))),
            duplicate=Exists(
                DtksRecord.objects.filter(
                    person_id=OuterRef("person_id"),
                    flags__contains=LinkFlag.DUPLICATE_IN_DTKS,
                )
            ),
            # The encrypted field stores an empty value as it is, so this needs no decryption.
            no_account=Case(
                When(account_number="", then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            taken=Exists(
                same_period.filter(status__in=[PaymentStatus.PENDING, PaymentStatus.PAID])
            ),
            held_elsewhere=Exists(
                same_period.filter(status=PaymentStatus.HELD, batch__status__in=Batch.RELEASE_WHILE)
            ),
        )
    )


def _hold_reasons(candidate: dict[str, Any]) -> list[str]:
    reasons = []
    if not candidate["person__alive"]:
        reasons.append(HoldReason.DECEASED)
    if candidate["excluded"]:
        reasons.append(HoldReason.EXCLUDED)
    if candidate["duplicate"]:
        reasons.append(HoldReason.DUPLICATE)
    if candidate["person__moved_out"]:
        reasons.append(HoldReason.MOVED_OUT)
    if candidate["no_account"]:
        reasons.append(HoldReason.NO_ACCOUNT)
    return [str(reason) for reason in reasons]


def create_batch(programme: Programme, period: str, user: User) -> BatchSummary:
    """Draw up the payments of a programme the city pays for one period (``YYYY-MM``): one for
    each person with an enrolment active in the period and an amount. A payment is held, with
    its reasons, when the person is deceased, on an exclusion list, a duplicate in DTKS, moved
    out of the city, or has no card or account number; the rest wait for the bank (pending).

    People already pending or paid for the programme and period in another batch are left
    out, and so are people held in another draft batch of the period (they wait there). A
    batch with nothing in it is refused."""
    if not programme.paid_by_city:
        raise ValidationError(
            {"programme": _("%(programme)s is not paid by the city.") % {"programme": programme}}
        )
    period = period.strip()
    first, last = period_bounds(programme, period)
    with transaction.atomic(), acting_as(user):
        # One batch of a programme at a time: the next one sees this one's payments.
        Programme.objects.select_for_update().filter(pk=programme.pk).first()
        batch = Batch.objects.create(programme=programme, period=period, created_by=user)
        summary = BatchSummary(batch=batch)
        reasons_counted: Counter[str] = Counter()
        payments = []
        seen: set[int] = set()
        for candidate in _candidates(programme, period, first, last):
            person_id = candidate["person_id"]
            if person_id in seen:
                summary.skipped_second_enrolment += 1
                continue
            seen.add(person_id)
            if candidate["taken"]:
                summary.skipped_already_paid += 1
                continue
            if candidate["held_elsewhere"]:
                summary.skipped_held_elsewhere += 1
                continue
            reasons = _hold_reasons(candidate)
            if reasons:
                summary.held += 1
                reasons_counted.update(reasons)
            else:
                summary.pending += 1
                summary.pending_total += candidate["amount"]
            payments.append(
                Payment(
                    batch=batch,
                    enrolment_id=candidate["pk"],
                    person_id=person_id,
                    programme=programme,
                    period=period,
                    amount=candidate["amount"],
                    status=PaymentStatus.HELD if reasons else PaymentStatus.PENDING,
                    hold_reasons=";".join(reasons),
                )
            )
        if not payments:
            raise ValidationError(
                {
                    "period": _(
                        "Nobody can be paid in this batch: no enrolment of the programme with "
                        "an amount is active in the period, or everyone already has a payment "
                        "for it."
                    )
                }
            )
        try:
            with transaction.atomic():
                Payment.objects.bulk_create(payments, batch_size=CHUNK)
        except IntegrityError:
            # Another clerk's batch took some of these people between the check and the save.
            raise ValidationError(
                {
                    "period": _(
                        "Another batch for this programme and period was made at the same "
                        "time; create this one again."
                    )
                }
            ) from None
        summary.held_by_reason = {
            str(code): reasons_counted[code]
            for code in HoldReason.values
            if code in reasons_counted
        }
        return summary


# ---------------------------------------------------------------------------------------------
# Releasing a held payment


def release_payment(payment: Payment, user: User, reason: str) -> Payment:
    """Let a held payment go to the bank after all: a clerk has checked the flag (the person
    is alive after all, the exclusion is someone else's, the account number has arrived) and
    writes why. Only while the batch is a draft, so the payment file sent to the bank is
    always the whole of what the batch pays. The database refuses it if the person already has
    a pending or paid payment for the programme and period."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Write why this payment may be made despite what held it back.")}
        )
    with transaction.atomic(), acting_as(user):
        # The batch re-read under a lock, so that two clerks working on it at once (one
        # releasing, one exporting) see each other's result.
        batch = payment.batch
        batch.refresh_from_db(from_queryset=Batch.objects.select_for_update())
        locked = Payment.objects.select_for_update().get(pk=payment.pk)
        if locked.status != PaymentStatus.HELD:
            raise ValidationError({"status": _("Only a held payment can be released.")})
        if not batch.can_release:
            raise ValidationError(
                {
                    "status": _(
                        "The batch has been sent to the bank: pay this person in a new batch "
                        "for the period."
                    )
                }
            )
        locked.status = PaymentStatus.PENDING
        locked.release_reason = reason
        locked.released_by = user
        try:
            with transaction.atomic():
                locked.save(update_fields=["status", "release_reason", "released_by"])
        except IntegrityError:
            raise ValidationError(
                {
                    "status": _(
                        "This person already has a pending or paid payment of the programme "
                        "for this period in another batch."
                    )
                }
            ) from None
    for name in ("status", "release_reason", "released_by"):
        setattr(payment, name, getattr(locked, name))
    return payment


# ---------------------------------------------------------------------------------------------
# The payment file


def export_payment_file(batch: Batch, user: User) -> str:
    """The CSV file the bank pays from: one line per pending payment with its reference, the
    account number, the name, the amount in whole rupiah and the period. The batch becomes
    "sent to the bank" and can no longer change; downloading again gives the same file (a lost
    download is not a new payment). Each download is recorded as an export of each person's
    name and account number."""
    with transaction.atomic(), acting_as(user):
        batch.refresh_from_db(from_queryset=Batch.objects.select_for_update())
        if not batch.can_export:
            raise ValidationError(
                {"status": _("The batch is reconciled: its payment file cannot be sent again.")}
            )
        payments = list(
            Payment.objects.filter(batch=batch, status=PaymentStatus.PENDING)
            .select_related("person", "enrolment")
            .only(
                "pk",
                "amount",
                "period",
                "bank_reference",
                "person__name",
                "enrolment__account_number",
            )
            .order_by("pk")
        )
        if not payments:
            raise ValidationError({"status": _("No payment of this batch is pending.")})
        output = io.StringIO()
        writer = csv.writer(output)
        writer.writerow(PAYMENT_FILE_COLUMNS)
        named = []
        for payment in payments:
            if not payment.bank_reference:
                payment.bank_reference = payment_reference(batch.pk, payment.pk)
                named.append(payment)
            writer.writerow(
                [
                    neutralise(payment.bank_reference),
                    neutralise(payment.enrolment.account_number.strip()),
                    neutralise(payment.person.name),
                    int(payment.amount),
                    neutralise(payment.period),
                ]
            )
        Payment.objects.bulk_update(named, ["bank_reference"], batch_size=CHUNK)
        record_accesses(
            user,
            Person,
            [payment.person_id for payment in payments],
            EXPORTED_FIELDS,
            PersonalDataAccess.Action.EXPORT,
        )
        if batch.status == BatchStatus.DRAFT:
            batch.status = BatchStatus.EXPORTED
            batch.exported_at = timezone.now()
            batch.save(update_fields=["status", "exported_at"])
        return output.getvalue()


# ---------------------------------------------------------------------------------------------
# Reconciliation


@dataclass(frozen=True)
class Problem:
    """A line of the bank's result file that cannot be taken. ``row`` is the row number as a
    spreadsheet shows it (the header is row 1), None for the file as a whole."""

    row: int | None
    column: str
    reason: str


class ResultFileRefused(ValueError):
    """The bank's result file was not applied: nothing was saved. ``problems`` lists every
    reason, each with its row and column."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(problem.reason for problem in problems[:5]))
        self.problems = problems


@dataclass
class Reconciliation:
    """A batch's payments against the bank's answer, in rupiah. ``expected`` is what the batch
    asked the bank to pay (every payment not held); ``outstanding`` is what the bank has not
    settled yet (pending, including lines whose amount differed). ``lines`` and ``changed``
    are set by an import: the result file's lines and the payments whose status it changed."""

    batch: Batch
    expected_count: int = 0
    expected_total: int = 0
    paid_count: int = 0
    paid_total: int = 0
    failed_count: int = 0
    failed_total: int = 0
    returned_count: int = 0
    returned_total: int = 0
    outstanding_count: int = 0
    outstanding_total: int = 0
    held_count: int = 0
    held_total: int = 0
    discrepancies: dict[str, int] = field(default_factory=dict)
    lines: int | None = None
    changed: int | None = None

    @property
    def missing(self) -> int:
        return self.discrepancies.get(Discrepancy.Kind.MISSING, 0)

    @property
    def differences(self) -> int:
        return sum(self.discrepancies.values())

    @property
    def discrepancy_rows(self) -> list[tuple[str, int]]:
        """Every kind of discrepancy in words with its count, zeros included."""
        return [
            (label, self.discrepancies.get(kind, 0)) for kind, label in Discrepancy.Kind.choices
        ]


def totals_annotations(prefix: str = "") -> dict[str, Any]:
    """Counts and rupiah sums of a batch's payments per status, as aggregate expressions over
    ``<prefix>`` (``""`` on payments, ``"payments__"`` on batches): the batch list annotates
    with them, ``reconciliation`` aggregates with them."""
    status, amount, pk = f"{prefix}status", f"{prefix}amount", f"{prefix}pk"
    groups = {
        "expected": ~Q(**{status: PaymentStatus.HELD}),
        "paid": Q(**{status: PaymentStatus.PAID}),
        "failed": Q(**{status: PaymentStatus.FAILED}),
        "returned": Q(**{status: PaymentStatus.RETURNED}),
        "outstanding": Q(**{status: PaymentStatus.PENDING}),
        "held": Q(**{status: PaymentStatus.HELD}),
    }
    expressions: dict[str, Any] = {}
    for name, condition in groups.items():
        expressions[f"{name}_count"] = Count(pk, filter=condition)
        expressions[f"{name}_total"] = Sum(amount, filter=condition, default=0)
    return expressions


def reconciliation(batch: Batch) -> Reconciliation:
    """The batch's figures for its page and the dashboard: what it asks the bank to pay, what
    was paid, failed, returned, is still outstanding or held, and the discrepancies by kind."""
    totals = Payment.objects.filter(batch=batch).aggregate(**totals_annotations())
    kinds = dict(
        batch.discrepancies.order_by()
        .values_list("kind")
        .annotate(count=Count("pk"))
        .values_list("kind", "count")
    )
    return Reconciliation(
        batch=batch, discrepancies=kinds, **{key: int(value) for key, value in totals.items()}
    )


@dataclass
class _Line:
    row: int
    reference: str
    status: str
    amount: int
    reason_code: str
    settled_at: dt.datetime | None


def _read_result(file: IO[bytes]) -> str:
    """The upload as text: CSV in UTF-8 (with or without a byte-order mark) within the limit."""
    limit = MAX_RESULT_BYTES // 1_048_576
    file.seek(0)
    data = file.read(MAX_RESULT_BYTES + 1)  # the size an upload claims is not proof
    if len(data) > MAX_RESULT_BYTES:
        raise ResultFileRefused(
            [Problem(None, "", _("The file is larger than %(limit)d MB.") % {"limit": limit})]
        )
    if data.startswith(b"PK\x03\x04"):
        raise ResultFileRefused(
            [Problem(None, "", _("This is a workbook: save the bank's result as CSV."))]
        )
    if b"\x00" in data:
        raise ResultFileRefused([Problem(None, "", _("This is not a CSV text file."))])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ResultFileRefused(
            [
                Problem(
                    line,
                    "",
                    _("The file is not UTF-8 text; save it as 'CSV UTF-8 (Comma delimited)'."),
                )
            ]
        ) from None


def _settled_at(text: str) -> dt.datetime | None:
    if not text:
        return None
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            _("Not a date (YYYY-MM-DD) or a date and time (YYYY-MM-DDTHH:MM:SS).")
        ) from None
    if timezone.is_naive(value):
        value = timezone.make_aware(value, WIB)
    if value > timezone.now():
        raise ValueError(_("The date is in the future."))
    return value


@sensitive_variables("cells", "values")
def _check_line(
    number: int, columns: dict[str, int], cells: list[str]
) -> tuple[_Line | None, list[Problem]]:
    values = {
        column: unneutralise(cells[index].strip()) if index < len(cells) else ""
        for column, index in columns.items()
    }
    problems = []
    reference = values["reference"]
    if not reference:
        problems.append(Problem(number, "reference", _("The reference is required.")))
    elif len(reference) > 60:
        problems.append(
            Problem(number, "reference", _("The reference is longer than 60 characters."))
        )
    status = values["status"].upper()
    if status not in BankStatus.values:
        problems.append(Problem(number, "status", _("Write PAID, FAILED or RETURNED.")))
    amount = values["amount"]
    if not amount.isascii() or not amount.isdigit():
        problems.append(
            Problem(
                number,
                "amount",
                _("Write the amount in whole rupiah, digits only (such as 300000)."),
            )
        )
    reason_code = values.get("reason_code", "")
    if status in (BankStatus.FAILED, BankStatus.RETURNED) and not reason_code:
        problems.append(
            Problem(number, "reason_code", _("A failed or returned payment needs the reason code."))
        )
    elif len(reason_code) > 20:
        problems.append(
            Problem(number, "reason_code", _("The reason code is longer than 20 characters."))
        )
    settled_at = None
    try:
        settled_at = _settled_at(values.get("settled_at", ""))
    except ValueError as error:
        problems.append(Problem(number, "settled_at", str(error)))
    if problems:
        return None, problems
    return (
        _Line(
            row=number,
            reference=reference,
            status=status,
            amount=int(amount),
            reason_code=reason_code if status != BankStatus.PAID else "",
            settled_at=settled_at,
        ),
        [],
    )


def _header(number: int, cells: list[str]) -> tuple[dict[str, int], list[Problem]]:
    positions: dict[str, int] = {}
    problems = []
    for index, cell in enumerate(cells):
        name = unneutralise(cell.strip()).lower()
        if name in positions:
            problems.append(Problem(number, name, _("This column appears twice.")))
        elif name:
            positions[name] = index
    for column in RESULT_COLUMNS:
        if column not in positions:
            problems.append(
                Problem(
                    number, column, _("The file has no column '%(column)s'.") % {"column": column}
                )
            )
    wanted = (*RESULT_COLUMNS, *RESULT_OPTIONAL)
    return {name: index for name, index in positions.items() if name in wanted}, problems


def _read_lines(text: str) -> list[_Line]:
    """Every line of the result file, checked; raises ``ResultFileRefused`` with every
    problem found."""
    columns: dict[str, int] | None = None
    lines: list[_Line] = []
    problems: list[Problem] = []
    try:
        for number, cells in csv_rows(text):
            if not any(cell.strip() for cell in cells):
                continue  # blank lines and rows of empty cells (",,,,")
            if columns is None:
                columns, header_problems = _header(number, cells)
                if header_problems:
                    raise ResultFileRefused(header_problems)
                continue
            line, line_problems = _check_line(number, columns, cells)
            problems.extend(line_problems)
            if line is not None:
                lines.append(line)
    except UnreadableRow as error:
        problems.append(
            Problem(
                error.row,
                "",
                _("This row cannot be read as CSV; look for a quote that is not closed."),
            )
        )
    if columns is None:
        raise ResultFileRefused([Problem(None, "", _("The file is empty."))])
    if problems:
        raise ResultFileRefused(problems)
    if not lines:
        raise ResultFileRefused([Problem(None, "", _("The file has a header but no lines."))])
    return lines


def import_bank_result(batch: Batch, file: IO[bytes], user: User) -> Reconciliation:
    """Apply the bank's result file to a batch sent to the bank (format in the module's
    docstring): each payment it lists becomes paid, failed or returned with the bank's reason
    code and settlement time, and every difference is recorded as a discrepancy. With any bad
    line nothing is saved and ``ResultFileRefused`` lists them all. The batch becomes
    reconciled; importing the same file again changes nothing."""
    lines = _read_lines(_read_result(file))
    with transaction.atomic(), acting_as(user):
        batch.refresh_from_db(from_queryset=Batch.objects.select_for_update())
        if not batch.can_import_result:
            raise ResultFileRefused(
                [Problem(None, "", _("The payment file of this batch has not been sent yet."))]
            )
        payments = {
            payment_reference(batch.pk, payment.pk): payment
            for payment in Payment.objects.select_for_update()
            .filter(batch=batch)
            .only("pk", "amount", "status", "reason_code", "settled_at", "bank_reference")
        }
        first_row: dict[str, int] = {}
        found: list[Discrepancy] = []
        to_apply: list[tuple[Payment, _Line]] = []
        problems: list[Problem] = []
        for line in lines:
            key = line.reference.upper()
            payment = payments.get(key)
            reported = {
                "reference": line.reference,
                "reported_amount": line.amount,
                "row": line.row,
            }
            if key in first_row:
                found.append(
                    Discrepancy(
                        batch=batch, payment=payment, kind=Discrepancy.Kind.DUPLICATE, **reported
                    )
                )
                continue
            first_row[key] = line.row
            if payment is None:
                found.append(Discrepancy(batch=batch, kind=Discrepancy.Kind.UNKNOWN, **reported))
                continue
            expected = {"payment": payment, "expected_amount": payment.amount}
            if payment.status == PaymentStatus.HELD:
                found.append(
                    Discrepancy(batch=batch, kind=Discrepancy.Kind.HELD, **expected, **reported)
                )
                continue
            if line.amount != payment.amount:
                found.append(
                    Discrepancy(batch=batch, kind=Discrepancy.Kind.AMOUNT, **expected, **reported)
                )
                continue
            new_status = BANK_STATUS[BankStatus(line.status)]
            allowed = SETTLED_MAY_BECOME.get(payment.status)
            if allowed is not None and new_status not in allowed:
                problems.append(
                    Problem(
                        line.row,
                        "status",
                        _(
                            "An earlier result settled this payment as %(before)s; it cannot "
                            "become %(after)s."
                        )
                        % {
                            "before": PaymentStatus(payment.status).label,
                            "after": PaymentStatus(new_status).label,
                        },
                    )
                )
                continue
            to_apply.append((payment, line))
        if problems:
            raise ResultFileRefused(problems)

        changed: list[Payment] = []
        history: list[tuple[int, str, dict[str, list[Any]]]] = []
        for payment, line in to_apply:
            status = BANK_STATUS[BankStatus(line.status)]
            new = {
                "status": status,
                "reason_code": line.reason_code,
                # A later file repeating a line without its date keeps the date known.
                "settled_at": line.settled_at
                or (payment.settled_at if status == payment.status else None),
            }
            diff = {
                name: [str(getattr(payment, name) or ""), str(value or "")]
                for name, value in new.items()
                if getattr(payment, name) != value
            }
            if diff:
                for name, value in new.items():
                    setattr(payment, name, value)
                changed.append(payment)
                history.append((payment.pk, f"{batch} #{payment.pk}", diff))
        Payment.objects.bulk_update(
            changed, ["status", "reason_code", "settled_at"], batch_size=CHUNK
        )
        log_bulk_changes(Payment, history, source="bank_result", actor=user)

        listed = set(first_row)
        found.extend(
            Discrepancy(
                batch=batch,
                payment=payment,
                kind=Discrepancy.Kind.MISSING,
                reference=reference,
                expected_amount=payment.amount,
            )
            for reference, payment in payments.items()
            if payment.status == PaymentStatus.PENDING and reference not in listed
        )
        # Replace the previous import's discrepancies; a clerk's note on one stays with it.
        notes = {
            (d.kind, d.reference, d.row): d.resolved_note
            for d in batch.discrepancies.exclude(resolved_note="")
        }
        for discrepancy in found:
            discrepancy.resolved_note = notes.get(
                (discrepancy.kind, discrepancy.reference, discrepancy.row), ""
            )
        batch.discrepancies.all().delete()
        Discrepancy.objects.bulk_create(found, batch_size=CHUNK)

        batch.status = BatchStatus.RECONCILED
        batch.reconciled_at = timezone.now()
        batch.save(update_fields=["status", "reconciled_at"])
        result = reconciliation(batch)
        result.lines = len(lines)
        result.changed = len(changed)
        return result


def resolve_discrepancy(discrepancy: Discrepancy, user: User, note: str) -> Discrepancy:
    """Write down how a difference with the bank was settled (a transfer corrected, a line the
    bank withdrew). The discrepancy stays listed, with its note."""
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Write how the difference was settled.")})
    with transaction.atomic(), acting_as(user):
        discrepancy.resolved_note = note
        discrepancy.save(update_fields=["resolved_note"])
    return discrepancy
