"""Open311 GeoReport v2 at /open311/v2/: the catalogue, filing a request with a client key, the
public record of requests with its filters, and the spec's errors, in JSON and XML. The public
record never carries who filed a request."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from kotacerdas.servicedesk import keys, workflow
from kotacerdas.servicedesk.choices import AttributeType, Channel
from kotacerdas.servicedesk.models import Service, ServiceAttribute, ServiceRequest
from kotacerdas.servicedesk.tests.fixtures import BANDAR_LOR

pytestmark = pytest.mark.django_db

BASE = "/open311/v2"
PHONE = "0812-3456-7890"
EMAIL = "warga.bandar@example.id"
# ISO 8601 with the city's offset, to the second.
WIB_DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$")
REQUEST_KEYS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}


def parse_xml(response) -> ET.Element:
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    body = response.content.decode()
    assert body.startswith('<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(body)  # noqa: S314 - our own answer, not outside input


def days_ago(days: float) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


@pytest.fixture
def api_key(db) -> str:
    return keys.issue_key("Aplikasi Kediri Cerdas").secret


@pytest.fixture
def post_request(citizen, road_service, api_key):
    """POST requests.json (or .xml) as a client with a valid key: a road complaint at Bandar
    Lor unless ``params`` say otherwise (None drops a parameter)."""

    def post(fmt: str = "json", headers: dict | None = None, **params):
        values = {
            "api_key": api_key,
            "service_code": road_service.code,
            "lat": str(BANDAR_LOR[0]),
            "long": str(BANDAR_LOR[1]),
            "description": "Jalan berlubang di depan SDN Bandar Lor 1",
            "attribute[kerusakan]": "lubang",
            **params,
        }
        values = {name: value for name, value in values.items() if value is not None}
        return citizen.post(f"{BASE}/requests.{fmt}", values, headers=headers or {})

    return post


def descriptions(response) -> list[str]:
    return [error["description"] for error in response.json()]


# ---------------------------------------------------------------------------------------------
# The catalogue


def test_services_list_shows_active_services_with_their_group(citizen, road_service, info_service):
    # Given a retired service besides the two active ones
    Service.objects.filter(pk=info_service.pk).update(keywords="informasi, PPID")
    retired = Service.objects.create(
        code="lama",
        name="Layanan lama",
        category="complaint",
        opd=road_service.opd,
        sla_amount=1,
        active=False,
    )

    # When a client reads the catalogue
    response = citizen.get(f"{BASE}/services.json", headers={"accept-language": "en"})

    # Then it gets the active services only, in the spec's shape
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    services = {service["service_code"]: service for service in response.json()}
    assert set(services) == {"jalan-rusak", "informasi-publik"}
    assert retired.code not in services
    assert services["jalan-rusak"] == {
        "service_code": "jalan-rusak",
        "service_name": "Jalan rusak",
        "description": "Laporan jalan berlubang atau rusak",
        "metadata": True,
        "type": "realtime",
        "keywords": "",
        "group": "Complaint",
    }
    assert services["informasi-publik"]["metadata"] is False
    assert services["informasi-publik"]["keywords"] == "informasi, PPID"
    assert services["informasi-publik"]["group"] == "Information request"


def test_services_list_in_xml_has_one_service_element_each(citizen, road_service, info_service):
    root = parse_xml(citizen.get(f"{BASE}/services.xml", headers={"accept-language": "en"}))

    assert root.tag == "services"
    by_code = {service.findtext("service_code"): service for service in root.findall("service")}
    assert set(by_code) == {"jalan-rusak", "informasi-publik"}
    road = by_code["jalan-rusak"]
    assert road.findtext("service_name") == "Jalan rusak"
    assert road.findtext("metadata") == "true"
    assert road.findtext("type") == "realtime"
    assert road.findtext("group") == "Complaint"
    assert by_code["informasi-publik"].findtext("metadata") == "false"


def test_service_definition_lists_the_questions_in_order_with_their_choices(citizen, road_service):
    response = citizen.get(f"{BASE}/services/jalan-rusak.json")

    assert response.status_code == 200
    definition = response.json()
    assert definition["service_code"] == "jalan-rusak"
    first, second = definition["attributes"]
    assert first == {
        "variable": True,
        "code": "kerusakan",
        "datatype": "singlevaluelist",
        "required": True,
        "datatype_description": first["datatype_description"],
        "order": 1,
        "description": "Jenis kerusakan",
        "values": [{"key": "lubang", "name": "Berlubang"}, {"key": "retak", "name": "Retak"}],
    }
    assert isinstance(first["datatype_description"], str) and first["datatype_description"]
    assert (second["code"], second["datatype"], second["required"]) == ("lebar", "number", False)
    assert second["values"] == []


def test_service_definition_in_xml_nests_attributes_and_values(citizen, road_service):
    root = parse_xml(citizen.get(f"{BASE}/services/jalan-rusak.xml"))

    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "jalan-rusak"
    attributes = root.findall("attributes/attribute")
    assert [a.findtext("code") for a in attributes] == ["kerusakan", "lebar"]
    assert attributes[0].findtext("variable") == "true"
    assert attributes[0].findtext("required") == "true"
    assert attributes[0].findtext("order") == "1"
    assert [(v.findtext("key"), v.findtext("name")) for v in attributes[0].iter("value")] == [
        ("lubang", "Berlubang"),
        ("retak", "Retak"),
    ]


def test_definition_of_an_unknown_or_retired_service_is_a_spec_404(citizen, road_service):
    Service.objects.filter(pk=road_service.pk).update(active=False)

    for code in ("jalan-rusak", "tidak-ada"):
        response = citizen.get(f"{BASE}/services/{code}.json", headers={"accept-language": "en"})
        assert response.status_code == 404
        assert response.json() == [{"code": 404, "description": "service_code: not found"}]


# ---------------------------------------------------------------------------------------------
# Filing a request


def test_client_files_a_request_at_a_point_in_the_city(post_request, api_key):
    response = post_request(phone=PHONE, email=EMAIL, first_name="Siti", device_id="hp-01")

    assert response.status_code == 201
    [answer] = response.json()
    filed = ServiceRequest.objects.get()
    assert answer == {
        "service_request_id": filed.number,
        "token": filed.public_token,
        "service_notice": "",
        "account_id": None,
    }
    assert filed.number.startswith("PCT-")
    assert filed.channel == Channel.OPEN311
    assert filed.client_key == keys.client_for_key(api_key)
    # intake placed the point in its kelurahan and kept the answers and the contact
    assert filed.region_id == "35.71.01.1001"
    assert (filed.latitude, filed.longitude) == BANDAR_LOR
    assert filed.attributes == {"kerusakan": "lubang"}
    assert (filed.phone, filed.email, filed.device_id) == (PHONE, EMAIL, "hp-01")


def test_each_choice_of_a_multivaluelist_is_sent_as_attribute_code_brackets(
    post_request, road_service
):
    ServiceAttribute.objects.create(
        service=road_service,
        code="sisi",
        order=3,
        datatype=AttributeType.MULTI,
        description="Sisi jalan",
        values=[{"key": "kiri", "name": "Kiri"}, {"key": "kanan", "name": "Kanan"}],
    )

    response = post_request(**{"attribute[sisi][]": ["kiri", "kanan"], "attribute[lebar]": "2"})

    assert response.status_code == 201
    filed = ServiceRequest.objects.get()
    assert filed.attributes == {"kerusakan": "lubang", "sisi": ["kiri", "kanan"], "lebar": "2"}


def test_missing_required_attribute_is_400_naming_it_and_nothing_is_filed(post_request):
    response = post_request(**{"attribute[kerusakan]": None})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json; charset=utf-8"
    [error] = response.json()
    assert error["code"] == 400
    assert error["description"].startswith("attribute[kerusakan]: ")
    assert not ServiceRequest.objects.exists()


def test_every_problem_gets_its_own_error_entry(post_request):
    response = post_request(
        description="", media_url="ftp://example.id/foto.jpg", **{"attribute[kerusakan]": "x"}
    )

    assert response.status_code == 400
    fields = sorted(description.split(":")[0] for description in descriptions(response))
    assert fields == ["attribute[kerusakan]", "description", "media_url"]
    assert all(error["code"] == 400 for error in response.json())


def test_point_outside_the_city_is_400_naming_lat(post_request):
    # Surabaya
    response = post_request(lat="-7.257472", long="112.752090")

    assert response.status_code == 400
    assert [d.split(":")[0] for d in descriptions(response)] == ["lat"]
    assert not ServiceRequest.objects.exists()


@pytest.mark.parametrize(
    ("params", "field"),
    [({"lat": "tujuh"}, "lat"), ({"long": "1e5x"}, "long"), ({"lat": "NaN"}, "lat")],
)
def test_coordinate_that_is_not_a_number_is_400_naming_it(post_request, params, field):
    response = post_request(description="", **params)

    assert response.status_code == 400
    fields = [d.split(":")[0] for d in descriptions(response)]
    # the malformed coordinate is named, and the rest of the form is still checked
    assert fields == [field, "description"]
    assert not ServiceRequest.objects.exists()


def test_request_without_any_location_is_400(post_request):
    response = post_request(lat=None, long=None)

    assert response.status_code == 400
    assert [d.split(":")[0] for d in descriptions(response)] == ["lat"]


def test_address_string_alone_is_location_enough(post_request):
    response = post_request(lat=None, long=None, address_string="Jl. Hayam Wuruk 12")

    assert response.status_code == 201
    assert ServiceRequest.objects.get().address_string == "Jl. Hayam Wuruk 12"


@pytest.mark.parametrize("service_code", ["tidak-ada", ""])
def test_unknown_or_missing_service_code_is_400(post_request, service_code):
    response = post_request(service_code=service_code)

    assert response.status_code == 400
    [description] = descriptions(response)
    assert description.startswith("service_code: ")
    assert not ServiceRequest.objects.exists()


def test_without_a_valid_api_key_nothing_is_filed(post_request, api_key):
    revoked = keys.issue_key("Kios lama")
    keys.revoke_key(revoked.key)

    for key in (None, "", "o311_not-a-real-key", revoked.secret):
        response = post_request(api_key=key)
        assert response.status_code == 403, key
        [error] = response.json()
        assert error["code"] == 403
        assert error["description"].startswith("api_key: ")
    assert not ServiceRequest.objects.exists()


def test_retry_with_the_same_idempotency_key_returns_the_first_request(post_request):
    first = post_request(headers={"Idempotency-Key": "3f0c1a"})
    retry = post_request(headers={"Idempotency-Key": "3f0c1a"})
    other = post_request(headers={"Idempotency-Key": "77aa09"})

    assert (first.status_code, retry.status_code, other.status_code) == (201, 200, 201)
    assert retry.json() == first.json()
    assert other.json()[0]["service_request_id"] != first.json()[0]["service_request_id"]
    assert ServiceRequest.objects.count() == 2


def test_retry_with_the_same_device_id_and_client_token_returns_the_first_request(post_request):
    first = post_request(device_id="hp-01", client_token="kirim-1")
    retry = post_request(device_id="hp-01", client_token="kirim-1")
    next_one = post_request(device_id="hp-01", client_token="kirim-2")

    assert (first.status_code, retry.status_code, next_one.status_code) == (201, 200, 201)
    assert retry.json() == first.json()
    assert ServiceRequest.objects.count() == 2


def test_device_id_alone_is_no_retry_key(post_request):
    post_request(device_id="hp-01")
    post_request(device_id="hp-01")

    assert ServiceRequest.objects.count() == 2


def test_idempotency_keys_of_two_clients_never_collide(post_request):
    other_client = keys.issue_key("Kios kelurahan").secret

    post_request(headers={"Idempotency-Key": "1"})
    response = post_request(api_key=other_client, headers={"Idempotency-Key": "1"})

    assert response.status_code == 201
    assert ServiceRequest.objects.count() == 2


def test_post_in_xml_answers_with_the_tracking_number_and_token(post_request):
    root = parse_xml(post_request(fmt="xml"))

    filed = ServiceRequest.objects.get()
    assert root.tag == "service_requests"
    request = root.find("request")
    assert request.findtext("service_request_id") == filed.number
    assert request.findtext("token") == filed.public_token
    assert request.find("account_id") is not None


def test_clients_post_without_a_csrf_token(road_service, api_key):
    browserless = Client(enforce_csrf_checks=True)

    response = browserless.post(
        f"{BASE}/requests.json",
        {
            "api_key": api_key,
            "service_code": road_service.code,
            "address_string": "Jl. Dhoho 1",
            "description": "Lampu jalan mati",
            "attribute[kerusakan]": "retak",
        },
    )

    assert response.status_code == 201


# ---------------------------------------------------------------------------------------------
# The public record


def test_request_list_shows_the_public_record_newest_first(citizen, file_request, road_service):
    older = file_request(road_service, at=days_ago(3))
    newer = file_request(
        road_service,
        at=days_ago(1),
        latitude=BANDAR_LOR[0],
        longitude=BANDAR_LOR[1],
        address_string="Jl. Hayam Wuruk",
        media_url="https://foto.example.id/1.jpg",
    )

    response = citizen.get(f"{BASE}/requests.json")

    assert response.status_code == 200
    rows = response.json()
    assert [row["service_request_id"] for row in rows] == [newer.number, older.number]
    row = rows[0]
    assert set(row) == REQUEST_KEYS
    assert row["status"] == "open"
    assert row["status_notes"] == ""
    assert (row["service_code"], row["service_name"]) == ("jalan-rusak", "Jalan rusak")
    assert row["agency_responsible"] == "Dinas Pekerjaan Umum dan Penataan Ruang"
    assert row["description"] == "Jalan berlubang besar di depan SD"
    assert row["address"] == "Jl. Hayam Wuruk"
    assert (row["lat"], row["long"]) == (-7.818659, 112.003402)
    assert row["media_url"] == "https://foto.example.id/1.jpg"
    for name in ("requested_datetime", "updated_datetime", "expected_datetime"):
        assert WIB_DATETIME.match(row[name]), row[name]
    assert dt.datetime.fromisoformat(row["requested_datetime"]) == newer.submitted_at.replace(
        microsecond=0
    )
    assert dt.datetime.fromisoformat(row["expected_datetime"]) == newer.due_at.replace(
        microsecond=0
    )
    # a request placed by kelurahan only has no coordinates
    assert (rows[1]["lat"], rows[1]["long"], rows[1]["media_url"]) == (None, None, None)


def test_request_list_in_xml_has_one_request_element_each(citizen, file_request, road_service):
    filed = file_request(road_service, at=days_ago(1))

    root = parse_xml(citizen.get(f"{BASE}/requests.xml"))

    assert root.tag == "service_requests"
    [request] = root.findall("request")
    assert request.findtext("service_request_id") == filed.number
    assert request.findtext("status") == "open"
    assert request.findtext("service_code") == "jalan-rusak"
    assert WIB_DATETIME.match(request.findtext("requested_datetime"))
    assert request.find("lat").text is None


def test_finished_requests_are_closed_with_the_answer_as_status_notes(
    citizen, file_request, road_service, desk_officer, dpupr_officer
):
    resolved = file_request(road_service, at=days_ago(4))
    workflow.assign(desk_officer, resolved)
    workflow.resolve(dpupr_officer, resolved, "Lubang sudah ditambal aspal.")
    workflow.add_update(dpupr_officer, resolved, "Catatan internal: tim B", public=False)
    rejected = file_request(road_service, at=days_ago(3))
    workflow.reject(desk_officer, rejected, "Jalan provinsi, bukan kewenangan kota.")
    waiting = file_request(road_service, at=days_ago(2))

    rows = {row["service_request_id"]: row for row in citizen.get(f"{BASE}/requests.json").json()}

    assert rows[resolved.number]["status"] == "closed"
    # the newest public note, never an internal one
    assert rows[resolved.number]["status_notes"] == "Lubang sudah ditambal aspal."
    assert rows[rejected.number]["status"] == "closed"
    assert rows[rejected.number]["status_notes"] == "Jalan provinsi, bukan kewenangan kota."
    assert rows[waiting.number]["status"] == "open"


def test_a_reopening_shows_as_such_but_not_the_reporters_words(
    citizen, file_request, road_service, desk_officer, dpupr_officer
):
    filed = file_request(road_service, at=days_ago(3))
    workflow.assign(desk_officer, filed)
    workflow.resolve(dpupr_officer, filed, "Sudah ditambal.")
    workflow.reopen(filed, "Masih berlubang, hubungi saya di 0812-3456-7890")

    response = citizen.get(
        f"{BASE}/requests/{filed.number}.json", headers={"accept-language": "en"}
    )

    [row] = response.json()
    assert row["status"] == "open"
    assert row["status_notes"] == "Reopened: the reporter says it is not done."
    assert "0812" not in response.content.decode()


def test_request_list_filters_by_status(
    citizen, file_request, road_service, desk_officer, dpupr_officer
):
    done = file_request(road_service, at=days_ago(2))
    workflow.assign(desk_officer, done)
    workflow.resolve(dpupr_officer, done, "Sudah diperbaiki.")
    waiting = file_request(road_service, at=days_ago(1))

    def listed(status: str) -> list[str]:
        response = citizen.get(f"{BASE}/requests.json", {"status": status})
        assert response.status_code == 200
        return [row["service_request_id"] for row in response.json()]

    assert listed("open") == [waiting.number]
    assert listed("closed") == [done.number]
    assert listed("open,closed") == [waiting.number, done.number]


def test_request_list_filters_by_service_codes(
    citizen, file_request, road_service, aspiration_service
):
    road = file_request(road_service, at=days_ago(2))
    info = file_request(aspiration_service, at=days_ago(1))

    def listed(codes: str) -> list[str]:
        response = citizen.get(f"{BASE}/requests.json", {"service_code": codes})
        return [row["service_request_id"] for row in response.json()]

    assert listed("jalan-rusak") == [road.number]
    assert listed("aspirasi") == [info.number]
    assert listed("jalan-rusak,aspirasi") == [info.number, road.number]
    assert listed("tidak-ada") == []


def test_request_list_filters_by_dates_with_offset(citizen, file_request, road_service):
    day = timezone.localtime(days_ago(10)).replace(hour=9, minute=0, second=0, microsecond=0)
    before = file_request(road_service, at=day - dt.timedelta(days=1))
    within = file_request(road_service, at=day)
    after = file_request(road_service, at=day + dt.timedelta(days=1))

    response = citizen.get(
        f"{BASE}/requests.json",
        {
            "start_date": (day - dt.timedelta(hours=1)).isoformat(),
            "end_date": (day + dt.timedelta(hours=1)).isoformat(),
        },
    )
    only_start = citizen.get(f"{BASE}/requests.json", {"start_date": day.isoformat()})

    assert [row["service_request_id"] for row in response.json()] == [within.number]
    assert [row["service_request_id"] for row in only_start.json()] == [
        after.number,
        within.number,
    ]
    assert before.number not in only_start.content.decode()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start_date": "kemarin"}, "start_date"),
        ({"end_date": "2026-13-45T09:00:00+07:00"}, "end_date"),
        (
            {"start_date": "2026-11-10T00:00:00+07:00", "end_date": "2026-11-01T00:00:00+07:00"},
            "end_date",
        ),
        ({"status": "pending"}, "status"),
    ],
)
def test_bad_filter_is_400_naming_the_parameter(citizen, params, field):
    response = citizen.get(f"{BASE}/requests.json", params)

    assert response.status_code == 400
    [error] = response.json()
    assert error["code"] == 400
    assert error["description"].startswith(f"{field}: ")


def test_request_list_defaults_to_the_last_90_days(citizen, file_request, road_service):
    old = file_request(road_service, at=days_ago(100))
    recent = file_request(road_service, at=days_ago(5))

    default = citizen.get(f"{BASE}/requests.json")
    asked = citizen.get(
        f"{BASE}/requests.json", {"start_date": timezone.localtime(days_ago(101)).isoformat()}
    )

    assert [row["service_request_id"] for row in default.json()] == [recent.number]
    assert [row["service_request_id"] for row in asked.json()] == [recent.number, old.number]


def test_service_request_ids_pick_requests_whatever_the_other_filters(
    citizen, file_request, road_service, aspiration_service
):
    old = file_request(road_service, at=days_ago(200))
    recent = file_request(aspiration_service, at=days_ago(1))
    file_request(road_service, at=days_ago(2))

    response = citizen.get(
        f"{BASE}/requests.json",
        {"service_request_id": f"{old.number}, {recent.number}", "service_code": "tidak-ada"},
    )

    assert [row["service_request_id"] for row in response.json()] == [recent.number, old.number]


def test_limit_caps_the_list_and_must_be_1_to_1000(citizen, file_request, road_service):
    newest = file_request(road_service, at=days_ago(1))
    file_request(road_service, at=days_ago(2))
    file_request(road_service, at=days_ago(3))

    capped = citizen.get(f"{BASE}/requests.json", {"limit": "1"})

    assert [row["service_request_id"] for row in capped.json()] == [newest.number]
    for bad in ("0", "1001", "-5", "sepuluh"):
        response = citizen.get(f"{BASE}/requests.json", {"limit": bad})
        assert response.status_code == 400, bad
        assert response.json()[0]["description"].startswith("limit: ")


def test_request_list_reads_in_one_query_however_many_requests(
    citizen, file_request, road_service, desk_officer, django_assert_num_queries
):
    for days in range(1, 6):
        filed = file_request(road_service, at=days_ago(days))
        workflow.verify(desk_officer, filed)

    with django_assert_num_queries(1):
        response = citizen.get(f"{BASE}/requests.json")

    assert len(response.json()) == 5


def test_one_request_by_its_tracking_number(citizen, file_request, road_service):
    filed = file_request(road_service, at=days_ago(400))

    response = citizen.get(f"{BASE}/requests/{filed.number}.json")
    root = parse_xml(citizen.get(f"{BASE}/requests/{filed.number}.xml"))
    missing = citizen.get(
        f"{BASE}/requests/PCT-2026-999999.json", headers={"accept-language": "en"}
    )

    assert response.status_code == 200
    [row] = response.json()
    assert set(row) == REQUEST_KEYS
    assert row["service_request_id"] == filed.number
    assert [r.findtext("service_request_id") for r in root.findall("request")] == [filed.number]
    assert missing.status_code == 404
    assert missing.json() == [{"code": 404, "description": "service_request_id: not found"}]


def test_token_gives_the_tracking_number(citizen, post_request):
    [answer] = post_request().json()

    response = citizen.get(f"{BASE}/tokens/{answer['token']}.json")
    root = parse_xml(citizen.get(f"{BASE}/tokens/{answer['token']}.xml"))
    missing = citizen.get(f"{BASE}/tokens/0123456789abcdef.json")

    assert response.json() == [
        {"service_request_id": answer["service_request_id"], "token": answer["token"]}
    ]
    assert root.find("request").findtext("service_request_id") == answer["service_request_id"]
    assert missing.status_code == 404
    assert missing.json()[0]["code"] == 404


def test_no_answer_ever_carries_who_filed_the_request(citizen, post_request):
    [answer] = post_request(
        phone=PHONE, email=EMAIL, first_name="Siti", last_name="Rahayuningsih"
    ).json()
    filed = ServiceRequest.objects.get()
    urls = [
        f"{BASE}/requests.json",
        f"{BASE}/requests.xml",
        f"{BASE}/requests/{filed.number}.json",
        f"{BASE}/requests/{filed.number}.xml",
        f"{BASE}/tokens/{answer['token']}.json",
        f"{BASE}/tokens/{answer['token']}.xml",
    ]

    for url in urls:
        response = citizen.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert filed.number in body
        for personal in (PHONE, "81234567890", EMAIL, "Rahayuningsih", filed.access_secret):
            assert personal not in body, (url, personal)


def test_merged_duplicate_reports_the_status_of_its_main_request(
    citizen, file_request, road_service, desk_officer, dpupr_officer
):
    main = file_request(road_service, at=days_ago(3))
    duplicate = file_request(road_service, at=days_ago(2))
    workflow.merge(desk_officer, duplicate, main)
    workflow.assign(desk_officer, main)
    workflow.resolve(dpupr_officer, main, "Sudah ditambal.")
    duplicate.refresh_from_db()
    assert duplicate.status == "submitted"  # its own status never moved

    [row] = citizen.get(f"{BASE}/requests/{duplicate.number}.json").json()
    open_list = citizen.get(f"{BASE}/requests.json", {"status": "open"}).json()

    assert row["status"] == "closed"
    assert row["status_notes"] == "Sudah ditambal."
    assert (
        row["expected_datetime"]
        == citizen.get(f"{BASE}/requests/{main.number}.json").json()[0]["expected_datetime"]
    )
    assert open_list == []


# ---------------------------------------------------------------------------------------------
# Errors and limits


def test_reads_over_the_rate_limit_are_429(citizen, road_service, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "public_read": (2, 60)}

    statuses = [citizen.get(f"{BASE}/services.json").status_code for _ in range(3)]
    refused = citizen.get(f"{BASE}/requests.json")

    assert statuses == [200, 200, 429]
    assert refused.status_code == 429
    assert refused.json()[0]["code"] == 429
    assert refused["Retry-After"] == "60"


def test_writes_over_the_rate_limit_are_429_and_file_nothing(post_request, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "public_write": (1, 3600)}

    first, second = post_request(), post_request()

    assert (first.status_code, second.status_code) == (201, 429)
    assert ServiceRequest.objects.count() == 1


def test_xml_errors_have_the_spec_shape(citizen):
    response = citizen.get(f"{BASE}/requests.xml", {"status": "pending"})

    assert response.status_code == 400
    root = parse_xml(response)
    assert root.tag == "errors"
    [error] = root.findall("error")
    assert error.findtext("code") == "400"
    assert error.findtext("description").startswith("status: ")


def test_unknown_format_or_path_is_a_spec_404(citizen, road_service):
    for url in (f"{BASE}/services.html", f"{BASE}/services", f"{BASE}/discovery.json"):
        response = citizen.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/json; charset=utf-8"
        assert response.json()[0]["code"] == 404
    assert parse_xml(citizen.get(f"{BASE}/nothing.xml")).tag == "errors"


def test_wrong_method_is_405(citizen, road_service):
    posted = citizen.post(f"{BASE}/services.json")
    deleted = citizen.delete(f"{BASE}/requests.json")

    assert posted.status_code == 405
    assert posted.json()[0]["code"] == 405
    assert posted["Allow"] == "GET, HEAD"
    assert deleted.status_code == 405


def test_other_jurisdiction_is_a_spec_404(citizen, road_service, post_request, settings):
    ours = settings.SERVICEDESK["JURISDICTION_ID"]

    mine = citizen.get(f"{BASE}/services.json", {"jurisdiction_id": ours})
    other = citizen.get(
        f"{BASE}/services.json",
        {"jurisdiction_id": "surabaya.go.id"},
        headers={"accept-language": "en"},
    )
    posted = post_request(jurisdiction_id="surabaya.go.id")

    assert mine.status_code == 200
    assert other.status_code == 404
    assert other.json() == [{"code": 404, "description": "jurisdiction_id: not found"}]
    assert posted.status_code == 404
    assert not ServiceRequest.objects.exists()


def test_control_characters_never_break_the_xml(citizen, file_request, road_service):
    file_request(road_service, at=days_ago(1), description="Jalan\x0b rusak\x01 <parah> & licin")

    root = parse_xml(citizen.get(f"{BASE}/requests.xml"))

    assert root.find("request").findtext("description") == "Jalan rusak <parah> & licin"


def test_coordinates_are_numbers_in_decimal_degrees(citizen, file_request, road_service):
    file_request(
        road_service, at=days_ago(1), latitude=Decimal("-7.8"), longitude=Decimal("112.01")
    )

    [row] = citizen.get(f"{BASE}/requests.json").json()

    assert (row["lat"], row["long"]) == (-7.8, 112.01)


def test_a_body_django_refuses_to_read_is_a_spec_400(post_request, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 3

    response = post_request()

    assert response.status_code == 400
    assert response.json()[0]["code"] == 400
    assert not ServiceRequest.objects.exists()


def test_head_is_answered_like_get(citizen, road_service):
    response = citizen.head(f"{BASE}/services.json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"


def test_service_applications_and_information_requests_stay_out_of_the_public_record(
    client, info_service, file_request, road_service
):
    # Given a complaint and an information request (a person's own business)
    complaint = file_request(road_service)
    private = file_request(info_service, description="Mohon salinan akta saya")
    # When the public record is read
    listed = client.get("/open311/v2/requests.json", {"start_date": "2026-10-01T00:00:00+07:00"})
    numbers = [r["service_request_id"] for r in listed.json()]
    # Then only the complaint is there, and the information request is not found by number
    assert complaint.number in numbers and private.number not in numbers
    assert client.get(f"/open311/v2/requests/{private.number}.json").status_code == 404


# Transactional: the cache moves on when a change commits, and only a real commit says when.
@pytest.mark.django_db(transaction=True)
def test_a_repeated_list_comes_from_the_cache_until_the_record_changes(
    citizen,
    file_request,
    road_service,
    desk_officer,
    django_assert_num_queries,
):
    # Given a list read once
    filed = file_request(road_service, at=days_ago(1))
    first = citizen.get(f"{BASE}/requests.json").json()
    # When the same list is read again, then no query is made
    with django_assert_num_queries(0):
        again = citizen.get(f"{BASE}/requests.json").json()
    assert again == first
    # And when the record changes (the cache moves on when the change commits), the next read
    # shows it at once
    workflow.reject(desk_officer, filed, "Bukan kewenangan kota")
    [row] = citizen.get(f"{BASE}/requests.json").json()
    assert row["status"] == "closed" and row["status_notes"] == "Bukan kewenangan kota"
    # A different list (another filter or language) is built on its own
    assert citizen.get(f"{BASE}/requests.json", {"status": "open"}).json() == []
