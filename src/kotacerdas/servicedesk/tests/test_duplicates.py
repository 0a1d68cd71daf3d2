"""Suggesting that two reports are the same problem: near in place and time, alike in words."""

import datetime as dt
from decimal import Decimal

from kotacerdas.core.models import Region
from kotacerdas.servicedesk.duplicates import metres_between, similarity, suggest_duplicates
from kotacerdas.servicedesk.tests.fixtures import BANDAR_LOR, MONDAY_9AM

LAT, LON = BANDAR_LOR


def test_similar_words_score_high_and_different_ones_low():
    assert similarity("Jalan berlubang besar depan SD", "lubang besar di jalan depan SD") > 0.5
    assert similarity("Jalan berlubang besar depan SD", "Lampu taman mati") == 0.0
    assert similarity("Jalan berlubang besar depan SD", "Pohon tumbang menutup gang") < 0.4
    assert similarity("", "apa saja") == 0.0


def test_distance_is_measured_on_the_earth(road_service, file_request):
    a = file_request(road_service, latitude=LAT, longitude=LON)
    b = file_request(road_service, latitude=LAT + Decimal("0.001"), longitude=LON)
    # 0.001 degree of latitude is about 111 metres.
    assert 105 < metres_between(a, b) < 117


def test_a_nearby_similar_open_report_is_suggested(road_service, file_request):
    first = file_request(
        road_service,
        description="Jalan berlubang besar depan SD Bandar Lor",
        latitude=LAT,
        longitude=LON,
    )
    second = file_request(
        road_service,
        description="Ada lubang besar di jalan depan SD",
        latitude=LAT + Decimal("0.0005"),
        longitude=LON,
        at=MONDAY_9AM + dt.timedelta(days=2),
    )
    suggestions = suggest_duplicates(second)
    assert [s.request for s in suggestions] == [first]
    assert suggestions[0].metres < 100


def test_far_old_unlike_or_finished_reports_are_not_suggested(
    road_service, info_service, file_request, desk_officer
):
    new = file_request(road_service, description="Jalan berlubang besar depan SD")
    far = Region.objects.get(code="35.71.03.1001")
    file_request(road_service, description="Jalan berlubang besar depan SD", region=far)
    file_request(
        road_service,
        description="Jalan berlubang besar depan SD",
        at=MONDAY_9AM - dt.timedelta(days=30),
    )
    file_request(road_service, description="Pohon tumbang menutup gang")
    file_request(info_service, description="Jalan berlubang besar depan SD")
    from kotacerdas.servicedesk import workflow

    rejected = file_request(road_service, description="Jalan berlubang besar depan SD")
    workflow.reject(desk_officer, rejected, "Sudah dilaporkan")
    assert suggest_duplicates(new) == []
