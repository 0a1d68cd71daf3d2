"""The dashboard's metrics, each defined once: its name, the formula in words, the unit, which
way is better, the OPD that owns it, the module it comes from and how often it is expected to
be updated. Every panel, the API, the briefing book and the public page take a metric's
definition from here, so two places can never compute "SLA compliance" two ways.

A definition carries a version. Change the formula and the version goes up, with a line in
``changes``; an action item records the version of the metric it was made against.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kotacerdas.dashboard.choices import FigureStatus

HIGHER, LOWER, NEITHER = "higher", "lower", ""


@dataclass(frozen=True)
class Metric:
    code: str
    version: int
    name: Promise | str
    formula: Promise | str
    unit: Promise | str
    direction: str  # HIGHER, LOWER or NEITHER
    owner: str  # the owning OPD's code; a figure may name another (a KPI's programme owner)
    source: Promise | str  # the module and what in it
    # A figure older than this is stale; None for figures computed live from the records.
    refresh: dt.timedelta | None
    public: bool = False
    # Where the metric has a city-wide threshold (KPIs have their own, ``masterplan.kpis``):
    # green from ``green_at``, amber from ``amber_at``, red beyond, read in ``direction``.
    green_at: Decimal | None = None
    amber_at: Decimal | None = None
    changes: tuple[str, ...] = ()

    @property
    def versioned(self) -> str:
        return f"{self.code}@v{self.version}"


QUARTER = dt.timedelta(days=100)  # a quarter and its reporting grace
MONTH = dt.timedelta(days=35)
YEAR = dt.timedelta(days=400)


def _desk() -> str:
    return settings.SERVICEDESK["DESK_OPD"]


def _social() -> str:
    return settings.BANSOS["OPD"]


def _catalogue() -> dict[str, Metric]:
    metrics = (
        Metric(
            "index",
            1,
            _("Smart city index"),
            _(
                "The ministry's index: the weighted mean of the dimension scores, each the "
                "plain mean of its items' scores (assessor's where given), on a 0-4 scale."
            ),
            _("index 0-4"),
            HIGHER,
            _desk(),
            _("Evaluation: published indices and the current evaluation"),
            YEAR,
            public=True,
        ),
        Metric(
            "index.evaluation",
            1,
            _("Smart city index, evaluation in progress"),
            _(
                "The index as the region's evaluation stands: the same formula as the published "
                "index, over the assessor's scores where given and the region's proposed scores "
                "elsewhere (then provisional). The government's working score, not published."
            ),
            _("index 0-4"),
            HIGHER,
            _desk(),
            _("Evaluation: the current evaluation"),
            YEAR,
        ),
        Metric(
            "index.gap",
            1,
            _("Gap to the index target"),
            _("The target index minus the latest index; zero once the target is reached."),
            _("index points"),
            LOWER,
            _desk(),
            _("Evaluation: gap to target"),
            YEAR,
        ),
        Metric(
            "kpi.achievement",
            1,
            _("KPI achievement"),
            _(
                "The value reported for the period as a share of the year's target (the target "
                "as a share of the value where lower is better). Green from the KPI's green "
                "threshold, amber from its amber threshold, red below; no value for the period "
                "is 'not reported'."
            ),
            _("% of target"),
            HIGHER,
            _desk(),
            _("Masterplan: KPI actuals from the OPDs' progress reports"),
            QUARTER,
        ),
        Metric(
            "budget.realisation",
            1,
            _("Budget realisation"),
            _("Budget realised so far this year as a share of the budget planned for the year."),
            "%",
            HIGHER,
            _desk(),
            _("Masterplan: programme budgets, realisation from approved reports"),
            QUARTER,
        ),
        Metric(
            "reports.overdue",
            1,
            _("Overdue progress reports"),
            _(
                "OPDs that own a running programme and have not submitted the progress report "
                "of a reporting period past its due date."
            ),
            _("reports"),
            LOWER,
            _desk(),
            _("Masterplan: reporting periods and progress reports"),
            None,
        ),
        Metric(
            "pecut.intake",
            1,
            _("Requests received"),
            _("Requests and complaints submitted in the period, merged duplicates included."),
            _("requests"),
            NEITHER,
            _desk(),
            _("PECUT service desk"),
            None,
            public=True,
        ),
        Metric(
            "pecut.open",
            1,
            _("Open requests"),
            _("Requests not yet resolved or closed, by days since they were submitted."),
            _("requests"),
            LOWER,
            _desk(),
            _("PECUT service desk"),
            None,
        ),
        Metric(
            "pecut.sla",
            1,
            _("SLA compliance"),
            _(
                "Of the requests resolved in the period, the share resolved by their deadline "
                "(working days of the service's standard), in percent."
            ),
            "%",
            HIGHER,
            _desk(),
            _("PECUT service desk"),
            None,
            public=True,
            green_at=Decimal(90),
            amber_at=Decimal(80),
        ),
        Metric(
            "pecut.ikm",
            1,
            _("Satisfaction index (IKM)"),
            _(
                "The community satisfaction index of PermenPANRB 14/2017: the weighted mean of "
                "the nine elements' ratings, times 25, from the ratings given in the period."
            ),
            _("IKM 25-100"),
            HIGHER,
            _desk(),
            _("PECUT service desk: ratings"),
            dt.timedelta(days=90),
            public=True,
            # The lower bounds of grades B ("Baik") and C of PermenPANRB 14/2017.
            green_at=Decimal("76.61"),
            amber_at=Decimal("65.00"),
        ),
        Metric(
            "bansos.recipients",
            1,
            _("Aid recipients"),
            _("People with an enrolment in the programme covering today."),
            _("people"),
            NEITHER,
            _social(),
            _("Bansos registry: enrolments"),
            MONTH,
        ),
        Metric(
            "bansos.flag",
            1,
            _("DTKS data-quality problems"),
            _("DTKS rows of the latest linkage run carrying the flag."),
            _("DTKS rows"),
            LOWER,
            _social(),
            _("Bansos registry: the latest DTKS linkage run"),
            MONTH,
        ),
        Metric(
            "bansos.reconciliation",
            1,
            _("Disbursement reconciliation"),
            _(
                "For the batch the bank answered last: payments paid, failed and returned, and "
                "the differences between the bank's file and the batch."
            ),
            _("payments"),
            NEITHER,
            _social(),
            _("Bansos registry: Kartu Sahabat batches and the bank's result file"),
            MONTH,
        ),
        Metric(
            "actions.overdue",
            1,
            _("Overdue action items"),
            _("Action items of stat meetings still open or in progress after their due date."),
            _("action items"),
            LOWER,
            _desk(),
            _("Executive dashboard: stat meetings"),
            None,
        ),
    )
    return {metric.code: metric for metric in metrics}


def status_of(metric: Metric, value: Decimal | int | None) -> str:
    """A figure's status under its metric's thresholds: "not reported" without a value,
    neutral for a metric without thresholds."""
    if value is None:
        return FigureStatus.NOT_REPORTED
    if metric.green_at is None or metric.amber_at is None:
        return FigureStatus.NEUTRAL
    value = Decimal(value)
    if metric.direction == LOWER:
        green, amber = value <= metric.green_at, value <= metric.amber_at
    else:
        green, amber = value >= metric.green_at, value >= metric.amber_at
    return FigureStatus.GREEN if green else FigureStatus.AMBER if amber else FigureStatus.RED


def metric(code: str) -> Metric:
    """The definition of the metric ``code``."""
    return _catalogue()[code]


def all_metrics() -> list[Metric]:
    return list(_catalogue().values())


def indicator_metric(indicator) -> Metric:
    """A Satu Data indicator as a metric: the indicator store holds its definition (name,
    unit, direction, definition), so that one definition serves the portal and the dashboard.
    Indicators are yearly."""
    return Metric(
        f"indicator.{indicator.code}",
        1,
        indicator.name,
        indicator.definition or indicator.name,
        indicator.unit,
        indicator.direction,
        "",
        _("Satu Data: indicator store"),
        YEAR,
        public=True,
    )
