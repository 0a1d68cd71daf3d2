"""The briefing book of a stat meeting: a PDF with the meeting, what changed, every figure of the
reader's dashboard and the action items with their figure then and now; only for users with a
dashboard, each in their own scope."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone
from pypdf import PdfReader

from kotacerdas.dashboard import briefing, meetings
from kotacerdas.masterplan import reporting

pytestmark = pytest.mark.django_db

KPI_LABEL = "Penerima terverifikasi NIK (Kartu Sahabat)"  # the ``kpi`` fixture's figure label
ACTION = "Susun rencana percepatan verifikasi NIK"
AGENDA = "Paparan Dinas Sosial tentang verifikasi NIK"
MADE_HERE = "Tambah petugas verifikasi lapangan"


def report_kpi(officer, programme, kpi, value: str) -> None:
    """Dinas Sosial reports the KPI's value for 2026 Q3 in its progress report."""
    report = reporting.start_report(officer, programme.owner, 2026, "Q3")
    line = reporting.LineInput(programme=programme, kpi_values={kpi.pk: Decimal(value)})
    reporting.save_report(officer, report, "", [line])


def pdf_text(content: bytes) -> str:
    """The PDF's text with the layout's line breaks folded into single spaces."""
    pages = PdfReader(io.BytesIO(content)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def section(text: str, start: str, end: str | None = None) -> str:
    begin = text.index(start)
    return text[begin : text.index(end, begin) if end else None]


@pytest.fixture
def upcoming(executive, dinsos_officer, programme, kpi, q3):
    """Given a meeting five weeks ago that made an action item on the red KPI at 41 (target
    95), the KPI since reported at 63, and the next meeting planned with an agenda item added
    and an action item made at it."""
    today = timezone.localdate()
    report_kpi(dinsos_officer, programme, kpi, "41")
    held = meetings.plan_meeting(
        executive, date=today - dt.timedelta(days=35), title="Rapat SIE Oktober"
    )
    meetings.create_action(
        executive,
        title=ACTION,
        owner="dinsos",
        due_date=today + dt.timedelta(days=10),
        meeting=held,
        figure_key=f"kpi.{kpi.pk}",
    )
    report_kpi(dinsos_officer, programme, kpi, "63")
    meeting = meetings.plan_meeting(
        executive,
        date=today + dt.timedelta(days=7),
        title="Rapat SIE Desember",
        attendees="Wali Kota, Sekretaris Daerah",
    )
    meetings.add_agenda_item(executive, meeting, AGENDA)
    meetings.create_action(
        executive,
        title=MADE_HERE,
        owner="dinsos",
        due_date=today + dt.timedelta(days=30),
        meeting=meeting,
    )
    return meeting


def download(client, meeting, language: str = "en"):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(f"/eksekutif/rapat/{meeting.pk}/buku-briefing.pdf")


def test_the_briefing_book_holds_the_meeting_the_figures_and_the_actions(
    client_for, executive, upcoming
):
    # When an executive downloads the briefing book of the next meeting
    response = download(client_for(executive), upcoming)
    # Then it is a PDF attachment named after the meeting
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"buku-briefing-rapat-sie-desember-{upcoming.date.isoformat()}.pdf" in disposition
    content = b"".join(response.streaming_content)
    assert content.startswith(b"%PDF-")
    text = pdf_text(content)
    # with the meeting on its cover: title, attendees and agenda
    cover = section(text, "Rapat SIE Desember", "What changed")
    assert "Wali Kota, Sekretaris Daerah" in cover and AGENDA in cover
    # what changed since the previous meeting: the KPI turned red
    changed = section(text, "What changed", "Figures ")
    assert f"{KPI_LABEL} turned red" in changed
    # the programmes panel's figure with its value, unit, status and target
    programmes = section(text, "Programmes", "Action items to review")
    assert re.search(re.escape(KPI_LABEL) + r" .*?63 % Off target target 95 2026 Q3", programmes)
    # the action item to review with its figure when made (41) and now (63)
    review = section(text, "Action items to review", "Action items made at this meeting")
    assert re.search(re.escape(ACTION) + r" .*?Dinsos .*?Open 41 % 63 % \+22", review)
    # and the action item made at this meeting
    assert MADE_HERE in section(text, "Action items made at this meeting")


def test_the_briefing_book_speaks_the_readers_language(client_for, executive, upcoming):
    client = client_for(executive)
    english = pdf_text(b"".join(download(client, upcoming, "en").streaming_content))
    indonesian = pdf_text(b"".join(download(client, upcoming, "id").streaming_content))
    assert "What changed" in english and "Programmes" in english
    assert "What changed" not in indonesian and "Perubahan" in indonesian
    assert "Page 1 of" in english and "Halaman 1 dari" in indonesian


def test_an_opd_officer_reads_their_own_opds_figures_and_actions(
    client_for, dinkes_officer, dinsos_officer, upcoming
):
    # An officer of Dinas Kesehatan sees the meeting's cover (as on the meeting's page) but
    # neither Dinas Sosial's KPI nor its action items
    response = download(client_for(dinkes_officer), upcoming)
    assert response.status_code == 200
    text = pdf_text(b"".join(response.streaming_content))
    after_cover = section(text, "What changed")
    assert "Rapat SIE Desember" in text
    assert KPI_LABEL not in after_cover
    assert ACTION not in after_cover and MADE_HERE not in after_cover
    # while Dinas Sosial's officer sees both
    own = section(pdf_text(briefing.briefing_book(upcoming, dinsos_officer)), "What changed")
    assert KPI_LABEL in own and ACTION in own and MADE_HERE in own


def test_users_without_a_dashboard_are_refused(client_for, assessor, citizen, executive, upcoming):
    assert download(client_for(assessor), upcoming).status_code == 403
    anonymous = download(citizen, upcoming)
    assert anonymous.status_code == 302 and "/masuk/" in anonymous["Location"]
    assert download(client_for(executive), type(upcoming)(pk=upcoming.pk + 99)).status_code == 404


def test_typed_text_outside_latin1_does_not_stop_the_book(client_for, executive, upcoming):
    # Curly quotes, an en dash and an emoji typed into the agenda
    meetings.add_agenda_item(executive, upcoming, "Target \u201cnol\u201d \u2013 tuntas \U0001f680")
    text = pdf_text(b"".join(download(client_for(executive), upcoming).streaming_content))
    assert 'Target "nol" - tuntas ?' in text
