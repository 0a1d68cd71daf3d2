"""Personal API tokens: shown once, stored as a hash, revocable."""

import pytest

from kotacerdas.core.models import ApiToken
from kotacerdas.core.tokens import hash_token, issue_token

pytestmark = pytest.mark.django_db


def test_token_authenticates_its_user(citizen, dinsos_officer):
    secret = issue_token(dinsos_officer, "laptop").secret
    response = citizen.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    assert response.json() == {
        "username": "officer-dinsos",
        "full_name": "",
        "email": "",
        "roles": ["OPD officer"],
        "opd": "dinsos",
    }
    assert ApiToken.objects.get().last_used_at is not None


def test_only_a_hash_of_the_token_is_stored(dinsos_officer):
    issued = issue_token(dinsos_officer, "laptop")
    stored = ApiToken.objects.get()
    assert stored.key_hash == hash_token(issued.secret)
    assert issued.secret not in {stored.key_hash, stored.prefix, stored.name}
    assert issued.secret.startswith(stored.prefix)


def test_account_page_shows_a_new_token_once(client_for, dinsos_officer):
    client = client_for(dinsos_officer)
    created = client.post("/akun/", {"name": "Excel macro"}).content.decode()
    token = ApiToken.objects.get(name="Excel macro")
    secret = created.split('id="new-token">')[1].split("<")[0]
    assert hash_token(secret) == token.key_hash
    assert secret not in client.get("/akun/").content.decode()


def test_revoked_token_no_longer_works(citizen, client_for, dinsos_officer):
    secret = issue_token(dinsos_officer, "old").secret
    token = ApiToken.objects.get()
    client_for(dinsos_officer).post(f"/akun/token/{token.pk}/cabut/")
    response = citizen.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 401


def test_a_user_cannot_revoke_someone_elses_token(client_for, dinsos_officer, dinkes_officer):
    issue_token(dinsos_officer, "mine")
    token = ApiToken.objects.get()
    assert client_for(dinkes_officer).post(f"/akun/token/{token.pk}/cabut/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_token_of_a_deactivated_user_is_refused(citizen, dinsos_officer):
    secret = issue_token(dinsos_officer, "laptop").secret
    dinsos_officer.is_active = False
    dinsos_officer.save()
    assert citizen.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401


def test_session_api_writes_need_the_csrf_token(dinsos_officer, dinsos):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(dinsos_officer)
    response = client.patch("/api/v1/opds/dinsos", {"phone": "1"}, content_type="application/json")
    assert response.status_code in {401, 403}
    dinsos.refresh_from_db()
    assert dinsos.phone == ""
