"""The satisfaction index (IKM) report at /staf/layanan/ikm/: the nine elements' mean answers,
the IKM, the converted score and the grade per service, OPD, month, quarter or year, on the
page or as a CSV file. Staff of any role read it; an OPD officer reads their own OPD's
services only (``ikm.visible_responses``)."""

from __future__ import annotations

import csv
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kotacerdas.core.models import Opd
from kotacerdas.core.spreadsheets import neutralise
from kotacerdas.core.views import staff_required
from kotacerdas.servicedesk import ikm
from kotacerdas.servicedesk.ikm import ELEMENTS, GroupBy, GroupResult
from kotacerdas.servicedesk.models import Service

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReportFilter(forms.Form):
    """The report's filters, read from the query string. The dates are named ``from`` and
    ``to`` there, which Python cannot spell as attributes, so they are added in __init__."""

    group = forms.ChoiceField(
        label=gettext_lazy("Group by"), choices=GroupBy.choices, required=False
    )
    service = forms.ModelChoiceField(
        label=gettext_lazy("Service"),
        queryset=Service.objects.none(),
        required=False,
        empty_label=gettext_lazy("All services"),
    )
    opd = forms.ModelChoiceField(
        label=gettext_lazy("OPD"),
        queryset=Opd.objects.none(),
        required=False,
        empty_label=gettext_lazy("All OPDs"),
    )

    def __init__(self, *args: Any, services: Any, opds: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label in (("from", gettext_lazy("From")), ("to", gettext_lazy("Until"))):
            self.fields[name] = forms.DateField(label=label, required=False, widget=_DATE)
        self.fields["service"].queryset = services
        self.fields["opd"].queryset = opds
        # The form renders in this order: grouping, then what to include.
        self.order_fields(["group", "from", "to", "service", "opd"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and start > end:
            self.add_error("to", _("The end date is before the start date."))
        return cleaned


def _csv_response(
    lines: list[GroupResult], total: ikm.IkmResult | None, group: str
) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="ikm-{group}-{stamp}.csv"'
    # A byte-order mark, so that Excel opens the names of services in UTF-8.
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        [
            GroupBy(group).label,
            _("Respondents"),
            *ELEMENTS,
            "IKM",
            _("Score"),
            _("Grade"),
            _("Service quality"),
        ]
    )
    rows = [(line.label, line.result) for line in lines]
    if total is not None and len(lines) > 1:
        rows.append((_("All"), total))
    for label, result in rows:
        writer.writerow(
            neutralise(value)
            for value in (
                label,
                result.respondents,
                *result.rounded_nrr,
                result.rounded_ikm,
                result.rounded_score,
                result.grade,
                str(result.grade_label),
            )
        )
    return response


@staff_required
def report(request: HttpRequest) -> HttpResponse:
    """The IKM per group with the respondents counted; ``?format=csv`` downloads the same
    table. Bad filters (an impossible date) are shown on the page with status 400."""
    visible = ikm.visible_responses(request.user)
    services = Service.objects.filter(
        pk__in=visible.order_by().values("service_id").distinct()
    ).select_related("opd")
    opds = Opd.objects.filter(
        pk__in=visible.order_by().values("service__opd_id").distinct()
    ).order_by("name")
    form = ReportFilter(request.GET or None, services=services, opds=opds)
    lines: list[GroupResult] = []
    total = None
    group = GroupBy.SERVICE.value
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400
    else:
        cleaned = form.cleaned_data if form.is_bound else {}
        group = cleaned.get("group") or GroupBy.SERVICE.value
        responses = ikm.filter_responses(
            visible,
            service=cleaned.get("service"),
            opd=cleaned.get("opd"),
            start=cleaned.get("from"),
            end=cleaned.get("to"),
        )
        lines = ikm.ikm_by(responses, group)
        total = ikm.ikm_total(responses)
        if request.GET.get("format") == "csv":
            return _csv_response(lines, total, group)
    query = request.GET.copy()
    query["format"] = "csv"
    return render(
        request,
        "servicedesk/ikm_report.html",
        {
            "form": form,
            "lines": lines,
            "total": total,
            "group_label": GroupBy(group).label,
            "elements": [(code, ikm.element_label(code)) for code in ELEMENTS],
            "grades": ikm.GRADES,
            "csv_query": query.urlencode(),
        },
        status=status,
    )
