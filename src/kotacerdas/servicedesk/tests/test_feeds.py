"""What the service desk tells the evaluation: performance as a fact with its source, and who
used a pillar's services (the impact survey's "not a user" flag)."""

import datetime as dt

import pytest
from django.utils import translation

from kotacerdas.evaluation import proposals, survey
from kotacerdas.evaluation.cycle import open_evaluation
from kotacerdas.servicedesk import feeds, ikm, workflow
from kotacerdas.servicedesk.tests.fixtures import MONDAY_9AM


@pytest.fixture
def worked(road_service, file_request, desk_officer):
    """Two road complaints in November 2026: one resolved on time and rated, one still open."""
    done = file_request(road_service, phone="0811-1111-2222")
    file_request(road_service, phone="0811-3333-4444")
    workflow.assign(desk_officer, done, at=MONDAY_9AM)
    workflow.resolve(desk_officer, done, "Sudah", at=MONDAY_9AM + dt.timedelta(days=1))
    ikm.rate_request(done, {f"u{i}": 4 for i in range(1, 10)})
    return done


def test_service_performance_joins_the_figures_and_the_ikm(worked):
    [road] = feeds.service_performance(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert (road.figures.key, road.figures.received, road.figures.resolved) == ("jalan-rusak", 2, 1)
    assert road.figures.compliance == 100
    assert road.ikm.respondents == 1 and road.ikm.grade == "A"


def test_the_years_performance_is_a_fact_with_its_records(worked):
    with translation.override("en"):
        fact = feeds.performance_fact(2026)
    assert fact.text.startswith("PECUT in 2026: 2 requests received, 1 resolved")
    assert "100.0% within the service standard time" in fact.text
    assert "satisfaction index 100.00 (A) from 1 respondents" in fact.text
    assert fact.number == 2
    assert [r.kind for r in fact.records] == ["servicedesk_figures", "servicedesk_ikm"]
    assert fact.records[0].url.startswith("/staf/layanan/pantau/?from=2026-01-01")
    empty = feeds.performance_fact(2020)
    assert empty.number == 0 and len(empty.records) == 2


def test_the_evaluation_proposes_it_for_the_quick_win_benefit_item(worked, administrator, kediri):
    evaluation = open_evaluation(administrator, kediri, 2026, "kominfo-2023-kppn-ikn")
    proposal = proposals.proposals(evaluation)["Q.03"]
    assert proposal.fact == feeds.performance_fact(2026)


def test_the_survey_learns_who_used_a_pillars_services(worked, administrator, kediri):
    evaluation = open_evaluation(administrator, kediri, 2026, "kominfo-2023-kppn-ikn")
    user = survey.respondent_key("+62 811 1111 2222")  # the same phone, written otherwise
    stranger = survey.respondent_key("0899-0000-0000")
    assert survey.is_user(evaluation, "living", user) is True
    assert survey.is_user(evaluation, "living", stranger) is False
    # No requests for the economy pillar's services: the desk cannot tell.
    assert survey.is_user(evaluation, "economy", user) is None
