"""The evaluation's staff pages."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kotacerdas.evaluation import cycle
from kotacerdas.evaluation.choices import Stage
from kotacerdas.evaluation.demo import scores_with_mean
from kotacerdas.evaluation.history import seed_published_history

pytestmark = pytest.mark.django_db


def item_url(evaluation, code):
    return f"/staf/evaluasi/{evaluation.pk}/butir/{code}/"


def test_list_shows_the_published_history(client_for, executive, kediri, evaluation_2024):
    seed_published_history(kediri)
    page = client_for(executive).get("/staf/evaluasi/").content.decode()
    assert "3,197" in page  # 2023, shown the Indonesian way
    assert "&quot;published&quot;: [2.87, 3.06, 3.31, 3.197" in page
    assert "&quot;target&quot;: [null, null, null, null, 3.6]" in page


def test_officer_answers_their_item_with_evidence_through_the_page(
    client_for, administrator, dinsos_officer, dinsos, evaluation_2024
):
    cycle.assign(administrator, evaluation_2024, ["C.14"], dinsos)
    client = client_for(dinsos_officer)
    url = item_url(evaluation_2024, "C.14")
    response = client.post(url, {"action": "answer", "score": "3,25", "justification": "Berjalan"})
    assert response.status_code == 302
    pdf = SimpleUploadedFile("bukti.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    client.post(url, {"action": "file", "file": pdf, "label": "SK Wali Kota"})
    answer = evaluation_2024.answers.get(item_code="C.14")
    assert answer.proposed_score == Decimal("3.25")
    assert answer.evidence.get().label == "SK Wali Kota"
    detail = client.get(f"/staf/evaluasi/{evaluation_2024.pk}/?mine=1").content.decode()
    assert "C.14" in detail and "C.11" not in detail


def test_an_invalid_score_is_shown_and_not_saved(client_for, administrator, evaluation_2024):
    url = item_url(evaluation_2024, "B.1.1")
    page = client_for(administrator).post(url, {"action": "answer", "score": "5"}, follow=True)
    assert "1,00" in page.content.decode() or "1.00" in page.content.decode()
    assert evaluation_2024.answers.get(item_code="B.1.1").proposed_score is None


def test_another_opd_sees_the_item_but_no_form(
    client_for, administrator, dinkes_officer, dinsos, evaluation_2024
):
    cycle.assign(administrator, evaluation_2024, ["C.14"], dinsos)
    client = client_for(dinkes_officer)
    page = client.get(item_url(evaluation_2024, "C.14")).content.decode()
    assert 'name="justification"' not in page
    assert (
        client.post(
            item_url(evaluation_2024, "C.14"), {"action": "answer", "score": "2"}
        ).status_code
        == 403
    )


def test_items_without_evidence_are_marked(client_for, executive, evaluation_2024):
    page = client_for(executive).get(f"/staf/evaluasi/{evaluation_2024.pk}/").content.decode()
    total = evaluation_2024.answers.count()
    assert f"{total} butir tanpa bukti" in page


def test_assessor_scores_and_submits_through_the_pages(
    client_for, administrator, assessor, evaluation_2022
):
    cycle.advance(administrator, evaluation_2022, Stage.ASSESSOR_REVIEW)
    client = client_for(assessor)
    for answer in evaluation_2022.answers.all():
        client.post(item_url(evaluation_2022, answer.item_code), {"action": "score", "score": "3"})
    response = client.post(
        f"/staf/evaluasi/{evaluation_2022.pk}/aksi/",
        {"action": "submit", "strengths": "S", "weaknesses": "W", "recommendations": "R"},
    )
    assert response.status_code == 302
    evaluation_2022.refresh_from_db()
    assert evaluation_2022.locked
    page = client.get(f"/staf/evaluasi/{evaluation_2022.pk}/").content.decode()
    assert '<strong id="index">3,000</strong>' in page


def test_gap_page_explains_and_plans(client_for, administrator, assessor, evaluation_2022):
    cycle.advance(administrator, evaluation_2022, Stage.ASSESSOR_REVIEW)
    for answer in evaluation_2022.answers.all():
        cycle.score_item(assessor, answer, "3", "")
    page = (
        client_for(administrator)
        .get(f"/staf/evaluasi/{evaluation_2022.pk}/kesenjangan/", {"target": "3.05"})
        .content.decode()
    )
    assert '<strong id="shortfall">0,050</strong>' in page
    plan = page.split('id="plan">', 1)[1].split("</ol>", 1)[0]
    assert plan.count("<li>") == 1 and "I22.1" in plan


def test_the_demo_2022_evaluation_reproduces_the_published_index(kediri, administrator):
    from kotacerdas.core.provisioning import load_demo_opds
    from kotacerdas.evaluation import demo
    from kotacerdas.evaluation.models import Evaluation
    from kotacerdas.evaluation.scoring import round_score

    load_demo_opds(kediri)
    assert demo.load(kediri) and not demo.load(kediri)
    done = Evaluation.objects.get(year=2022)
    result = cycle.results(done)
    assert not result.provisional
    assert {k: round_score(v, 2) for k, v in result.dimensions.items()} == demo.PUBLISHED_2022
    assert round_score(result.index, 2) == Decimal("3.31")
    in_progress = Evaluation.objects.get(year=2024)
    assert in_progress.stage == Stage.SELF_ASSESSMENT and in_progress.target == Decimal("3.6")
    assert in_progress.answers.get(item_code="B.1.1").justification.endswith("(Kota Cerdas)")


@pytest.mark.parametrize(("mean", "count"), [("3.60", 5), ("3.21", 7), ("3.65", 12), ("1.10", 3)])
def test_demo_scores_keep_the_mean_and_the_scale(mean, count):
    scores = scores_with_mean(Decimal(mean), count)
    assert sum(scores) / count == Decimal(mean)
    assert all(Decimal(1) <= s <= Decimal(4) for s in scores)


def test_administrator_opens_an_evaluation_from_the_list(client_for, administrator, kediri):
    response = client_for(administrator).post(
        "/staf/evaluasi/", {"year": 2025, "scheme": "kominfo-2023-kppn-ikn", "target": "3.6"}
    )
    assert response.status_code == 302
    from kotacerdas.evaluation.models import Evaluation

    opened = Evaluation.objects.get(year=2025)
    assert opened.answers.count() == 117 and opened.target == Decimal("3.6")


def test_officers_cannot_open_evaluations(client_for, dinsos_officer, kediri):
    client_for(dinsos_officer).post(
        "/staf/evaluasi/", {"year": 2025, "scheme": "kominfo-2023-kppn-ikn"}
    )
    from kotacerdas.evaluation.models import Evaluation

    assert not Evaluation.objects.exists()


def test_accepting_where_there_is_no_proposal_is_a_message_not_a_crash(
    client_for, administrator, evaluation_2024
):
    response = client_for(administrator).post(
        item_url(evaluation_2024, "C.02"), {"action": "accept"}, follow=True
    )
    assert response.status_code == 200
    assert "notice-error" in response.content.decode()


def test_an_unknown_stage_is_refused_not_a_crash(client_for, administrator, evaluation_2024):
    response = client_for(administrator).post(
        f"/staf/evaluasi/{evaluation_2024.pk}/aksi/",
        {"action": "advance", "stage": "x"},
        follow=True,
    )
    assert response.status_code == 200
    evaluation_2024.refresh_from_db()
    assert evaluation_2024.stage == Stage.SELF_ASSESSMENT


def test_a_target_above_4_is_refused(administrator, kediri):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        cycle.open_evaluation(
            administrator, kediri, 2026, "kominfo-2023-kppn-ikn", target=Decimal(5)
        )


def test_the_evaluation_page_shows_scores_by_pillar(
    client_for, administrator, assessor, evaluation_2022
):
    cycle.advance(administrator, evaluation_2022, Stage.ASSESSOR_REVIEW)
    for answer in evaluation_2022.answers.all():
        score = "4" if answer.item_code in {"C.01", "C.02"} else "3"
        cycle.score_item(assessor, answer, score, "")
    page = client_for(assessor).get(f"/staf/evaluasi/{evaluation_2022.pk}/").content.decode()
    table = page.split('id="pillar-scores">', 1)[1].split("</table>", 1)[0]
    # Governance holds C.01-C.05 in the 2022 outcome: (4 + 4 + 3 * 4) / 6 items = 3.33
    rows = table.split("<tr>")
    governance = next(row for row in rows if "Tata Kelola" in row)
    assert "3,33" in governance
    assert "3,00" in next(row for row in rows if "Lingkungan Cerdas" in row)
