"""Small line charts drawn on the server as SVG: no chart library, nothing to download on a
cheap phone, and they print in the briefing book. Annotations of the chart's series are drawn
as numbered marks at their date and listed under the chart."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from kotacerdas.dashboard.models import Annotation

WIDTH, HEIGHT, PAD = 320, 120, 18


@dataclass(frozen=True)
class Chart:
    series: str
    points: list[tuple[float, float, str, str]]  # x, y, label, value as shown
    path: str
    marks: list[tuple[int, float, Annotation]]  # number, x, annotation
    low: str
    high: str
    width: int = WIDTH
    height: int = HEIGHT


def _position(moments: list[dt.date], moment: dt.date) -> float:
    first, last = moments[0], moments[-1]
    span = (last - first).days or 1
    return PAD + (WIDTH - 2 * PAD) * (moment - first).days / span


def line_chart(
    series: str,
    points: list[tuple[dt.date, Decimal | int | None, str]],
    annotations: list[Annotation] | None = None,
) -> Chart | None:
    """A chart of ``points`` (date, value, label), skipping missing values; None with fewer than
    two values. ``annotations`` are those of ``series`` (``annotations_for``); the ones inside
    the chart's dates are drawn."""
    known = [(day, Decimal(value), label) for day, value, label in points if value is not None]
    if len(known) < 2:
        return None
    days = [day for day, _v, _l in known]
    values = [value for _d, value, _l in known]
    low, high = min(values), max(values)
    spread = (high - low) or Decimal(1)
    drawn = []
    for day, value, label in known:
        x = _position(days, day)
        y = PAD + float((high - value) / spread) * (HEIGHT - 2 * PAD)
        drawn.append((round(x, 1), round(y, 1), label, f"{value.normalize():f}"))
    path = "M" + " L".join(f"{x},{y}" for x, y, _l, _v in drawn)
    marks = [
        (number, round(_position(days, note.date), 1), note)
        for number, note in enumerate(
            (n for n in annotations or [] if days[0] <= n.date <= days[-1]), start=1
        )
    ]
    return Chart(series, drawn, path, marks, f"{low.normalize():f}", f"{high.normalize():f}")


def annotations_for(series_keys: list[str]) -> dict[str, list[Annotation]]:
    """The annotations of each series, in one query."""
    found: dict[str, list[Annotation]] = {key: [] for key in series_keys}
    for note in Annotation.objects.filter(series__in=series_keys).select_related("author"):
        found[note.series].append(note)
    return found
