"""A citizen files a complaint on a phone, the desk assigns it, the OPD resolves it, and the
citizen's status page follows."""

import pytest
from conftest import assert_fits_phone, give_password, needs_chromium
from django.utils import translation

from kotacerdas.servicedesk.choices import Status

pytestmark = [pytest.mark.browser, needs_chromium]


@pytest.fixture
def accounts(desk_officer, dpupr_officer):
    return give_password(desk_officer), give_password(dpupr_officer)


def label(status: Status) -> str:
    with translation.override("id"):
        return str(status.label)


@pytest.mark.django_db(transaction=True)
def test_a_complaint_filed_on_a_phone_is_worked_and_followed(
    kediri, accounts, road_service, phone, live_server
):
    desk, opd = accounts
    citizen = phone()
    citizen.goto(f"{live_server.url}/layanan/")
    assert_fits_phone(citizen)
    citizen.locator('a[href="/layanan/ajukan/jalan-rusak/"]').click()
    citizen.locator("#description").fill("Jalan berlubang besar di depan SDN Bandar Lor 1")
    citizen.locator("#attr-kerusakan").select_option("lubang")
    citizen.locator("#region").select_option("35.71.01.1001")
    citizen.locator("#phone").fill("0812 3456 7890")
    assert_fits_phone(citizen)
    citizen.locator("#request-form button[type=submit]").click()
    citizen.wait_for_url("**/layanan/status/**")
    status_url = citizen.url
    number = citizen.locator("h1").inner_text()
    assert number.startswith("PCT-")
    assert citizen.locator("#status").inner_text() == label(Status.SUBMITTED)

    triage = phone(desk.username)
    triage.goto(f"{live_server.url}/staf/layanan/")
    triage.get_by_role("link", name=number).click()
    triage.locator("#actions form:has(input[value=assign]) button").click()
    assert triage.locator("#status").inner_text() == label(Status.ASSIGNED)

    officer = phone(opd.username)
    officer.goto(f"{live_server.url}/staf/layanan/")
    officer.get_by_role("link", name=number).click()
    assert "0812******90" in officer.locator("#contact").inner_text()  # masked
    officer.locator("#actions form:has(input[value=start]) button").click()
    officer.locator("#answer").fill("Lubang sudah ditambal dengan aspal.")
    officer.locator("#actions form:has(input[value=resolve]) button").click()
    assert officer.locator("#status").inner_text() == label(Status.RESOLVED)

    citizen.goto(status_url)
    assert citizen.locator("#status").inner_text() == label(Status.RESOLVED)
    timeline = citizen.locator("#timeline").inner_text()
    assert "Lubang sudah ditambal dengan aspal." in timeline
    assert_fits_phone(citizen)
