"""The public services (PECUT) panel: intake and its trend, open requests by age, SLA compliance
per OPD and service, the IKM per service, the services failing most (``servicedesk.stats``,
``servicedesk.ikm``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from kotacerdas.core import regions
from kotacerdas.dashboard import charts
from kotacerdas.dashboard.figures import Figure
from kotacerdas.dashboard.metrics import metric, status_of
from kotacerdas.dashboard.panels.base import (
    Panel,
    Reader,
    link,
    span,
)
from kotacerdas.dashboard.scope import Scope
from kotacerdas.servicedesk import ikm, stats
from kotacerdas.servicedesk import rules as servicedesk_rules
from kotacerdas.servicedesk.models import SatisfactionResponse, ServiceRequest

SLA_DAYS = 30  # SLA compliance over the last 30 days, as the monitoring room shows by default
IKM_DAYS = 90  # ratings are fewer: a quarter gives each service enough respondents


def scoped_requests(scope: Scope):
    """The service requests the scope covers: those located in an area office's area, those
    assigned to an OPD, or all. An area or an OPD counts a request once the desk has passed it
    on, as their queue shows it (``servicedesk.rules``): the figure and the records behind it
    are the same requests."""
    requests = ServiceRequest.objects.all()
    if scope.area:
        requests = requests.filter(regions.within("region__code", scope.area))
    elif scope.opd_code:
        requests = requests.filter(opd__code=scope.opd_code)
    else:
        return requests
    return requests.exclude(status__in=servicedesk_rules.UNTRIAGED)


def _scoped_ratings(scope: Scope, start: dt.date, end: dt.date):
    responses = ikm.filter_responses(SatisfactionResponse.objects.all(), start=start, end=end)
    if scope.area:
        return responses.filter(regions.within("request__region__code", scope.area))
    if scope.opd_code:
        return responses.filter(service__opd__code=scope.opd_code)
    return responses


def services_panel(reader: Reader) -> Panel:
    """Intake this week and its trend, open requests by age, SLA compliance per OPD and
    service over the last 30 days, the IKM per service over the last 90, the worst services."""
    panel = Panel("services", _("Public services (PECUT)"))
    scope, now, today = reader.scope, reader.now, reader.today
    requests = scoped_requests(scope)
    start = today - dt.timedelta(days=SLA_DAYS - 1)
    monday = today - dt.timedelta(days=today.weekday())
    city = stats.city_figures(requests, start, today, now)
    week = stats.city_figures(requests, monday, today, now)
    owner = metric("pecut.sla").owner
    region = scope.area or ""
    staff = reader.staff

    def queue(**query: Any) -> str:
        return link("servicedesk:queue", region=region, **query) if staff else ""

    period = span(start, today)
    sla = metric("pecut.sla")
    panel.figures += [
        Figure(
            "pecut.intake",
            metric("pecut.intake"),
            _("Received this week"),
            week.received,
            span(monday, today),
            _("PECUT service requests"),
            updated_at=now,
            owner=owner,
            drill_url=queue(status="open"),
            series="pecut.intake",
        ),
        Figure(
            "pecut.open",
            metric("pecut.open"),
            _("Open, of which overdue: %(n)s") % {"n": city.overdue},
            city.open,
            today.isoformat(),
            _("PECUT service requests"),
            updated_at=now,
            owner=owner,
            drill_url=queue(overdue=1),
        ),
        Figure(
            "pecut.sla",
            sla,
            _("SLA compliance"),
            city.compliance,
            period,
            _("PECUT: %(n)s requests resolved") % {"n": city.resolved},
            updated_at=now,
            owner=owner,
            status=status_of(sla, city.compliance),
            drill_url=queue(status="resolved"),
            series="pecut.sla",
        ),
    ]
    by_opd = stats.figures_by(requests, "opd", start, today, now)
    by_service = stats.figures_by(requests, "service", start, today, now)
    for group, rows in (("opd", by_opd), ("service", by_service)):
        for row in rows:
            panel.figures.append(
                Figure(
                    f"pecut.sla.{group}.{row.key}",
                    sla,
                    row.name,
                    row.compliance,
                    period,
                    _("PECUT: %(n)s requests resolved") % {"n": row.resolved},
                    updated_at=now,
                    owner=row.key if group == "opd" else owner,
                    status=status_of(sla, row.compliance),
                    # Open and overdue counts are staff figures (``pecut.open``).
                    detail=""
                    if reader.scope.public
                    else _("%(open)s open, %(overdue)s overdue")
                    % {"open": row.open, "overdue": row.overdue},
                    drill_url=queue(**{group: row.key}),
                )
            )
    ikm_metric = metric("pecut.ikm")
    ikm_start = today - dt.timedelta(days=IKM_DAYS - 1)
    ratings = _scoped_ratings(scope, ikm_start, today)
    latest_rating = ratings.order_by("-submitted_at").values_list("submitted_at", flat=True).first()
    for line in ikm.ikm_by(ratings, ikm.GroupBy.SERVICE):
        panel.figures.append(
            Figure(
                f"pecut.ikm.service.{line.key}",
                ikm_metric,
                line.label,
                line.result.rounded_score,
                span(ikm_start, today),
                _("PECUT ratings: %(n)s respondents") % {"n": line.result.respondents},
                updated_at=latest_rating,
                owner=owner,
                status=status_of(ikm_metric, line.result.rounded_score),
                detail=_("grade %(grade)s, %(n)s respondents")
                % {"grade": line.result.grade, "n": line.result.respondents},
                drill_url=link("servicedesk:ikm", group="service") if staff else "",
            )
        )
    trend = stats.weekly_trend(requests, 12, now)
    notes = reader.annotations("pecut.intake")
    panel.context = {
        "ageing": stats.ageing(requests, now),
        "chart": charts.line_chart(
            "pecut.intake",
            [(monday, received, str(monday)) for monday, received, _r in trend],
            notes,
        ),
        "worst": [
            (row, panel.figure(f"pecut.sla.service.{row.key}"))
            for row in stats.worst_services(by_service)
        ],
        "by_opd": [panel.figure(f"pecut.sla.opd.{row.key}") for row in by_opd],
        "ikm": [f for f in panel.figures if f.key.startswith("pecut.ikm.")],
    }
    if not city.received and not city.open:
        panel.note = _("No service request in this period.")
    return panel
