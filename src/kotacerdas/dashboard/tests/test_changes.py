"""What changed since a date, the list a stat meeting's agenda is proposed from: a service whose
SLA compliance fell, new data-quality problems in the DTKS linkage, progress reports that fell
overdue, each for the reader's own part of the city."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from kotacerdas.bansos.models import LinkRun
from kotacerdas.dashboard import changes, panels
from kotacerdas.dashboard.scope import scope_of
from kotacerdas.masterplan import reporting
from kotacerdas.masterplan.models import ReportingPeriod
from kotacerdas.servicedesk import stats, workflow

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def in_english():
    """These tests read the English texts (the platform's default is Indonesian)."""
    with translation.override("en"):
        yield


def changed(user, since: dt.date, kind: str) -> list[changes.Change]:
    """The changes of ``kind`` the dashboard of ``user`` lists since ``since``."""
    reader = panels.reader_for(scope_of(user), user)
    return [change for change in changes.what_changed(reader, since) if change.kind == kind]


# ---------------------------------------------------------------------------------------------
# SLA compliance fell

# ``since`` is 14 days ago: the window after it is the last 14 days up to today, the window
# before it the 14 days before that. Requests are resolved in the middle of each.
SINCE_DAYS = 14
BEFORE, AFTER = 21, 7  # days ago


@pytest.fixture
def resolve_requests(road_service, file_request, desk_officer):
    """``resolve_requests(days_ago, on_time, late)``: road complaints resolved ``days_ago``
    through the desk's workflow, ``on_time`` of them two hours after filing and ``late`` of
    them a month after (well past the 5 working days of the service's SLA)."""
    numbered = iter(range(1, 1000))

    def resolve(days_ago: int, on_time: int, late: int) -> None:
        done = timezone.now() - days_ago * DAY
        for filed in [done - dt.timedelta(hours=2)] * on_time + [done - 30 * DAY] * late:
            request = file_request(
                road_service, at=filed, description=f"Jalan berlubang nomor {next(numbered)}"
            )
            workflow.assign(desk_officer, request, at=filed + dt.timedelta(minutes=30))
            workflow.resolve(desk_officer, request, "Lubang sudah ditambal", at=done)

    return resolve


def test_a_service_whose_sla_compliance_fell_is_listed_with_its_figure(
    resolve_requests, road_service, executive, dinkes_officer
):
    # Given the road service at 100% on time over 3 requests resolved before ``since``, and
    # 2 of 3 (66.7%) since; 3 more resolved late, 35 days ago, before the window before
    # ``since`` (as many days as since ``since``) began.
    resolve_requests(BEFORE, on_time=3, late=0)
    resolve_requests(AFTER, on_time=2, late=1)
    resolve_requests(2 * SINCE_DAYS + 7, on_time=0, late=3)
    since = timezone.localdate() - SINCE_DAYS * DAY

    found = changed(executive, since, "sla_fell")

    assert len(found) == 1
    change = found[0]
    assert change.figure_key == f"pecut.sla.service.{road_service.code}"
    assert change.text == "SLA compliance of Jalan rusak fell from 100% to 66.7%"
    assert f"service={road_service.code}" in change.url
    # The figure named is the services panel's own figure of that service.
    assert panels.services_panel(panels.reader_for(scope_of(executive), executive)).figure(
        change.figure_key
    )
    # Dinas Kesehatan's dashboard does not carry DPUPR's service.
    assert changed(dinkes_officer, since, "sla_fell") == []


@pytest.mark.parametrize(
    ("before", "after", "listed"),
    [
        pytest.param((4, 1), (3, 1), True, id="80.0-to-75.0-exactly-the-threshold"),
        pytest.param((5, 2), (2, 1), False, id="71.4-to-66.7-a-fall-under-5-points"),
        pytest.param((2, 0), (0, 3), False, id="2-resolved-before-too-few"),
        pytest.param((3, 0), (0, 2), False, id="2-resolved-after-too-few"),
    ],
)
def test_a_fall_is_listed_only_from_5_points_on_3_resolved_requests_in_each_window(
    resolve_requests, executive, before, after, listed
):
    # Given (on time, late) requests resolved before and after ``since``.
    resolve_requests(BEFORE, *before)
    resolve_requests(AFTER, *after)
    since = timezone.localdate() - SINCE_DAYS * DAY
    # The case is on the side of the thresholds its name says (as the service desk counts).
    fall = stats.compliance(before[0], sum(before)) - stats.compliance(after[0], sum(after))
    big_enough = fall >= changes.SLA_FALL_POINTS
    enough_requests = min(sum(before), sum(after)) >= changes.SLA_MIN_RESOLVED
    assert (big_enough and enough_requests) is listed

    found = changed(executive, since, "sla_fell")

    assert len(found) == (1 if listed else 0)


# ---------------------------------------------------------------------------------------------
# New data-quality problems in the DTKS linkage


def linkage_run(days_ago: float, **flags: int) -> LinkRun:
    """A finished linkage run whose summary counts DTKS rows per flag."""
    return LinkRun.objects.create(
        finished_at=timezone.now() - dt.timedelta(days=days_ago), summary={"flags": flags}
    )


@pytest.mark.parametrize("reader", ["executive", "dinsos_officer"])
def test_a_flag_rising_in_the_latest_linkage_run_is_one_change(request, reader):
    # Given two runs since ``since``: the latest finds 3 more deceased people, as many invalid
    # NIKs and fewer who moved out; a run still going (not finished) counts for nothing.
    linkage_run(3, deceased=2, nik_invalid=5, moved_out=4)
    linkage_run(1, deceased=5, nik_invalid=5, moved_out=1)
    LinkRun.objects.create(summary={"flags": {"deceased": 99, "nik_invalid": 99}})
    since = timezone.localdate() - 7 * DAY

    found = changed(request.getfixturevalue(reader), since, "data_quality")

    assert len(found) == 1
    change = found[0]
    assert change.text == "New data-quality problems in the DTKS linkage: Deceased 5 (+3)"
    assert change.figure_key == "bansos.flag.deceased"


def test_a_linkage_run_finished_before_the_date_is_no_change(executive):
    linkage_run(20, deceased=2)
    linkage_run(10, deceased=5)
    since = timezone.localdate() - 7 * DAY

    assert changed(executive, since, "data_quality") == []
    # The same runs are a change for a date before the latest.
    assert len(changed(executive, since - 7 * DAY, "data_quality")) == 1


@pytest.mark.parametrize("reader", ["dinkes_officer", "kelurahan_officer"])
def test_the_registrys_problems_are_not_another_opds_or_an_area_offices(request, reader):
    linkage_run(3, deceased=2)
    linkage_run(1, deceased=5)
    since = timezone.localdate() - 7 * DAY

    assert changed(request.getfixturevalue(reader), since, "data_quality") == []


# ---------------------------------------------------------------------------------------------
# Progress reports fell overdue


@pytest.fixture
def periods(programme) -> dict[str, ReportingPeriod]:
    """Dinas Sosial runs Kartu Sahabat this year; Q1 was due 40 days ago, Q2 11 days ago, Q3
    10 days ago, and Q4 is due today. No report has been submitted."""
    today = timezone.localdate()
    return {
        name: ReportingPeriod.objects.create(
            year=today.year, period=name, due_date=today - days * DAY
        )
        for name, days in (("Q1", 40), ("Q2", 11), ("Q3", 10), ("Q4", 0))
    }


def test_a_report_due_since_the_date_and_not_submitted_is_listed(periods, programme, executive):
    q3 = periods["Q3"]
    since = q3.due_date  # Q2 was due the day before

    found = changed(executive, since, "report_overdue")

    # Q3 only: Q1 and Q2 fell overdue before the date, Q4 is due today and not late yet.
    assert len(found) == 1
    change = found[0]
    assert change.text.startswith(f"Progress report {q3.year} Q3 of {programme.owner}")
    assert change.figure_key == "reports.overdue"
    assert change.url == reverse("masterplan:inbox")
    assert len(changed(executive, since - DAY, "report_overdue")) == 2  # Q2 too


def test_a_submitted_report_or_another_opds_is_not_listed(
    periods, programme, kpi, executive, dinsos_officer, dinkes_officer
):
    since = periods["Q3"].due_date
    # Dinas Kesehatan owns no programme: Dinas Sosial's late report is not on its dashboard.
    assert changed(dinkes_officer, since, "report_overdue") == []
    assert len(changed(dinsos_officer, since, "report_overdue")) == 1

    report = reporting.start_report(dinsos_officer, programme.owner, periods["Q3"].year, "Q3")
    line = reporting.LineInput(programme=programme, kpi_values={kpi.pk: Decimal(80)})
    reporting.save_report(dinsos_officer, report, "Triwulan berjalan", [line])
    reporting.submit_report(dinsos_officer, report)

    assert changed(executive, since, "report_overdue") == []
    assert changed(dinsos_officer, since, "report_overdue") == []
