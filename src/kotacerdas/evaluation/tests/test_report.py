"""The evaluation report: a PDF that reads back with the region, index, dimensions, marked items
and the assessor's notes; a workbook with the summary and its chart, one row per item and the
notes, with formula-like text neutralised; downloads for every staff role."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from pypdf import PdfReader

from kotacerdas.core.models import User
from kotacerdas.evaluation import cycle, pillars, report
from kotacerdas.evaluation.choices import Stage
from kotacerdas.evaluation.models import Evaluation, PublishedScore
from kotacerdas.evaluation.report_views import report_pdf, report_xlsx

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("https://contoh.example/x","klik")'
# Curly quotes, an em dash, an ellipsis, a check mark, an emoji, Chinese, a ligature, s-cedilla.
TYPOGRAPHIC = (
    "\u201cProdamas\u201d \u2014 berjalan\u2026 \u2713 \U0001f600 \u4e2d\u6587 \ufb01nal \u015f"
)
RECOMMENDATIONS = "Perkuat integrasi data antar-OPD melalui Satu Data Kediri."


@pytest.fixture
def scored_2022(administrator, assessor, dinsos, evaluation_2022, settings, tmp_path):
    """Kota Kediri 2022, answered in part with evidence, scored by the assessor (baseline 4,
    everything else 3: index 0.1 x 4 + 0.9 x 3 = 3.1), submitted with notes; published indices
    for 2020 and 2021; target 3.3."""
    settings.MEDIA_ROOT = tmp_path
    evaluation = evaluation_2022
    cycle.assign(administrator, evaluation, ["C.14"], dinsos)
    c14 = evaluation.answers.get(item_code="C.14")
    cycle.answer_item(administrator, c14, "3", "Kartu Sahabat dan Prodamas berjalan")
    cycle.add_evidence(
        administrator, c14, url="https://kedirikota.go.id/prodamas", label="Prodamas"
    )
    pdf = SimpleUploadedFile("sk-walikota.pdf", b"%PDF-1.4 bukti", content_type="application/pdf")
    cycle.add_evidence(administrator, c14, upload=pdf)
    cycle.answer_item(administrator, evaluation.answers.get(item_code="B.1.1"), "4", FORMULA)
    cycle.answer_item(administrator, evaluation.answers.get(item_code="B.1.2"), "4", TYPOGRAPHIC)
    cycle.advance(administrator, evaluation, Stage.ASSESSOR_REVIEW)
    for answer in evaluation.answers.all():
        score = "4.00" if answer.dimension == "baseline" else "3.00"
        cycle.score_item(
            assessor, answer, score, "Sesuai bukti" if answer.item_code == "C.14" else ""
        )
    cycle.submit_assessment(
        assessor,
        evaluation,
        "Komitmen pimpinan kuat.",
        "Data antar-OPD belum terintegrasi.",
        RECOMMENDATIONS,
    )
    PublishedScore.objects.create(region=evaluation.region, year=2020, index=Decimal("2.950"))
    PublishedScore.objects.create(region=evaluation.region, year=2021, index=Decimal("3.050"))
    Evaluation.objects.filter(pk=evaluation.pk).update(target=Decimal("3.300"))
    evaluation.refresh_from_db()
    return evaluation


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def flat(text: str) -> str:
    # Extracted text breaks lines where the PDF wrapped them.
    return " ".join(text.split())


def test_report_data_gathers_scores_pillars_trend_gap_and_items(scored_2022):
    data = report.report_data(scored_2022)
    assert (data.region_name, data.year, data.scheme_id) == (
        "Kota Kediri",
        2022,
        "kominfo-2022-gmsc",
    )
    assert data.final and data.stage == Stage.FINAL
    assert data.index_3 == Decimal("3.100") and data.index_2 == Decimal("3.10")
    assert [row.key for row in data.dimensions] == [
        "baseline",
        "output",
        "outcome",
        "impact",
        "quick_win",
    ]
    pillars = {row.code: row for row in data.pillars}
    # 2022: outcome C.01-C.18.x without C.07.2 and C.08; no survey, no collaboration.
    assert (pillars["governance"].items, pillars["branding"].items) == (6, 2)
    assert all(row.score == Decimal(3) for row in data.pillars)
    assert [(p.year, p.published, p.current) for p in data.trend] == [
        (2020, Decimal("2.950"), None),
        (2021, Decimal("3.050"), None),
        (2022, None, Decimal("3.100")),
    ]
    assert data.gap.gap == Decimal("0.2") and len(data.gap.top_gains) == 10
    assert data.gap.top_gains[0].dimension_label.endswith("(Impact)")
    c14 = next(item for item in data.items if item.code == "C.14")
    assert c14.opd == "Dinsos" and c14.assessor_comment == "Sesuai bukti"
    assert [str(e) for e in c14.evidence] == [
        "Prodamas (https://kedirikota.go.id/prodamas)",
        "sk-walikota.pdf",
    ]
    assert len(data.items) == 59 and data.without_evidence == 58
    assert data.recommendations == RECOMMENDATIONS


@pytest.mark.parametrize(
    ("target", "plan", "words"),
    [
        ("3.000", (), "target reached"),
        ("4.500", None, "The target cannot be reached even with every item at 4.00."),
    ],
)
def test_a_reached_or_unreachable_target_says_so(scored_2022, target, plan, words):
    Evaluation.objects.filter(pk=scored_2022.pk).update(target=Decimal(target))
    scored_2022.refresh_from_db()
    data = report.report_data(scored_2022)
    assert data.gap.plan == plan
    assert _(words) in flat(pdf_text(report.render_pdf(data)))
    report.render_xlsx(data)


@pytest.mark.parametrize(
    ("code", "pillar"),
    [
        ("C.01", "governance"),
        ("C.05", "governance"),
        ("C.07.2", "branding"),
        ("C.08", "branding"),
        ("C.10.2", "economy"),
        ("C.13.3", "living"),
        ("C.16.1", "society"),
        ("C.18.2", "environment"),
        ("S.living.kesehatan.2", "living"),
        ("K.1", "governance"),
        ("K.6", "environment"),
        ("C.RA.1", None),
        ("B.1.1", None),
        ("I22.1", None),
        ("Q.10.2", None),
        ("S.nowhere.x.1", None),
    ],
)
def test_pillar_grouping(code, pillar):
    assert pillars.pillar_of(code) == pillar


def test_the_2023_instrument_covers_every_pillar_with_survey_and_collaboration(evaluation_2024):
    for answer in evaluation_2024.answers.all():
        answer.proposed_score = Decimal("2.00")
        answer.save(update_fields=["proposed_score"])
    data = report.report_data(evaluation_2024)
    governance = data.pillars[0]
    # C.01-C.05 (6 items with C.03.1/C.03.2) + 9 survey items + K.1
    assert (governance.code, governance.items, governance.score) == ("governance", 16, 2)
    assert not data.final and data.status_label == _("Provisional")


def test_the_pdf_reads_back_with_the_reports_content(scored_2022):
    content = report.render_pdf(report.report_data(scored_2022))
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    words = flat(text)
    assert "Kota Kediri" in text and "2022" in text
    assert "3.100" in text and "3.300" in text  # index and target
    for label in ("[baseline]", "[output]", "[outcome]", "[impact]", "[quick_win]"):
        assert label in words
    assert RECOMMENDATIONS in words
    assert _("no evidence") in text
    assert "2.950" in text and "3.050" in text  # the trend's labels
    assert "Kota Cerdas" in text and "WIB" in text  # the footer


def test_characters_the_pdf_fonts_lack_are_replaced_not_fatal(scored_2022):
    text = flat(pdf_text(report.render_pdf(report.report_data(scored_2022))))
    assert '"Prodamas" - berjalan... ? ? ?? final s' in text


def test_the_report_of_an_unscored_evaluation_says_what_is_missing(evaluation_2022):
    data = report.report_data(evaluation_2022)
    assert data.index is None and data.gap is None and data.trend == ()
    assert len(data.unscored) == 59
    assert report.render_pdf(data).startswith(b"%PDF")
    load_workbook(io.BytesIO(report.render_xlsx(data)))


def test_the_workbook_has_summary_with_chart_items_and_notes(scored_2022):
    content = report.render_xlsx(report.report_data(scored_2022))
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Ringkasan", "Butir", "Catatan asesor"]
    summary = book["Ringkasan"]
    values = [cell.value for row in summary.iter_rows() for cell in row]
    assert Decimal("3.100") in values or 3.1 in values
    assert "baseline" in values and "quick_win" in values
    assert 2020 in values and 2021 in values
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert any(name.startswith("xl/charts/chart") for name in archive.namelist())
    assert len(summary._charts) == 1

    items = book["Butir"]
    rows = list(items.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 59
    c14 = next(row for row in rows if row[0] == "C.14")
    assert c14[3] == "Dinsos" and c14[8] == 2
    assert "https://kedirikota.go.id/prodamas" in c14[9]
    q01 = next(row for row in rows if row[0] == "Q.01")
    assert q01[8] == 0 and q01[9] == _("no evidence")

    notes = {row[0]: row[1] for row in book["Catatan asesor"].iter_rows(values_only=True)}
    assert notes[_("Recommendations")] == RECOMMENDATIONS
    assert notes[_("Strengths")] == "Komitmen pimpinan kuat."


def test_formula_like_text_is_neutralised_in_the_workbook(scored_2022):
    book = load_workbook(io.BytesIO(report.render_xlsx(report.report_data(scored_2022))))
    b11 = next(row for row in book["Butir"].iter_rows(min_row=2) if row[0].value == "B.1.1")
    assert b11[6].value == "'" + FORMULA and b11[6].data_type == "s"
    # Nothing in the workbook is a formula.
    for sheet in book:
        assert not [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]


def request_as(user) -> object:
    request = RequestFactory().get("/staf/evaluasi/1/laporan.pdf")
    request.user = user
    return request


@pytest.mark.parametrize("persona", ["administrator", "assessor", "executive", "dinsos_officer"])
def test_every_staff_role_downloads_both(request, scored_2022, persona):
    user = request.getfixturevalue(persona)
    pdf = report_pdf(request_as(user), pk=scored_2022.pk)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == 'attachment; filename="evaluasi-kota-kediri-2022.pdf"'
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    xlsx = report_xlsx(request_as(user), pk=scored_2022.pk)
    assert xlsx["Content-Disposition"] == 'attachment; filename="evaluasi-kota-kediri-2022.xlsx"'
    assert xlsx["Content-Type"] == report.XLSX_CONTENT_TYPE
    load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))


def test_anonymous_visitors_sign_in_first_and_users_without_a_role_are_refused(scored_2022):
    assert report_pdf(request_as(AnonymousUser()), pk=scored_2022.pk).status_code == 302
    nobody = User.objects.create_user(username="tanpa-peran", password=None)
    with pytest.raises(PermissionDenied):
        report_xlsx(request_as(nobody), pk=scored_2022.pk)
