"""An OPD officer submits a quarterly report; an administrator returns it with comments."""

import pytest
from conftest import give_password, needs_chromium

pytestmark = [pytest.mark.browser, needs_chromium]


@pytest.fixture
def accounts(dinsos_officer, administrator):
    return give_password(dinsos_officer), give_password(administrator)


@pytest.mark.django_db(transaction=True)
def test_officer_submits_a_report_and_the_administrator_returns_it(
    accounts, programme, kpi, q3, phone, live_server
):
    dinsos_officer, administrator = accounts
    officer = phone(dinsos_officer.username)
    officer.goto(f"{live_server.url}/staf/masterplan/kotak-masuk/")
    officer.get_by_role("link", name="Mulai").click()
    officer.get_by_role("button", name="Mulai laporan").click()
    officer.get_by_label("Penerima terverifikasi NIK (%)").fill("88,5")
    officer.get_by_label("Realisasi APBD tahun ini sampai saat ini (Rp)").fill("250000000")
    officer.get_by_role("button", name="Kirim untuk direviu").click()
    assert officer.locator("#report-status").inner_text() == "Dikirim"

    admin = phone(administrator.username)
    admin.goto(f"{live_server.url}/staf/masterplan/kotak-masuk/")
    admin.get_by_role("link", name="Dinas Sosial · 2026 Q3").click()
    admin.get_by_label("Komentar reviu").fill("Lampirkan bukti penyaluran kartu")
    admin.get_by_role("button", name="Kembalikan untuk perbaikan").click()
    assert admin.locator("#report-status").inner_text() == "Dikembalikan untuk perbaikan"

    officer.reload()
    assert "Lampirkan bukti penyaluran kartu" in officer.locator("#review-comment").inner_text()
    assert officer.get_by_label("Penerima terverifikasi NIK (%)").input_value() == "88,50"
