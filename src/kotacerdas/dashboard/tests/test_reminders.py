"""Reminders of overdue action items: the owner OPD (its office address and its officers) gets
one email per overdue item, again only after ``DASHBOARD["REMIND_EVERY_DAYS"]``; items done,
dropped or not yet due are left alone. ``kotacerdas dashboard remind`` runs it from cron."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from kotacerdas.core.access import grant_role
from kotacerdas.core.choices import Role
from kotacerdas.core.models import User
from kotacerdas.dashboard import meetings
from kotacerdas.dashboard.choices import ActionStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def dinsos_addresses(dinsos, dinsos_officer, dinkes_officer):
    """Dinas Sosial's office address and two officers' addresses, one of them no longer active;
    Dinas Kesehatan's officer has an address too."""
    dinsos.email = "dinsos@kedirikota.go.id"
    dinsos.save(update_fields=["email"])
    dinsos_officer.email = "officer-dinsos@kedirikota.go.id"
    dinsos_officer.save(update_fields=["email"])
    former = User.objects.create_user(
        username="former-dinsos", opd=dinsos, email="former@kedirikota.go.id", is_active=False
    )
    grant_role(former, Role.OPD_OFFICER, dinsos)
    dinkes_officer.email = "officer-dinkes@kedirikota.go.id"
    dinkes_officer.save(update_fields=["email"])
    return ["dinsos@kedirikota.go.id", "officer-dinsos@kedirikota.go.id"]


def action(executive, title: str, due_in_days: int, owner: str = "dinsos"):
    return meetings.create_action(
        executive,
        title=title,
        owner=owner,
        due_date=timezone.localdate() + dt.timedelta(days=due_in_days),
    )


def test_the_owner_opd_of_an_overdue_action_gets_one_reminder(
    executive, dinsos_addresses, mailoutbox, settings
):
    # Given an action item of Dinas Sosial three days overdue and one not yet due
    late = action(executive, "Verifikasi penerima yang meninggal", -3)
    action(executive, "Susun rencana percepatan", 10)
    # When the reminders run
    assert meetings.remind_overdue_actions() == 1
    # Then Dinas Sosial's office and its active officer get one email about the late item
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert sorted(message.to) == dinsos_addresses
    assert "Verifikasi penerima yang meninggal" in message.subject
    assert f"/eksekutif/tindak-lanjut/{late.pk}/" in message.body
    late.refresh_from_db()
    assert late.reminded_at is not None

    # A second run within REMIND_EVERY_DAYS sends nothing
    assert settings.DASHBOARD["REMIND_EVERY_DAYS"] > 0
    assert meetings.remind_overdue_actions() == 0
    assert len(mailoutbox) == 1
    # once that time has passed (here: a setting of zero days), the item is reminded again
    settings.DASHBOARD = {**settings.DASHBOARD, "REMIND_EVERY_DAYS": 0}
    assert meetings.remind_overdue_actions() == 1
    assert len(mailoutbox) == 2


def test_done_and_dropped_actions_are_not_reminded(executive, dinsos_addresses, mailoutbox):
    done = action(executive, "Sudah selesai", -5)
    dropped = action(executive, "Dibatalkan", -5)
    meetings.review_action(executive, done, status=ActionStatus.DONE, note="Selesai")
    meetings.review_action(executive, dropped, status=ActionStatus.DROPPED)
    assert meetings.remind_overdue_actions() == 0
    assert mailoutbox == []


def test_an_action_in_progress_is_still_reminded_when_late(executive, dinsos_addresses, mailoutbox):
    late = action(executive, "Sedang dikerjakan", -1)
    meetings.review_action(executive, late, status=ActionStatus.IN_PROGRESS)
    assert meetings.remind_overdue_actions() == 1
    assert sorted(mailoutbox[0].to) == dinsos_addresses


def test_the_remind_command_sends_and_reports(executive, dinsos_addresses, mailoutbox):
    action(executive, "Verifikasi penerima yang meninggal", -3)
    out = io.StringIO()
    call_command("dashboard", "remind", stdout=out)
    assert out.getvalue().strip() == "1 reminder(s) sent."
    assert len(mailoutbox) == 1
    # cron runs it again the same day: nothing more
    out = io.StringIO()
    call_command("dashboard", "remind", stdout=out)
    assert out.getvalue().strip() == "0 reminder(s) sent."
    assert len(mailoutbox) == 1


def test_the_remind_command_counts_overdue_as_of_a_given_day(
    executive, dinsos_addresses, mailoutbox
):
    # An item due in five days is not overdue today, but is as of a week from now
    action(executive, "Belum jatuh tempo", 5)
    out = io.StringIO()
    call_command("dashboard", "remind", stdout=out)
    assert out.getvalue().strip() == "0 reminder(s) sent."
    later = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    call_command("dashboard", "remind", "--date", later, stdout=out)
    assert len(mailoutbox) == 1
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("dashboard", "remind", "--date", "besok")
