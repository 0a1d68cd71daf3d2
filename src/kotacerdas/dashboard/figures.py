"""A figure on the dashboard: one number with everything needed to trust it (the metric's
definition, the unit, the period, the source, when it was last updated, who owns it, whether it
is stale) and to act on it (the records behind it, the series it belongs to)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import formats, timezone

from kotacerdas.core.models import Opd
from kotacerdas.dashboard.choices import FigureStatus
from kotacerdas.dashboard.metrics import Metric


@dataclass
class Figure:
    """One figure. ``key`` names it across meetings ("kpi.12", "pecut.sla.service.ktp-el"), so
    an action item can show it again later; ``series`` names the series its chart draws (for
    annotations); ``drill_url`` leads to the records behind it, and is empty when the reader's
    role may not see them."""

    key: str
    metric: Metric
    label: str
    value: Decimal | int | None
    period: str
    source: str
    updated_at: dt.datetime | None = None
    owner: str = ""  # the owning OPD's code
    unit: str = ""
    target: Decimal | None = None
    status: str = FigureStatus.NEUTRAL
    detail: str = ""
    source_url: str = ""
    drill_url: str = ""
    series: str = ""
    stale: bool = field(default=False)
    owner_name: str = ""

    def __post_init__(self) -> None:
        if not self.unit:
            self.unit = str(self.metric.unit)

    def mark_stale(self, now: dt.datetime | None = None) -> None:
        """Stale: older than the metric's expected update frequency (live figures never are)."""
        refresh = self.metric.refresh
        now = now or timezone.now()
        self.stale = bool(refresh and self.updated_at and now - self.updated_at > refresh)

    @property
    def status_label(self) -> str:
        return str(FigureStatus(self.status).label)


class Owners:
    """OPD names by code (as an OPD names itself: its short name, else its name), read once
    per page."""

    def __init__(self) -> None:
        self._names = {opd.code: str(opd) for opd in Opd.objects.only("code", "name", "short_name")}

    def name(self, code: str) -> str:
        return self._names.get(code, code)


def end_of_day(day: dt.date) -> dt.datetime:
    """The last moment of a local day, as an aware datetime (for dated sources)."""
    return dt.datetime.combine(day, dt.time.max, timezone.get_current_timezone())


def format_number(value: Decimal | int | float | None) -> str:
    """A figure as the reader's locale writes it, with every decimal it carries (an index of
    3.197 stays 3,197 in Indonesian) and none it does not (70.00 is 70)."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    return formats.number_format(Decimal(f"{number.normalize():f}"), force_grouping=True)


def rounded(value: Decimal | float | int | None, places: str = "0.1") -> Decimal | None:
    return None if value is None else Decimal(value).quantize(Decimal(places))
