"""In a real browser (Debian's Chromium driven by Playwright), on a phone-sized screen."""

import pytest
from conftest import PASSWORD, give_password, needs_chromium

pytestmark = [pytest.mark.browser, needs_chromium]


@pytest.fixture
def officer(dinsos_officer):
    return give_password(dinsos_officer)


@pytest.mark.django_db(transaction=True)
def test_officer_signs_in_on_a_phone_and_sees_the_staff_home(officer, phone, live_server):
    page = phone()
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Masuk", exact=True).click()
    page.get_by_label("Nama pengguna").fill(officer.username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()

    page.wait_for_url(f"{live_server.url}/staf/")
    assert page.get_by_role("heading", name="Area staf").is_visible()
    assert page.get_by_text("Dinas Sosial").first.is_visible()
    # The page fits the phone: nothing forces sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.get_by_role("button", name="English").click()
    assert page.get_by_role("heading", name="Staff area").is_visible()
