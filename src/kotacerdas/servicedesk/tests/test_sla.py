"""Service levels on the working-day calendar: weekends, national holidays and joint leave."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from kotacerdas.servicedesk.models import Holiday
from kotacerdas.servicedesk.sla import WorkingCalendar, deadline, load_holidays
from kotacerdas.servicedesk.tests.fixtures import WIB


def at(day: str, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour, minute), WIB)


PLAIN = WorkingCalendar(frozenset())
HOURS = dt.timedelta(hours=1)
DAY = dt.timedelta(hours=8)


def test_one_working_day_from_mid_morning_ends_the_next_morning():
    # Monday 2 Nov 2026, 10:00 -> Tuesday 10:00.
    assert PLAIN.add(at("2026-11-02", 10), DAY) == at("2026-11-03", 10)


def test_friday_afternoon_runs_over_the_weekend():
    # Friday 15:00 with 2 working hours: one hour on Friday, one on Monday from 08:00.
    assert PLAIN.add(at("2026-11-06", 15), 2 * HOURS) == at("2026-11-09", 9)


def test_a_request_filed_on_saturday_starts_its_clock_on_monday_morning():
    assert PLAIN.add(at("2026-11-07", 11), DAY) == at("2026-11-09", 16)


def test_a_request_filed_after_closing_starts_the_next_working_day():
    assert PLAIN.add(at("2026-11-02", 19), 3 * HOURS) == at("2026-11-03", 11)
    assert PLAIN.add(at("2026-11-02", 6), 3 * HOURS) == at("2026-11-02", 11)


def test_holidays_and_joint_leave_are_skipped(holidays):
    # Idulfitri 2026: Thursday 19 March (Nyepi) to Tuesday 24 March are all days off.
    # Filed Wednesday 18 March (joint leave) at 09:00 with 1 working day: the clock starts on
    # Wednesday 25 March at 08:00 and ends at 16:00 the same day.
    from kotacerdas.servicedesk.sla import calendar

    assert calendar().add(at("2026-03-18", 9), DAY) == at("2026-03-25", 16)
    # Tuesday 16 Feb 2026 (joint leave) and 17 Feb (Imlek): Monday 15:00 + 2 hours = Wed 09:00.
    assert calendar().add(at("2026-02-16", 15), 2 * HOURS) == at("2026-02-18", 10)
    assert calendar().add(at("2026-02-13", 15), 2 * HOURS) == at("2026-02-18", 9)


def test_the_deadline_of_a_service_reads_the_calendar(road_service):
    # Five working days from Friday 11 Dec 2026 09:00: 14, 15, 16, 17, 18 Dec -> Friday 18th.
    assert deadline(road_service, at("2026-12-11", 9)) == at("2026-12-18", 9)
    # Across Christmas: Monday 21 Dec 09:00 + 5 days skips 24 (joint leave) and 25 Dec:
    # 22, 23, 28, 29, 30 -> Wednesday 30 Dec 09:00... counted from the 21st: 22 Dec 09:00 is
    # day 1, 23 day 2, 28 day 3, 29 day 4, 30 day 5.
    assert deadline(road_service, at("2026-12-21", 9)) == at("2026-12-30", 9)


def test_an_administrator_added_day_off_moves_deadlines(road_service):
    before = deadline(road_service, at("2026-11-02", 9))
    Holiday.objects.create(date=dt.date(2026, 11, 4), name="Hari Jadi Kota Kediri", kind="local")
    assert deadline(road_service, at("2026-11-02", 9)) == before + dt.timedelta(days=1)


def test_loading_the_holidays_twice_adds_nothing_and_keeps_corrections(db):
    assert load_holidays() == 25
    Holiday.objects.filter(date=dt.date(2026, 8, 25)).update(name="corrected")
    assert load_holidays() == 0
    assert Holiday.objects.get(date=dt.date(2026, 8, 25)).name == "corrected"
    assert Holiday.objects.filter(kind="joint_leave").count() == 8


def test_working_time_between_counts_only_office_hours():
    assert PLAIN.between(at("2026-11-06", 15), at("2026-11-09", 9)) == 2 * HOURS
    assert PLAIN.between(at("2026-11-09", 9), at("2026-11-06", 15)) == -2 * HOURS
    assert PLAIN.between(at("2026-11-07", 9), at("2026-11-08", 20)) == dt.timedelta(0)


OFF = frozenset({dt.date(2026, 11, 4), dt.date(2026, 11, 5), dt.date(2026, 12, 25)})
# hypothesis takes naive bounds and attaches the zone itself.
moments = st.datetimes(
    min_value=dt.datetime(2026, 10, 1),  # noqa: DTZ001
    max_value=dt.datetime(2026, 12, 31),  # noqa: DTZ001
    timezones=st.just(WIB),
)
amounts = st.integers(min_value=0, max_value=60 * 8 * 30).map(lambda m: dt.timedelta(minutes=m))


@settings(max_examples=300, deadline=None)
@given(start=moments, amount=amounts)
def test_adding_working_time_then_measuring_it_gives_it_back(start, amount):
    calendar = WorkingCalendar(OFF)
    end = calendar.add(start, amount)
    assert calendar.between(start, end) == amount
    # The deadline always falls within office hours on a working day.
    local = end.astimezone(WIB)
    assert calendar.is_working_day(local.date())
    assert dt.time(8) <= local.time() <= dt.time(16)


@settings(max_examples=200, deadline=None)
@given(start=moments, first=amounts, second=amounts)
def test_adding_in_two_steps_equals_adding_at_once(start, first, second):
    calendar = WorkingCalendar(OFF)
    assert calendar.add(calendar.add(start, first), second) == calendar.add(start, first + second)


def test_closing_time_is_the_end_of_the_day_not_the_next_morning():
    # Found by hypothesis: a deadline at 16:00 must not move to 08:00 the next day when
    # nothing more is added, and an hour more lands at 09:00 the next working day.
    closing = at("2026-10-21", 16)
    assert PLAIN.add(closing, dt.timedelta(0)) == closing
    assert PLAIN.add(closing, HOURS) == at("2026-10-22", 9)
    assert PLAIN.between(closing, at("2026-10-22", 8)) == dt.timedelta(0)
