"""Stat meetings: the agenda proposed from what changed, an action item made from a red figure,
and the item reviewed at the next meeting with the figure shown again beside it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from kotacerdas.dashboard import meetings, panels
from kotacerdas.dashboard.choices import ActionStatus
from kotacerdas.dashboard.models import ActionItem, ActionReview
from kotacerdas.dashboard.scope import CITY, Scope
from kotacerdas.masterplan.models import KpiActual


@pytest.fixture(autouse=True)
def in_english():
    """These tests read the English texts (the platform's default is Indonesian)."""
    with translation.override("en"):
        yield


def test_the_agenda_is_proposed_from_what_changed(red_kpi, executive):
    today = timezone.localdate()
    meeting = meetings.plan_meeting(executive, date=today, title="Rapat kinerja")
    texts = [item.text for item in meeting.agenda.all()]
    assert any(red_kpi.name in text and "red" in text for text in texts)
    assert all(item.proposed for item in meeting.agenda.all())
    keys = {item.figure_key for item in meeting.agenda.all()}
    assert f"kpi.{red_kpi.pk}" in keys


def test_an_action_item_follows_its_figure_through_two_meetings(red_kpi, executive, dinsos):
    today = timezone.localdate()
    first = meetings.plan_meeting(executive, date=today - dt.timedelta(days=14), title="Rapat 1")
    action = meetings.create_action(
        executive,
        title="Percepat verifikasi NIK penerima",
        owner="dinsos",
        due_date=today + dt.timedelta(days=30),
        meeting=first,
        figure_key=f"kpi.{red_kpi.pk}",
    )
    assert action.figure_value == Decimal(70)
    assert action.metric_version == "kpi.achievement@v1"
    assert red_kpi.name in action.figure_label

    # Between the meetings Dinas Sosial reports a better value.
    KpiActual.objects.filter(kpi=red_kpi).update(value=Decimal(88))
    second = meetings.plan_meeting(executive, date=today, title="Rapat 2")

    under_review = meetings.actions_to_review(second)
    assert [item.action for item in under_review] == [action]
    assert under_review[0].now.value == Decimal(88)
    assert under_review[0].moved == Decimal(18)
    assert "Review of the open action items" in [i.text for i in second.agenda.all()]

    meetings.review_action(
        executive, action, status=ActionStatus.DONE, note="Verifikasi selesai", meeting=second
    )
    review = ActionReview.objects.get(action=action, meeting=second)
    assert review.figure_value == Decimal(88)
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    # Closed since the previous meeting, it is reviewed once more at the meeting after; made
    # at the first meeting, it is not that meeting's to review.
    third = meetings.plan_meeting(executive, date=today + dt.timedelta(days=1), title="Rapat 3")
    assert [item.action for item in meetings.actions_to_review(third)] == [action]
    assert meetings.actions_to_review(first) == []


def test_the_owner_opd_reports_progress_and_others_may_not(
    red_kpi, executive, dinsos_officer, dinkes_officer
):
    action = meetings.create_action(
        executive,
        title="Percepat verifikasi",
        owner="dinsos",
        due_date=timezone.localdate() + dt.timedelta(days=7),
    )
    meetings.review_action(dinsos_officer, action, status=ActionStatus.IN_PROGRESS, note="Mulai")
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS
    with pytest.raises(PermissionDenied):
        meetings.review_action(dinkes_officer, action, status=ActionStatus.DONE)
    with pytest.raises(PermissionDenied):
        meetings.create_action(dinsos_officer, title="x", owner="dinsos", due_date="2030-01-01")


def test_bad_input_names_each_field_and_saves_nothing(executive, dinsos):
    with pytest.raises(ValidationError) as caught:
        meetings.create_action(
            executive,
            title="  ",
            owner="no-such-opd",
            due_date="31/12/2026",
            figure_key="kpi.999999",
            record_url="//example.com/",
        )
    assert set(caught.value.message_dict) == {
        "title",
        "owner",
        "due_date",
        "figure_key",
        "record_url",
    }
    assert not ActionItem.objects.exists()


def test_overdue_items_are_on_the_dashboard(executive, dinsos):
    action = meetings.create_action(
        executive,
        title="Terlambat",
        owner=dinsos,
        due_date=timezone.localdate() - dt.timedelta(days=2),
    )
    panel = panels.actions_panel(panels.reader_for(Scope(CITY), executive))
    assert panel.figure("actions.overdue").value == 1
    assert panel.context["overdue"] == [action]
