"""The citizen's pages: the catalogue, the form (no JavaScript, no account) and the status page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kotacerdas.servicedesk import workflow
from kotacerdas.servicedesk.models import SatisfactionResponse, ServiceRequest
from kotacerdas.servicedesk.tests.test_intake import jpeg_with_gps

FORM = {
    "description": "Jalan berlubang di depan SDN Bandar Lor 1",
    "attribute[kerusakan]": "lubang",
    "region": "35.71.01.1001",
    "phone": "0812 3456 7890",
    "idempotency_key": "form-1",
}


def submit_url(service):
    return f"/layanan/ajukan/{service.code}/"


def test_the_catalogue_lists_active_services_with_their_terms(citizen, road_service, info_service):
    info_service.active = False
    info_service.save()
    page = citizen.get("/layanan/").content.decode()
    assert "Jalan rusak" in page and "5 hari kerja" in page
    assert "Permohonan informasi publik" not in page
    assert "Jalan rusak" not in citizen.get("/layanan/?q=akta").content.decode()


def test_a_citizen_files_a_complaint_and_lands_on_the_status_page(citizen, road_service, kediri):
    form = citizen.get(submit_url(road_service)).content.decode()
    assert 'name="idempotency_key"' in form and "Bandar Lor" in form
    response = citizen.post(submit_url(road_service), FORM)
    filed = ServiceRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/layanan/status/{filed.access_secret}/"
    assert filed.channel == "web" and filed.attributes == {"kerusakan": "lubang"}
    page = citizen.get(response["Location"])
    assert filed.number in page.content.decode()
    assert page["X-Robots-Tag"] == "noindex"
    # A double tap sends the same form again: still one request.
    assert citizen.post(submit_url(road_service), FORM).status_code == 302
    assert ServiceRequest.objects.count() == 1


def test_a_bad_form_comes_back_with_each_problem_beside_its_field(citizen, road_service, kediri):
    response = citizen.post(
        submit_url(road_service),
        {**FORM, "description": "", "phone": "abc", "lat": "utara", "attribute[kerusakan]": ""},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert not ServiceRequest.objects.exists()
    assert "Jelaskan permohonan atau pengaduan Anda." in page
    assert page.count('aria-invalid="true"') >= 3
    assert 'value="0812 3456 7890"' not in page or "abc" not in page  # typed values kept
    assert "Jalan berlubang" not in page  # the emptied description stays empty


def test_photos_are_uploaded_with_the_form(citizen, road_service, kediri):
    photo = SimpleUploadedFile("a.jpg", jpeg_with_gps(), "image/jpeg")
    citizen.post(submit_url(road_service), {**FORM, "photos": [photo]})
    filed = ServiceRequest.objects.get()
    assert filed.photos.count() == 1
    photo_url = f"/layanan/status/{filed.access_secret}/foto/{filed.photos.get().pk}/"
    assert citizen.get(photo_url).status_code == 200
    assert (
        citizen.get(f"/layanan/status/wrong-secret/foto/{filed.photos.get().pk}/").status_code
        == 404
    )


def test_the_form_is_rate_limited_per_address(citizen, road_service, kediri, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "public_write": (1, 3600)}
    assert citizen.post(submit_url(road_service), FORM).status_code == 302
    second = citizen.post(submit_url(road_service), {**FORM, "idempotency_key": "form-2"})
    assert second.status_code == 429
    assert ServiceRequest.objects.count() == 1


def test_the_status_page_shows_public_updates_only(
    citizen, road_service, file_request, desk_officer
):
    filed = file_request(road_service)
    other = file_request(road_service, description="Laporan orang lain yang rahasia")
    workflow.assign(desk_officer, filed)
    workflow.add_update(desk_officer, filed, "Petugas dijadwalkan Rabu.", public=True)
    workflow.add_update(desk_officer, filed, "Catatan internal: anggaran habis", public=False)
    page = citizen.get(f"/layanan/status/{filed.access_secret}/").content.decode()
    assert "Petugas dijadwalkan Rabu." in page
    assert "anggaran habis" not in page
    assert "rahasia" not in page and other.number not in page
    assert "0812" not in page  # not even the citizen's own phone
    assert citizen.get("/layanan/status/unknown/").status_code == 404


def test_after_resolution_the_citizen_rates_and_confirms(
    citizen, road_service, file_request, desk_officer
):
    filed = file_request(road_service)
    workflow.assign(desk_officer, filed)
    workflow.resolve(desk_officer, filed, "Sudah ditambal")
    url = f"/layanan/status/{filed.access_secret}/"
    page = citizen.get(url).content.decode()
    assert 'name="u9"' in page and 'value="confirm"' in page
    bad = citizen.post(url, {"action": "rate", **{f"u{i}": "4" for i in range(1, 9)}})
    assert bad.status_code == 400 and not SatisfactionResponse.objects.exists()
    rated = citizen.post(url, {"action": "rate", **{f"u{i}": "3" for i in range(1, 10)}})
    assert rated.status_code == 302
    assert SatisfactionResponse.objects.get().answers() == (3,) * 9
    assert 'name="u9"' not in citizen.get(url).content.decode()  # rated once
    citizen.post(url, {"action": "confirm"})
    filed.refresh_from_db()
    assert filed.status == "closed"


def test_the_citizen_reopens_with_a_reason(citizen, road_service, file_request, desk_officer):
    filed = file_request(road_service)
    workflow.assign(desk_officer, filed)
    workflow.resolve(desk_officer, filed, "Sudah")
    url = f"/layanan/status/{filed.access_secret}/"
    assert citizen.post(url, {"action": "reopen", "reason": ""}).status_code == 400
    assert citizen.post(url, {"action": "reopen", "reason": "Masih berlubang"}).status_code == 302
    filed.refresh_from_db()
    assert filed.status == "assigned" and filed.reopened == 1


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_form_speaks_both_languages(citizen, road_service, kediri, language):
    citizen.cookies["django_language"] = language
    page = citizen.get(submit_url(road_service)).content.decode()
    assert ("Kirim" if language == "id" else "Send") in page


def test_a_citizen_with_an_account_sees_their_own_requests(
    client, road_service, kediri, file_request
):
    # Given a citizen who creates an account from the catalogue's link
    signup = client.post(
        "/daftar/",
        {
            "username": "warga-bandar",
            "email": "",
            "password1": "kediri-cerdas-2026!",
            "password2": "kediri-cerdas-2026!",
            "next": "/layanan/saya/",
        },
    )
    assert signup.status_code == 302 and signup["Location"] == "/layanan/saya/"
    # When they file a request while signed in, and someone else files another
    client.post(submit_url(road_service), FORM)
    other = file_request(road_service)
    # Then their page lists their request only, linked to its status page
    page = client.get("/layanan/saya/").content.decode()
    mine = ServiceRequest.objects.get(account__username="warga-bandar")
    assert f"/layanan/status/{mine.access_secret}/" in page
    assert other.number not in page
    # And the account has no role: the staff area stays closed
    assert client.get("/staf/").status_code == 403
    assert client.get("/akun/masuk/")["Location"] == "/akun/"


def test_my_requests_needs_a_sign_in(citizen):
    assert citizen.get("/layanan/saya/")["Location"].startswith("/masuk/")


def test_sign_up_refuses_a_weak_password_and_an_outside_next(client, kediri):
    weak = client.post("/daftar/", {"username": "w", "password1": "12345", "password2": "12345"})
    assert weak.status_code == 400
    made = client.post(
        "/daftar/",
        {
            "username": "warga2",
            "password1": "kediri-cerdas-2026!",
            "password2": "kediri-cerdas-2026!",
            "next": "https://evil.example/",
        },
    )
    assert made["Location"] == "/akun/"
