"""A citizen checks their social aid on a phone, without JavaScript being needed, and sees
their name masked with their programmes; a wrong name shows nothing."""

import pytest
from conftest import assert_fits_phone, needs_chromium

pytestmark = [pytest.mark.browser, needs_chromium]


@pytest.mark.django_db(transaction=True)
def test_a_citizen_checks_their_aid_on_a_phone(bansos_people, browser, live_server):
    rizky = bansos_people.rizky
    # A phone with JavaScript off: the plain forms must do.
    citizen = browser.new_context(
        viewport={"width": 360, "height": 740}, java_script_enabled=False
    ).new_page()
    citizen.goto(f"{live_server.url}/cek-bansos/")
    assert_fits_phone(citizen)
    citizen.locator("#nik").fill(f"{rizky.nik[:6]} {rizky.nik[6:12]} {rizky.nik[12:]}")
    citizen.locator("#name").fill("Moch. Rizky")
    citizen.locator("#cek-nik button[type=submit]").click()
    citizen.wait_for_selector("#answer")
    assert citizen.url == f"{live_server.url}/cek-bansos/"  # the NIK never went into the URL
    assert citizen.locator(".recipient-name").all_inner_texts() == ["M******D R***Y"]
    assert "Kartu Sahabat" in citizen.locator(".recipient-programmes").inner_text()
    assert citizen.locator(".recipient-decile").inner_text().startswith("3")
    assert citizen.locator("#nik").input_value() == ""  # the answer does not repeat the NIK
    assert rizky.nik not in citizen.content()
    assert_fits_phone(citizen)

    # By kelurahan: the form opens from its summary, and lists both recipients of the name.
    citizen.locator("#by-kelurahan summary").click()
    citizen.locator("#kelurahan").select_option(rizky.kelurahan_id)
    citizen.locator("#kelurahan-name").fill("Muhammad Rizky")
    citizen.locator("#cek-kelurahan button[type=submit]").click()
    citizen.wait_for_selector("#answer")
    assert citizen.locator(".recipient-name").count() == 2
    assert_fits_phone(citizen)

    citizen.locator("#nik").fill(rizky.nik)
    citizen.locator("#name").fill("Budi Santoso")
    citizen.locator("#cek-nik button[type=submit]").click()
    citizen.wait_for_selector("#no-recipient")
    assert citizen.locator(".recipient-name").count() == 0
