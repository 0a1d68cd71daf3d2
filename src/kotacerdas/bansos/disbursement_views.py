"""The disbursement pages at /staf/bansos/penyaluran/: the batches with their totals, a new
batch, a batch's payments (held ones released with a reason), the bank's payment file (each
download recorded), the bank's result file and the reconciliation report with every
difference. Dinas Sosial's officers and the administrators work here; executives read the
batch list's totals. Writes go through ``disbursement``."""

from __future__ import annotations

import csv
from collections import Counter
from typing import Any

from django.contrib import messages
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kotacerdas.bansos import disbursement, registry, rules
from kotacerdas.bansos.choices import PaymentStatus
from kotacerdas.bansos.models import Batch, Discrepancy, Payment, Programme
from kotacerdas.bansos.views import figures_required, registry_required
from kotacerdas.core.spreadsheets import neutralise

PAGE_SIZE = 50
DISCREPANCIES_PER_PAGE = 100


def _errors(error: ValidationError) -> dict[str, list[str]]:
    return error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}


def _flash(request: HttpRequest, error: ValidationError) -> None:
    for problems in _errors(error).values():
        for problem in problems:
            messages.error(request, problem)


@figures_required
@require_safe
def batch_list(request: HttpRequest) -> HttpResponse:
    """Every batch with its programme, period, status, payments per status and totals in
    rupiah, newest first."""
    discrepancies = (
        Discrepancy.objects.filter(batch=OuterRef("pk"))
        .order_by()
        .values("batch")
        .annotate(count=Count("pk"))
        .values("count")
    )
    batches = (
        Batch.objects.select_related("programme")
        .order_by("-created_at", "-pk")
        .annotate(
            **disbursement.totals_annotations("payments__"),
            discrepancy_count=Coalesce(
                Subquery(discrepancies, output_field=IntegerField()), Value(0)
            ),
        )
    )
    page = Paginator(batches, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "bansos/disbursement/batch_list.html",
        {"page": page, "can_work": rules.can_work_registry(request.user)},
    )


@registry_required
@require_http_methods(["GET", "HEAD", "POST"])
def batch_create(request: HttpRequest) -> HttpResponse:
    """Draw up a batch: a programme the city pays and a period."""
    programmes = Programme.objects.filter(paid_by_city=True, active=True).order_by("name")
    values = {
        "programme": request.POST.get("programme", ""),
        "period": request.POST.get("period", "") or timezone.localdate().strftime("%Y-%m"),
    }
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        programme = (
            programmes.filter(pk=values["programme"]).first()
            if (values["programme"].isdigit())
            else None
        )
        if programme is None:
            errors["programme"] = [_("Choose a programme the city pays.")]
        else:
            try:
                summary = disbursement.create_batch(programme, values["period"], request.user)
            except ValidationError as error:
                errors = _errors(error)
            else:
                messages.success(request, _summary_message(summary))
                return redirect("bansos:batch", pk=summary.batch.pk)
    return render(
        request,
        "bansos/disbursement/batch_create.html",
        {
            "programmes": programmes,
            "values": values,
            "errors": errors,
            "general_errors": errors.get("__all__", []),
        },
        status=400 if errors else 200,
    )


def _summary_message(summary: disbursement.BatchSummary) -> str:
    text = _(
        "Batch created: %(pending)d payments to send to the bank (Rp%(total)s), %(held)d held."
    ) % {
        "pending": summary.pending,
        "total": intcomma(summary.pending_total),
        "held": summary.held,
    }
    skipped = {
        _("already pending or paid in another batch"): summary.skipped_already_paid,
        _("held in another draft batch of the period"): summary.skipped_held_elsewhere,
        _("second enrolment of the same person"): summary.skipped_second_enrolment,
    }
    left_out = "; ".join(f"{label}: {count}" for label, count in skipped.items() if count)
    if left_out:
        text += " " + _("Left out: %(reasons)s.") % {"reasons": left_out}
    return text


def _held_by_reason(batch: Batch) -> list[tuple[str, int]]:
    counted: Counter[str] = Counter()
    for codes in batch.payments.filter(status=PaymentStatus.HELD).values_list(
        "hold_reasons", flat=True
    ):
        counted.update(code for code in codes.split(";") if code)
    return [
        (str(label), counted[code])
        for code, label in disbursement.HoldReason.choices
        if counted[code]
    ]


@registry_required
@require_safe
def batch(request: HttpRequest, pk: int) -> HttpResponse:
    """A batch: its figures, why payments are held, and its payments (names shown, account
    numbers masked), filtered by status; held payments of a draft batch can be released."""
    found = get_object_or_404(Batch.objects.select_related("programme", "created_by"), pk=pk)
    status = request.GET.get("status", "")
    payments = (
        found.payments.select_related("person", "enrolment", "released_by")
        .only(
            "pk",
            "amount",
            "status",
            "hold_reasons",
            "release_reason",
            "bank_reference",
            "reason_code",
            "settled_at",
            "person__name",
            "enrolment__account_number",
            "released_by__username",
        )
        .order_by("pk")
    )
    if status in PaymentStatus.values:
        payments = payments.filter(status=status)
    page = Paginator(payments, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "payment": payment,
            "reference": payment.bank_reference
            or disbursement.payment_reference(found.pk, payment.pk),
            "account": registry.mask_number(payment.enrolment.account_number.strip()),
            "reasons": disbursement.hold_reason_labels(payment.hold_reasons),
        }
        for payment in page
    ]
    return render(
        request,
        "bansos/disbursement/batch.html",
        {
            "batch": found,
            "figures": disbursement.reconciliation(found),
            "held_by_reason": _held_by_reason(found),
            "page": page,
            "rows": rows,
            "status": status,
            "statuses": PaymentStatus.choices,
        },
    )


@registry_required
@require_POST
def release(request: HttpRequest, pk: int) -> HttpResponse:
    """Release a held payment of a draft batch, with the clerk's written reason."""
    payment_id = request.POST.get("payment", "")
    payment = get_object_or_404(Payment, pk=payment_id if payment_id.isdigit() else 0, batch_id=pk)
    try:
        disbursement.release_payment(payment, request.user, request.POST.get("reason", ""))
    except ValidationError as error:
        _flash(request, error)
    else:
        messages.success(request, _("Released: the payment goes to the bank with the batch."))
    return redirect(f"{reverse('bansos:batch', kwargs={'pk': pk})}?status={PaymentStatus.HELD}")


@registry_required
@require_http_methods(["GET", "HEAD", "POST"])
def payment_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The bank's payment file: a confirmation first (the download exports names and account
    numbers, and is recorded), then the CSV file. The batch is sent to the bank from then on."""
    found = get_object_or_404(Batch.objects.select_related("programme"), pk=pk)
    if request.method == "POST":
        try:
            content = disbursement.export_payment_file(found, request.user)
        except ValidationError as error:
            _flash(request, error)
            return redirect("bansos:batch", pk=found.pk)
        response = HttpResponse(content, content_type="text/csv; charset=utf-8")
        name = f"{found.programme.code}-{found.period}-batch-{found.pk}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "no-store"
        return response
    return render(
        request,
        "bansos/disbursement/payment_file.html",
        {
            "batch": found,
            "figures": disbursement.reconciliation(found),
        },
    )


@registry_required
@require_http_methods(["GET", "HEAD", "POST"])
def bank_result(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload the bank's result file (CSV). Every bad line is listed beside the form and
    nothing is saved; a good file is applied and leads to the reconciliation report."""
    found = get_object_or_404(Batch.objects.select_related("programme"), pk=pk)
    problems: list[disbursement.Problem] = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            problems = [disbursement.Problem(None, "file", _("Choose the bank's result file."))]
        elif not upload.name.lower().endswith((".csv", ".txt")):
            problems = [disbursement.Problem(None, "file", _("Give a CSV file."))]
        else:
            try:
                result = disbursement.import_bank_result(found, upload, request.user)
            except disbursement.ResultFileRefused as refused:
                problems = refused.problems
            else:
                messages.success(
                    request,
                    _(
                        "Result applied: %(lines)d lines, %(changed)d payments changed, "
                        "%(differences)d differences."
                    )
                    % {
                        "lines": result.lines,
                        "changed": result.changed,
                        "differences": result.differences,
                    },
                )
                return redirect("bansos:batch-report", pk=found.pk)
    return render(
        request,
        "bansos/disbursement/bank_result.html",
        {
            "batch": found,
            "problems": problems,
            "max_mb": disbursement.MAX_RESULT_BYTES // 1_048_576,
        },
        status=400 if problems else 200,
    )


def _discrepancies_csv(found: Batch, discrepancies: Any) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="batch-{found.pk}-discrepancies.csv"'
    response.write("\ufeff")  # so that Excel opens it as UTF-8
    writer = csv.writer(response)
    writer.writerow(["kind", "reference", "expected_amount", "reported_amount", "row", "note"])
    for item in discrepancies:
        writer.writerow(
            [
                neutralise(str(item.get_kind_display())),
                neutralise(item.reference),
                item.expected_amount if item.expected_amount is not None else "",
                item.reported_amount if item.reported_amount is not None else "",
                item.row or "",
                neutralise(item.resolved_note),
            ]
        )
    return response


@registry_required
@require_http_methods(["GET", "HEAD", "POST"])
def report(request: HttpRequest, pk: int) -> HttpResponse:
    """The reconciliation of a batch: what was asked, paid, failed, returned and is still
    outstanding, and every difference with the bank's result (``?format=csv`` for all of
    them). A clerk writes down how a difference was settled."""
    found = get_object_or_404(Batch.objects.select_related("programme"), pk=pk)
    if request.method == "POST":
        item_id = request.POST.get("discrepancy", "")
        item = get_object_or_404(Discrepancy, pk=item_id if item_id.isdigit() else 0, batch=found)
        try:
            disbursement.resolve_discrepancy(item, request.user, request.POST.get("note", ""))
        except ValidationError as error:
            _flash(request, error)
        else:
            messages.success(request, _("Saved."))
        return redirect("bansos:batch-report", pk=found.pk)
    kind = request.GET.get("kind", "")
    discrepancies = (
        found.discrepancies.select_related("payment__person")
        .only(
            "pk",
            "kind",
            "reference",
            "expected_amount",
            "reported_amount",
            "row",
            "resolved_note",
            "payment__person__name",
        )
        .order_by("kind", "row", "pk")
    )
    if kind in Discrepancy.Kind.values:
        discrepancies = discrepancies.filter(kind=kind)
    if request.GET.get("format") == "csv":
        return _discrepancies_csv(found, discrepancies)
    page = Paginator(discrepancies, DISCREPANCIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "bansos/disbursement/report.html",
        {
            "batch": found,
            "figures": disbursement.reconciliation(found),
            "page": page,
            "kind": kind,
            "kinds": Discrepancy.Kind.choices,
        },
    )
