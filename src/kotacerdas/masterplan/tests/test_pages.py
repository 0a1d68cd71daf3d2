"""The masterplan pages: what each role sees and may do through the browser's forms."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kotacerdas.masterplan.choices import ReportStatus
from kotacerdas.masterplan.models import KpiActual, ProgressReport

pytestmark = pytest.mark.django_db

URL = "/staf/masterplan/laporan/dinsos/2026/Q3/"


def report_form(kpi, programme, **extra):
    return {
        "narrative": "Triwulan III",
        f"p{programme.pk}-narrative": "Kartu dibagikan",
        f"p{programme.pk}-realised_apbd": "250.000.000",
        f"kpi{kpi.pk}": "88,5",
        **extra,
    }


def test_overview_groups_programmes_by_pillar(client_for, executive, programme):
    page = client_for(executive).get("/staf/masterplan/").content.decode()
    assert "Kartu Sahabat" in page
    assert page.index("Masyarakat Cerdas") < page.index("Kartu Sahabat")


def test_programme_page_charts_target_against_actual(client_for, assessor, programme, kpi):
    KpiActual.objects.create(kpi=kpi, year=2026, period="Q2", value=80)
    KpiActual.objects.create(kpi=kpi, year=2026, period="Q3", value=86)
    page = client_for(assessor).get(f"/staf/masterplan/program/{programme.code}/").content.decode()
    # The chart shows the latest quarter of the year against the target.
    assert "&quot;target&quot;: [95.0]" in page
    assert "&quot;actual&quot;: [86.0]" in page


def test_officer_writes_and_submits_a_report_through_the_form(
    client_for, dinsos_officer, programme, kpi, q3
):
    client = client_for(dinsos_officer)
    assert client.post(URL).status_code == 302  # start the report
    response = client.post(URL, report_form(kpi, programme, action="submit"))
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert report.status == ReportStatus.SUBMITTED
    assert KpiActual.objects.get(kpi=kpi).value == 88.5
    assert report.lines.get().realised_apbd == 250_000_000


def test_bad_numbers_are_shown_next_to_their_programme_and_nothing_is_saved(
    client_for, dinsos_officer, programme, kpi, q3
):
    client = client_for(dinsos_officer)
    client.post(URL)
    form = report_form(kpi, programme, action="save", **{f"kpi{kpi.pk}": "banyak"})
    page = client.post(URL, form).content.decode()
    alert = page.split('role="alert">', 1)[1].split("</p>", 1)[0]
    assert "banyak" in alert
    assert not KpiActual.objects.exists()
    assert ProgressReport.objects.get().narrative == ""


def test_a_disguised_evidence_file_is_refused_and_the_report_is_not_half_saved(
    client_for, dinsos_officer, programme, kpi, q3
):
    client = client_for(dinsos_officer)
    client.post(URL)
    fake = SimpleUploadedFile("bukti.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(URL, report_form(kpi, programme, action="save", evidence=fake))
    assert response.status_code == 200
    assert not KpiActual.objects.exists()
    assert not ProgressReport.objects.get().evidence.exists()


def test_evidence_is_downloadable_by_the_opd_and_readers_but_not_other_opds(
    client_for, dinsos_officer, dinkes_officer, executive, programme, kpi, q3
):
    client = client_for(dinsos_officer)
    client.post(URL)
    pdf = SimpleUploadedFile("bukti.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")
    client.post(URL, report_form(kpi, programme, action="save", evidence=pdf))
    evidence = ProgressReport.objects.get().evidence.get()
    url = f"/staf/masterplan/bukti/{evidence.pk}/"
    download = client.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert "attachment" in download["Content-Disposition"]
    assert client_for(executive).get(url).status_code == 200
    assert client_for(dinkes_officer).get(url).status_code == 403


def test_another_opd_cannot_open_or_change_the_report(
    client_for, dinsos_officer, dinkes_officer, programme, kpi, q3
):
    client_for(dinsos_officer).post(URL)
    other = client_for(dinkes_officer)
    assert other.get(URL).status_code == 403
    assert other.post(URL, report_form(kpi, programme, action="save")).status_code == 403
    assert not KpiActual.objects.exists()


def test_inbox_lists_due_reports_and_overdue_opds(client_for, dinsos_officer, programme, q3):
    page = client_for(dinsos_officer).get("/staf/masterplan/kotak-masuk/").content.decode()
    assert "2026 Q3" in page
    assert "Kartu Sahabat" in page
    assert "Dinas Sosial · 2026 Q3" in page  # overdue: due 15 Oct 2026, nothing submitted


def test_budget_page_totals_by_year(client_for, executive, programme):
    page = client_for(executive).get("/staf/masterplan/anggaran/").content.decode()
    assert "1.000.000.000" in page


def test_officer_edits_their_programme_and_budget_through_the_forms(
    client_for, dinsos_officer, programme
):
    client = client_for(dinsos_officer)
    url = f"/staf/masterplan/program/{programme.code}/ubah/"
    form = {
        "form": "programme",
        "name": programme.name,
        "description": "Kartu bank bansos",
        "kind": "digital",
        "start_year": 2021,
        "end_year": "",
        "status": "running",
        "target_users": "Keluarga penerima",
        "delivered_by": "",
    }
    assert client.post(url, form).status_code == 302
    programme.refresh_from_db()
    assert programme.description == "Kartu bank bansos"

    refused = client.post(url, {"form": "budget", "year": 2030, "source": "apbd", "planned": 5})
    assert refused.status_code == 200
    assert "2030" in refused.content.decode()
    assert not programme.budgets.filter(year=2030).exists()
    saved = client.post(url, {"form": "budget", "year": 2027, "source": "apbd", "planned": 7})
    assert saved.status_code == 302
    assert programme.budgets.get(year=2027).planned == 7


def test_another_opd_cannot_open_the_programme_editor(client_for, dinkes_officer, programme):
    response = client_for(dinkes_officer).get(f"/staf/masterplan/program/{programme.code}/ubah/")
    assert response.status_code == 403


def test_excel_page_exports_and_imports_for_the_officer(client_for, dinsos_officer, programme, kpi):
    from openpyxl import load_workbook

    client = client_for(dinsos_officer)
    assert client.get("/staf/masterplan/excel/").status_code == 200
    export = client.get("/staf/masterplan/excel/templat-iku/", {"year": 2026, "period": "Q3"})
    assert export.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    sheet = workbook["KPI actuals"]
    header = [cell.value for cell in sheet[1]]
    sheet.cell(row=2, column=header.index("value") + 1, value=91)
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("iku.xlsx", buffer.getvalue())
    response = client.post("/staf/masterplan/excel/impor/", {"kind": "kpi_actuals", "file": upload})
    assert response.status_code == 302, response.content.decode()[:500]
    assert KpiActual.objects.get(kpi=kpi, year=2026, period="Q3").value == 91


def test_programme_page_shows_who_changed_what(client_for, dinsos_officer, executive, programme):
    from kotacerdas.masterplan.programmes import update_programme

    update_programme(dinsos_officer, programme, {"status": "paused"})
    page = client_for(executive).get(f"/staf/masterplan/program/{programme.code}/").content.decode()
    history = page.split('id="history">', 1)[1].split("</ul>", 1)[0]
    assert "officer-dinsos" in history and "running → paused" in history


@pytest.mark.parametrize("amount", ["--5", "1.5", "1,5", "99999999999999999999"])
def test_unreadable_amounts_on_the_report_form_are_errors_not_crashes(
    client_for, dinsos_officer, programme, kpi, q3, amount
):
    client = client_for(dinsos_officer)
    client.post(URL)
    form = report_form(kpi, programme, action="save", **{f"p{programme.pk}-realised_apbd": amount})
    response = client.post(URL, form)
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert not ProgressReport.objects.get().lines.exists()


def test_meeting_evidence_downloads_for_staff_as_an_attachment(client_for, executive, db):
    import datetime

    from kotacerdas.masterplan.models import Meeting, MeetingEvidence

    meeting = Meeting.objects.create(
        body="forum", date=datetime.date(2026, 5, 1), title="Forum", participants="Warga"
    )
    evidence = MeetingEvidence.objects.create(
        meeting=meeting, file=SimpleUploadedFile("notulen.pdf", b"%PDF-1.4 n")
    )
    response = client_for(executive).get(f"/staf/masterplan/rapat/bukti/{evidence.pk}/")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]


def test_masterplan_and_revision_documents_download_for_staff(client_for, executive, masterplan):
    import datetime

    from kotacerdas.masterplan.models import Revision

    masterplan.document = SimpleUploadedFile("perwali.pdf", b"%PDF-1.4 perwali")
    masterplan.save()
    revision = Revision.objects.create(
        masterplan=masterplan,
        date=datetime.date(2024, 9, 30),
        title="Reviu 2024",
        changes="Program baru",
        document=SimpleUploadedFile("reviu.pdf", b"%PDF-1.4 reviu"),
    )
    client = client_for(executive)
    overview = client.get("/staf/masterplan/").content.decode()
    assert f"/staf/masterplan/dokumen/revisi/{revision.pk}/" in overview
    for url in (
        f"/staf/masterplan/dokumen/masterplan/{masterplan.pk}/",
        f"/staf/masterplan/dokumen/revisi/{revision.pk}/",
    ):
        response = client.get(url)
        assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert client.get("/staf/masterplan/dokumen/lain/1/").status_code == 404
