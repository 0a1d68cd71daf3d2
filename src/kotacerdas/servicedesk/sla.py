"""Service levels on the government's working-day calendar.

A service's standard time is given in working days or working hours. Offices work Monday to
Friday, ``OPENS`` to ``CLOSES`` (WIB), except on national holidays and joint leave days (the
``Holiday`` table, shipped for the current year and kept by administrators). A working day is
the length of one office day, so "1 working day" from Monday 10:00 ends on Tuesday 10:00, and a
request filed on Saturday starts its clock on Monday at opening time.

The clock starts when the request is submitted (the citizen's wait, not the OPD's) and stops when
it is resolved; a reopened request gets a new deadline from the moment it is reopened.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction

from kotacerdas.servicedesk.choices import SlaUnit
from kotacerdas.servicedesk.models import Holiday, Service

OPENS = dt.time(8, 0)
CLOSES = dt.time(16, 0)
WORKING_DAY = dt.timedelta(hours=8)  # CLOSES - OPENS
# A deadline warning goes out when this share of the service time is left.
WARN_SHARE = 0.25

HOLIDAYS_FILE = Path(__file__).resolve().parent / "reference" / "holidays.csv"


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


@dataclass(frozen=True)
class WorkingCalendar:
    """Working time between moments, given the days off. Aware datetimes in, aware out."""

    days_off: frozenset[dt.date]

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() < 5 and day not in self.days_off

    def _next_working_day(self, day: dt.date) -> dt.date:
        day += dt.timedelta(days=1)
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def _start(self, moment: dt.datetime) -> dt.datetime:
        """The first working moment at or after ``moment``, in local time."""
        zone = local_zone()
        local = moment.astimezone(zone)
        day = local.date()
        # Closing time itself still belongs to the day (with nothing left of it), so that a
        # deadline falling at 16:00 stays there when nothing more is added.
        if self.is_working_day(day) and local.time() <= CLOSES:
            return max(local, dt.datetime.combine(day, OPENS, zone))
        return dt.datetime.combine(self._next_working_day(day), OPENS, zone)

    def add(self, start: dt.datetime, amount: dt.timedelta) -> dt.datetime:
        """The moment when ``amount`` of working time has passed since ``start``."""
        zone = local_zone()
        current = self._start(start)
        remaining = amount
        while True:
            closing = dt.datetime.combine(current.date(), CLOSES, zone)
            left_today = closing - current
            if remaining <= left_today:
                return current + remaining
            remaining -= left_today
            current = dt.datetime.combine(self._next_working_day(current.date()), OPENS, zone)

    def between(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        """The working time from ``start`` to ``end`` (negative when ``end`` comes first)."""
        if end < start:
            return -self.between(end, start)
        zone = local_zone()
        current = self._start(start)
        end = end.astimezone(zone)
        total = dt.timedelta(0)
        while current < end:
            closing = dt.datetime.combine(current.date(), CLOSES, zone)
            total += min(closing, end) - current
            current = dt.datetime.combine(self._next_working_day(current.date()), OPENS, zone)
        return total


def calendar(start: dt.date | None = None, end: dt.date | None = None) -> WorkingCalendar:
    """The calendar with the days off recorded between ``start`` and ``end`` (all when
    omitted): one query."""
    days = Holiday.objects.all()
    if start is not None:
        days = days.filter(date__gte=start)
    if end is not None:
        days = days.filter(date__lte=end)
    return WorkingCalendar(frozenset(days.values_list("date", flat=True)))


def service_time(service: Service) -> dt.timedelta:
    """The service's standard time as working time."""
    if service.sla_unit == SlaUnit.WORKING_HOURS:
        return dt.timedelta(hours=service.sla_amount)
    return WORKING_DAY * service.sla_amount


def deadline(service: Service, start: dt.datetime) -> dt.datetime:
    """When a request for ``service`` made at ``start`` is due. The calendar read covers the
    longest stretch the deadline can reach: each working day needs at most a week around it."""
    amount = service_time(service)
    horizon = dt.timedelta(days=7 * (amount // WORKING_DAY + 2))
    local_start = start.astimezone(local_zone()).date()
    return calendar(local_start, local_start + horizon).add(start, amount)


def warning_due(service: Service, start: dt.datetime, due: dt.datetime) -> dt.datetime:
    """When a deadline warning goes out: when ``WARN_SHARE`` of the service time is left."""
    amount = service_time(service) * (1 - WARN_SHARE)
    local_start = start.astimezone(local_zone()).date()
    return calendar(local_start, due.astimezone(local_zone()).date()).add(start, amount)


@transaction.atomic
def load_holidays(path: Path = HOLIDAYS_FILE) -> int:
    """Add the days off listed in ``path`` that the table lacks (idempotent; a day already
    there, perhaps corrected by an administrator, is left as it is). Returns how many were
    added."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    known = set(Holiday.objects.values_list("date", flat=True))
    new = [
        Holiday(date=dt.date.fromisoformat(row["date"]), name=row["name"], kind=row["kind"])
        for row in rows
        if dt.date.fromisoformat(row["date"]) not in known
    ]
    Holiday.objects.bulk_create(new)
    return len(new)
