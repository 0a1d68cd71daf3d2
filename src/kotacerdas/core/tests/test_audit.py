"""Every create, update and delete through the UI, the admin or the API is in the audit trail
with who, when and the before/after values."""

import pytest
from auditlog.models import LogEntry

from kotacerdas.core.audit import acting_as, log_bulk_changes
from kotacerdas.core.models import Opd
from kotacerdas.core.tokens import issue_token

pytestmark = pytest.mark.django_db


def entries_for(opd: Opd):
    return LogEntry.objects.get_for_object(opd).order_by("timestamp")


def test_change_through_the_web_form_records_actor_and_values(client_for, dinsos_officer, dinsos):
    client_for(dinsos_officer).post("/staf/opd/dinsos/ubah/", {"phone": "0354 682955"})
    entry = entries_for(dinsos).last()
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.actor == dinsos_officer
    assert entry.changes_dict["phone"] == ["", "0354 682955"]


def test_change_through_the_api_with_a_token_records_the_token_owner(
    citizen, administrator, dinsos
):
    secret = issue_token(administrator, "sync script").secret
    response = citizen.patch(
        "/api/v1/opds/dinsos",
        {"short_name": "DINSOS"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 200
    entry = entries_for(dinsos).last()
    assert entry.actor == administrator
    assert entry.changes_dict["short_name"] == ["Dinsos", "DINSOS"]


def test_create_update_and_delete_through_the_admin_are_recorded(client_for, administrator):
    client = client_for(administrator)
    response = client.post(
        "/admin/core/opd/add/",
        {
            "code": "bpbd",
            "name": "Badan Penanggulangan Bencana Daerah",
            "short_name": "BPBD",
            "kind": "badan",
            "active": "on",
        },
    )
    assert response.status_code == 302
    opd = Opd.objects.get(code="bpbd")
    client.post(f"/admin/core/opd/{opd.pk}/delete/", {"post": "yes"})
    assert not Opd.objects.filter(code="bpbd").exists()
    entries = LogEntry.objects.filter(object_pk=str(opd.pk), content_type__model="opd")
    assert [e.action for e in entries.order_by("timestamp")] == [
        LogEntry.Action.CREATE,
        LogEntry.Action.DELETE,
    ]
    assert {e.actor for e in entries} == {administrator}
    deleted = entries.get(action=LogEntry.Action.DELETE)
    assert deleted.changes_dict["name"][0] == "Badan Penanggulangan Bencana Daerah"


def test_secrets_never_enter_the_trail(administrator):
    issue_token(administrator, "reporting")
    administrator.set_password("a-new-long-password")
    administrator.save()
    for entry in LogEntry.objects.filter(content_type__model__in=["user", "apitoken"]):
        assert "password" not in entry.changes_dict
        assert "key_hash" not in entry.changes_dict


def test_administrators_read_the_trail_with_before_and_after(client_for, administrator, dinsos):
    client = client_for(administrator)
    client.patch("/api/v1/opds/dinsos", {"phone": "0354 111"}, content_type="application/json")
    page = client.get("/staf/audit/", {"actor": administrator.username}).content.decode()
    assert "Dinsos" in page
    assert "0354 111" in page


def test_bulk_changes_are_attributed_to_the_given_actor_with_their_email(
    dinsos, dinkes, dinsos_officer
):
    # Given a clerk with an e-mail address, and two records a bulk write changed
    dinsos_officer.email = "petugas@dinsos.kedirikota.go.id"
    dinsos_officer.save(update_fields=["email"])
    changes = [
        (dinsos.pk, str(dinsos), {"phone": ["", "0354 682955"]}),
        (dinkes.pk, str(dinkes), {"phone": ["", "0354 773012"]}),
    ]

    # When the changes are logged in bulk for them
    log_bulk_changes(Opd, changes, source="sync", actor=dinsos_officer)

    # Then each record has one update entry naming the clerk and their address
    entries = LogEntry.objects.filter(additional_data__source="sync").order_by("object_pk")
    assert [(e.object_pk, e.object_repr, e.changes) for e in entries] == [
        (str(pk), label, diff) for pk, label, diff in sorted(changes, key=lambda c: str(c[0]))
    ]
    assert {(e.action, e.actor_id, e.actor_email) for e in entries} == {
        (LogEntry.Action.UPDATE, dinsos_officer.pk, "petugas@dinsos.kedirikota.go.id")
    }
    assert list(LogEntry.objects.get_for_object(dinsos).filter(additional_data__source="sync"))


def test_bulk_changes_without_an_actor_go_to_the_user_acting(dinsos, administrator):
    administrator.email = "smartcity@kedirikota.go.id"
    administrator.save(update_fields=["email"])
    with acting_as(administrator):
        log_bulk_changes(Opd, [(dinsos.pk, "Dinsos", {"phone": ["", "1"]})], source="sync")
    log_bulk_changes(Opd, [(dinsos.pk, "Dinsos", {"phone": ["1", "2"]})], source="script")

    acted = LogEntry.objects.get(additional_data__source="sync")
    assert (acted.actor, acted.actor_email) == (administrator, "smartcity@kedirikota.go.id")
    # Outside it, and with nobody signed in, the entry names nobody.
    unattributed = LogEntry.objects.get(additional_data__source="script")
    assert (unattributed.actor, unattributed.actor_email) == (None, None)
