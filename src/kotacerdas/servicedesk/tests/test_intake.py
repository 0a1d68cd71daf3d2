"""Filing a request: checked whole, routed, numbered, committed, never duplicated by a retry."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _
from PIL import Image

from kotacerdas.core.models import Opd, Region
from kotacerdas.servicedesk.choices import Status
from kotacerdas.servicedesk.intake import NewRequest, find_by_secret, submit_request
from kotacerdas.servicedesk.models import RequestPhoto, ServiceRequest, ServiceRoute
from kotacerdas.servicedesk.tests.fixtures import BANDAR_LOR, MONDAY_9AM


def problems(new: NewRequest) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        submit_request(new, at=MONDAY_9AM)
    assert not ServiceRequest.objects.exists()  # nothing half-saved
    return refused.value.message_dict


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x8825] = {1: "S", 2: (7.0, 49.0, 6.0), 3: "E", 4: (112.0, 0.0, 12.0)}  # GPSInfo
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_a_request_gets_a_tracking_number_a_secret_link_and_a_deadline(road_service, file_request):
    filed = file_request(road_service)
    assert filed.number == f"PCT-2026-{filed.pk:06d}"
    assert filed.status == Status.SUBMITTED
    assert filed.opd.code == "dpupr"
    assert find_by_secret(filed.access_secret) == filed
    assert find_by_secret("not-the-secret") is None
    # The database keeps only a hash of the link's secret for lookup.
    assert filed.access_hash != filed.access_secret
    assert filed.events.get().to_status == Status.SUBMITTED
    assert filed.contact_key and filed.due_at > filed.submitted_at


def test_every_problem_is_named_at_once(road_service, kediri):
    found = problems(
        NewRequest(
            service=road_service,
            description=" ",
            phone="12",
            email="not-an-email",
            attributes={"lebar": "wide", "warna": "merah"},
        )
    )
    assert set(found) == {
        "description",
        "location",
        "phone",
        "email",
        "attribute[kerusakan]",
        "attribute[lebar]",
        "attribute[warna]",
    }


def test_a_point_outside_the_city_is_refused(road_service, kediri):
    found = problems(
        NewRequest(
            service=road_service,
            description="Jalan rusak",
            latitude=Decimal("-7.2575"),  # Surabaya
            longitude=Decimal("112.7521"),
            attributes={"kerusakan": "lubang"},
        )
    )
    assert found["lat"] == [_("This point is outside the city's boundary.")]


def test_a_kelurahan_of_another_city_is_refused(road_service, kediri):
    found = problems(
        NewRequest(
            service=road_service,
            description="Jalan rusak",
            region=Region.objects.filter(code__startswith="35.78.", level="village").first(),
            attributes={"kerusakan": "lubang"},
        )
    )
    assert "region" in found


def test_the_kelurahan_is_found_from_the_point(road_service, file_request):
    latitude, longitude = BANDAR_LOR
    filed = file_request(road_service, region=None, latitude=latitude, longitude=longitude)
    assert filed.region_id == "35.71.01.1001"


def test_a_routing_rule_sends_the_area_to_its_office(road_service, file_request):
    office = Opd.objects.create(code="kec-mojoroto", name="Kecamatan Mojoroto", kind="kecamatan")
    ServiceRoute.objects.create(service=road_service, region_id="35.71.01", opd=office)
    assert file_request(road_service).opd == office  # Bandar Lor is in Mojoroto
    elsewhere = Region.objects.get(code="35.71.02.1001")
    assert file_request(road_service, region=elsewhere).opd.code == "dpupr"


def test_a_retry_with_the_same_key_returns_the_first_request(road_service, kediri):
    new = NewRequest(
        service=road_service,
        description="Jalan berlubang",
        region=Region.objects.get(code="35.71.01.1001"),
        attributes={"kerusakan": "lubang"},
        idempotency_key="tap-1",
    )
    first, created = submit_request(new, at=MONDAY_9AM)
    again, created_again = submit_request(new, at=MONDAY_9AM)
    assert created and not created_again
    assert again.pk == first.pk
    assert ServiceRequest.objects.count() == 1
    new.idempotency_key = "tap-2"
    assert submit_request(new, at=MONDAY_9AM)[0].pk != first.pk


def test_photos_lose_their_location_and_camera_metadata(road_service, file_request):
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif()  # the test photo does carry EXIF
    filed = file_request(
        road_service, photos=[SimpleUploadedFile("jalan.jpg", original, "image/jpeg")]
    )
    stored = RequestPhoto.objects.get(request=filed)
    with stored.image.open("rb") as handle:
        cleaned = Image.open(io.BytesIO(handle.read()))
        assert cleaned.format == "JPEG"
        assert not cleaned.getexif()
    assert not stored.image.name.endswith("jalan.jpg")  # the citizen's file name is not kept


def test_a_file_that_is_not_a_photo_is_refused_by_its_content(road_service, kediri):
    fake = SimpleUploadedFile("foto.jpg", b"%PDF-1.7 not an image", "image/jpeg")
    found = problems(
        NewRequest(
            service=road_service,
            description="Jalan rusak",
            region=Region.objects.get(code="35.71.01.1001"),
            attributes={"kerusakan": "lubang"},
            photos=[fake],
        )
    )
    assert found["photos"][0].startswith(_("Photo %(n)s: %(reason)s") % {"n": 1, "reason": ""})


def test_at_most_three_photos(road_service, kediri):
    photo = jpeg_with_gps()
    found = problems(
        NewRequest(
            service=road_service,
            description="Jalan rusak",
            region=Region.objects.get(code="35.71.01.1001"),
            attributes={"kerusakan": "lubang"},
            photos=[SimpleUploadedFile(f"{n}.jpg", photo) for n in range(4)],
        )
    )
    assert "photos" in found


def test_an_inactive_service_takes_no_requests(road_service, kediri):
    road_service.active = False
    road_service.save()
    found = problems(
        NewRequest(
            service=road_service,
            description="x",
            region=Region.objects.get(code="35.71.01.1001"),
            attributes={"kerusakan": "lubang"},
        )
    )
    assert "service_code" in found


def test_only_a_complaint_can_hide_its_author_from_the_opd(
    road_service, info_service, file_request
):
    assert file_request(road_service, anonymous=True).anonymous
    assert not file_request(info_service, anonymous=True).anonymous
