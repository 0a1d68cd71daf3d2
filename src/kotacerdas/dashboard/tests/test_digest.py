"""The weekly digest: each subscriber gets one plain-text email a week with their own
dashboard's red and not-reported figures, what changed and the overdue action items; an officer
of a kelurahan office never reads another area's figures."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from kotacerdas.core.access import grant_role
from kotacerdas.core.choices import OpdKind, Role
from kotacerdas.core.models import Opd, Region, User
from kotacerdas.dashboard import meetings
from kotacerdas.dashboard.digest import send_weekly_digest
from kotacerdas.dashboard.models import DigestSubscription
from kotacerdas.masterplan import reporting
from kotacerdas.servicedesk import workflow
from kotacerdas.servicedesk.tests.fixtures import MONDAY_9AM

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
# Monday 23 November 2026, 07:00 WIB: the 2026 Q3 reports are due (15 October) and the road
# complaints of the fixtures (2 November) fall in the last 30 days.
NOW = dt.datetime(2026, 11, 23, 7, 0, tzinfo=WIB)
KPI_LABEL = "Penerima terverifikasi NIK (Kartu Sahabat)"
SEMAMPIR = "35.71.02.1001"  # beside Balowerti, served by the ``kelurahan_officer``'s office


@pytest.fixture(autouse=True)
def in_english(settings):
    """These tests read the English texts: the platform's language set to English."""
    settings.LANGUAGE_CODE = "en"


def subscribe(client_for, user: User, email: str) -> None:
    """The user gives an email address and subscribes on the dashboard."""
    user.email = email
    user.save(update_fields=["email"])
    response = client_for(user).post("/eksekutif/ringkasan-mingguan/", {"subscribe": "1"})
    assert response.status_code == 302
    assert DigestSubscription.objects.filter(user=user).exists()


@pytest.fixture
def red_kpi(dinsos_officer, programme, kpi, q3):
    """Dinas Sosial reported its KPI at 41 of the year's target 95: red."""
    report = reporting.start_report(dinsos_officer, programme.owner, 2026, "Q3")
    line = reporting.LineInput(programme=programme, kpi_values={kpi.pk: Decimal(41)})
    reporting.save_report(dinsos_officer, report, "", [line])
    return kpi


def test_the_digest_goes_once_a_week_with_the_red_figures(
    client_for, executive, red_kpi, mailoutbox
):
    # Given an executive subscribed to the digest and an overdue action item
    subscribe(client_for, executive, "walikota@kedirikota.go.id")
    meetings.create_action(
        executive, title="Percepat verifikasi NIK", owner="dinsos", due_date=dt.date(2026, 11, 16)
    )
    # When the digest runs
    assert send_weekly_digest(NOW) == 1
    # Then the executive gets a plain-text email
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["walikota@kedirikota.go.id"]
    assert "23 Nov 2026" in message.subject
    assert message.content_subtype == "plain" and not getattr(message, "alternatives", None)
    body = message.body
    # with the red KPI, its value and unit, and a link to the dashboard
    assert f"{KPI_LABEL}: 41 %" in body
    assert "http://localhost:8000/eksekutif/#panel-programmes" in body
    # with what changed (the KPI turned red) and the overdue action item with its link
    assert f"{KPI_LABEL} turned red" in body
    assert "Percepat verifikasi NIK (Dinsos)" in body
    assert "http://localhost:8000/eksekutif/tindak-lanjut/" in body
    subscription = DigestSubscription.objects.get(user=executive)
    assert subscription.last_sent_at == NOW

    # A second run the same day, and one five days later, send nothing
    assert send_weekly_digest(NOW + dt.timedelta(hours=3)) == 0
    assert send_weekly_digest(NOW + dt.timedelta(days=5)) == 0
    assert len(mailoutbox) == 1
    # the next week's run sends the next digest
    assert send_weekly_digest(NOW + dt.timedelta(days=7)) == 1
    assert len(mailoutbox) == 2


def test_a_not_reported_figure_is_in_the_digest(client_for, executive, kpi, q3, mailoutbox):
    subscribe(client_for, executive, "walikota@kedirikota.go.id")
    assert send_weekly_digest(NOW) == 1
    assert f"{KPI_LABEL} (2026 Q3)" in mailoutbox[0].body


def test_no_digest_without_a_dashboard_an_email_or_an_active_account(
    client_for, executive, administrator, dinkes_officer, assessor, red_kpi, mailoutbox
):
    # Given three subscribers: one who lost their dashboard (now an assessor only), one
    # whose account was deactivated and one who removed their email address
    subscribe(client_for, dinkes_officer, "dinkes@kedirikota.go.id")
    dinkes_officer.groups.clear()
    subscribe(client_for, administrator, "admin@kedirikota.go.id")
    administrator.is_active = False
    administrator.save(update_fields=["is_active"])
    subscribe(client_for, executive, "walikota@kedirikota.go.id")
    executive.email = ""
    executive.save(update_fields=["email"])
    # When the digest runs, nobody gets one, and nothing is noted as sent
    assert send_weekly_digest(NOW) == 0
    assert mailoutbox == []
    assert not DigestSubscription.objects.filter(last_sent_at__isnull=False).exists()


@pytest.fixture
def late_in_semampir(road_service, file_request, desk_officer, dpupr_officer):
    """A road complaint in Semampir, resolved two weeks after it was filed: five working days
    late, so the road service's SLA compliance there is 0%."""
    filed = file_request(road_service, region=Region.objects.get(code=SEMAMPIR))
    workflow.assign(desk_officer, filed, at=MONDAY_9AM + dt.timedelta(hours=1))
    workflow.resolve(dpupr_officer, filed, "Sudah ditambal", at=MONDAY_9AM + dt.timedelta(days=14))
    return filed


def test_a_kelurahan_officer_reads_only_their_kelurahans_figures(
    client_for, executive, kelurahan_officer, late_in_semampir, mailoutbox
):
    # Given the officer of Kelurahan Balowerti and one of Kelurahan Semampir next door, both
    # subscribed, and a road complaint in Semampir resolved late
    semampir = Opd.objects.create(
        code="kel-semampir",
        name="Kelurahan Semampir",
        kind=OpdKind.KELURAHAN,
        region=Region.objects.get(code=SEMAMPIR),
    )
    semampir_officer = User.objects.create_user(username="officer-semampir", opd=semampir)
    grant_role(semampir_officer, Role.OPD_OFFICER, semampir)
    subscribe(client_for, kelurahan_officer, "balowerti@kedirikota.go.id")
    subscribe(client_for, semampir_officer, "semampir@kedirikota.go.id")
    subscribe(client_for, executive, "walikota@kedirikota.go.id")
    # When the digest runs
    assert send_weekly_digest(NOW) == 3
    body = {message.to[0]: message.body for message in mailoutbox}
    # Then the red SLA of the road service is in the city's and Semampir's digests
    red = "[Off target] Jalan rusak: 0 %"
    assert red in body["walikota@kedirikota.go.id"]
    assert red in body["semampir@kedirikota.go.id"]
    # but not in Balowerti's, which has no figure of the road service at all
    balowerti = body["balowerti@kedirikota.go.id"]
    assert "Balowerti" in balowerti.splitlines()[0]
    assert "Jalan rusak" not in balowerti and "Semampir" not in balowerti


def test_the_digest_holds_no_personal_data(
    client_for, executive, late_in_semampir, red_kpi, mailoutbox
):
    subscribe(client_for, executive, "walikota@kedirikota.go.id")
    assert send_weekly_digest(NOW) == 1
    body = mailoutbox[0].body
    # The complaint's phone number and description never reach the digest
    assert "0812" not in body and "3456" not in body
    assert late_in_semampir.description not in body
    assert late_in_semampir.number not in body


def test_the_digest_command_sends_the_digest(client_for, executive, red_kpi, mailoutbox):
    subscribe(client_for, executive, "walikota@kedirikota.go.id")
    out = io.StringIO()
    call_command("dashboard", "digest", stdout=out)
    assert out.getvalue().strip() == "1 digest(s) sent."
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["walikota@kedirikota.go.id"]
    # run again (cron, the same day): nothing more
    out = io.StringIO()
    call_command("dashboard", "digest", stdout=out)
    assert out.getvalue().strip() == "0 digest(s) sent."
    assert len(mailoutbox) == 1
