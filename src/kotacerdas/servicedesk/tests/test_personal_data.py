"""Personal data on the service desk's requests (core.personal at work): contacts encrypted at
rest, found by the same key the impact survey gives its respondents, every unmasked view
recorded, and never in the audit trail."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.contrib.auth.models import AnonymousUser
from django.db import connection

from kotacerdas.core import personal
from kotacerdas.core.models import PersonalDataAccess
from kotacerdas.evaluation import survey
from kotacerdas.servicedesk.models import ServiceRequest

PHONE = "0812-3456-7890"
PHONE_DIGITS = "081234567890"
EMAIL = "budi@example.id"


def _raw_contact(request: ServiceRequest) -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT phone, email FROM servicedesk_servicerequest WHERE id = %s", [request.pk]
        )
        return cursor.fetchone()


def test_the_database_holds_no_phone_number_or_email_address(file_request, road_service):
    # Given a request filed with a phone number and an e-mail address
    request = file_request(road_service, phone=PHONE, email=EMAIL)
    # When the columns are read past the ORM, as a copy of the database would be
    raw_phone, raw_email = _raw_contact(request)
    # Then they hold neither value in any spelling
    for spelling in (PHONE, PHONE_DIGITS, "6281234567890", "3456", "7890"):
        assert spelling not in raw_phone
        assert spelling not in raw_email
    for part in (EMAIL, "example.id", "budi@"):
        assert part not in raw_email
        assert part not in raw_phone
    # ...but tokens the data key opens
    assert personal.decrypt(raw_phone) == PHONE
    assert personal.decrypt(raw_email) == EMAIL
    # And the ORM reads the values back as they were given
    stored = ServiceRequest.objects.get(pk=request.pk)
    assert (stored.phone, stored.email) == (PHONE, EMAIL)


def test_an_empty_contact_field_stays_empty_at_rest(file_request, road_service):
    # Given a request filed with a phone number and no e-mail address
    request = file_request(road_service, phone=PHONE, email="")
    # Then the empty column is stored empty (nothing to encrypt) and read back empty
    _raw_phone, raw_email = _raw_contact(request)
    assert raw_email == ""
    assert ServiceRequest.objects.get(pk=request.pk).email == ""


def test_a_request_is_found_by_the_same_key_the_survey_gives_its_respondent(
    file_request, road_service
):
    # Given a request filed with the phone written one way
    request = file_request(road_service, phone=PHONE, email=EMAIL)
    # When the same person answers the survey, writing the number another way
    respondent = survey.respondent_key("+62 812 3456 7890")
    # Then the service desk's key on the request is the survey's key (the phone wins over email)
    assert request.contact_key == respondent
    assert ServiceRequest.objects.filter(contact_key=respondent).get() == request


def test_the_survey_and_the_service_desk_key_a_person_with_one_function(settings):
    # The survey's respondent key is the service desk's contact key, not a copy of it
    assert survey.respondent_key is personal.contact_key
    for contact in (PHONE, "+62 812 3456 7890", EMAIL):
        assert survey.respondent_key(contact) == personal.contact_key(contact)
    # ...and it stays so when SECRET_KEY changes (both follow it together)
    settings.SECRET_KEY = "rotated-secret-" * 4
    assert survey.respondent_key(PHONE) == personal.contact_key(PHONE)


def test_an_unmasked_view_is_recorded_with_who_whose_and_which_fields(
    file_request, road_service, dpupr_officer
):
    # Given a request and the officer who handles it
    request = file_request(road_service, phone=PHONE, email=EMAIL)
    # When the officer views its contact details unmasked
    personal.record_access(dpupr_officer, request, ["phone", "email"], "view")
    # Then one access is recorded
    access = PersonalDataAccess.objects.get()
    assert access.user == dpupr_officer
    assert access.action == PersonalDataAccess.Action.VIEW
    assert access.subject_type == "servicedesk.servicerequest"
    assert access.subject_id == str(request.pk)
    assert access.fields == "phone,email"
    assert access.at is not None
    # ...and it holds no value, only the field names
    assert PHONE_DIGITS not in str(access) and EMAIL not in str(access)


def test_an_export_is_recorded_as_an_export(file_request, road_service, dpupr_officer):
    request = file_request(road_service)
    personal.record_access(dpupr_officer, request, ["phone"], "export")
    assert PersonalDataAccess.objects.get().action == PersonalDataAccess.Action.EXPORT


def test_an_anonymous_readers_access_is_recorded_without_a_user(file_request, road_service):
    request = file_request(road_service)
    personal.record_access(AnonymousUser(), request, ["phone"], "view")
    access = PersonalDataAccess.objects.get()
    assert access.user is None
    assert access.subject_id == str(request.pk)


def test_the_audit_trail_never_holds_a_contact(file_request, road_service):
    # Given a request filed with a phone number and an e-mail address
    request = file_request(road_service, phone=PHONE, email=EMAIL)
    # Then its creation is in the audit trail...
    entries = LogEntry.objects.get_for_object(request)
    assert entries.exists()
    # ...but no column of any audit row holds the contact, its token or its key
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM auditlog_logentry")
        rows = cursor.fetchall()
    assert rows
    stored = ServiceRequest.objects.filter(pk=request.pk).values_list("contact_key", flat=True)
    raw_phone, raw_email = _raw_contact(request)
    forbidden = (PHONE, PHONE_DIGITS, "6281234567890", EMAIL, raw_phone, raw_email, stored[0])
    for row in rows:
        text = " ".join(str(column) for column in row)
        for value in forbidden:
            assert value not in text
    for entry in LogEntry.objects.all():
        changes = f"{entry.changes} {entry.changes_text}"
        assert PHONE_DIGITS not in changes and PHONE not in changes and EMAIL not in changes
    # The request's own entries do not even name the excluded fields
    for entry in entries:
        assert not {"phone", "email", "contact_key"} & set(entry.changes or {})
