"""What changed since the last meeting or a chosen date: the KPIs that turned red, the services
whose SLA compliance fell, new data-quality problems in the registry, the reports and action
items that fell overdue. The agenda of a stat meeting is proposed from this list."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kotacerdas.bansos import feeds as bansos_feeds
from kotacerdas.dashboard.figures import format_number
from kotacerdas.dashboard.panels import Reader, link, scoped_actions, scoped_requests
from kotacerdas.masterplan import kpis, reporting
from kotacerdas.masterplan.choices import Rag
from kotacerdas.servicedesk import stats

# A fall in SLA compliance worth the leadership's time: at least this many points, on at least
# this many resolved requests in each window (fewer says little).
SLA_FALL_POINTS = Decimal(5)
SLA_MIN_RESOLVED = 3


@dataclass(frozen=True)
class Change:
    kind: str  # kpi_red, sla_fell, data_quality, report_overdue, action_overdue
    text: str
    figure_key: str = ""
    url: str = ""


def kpis_turned_red(reader: Reader, since: dt.date) -> list[Change]:
    """KPIs red in the current period that were not red in the period current at ``since``
    (or, when that is the same period, in the one before)."""
    year, period = kpis.current_period(reader.today)
    then = kpis.current_period(since)
    if then == (year, period):
        then = kpis.previous_period(year, period)
    running = kpis.running_kpis(year, reader.scope.opd_code)
    before = {s.kpi.pk: s.status for s in kpis.kpi_statuses(then[0], then[1], running)}
    found = []
    for status in kpis.kpi_statuses(year, period, running):
        if status.status == Rag.RED and before.get(status.kpi.pk) != Rag.RED:
            found.append(
                Change(
                    "kpi_red",
                    _(
                        "%(kpi)s (%(programme)s) turned red in %(year)s %(period)s: %(value)s of "
                        "target %(target)s %(unit)s"
                    )
                    % {
                        "kpi": status.kpi.name,
                        "programme": status.kpi.programme.name,
                        "year": year,
                        "period": period,
                        "value": format_number(status.value),
                        "target": format_number(status.target),
                        "unit": status.kpi.unit,
                    },
                    f"kpi.{status.kpi.pk}",
                    link("masterplan:programme", status.kpi.programme.code, kpi=status.kpi.pk)
                    + f"#kpi-{status.kpi.pk}",
                )
            )
    return found


def sla_fell(reader: Reader, since: dt.date) -> list[Change]:
    """Services whose SLA compliance since ``since`` is lower than over as many days before."""
    days = (reader.today - since).days + 1  # the window since ``since``, today included
    requests = scoped_requests(reader.scope)
    now_rows = {
        f.key: f for f in stats.figures_by(requests, "service", since, reader.today, reader.now)
    }
    before_rows = {
        f.key: f
        for f in stats.figures_by(
            requests,
            "service",
            since - dt.timedelta(days=days),
            since - dt.timedelta(days=1),
            reader.now,
        )
    }
    found = []
    for key, row in sorted(now_rows.items()):
        earlier = before_rows.get(key)
        if earlier is None or row.resolved < SLA_MIN_RESOLVED:
            continue
        if earlier.resolved < SLA_MIN_RESOLVED:
            continue
        if earlier.compliance - row.compliance >= SLA_FALL_POINTS:
            found.append(
                Change(
                    "sla_fell",
                    _("SLA compliance of %(service)s fell from %(before)s%% to %(now)s%%")
                    % {
                        "service": row.name,
                        "before": format_number(earlier.compliance),
                        "now": format_number(row.compliance),
                    },
                    f"pecut.sla.service.{key}",
                    link("servicedesk:queue", service=key, region=reader.scope.area or ""),
                )
            )
    return found


def new_data_problems(reader: Reader, since: dt.date) -> list[Change]:
    """The flags more frequent in the latest DTKS linkage run than in the run before it, when
    the latest ran after ``since``, as one change (city-wide registry figures: the city's and
    Dinas Sosial's view)."""
    if not reader.scope.sees_city_registry:
        return []
    rising = bansos_feeds.rising_flags(since)
    if not rising:
        return []
    parts = ", ".join(f"{r.label} {r.rows} (+{r.increase})" for r in rising)
    return [
        Change(
            "data_quality",
            _("New data-quality problems in the DTKS linkage: %(parts)s") % {"parts": parts},
            f"bansos.flag.{rising[0].code}",
        )
    ]


def fell_overdue(reader: Reader, since: dt.date) -> list[Change]:
    """Progress reports and action items whose due date passed since ``since``."""
    found = []
    for late in reporting.overdue_reports(reader.today):
        if reader.scope.opd_code and late.opd.code != reader.scope.opd_code:
            continue
        if late.period.due_date >= since:
            found.append(
                Change(
                    "report_overdue",
                    _("Progress report %(year)s %(period)s of %(opd)s is overdue (due %(due)s)")
                    % {
                        "year": late.period.year,
                        "period": late.period.period,
                        "opd": late.opd,
                        "due": date_format(late.period.due_date),
                    },
                    "reports.overdue",
                    link("masterplan:inbox"),
                )
            )
    for action in scoped_actions(reader.scope).overdue(reader.today).filter(due_date__gte=since):
        found.append(
            Change(
                "action_overdue",
                _("Action item '%(title)s' of %(opd)s is overdue (due %(due)s)")
                % {"title": action.title, "opd": action.owner, "due": date_format(action.due_date)},
                action.figure_key,
                link("dashboard:action", action.pk),
            )
        )
    return found


def what_changed(reader: Reader, since: dt.date) -> list[Change]:
    """Everything worth a look since ``since``, the most serious kinds first."""
    return [
        *kpis_turned_red(reader, since),
        *sla_fell(reader, since),
        *new_data_problems(reader, since),
        *fell_overdue(reader, since),
    ]
