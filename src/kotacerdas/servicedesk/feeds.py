"""What the service desk tells other modules, through these public functions only:

- ``service_performance``: per service and period, the requests received and resolved, SLA
  compliance and the IKM with its respondents (the evaluation's evidence, the dashboard's panel);
- ``performance_fact``: the same for the whole city and a year, as a fact with its records, which
  the evaluation proposes for the quick-win item on benefits felt by citizens;
- ``used_pillar_services``: whether a survey respondent used a pillar's services (the impact
  survey's "not a user" flag), registered with the survey by the app's ``ready()``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from kotacerdas.core.facts import Fact, Record
from kotacerdas.servicedesk import ikm, stats
from kotacerdas.servicedesk.models import SatisfactionResponse, ServiceRequest


@dataclass(frozen=True)
class ServicePerformance:
    """A service's figures for a period (``stats`` defines each), with its IKM when rated."""

    figures: stats.Figures
    ikm: ikm.IkmResult | None


def service_performance(start: dt.date, end: dt.date) -> list[ServicePerformance]:
    """Every service with requests or ratings in ``start``-``end`` (local dates, inclusive)."""
    figures = stats.figures_by(ServiceRequest.objects.all(), "service", start, end)
    ratings = {
        line.key: line.result
        for line in ikm.ikm_by(
            ikm.filter_responses(SatisfactionResponse.objects.all(), start=start, end=end),
            "service",
        )
    }
    return [ServicePerformance(f, ratings.get(f.key)) for f in figures]


def performance_fact(year: int) -> Fact:
    """PECUT's year in one sentence, resting on the monitoring room and the IKM report."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    city = stats.city_figures(ServiceRequest.objects.all(), start, end)
    rated = ikm.ikm_total(
        ikm.filter_responses(SatisfactionResponse.objects.all(), start=start, end=end)
    )
    parts = [
        _("PECUT in %(year)s: %(received)s requests received, %(resolved)s resolved")
        % {"year": year, "received": city.received, "resolved": city.resolved}
    ]
    if city.compliance is not None:
        parts.append(_("%(share)s%% within the service standard time") % {"share": city.compliance})
    if rated is not None:
        parts.append(
            _("satisfaction index %(score)s (%(grade)s) from %(n)s respondents")
            % {"score": rated.rounded_score, "grade": rated.grade, "n": rated.respondents}
        )
    return Fact(
        "; ".join(parts),
        float(city.received),
        [
            Record(
                "servicedesk_figures",
                str(year),
                _("PECUT monitoring room %(year)s") % {"year": year},
                reverse("servicedesk:monitoring") + f"?from={start}&to={end}",
            ),
            Record(
                "servicedesk_ikm",
                str(year),
                _("PECUT satisfaction index %(year)s") % {"year": year},
                reverse("servicedesk:ikm") + f"?from={start}&to={end}&group=service",
            ),
        ],
    )


def used_pillar_services(evaluation: Any, pillar: str, key: str) -> bool | None:
    """Whether the respondent ``key`` (``core.personal.contact_key``) filed a request for one of
    ``pillar``'s services in the evaluation's year or the year before (the people the impact
    survey should ask). None when the desk holds no such requests with a contact, so it cannot
    tell."""
    requests = ServiceRequest.objects.filter(
        service__pillar__code=pillar,
        submitted_at__year__in=(evaluation.year - 1, evaluation.year),
    ).exclude(contact_key="")
    if not requests.exists():
        return None
    return requests.filter(contact_key=key).exists()
