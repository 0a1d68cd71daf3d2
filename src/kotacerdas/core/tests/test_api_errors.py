"""Bad input to the API gets a clear JSON 4xx, never a 500 or a stack trace."""

import json

import pytest

pytestmark = pytest.mark.django_db


def test_unknown_endpoint_is_a_json_404(citizen):
    response = citizen.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"message": "No such API endpoint.", "errors": []}


def test_protected_endpoint_without_credentials_is_401(citizen):
    response = citizen.get("/api/v1/me")
    assert response.status_code == 401
    assert "Bearer" in response.json()["message"]


def test_wrong_token_is_401(citizen):
    response = citizen.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer kc_not-a-real-token")
    assert response.status_code == 401


def test_oversized_body_is_413(client_for, administrator, dinsos, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"address": "x" * 2000})
    response = client_for(administrator).patch(
        "/api/v1/opds/dinsos", body, content_type="application/json"
    )
    assert response.status_code == 413
    assert "limit is 1000 bytes" in response.json()["message"]


def test_wrong_content_type_is_415(client_for, administrator, dinsos):
    response = client_for(administrator).patch(
        "/api/v1/opds/dinsos", "email=a@b.id", content_type="text/plain"
    )
    assert response.status_code == 415
    assert response.json()["errors"] == [
        {"field": "Content-Type", "message": "must be application/json"}
    ]


def test_unreadable_json_is_400(client_for, administrator, dinsos):
    response = client_for(administrator).patch(
        "/api/v1/opds/dinsos", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["message"] == "Cannot parse request body"


def test_invalid_field_value_is_422_naming_the_field(client_for, administrator, dinsos):
    response = client_for(administrator).patch(
        "/api/v1/opds/dinsos", {"kind": "ministry"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "kind"


def test_model_validation_error_is_422_and_nothing_is_saved(client_for, administrator, dinsos):
    response = client_for(administrator).patch(
        "/api/v1/opds/dinsos",
        {"phone": "0354 123", "email": "not-an-email"},
        content_type="application/json",
        headers={"accept-language": "en"},
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "email", "message": "Enter a valid email address."}
    ]
    dinsos.refresh_from_db()
    assert dinsos.phone == "" and dinsos.email == ""


def test_unknown_region_code_in_a_change_is_422(client_for, administrator, dinsos):
    response = client_for(administrator).patch(
        "/api/v1/opds/dinsos", {"region": "35.71.09"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "region", "message": "no region has code '35.71.09'"}
    ]
