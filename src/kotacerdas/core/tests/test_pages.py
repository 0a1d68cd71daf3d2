"""The public home and the staff pages show what the platform holds, and nothing invented."""

import pytest

pytestmark = pytest.mark.django_db


def test_home_shows_the_citys_figures_from_the_reference_data(citizen):
    page = citizen.get("/").content.decode()
    assert "Layanan kota cerdas Kota Kediri" in page
    assert "301.424" in page and "67,232 km²" in page
    assert "<strong>3</strong>kecamatan" in page
    assert "<strong>46</strong>kelurahan/desa" in page
    assert "Tata Kelola Cerdas (Smart Governance)" in page


def test_unknown_page_is_a_friendly_404(citizen):
    response = citizen.get("/tidak-ada/")
    assert response.status_code == 404
    assert "Halaman ini tidak ditemukan." in response.content.decode()


def test_an_unknown_module_is_a_404(client_for, executive):
    assert client_for(executive).get("/staf/modul/nothing/").status_code == 404


def test_regions_page_lists_kecamatan_and_searches_with_htmx(client_for, assessor):
    client = client_for(assessor)
    page = client.get("/staf/wilayah/").content.decode()
    assert "Mojoroto" in page and "Pesantren" in page and "Bandar Lor" in page
    partial = client.get("/staf/wilayah/", {"q": "Setonopande"}, headers={"HX-Request": "true"})
    body = partial.content.decode()
    assert "35.71.02.1006" in body
    assert "<html" not in body  # only the results fragment


def test_opd_list_marks_demo_records(client_for, assessor, dinsos):
    dinsos.is_demo = True
    dinsos.save()
    page = client_for(assessor).get("/staf/opd/").content.decode()
    assert "Dinas Sosial" in page and "Demo" in page


@pytest.mark.parametrize(
    ("slug", "start"), [("masterplan", "/staf/masterplan/"), ("eksekutif", "/eksekutif/")]
)
def test_an_available_module_opens_its_own_start_page(client_for, executive, slug, start):
    response = client_for(executive).get(f"/staf/modul/{slug}/")
    assert response.status_code == 302
    assert response["Location"] == start


def test_uploaded_files_are_served_to_administrators_only(
    client_for, administrator, dinsos_officer, settings
):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    name = default_storage.save("masterplan/perwali.pdf", ContentFile(b"%PDF-1.4 perwali"))
    url = f"/staf/berkas/{name}"
    response = client_for(administrator).get(url)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert client_for(dinsos_officer).get(url).status_code == 403
    assert client_for(administrator).get("/staf/berkas/../secret_key").status_code == 404
    assert client_for(administrator).get("/staf/berkas/masterplan/none.pdf").status_code == 404
