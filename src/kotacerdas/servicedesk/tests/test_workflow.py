"""A request's way through the desk: triage, the OPD's work, the citizen's answer, deadlines."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from kotacerdas.servicedesk import workflow
from kotacerdas.servicedesk.choices import EventKind, Status
from kotacerdas.servicedesk.models import RequestEvent
from kotacerdas.servicedesk.tests.fixtures import MONDAY_9AM

HOUR = dt.timedelta(hours=1)


@pytest.fixture
def filed(road_service, file_request):
    return file_request(road_service, email="warga@example.id")


def test_a_request_goes_from_submission_to_closure(
    filed, desk_officer, dpupr_officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.verify(desk_officer, filed, at=MONDAY_9AM + HOUR)
        workflow.assign(desk_officer, filed, at=MONDAY_9AM + 2 * HOUR)
    assert filed.status == Status.ASSIGNED and filed.assigned_at is not None
    assert [m.to for m in mail.outbox] == [["officer-dpupr@kedirikota.go.id"]]
    workflow.start(dpupr_officer, filed, at=MONDAY_9AM + 3 * HOUR)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.resolve(dpupr_officer, filed, "Lubang sudah ditambal.", at=MONDAY_9AM + 4 * HOUR)
    assert mail.outbox[-1].to == ["warga@example.id"]
    assert "Lubang sudah ditambal." in mail.outbox[-1].body
    assert filed.access_secret in mail.outbox[-1].body  # the status link
    workflow.close(filed, at=MONDAY_9AM + 5 * HOUR)
    filed.refresh_from_db()
    assert filed.status == Status.CLOSED
    steps = list(filed.events.values_list("to_status", flat=True))
    assert steps == ["submitted", "verified", "assigned", "in_progress", "resolved", "closed"]
    # Each step is in the audit trail with its actor.
    entries = LogEntry.objects.get_for_object(filed)
    assert entries.filter(actor=dpupr_officer).exists()
    assert entries.filter(actor=desk_officer).exists()


def test_only_the_desk_triages(filed, dpupr_officer, dinsos_officer):
    with pytest.raises(PermissionDenied):
        workflow.assign(dpupr_officer, filed)
    with pytest.raises(PermissionDenied):
        workflow.reject(dinsos_officer, filed, "spam")


def test_another_opd_cannot_work_the_request(filed, desk_officer, dinsos_officer):
    workflow.assign(desk_officer, filed)
    with pytest.raises(PermissionDenied):
        workflow.start(dinsos_officer, filed)
    with pytest.raises(PermissionDenied):
        workflow.resolve(dinsos_officer, filed, "done")
    filed.refresh_from_db()
    assert filed.status == Status.ASSIGNED


def test_a_step_out_of_order_is_refused(filed, desk_officer, dpupr_officer):
    with pytest.raises(ValidationError) as refused:
        workflow.start(desk_officer, filed)  # not assigned yet
    assert "status" in refused.value.message_dict


def test_rejection_and_resolution_need_words_for_the_citizen(filed, desk_officer):
    with pytest.raises(ValidationError) as refused:
        workflow.reject(desk_officer, filed, "  ")
    assert "reason" in refused.value.message_dict
    workflow.assign(desk_officer, filed)
    with pytest.raises(ValidationError) as refused:
        workflow.resolve(desk_officer, filed, "")
    assert "answer" in refused.value.message_dict


def test_a_transfer_moves_the_request_and_keeps_the_reason_internal(
    filed, desk_officer, dpupr_officer, dinsos
):
    workflow.assign(desk_officer, filed)
    workflow.transfer(dpupr_officer, filed, dinsos, "Ini soal bantuan sosial, bukan jalan.")
    filed.refresh_from_db()
    assert filed.opd == dinsos and filed.status == Status.ASSIGNED
    transfer = filed.events.get(kind=EventKind.TRANSFER)
    note = filed.events.get(kind=EventKind.NOTE)
    assert transfer.public and transfer.text == str(dinsos)
    assert not note.public and "bantuan sosial" in note.text
    with pytest.raises(PermissionDenied):  # no longer DPUPR's
        workflow.start(dpupr_officer, filed)


def test_the_citizen_reopens_within_the_window_with_a_new_deadline(filed, desk_officer, settings):
    workflow.assign(desk_officer, filed, at=MONDAY_9AM)
    workflow.resolve(desk_officer, filed, "Sudah", at=MONDAY_9AM + HOUR)
    first_due = filed.due_at
    later = MONDAY_9AM + dt.timedelta(days=3)
    workflow.reopen(filed, "Lubangnya masih ada", at=later)
    filed.refresh_from_db()
    assert filed.status == Status.ASSIGNED and filed.reopened == 1
    assert filed.resolved_at is None and filed.due_at > first_due
    workflow.resolve(desk_officer, filed, "Sudah diaspal ulang", at=later + HOUR)
    too_late = later + dt.timedelta(days=settings.SERVICEDESK["REOPEN_DAYS"] + 1)
    with pytest.raises(ValidationError):
        workflow.reopen(filed, "Masih", at=too_late)


def test_merged_reports_share_updates(
    road_service, file_request, desk_officer, django_capture_on_commit_callbacks
):
    main = file_request(road_service, email="pertama@example.id")
    duplicate = file_request(road_service, email="kedua@example.id")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.merge(desk_officer, duplicate, main)
    assert mail.outbox[-1].to == ["kedua@example.id"]
    mail.outbox.clear()
    workflow.assign(desk_officer, main)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.add_update(desk_officer, main, "Tim sudah survei lokasi.", public=True)
    assert sorted(m.to[0] for m in mail.outbox) == ["kedua@example.id", "pertama@example.id"]
    with pytest.raises(ValidationError):  # a merged request is worked through its main one
        workflow.assign(desk_officer, duplicate)
    with pytest.raises(ValidationError):
        workflow.merge(desk_officer, main, main)


def test_internal_notes_reach_no_citizen(filed, desk_officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        note = workflow.add_update(desk_officer, filed, "Pelapor sering iseng", public=False)
    assert not note.public
    assert not [m for m in mail.outbox if "Pelapor" in m.body]


def test_deadlines_warn_once_then_escalate_to_the_head_once(
    filed, desk_officer, django_capture_on_commit_callbacks
):
    workflow.assign(desk_officer, filed, at=MONDAY_9AM)
    mail.outbox.clear()
    # Due Monday 9 Nov 09:00; the warning falls when a quarter of the 5 days is left.
    assert workflow.check_deadlines(at=MONDAY_9AM + dt.timedelta(days=1)) == (0, 0)
    with django_capture_on_commit_callbacks(execute=True):
        assert workflow.check_deadlines(at=dt.datetime.fromisoformat("2026-11-06T11:00+07:00")) == (
            1,
            0,
        )
    assert workflow.check_deadlines(at=dt.datetime.fromisoformat("2026-11-06T12:00+07:00")) == (
        0,
        0,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert workflow.check_deadlines(at=dt.datetime.fromisoformat("2026-11-09T10:00+07:00")) == (
            0,
            1,
        )
    escalation = mail.outbox[-1]
    assert "dpupr@kedirikota.go.id" in escalation.to  # the head reads the office address
    assert workflow.check_deadlines(at=dt.datetime.fromisoformat("2026-11-10T10:00+07:00")) == (
        0,
        0,
    )
    kinds = list(RequestEvent.objects.filter(request=filed).values_list("kind", flat=True))
    assert kinds.count(EventKind.WARNING) == 1 and kinds.count(EventKind.ESCALATION) == 1


def test_a_resolved_request_closes_itself_after_the_set_days(filed, desk_officer, settings):
    workflow.assign(desk_officer, filed, at=MONDAY_9AM)
    workflow.resolve(desk_officer, filed, "Sudah", at=MONDAY_9AM + HOUR)
    days = settings.SERVICEDESK["AUTO_CLOSE_DAYS"]
    assert workflow.close_resolved(at=MONDAY_9AM + dt.timedelta(days=days - 1)) == 0
    assert workflow.close_resolved(at=MONDAY_9AM + dt.timedelta(days=days, hours=2)) == 1
    filed.refresh_from_db()
    assert filed.status == Status.CLOSED


def test_staff_closing_is_for_the_desk_or_the_opd_on_it(filed, desk_officer, dinsos_officer):
    workflow.assign(desk_officer, filed)
    workflow.resolve(desk_officer, filed, "Sudah")
    with pytest.raises(PermissionDenied):
        workflow.close(filed, actor=dinsos_officer)
    workflow.close(filed, actor=desk_officer)
    filed.refresh_from_db()
    assert filed.status == Status.CLOSED
