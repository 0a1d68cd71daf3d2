"""Shared test fixtures: the reference data, loaded once per test database, and the named
personas of GUIDE section 4 (an administrator, an OPD officer of Dinas Sosial and one of Dinas
Kesehatan, an officer of a kelurahan office, an assessor, an executive, an anonymous citizen)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from kotacerdas.core.access import grant_role
from kotacerdas.core.choices import OpdKind, Role
from kotacerdas.core.models import Opd, Region, User
from kotacerdas.core.reference_data import load_pillars, load_regions

# Each app's shared fixtures (used by the apps that read it, too).
pytest_plugins = [
    "kotacerdas.masterplan.tests.fixtures",
    "kotacerdas.servicedesk.tests.fixtures",
    "kotacerdas.opendata.tests.fixtures",
    "kotacerdas.bansos.tests.fixtures",
    "kotacerdas.dashboard.tests.fixtures",
]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the 91,599 regions and the pillars once into the test database."""
    with django_db_blocker.unblock():
        load_regions()
        load_pillars()


@pytest.fixture
def kediri(db) -> Region:
    """Kota Kediri's region record. Tests on a transactional database (browser tests) start
    from an emptied database, so the regions are loaded again there."""
    if not Region.objects.filter(code="35.71").exists():
        load_regions()
        load_pillars()
    return Region.objects.get(code="35.71")


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the platform's default language: a test client's request activates
    the language of its cookie for the thread, and it must not carry over to the next test."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _test_storage(settings, tmp_path):
    # Uploads go to a temporary directory, never into the data directory.
    settings.MEDIA_ROOT = tmp_path / "media"
    # A fresh cache per test, so one test's rate-limit counts never reach another's.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": str(tmp_path),
        }
    }
    # Production serves hashed files from a manifest written by collectstatic; tests serve the
    # source files directly instead of collecting first.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def _persona(username: str, role: Role, opd: Opd | None = None) -> User:
    user = User.objects.create_user(username=username, password=None, opd=opd)
    grant_role(user, role, opd)
    return user


@pytest.fixture
def dinsos(db) -> Opd:
    return Opd.objects.create(
        code="dinsos", name="Dinas Sosial", short_name="Dinsos", kind=OpdKind.DINAS
    )


@pytest.fixture
def dinkes(db) -> Opd:
    return Opd.objects.create(
        code="dinkes", name="Dinas Kesehatan", short_name="Dinkes", kind=OpdKind.DINAS
    )


@pytest.fixture
def administrator(db) -> User:
    return _persona("admin-diskominfo", Role.ADMINISTRATOR)


@pytest.fixture
def dinsos_officer(dinsos) -> User:
    return _persona("officer-dinsos", Role.OPD_OFFICER, dinsos)


@pytest.fixture
def dinkes_officer(dinkes) -> User:
    return _persona("officer-dinkes", Role.OPD_OFFICER, dinkes)


@pytest.fixture
def assessor(db) -> User:
    return _persona("assessor", Role.ASSESSOR)


@pytest.fixture
def executive(db) -> User:
    return _persona("executive", Role.EXECUTIVE)


@pytest.fixture
def kelurahan_office(kediri) -> Opd:
    """The office of Kelurahan Balowerti (35.71.02.1002), which serves that kelurahan."""
    return Opd.objects.create(
        code="kel-balowerti",
        name="Kelurahan Balowerti",
        kind=OpdKind.KELURAHAN,
        region=Region.objects.get(code="35.71.02.1002"),
    )


@pytest.fixture
def kelurahan_officer(kelurahan_office) -> User:
    """An officer of a kelurahan office: sees what is located in their kelurahan."""
    return _persona("officer-balowerti", Role.OPD_OFFICER, kelurahan_office)


@pytest.fixture
def citizen() -> Client:
    """An anonymous visitor."""
    return Client()


@pytest.fixture
def client_for():
    """A browser client signed in as the given user."""

    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "kediri-cerdas-2026"
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Chromium not installed at /usr/bin/chromium"
)


def give_password(user: User) -> User:
    """Give a persona a password, for tests that sign in through the real form. Call it from a
    fixture listed before ``browser``/``phone`` (see ``browser``)."""
    user.set_password(PASSWORD)
    user.save()
    return user


PHONE_WIDTH = 360  # GUIDE section 4: public pages are tested on a 360x740 screen


def assert_fits_phone(page) -> None:
    """Assert that the Playwright ``page`` fits a phone's screen: its viewport is at most
    360 px wide (the ``phone`` fixture's) and nothing on it scrolls sideways. A failure names
    the page and the elements that stick out."""
    width, scroll = page.evaluate("[window.innerWidth, document.documentElement.scrollWidth]")
    assert width <= PHONE_WIDTH, f"{page.url} is read on a {width}px screen, not a phone's"
    assert scroll <= width, (
        f"{page.url} scrolls sideways: {scroll}px wide on a {width}px screen; sticking out: "
        + ", ".join(_sticking_out(page, width))
    )


def _sticking_out(page, width: int) -> list[str]:
    """The first elements whose right edge lies past ``width``, as CSS-like selectors."""
    return page.evaluate(
        """(width) => Array.from(document.querySelectorAll("body *"))
            .filter((el) => el.getBoundingClientRect().right > width + 0.5)
            .slice(0, 5)
            .map((el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
                + (typeof el.className === "string" && el.className.trim()
                    ? "." + el.className.trim().split(/\\s+/).join(".") : ""))""",
        width,
    )


@pytest.fixture
def browser(live_server):
    """Debian's Chromium under Playwright. Request it after the fixtures that write to the
    database: while Playwright's event loop runs, Django gives ORM calls a separate connection.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def phone(browser, live_server):
    """Open a new phone-sized (360x740) page signed in as ``username``, or anonymous."""

    def open_page(username: str | None = None):
        page = browser.new_context(viewport={"width": 360, "height": 740}).new_page()
        if username:
            page.goto(f"{live_server.url}/masuk/")
            page.get_by_label("Nama pengguna").fill(username)
            page.get_by_label("Kata sandi").fill(PASSWORD)
            page.locator("main").get_by_role("button", name="Masuk").click()
            page.wait_for_url(f"{live_server.url}/staf/")
        return page

    return open_page
