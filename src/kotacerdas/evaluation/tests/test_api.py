"""The evaluation JSON API at /api/v1/evaluation/: schemes, published history, the evaluation
cycle through the domain functions with their permission and validation rules, evidence (links,
records and files), the platform's proposals, and the gap to the target."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kotacerdas.core.models import User
from kotacerdas.evaluation import cycle
from kotacerdas.evaluation.choices import Stage
from kotacerdas.evaluation.history import seed_published_history
from kotacerdas.evaluation.models import Answer, Evaluation, Evidence
from kotacerdas.masterplan.models import Meeting

pytestmark = pytest.mark.django_db

API = "/api/v1/evaluation"
JSON = "application/json"


def put(client: Client, url: str, body: dict):
    return client.put(f"{API}{url}", body, content_type=JSON)


def post(client: Client, url: str, body: dict | None = None):
    if body is None:  # no body at all, as `curl -X POST` sends
        return client.generic("POST", f"{API}{url}")
    return client.post(f"{API}{url}", body, content_type=JSON)


def fields(response) -> list[str]:
    return [error["field"] for error in response.json()["errors"]]


@pytest.fixture(autouse=True)
def _uploads_in_a_temporary_directory(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def answer_id(evaluation: Evaluation, code: str) -> int:
    return evaluation.answers.get(item_code=code).pk


@pytest.fixture
def scored_2022(administrator, assessor, evaluation_2022) -> Evaluation:
    """The 2022-style evaluation under review with every item scored 3.00 by the assessor:
    every dimension is 3.00, so the index is 3.000."""
    cycle.advance(administrator, evaluation_2022, Stage.ASSESSOR_REVIEW)
    for answer in evaluation_2022.answers.all():
        cycle.score_item(assessor, answer, "3.00", "")
    return evaluation_2022


# Access


@pytest.mark.parametrize(
    "url",
    [
        "/schemes",
        "/schemes/kominfo-2022-gmsc",
        "/published",
        "/evaluations",
        "/evaluations/{id}",
        "/evaluations/{id}/answers",
        "/evaluations/{id}/gap",
        "/answers/{answer}",
    ],
)
def test_anonymous_visitors_get_401(citizen, evaluation_2024, url):
    url = url.format(id=evaluation_2024.pk, answer=answer_id(evaluation_2024, "B.1.1"))
    response = citizen.get(f"{API}{url}")
    assert response.status_code == 401
    assert "Bearer" in response.json()["message"]


def test_anonymous_writes_get_401(citizen, kediri, evaluation_2024):
    body = {"region": "35.71", "year": 2025, "scheme_id": "kominfo-2023-kppn-ikn"}
    assert post(citizen, "/evaluations", body).status_code == 401
    answer = answer_id(evaluation_2024, "B.1.1")
    assert put(citizen, f"/answers/{answer}", {"score": 3}).status_code == 401
    assert post(citizen, f"/answers/{answer}/accept-proposal").status_code == 401
    assert not Evaluation.objects.filter(year=2025).exists()


def test_an_account_without_a_role_gets_403(client_for, evaluation_2024):
    nobody = User.objects.create_user(username="nobody", password=None)
    response = client_for(nobody).get(f"{API}/evaluations")
    assert response.status_code == 403
    assert response.json()["message"]


# Instruments, schemes and the published history


def test_schemes_are_listed_with_their_instrument_and_weights(client_for, executive):
    client = client_for(executive)
    schemes = client.get(f"{API}/schemes").json()
    assert [s["id"] for s in schemes] == [
        "kominfo-2022-gmsc",
        "kominfo-2022-kppn-ikn",
        "kominfo-2023-kppn-ikn",
    ]
    gmsc = schemes[0]
    assert gmsc["instrument"] == "kominfo-2022"
    assert gmsc["instrument_title"]
    assert gmsc["weights"] == {
        "baseline": "0.10",
        "output": "0.20",
        "outcome": "0.30",
        "impact": "0.20",
        "quick_win": "0.20",
    }

    detail = client.get(f"{API}/schemes/kominfo-2022-gmsc").json()
    assert [(d["key"], d["weight"], len(d["items"])) for d in detail["dimensions"]] == [
        ("baseline", "0.10", 5),
        ("output", "0.20", 7),
        ("outcome", "0.30", 31),
        ("impact", "0.20", 4),
        ("quick_win", "0.20", 12),
    ]
    first = detail["dimensions"][0]["items"][0]
    assert (first["code"], first["element"]) == ("B.1.1", "perencanaan")
    assert first["label"].startswith("Masterplan smart city")
    assert client.get(f"{API}/schemes/kominfo-1999").status_code == 404


def test_the_published_history_of_a_region(client_for, assessor, kediri):
    seed_published_history(kediri)
    client = client_for(assessor)
    rows = client.get(f"{API}/published", {"region": "35.71"}).json()
    assert [(r["region"], r["year"], r["index"], r["scheme_id"]) for r in rows] == [
        ("35.71", 2020, "2.870", ""),
        ("35.71", 2021, "3.060", ""),
        ("35.71", 2022, "3.310", "kominfo-2022-gmsc"),
        ("35.71", 2023, "3.197", ""),
    ]
    assert rows[0]["source"]
    assert client.get(f"{API}/published", {"region": "35.72"}).json() == []
    unknown = client.get(f"{API}/published", {"region": "99.99"})
    assert (unknown.status_code, fields(unknown)) == (422, ["region"])


# Evaluations


def test_an_administrator_opens_an_evaluation(client_for, administrator, kediri):
    body = {
        "region": "35.71",
        "year": 2025,
        "scheme_id": "kominfo-2023-kppn-ikn",
        "deadline": "2025-08-31",
        "target": 3.6,
    }
    response = post(client_for(administrator), "/evaluations", body)
    assert response.status_code == 201, response.json()
    opened = response.json()
    evaluation = Evaluation.objects.get()
    assert opened["id"] == evaluation.pk
    assert (opened["region"], opened["region_name"], opened["year"]) == (
        "35.71",
        kediri.name,
        2025,
    )
    assert (opened["stage"], opened["deadline"], opened["target"]) == (
        "self",
        "2025-08-31",
        "3.600",
    )
    assert (opened["locked"], opened["locked_by"], opened["strengths"]) == (False, None, "")
    # Nothing is scored yet: no index, and every item listed as unscored.
    assert opened["results"]["index"] is None and opened["results"]["dimensions"] == {}
    assert len(opened["results"]["unscored"]) == evaluation.answers.count()
    # A region has one evaluation a year.
    again = post(client_for(administrator), "/evaluations", body)
    assert (again.status_code, fields(again)) == (422, ["year"])


def test_only_administrators_open_evaluations(client_for, dinsos_officer, assessor, kediri):
    body = {"region": "35.71", "year": 2025, "scheme_id": "kominfo-2023-kppn-ikn"}
    for user in (dinsos_officer, assessor):
        assert post(client_for(user), "/evaluations", body).status_code == 403
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"scheme_id": "kominfo-1999"}, "scheme_id"),
        ({"region": "99.99"}, "region"),
        ({"region": "Kediri"}, "region"),
        ({"year": "next"}, "year"),
        ({"target": "3.6001"}, "target"),
        ({"target": 0}, "target"),
        ({"deadline": "31-08-2025"}, "deadline"),
        ({"stage": "final"}, "stage"),
    ],
)
def test_invalid_openings_are_422_naming_the_field(
    client_for, administrator, kediri, change, field
):
    body = {"region": "35.71", "year": 2025, "scheme_id": "kominfo-2023-kppn-ikn", **change}
    response = post(client_for(administrator), "/evaluations", body)
    assert (response.status_code, fields(response)) == (422, [field])
    if field == "scheme_id":
        assert "kominfo-2022-gmsc" in response.json()["errors"][0]["message"]
    assert not Evaluation.objects.exists()


def test_evaluations_are_filtered_and_paginated(
    client_for, executive, evaluation_2022, evaluation_2024
):
    client = client_for(executive)

    def years(**query) -> list[int]:
        response = client.get(f"{API}/evaluations", query)
        assert response.status_code == 200, response.json()
        return [e["year"] for e in response.json()["items"]]

    assert years() == [2024, 2022]
    assert years(year=2022) == [2022]
    assert years(stage="self", region="35.71") == [2024, 2022]
    assert years(stage="review") == []
    page = client.get(f"{API}/evaluations", {"limit": 1, "offset": 1}).json()
    assert (page["count"], page["limit"], page["offset"]) == (2, 1, 1)
    assert page["items"][0] == {
        "id": evaluation_2022.pk,
        "region": "35.71",
        "region_name": evaluation_2022.region.name,
        "year": 2022,
        "scheme_id": "kominfo-2022-gmsc",
        "stage": "self",
        "deadline": None,
        "target": None,
        "locked": False,
        "is_demo": False,
    }
    for query, field in (({"stage": "done"}, "stage"), ({"region": "99.99"}, "region")):
        wrong = client.get(f"{API}/evaluations", query)
        assert (wrong.status_code, fields(wrong)) == (422, [field])
    assert client.get(f"{API}/evaluations/{evaluation_2024.pk + 999}").status_code == 404


def test_stages_move_forward_one_at_a_time_by_administrators(
    client_for, administrator, assessor, evaluation_2022
):
    url = f"/evaluations/{evaluation_2022.pk}/advance"
    assert post(client_for(assessor), url, {"stage": "review"}).status_code == 403
    skipped = post(client_for(administrator), url, {"stage": "final"})
    assert (skipped.status_code, fields(skipped)) == (422, ["stage"])
    moved = post(client_for(administrator), url, {"stage": "review"})
    assert (moved.status_code, moved.json()["stage"]) == (200, "review")
    # Final only once the assessor has submitted.
    early = post(client_for(administrator), url, {"stage": "final"})
    assert (early.status_code, fields(early)) == (422, ["stage"])


# Assigning and answering


def test_the_assigned_opd_answers_its_own_items_only_during_the_self_assessment(
    client_for, administrator, dinsos_officer, dinkes_officer, evaluation_2024
):
    admin = client_for(administrator)
    assigned = post(
        admin,
        f"/evaluations/{evaluation_2024.pk}/assign",
        {"item_codes": ["C.14", "C.11"], "opd": "dinsos"},
    )
    assert assigned.status_code == 200, assigned.json()
    assert assigned.json() == {"assigned": 2}
    # Taken back: C.11 is nobody's again.
    post(admin, f"/evaluations/{evaluation_2024.pk}/assign", {"item_codes": ["C.11"], "opd": None})

    officer = client_for(dinsos_officer)
    mine = answer_id(evaluation_2024, "C.14")
    response = put(officer, f"/answers/{mine}", {"score": "3.5", "justification": " Berjalan "})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["item_code"], body["opd"], body["proposed_score"]) == ("C.14", "dinsos", "3.50")
    assert (body["justification"], body["answered_by"]) == ("Berjalan", "officer-dinsos")
    assert body["can_answer"] is True and body["can_score"] is False

    # Another OPD's item, and an item assigned to nobody, are not the officer's to answer.
    assert put(client_for(dinkes_officer), f"/answers/{mine}", {"score": 1}).status_code == 403
    unassigned = answer_id(evaluation_2024, "C.11")
    assert put(officer, f"/answers/{unassigned}", {"score": 2}).status_code == 403
    assert Answer.objects.get(pk=unassigned).proposed_score is None

    # Once the review starts, the self-assessment is closed.
    cycle.advance(administrator, evaluation_2024, Stage.ASSESSOR_REVIEW)
    assert put(officer, f"/answers/{mine}", {"score": 4}).status_code == 403
    assert Answer.objects.get(pk=mine).proposed_score == Decimal("3.50")


def test_only_administrators_assign_and_only_known_items_and_opds(
    client_for, administrator, dinsos_officer, dinsos, evaluation_2024
):
    url = f"/evaluations/{evaluation_2024.pk}/assign"
    body = {"item_codes": ["C.14"], "opd": "dinsos"}
    assert post(client_for(dinsos_officer), url, body).status_code == 403
    admin = client_for(administrator)
    for wrong, field in (
        ({"item_codes": ["C.14", "Z.99"]}, "item_codes"),
        ({"item_codes": []}, "item_codes"),
        ({"opd": "dishub"}, "opd"),
        ({"opd": None, "extra": 1}, "extra"),
    ):
        response = post(admin, url, {**body, **wrong})
        assert (response.status_code, fields(response)) == (422, [field])
    without_opd = post(admin, url, {"item_codes": ["C.14"]})
    assert (without_opd.status_code, fields(without_opd)) == (422, ["opd"])
    assert not evaluation_2024.answers.filter(opd__isnull=False).exists()


@pytest.mark.parametrize("score", ["0.99", "4.01", "abc", "3.333", 5, True, "NaN"])
def test_an_invalid_score_is_422_naming_score(client_for, administrator, evaluation_2024, score):
    answer = answer_id(evaluation_2024, "B.1.1")
    response = put(client_for(administrator), f"/answers/{answer}", {"score": score})
    assert (response.status_code, fields(response)) == (422, ["score"])
    assert Answer.objects.get(pk=answer).proposed_score is None


def test_a_score_is_cleared_with_null(client_for, administrator, evaluation_2024):
    client = client_for(administrator)
    url = f"/answers/{answer_id(evaluation_2024, 'B.1.1')}"
    assert put(client, url, {"score": 2, "justification": "x"}).json()["proposed_score"] == "2.00"
    assert put(client, url, {"score": None}).json()["proposed_score"] is None
    missing = put(client, url, {"justification": "no score given"})
    assert (missing.status_code, fields(missing)) == (422, ["score"])


def test_answers_are_listed_with_labels_and_filtered(
    client_for, administrator, dinkes_officer, dinsos, evaluation_2022
):
    cycle.assign(administrator, evaluation_2022, ["I22.1", "I22.2"], dinsos)
    first = evaluation_2022.answers.get(item_code="I22.1")
    cycle.answer_item(administrator, first, "2", "")
    cycle.add_evidence(administrator, first, url="https://kedirikota.go.id/survei")
    # An officer of another OPD sees every answer, and may act on none of these.
    client = client_for(dinkes_officer)
    url = f"{API}/evaluations/{evaluation_2022.pk}/answers"

    def codes(**query) -> list[str]:
        response = client.get(url, query)
        assert response.status_code == 200, response.json()
        return [a["item_code"] for a in response.json()]

    everything = client.get(url).json()
    assert len(everything) == 59
    assert [a["item_code"] for a in everything[:3]] == ["B.1.1", "B.1.2", "B.1.3"]
    assert not any(a["can_answer"] or a["can_score"] for a in everything)
    assert codes(dimension="impact") == ["I22.1", "I22.2", "I22.3", "I22.4"]
    assert codes(opd="dinsos") == ["I22.1", "I22.2"]
    assert codes(has_evidence="true") == ["I22.1"]
    assert "I22.1" not in codes(has_evidence="false")
    assert codes(unanswered="false") == ["I22.1"]
    assert codes(dimension="impact", unanswered="true") == ["I22.2", "I22.3", "I22.4"]

    answer = next(a for a in everything if a["item_code"] == "I22.1")
    assert answer["dimension"] == "impact" and answer["item_label"]
    assert (answer["opd"], answer["proposed_score"], answer["has_evidence"]) == (
        "dinsos",
        "2.00",
        True,
    )
    assert [(e["kind"], e["url"], e["record"]) for e in answer["evidence"]] == [
        ("link", "https://kedirikota.go.id/survei", None)
    ]
    assert answer["proposal"] is None
    # The platform proposes for the items it can back, e.g. the council's meetings.
    b12 = next(a for a in everything if a["item_code"] == "B.1.2")
    assert b12["proposal"]["score"] == "1.00" and b12["proposal"]["records"] == []

    for query, field in (
        ({"dimension": "collaboration"}, "dimension"),
        ({"opd": "dishub"}, "opd"),
        ({"has_evidence": "maybe"}, "has_evidence"),
    ):
        wrong = client.get(url, query)
        assert (wrong.status_code, fields(wrong)) == (422, [field])
    assert client.get(f"{API}/evaluations/{evaluation_2022.pk + 999}/answers").status_code == 404
    assert client.get(f"{API}/answers/{first.pk}").json() == answer
    assert client.get(f"{API}/answers/{first.pk + 9999}").status_code == 404


# Evidence


def test_evidence_by_link_record_and_file(
    client_for, administrator, dinsos, evaluation_2024, programme
):
    client = client_for(administrator)
    answer = answer_id(evaluation_2024, "C.14")
    url = f"{API}/answers/{answer}/evidence"

    link = post(
        client, f"/answers/{answer}/evidence", {"url": "https://kedirikota.go.id", "label": "Web"}
    )
    assert link.status_code == 201, link.json()
    assert (link.json()["kind"], link.json()["label"], link.json()["added_by"]) == (
        "link",
        "Web",
        "admin-diskominfo",
    )

    record = {"kind": "programme", "key": "kartu-sahabat", "label": "Kartu Sahabat"}
    by_record = post(
        client,
        f"/answers/{answer}/evidence",
        {"record": {**record, "url": "/staf/masterplan/program/kartu-sahabat/"}},
    )
    assert by_record.status_code == 201, by_record.json()
    assert by_record.json()["record"] == {"kind": "programme", "key": "kartu-sahabat"}
    # A record the platform does not propose for this item is a client's claim: refused.
    invented = post(
        client,
        f"/answers/{answer}/evidence",
        {"record": {"kind": "programme", "key": "invented", "label": "Invented", "url": "/x/"}},
    )
    assert invented.status_code == 422
    assert invented.json()["errors"][0]["field"] == "record"

    pdf = SimpleUploadedFile("sk.pdf", b"%PDF-1.4 bukti", content_type="application/pdf")
    by_file = client.post(f"{url}/file", {"file": pdf, "label": "SK Wali Kota"})
    assert by_file.status_code == 201, by_file.json()
    assert (by_file.json()["kind"], by_file.json()["label"]) == ("file", "SK Wali Kota")
    assert by_file.json()["file"].endswith(".pdf")

    # A file is judged by its content, not its name.
    disguised = SimpleUploadedFile("perwali.pdf", b"<html>not a pdf</html>")
    refused = client.post(f"{url}/file", {"file": disguised})
    assert (refused.status_code, fields(refused)) == (422, ["file"])
    no_file = client.post(f"{url}/file", {"label": "lupa"})
    assert (no_file.status_code, fields(no_file)) == (422, ["file"])

    for body, field in (
        ({"url": "javascript:alert(1)"}, "url"),
        ({}, "url"),
        ({"record": {**record, "url": "javascript:alert(1)"}}, "record.url"),
        ({"record": {"kind": "programme"}}, "record.key"),
        ({"url": "https://kedirikota.go.id", "record": record}, "url"),
    ):
        response = post(client, f"/answers/{answer}/evidence", body)
        assert (response.status_code, fields(response)[:1]) == (422, [field]), body

    shown = client.get(f"{API}/answers/{answer}").json()
    assert [e["kind"] for e in shown["evidence"]] == ["link", "record", "file"]
    assert shown["has_evidence"] is True


def test_evidence_follows_the_answering_rules(
    client_for, administrator, dinsos_officer, dinkes_officer, dinsos, evaluation_2024
):
    cycle.assign(administrator, evaluation_2024, ["C.14"], dinsos)
    answer = answer_id(evaluation_2024, "C.14")
    link = {"url": "https://kedirikota.go.id"}
    assert post(client_for(dinkes_officer), f"/answers/{answer}/evidence", link).status_code == 403
    pdf = SimpleUploadedFile("sk.pdf", b"%PDF-1.4 bukti")
    other_opd = client_for(dinkes_officer).post(
        f"{API}/answers/{answer}/evidence/file", {"file": pdf}
    )
    assert other_opd.status_code == 403
    assert post(client_for(dinsos_officer), f"/answers/{answer}/evidence", link).status_code == 201
    assert Evidence.objects.count() == 1


# The platform's proposals


def test_accepting_the_councils_meeting_as_the_answer_to_b_1_2(
    client_for, administrator, evaluation_2024, masterplan
):
    meeting = Meeting.objects.create(
        body="council",
        date=datetime.date(2024, 2, 14),
        title="Rapat Dewan",
        participants="Wali Kota",
    )
    client = client_for(administrator)
    answer = answer_id(evaluation_2024, "B.1.2")
    before = client.get(f"{API}/answers/{answer}").json()
    assert before["proposal"]["score"] == "4.00"
    assert [(r["kind"], r["key"]) for r in before["proposal"]["records"]] == [
        ("meeting", str(meeting.pk))
    ]

    response = post(client, f"/answers/{answer}/accept-proposal")
    assert response.status_code == 200, response.json()
    accepted = response.json()
    assert accepted["proposed_score"] == "4.00"
    assert accepted["justification"] == f"{before['proposal']['text']} (Kota Cerdas)"
    assert [(e["kind"], e["record"], e["label"]) for e in accepted["evidence"]] == [
        ("record", {"kind": "meeting", "key": str(meeting.pk)}, "Rapat Dewan (14-02-2024)")
    ]
    # Accepting twice adds no second copy of the record.
    assert len(post(client, f"/answers/{answer}/accept-proposal").json()["evidence"]) == 1


def test_accepting_a_proposal_that_does_not_exist_or_is_not_yours(
    client_for, administrator, dinkes_officer, evaluation_2024, masterplan
):
    no_proposal = answer_id(evaluation_2024, "C.02")
    response = post(client_for(administrator), f"/answers/{no_proposal}/accept-proposal")
    assert response.status_code == 404
    assert "C.02" in response.json()["message"]
    not_assigned = answer_id(evaluation_2024, "B.1.2")
    refused = post(client_for(dinkes_officer), f"/answers/{not_assigned}/accept-proposal")
    assert refused.status_code == 403
    assert Answer.objects.get(pk=not_assigned).proposed_score is None


# Review, submission and overrides


def test_the_assessor_scores_during_the_review_and_submits(
    client_for, administrator, assessor, evaluation_2022
):
    reviewer = client_for(assessor)
    answer = answer_id(evaluation_2022, "B.1.1")
    early = put(reviewer, f"/answers/{answer}/score", {"score": 3})
    assert early.status_code == 403  # still the self-assessment

    post(
        client_for(administrator), f"/evaluations/{evaluation_2022.pk}/advance", {"stage": "review"}
    )
    scored = put(reviewer, f"/answers/{answer}/score", {"score": 3.25, "comment": "Ada Perwali"})
    assert scored.status_code == 200, scored.json()
    assert (scored.json()["assessor_score"], scored.json()["assessor_comment"]) == (
        "3.25",
        "Ada Perwali",
    )
    assert scored.json()["scored_by"] == "assessor"
    not_assessor = put(client_for(administrator), f"/answers/{answer}/score", {"score": 1})
    assert not_assessor.status_code == 403
    invalid = put(reviewer, f"/answers/{answer}/score", {"score": "4.5"})
    assert (invalid.status_code, fields(invalid)) == (422, ["score"])

    submit_url = f"/evaluations/{evaluation_2022.pk}/submit"
    findings = {"strengths": "Kuat", "weaknesses": "Lemah", "recommendations": "Saran"}
    incomplete = post(reviewer, submit_url, findings)
    assert (incomplete.status_code, fields(incomplete)) == (422, ["scores"])

    evaluation_2022.refresh_from_db()  # under review now
    for other in evaluation_2022.answers.exclude(pk=answer):
        cycle.score_item(assessor, other, "3.00", "")
    assert post(client_for(administrator), submit_url, findings).status_code == 403
    submitted = post(reviewer, submit_url, findings)
    assert submitted.status_code == 200, submitted.json()
    body = submitted.json()
    assert (body["stage"], body["locked"], body["locked_by"]) == ("final", True, "assessor")
    assert (body["strengths"], body["weaknesses"], body["recommendations"]) == (
        "Kuat",
        "Lemah",
        "Saran",
    )
    assert body["locked_at"]
    assert body["results"]["provisional"] is False and body["results"]["unscored"] == []
    # One baseline item at 3.25 of five: baseline 3.05, so the index is 3 + 0.1 * 0.05 = 3.005.
    assert body["results"]["dimensions"]["baseline"] == "3.05"
    assert body["results"]["index"] == "3.005"

    # Locked: the assessor scores no more.
    locked = put(reviewer, f"/answers/{answer}/score", {"score": 4})
    assert locked.status_code == 403
    assert Answer.objects.get(pk=answer).assessor_score == Decimal("3.25")


def test_a_locked_score_changes_only_by_an_administrator_with_a_reason(
    client_for, administrator, assessor, scored_2022
):
    cycle.submit_assessment(assessor, scored_2022, "", "", "")
    answer = answer_id(scored_2022, "Q.01")
    url = f"/answers/{answer}/override"
    assert put(client_for(assessor), url, {"score": 4, "reason": "koreksi"}).status_code == 403
    admin = client_for(administrator)
    blank = put(admin, url, {"score": 4, "reason": " "})
    assert (blank.status_code, fields(blank)) == (422, ["reason"])
    no_reason = put(admin, url, {"score": 4})
    assert (no_reason.status_code, fields(no_reason)) == (422, ["reason"])
    changed = put(admin, url, {"score": 4, "reason": "Salah input saat wawancara"})
    assert changed.status_code == 200, changed.json()
    assert changed.json()["assessor_score"] == "4.00"
    assert Answer.objects.get(pk=answer).assessor_score == Decimal("4.00")


# Gap to target


def test_the_gap_on_a_fully_scored_evaluation(client_for, executive, scored_2022):
    """Every item at 3.00 gives every dimension 3.00 and the index 3.000. Under
    kominfo-2022-gmsc, impact has 4 items at weight 0.20, so one point on one impact item adds
    0.20 / 4 = 0.05, the most of any item (output: 0.20 / 7 = 0.0286, baseline 0.10 / 5 = 0.02,
    quick win 0.20 / 12 = 0.0167, outcome 0.30 / 31 = 0.0097). To reach 3.05 takes exactly one
    impact item to 4.00; to reach 3.10, two."""
    client = client_for(executive)
    url = f"{API}/evaluations/{scored_2022.pk}/gap"

    detail = client.get(f"{API}/evaluations/{scored_2022.pk}").json()
    assert detail["results"]["index"] == "3.000"
    assert set(detail["results"]["dimensions"].values()) == {"3.00"}

    gap = client.get(url, {"target": "3.05"}).json()
    assert (gap["index"], gap["target"], gap["shortfall"], gap["provisional"]) == (
        "3.000",
        "3.050",
        "0.050",
        False,
    )
    assert gap["plan"] == [
        {
            "code": "I22.1",
            "label": gap["plan"][0]["label"],
            "dimension": "impact",
            "from_score": "3.00",
            "to_score": "4.00",
            "gain": "0.0500",
        }
    ]
    assert gap["plan"][0]["label"]
    assert len(gap["gains"]) == 20
    assert [(g["dimension"], g["gain"]) for g in gap["gains"][:5]] == [
        ("impact", "0.0500"),
        ("impact", "0.0500"),
        ("impact", "0.0500"),
        ("impact", "0.0500"),
        ("output", "0.0286"),
    ]
    assert (gap["gains"][0]["score"], gap["gains"][0]["step"]) == ("3.00", "1.00")

    two = client.get(url, {"target": 3.1, "limit": 2}).json()
    assert [step["code"] for step in two["plan"]] == ["I22.1", "I22.2"]
    assert [g["code"] for g in two["gains"]] == ["I22.1", "I22.2"]
    assert client.get(url, {"target": "2.9"}).json()["plan"] == []
    # Above 4.000 no plan reaches it.
    assert client.get(url, {"target": "4.5"}).json()["plan"] is None


def test_the_gap_defaults_to_the_evaluations_target(client_for, administrator, scored_2022):
    client = client_for(administrator)
    url = f"{API}/evaluations/{scored_2022.pk}/gap"
    no_target = client.get(url)
    assert (no_target.status_code, fields(no_target)) == (422, ["target"])
    Evaluation.objects.filter(pk=scored_2022.pk).update(target=Decimal("3.100"))
    gap = client.get(url).json()
    assert (gap["target"], gap["shortfall"], len(gap["plan"])) == ("3.100", "0.100", 2)
    for query, field in (
        ({"target": "abc"}, "target"),
        ({"target": "-1"}, "target"),
        ({"limit": 0}, "limit"),
    ):
        wrong = client.get(url, query)
        assert (wrong.status_code, fields(wrong)) == (422, [field])


def test_the_gap_of_an_evaluation_not_fully_scored_is_409(
    client_for, administrator, evaluation_2024
):
    response = client_for(administrator).get(f"{API}/evaluations/{evaluation_2024.pk}/gap")
    assert response.status_code == 409
    total = evaluation_2024.answers.count()
    assert f"{total} item(s)" in response.json()["message"]


def test_a_gap_on_proposed_scores_is_provisional(client_for, administrator, evaluation_2022):
    for answer in evaluation_2022.answers.all():
        cycle.answer_item(administrator, answer, "2", "")
    gap = client_for(administrator).get(
        f"{API}/evaluations/{evaluation_2022.pk}/gap", {"target": "2.05"}
    )
    assert gap.status_code == 200, gap.json()
    assert (gap.json()["index"], gap.json()["provisional"]) == ("2.000", True)
    assert [step["code"] for step in gap.json()["plan"]] == ["I22.1"]


# The OpenAPI document


def test_openapi_document_lists_the_evaluation_endpoints(citizen):
    response = citizen.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    prefix = "/api/v1/evaluation"
    expected = {
        "/schemes": {"get"},
        "/schemes/{scheme_id}": {"get"},
        "/published": {"get"},
        "/evaluations": {"get", "post"},
        "/evaluations/{evaluation_id}": {"get"},
        "/evaluations/{evaluation_id}/advance": {"post"},
        "/evaluations/{evaluation_id}/assign": {"post"},
        "/evaluations/{evaluation_id}/submit": {"post"},
        "/evaluations/{evaluation_id}/answers": {"get"},
        "/evaluations/{evaluation_id}/gap": {"get"},
        "/answers/{answer_id}": {"get", "put"},
        "/answers/{answer_id}/evidence": {"post"},
        "/answers/{answer_id}/evidence/file": {"post"},
        "/answers/{answer_id}/accept-proposal": {"post"},
        "/answers/{answer_id}/score": {"put"},
        "/answers/{answer_id}/override": {"put"},
    }
    for path, methods in expected.items():
        assert f"{prefix}{path}" in paths, path
        assert set(paths[f"{prefix}{path}"]) == methods, path
    upload = paths[f"{prefix}/answers/{{answer_id}}/evidence/file"]["post"]["requestBody"]
    assert "multipart/form-data" in upload["content"]
    schemas = response.json()["components"]["schemas"]
    assert {
        "EvaluationDetail",
        "EvaluationAnswerOut",
        "EvaluationGapOut",
        "EvaluationSchemeDetail",
        "PagedEvaluationOut",
    } <= set(schemas)
    # The other apps' endpoints are still there beside them.
    assert "/api/v1/masterplan/programmes" in paths
    assert "/api/v1/opds/{code}" in paths
