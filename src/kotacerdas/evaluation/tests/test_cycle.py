"""The evaluation cycle: answering with evidence, assessor scoring, locking, results, gap."""

from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from kotacerdas.evaluation import cycle
from kotacerdas.evaluation.choices import Stage
from kotacerdas.evaluation.models import Answer

pytestmark = pytest.mark.django_db


def test_opening_creates_one_answer_per_item_in_order(evaluation_2022, evaluation_2024):
    codes_2022 = list(evaluation_2022.answers.values_list("item_code", flat=True))
    assert codes_2022[:3] == ["B.1.1", "B.1.2", "B.1.3"]
    assert "C.07.2" not in codes_2022 and "I22.1" in codes_2022
    codes_2024 = set(evaluation_2024.answers.values_list("item_code", flat=True))
    assert {"C.07.2", "C.08", "K.6", "S.governance.layanan_publik.1"} <= codes_2024
    assert len([c for c in codes_2024 if c.startswith("S.")]) == 54


def test_a_year_has_one_evaluation(administrator, kediri, evaluation_2024):
    with pytest.raises(ValidationError):
        cycle.open_evaluation(administrator, kediri, 2024, "kominfo-2023-kppn-ikn")


def test_the_assigned_opd_answers_with_evidence_and_others_cannot(
    administrator, dinsos_officer, dinkes_officer, dinsos, evaluation_2024
):
    cycle.assign(administrator, evaluation_2024, ["C.14"], dinsos)
    answer = evaluation_2024.answers.get(item_code="C.14")
    cycle.answer_item(dinsos_officer, answer, "3,5", "Kartu Sahabat dan Prodamas berjalan")
    pdf = SimpleUploadedFile("sk.pdf", b"%PDF-1.4 bukti", content_type="application/pdf")
    cycle.add_evidence(dinsos_officer, answer, upload=pdf)
    cycle.add_evidence(dinsos_officer, answer, url="https://kedirikota.go.id/prodamas")
    answer.refresh_from_db()
    assert answer.proposed_score == Decimal("3.50")
    assert answer.evidence.count() == 2
    with pytest.raises(PermissionDenied):
        cycle.answer_item(dinkes_officer, answer, "1", "not mine")
    other = evaluation_2024.answers.get(item_code="C.11")  # not assigned to anyone
    with pytest.raises(PermissionDenied):
        cycle.answer_item(dinsos_officer, other, "2", "")


@pytest.mark.parametrize("score", ["0.99", "4.01", "abc", "3.333"])
def test_scores_are_1_to_4_with_two_decimals(administrator, evaluation_2024, score):
    answer = evaluation_2024.answers.get(item_code="B.1.1")
    with pytest.raises(ValidationError):
        cycle.answer_item(administrator, answer, score, "")
    answer.refresh_from_db()
    assert answer.proposed_score is None


def test_evidence_files_are_checked_by_content(administrator, evaluation_2024):
    answer = evaluation_2024.answers.get(item_code="B.1.1")
    fake = SimpleUploadedFile("perwali.pdf", b"<html>not a pdf</html>")
    with pytest.raises(ValidationError):
        cycle.add_evidence(administrator, answer, upload=fake)
    with pytest.raises(ValidationError):
        cycle.add_evidence(administrator, answer, url="javascript:alert(1)")
    assert not answer.evidence.exists()


def score_everything(evaluation, assessor, value="3.00"):
    for answer in evaluation.answers.all():
        cycle.score_item(assessor, answer, value, "")


def test_assessor_scores_only_during_review_and_submission_locks(
    administrator, assessor, evaluation_2022
):
    answer = evaluation_2022.answers.first()
    with pytest.raises(PermissionDenied):
        cycle.score_item(assessor, answer, "3", "")
    cycle.advance(administrator, evaluation_2022, Stage.ASSESSOR_REVIEW)
    with pytest.raises(ValidationError) as refused:
        cycle.submit_assessment(assessor, evaluation_2022, "", "", "")
    assert "B.1.1" in str(refused.value)
    score_everything(evaluation_2022, assessor)
    cycle.submit_assessment(assessor, evaluation_2022, "Kuat", "Lemah", "Saran")
    assert evaluation_2022.locked and evaluation_2022.stage == Stage.FINAL
    with pytest.raises(PermissionDenied):
        cycle.score_item(assessor, evaluation_2022.answers.get(item_code="B.1.1"), "4", "")


def test_a_locked_score_changes_only_by_an_administrator_with_a_reason(
    administrator, assessor, evaluation_2022
):
    cycle.advance(administrator, evaluation_2022, Stage.ASSESSOR_REVIEW)
    score_everything(evaluation_2022, assessor)
    cycle.submit_assessment(assessor, evaluation_2022, "", "", "")
    answer = evaluation_2022.answers.get(item_code="Q.01")
    with pytest.raises(PermissionDenied):
        cycle.override_score(assessor, answer, "4", "koreksi")
    with pytest.raises(ValidationError):
        cycle.override_score(administrator, answer, "4", " ")
    cycle.override_score(administrator, answer, "4", "Salah input saat wawancara")
    answer.refresh_from_db()
    assert answer.assessor_score == Decimal("4.00")
    entry = LogEntry.objects.get_for_object(answer).order_by("timestamp").last()
    assert entry.actor == administrator
    assert entry.additional_data == {"reason": "Salah input saat wawancara"}


def test_results_use_assessor_scores_and_reproduce_the_index(
    administrator, assessor, evaluation_2022
):
    cycle.advance(administrator, evaluation_2022, Stage.ASSESSOR_REVIEW)
    score_everything(evaluation_2022, assessor, "3.00")
    Answer.objects.filter(evaluation=evaluation_2022, dimension="baseline").update(
        assessor_score=Decimal("4.00")
    )
    result = cycle.results(evaluation_2022)
    assert not result.provisional and result.unscored == []
    assert result.dimensions["baseline"] == Decimal(4) and result.dimensions["output"] == Decimal(3)
    # 0.1 * 4 + 0.9 * 3
    assert result.index == Decimal("3.1")


def test_results_are_provisional_with_proposed_scores_and_empty_when_incomplete(
    administrator, evaluation_2022
):
    assert cycle.results(evaluation_2022).index is None
    for answer in evaluation_2022.answers.all():
        cycle.answer_item(administrator, answer, "2", "")
    result = cycle.results(evaluation_2022)
    assert result.provisional and result.index == Decimal(2)


def test_gap_to_target_lists_gains_and_the_smallest_plan(administrator, assessor, evaluation_2022):
    cycle.advance(administrator, evaluation_2022, Stage.ASSESSOR_REVIEW)
    score_everything(evaluation_2022, assessor, "3.00")
    gap = cycle.gap_to_target(evaluation_2022, Decimal("3.05"))
    # Impact has 4 items at weight 0.2: one point on one impact item adds 0.05, the largest.
    assert gap.gains[0].dimension == "impact" and gap.gains[0].gain == Decimal("0.05")
    assert [(step.code, step.to_score) for step in gap.plan] == [("I22.1", Decimal("4.00"))]
