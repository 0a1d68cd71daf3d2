"""Who may see and change what: staff pages and OPD records."""

import pytest

from kotacerdas.core.models import Opd

pytestmark = pytest.mark.django_db

STAFF_PAGES = ["/staf/", "/staf/wilayah/", "/staf/opd/", "/staf/modul/pecut/", "/akun/"]


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(citizen, path):
    response = citizen.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(f"/masuk/?next={path}")


def test_signed_in_user_without_a_role_is_refused_the_staff_area(client_for, django_user_model):
    nobody = django_user_model.objects.create_user("no-role")
    assert client_for(nobody).get("/staf/").status_code == 403


@pytest.mark.parametrize("persona", ["administrator", "dinsos_officer", "assessor", "executive"])
def test_every_role_reaches_the_staff_home(request, client_for, persona):
    user = request.getfixturevalue(persona)
    response = client_for(user).get("/staf/")
    assert response.status_code == 200
    assert user.username in response.content.decode()


def test_opd_officer_edits_their_own_opd_contact_details(client_for, dinsos_officer, dinsos):
    client = client_for(dinsos_officer)
    form = client.get("/staf/opd/dinsos/ubah/")
    assert form.status_code == 200
    assert 'name="email"' in form.content.decode()
    assert 'name="name"' not in form.content.decode()  # the name is reference data
    response = client.post("/staf/opd/dinsos/ubah/", {"email": "dinsos@kedirikota.go.id"})
    assert response.status_code == 302
    assert Opd.objects.get(code="dinsos").email == "dinsos@kedirikota.go.id"


def test_opd_officer_cannot_edit_another_opd(client_for, dinsos_officer, dinkes):
    client = client_for(dinsos_officer)
    assert client.get("/staf/opd/dinkes/ubah/").status_code == 403
    response = client.post("/staf/opd/dinkes/ubah/", {"email": "taken@over.id"})
    assert response.status_code == 403
    assert Opd.objects.get(code="dinkes").email == ""


def test_opd_officer_cannot_edit_another_opd_through_the_api(client_for, dinsos_officer, dinkes):
    response = client_for(dinsos_officer).patch(
        "/api/v1/opds/dinkes", {"email": "taken@over.id"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert Opd.objects.get(code="dinkes").email == ""


def test_opd_officer_cannot_rename_their_own_opd_through_the_api(
    client_for, dinsos_officer, dinsos
):
    response = client_for(dinsos_officer).patch(
        "/api/v1/opds/dinsos",
        {"name": "Dinas Baru", "phone": "0354 1"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "name" in response.json()["message"]
    dinsos.refresh_from_db()
    assert (dinsos.name, dinsos.phone) == ("Dinas Sosial", "")  # nothing half-saved


def test_administrator_edits_any_opd_field(client_for, administrator, dinkes):
    response = client_for(administrator).patch(
        "/api/v1/opds/dinkes",
        {"name": "Dinas Kesehatan Kota Kediri", "region": "35.71"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["region"] == "35.71"
    assert Opd.objects.get(code="dinkes").name == "Dinas Kesehatan Kota Kediri"


def test_assessor_and_executive_cannot_edit_opds(client_for, assessor, executive, dinsos):
    for user in (assessor, executive):
        assert client_for(user).get("/staf/opd/dinsos/ubah/").status_code == 403


def test_audit_trail_page_is_for_administrators_only(client_for, administrator, dinsos_officer):
    assert client_for(administrator).get("/staf/audit/").status_code == 200
    assert client_for(dinsos_officer).get("/staf/audit/").status_code == 403


def test_django_admin_is_open_to_administrators_only(client_for, administrator, dinsos_officer):
    assert client_for(administrator).get("/admin/core/opd/").status_code == 200
    assert client_for(dinsos_officer).get("/admin/core/opd/").status_code == 302
