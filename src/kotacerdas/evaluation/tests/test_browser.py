"""An OPD officer answers an item with evidence on a phone; the assessor scores it."""

import pytest
from conftest import give_password, needs_chromium

from kotacerdas.evaluation import cycle

pytestmark = [pytest.mark.browser, needs_chromium]


@pytest.fixture
def accounts(administrator, dinsos_officer, assessor, dinsos, evaluation_2024):
    cycle.assign(administrator, evaluation_2024, ["C.14"], dinsos)
    return {
        "admin": give_password(administrator).username,
        "officer": give_password(dinsos_officer).username,
        "assessor": give_password(assessor).username,
        "url": f"/staf/evaluasi/{evaluation_2024.pk}/",
    }


@pytest.mark.django_db(transaction=True)
def test_officer_answers_with_evidence_and_the_assessor_scores(
    accounts, tmp_path, phone, live_server
):
    evaluation_url = f"{live_server.url}{accounts['url']}"
    officer = phone(accounts["officer"])
    officer.goto(f"{evaluation_url}?mine=1")
    officer.get_by_role("link", name="C.14").click()
    officer.get_by_label("Skor usulan (1,00-4,00)").fill("3,5")
    officer.get_by_label("Justifikasi").fill("Kartu Sahabat dan Prodamas berjalan di 46 kelurahan")
    officer.get_by_role("button", name="Simpan jawaban").click()
    evidence = tmp_path / "sk-walikota.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% SK Wali Kota\n")
    officer.get_by_label(
        "Berkas (PDF, gambar atau dokumen Office, maksimal 10 MB)"
    ).set_input_files(str(evidence))
    officer.get_by_role("button", name="Unggah").click()
    assert "sk-walikota.pdf" in officer.locator("#evidence").inner_text()

    admin = phone(accounts["admin"])
    admin.goto(evaluation_url)
    admin.get_by_text("Kelola evaluasi ini").click()
    admin.get_by_role("button", name="Lanjut ke: Reviu asesor").click()
    assert admin.locator("#stage").inner_text() == "Reviu asesor"

    assessor = phone(accounts["assessor"])
    assessor.goto(f"{evaluation_url}butir/C.14/")
    assert "3,50" in assessor.locator("#proposed-score").inner_text()
    assessor.get_by_label("Skor (1,00-4,00)").fill("3,25")
    assessor.get_by_label("Komentar").fill("Bukti SK lengkap")
    # The save posts and redirects back to the item: wait for that page, not the old one.
    with assessor.expect_navigation():
        assessor.get_by_role("button", name="Simpan skor").click()
    assert assessor.get_by_label("Skor (1,00-4,00)").input_value() == "3,25"
    assert "Skor telah disimpan" in assessor.locator("main").inner_text()
