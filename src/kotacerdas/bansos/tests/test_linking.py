"""The registry's linkage written back: the clerical review of possible matches (only Dinas
Sosial decides, once, with one of two answers) and the national programmes DTKS gives a linked
person, under the same "already enrolled" rule as a clerk's enrolment."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError

from kotacerdas.bansos import linking, registry
from kotacerdas.bansos.choices import LinkMethod, ReviewDecision
from kotacerdas.bansos.models import DtksRecord, Enrolment, LinkReview, Person

pytestmark = pytest.mark.django_db
REVIEW = "/staf/bansos/pencocokan/tinjau/{}/"


def dtks(id_dtks: str, person: Person, **values) -> DtksRecord:
    """A DTKS row describing ``person`` (their NIK, name, birth date), for PKH."""
    fields = {
        "nik": person.nik,
        "nik_index": registry.nik_index(person.nik),
        "kk": "",
        "name": person.name,
        "birth_date": person.birth_date,
        "sex": person.sex,
        "kelurahan_code": person.kelurahan_id or "",
        "programme_code": "PKH",
        "welfare_decile": 1,
        "source_hash": id_dtks,
    }
    fields.update(values)
    return DtksRecord.objects.create(id_dtks=id_dtks, **fields)


@pytest.fixture
def pairs(bansos_people) -> tuple[LinkReview, LinkReview]:
    """A DTKS row without a NIK and its two possible matches: Muhamad Rizky (likelier) and
    Muhammad Rizky."""
    record = dtks("DT9", bansos_people.rizky_other, nik="", nik_index="")
    likely = LinkReview.objects.create(
        record=record, candidate=bansos_people.rizky_other, probability=0.6
    )
    other = LinkReview.objects.create(record=record, candidate=bansos_people.rizky, probability=0.4)
    return likely, other


# ---------------------------------------------------------------------------------------------
# The review of possible matches


def test_an_officer_of_another_opd_may_not_decide_a_match(pairs, dinkes_officer, client_for):
    likely, _other = pairs

    with pytest.raises(PermissionDenied):
        linking.decide_review(likely, dinkes_officer, ReviewDecision.ACCEPTED)

    likely.refresh_from_db()
    likely.record.refresh_from_db()
    assert likely.decision == ReviewDecision.PENDING and likely.decided_by is None
    assert likely.record.person is None
    # nor through the page
    response = client_for(dinkes_officer).post(REVIEW.format(likely.pk), {"decision": "accepted"})
    assert response.status_code == 403
    assert LinkReview.objects.filter(decision=ReviewDecision.PENDING).count() == 2


def test_an_administrator_decides_like_dinas_sosial(pairs, administrator, bansos_people):
    likely, _other = pairs
    decided = linking.decide_review(likely, administrator, ReviewDecision.REJECTED)
    assert (decided.decision, decided.decided_by) == (ReviewDecision.REJECTED, administrator)
    assert DtksRecord.objects.get(id_dtks="DT9").person is None


def test_a_decided_match_is_not_decided_again(pairs, dinsos_officer, administrator, bansos_people):
    likely, other = pairs
    linking.decide_review(likely, dinsos_officer, ReviewDecision.ACCEPTED)
    record = DtksRecord.objects.get(id_dtks="DT9")
    linked = (record.person_id, record.link_method, record.match_probability, record.linked_at)
    assert linked[:3] == (bansos_people.rizky_other.pk, LinkMethod.CLERICAL, 0.6)

    # ``other`` is still "pending" in memory: the decision reads it again from the database,
    # where accepting the first answered it.
    assert other.decision == ReviewDecision.PENDING
    for review, decision in (
        (other, ReviewDecision.ACCEPTED),
        (likely, ReviewDecision.REJECTED),
        (likely, ReviewDecision.ACCEPTED),
    ):
        with pytest.raises(ValidationError) as refused:
            linking.decide_review(review, administrator, decision)
        assert list(refused.value.message_dict) == ["decision"]

    record.refresh_from_db()
    assert (
        record.person_id,
        record.link_method,
        record.match_probability,
        record.linked_at,
    ) == linked
    answers = dict(LinkReview.objects.values_list("candidate_id", "decision"))
    assert answers == {
        bansos_people.rizky_other.pk: ReviewDecision.ACCEPTED,
        bansos_people.rizky.pk: ReviewDecision.REJECTED,
    }
    assert set(LinkReview.objects.values_list("decided_by", flat=True)) == {dinsos_officer.pk}


@pytest.mark.parametrize("decision", ["", "maybe", ReviewDecision.PENDING])
def test_a_decision_other_than_same_or_different_names_the_field(pairs, dinsos_officer, decision):
    likely, _other = pairs

    with pytest.raises(ValidationError) as refused:
        linking.decide_review(likely, dinsos_officer, decision)

    assert list(refused.value.message_dict) == ["decision"]
    likely.refresh_from_db()
    assert likely.decision == ReviewDecision.PENDING and likely.decided_at is None


def test_the_review_page_says_why_a_decision_was_refused(pairs, dinsos_officer, client_for):
    likely, other = pairs
    client = client_for(dinsos_officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert client.post(REVIEW.format(likely.pk), {"decision": "accepted"}).status_code == 302

    again = client.post(REVIEW.format(other.pk), {"decision": "accepted"})
    bad = client.post(REVIEW.format(likely.pk), {"decision": "maybe"})

    assert again.status_code == 400
    assert "This possible match has already been decided." in again.content.decode()
    assert 'name="decision"' not in again.content.decode()  # nothing left to answer
    assert bad.status_code == 400
    assert "already been decided" in bad.content.decode()
    assert DtksRecord.objects.get(id_dtks="DT9").person_id == likely.candidate_id


# ---------------------------------------------------------------------------------------------
# What DTKS gives a linked person


def test_a_fixed_term_enrolment_running_on_gets_no_second_one_from_the_linkage(
    bansos_people, programmes
):
    today = bansos_people.today
    siti, rizky_other = bansos_people.siti, bansos_people.rizky_other
    pkh = programmes["PKH"]
    # Siti's PKH ends in two months; Muhamad Rizky's ended last year.
    registry.enrol(
        siti,
        pkh,
        start=today - dt.timedelta(days=300),
        end=today + dt.timedelta(days=60),
        source="fixture",
    )
    registry.enrol(
        rizky_other,
        pkh,
        start=today - dt.timedelta(days=700),
        end=today - dt.timedelta(days=365),
        source="fixture",
    )
    dtks("DT1", siti)
    dtks("DT2", rizky_other)
    dtks("DT3", bansos_people.budi)  # PKH open-ended already

    linking.link_registry()

    assert DtksRecord.objects.filter(person__isnull=False).count() == 3
    assert Enrolment.objects.filter(person=siti, programme=pkh).count() == 1
    assert Enrolment.objects.filter(person=bansos_people.budi, programme=pkh).count() == 1
    # The one whose enrolment ended gets a new one from this month, open-ended.
    latest = Enrolment.objects.filter(person=rizky_other, programme=pkh).order_by("start").last()
    assert (latest.start, latest.end, latest.source) == (today.replace(day=1), None, "DTKS DT2")
    # Every PKH enrolment now passes the rule a clerk's enrolment is held to.
    for person_id in Enrolment.objects.filter(programme=pkh).values_list("person", flat=True):
        spans = list(Enrolment.objects.filter(person_id=person_id, programme=pkh).order_by("start"))
        for earlier, later in itertools.pairwise(spans):
            assert earlier.end is not None and earlier.end < later.start


def test_overlapping_finds_the_people_enrolled_on_any_day_of_a_period(bansos_people, programmes):
    today = bansos_people.today
    pkh = programmes["PKH"]
    people = bansos_people
    everyone = [
        people.budi.pk,  # PKH since a year ago, open-ended
        people.siti.pk,  # no programme
        people.soetrisno.pk,  # PKH from four years ago to two years ago
        people.rizky.pk,  # Kartu Sahabat only
    ]

    assert registry.overlapping(everyone, pkh, today) == {people.budi.pk}
    two_years_ago = today - dt.timedelta(days=730)
    assert registry.overlapping(everyone, pkh, two_years_ago) == {
        people.budi.pk,
        people.soetrisno.pk,
    }
    # A period that ends the day before Budi's enrolment starts does not overlap it.
    a_year_ago = today - dt.timedelta(days=365)
    before = registry.overlapping(
        everyone, pkh.pk, a_year_ago - dt.timedelta(days=30), a_year_ago - dt.timedelta(days=1)
    )
    assert before == set()
    assert registry.overlapping([], pkh, today) == set()
    # And ``enrol`` refuses exactly those.
    with pytest.raises(ValidationError) as refused:
        registry.enrol(people.soetrisno, pkh, start=two_years_ago - dt.timedelta(days=5))
    assert list(refused.value.message_dict) == ["start"]
    registry.enrol(people.siti, pkh, start=today)
