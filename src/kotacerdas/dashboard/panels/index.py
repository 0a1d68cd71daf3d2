"""The smart city index panel: the published history, the latest fully scored evaluation by
dimension and pillar, the target, the gap and the fewest item improvements that reach it
(``evaluation.cycle``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from kotacerdas.dashboard import charts
from kotacerdas.dashboard.choices import FigureStatus
from kotacerdas.dashboard.figures import Figure, end_of_day
from kotacerdas.dashboard.metrics import metric
from kotacerdas.dashboard.panels.base import (
    Panel,
    Reader,
    city,
    link,
)
from kotacerdas.evaluation import cycle
from kotacerdas.evaluation.models import Evaluation, PublishedScore
from kotacerdas.evaluation.pillars import pillar_scores
from kotacerdas.evaluation.scoring import round_score


def index_target(evaluations: list[Evaluation]) -> Decimal:
    """The target the city set on its latest evaluation, else the masterplan's (settings)."""
    found = next((e.target for e in evaluations if e.target is not None), None)
    return found if found is not None else Decimal(settings.DASHBOARD["INDEX_TARGET"])


def index_panel(reader: Reader) -> Panel:
    """The published history, the current evaluation by dimension and pillar, the target, the
    gap and the fewest item improvements that reach it."""
    panel = Panel("index", _("Smart city index"))
    here = city()
    published = list(PublishedScore.objects.filter(region=here).order_by("year"))
    evaluations = list(Evaluation.objects.filter(region=here).order_by("-year", "-pk"))
    target = index_target(evaluations)
    index_metric = metric("index")
    owner = index_metric.owner
    history = [(dt.date(p.year, 12, 31), p.index, str(p.year)) for p in published]
    latest = published[-1] if published else None
    if latest is not None:
        panel.figures.append(
            Figure(
                "index",
                index_metric,
                _("Published index"),
                latest.index,
                str(latest.year),
                latest.source or _("Published by the ministry"),
                updated_at=end_of_day(dt.date(latest.year, 12, 31)),
                owner=owner,
                target=target,
                status=FigureStatus.GREEN if latest.index >= target else FigureStatus.AMBER,
                series="index",
            )
        )
    # The current evaluation as far as it is scored, and the latest fully scored one for the
    # gap (the current one until every item has a score).
    results = {e.pk: cycle.results(e) for e in evaluations[:3]}
    current = evaluations[0] if evaluations else None
    scored = next((e for e in evaluations[:3] if results[e.pk].index is not None), None)
    context: dict[str, Any] = {"target": target, "current": current, "scored": scored}
    if current is not None:
        context["current_unscored"] = len(results[current.pk].unscored)
        context["current_items"] = current.answers.count()
    # The public sees the published indices only, never an evaluation still being scored.
    if scored is not None and not reader.scope.public:
        outcome = results[scored.pk]
        scheme = cycle.scheme_of(scored)
        labels = {item.code: item.label for item in scheme.instrument.items}
        dimension_labels = {d.key: d.label for d in scheme.instrument.dimensions}
        context["dimensions"] = [
            (dimension_labels.get(key, key), round_score(value, 2))
            for key, value in outcome.dimensions.items()
        ]
        context["pillars"] = [
            (row.name, round_score(row.score, 2) if row.score is not None else None)
            for row in pillar_scores([i.code for i in scheme.instrument.items], outcome.item_scores)
        ]
        index_now = round_score(outcome.index, 3)
        gap = cycle.gap_to_target(scored, target)
        shortfall = max(target - index_now, Decimal(0))
        panel.figures.append(
            Figure(
                "index.evaluation",
                metric("index.evaluation"),
                (
                    _("Evaluation %(year)s (provisional)")
                    if outcome.provisional
                    else _("Evaluation %(year)s")
                )
                % {"year": scored.year},
                index_now,
                str(scored.year),
                _("Evaluation %(year)s, %(stage)s")
                % {"year": scored.year, "stage": scored.get_stage_display()},
                updated_at=scored.locked_at or end_of_day(dt.date(scored.year, 12, 31)),
                owner=owner,
                target=target,
                status=FigureStatus.GREEN if index_now >= target else FigureStatus.AMBER,
                source_url=link("evaluation:detail", scored.pk) if reader.staff else "",
                drill_url=link("evaluation:gap", scored.pk) if reader.staff else "",
            )
        )
        panel.figures.append(
            Figure(
                "index.gap",
                metric("index.gap"),
                _("Gap to the target %(target)s") % {"target": target},
                shortfall,
                str(scored.year),
                _("Evaluation %(year)s") % {"year": scored.year},
                updated_at=panel.figures[-1].updated_at,
                owner=owner,
                status=FigureStatus.GREEN if not shortfall else FigureStatus.RED,
                drill_url=link("evaluation:gap", scored.pk) if reader.staff else "",
            )
        )
        context["plan"] = [
            (step, labels.get(step.code, ""), link("evaluation:item", scored.pk, step.code))
            for step in (gap.plan or [])
        ]
        context["plan_reaches"] = gap is not None and gap.plan is not None
    elif not reader.scope.public:
        panel.note = _("No evaluation is fully scored yet: the gap to target waits for it.")
    notes = reader.annotations("index")
    context["chart"] = charts.line_chart("index", history, notes)
    context["history"] = history
    panel.context = context
    return panel
