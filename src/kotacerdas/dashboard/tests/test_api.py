"""The executive dashboard JSON API at /api/v1/dashboard/: the same figures as the page for the
same reader, limited to their part of the city; stat meetings, action items and annotations
through the domain functions, with their permission and validation rules."""

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from kotacerdas.core.models import Region, User
from kotacerdas.core.tokens import issue_token
from kotacerdas.dashboard import meetings, panels
from kotacerdas.dashboard.metrics import all_metrics
from kotacerdas.dashboard.models import ActionItem, ActionReview, AgendaItem, Annotation
from kotacerdas.dashboard.scope import scope_of
from kotacerdas.masterplan import programmes
from kotacerdas.opendata import indicators
from kotacerdas.opendata.models import Indicator
from kotacerdas.servicedesk import stats, workflow
from kotacerdas.servicedesk.models import ServiceRequest

pytestmark = pytest.mark.django_db

API = "/api/v1/dashboard"
JSON = "application/json"
BALOWERTI = "35.71.02.1002"  # the ``kelurahan_officer``'s kelurahan
SEMAMPIR = "35.71.02.1001"  # next door, in the same kecamatan


def post(client: Client, url: str, body: dict):
    return client.post(f"{API}{url}", body, content_type=JSON)


def fields(response) -> set[str]:
    return {error["field"] for error in response.json()["errors"]}


def summary_figures(client: Client, **query) -> dict[str, dict]:
    response = client.get(f"{API}/summary", query)
    assert response.status_code == 200, response.json()
    return {f["key"]: f for panel in response.json()["panels"] for f in panel["figures"]}


def number(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


@pytest.fixture
def kpi_at_88(administrator, kpi, q3):
    """Kartu Sahabat's KPI (target 95 for 2026) at 88.5 in 2026 Q3, the period due last."""
    programmes.record_kpi_actual(administrator, kpi, 2026, "Q3", Decimal("88.5"))
    return kpi


@pytest.fixture
def in_kelurahan(road_service, file_request, desk_officer):
    """``in_kelurahan(code)``: a road complaint located in ``code``, passed on to DPUPR."""

    def make(code: str):
        filed = file_request(
            road_service,
            at=timezone.now() - dt.timedelta(days=3),
            region=Region.objects.get(code=code),
        )
        return workflow.assign(desk_officer, filed)

    return make


@pytest.fixture
def poverty(administrator, kediri) -> Indicator:
    """A Satu Data indicator with a value for the city and for two neighbouring kelurahan."""
    indicator = Indicator.objects.create(
        code="kemiskinan", name="Penduduk miskin", unit="%", direction="lower"
    )
    for code, value in (("35.71", "7.2"), (BALOWERTI, "9.1"), (SEMAMPIR, "5.4")):
        region = Region.objects.get(code=code)
        indicators.record_value(administrator, indicator, region, 2025, value, None, "BPS")
    return indicator


# Access


@pytest.mark.parametrize(
    "url", ["/summary", "/metrics", "/meetings", "/actions", "/annotations", "/actions/1"]
)
def test_anonymous_visitors_get_401(citizen, url):
    response = citizen.get(f"{API}{url}")
    assert response.status_code == 401
    assert "Bearer" in response.json()["message"]


def test_anonymous_writes_get_401(citizen):
    assert post(citizen, "/meetings", {"date": "2026-12-01", "title": "x"}).status_code == 401
    assert post(citizen, "/annotations", {"series": "index"}).status_code == 401


@pytest.mark.parametrize("url", ["/summary", "/metrics", "/meetings", "/actions", "/annotations"])
def test_an_assessor_has_no_dashboard_and_gets_403(client_for, assessor, url):
    response = client_for(assessor).get(f"{API}{url}")
    assert response.status_code == 403
    assert response.json()["message"]


def test_an_assessor_cannot_annotate_or_plan(client_for, assessor):
    client = client_for(assessor)
    note = {"series": "index", "date": "2026-11-01", "text": "Banjir"}
    assert post(client, "/annotations", note).status_code == 403
    assert post(client, "/meetings", {"date": "2026-12-01", "title": "x"}).status_code == 403
    assert not Annotation.objects.exists()


def test_a_machine_client_reads_the_summary_with_a_token(executive):
    secret = issue_token(executive, "command centre wall").secret
    response = Client(enforce_csrf_checks=True).get(
        f"{API}/summary", HTTP_AUTHORIZATION=f"Bearer {secret}"
    )
    assert response.status_code == 200
    assert response.json()["scope"]["kind"] == "city"


# The summary


def test_the_summary_gives_the_panels_figures_for_the_same_user(client_for, executive, kpi_at_88):
    # Given a KPI reported at 88.5 of a target of 95 (93.2%: amber)
    # When the executive reads the summary
    response = client_for(executive).get(f"{API}/summary")
    assert response.status_code == 200
    body = response.json()
    # Then it holds the page's panels, in order, with the same figures
    expected = panels.all_panels(panels.reader_for(scope_of(executive), executive))
    assert [p["key"] for p in body["panels"]] == [p.key for p in expected]
    got = {f["key"]: f for panel in body["panels"] for f in panel["figures"]}
    want = {f.key: f for panel in expected for f in panel.figures}
    assert got.keys() == want.keys()
    for key, figure in want.items():
        assert number(got[key]["value"]) == (
            None if figure.value is None else Decimal(figure.value)
        ), key
        assert (got[key]["status"], got[key]["unit"], got[key]["period"]) == (
            figure.status,
            figure.unit,
            figure.period,
        ), key
    kpi = got[f"kpi.{kpi_at_88.pk}"]
    assert (kpi["value"], kpi["target"], kpi["status"], kpi["period"]) == (
        "88.5",
        "95",
        "amber",
        "2026 Q3",
    )
    assert kpi["owner"] == "dinsos" and kpi["stale"] is False
    assert kpi["metric"]["code"] == "kpi.achievement" and kpi["metric"]["version"] == 1
    assert kpi["records_url"] == settings.KOTACERDAS_PUBLIC_URL + want[kpi["key"]].drill_url
    assert "/staf/masterplan/" in kpi["records_url"]
    assert body["scope"] == {"kind": "city", "area": None, "opd": None, "label": "Kota Kediri"}


def test_sla_compliance_is_the_service_desks_for_the_same_window(
    client_for, executive, road_service, file_request, desk_officer, dpupr_officer
):
    # Given three road complaints filed 20 days ago, two resolved within the day and one
    # resolved only now (past its five working days)
    filed_at = timezone.now() - dt.timedelta(days=20)
    for late in (False, False, True):
        filed = file_request(road_service, at=filed_at)
        workflow.assign(desk_officer, filed, at=filed_at + dt.timedelta(minutes=5))
        done_at = timezone.now() if late else filed_at + dt.timedelta(hours=2)
        workflow.resolve(dpupr_officer, filed, "Sudah ditambal", at=done_at)
    # When the executive reads the summary
    sla = summary_figures(client_for(executive))["pecut.sla"]
    # Then the SLA compliance is the service desk's own figure over the last 30 days
    today = timezone.localdate()
    start = today - dt.timedelta(days=panels.SLA_DAYS - 1)
    desk = stats.city_figures(ServiceRequest.objects.all(), start, today)
    assert desk.compliance == Decimal("66.7")
    assert number(sla["value"]) == desk.compliance
    assert (sla["unit"], sla["status"], sla["period"]) == (
        "%",
        "red",
        f"{start.isoformat()}/{today.isoformat()}",
    )
    assert sla["source"] and sla["updated_at"]
    assert sla["metric"]["code"] == "pecut.sla"


def test_a_kelurahan_officer_sees_figures_of_their_kelurahan_only(
    client_for, executive, kelurahan_officer, in_kelurahan, kpi_at_88, poverty
):
    # Given an open request in Balowerti, one in Semampir next door, a Dinas Sosial KPI and an
    # indicator with a value for the city and for both kelurahan
    in_kelurahan(BALOWERTI)
    in_kelurahan(SEMAMPIR)
    city = summary_figures(client_for(executive))
    assert city["pecut.open"]["value"] == "2"
    assert city["indicator.kemiskinan"]["value"] == "7.2"
    # When the officer of Kelurahan Balowerti reads the summary
    client = client_for(kelurahan_officer)
    body = client.get(f"{API}/summary").json()
    mine = {f["key"]: f for panel in body["panels"] for f in panel["figures"]}
    # Then it covers their kelurahan: its request, its indicator value, no other OPD's KPI
    assert body["scope"] == {
        "kind": "area",
        "area": BALOWERTI,
        "opd": "kel-balowerti",
        "label": "Balowerti",
    }
    assert mine["pecut.open"]["value"] == "1"
    assert f"region={BALOWERTI}" in mine["pecut.open"]["records_url"]
    assert mine[f"indicator.kemiskinan.{BALOWERTI}"]["value"] == "9.1"
    assert "indicator.kemiskinan" not in mine
    assert not [key for key in mine if SEMAMPIR in key or key.startswith("kpi.")]


def test_an_opd_officer_reads_their_opds_figures(client_for, dinkes_officer, kpi_at_88):
    body = client_for(dinkes_officer).get(f"{API}/summary").json()
    keys = {f["key"] for panel in body["panels"] for f in panel["figures"]}
    assert body["scope"]["kind"] == "opd" and body["scope"]["opd"] == "dinkes"
    assert "social" not in [p["key"] for p in body["panels"]]
    assert f"kpi.{kpi_at_88.pk}" not in keys and "pecut.sla" in keys


def test_the_summary_refuses_an_unknown_indicator_or_level(client_for, executive):
    client = client_for(executive)
    response = client.get(f"{API}/summary", {"indicator": "no-such-thing"})
    assert response.status_code == 422 and fields(response) == {"indicator"}
    response = client.get(f"{API}/summary", {"level": "planet"})
    assert response.status_code == 422 and fields(response) == {"level"}


def test_metrics_are_every_definition(client_for, dinkes_officer):
    response = client_for(dinkes_officer).get(f"{API}/metrics")
    assert response.status_code == 200
    listed = {m["code"]: m for m in response.json()}
    assert list(listed) == [m.code for m in all_metrics()]
    sla = listed["pecut.sla"]
    assert sla["versioned"] == "pecut.sla@v1"
    assert (sla["unit"], sla["direction"], sla["owner"], sla["public"]) == (
        "%",
        "higher",
        "diskominfo",
        True,
    )
    assert (sla["refresh_days"], sla["green_at"], sla["amber_at"]) == (None, "90", "80")
    assert sla["formula"] and sla["source"] and sla["name"]
    assert listed["kpi.achievement"]["refresh_days"] == 100


# Stat meetings


def test_planning_a_meeting_proposes_its_agenda(client_for, executive, administrator, dinkes):
    # Given an action item that fell overdue three days ago
    today = timezone.localdate()
    late = meetings.create_action(
        administrator,
        title="Perbaiki antrean puskesmas",
        owner="dinkes",
        due_date=today - dt.timedelta(days=3),
        figure_key="pecut.open",
    )
    # When the executive plans a meeting for today
    response = post(
        client_for(executive), "/meetings", {"date": today.isoformat(), "title": "Rapat"}
    )
    # Then it is created with its agenda proposed: the review of the open items, then what
    # changed since the previous meeting (the overdue item, naming its figure)
    assert response.status_code == 201, response.json()
    meeting = response.json()
    agenda = meeting["agenda"]
    assert all(item["proposed"] for item in agenda) and len(agenda) >= 2
    assert agenda[0]["figure_key"] == ""
    assert [item["figure_key"] for item in agenda[1:]] == [
        change.figure_key for change in meetings.proposed_agenda(today)
    ]
    assert any(late.title in item["text"] and item["figure_key"] == "pecut.open" for item in agenda)
    assert [i["id"] for i in agenda] == list(
        AgendaItem.objects.filter(meeting_id=meeting["id"]).values_list("pk", flat=True)
    )
    # and the meeting reviews the overdue item
    assert [row["action"]["id"] for row in meeting["to_review"]] == [late.pk]
    assert meeting["to_review"][0]["action"]["overdue"] is True


def test_only_the_leadership_plans_and_edits_meetings(client_for, dinkes_officer, executive):
    client = client_for(dinkes_officer)
    response = post(client, "/meetings", {"date": "2026-12-01", "title": "Rapat"})
    assert response.status_code == 403
    meeting = meetings.plan_meeting(executive, date="2026-12-01", title="Rapat")
    url = f"{API}/meetings/{meeting.pk}"
    assert client.patch(url, {"minutes": "x"}, content_type=JSON).status_code == 403
    assert post(client, f"/meetings/{meeting.pk}/agenda", {"text": "x"}).status_code == 403
    # but an OPD officer reads it
    assert client.get(url).status_code == 200


def test_a_bad_meeting_names_its_fields(client_for, executive):
    client = client_for(executive)
    response = post(client, "/meetings", {"date": "1 Desember", "title": "Rapat"})
    assert response.status_code == 422 and fields(response) == {"date"}
    response = post(client, "/meetings", {"date": "2026-12-01", "title": "  "})
    assert response.status_code == 422 and fields(response) == {"title"}
    response = post(client, "/meetings", {"date": "2026-12-01", "title": "R", "room": "A"})
    assert response.status_code == 422 and fields(response) == {"room"}


def test_recording_a_meeting_changes_only_the_fields_sent(client_for, executive):
    meeting = meetings.plan_meeting(executive, date="2026-12-01", title="Rapat Desember")
    client = client_for(executive)
    url = f"{API}/meetings/{meeting.pk}"
    response = client.patch(
        url, {"minutes": "Dibahas SLA", "date": "2026-12-02"}, content_type=JSON
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["title"], body["minutes"], body["date"]) == (
        "Rapat Desember",
        "Dibahas SLA",
        "2026-12-02",
    )
    response = client.patch(url, {"title": ""}, content_type=JSON)
    assert response.status_code == 422 and fields(response) == {"title"}
    meeting.refresh_from_db()
    assert meeting.title == "Rapat Desember" and meeting.minutes == "Dibahas SLA"
    assert (
        client.patch(f"{API}/meetings/{meeting.pk + 99}", {}, content_type=JSON).status_code == 404
    )


def test_agenda_items_are_added_and_removed(client_for, executive):
    meeting = meetings.plan_meeting(executive, date="2026-12-01", title="Rapat")
    client = client_for(executive)
    response = post(client, f"/meetings/{meeting.pk}/agenda", {"text": "Banjir Mojoroto"})
    assert response.status_code == 201
    item = response.json()
    assert (item["text"], item["proposed"]) == ("Banjir Mojoroto", False)
    assert post(client, f"/meetings/{meeting.pk}/agenda", {"text": ""}).status_code == 422
    url = f"{API}/meetings/{meeting.pk}/agenda/{item['id']}"
    assert client.delete(url).status_code == 204
    assert not AgendaItem.objects.filter(pk=item["id"]).exists()
    assert client.delete(url).status_code == 404


def test_meetings_are_listed_newest_first_and_paginated(client_for, executive, dinkes_officer):
    for day in ("2026-10-01", "2026-12-01", "2026-11-01"):
        meetings.plan_meeting(executive, date=day, title=f"Rapat {day}")
    body = client_for(dinkes_officer).get(f"{API}/meetings", {"limit": 2}).json()
    assert (body["count"], body["limit"], body["offset"]) == (3, 2, 0)
    assert [m["date"] for m in body["items"]] == ["2026-12-01", "2026-11-01"]
    assert body["items"][0]["created_by"] == "executive"


def test_an_opd_officer_sees_their_opds_action_items_of_a_meeting(
    client_for, executive, dinkes_officer, dinkes, dinsos
):
    meeting = meetings.plan_meeting(executive, date="2026-12-01", title="Rapat")
    for owner in ("dinkes", "dinsos"):
        meetings.create_action(
            executive, title=f"Tugas {owner}", owner=owner, due_date="2027-01-31", meeting=meeting
        )
    url = f"{API}/meetings/{meeting.pk}"
    everyone = client_for(executive).get(url).json()
    assert sorted(a["owner"] for a in everyone["actions"]) == ["dinkes", "dinsos"]
    theirs = client_for(dinkes_officer).get(url).json()
    assert [a["owner"] for a in theirs["actions"]] == ["dinkes"]
    assert theirs["agenda"] == everyone["agenda"]


# Action items


def test_an_action_with_a_bad_owner_and_due_date_names_both_fields(client_for, executive):
    client = client_for(executive)
    body = {"title": "Tambah petugas", "owner": "no-such-opd", "due_date": "31-12-2026"}
    response = post(client, "/actions", body)
    assert response.status_code == 422
    assert fields(response) == {"owner", "due_date"}
    response = post(client, "/actions", {**body, "title": "", "figure_key": "kpi.999999"})
    assert fields(response) == {"title", "owner", "due_date", "figure_key"}
    response = post(client, "/actions", {**body, "meeting": 12345})
    assert response.status_code == 422 and fields(response) == {"meeting"}
    assert not ActionItem.objects.exists()


def test_only_the_leadership_makes_action_items(client_for, dinkes_officer):
    body = {"title": "Tambah petugas", "owner": "dinkes", "due_date": "2026-12-31"}
    assert post(client_for(dinkes_officer), "/actions", body).status_code == 403
    assert not ActionItem.objects.exists()


def test_an_action_keeps_its_figures_value_when_made(client_for, executive, kpi_at_88):
    meeting = meetings.plan_meeting(executive, date="2026-12-01", title="Rapat")
    body = {
        "title": "Verifikasi NIK penerima",
        "owner": "dinsos",
        "due_date": "2026-12-31",
        "meeting": meeting.pk,
        "figure_key": f"kpi.{kpi_at_88.pk}",
    }
    response = post(client_for(executive), "/actions", body)
    assert response.status_code == 201, response.json()
    action = response.json()
    assert (action["owner"], action["status"], action["meeting"]) == ("dinsos", "open", meeting.pk)
    assert (action["figure_value"], action["metric_version"]) == ("88.5", "kpi.achievement@v1")
    assert action["figure_now"]["value"] == "88.5" and action["reviews"] == []
    assert ActionItem.objects.get(pk=action["id"]).figure_value == Decimal("88.5")


def test_a_review_changes_the_status_and_keeps_the_figure_value(
    client_for, administrator, executive, dinsos_officer, dinkes_officer, kpi_at_88
):
    # Given an action item on the KPI at 88.5, after which the KPI rose to 96
    action = meetings.create_action(
        executive,
        title="Verifikasi NIK penerima",
        owner="dinsos",
        due_date="2026-12-31",
        figure_key=f"kpi.{kpi_at_88.pk}",
    )
    programmes.record_kpi_actual(administrator, kpi_at_88, 2026, "Q3", Decimal(96))
    # When its owner OPD's officer records progress through the API
    client = client_for(dinsos_officer)
    body = {"status": "in_progress", "note": "Sudah 80% terverifikasi"}
    response = post(client, f"/actions/{action.pk}/reviews", body)
    # Then the item is in progress and the review keeps the figure as it stands now
    assert response.status_code == 201, response.json()
    review = response.json()
    assert (review["status"], review["figure_value"], review["by"]) == (
        "in_progress",
        "96",
        "officer-dinsos",
    )
    action.refresh_from_db()
    assert action.status == "in_progress"
    assert ActionReview.objects.get(pk=review["id"]).figure_value == Decimal(96)
    detail = client.get(f"{API}/actions/{action.pk}").json()
    assert (detail["figure_value"], detail["figure_now"]["value"]) == ("88.5", "96")
    assert [r["note"] for r in detail["reviews"]] == ["Sudah 80% terverifikasi"]
    assert detail["can_update"] is True
    # and another OPD does not see it, a bad status names the field, and only the leadership
    # reviews at a meeting
    other = client_for(dinkes_officer)
    assert other.get(f"{API}/actions/{action.pk}").status_code == 404
    assert post(other, f"/actions/{action.pk}/reviews", body).status_code == 404
    response = post(client, f"/actions/{action.pk}/reviews", {"status": "finished"})
    assert response.status_code == 422 and fields(response) == {"status"}
    meeting = meetings.plan_meeting(executive, date="2026-12-01", title="Rapat")
    at_meeting = {"status": "done", "meeting": meeting.pk}
    assert post(client, f"/actions/{action.pk}/reviews", at_meeting).status_code == 403
    response = post(client_for(executive), f"/actions/{action.pk}/reviews", at_meeting)
    assert response.status_code == 201 and response.json()["meeting"] == meeting.pk
    action.refresh_from_db()
    assert action.status == "done" and action.reviews.count() == 2


def test_action_items_are_filtered_and_scoped(
    client_for, executive, dinkes_officer, dinkes, dinsos
):
    today = timezone.localdate()
    overdue = meetings.create_action(
        executive, title="Lewat", owner="dinkes", due_date=today - dt.timedelta(days=1)
    )
    upcoming = meetings.create_action(
        executive, title="Nanti", owner="dinkes", due_date=today + dt.timedelta(days=9)
    )
    done = meetings.create_action(
        executive, title="Selesai", owner="dinsos", due_date=today - dt.timedelta(days=5)
    )
    meetings.review_action(executive, done, status="done")
    client = client_for(executive)

    def ids(who: Client = client, **query) -> list[int]:
        response = who.get(f"{API}/actions", query)
        assert response.status_code == 200, response.json()
        return [item["id"] for item in response.json()["items"]]

    assert ids() == [done.pk, overdue.pk, upcoming.pk]
    assert ids(status="live") == [overdue.pk, upcoming.pk]
    assert ids(status="done") == [done.pk]
    assert ids(owner="dinsos") == [done.pk]
    assert ids(overdue="true") == [overdue.pk]
    assert ids(overdue="false") == [done.pk, upcoming.pk]
    assert ids(client_for(dinkes_officer)) == [overdue.pk, upcoming.pk]
    response = client.get(f"{API}/actions", {"owner": "nobody"})
    assert response.status_code == 422 and fields(response) == {"owner"}
    response = client.get(f"{API}/actions", {"status": "late"})
    assert response.status_code == 422 and fields(response) == {"status"}
    page = client.get(f"{API}/actions", {"limit": 1, "offset": 1}).json()
    assert (page["count"], [i["id"] for i in page["items"]]) == (3, [overdue.pk])
    assert page["items"][0]["overdue"] is True


# Annotations


def test_annotations_are_added_listed_and_removed_by_their_author(
    client_for, dinkes_officer, kelurahan_officer, administrator
):
    client = client_for(dinkes_officer)
    note = {"series": "pecut.intake", "date": "2026-11-10", "text": "Banjir Mojoroto"}
    response = post(client, "/annotations", note)
    assert response.status_code == 201, response.json()
    created = response.json()
    assert (created["series"], created["date"], created["author"]) == (
        "pecut.intake",
        "2026-11-10",
        "officer-dinkes",
    )
    post(client, "/annotations", {**note, "series": "index", "text": "Lain"})
    listed = client_for(kelurahan_officer).get(f"{API}/annotations", {"series": "pecut.intake"})
    assert [n["text"] for n in listed.json()["items"]] == ["Banjir Mojoroto"]
    url = f"{API}/annotations/{created['id']}"
    assert client_for(kelurahan_officer).delete(url).status_code == 403
    assert client.delete(url).status_code == 204
    other = Annotation.objects.get()
    assert client_for(administrator).delete(f"{API}/annotations/{other.pk}").status_code == 204
    assert not Annotation.objects.exists()


def test_a_bad_annotation_names_every_field(client_for, executive):
    response = post(
        client_for(executive),
        "/annotations",
        {"series": "Not A Key!", "date": "kemarin", "text": ""},
    )
    assert response.status_code == 422
    assert fields(response) == {"series", "date", "text"}
    assert not Annotation.objects.exists()


# OpenAPI


def test_openapi_document_lists_the_dashboard_endpoints(citizen):
    response = citizen.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path, methods in {
        "/api/v1/dashboard/summary": {"get"},
        "/api/v1/dashboard/metrics": {"get"},
        "/api/v1/dashboard/meetings": {"get", "post"},
        "/api/v1/dashboard/meetings/{meeting_id}": {"get", "patch"},
        "/api/v1/dashboard/meetings/{meeting_id}/agenda": {"post"},
        "/api/v1/dashboard/meetings/{meeting_id}/agenda/{item_id}": {"delete"},
        "/api/v1/dashboard/actions": {"get", "post"},
        "/api/v1/dashboard/actions/{action_id}": {"get"},
        "/api/v1/dashboard/actions/{action_id}/reviews": {"post"},
        "/api/v1/dashboard/annotations": {"get", "post"},
        "/api/v1/dashboard/annotations/{annotation_id}": {"delete"},
    }.items():
        assert methods <= set(paths[path]), path
        for method in methods:
            assert paths[path][method]["description"], (path, method)
    schemas = response.json()["components"]["schemas"]
    figure = schemas["DashboardFigureOut"]["properties"]
    assert {"value", "unit", "period", "source", "updated_at", "status"} <= set(figure)


def test_nobody_without_a_role_reads_the_dashboard(client_for):
    nobody = User.objects.create_user(username="nobody", password=None)
    assert client_for(nobody).get(f"{API}/summary").status_code == 403
