"""Signing in and out, lockout after repeated failures, argon2 hashing, password change."""

import pytest

pytestmark = pytest.mark.django_db

PASSWORD = "kediri-cerdas-2026"


@pytest.fixture
def officer(dinsos_officer):
    dinsos_officer.set_password(PASSWORD)
    dinsos_officer.save()
    return dinsos_officer


def sign_in(client, username, password):
    return client.post(
        "/masuk/", {"username": username, "password": password}, REMOTE_ADDR="10.0.0.7"
    )


def test_passwords_are_hashed_with_argon2(officer):
    assert officer.password.startswith("argon2")


def test_sign_in_leads_to_the_staff_home_and_sign_out_leaves(citizen, officer):
    response = sign_in(citizen, officer.username, PASSWORD)
    assert response.status_code == 302
    # Signing in leads on to the staff home for staff (a citizen's account page otherwise).
    assert citizen.get(response["Location"])["Location"] == "/staf/"
    assert citizen.get("/staf/").status_code == 200
    citizen.post("/keluar/")
    assert citizen.get("/staf/").status_code == 302


def test_wrong_password_is_refused_with_a_message(citizen, officer):
    response = sign_in(citizen, officer.username, "wrong")
    assert response.status_code == 200
    assert citizen.get("/staf/").status_code == 302


def test_account_is_locked_after_five_failures(citizen, officer):
    for _ in range(5):
        sign_in(citizen, officer.username, "wrong")
    locked = sign_in(citizen, officer.username, PASSWORD)
    assert locked.status_code == 429
    assert citizen.get("/staf/").status_code == 302


def test_four_failures_then_the_right_password_still_signs_in(citizen, officer):
    for _ in range(4):
        sign_in(citizen, officer.username, "wrong")
    assert sign_in(citizen, officer.username, PASSWORD).status_code == 302


def test_password_change(client_for, officer):
    client = client_for(officer)
    response = client.post(
        "/akun/kata-sandi/",
        {
            "old_password": PASSWORD,
            "new_password1": "lebih-aman-lagi-99",
            "new_password2": "lebih-aman-lagi-99",
        },
    )
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.check_password("lebih-aman-lagi-99")
