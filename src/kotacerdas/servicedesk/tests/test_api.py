"""The service desk JSON API at /api/v1/servicedesk/: the public catalogue and front door, the
citizen's status link, the staff's queues and workflow steps through the domain functions with
their permission and validation rules, masked contacts, and the holiday calendar."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from kotacerdas.core.models import PersonalDataAccess, Region, User
from kotacerdas.core.tokens import issue_token
from kotacerdas.servicedesk import workflow
from kotacerdas.servicedesk.models import Holiday, Service, ServiceRequest

pytestmark = pytest.mark.django_db

API = "/api/v1/servicedesk"
JSON = "application/json"
SEMAMPIR = "35.71.02.1001"  # a kelurahan of Kecamatan Kota, beside Mojoroto's Bandar Lor


def post(client: Client, url: str, body: dict | None = None, **headers):
    if body is None:  # no body at all, as `curl -X POST` sends
        return client.generic("POST", f"{API}{url}", headers=headers)
    return client.post(f"{API}{url}", body, content_type=JSON, headers=headers)


def fields(response) -> list[str]:
    return [error["field"] for error in response.json()["errors"]]


def secret_of(status_url: str) -> str:
    return status_url.rstrip("/").rsplit("/", 1)[-1]


def a_road_complaint(**changes) -> dict:
    body = {
        "service_code": "jalan-rusak",
        "description": "Jalan berlubang di depan pasar",
        "kelurahan": "35.71.01.1001",
        "first_name": "Budi",
        "last_name": "Santoso",
        "phone": "0812-3456-7890",
        "email": "budi.santoso@example.id",
        "attributes": {"kerusakan": "lubang", "lebar": 2},
    }
    body.update(changes)
    return body


@pytest.fixture
def road_request(road_service, file_request) -> ServiceRequest:
    """A named road complaint in Bandar Lor, submitted and not yet seen by the desk."""
    return file_request(
        road_service, first_name="Budi", last_name="Santoso", email="budi.santoso@example.id"
    )


@pytest.fixture
def assigned_request(road_request, desk_officer) -> ServiceRequest:
    """The road complaint, passed by the desk to Dinas PUPR."""
    return workflow.assign(desk_officer, road_request)


# The catalogue


def test_the_catalogue_lists_active_services_by_category_and_opd(
    citizen, road_service, info_service, dpupr
):
    Service.objects.create(
        code="lampu-mati", name="Lampu mati", category="complaint", opd=dpupr, sla_amount=3,
        active=False,
    )  # fmt: skip
    everything = citizen.get(f"{API}/services").json()
    assert everything["count"] == 2
    assert [item["code"] for item in everything["items"]] == ["jalan-rusak", "informasi-publik"]
    complaints = citizen.get(f"{API}/services", {"category": "complaint"}).json()
    assert [item["code"] for item in complaints["items"]] == ["jalan-rusak"]
    by_opd = citizen.get(f"{API}/services", {"opd": "diskominfo"}).json()
    assert [item["code"] for item in by_opd["items"]] == ["informasi-publik"]
    assert by_opd["items"][0]["sla_unit"] == "working_hours"
    unknown_opd = citizen.get(f"{API}/services", {"opd": "dinas-tidak-ada"})
    assert unknown_opd.status_code == 422
    assert fields(unknown_opd) == ["opd"]


def test_a_service_detail_shows_what_a_request_needs(citizen, road_service):
    road_service.fee = 0
    road_service.requirements = "Foto kerusakan"
    road_service.save()
    detail = citizen.get(f"{API}/services/jalan-rusak").json()
    assert detail["name"] == "Jalan rusak"
    assert (detail["opd"], detail["opd_name"]) == (
        "dpupr",
        "Dinas Pekerjaan Umum dan Penataan Ruang",
    )
    assert (detail["sla_amount"], detail["sla_unit"]) == (5, "working_days")
    assert detail["fee"] == 0
    assert detail["requirements"] == "Foto kerusakan"
    assert detail["legal_basis"] == "Perwali Kota Kediri tentang Standar Pelayanan"
    assert detail["pillar"] == "living"
    assert [(a["code"], a["required"], a["datatype"]) for a in detail["attributes"]] == [
        ("kerusakan", True, "singlevaluelist"),
        ("lebar", False, "number"),
    ]
    assert detail["attributes"][0]["values"] == [
        {"key": "lubang", "name": "Berlubang"},
        {"key": "retak", "name": "Retak"},
    ]


def test_a_service_that_takes_no_requests_is_not_found(citizen, road_service):
    road_service.active = False
    road_service.save()
    assert citizen.get(f"{API}/services/jalan-rusak").status_code == 404
    assert citizen.get(f"{API}/services/tidak-ada").status_code == 404


# Filing a request


def test_a_citizen_files_a_request_and_follows_it_by_its_status_link(citizen, road_service):
    response = post(citizen, "/requests", a_road_complaint())
    assert response.status_code == 201, response.json()
    answer = response.json()
    assert re.fullmatch(r"PCT-\d{4}-\d{6}", answer["number"])
    assert answer["status"] == "submitted"
    filed = ServiceRequest.objects.get(number=answer["number"])
    assert dt.datetime.fromisoformat(answer["due_at"]) == filed.due_at
    assert (filed.channel, filed.account, filed.region_id) == ("api", None, "35.71.01.1001")
    assert filed.attributes == {"kerusakan": "lubang", "lebar": "2"}

    status = citizen.get(f"{API}/status/{secret_of(answer['status_url'])}")
    assert status.status_code == 200
    view = status.json()
    assert (view["number"], view["service"], view["status"]) == (
        answer["number"],
        "jalan-rusak",
        "submitted",
    )
    assert [(e["kind"], e["status"]) for e in view["events"]] == [("status", "submitted")]


def test_an_app_with_no_session_files_without_a_csrf_token(road_service):
    app = Client(enforce_csrf_checks=True)
    assert post(app, "/requests", a_road_complaint()).status_code == 201


def test_a_point_on_the_map_finds_the_kelurahan(citizen, road_service):
    body = a_road_complaint(kelurahan=None, latitude="-7.818659", longitude=112.003402)
    response = post(citizen, "/requests", body)
    assert response.status_code == 201, response.json()
    assert ServiceRequest.objects.get().region_id == "35.71.01.1001"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"description": "   "}, "description"),
        ({"kelurahan": "99.99.99.9999"}, "kelurahan"),
        ({"kelurahan": "35.71"}, "kelurahan"),  # the city, not one of its kelurahan
        ({"phone": "call me"}, "phone"),
        ({"email": "budi@"}, "email"),
        ({"attributes": {"lebar": 2}}, "attributes.kerusakan"),
        ({"attributes": {"kerusakan": "banjir"}}, "attributes.kerusakan"),
        ({"service_code": "tidak-ada"}, "service_code"),
        ({"media_url": "javascript:alert(1)"}, "media_url"),
        ({"latitude": "-7.8"}, "longitude"),
    ],
)
def test_an_invalid_submission_is_422_naming_the_field_and_saves_nothing(
    citizen, road_service, changes, field
):
    response = post(citizen, "/requests", a_road_complaint(**changes))
    assert response.status_code == 422
    assert field in fields(response)
    assert not ServiceRequest.objects.exists()


def test_a_submission_without_a_description_is_422_naming_it(citizen, road_service):
    body = a_road_complaint()
    del body["description"]
    response = post(citizen, "/requests", body)
    assert response.status_code == 422
    assert fields(response) == ["description"]


def test_every_problem_of_a_submission_is_named_at_once(citizen, road_service):
    body = a_road_complaint(description="", phone="call me", attributes={})
    response = post(citizen, "/requests", body)
    assert response.status_code == 422
    assert set(fields(response)) == {"description", "phone", "attributes.kerusakan"}


def test_a_retry_with_the_same_idempotency_key_gets_the_same_request(citizen, road_service):
    key = "6f1c2a4e-3b8d-4f7a-9a51-0d2e8c7b1f00"
    first = post(citizen, "/requests", a_road_complaint(), **{"Idempotency-Key": key})
    retry = post(citizen, "/requests", a_road_complaint(), **{"Idempotency-Key": key})
    assert (first.status_code, retry.status_code) == (201, 200)
    assert retry.json()["number"] == first.json()["number"]
    assert retry.json()["status_url"] == first.json()["status_url"]
    assert ServiceRequest.objects.count() == 1


def test_an_idempotency_key_reused_for_another_request_is_refused(citizen, road_service):
    key = "kunci-1"
    post(citizen, "/requests", a_road_complaint(), **{"Idempotency-Key": key})
    other = post(
        citizen, "/requests", a_road_complaint(description="Lain"), **{"Idempotency-Key": key}
    )
    assert other.status_code == 422
    assert fields(other) == ["Idempotency-Key"]
    assert "status_url" not in other.json()


def test_submissions_beyond_the_limit_are_429(citizen, road_service, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "public_write": (1, 3600)}
    assert post(citizen, "/requests", a_road_complaint()).status_code == 201
    refused = post(citizen, "/requests", a_road_complaint())
    assert refused.status_code == 429
    assert refused.json()["message"]
    assert refused.json()["errors"] == []
    assert ServiceRequest.objects.count() == 1


def test_a_caller_with_a_token_files_under_their_account(road_service):
    account = User.objects.create_user(username="warga-budi", password=None)
    secret = issue_token(account, "aplikasi warga").secret
    response = post(Client(), "/requests", a_road_complaint(), Authorization=f"Bearer {secret}")
    assert response.status_code == 201
    assert ServiceRequest.objects.get().account == account


def test_a_signed_in_session_files_under_its_account_and_needs_the_csrf_token(
    client_for, road_service
):
    account = User.objects.create_user(username="warga-siti", password=None)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(account)
    assert post(browser, "/requests", a_road_complaint()).status_code == 403
    assert not ServiceRequest.objects.exists()
    assert post(client_for(account), "/requests", a_road_complaint()).status_code == 201
    assert ServiceRequest.objects.get().account == account


def test_a_wrong_token_is_401_rather_than_an_anonymous_request(citizen, road_service):
    response = post(citizen, "/requests", a_road_complaint(), Authorization="Bearer kc_wrong")
    assert response.status_code == 401
    assert not ServiceRequest.objects.exists()


# The citizen's status link


def test_the_status_link_shows_public_entries_but_no_internal_note_or_contact(
    citizen, assigned_request, dpupr_officer
):
    workflow.add_update(dpupr_officer, assigned_request, "Menunggu anggaran Bappeda", public=False)
    workflow.add_update(dpupr_officer, assigned_request, "Tim datang hari Rabu", public=True)
    response = citizen.get(f"{API}/status/{assigned_request.access_secret}")
    assert response.status_code == 200
    view = response.json()
    assert view["status"] == "assigned"
    assert view["opd"] == "dpupr"
    texts = [event["text"] for event in view["events"]]
    assert "Tim datang hari Rabu" in texts
    page = response.content.decode()
    assert "Menunggu anggaran Bappeda" not in page
    for private in ("3456", "Budi", "Santoso", "example.id", "officer-dpupr"):
        assert private not in page


def test_an_unknown_secret_is_404(citizen, road_request):
    assert citizen.get(f"{API}/status/not-the-secret").status_code == 404
    assert post(citizen, "/status/not-the-secret/confirm").status_code == 404
    assert post(citizen, "/status/not-the-secret/reopen", {"reason": "x"}).status_code == 404


def test_the_citizen_confirms_a_resolved_request_through_the_status_link(
    citizen, assigned_request, dpupr_officer
):
    secret = assigned_request.access_secret
    early = post(citizen, f"/status/{secret}/confirm")
    assert early.status_code == 422
    assert fields(early) == ["status"]
    workflow.resolve(dpupr_officer, assigned_request, "Lubang sudah ditambal")
    before = citizen.get(f"{API}/status/{secret}").json()
    assert (before["status"], before["can_confirm"], before["can_reopen"]) == (
        "resolved",
        True,
        True,
    )
    assert before["events"][-1]["text"] == "Lubang sudah ditambal"
    confirmed = post(citizen, f"/status/{secret}/confirm")
    assert confirmed.status_code == 200
    assert confirmed.json()["status"] == "closed"
    assigned_request.refresh_from_db()
    assert assigned_request.status == "closed"


def test_the_citizen_reopens_a_resolved_request_giving_a_reason(
    citizen, assigned_request, dpupr_officer
):
    secret = assigned_request.access_secret
    workflow.resolve(dpupr_officer, assigned_request, "Lubang sudah ditambal")
    without_reason = post(citizen, f"/status/{secret}/reopen", {"reason": "  "})
    assert without_reason.status_code == 422
    assert fields(without_reason) == ["reason"]
    reopened = post(citizen, f"/status/{secret}/reopen", {"reason": "Tambalan sudah lepas"})
    assert reopened.status_code == 200
    view = reopened.json()
    assert view["status"] == "assigned"
    assert (view["events"][-1]["kind"], view["events"][-1]["text"]) == (
        "reopen",
        "Tambalan sudah lepas",
    )
    assigned_request.refresh_from_db()
    assert assigned_request.reopened == 1


def test_a_merged_duplicate_shows_its_main_requests_status(
    citizen, road_service, file_request, assigned_request, desk_officer, dpupr_officer
):
    duplicate = file_request(road_service, phone="0813-1111-2222")
    workflow.merge(desk_officer, duplicate, assigned_request)
    workflow.resolve(dpupr_officer, assigned_request, "Lubang sudah ditambal")
    view = citizen.get(f"{API}/status/{duplicate.access_secret}").json()
    assert view["number"] == duplicate.number
    assert (view["status"], view["merged_into"]) == ("resolved", assigned_request.number)
    assert view["can_confirm"] is False
    assert "Lubang sudah ditambal" in [event["text"] for event in view["events"]]
    refused = post(citizen, f"/status/{duplicate.access_secret}/confirm")
    assert refused.status_code == 422
    assert fields(refused) == ["status"]


# The staff's queues


def numbers(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return sorted(item["number"] for item in response.json()["items"])


@pytest.fixture
def three_requests(road_service, info_service, file_request, desk_officer):
    """A submitted and an assigned DPUPR road complaint, and an assigned Diskominfo
    information request."""
    submitted = file_request(road_service)
    assigned = workflow.assign(desk_officer, file_request(road_service))
    other_opd = workflow.assign(desk_officer, file_request(info_service))
    return submitted, assigned, other_opd


def test_an_opd_officer_lists_only_their_opds_assigned_requests(
    client_for, dpupr_officer, three_requests
):
    _submitted, assigned, _other_opd = three_requests
    listed = client_for(dpupr_officer).get(f"{API}/requests")
    assert numbers(listed) == [assigned.number]
    item = listed.json()["items"][0]
    assert (item["service"], item["category"], item["opd"], item["status"]) == (
        "jalan-rusak",
        "complaint",
        "dpupr",
        "assigned",
    )
    assert (item["kelurahan"], item["kelurahan_name"]) == ("35.71.01.1001", "Bandar Lor")


@pytest.mark.parametrize("persona", ["desk_officer", "administrator", "executive"])
def test_the_desk_and_the_executives_list_every_request(
    request, client_for, three_requests, persona
):
    listed = client_for(request.getfixturevalue(persona)).get(f"{API}/requests")
    assert numbers(listed) == sorted(r.number for r in three_requests)


def test_an_officer_of_another_opd_gets_404_on_a_request(
    client_for, dinsos_officer, assigned_request
):
    client = client_for(dinsos_officer)
    number = assigned_request.number
    assert client.get(f"{API}/requests").json()["count"] == 0
    assert client.get(f"{API}/requests/{number}").status_code == 404
    assert client.get(f"{API}/requests/{number}/contact").status_code == 404
    assert post(client, f"/requests/{number}/start").status_code == 404
    assigned_request.refresh_from_db()
    assert assigned_request.status == "assigned"


def test_the_queues_need_a_signed_in_user_with_a_role(citizen, client_for, assigned_request):
    assert citizen.get(f"{API}/requests").status_code == 401
    assert citizen.get(f"{API}/requests/{assigned_request.number}").status_code == 401
    nobody = User.objects.create_user(username="nobody", password=None)
    assert client_for(nobody).get(f"{API}/requests").status_code == 403


def test_the_list_filters_by_status_opd_service_area_dates_and_overdue(
    client_for, desk_officer, road_service, info_service, file_request
):
    now = timezone.now()
    late = file_request(road_service, at=now - dt.timedelta(days=30))
    fresh = file_request(
        road_service,
        at=now,
        region=Region.objects.get(code=SEMAMPIR),
        attributes={"kerusakan": "retak"},
    )
    info = workflow.assign(desk_officer, file_request(info_service, at=now))
    client = client_for(desk_officer)

    def listed(**query) -> list[str]:
        return numbers(client.get(f"{API}/requests", query))

    assert listed(status="assigned") == [info.number]
    assert listed(opd="dpupr") == sorted([late.number, fresh.number])
    assert listed(service="informasi-publik") == [info.number]
    assert listed(kelurahan="35.71.02") == [fresh.number]
    assert listed(kelurahan=SEMAMPIR) == [fresh.number]
    since = (now - dt.timedelta(days=1)).date().isoformat()
    assert listed(submitted_from=since) == sorted([fresh.number, info.number])
    assert listed(submitted_to=(now - dt.timedelta(days=29)).date().isoformat()) == [late.number]
    assert listed(overdue="true") == [late.number]
    assert listed(overdue="false") == sorted([fresh.number, info.number])
    overdue_item = client.get(f"{API}/requests", {"overdue": "true"}).json()["items"][0]
    assert overdue_item["overdue"] is True
    for query, field in (({"opd": "x"}, "opd"), ({"service": "x"}, "service")):
        refused = client.get(f"{API}/requests", query)
        assert (refused.status_code, fields(refused)) == (422, [field])


def test_the_detail_shows_the_whole_timeline_to_the_staff(
    client_for, assigned_request, dpupr_officer
):
    workflow.add_update(dpupr_officer, assigned_request, "Menunggu anggaran Bappeda", public=False)
    detail = client_for(dpupr_officer).get(f"{API}/requests/{assigned_request.number}")
    assert detail.status_code == 200
    body = detail.json()
    assert body["description"] == "Jalan berlubang besar di depan SD"
    assert body["attributes"] == {"kerusakan": "lubang"}
    assert body["photo_count"] == 0
    assert [(e["kind"], e["to_status"], e["public"]) for e in body["events"]] == [
        ("status", "submitted", True),
        ("status", "verified", True),
        ("status", "assigned", True),
        ("note", None, False),
    ]
    assert body["events"][-1]["text"] == "Menunggu anggaran Bappeda"
    assert body["events"][-1]["actor"] == "officer-dpupr"


# The workflow through the API


def test_a_request_goes_the_whole_way_through_the_api(
    client_for, road_request, desk_officer, dpupr_officer
):
    desk, opd = client_for(desk_officer), client_for(dpupr_officer)
    number = road_request.number

    def step(client: Client, action: str, body: dict | None = None) -> dict:
        response = post(client, f"/requests/{number}/{action}", body)
        assert response.status_code == 200, response.json()
        return response.json()

    assert post(opd, f"/requests/{number}/verify").status_code == 404  # not in its queue yet
    assert step(desk, "verify")["status"] == "verified"
    assigned = step(desk, "assign", {"opd": "dpupr"})
    assert (assigned["status"], assigned["opd"]) == ("assigned", "dpupr")
    refused = post(opd, f"/requests/{number}/verify")
    assert refused.status_code == 403
    assert step(opd, "start")["status"] == "in_progress"
    no_answer = post(opd, f"/requests/{number}/resolve", {"answer": ""})
    assert (no_answer.status_code, fields(no_answer)) == (422, ["answer"])
    assert step(opd, "resolve", {"answer": "Lubang sudah ditambal"})["status"] == "resolved"
    closed = step(opd, "close")
    assert closed["status"] == "closed"
    assert [e["to_status"] for e in closed["events"] if e["kind"] == "status"] == [
        "submitted",
        "verified",
        "assigned",
        "in_progress",
        "resolved",
        "closed",
    ]
    road_request.refresh_from_db()
    assert road_request.status == "closed"


def test_an_assignment_names_an_unknown_opd(client_for, road_request, desk_officer):
    response = post(
        client_for(desk_officer), f"/requests/{road_request.number}/assign", {"opd": "x"}
    )
    assert (response.status_code, fields(response)) == (422, ["opd"])


def test_an_executive_reads_but_cannot_act(client_for, executive, dpupr_officer, assigned_request):
    client = client_for(executive)
    number = assigned_request.number
    assert client.get(f"{API}/requests/{number}").status_code == 200
    assert post(client, f"/requests/{number}/start").status_code == 403
    assert (
        post(client, f"/requests/{number}/updates", {"text": "x", "public": True}).status_code
        == 403
    )
    workflow.resolve(dpupr_officer, assigned_request, "Selesai")
    assert post(client, f"/requests/{number}/close").status_code == 403
    assigned_request.refresh_from_db()
    assert assigned_request.status == "resolved"


def test_a_transfer_needs_a_reason_and_moves_the_request(
    client_for, assigned_request, dpupr_officer, dinsos, dinsos_officer
):
    client = client_for(dpupr_officer)
    number = assigned_request.number
    no_reason = post(client, f"/requests/{number}/transfer", {"opd": "dinsos", "reason": " "})
    assert (no_reason.status_code, fields(no_reason)) == (422, ["reason"])
    moved = post(
        client, f"/requests/{number}/transfer", {"opd": "dinsos", "reason": "Bukan jalan kota"}
    )
    assert moved.status_code == 200, moved.json()
    assert (moved.json()["opd"], moved.json()["status"]) == ("dinsos", "assigned")
    note = moved.json()["events"][-1]
    assert (note["kind"], note["text"], note["public"]) == ("note", "Bukan jalan kota", False)
    assert client.get(f"{API}/requests/{number}").status_code == 404
    assert client_for(dinsos_officer).get(f"{API}/requests/{number}").status_code == 200


def test_a_rejection_needs_a_reason_which_the_citizen_reads(
    citizen, client_for, road_request, desk_officer
):
    client = client_for(desk_officer)
    number = road_request.number
    no_reason = post(client, f"/requests/{number}/reject", {"reason": ""})
    assert (no_reason.status_code, fields(no_reason)) == (422, ["reason"])
    missing = post(client, f"/requests/{number}/reject", {})
    assert (missing.status_code, fields(missing)) == (422, ["reason"])
    rejected = post(client, f"/requests/{number}/reject", {"reason": "Jalan provinsi"})
    assert rejected.json()["status"] == "rejected"
    view = citizen.get(f"{API}/status/{road_request.access_secret}").json()
    assert (view["status"], view["events"][-1]["text"]) == ("rejected", "Jalan provinsi")


def test_a_request_that_cannot_move_from_its_status_is_422_naming_status(
    client_for, road_request, desk_officer
):
    client = client_for(desk_officer)
    number = road_request.number
    unresolved = post(client, f"/requests/{number}/close")
    assert (unresolved.status_code, fields(unresolved)) == (422, ["status"])
    post(client, f"/requests/{number}/reject", {"reason": "Spam"})
    finished = post(client, f"/requests/{number}/verify")
    assert (finished.status_code, fields(finished)) == (422, ["status"])


def test_the_desk_merges_a_duplicate_which_then_cannot_move(
    client_for, road_service, file_request, road_request, desk_officer
):
    duplicate = file_request(road_service, phone="0813-1111-2222")
    client = client_for(desk_officer)
    unknown = post(client, f"/requests/{duplicate.number}/merge", {"into": "PCT-2026-999999"})
    assert (unknown.status_code, fields(unknown)) == (422, ["into"])
    itself = post(client, f"/requests/{duplicate.number}/merge", {"into": duplicate.number})
    assert (itself.status_code, fields(itself)) == (422, ["into"])
    merged = post(client, f"/requests/{duplicate.number}/merge", {"into": road_request.number})
    assert merged.status_code == 200, merged.json()
    assert merged.json()["merged_into"] == road_request.number
    main = client.get(f"{API}/requests/{road_request.number}").json()
    assert main["duplicates"] == [duplicate.number]
    again = post(client, f"/requests/{duplicate.number}/merge", {"into": road_request.number})
    assert (again.status_code, fields(again)) == (422, ["status"])
    stuck = post(client, f"/requests/{duplicate.number}/verify")
    assert (stuck.status_code, fields(stuck)) == (422, ["status"])


def test_staff_write_public_updates_and_internal_notes(
    citizen, client_for, assigned_request, dpupr_officer
):
    client = client_for(dpupr_officer)
    number = assigned_request.number
    empty = post(client, f"/requests/{number}/updates", {"text": "", "public": True})
    assert (empty.status_code, fields(empty)) == (422, ["text"])
    post(client, f"/requests/{number}/updates", {"text": "Tim datang Rabu", "public": True})
    noted = post(client, f"/requests/{number}/updates", {"text": "Cek anggaran", "public": False})
    assert [(e["text"], e["public"]) for e in noted.json()["events"][-2:]] == [
        ("Tim datang Rabu", True),
        ("Cek anggaran", False),
    ]
    page = citizen.get(f"{API}/status/{assigned_request.access_secret}").content.decode()
    assert "Tim datang Rabu" in page
    assert "Cek anggaran" not in page


# Contact details


def test_the_contact_is_masked_in_the_detail(client_for, desk_officer, road_request):
    response = client_for(desk_officer).get(f"{API}/requests/{road_request.number}")
    assert response.json()["contact"] == {
        "anonymous": False,
        "hidden": False,
        "name": "B.",
        "phone": "0812******90",
        "email": "b**********o@example.id",
    }
    assert response.json()["can_see_contact"] is True
    page = response.content.decode()
    assert "3456" not in page and "Santoso" not in page and "budi.santoso" not in page
    assert not PersonalDataAccess.objects.exists()


def test_the_desk_reads_the_contact_unmasked_and_the_look_is_recorded(
    client_for, desk_officer, road_request
):
    response = client_for(desk_officer).get(f"{API}/requests/{road_request.number}/contact")
    assert response.status_code == 200
    assert response.json() == {
        "first_name": "Budi",
        "last_name": "Santoso",
        "phone": "0812-3456-7890",
        "email": "budi.santoso@example.id",
    }
    access = PersonalDataAccess.objects.get()
    assert (access.user, access.action, access.fields) == (desk_officer, "view", "phone,email,name")
    assert (access.subject_type, access.subject_id) == (
        "servicedesk.servicerequest",
        str(road_request.pk),
    )


def test_the_opd_cannot_see_who_filed_an_anonymous_complaint(
    client_for, road_service, file_request, desk_officer, dpupr_officer
):
    complaint = workflow.assign(desk_officer, file_request(road_service, anonymous=True))
    client = client_for(dpupr_officer)
    detail = client.get(f"{API}/requests/{complaint.number}").json()
    assert detail["contact"] == {
        "anonymous": True,
        "hidden": True,
        "name": None,
        "phone": None,
        "email": None,
    }
    assert detail["can_see_contact"] is False
    refused = client.get(f"{API}/requests/{complaint.number}/contact")
    assert refused.status_code == 403
    assert not PersonalDataAccess.objects.exists()
    # The desk still may.
    desk = client_for(desk_officer)
    assert desk.get(f"{API}/requests/{complaint.number}").json()["contact"]["hidden"] is False
    assert desk.get(f"{API}/requests/{complaint.number}/contact").status_code == 200


def test_the_opd_handling_a_named_request_may_read_its_contact(
    client_for, dpupr_officer, assigned_request
):
    response = client_for(dpupr_officer).get(f"{API}/requests/{assigned_request.number}/contact")
    assert response.status_code == 200
    assert PersonalDataAccess.objects.get().user == dpupr_officer


# The holiday calendar


def test_anyone_reads_the_holidays_of_a_year(citizen, holidays):
    response = citizen.get(f"{API}/holidays", {"year": 2026, "limit": 500})
    assert response.status_code == 200
    days = response.json()["items"]
    assert days and all(day["date"].startswith("2026-") for day in days)
    assert "2026-08-17" in [day["date"] for day in days]
    assert [day["date"] for day in days] == sorted(day["date"] for day in days)


def test_only_administrators_keep_the_holidays(
    citizen, client_for, administrator, dpupr_officer, holidays
):
    day = {"date": "2026-12-28", "name": "Hari jadi Kota Kediri", "kind": "local"}
    assert post(citizen, "/holidays", day).status_code == 401
    assert post(client_for(dpupr_officer), "/holidays", day).status_code == 403
    assert not Holiday.objects.filter(date="2026-12-28").exists()

    admin = client_for(administrator)
    added = post(admin, "/holidays", day)
    assert added.status_code == 201
    assert added.json() == day
    again = post(admin, "/holidays", {**day, "name": "Lagi"})
    assert (again.status_code, fields(again)) == (422, ["date"])

    assert client_for(dpupr_officer).delete(f"{API}/holidays/2026-12-28").status_code == 403
    assert admin.delete(f"{API}/holidays/2026-12-28").status_code == 204
    assert not Holiday.objects.filter(date="2026-12-28").exists()
    assert admin.delete(f"{API}/holidays/2026-12-28").status_code == 404


def test_the_openapi_document_lists_the_service_desk(citizen):
    paths = citizen.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/servicedesk/services",
        "/api/v1/servicedesk/requests",
        "/api/v1/servicedesk/requests/{number}/contact",
        "/api/v1/servicedesk/status/{secret}",
        "/api/v1/servicedesk/holidays/{date}",
    ):
        assert path in paths
    parameters = paths["/api/v1/servicedesk/requests"]["post"]["parameters"]
    assert "Idempotency-Key" in [parameter["name"] for parameter in parameters]
