"""Officers of a kecamatan or kelurahan office read the requests located in their area (once
the desk has passed them on), never act on them and never see who filed them; the queue
filters by region, a kecamatan taking in its kelurahan."""

import pytest
from django.conf import settings

from kotacerdas.core.models import PersonalDataAccess, Region
from kotacerdas.servicedesk import rules, workflow
from kotacerdas.servicedesk.models import RequestEvent

pytestmark = pytest.mark.django_db

QUEUE = "/staf/layanan/"
API = "/api/v1/servicedesk"
BALOWERTI = "35.71.02.1002"  # Kecamatan Kota, served by the ``kelurahan_office`` fixture
SEMAMPIR = "35.71.02.1001"  # Kecamatan Kota, beside Balowerti
BANDAR_LOR = "35.71.01.1001"  # Kecamatan Mojoroto


@pytest.fixture
def in_kelurahan(road_service, file_request, desk_officer):
    """``in_kelurahan(code)``: a named road complaint located in ``code``, assigned by the desk
    to DPUPR (not to the kelurahan office)."""

    def make(code: str, **fields):
        filed = file_request(
            road_service,
            region=Region.objects.get(code=code),
            first_name="Budi",
            last_name="Santoso",
            email="budi.santoso@example.id",
            **fields,
        )
        return workflow.assign(desk_officer, filed)

    return make


def test_a_kelurahan_officer_reads_the_requests_located_in_their_kelurahan(
    client_for, in_kelurahan, kelurahan_officer
):
    # Given a request in Balowerti and one in Semampir next door, both DPUPR's
    here, next_door = in_kelurahan(BALOWERTI), in_kelurahan(SEMAMPIR)
    client = client_for(kelurahan_officer)
    # When the officer of Kelurahan Balowerti opens the queue
    page = client.get(QUEUE).content.decode()
    # Then they see the request of their kelurahan only
    assert here.number in page and next_door.number not in page
    assert client.get(f"{QUEUE}{here.number}/").status_code == 200
    assert client.get(f"{QUEUE}{next_door.number}/").status_code == 404
    # and the API answers the same
    listed = {row["number"] for row in client.get(f"{API}/requests").json()["items"]}
    assert listed == {here.number}
    assert client.get(f"{API}/requests/{next_door.number}").status_code == 404


def test_a_request_the_desk_has_not_passed_on_stays_with_the_desk(
    client_for, road_service, file_request, kelurahan_officer
):
    untriaged = file_request(road_service, region=Region.objects.get(code=BALOWERTI))
    client = client_for(kelurahan_officer)
    assert untriaged.number not in client.get(QUEUE).content.decode()
    assert client.get(f"{QUEUE}{untriaged.number}/").status_code == 404


def test_a_kelurahan_officer_cannot_act_on_a_request_of_another_opd(
    client_for, in_kelurahan, kelurahan_officer
):
    filed = in_kelurahan(BALOWERTI)
    events = RequestEvent.objects.filter(request=filed).count()
    client = client_for(kelurahan_officer)
    page = client.get(f"{QUEUE}{filed.number}/").content.decode()
    assert 'id="actions"' not in page and 'id="area-reader"' in page
    act = f"{QUEUE}{filed.number}/aksi/"
    for step in (
        {"action": "start"},
        {"action": "resolve", "answer": "Sudah ditambal"},
        {"action": "update", "text": "Kami cek besok"},
        {"action": "note", "text": "Catatan"},
    ):
        assert client.post(act, step).status_code == 403
    filed.refresh_from_db()
    assert filed.status == "assigned"
    assert RequestEvent.objects.filter(request=filed).count() == events
    assert not rules.works_on(kelurahan_officer, filed)
    assert client.post(f"{API}/requests/{filed.number}/start").status_code == 403


def test_a_kelurahan_officer_never_sees_who_filed_a_request_of_another_opd(
    client_for, in_kelurahan, kelurahan_officer
):
    filed = in_kelurahan(BALOWERTI)
    assert not rules.sees_contact(kelurahan_officer, filed)
    client = client_for(kelurahan_officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = f"{QUEUE}{filed.number}/"
    for page in (client.get(url), client.post(url, {"action": "reveal"})):
        text = page.content.decode()
        assert page.status_code == 200
        assert "0812" not in text and "budi" not in text.lower() and "Santoso" not in text
        assert "Show contact details" not in text
    detail = client.get(f"{API}/requests/{filed.number}").json()
    assert detail["contact"]["hidden"] is True and detail["contact"]["phone"] is None
    assert detail["can_see_contact"] is False
    assert client.get(f"{API}/requests/{filed.number}/contact").status_code == 403
    assert not PersonalDataAccess.objects.exists()


def test_a_kecamatan_office_reads_its_kelurahan_too(
    client_for, in_kelurahan, kelurahan_officer, kediri
):
    # Given the kelurahan office becomes the office of Kecamatan Kota
    office = kelurahan_officer.opd
    office.kind, office.region = "kecamatan", Region.objects.get(code="35.71.02")
    office.save(update_fields=["kind", "region"])
    here, next_door, elsewhere = (
        in_kelurahan(BALOWERTI),
        in_kelurahan(SEMAMPIR),
        in_kelurahan(BANDAR_LOR),
    )
    page = client_for(kelurahan_officer).get(QUEUE).content.decode()
    assert here.number in page and next_door.number in page
    assert elsewhere.number not in page


def test_an_officer_of_a_dinas_sees_no_area(client_for, in_kelurahan, dinkes_officer):
    filed = in_kelurahan(BALOWERTI)
    client = client_for(dinkes_officer)
    assert filed.number not in client.get(QUEUE).content.decode()
    assert client.get(f"{QUEUE}{filed.number}/").status_code == 404


def test_the_queue_filters_by_region_a_kecamatan_taking_in_its_kelurahan(
    client_for, in_kelurahan, desk_officer
):
    balowerti, semampir, bandar_lor = (
        in_kelurahan(BALOWERTI),
        in_kelurahan(SEMAMPIR),
        in_kelurahan(BANDAR_LOR),
    )
    client = client_for(desk_officer)

    def listed(region: str) -> set[str]:
        response = client.get(QUEUE, {"region": region})
        assert response.status_code == 200
        page = response.content.decode()
        return {r.number for r in (balowerti, semampir, bandar_lor) if r.number in page}

    assert listed(BALOWERTI) == {balowerti.number}
    assert listed("35.71.02") == {balowerti.number, semampir.number}
    assert listed("35.71.01") == {bandar_lor.number}
    assert listed("") == {balowerti.number, semampir.number, bandar_lor.number}
    # Anything that is no region of ours matches nothing, and breaks nothing.
    for unknown in ("35.71.09", "99", "nonsense", "35.71.02%", "35.71.02.1002\x00", "' OR 1=1"):
        assert listed(unknown) == set()


def test_the_region_filter_offers_what_the_reader_can_see_and_stays_in_page_links(
    client_for, in_kelurahan, desk_officer, kelurahan_officer, monkeypatch
):
    in_kelurahan(BALOWERTI)
    in_kelurahan(BALOWERTI)
    desk = client_for(desk_officer).get(QUEUE, {"region": "35.71.02"}).content.decode()
    assert f'<option value="{BALOWERTI}"' in desk and f'<option value="{BANDAR_LOR}"' in desk
    assert '<option value="35.71.02" selected>' in desk
    officer = client_for(kelurahan_officer).get(QUEUE).content.decode()
    assert f'<option value="{BALOWERTI}"' in officer
    assert f'<option value="{BANDAR_LOR}"' not in officer
    # A second page keeps the filter.
    monkeypatch.setattr("kotacerdas.servicedesk.views.PAGE_SIZE", 1)
    paged = client_for(desk_officer).get(QUEUE, {"region": "35.71.02"}).content.decode()
    assert "region=35.71.02&" in paged and "page=2" in paged
