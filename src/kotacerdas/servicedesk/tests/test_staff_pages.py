"""The staff pages: each reader sees their own queue, contacts stay masked until asked for."""

import pytest

from kotacerdas.core.models import PersonalDataAccess
from kotacerdas.servicedesk import workflow
from kotacerdas.servicedesk.models import ClientKey, Holiday, Service


@pytest.fixture
def assigned(road_service, file_request, desk_officer):
    filed = file_request(road_service, first_name="Budi", email="budi@example.id")
    workflow.assign(desk_officer, filed)
    return filed


def test_an_opd_officer_sees_only_their_opds_queue(
    client_for, assigned, info_service, file_request, dpupr_officer, dinsos_officer, citizen
):
    untriaged = file_request(info_service)
    page = client_for(dpupr_officer).get("/staf/layanan/").content.decode()
    assert assigned.number in page and untriaged.number not in page
    other = client_for(dinsos_officer)
    assert assigned.number not in other.get("/staf/layanan/").content.decode()
    assert other.get(f"/staf/layanan/{assigned.number}/").status_code == 404
    assert citizen.get("/staf/layanan/").status_code == 302


def test_the_desk_sees_new_requests_to_triage(client_for, road_service, file_request, desk_officer):
    new = file_request(road_service)
    page = client_for(desk_officer).get("/staf/layanan/").content.decode()
    assert new.number in page and 'id="to-triage"' in page


def test_the_contact_is_masked_until_asked_for_and_each_look_is_recorded(
    client_for, assigned, dpupr_officer
):
    client = client_for(dpupr_officer)
    url = f"/staf/layanan/{assigned.number}/"
    page = client.get(url).content.decode()
    assert "0812******90" in page and "0812-3456-7890" not in page
    assert "budi@example.id" not in page
    assert not PersonalDataAccess.objects.exists()
    revealed = client.post(url, {"action": "reveal"}).content.decode()
    assert "0812-3456-7890" in revealed and "budi@example.id" in revealed
    access = PersonalDataAccess.objects.get()
    assert access.user == dpupr_officer and access.subject_id == str(assigned.pk)


def test_an_anonymous_complaint_hides_the_citizen_from_the_opd(
    client_for, road_service, file_request, desk_officer, dpupr_officer
):
    filed = file_request(road_service, anonymous=True)
    workflow.assign(desk_officer, filed)
    url = f"/staf/layanan/{filed.number}/"
    page = client_for(dpupr_officer).post(url, {"action": "reveal"}).content.decode()
    assert "0812" not in page
    assert not PersonalDataAccess.objects.exists()
    assert (
        "0812-3456-7890"
        in client_for(desk_officer).post(url, {"action": "reveal"}).content.decode()
    )


def test_the_opd_works_the_request_from_its_page(client_for, assigned, dpupr_officer):
    client = client_for(dpupr_officer)
    act = f"/staf/layanan/{assigned.number}/aksi/"
    client.post(act, {"action": "start"})
    refused = client.post(act, {"action": "resolve", "answer": ""}, follow=True)
    assert "answer" in refused.content.decode()
    client.post(act, {"action": "resolve", "answer": "Sudah ditambal"})
    assigned.refresh_from_db()
    assert assigned.status == "resolved"
    assert client.post(act, {"action": "assign"}).status_code == 403  # triage is the desk's


def test_the_desk_merges_a_suggested_duplicate(
    client_for, road_service, file_request, desk_officer
):
    first = file_request(road_service, description="Jalan berlubang besar depan SD")
    second = file_request(road_service, description="Lubang besar di jalan depan SD")
    client = client_for(desk_officer)
    page = client.get(f"/staf/layanan/{second.number}/").content.decode()
    assert 'id="duplicates"' in page and first.number in page
    client.post(f"/staf/layanan/{second.number}/aksi/", {"action": "merge", "into": first.number})
    second.refresh_from_db()
    assert second.merged_into == first


def test_the_monitoring_room_shows_the_citys_figures(
    client_for, assigned, executive, dinsos_officer
):
    page = client_for(executive).get("/staf/layanan/pantau/").content.decode()
    assert 'id="by-opd"' in page and "DPUPR" in page and "Jalan rusak" in page
    partial = client_for(executive).get("/staf/layanan/pantau/", HTTP_HX_REQUEST="true")
    assert b"<html" not in partial.content and b'id="by-service"' in partial.content
    # An officer of another OPD sees the room limited to their own queue: empty here.
    assert (
        "Jalan rusak"
        not in client_for(dinsos_officer).get("/staf/layanan/pantau/").content.decode()
    )


def test_an_opd_keeps_its_own_services_only(
    client_for, road_service, dpupr_officer, dinsos_officer
):
    url = f"/staf/layanan/katalog/{road_service.code}/"
    data = {
        "code": road_service.code,
        "name": "Jalan rusak (diperbarui)",
        "category": "complaint",
        "opd": road_service.opd_id,
        "fee": 0,
        "sla_amount": 4,
        "sla_unit": "working_days",
        "active": "on",
    }
    assert client_for(dinsos_officer).post(url, data).status_code == 403
    assert client_for(dpupr_officer).post(url, data).status_code == 302
    assert Service.objects.get(pk=road_service.pk).sla_amount == 4
    assert client_for(dpupr_officer).get("/staf/layanan/katalog/baru/").status_code == 403
    bad = client_for(dpupr_officer).post(url, {**data, "sla_amount": 0})
    assert bad.status_code == 400


def test_only_administrators_keep_the_calendar_and_client_keys(
    client_for, administrator, dpupr_officer, holidays
):
    data = {"date": "2026-07-27", "name": "Hari Jadi Kota Kediri", "kind": "local"}
    client_for(dpupr_officer).post("/staf/layanan/kalender/", data)
    assert not Holiday.objects.filter(name__startswith="Hari Jadi").exists()
    client_for(administrator).post("/staf/layanan/kalender/", data)
    assert Holiday.objects.filter(name__startswith="Hari Jadi").exists()
    twice = client_for(administrator).post("/staf/layanan/kalender/", data)
    assert twice.status_code == 400
    assert client_for(dpupr_officer).get("/staf/layanan/kunci-open311/").status_code == 403
    page = client_for(administrator).post("/staf/layanan/kunci-open311/", {"name": "Kiosk"})
    key = ClientKey.objects.get()
    assert key.prefix in page.content.decode() and 'id="new-key"' in page.content.decode()
