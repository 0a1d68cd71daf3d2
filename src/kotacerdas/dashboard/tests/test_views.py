"""The dashboard pages: who may open them, a red figure with its definition and its records,
annotations on every chart of their series, and action items made from a figure."""

import datetime as dt

from django.conf import settings
from django.utils import timezone

from kotacerdas.core.models import Region
from kotacerdas.dashboard import annotations, meetings
from kotacerdas.dashboard.models import ActionItem, DigestSubscription
from kotacerdas.servicedesk.models import ServiceRequest
from kotacerdas.servicedesk.workflow import assign


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_only_dashboard_users_open_it(client_for, citizen, assessor, executive, kelurahan_officer):
    assert citizen.get("/eksekutif/").status_code == 302  # to sign in
    assert client_for(assessor).get("/eksekutif/").status_code == 403
    assert client_for(executive).get("/eksekutif/").status_code == 200
    assert client_for(kelurahan_officer).get("/eksekutif/").status_code == 200


def test_a_red_kpi_shows_its_definition_source_and_records(red_kpi, executive, client_for):
    page = english(client_for(executive)).get("/eksekutif/").content.decode()
    assert f'data-key="kpi.{red_kpi.pk}"' in page
    figure = page.split(f'data-key="kpi.{red_kpi.pk}"')[0].rsplit("<div", 1)[1]
    assert "fig-red" in figure
    block = page.split(f'data-key="kpi.{red_kpi.pk}"')[1].split('<div class="fig ')[0]
    assert "kpi.achievement@v1" in block  # the metric's versioned definition
    assert "Progress report" in block  # its source
    assert f"/staf/masterplan/program/{red_kpi.programme.code}/?kpi={red_kpi.pk}" in block
    assert "Make an action item" in block


def test_the_records_behind_a_kpi_open_on_the_programme_page(red_kpi, executive, client_for):
    page = client_for(executive).get(
        f"/staf/masterplan/program/{red_kpi.programme.code}/?kpi={red_kpi.pk}"
    )
    html = page.content.decode()
    article = html.split(f'id="kpi-{red_kpi.pk}"')[1].split("</article>")[0]
    assert "<details open>" in article and "70" in article


def test_an_annotation_shows_on_every_chart_of_its_series(
    road_service, file_request, executive, client_for
):
    for days in (3, 10, 17, 30):
        file_request(road_service, at=timezone.now() - dt.timedelta(days=days))
    annotations.annotate(
        executive,
        series="pecut.intake",
        date=timezone.localdate() - dt.timedelta(days=9),
        text="Banjir di Mojoroto",
    )
    annotations.annotate(
        executive, series="index", date=timezone.localdate(), text="Catatan seri lain"
    )
    page = client_for(executive).get("/eksekutif/").content.decode()
    chart = page.split('data-series="pecut.intake"')[1].split("</figure>")[0]
    assert "Banjir di Mojoroto" in chart and "annotation-mark" in chart
    assert "Catatan seri lain" not in chart


def test_an_annotation_without_text_is_refused_with_the_reason(executive, client_for):
    client = english(client_for(executive))
    response = client.post(
        "/eksekutif/catatan/", {"series": "index", "date": "2026-01-01", "text": ""}, follow=True
    )
    assert "Note: This field cannot be blank." in response.content.decode()


def test_an_action_item_is_made_from_a_figure(red_kpi, executive, client_for, dinsos):
    client = english(client_for(executive))
    form = client.get(f"/eksekutif/tindak-lanjut/baru/?figure=kpi.{red_kpi.pk}")
    assert form.status_code == 200
    assert '<option value="dinsos" selected>' in form.content.decode()  # the KPI's owner
    response = client.post(
        "/eksekutif/tindak-lanjut/baru/",
        {
            "title": "Percepat verifikasi",
            "owner": "dinsos",
            "due_date": (timezone.localdate() + dt.timedelta(days=14)).isoformat(),
            "figure": f"kpi.{red_kpi.pk}",
        },
    )
    action = ActionItem.objects.get()
    assert response.status_code == 302 and response.url == f"/eksekutif/tindak-lanjut/{action.pk}/"
    assert action.figure_key == f"kpi.{red_kpi.pk}" and action.owner == dinsos


def test_a_bad_action_item_names_the_field(executive, client_for, dinsos):
    client = english(client_for(executive))
    response = client.post(
        "/eksekutif/tindak-lanjut/baru/", {"title": "x", "owner": "dinsos", "due_date": "besok"}
    )
    assert response.status_code == 400
    assert 'data-field="due_date"' in response.content.decode()
    assert not ActionItem.objects.exists()


def test_an_opd_officer_sees_only_their_opds_actions(
    executive, dinsos, dinkes, dinkes_officer, client_for
):
    due = timezone.localdate() + dt.timedelta(days=5)
    theirs = meetings.create_action(executive, title="Untuk Dinkes", owner=dinkes, due_date=due)
    other = meetings.create_action(executive, title="Untuk Dinsos", owner=dinsos, due_date=due)
    client = client_for(dinkes_officer)
    listing = client.get("/eksekutif/tindak-lanjut/").content.decode()
    assert "Untuk Dinkes" in listing and "Untuk Dinsos" not in listing
    assert client.get(f"/eksekutif/tindak-lanjut/{other.pk}/").status_code == 404
    assert client.get(f"/eksekutif/tindak-lanjut/{theirs.pk}/").status_code == 200


def test_a_kelurahan_officer_never_sees_another_kelurahans_requests(
    road_service, file_request, kelurahan_officer, desk_officer, client_for
):
    file_request(
        road_service, description="Di Balowerti", region=Region.objects.get(code="35.71.02.1002")
    )
    file_request(road_service, description="Di Bandar Lor")
    for request in ServiceRequest.objects.all():
        assign(desk_officer, request)
    client = client_for(kelurahan_officer)
    page = client.get("/eksekutif/").content.decode()
    drill = page.split('data-key="pecut.open"')[1].split('class="fig-records"')[0]
    link = drill.rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    records = client.get(link).content.decode()
    assert "Balowerti" in records and "Bandar Lor" not in records


def test_the_digest_subscription_needs_an_email(executive, client_for):
    client = client_for(executive)
    client.post("/eksekutif/ringkasan-mingguan/", {"subscribe": "1"})
    assert not DigestSubscription.objects.exists()
    executive.email = "walikota@kedirikota.go.id"
    executive.save()
    client.post("/eksekutif/ringkasan-mingguan/", {"subscribe": "1"})
    assert DigestSubscription.objects.filter(user=executive).exists()


def test_a_meeting_page_plans_and_records(red_kpi, executive, client_for):
    client = client_for(executive)
    response = client.post(
        "/eksekutif/rapat/", {"date": timezone.localdate().isoformat(), "title": "Rapat SIE"}
    )
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert red_kpi.name in page  # proposed on the agenda
    meeting_url = response.url
    client.post(
        meeting_url,
        {
            "do": "record",
            "title": "Rapat SIE",
            "date": timezone.localdate().isoformat(),
            "minutes": "Dibahas IKU merah",
        },
    )
    assert "Dibahas IKU merah" in client.get(meeting_url).content.decode()
    bad = client.post("/eksekutif/rapat/", {"date": "kemarin", "title": ""})
    assert bad.status_code == 400


def test_hidden_fields_with_nonsense_are_not_a_server_error(red_kpi, executive, client_for):
    client = client_for(executive)
    meeting = meetings.plan_meeting(executive, date=timezone.localdate(), title="Rapat")
    action = meetings.create_action(
        executive, title="Cek", owner="dinsos", due_date=timezone.localdate()
    )
    answer = client.post(
        f"/eksekutif/tindak-lanjut/{action.pk}/", {"status": "done", "meeting": "abc"}
    )
    assert answer.status_code == 302
    removed = client.post(f"/eksekutif/rapat/{meeting.pk}/", {"do": "remove-agenda", "item": "x"})
    assert removed.status_code == 404


def test_the_overdue_filter_reads_as_the_api_does(executive, client_for, dinsos):
    today = timezone.localdate()
    meetings.create_action(executive, title="Belum jatuh tempo", owner=dinsos, due_date=today)
    meetings.create_action(
        executive, title="Sudah terlambat", owner=dinsos, due_date=today - dt.timedelta(days=3)
    )
    client = client_for(executive)
    only = client.get("/eksekutif/tindak-lanjut/?overdue=1").content.decode()
    none = client.get("/eksekutif/tindak-lanjut/?overdue=0").content.decode()
    every = client.get("/eksekutif/tindak-lanjut/").content.decode()
    assert "Sudah terlambat" in only and "Belum jatuh tempo" not in only
    assert "Belum jatuh tempo" in none and "Sudah terlambat" not in none
    assert "Belum jatuh tempo" in every and "Sudah terlambat" in every
