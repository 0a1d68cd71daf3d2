"""The desk's figures: one definition of received, resolved, on time, open and overdue."""

import datetime as dt
from decimal import Decimal

from kotacerdas.servicedesk import rules, stats, workflow
from kotacerdas.servicedesk.models import ServiceRequest
from kotacerdas.servicedesk.tests.fixtures import MONDAY_9AM

DAY = dt.timedelta(days=1)
NOV = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))


def test_compliance_counts_the_share_resolved_by_the_deadline(
    road_service, info_service, file_request, desk_officer
):
    on_time, late, still_open = (file_request(road_service) for _ in range(3))
    info = file_request(info_service)
    for filed in (on_time, late, still_open, info):
        workflow.assign(desk_officer, filed, at=MONDAY_9AM + dt.timedelta(hours=1))
    workflow.resolve(desk_officer, on_time, "ok", at=MONDAY_9AM + 2 * DAY)
    workflow.resolve(desk_officer, late, "ok", at=MONDAY_9AM + 10 * DAY)
    now = MONDAY_9AM + 12 * DAY  # everything open is overdue by now
    everything = ServiceRequest.objects.all()

    by_service = {f.key: f for f in stats.figures_by(everything, "service", *NOV, now=now)}
    road = by_service["jalan-rusak"]
    assert (road.received, road.resolved, road.on_time, road.open, road.overdue) == (3, 2, 1, 1, 1)
    assert road.compliance == Decimal("50.0")
    assert by_service["informasi-publik"].compliance is None  # nothing resolved: no figure
    city = stats.city_figures(everything, *NOV, now=now)
    assert (city.received, city.open, city.overdue) == (4, 2, 2)
    # A period before any request: nothing received or resolved, the open ones still counted.
    october = stats.city_figures(everything, dt.date(2026, 10, 1), dt.date(2026, 10, 31), now=now)
    assert (october.received, october.resolved, october.open) == (0, 0, 2)


def test_an_opd_officer_figures_cover_only_their_queue(
    road_service, info_service, file_request, desk_officer, dpupr_officer
):
    for service in (road_service, info_service):
        workflow.assign(desk_officer, file_request(service))
    mine = stats.city_figures(rules.visible_requests(dpupr_officer), *NOV, now=MONDAY_9AM)
    everyone = stats.city_figures(rules.visible_requests(desk_officer), *NOV, now=MONDAY_9AM)
    assert (mine.received, everyone.received) == (1, 2)


def test_ageing_trend_and_intake(road_service, file_request):
    for days_ago in (0, 2, 5, 10, 20):
        file_request(road_service, at=MONDAY_9AM - days_ago * DAY)
    everything = ServiceRequest.objects.all()
    assert stats.ageing(everything, now=MONDAY_9AM + dt.timedelta(hours=1)) == [
        ("0-1", 1),
        ("2-3", 1),
        ("4-7", 1),
        ("8-14", 1),
        ("15+", 1),
    ]
    trend = stats.weekly_trend(everything, weeks=4, now=MONDAY_9AM)
    assert [week for week, _, _ in trend] == [
        dt.date(2026, 10, 12),
        dt.date(2026, 10, 19),
        dt.date(2026, 10, 26),
        dt.date(2026, 11, 2),
    ]
    assert [received for _, received, _ in trend] == [1, 1, 2, 1]
    assert stats.intake_today(everything, now=MONDAY_9AM) == 1
    assert stats.open_by_status(everything)["submitted"] == 5


def test_the_worst_services_are_the_least_on_time():
    figures = [
        stats.Figures("a", "A", 10, 10, 9, 0, 0),
        stats.Figures("b", "B", 10, 10, 5, 0, 0),
        stats.Figures("z", "Z", 4, 4, 0, 0, 0),  # none on time
        stats.Figures("c", "C", 10, 10, 10, 0, 0),  # perfect: not a failing service
        stats.Figures("d", "D", 2, 1, 0, 4, 4),  # few resolved but overdue ones
    ]
    assert [f.key for f in stats.worst_services(figures)] == ["z", "b", "a", "d"]
