"""The platform proposes answers from its own records, with their source."""

import datetime

import pytest

from kotacerdas.evaluation import proposals
from kotacerdas.masterplan.models import Meeting

pytestmark = pytest.mark.django_db


def test_meetings_held_propose_a_yes_with_the_meeting_as_evidence(
    administrator, evaluation_2024, masterplan
):
    Meeting.objects.create(
        body="council",
        date=datetime.date(2024, 2, 14),
        title="Rapat Dewan",
        participants="Wali Kota",
    )
    answer = evaluation_2024.answers.get(item_code="B.1.2")
    proposal = proposals.proposal_for(answer)
    assert proposal.score == proposals.YES and "1" in proposal.fact.text
    proposals.accept_proposal(administrator, answer)
    answer.refresh_from_db()
    assert answer.proposed_score == proposals.YES
    assert "(Kota Cerdas)" in answer.justification
    evidence = answer.evidence.get()
    assert (evidence.kind, evidence.record_type) == ("record", "meeting")


def test_no_meeting_proposes_a_no(evaluation_2024, masterplan):
    answer = evaluation_2024.answers.get(item_code="B.1.3")
    assert proposals.proposal_for(answer).score == proposals.NO


def test_programmes_running_per_pillar_are_listed_with_their_records(evaluation_2024, programme):
    proposal = proposals.proposal_for(evaluation_2024.answers.get(item_code="C.14"))
    assert proposal.score is None  # a count, for a person to judge
    assert [record.key for record in proposal.fact.records] == ["kartu-sahabat"]
    assert proposals.proposal_for(evaluation_2024.answers.get(item_code="C.06")).fact.number == 0


def test_items_the_platform_knows_nothing_about_have_no_proposal(evaluation_2024):
    assert proposals.proposal_for(evaluation_2024.answers.get(item_code="C.02")) is None
    assert set(proposals.proposals(evaluation_2024)) == set(proposals.PROPOSERS)
