"""In a real browser (Debian's Chromium driven by Playwright), on a phone-sized screen."""

from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "kediri-cerdas-2026"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium not installed at /usr/bin/chromium"),
]


@pytest.fixture
def page(live_server):
    """A phone-sized page. Request it after the fixtures that write to the database: while
    Playwright's event loop runs, Django would give ORM calls a separate connection."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        context = browser.new_context(viewport={"width": 360, "height": 740})
        yield context.new_page()
        browser.close()


@pytest.fixture
def officer(dinsos_officer):
    dinsos_officer.set_password(PASSWORD)
    dinsos_officer.save()
    return dinsos_officer


@pytest.mark.django_db(transaction=True)
def test_officer_signs_in_on_a_phone_and_sees_the_staff_home(officer, page, live_server):
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Masuk staf").click()
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
