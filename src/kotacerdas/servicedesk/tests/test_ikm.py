"""The satisfaction index (IKM, PermenPANRB 14/2017): the arithmetic and its grades, a citizen
rating their request, the reports by group, and the staff report page with its CSV."""

import csv
import datetime as dt
import io
from decimal import Decimal
from fractions import Fraction

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from kotacerdas.core.models import Pillar
from kotacerdas.servicedesk import workflow
from kotacerdas.servicedesk.choices import Category
from kotacerdas.servicedesk.ikm import (
    GRADES_BY_LETTER,
    GroupBy,
    filter_responses,
    grade_for,
    ikm_by,
    ikm_from_sums,
    ikm_of,
    ikm_total,
    rate_request,
    visible_responses,
)
from kotacerdas.servicedesk.models import SatisfactionResponse, Service
from kotacerdas.servicedesk.tests.fixtures import MONDAY_9AM, WIB

URL = "/staf/layanan/ikm/"

# Three respondents of a hand-worked example, u1..u9:
#   r1: 4 4 3 4 3 4 4 3 4   (33)
#   r2: 3 3 3 4 3 3 4 3 3   (29)
#   r3: 3 4 2 4 3 4 4 3 3   (30)
# Element sums 10 11 8 12 9 11 12 9 10, so the NRR are 10/3 = 3.33, 11/3 = 3.67, 8/3 = 2.67,
# 12/3 = 4.00, 9/3 = 3.00, 3.67, 4.00, 3.00, 3.33. All 92 answers over 9 x 3: IKM = 92/27 =
# 3.407407...; score = 3.407407... x 25 = 2300/27 = 85.185185... -> 85.19, grade B (Baik).
EXAMPLE = [
    (4, 4, 3, 4, 3, 4, 4, 3, 4),
    (3, 3, 3, 4, 3, 3, 4, 3, 3),
    (3, 4, 2, 4, 3, 4, 4, 3, 3),
]
TINY = Decimal("1e-30")


def close_to(value: Decimal, exact: Fraction) -> bool:
    """``value`` agrees with ``exact`` to 30 decimal places (it is carried to 34 digits)."""
    return abs(Fraction(value) - exact) < Fraction(1, 10**30)


def spread(respondents: int, total: int) -> list[tuple[int, ...]]:
    """``respondents`` answer sets of 1-4 whose answers add up to ``total``."""
    extra = total - 9 * respondents
    assert 0 <= extra <= 27 * respondents
    sets = []
    for _ in range(respondents):
        answers = []
        for _ in range(9):
            step = min(3, extra)
            answers.append(1 + step)
            extra -= step
        sets.append(tuple(answers))
    return sets


def respond(service, answers, at=MONDAY_9AM, request=None) -> SatisfactionResponse:
    return SatisfactionResponse.objects.create(
        service=service,
        request=request,
        submitted_at=at,
        **{f"u{i}": answer for i, answer in enumerate(answers, start=1)},
    )


# ---------------------------------------------------------------------------------------------
# Arithmetic and grades


def test_the_hand_worked_example():
    result = ikm_of(EXAMPLE)
    assert result.respondents == 3
    assert [str(v) for v in result.rounded_nrr] == [
        "3.33", "3.67", "2.67", "4.00", "3.00", "3.67", "4.00", "3.00", "3.33"
    ]  # fmt: skip
    assert result.nrr[3] == Decimal(4)
    assert close_to(result.nrr[0], Fraction(10, 3))
    assert close_to(result.ikm, Fraction(92, 27))
    assert close_to(result.score, Fraction(2300, 27))
    assert result.rounded_ikm == Decimal("3.407")
    assert result.rounded_score == Decimal("85.19")
    assert result.grade == "B"
    with translation.override("en"):
        assert str(result.grade_label) == "Good"
    assert result.grade_official_name == "Baik"


@pytest.mark.parametrize(
    ("score", "letter"),
    [
        ("100.00", "A"),
        ("88.31", "A"),
        ("88.30", "B"),
        ("88.305", "A"),  # rounds half up to 88.31
        ("88.3049", "B"),
        ("76.61", "B"),
        ("76.60", "C"),
        ("76.605", "B"),
        ("65.00", "C"),
        ("64.995", "C"),
        ("64.99", "D"),
        ("25.00", "D"),
    ],
)
def test_grade_boundaries(score, letter):
    assert grade_for(Decimal(score)).letter == letter


def test_grade_official_names_and_labels():
    with translation.override("en"):
        names = {
            letter: (grade_for(Decimal(s)).official_name, str(grade_for(Decimal(s)).label))
            for letter, s in (("A", "90"), ("B", "80"), ("C", "70"), ("D", "50"))
        }
    assert names == {
        "A": ("Sangat Baik", "Very good"),
        "B": ("Baik", "Good"),
        "C": ("Kurang Baik", "Poor"),
        "D": ("Tidak Baik", "Very poor"),
    }


@pytest.mark.parametrize("score", ["24.99", "100.01", "0"])
def test_a_score_off_the_scale_has_no_grade(score):
    with pytest.raises(ValueError, match="not a converted IKM score"):
        grade_for(Decimal(score))


@pytest.mark.parametrize(
    ("respondents", "total", "shown", "letter"),
    [
        # score = 25 x total / (9 x respondents), rounded half up to 2 decimals
        (24, 763, "88.31", "A"),  # 19075/216 = 88.3101...
        (19, 604, "88.30", "B"),  # 15100/171 = 88.3040...
        (19, 524, "76.61", "B"),  # 13100/171 = 76.6081...
        (26, 717, "76.60", "C"),  # 17925/234 = 76.6025...
        (5, 117, "65.00", "C"),  # 2925/45 = 65 exactly
        (38, 889, "64.99", "D"),  # 22225/342 = 64.9853...
    ],
)
def test_whole_computations_landing_on_the_boundaries(respondents, total, shown, letter):
    result = ikm_of(spread(respondents, total))
    assert result.respondents == respondents
    assert result.rounded_score == Decimal(shown)
    assert result.grade == letter


def test_one_ninth_is_one_ninth_not_0_111():
    # 24 respondents, 763 in all: the NRR add up to 763/24 = 31.7917. Weighted by 1/9 the
    # score is 88.31 (A); weighted by 0.111, as spreadsheets often do, it would be 88.22 (B).
    result = ikm_of(spread(24, 763))
    assert result.grade == "A"
    assert round(sum(result.nrr) * Decimal("0.111") * 25, 2) == Decimal("88.22")


def test_an_exact_tie_at_the_third_decimal_rounds_up():
    # 5000 respondents answering 158,949 in all: 25 x 158949 / 45000 = 88.305 exactly. Adding
    # nine rounded NRR would land a hair below and print 88.30 (B); one division does not.
    sums = [17661] * 9
    assert sum(sums) == 158949
    result = ikm_from_sums(sums, 5000)
    assert result.score == Decimal("88.305")
    assert result.rounded_score == Decimal("88.31")
    assert result.grade == "A"


def test_no_respondents_no_index():
    assert ikm_of([]) is None
    assert ikm_from_sums([0] * 9, 0) is None


@pytest.mark.parametrize(
    "answers", [(0, 1, 1, 1, 1, 1, 1, 1, 1), (5,) * 9, (1,) * 8, (True,) * 9, (2.0,) * 9]
)
def test_impossible_answers_are_refused(answers):
    with pytest.raises(ValueError, match="nine whole answers"):
        ikm_of([answers])


def test_impossible_sums_are_refused():
    with pytest.raises(ValueError, match="impossible"):
        ikm_from_sums([1] * 9, 2)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(*[st.integers(min_value=1, max_value=4)] * 9),
        min_size=1,
        max_size=40,
    )
)
def test_score_is_always_on_the_25_to_100_scale(answer_sets):
    result = ikm_of(answer_sets)
    assert result.respondents == len(answer_sets)
    assert Decimal(25) <= result.score <= Decimal(100)
    assert all(Decimal(1) <= value <= Decimal(4) for value in result.nrr)
    assert abs(result.score - result.ikm * 25) < Decimal("1e-25")
    assert abs(result.ikm - sum(result.nrr) / 9) < Decimal("1e-25")
    assert result.grade == grade_for(result.score).letter


@given(st.integers(min_value=1, max_value=500))
def test_all_fours_and_all_ones(respondents):
    best = ikm_from_sums([4 * respondents] * 9, respondents)
    assert (best.rounded_score, best.grade, best.rounded_ikm) == (
        Decimal("100.00"),
        "A",
        Decimal("4.000"),
    )
    worst = ikm_of([(1,) * 9] * respondents)
    assert (worst.rounded_score, worst.grade) == (Decimal("25.00"), "D")


# ---------------------------------------------------------------------------------------------
# A citizen rates their request


GOOD = {f"u{i}": "3" for i in range(1, 10)}


@pytest.fixture
def resolved(file_request, road_service, desk_officer):
    request = file_request(road_service)
    workflow.assign(desk_officer, request, at=MONDAY_9AM + dt.timedelta(hours=1))
    workflow.resolve(desk_officer, request, "Sudah ditambal", at=MONDAY_9AM + dt.timedelta(days=1))
    return request


def test_a_resolved_request_is_rated_once(resolved, road_service):
    at = MONDAY_9AM + dt.timedelta(days=2)
    rating = rate_request(resolved, {**GOOD, "u9": 4, "csrfmiddlewaretoken": "x"}, " Cepat ", at)
    rating.refresh_from_db()
    assert rating.answers() == (3, 3, 3, 3, 3, 3, 3, 3, 4)
    assert (rating.service, rating.request, rating.comment) == (road_service, resolved, "Cepat")
    assert rating.submitted_at == at
    with pytest.raises(ValidationError) as refused:
        rate_request(resolved, GOOD)
    assert "request" in refused.value.message_dict
    assert SatisfactionResponse.objects.count() == 1


def test_a_closed_request_can_be_rated(resolved):
    workflow.close(resolved)
    assert rate_request(resolved, GOOD).request == resolved


def test_an_open_request_cannot_be_rated(file_request, road_service):
    request = file_request(road_service)
    with pytest.raises(ValidationError) as refused:
        rate_request(request, GOOD)
    assert list(refused.value.message_dict) == ["status"]
    assert not SatisfactionResponse.objects.exists()


def test_a_rejected_request_cannot_be_rated(file_request, road_service, desk_officer):
    request = file_request(road_service)
    workflow.reject(desk_officer, request, "Bukan kewenangan kota")
    with pytest.raises(ValidationError) as refused:
        rate_request(request, GOOD)
    assert "status" in refused.value.message_dict


def test_every_bad_answer_is_named(resolved):
    answers = {**GOOD, "u1": "5", "u2": "tiga", "u3": "", "u4": 2.5, "u5": True, "u6": 0}
    del answers["u7"]
    with pytest.raises(ValidationError) as refused:
        rate_request(resolved, answers, comment="x" * 2001)
    assert set(refused.value.message_dict) == {"u1", "u2", "u3", "u4", "u5", "u6", "u7", "comment"}
    assert not SatisfactionResponse.objects.exists()


def test_a_merged_duplicate_rates_its_own_service(
    file_request, road_service, info_service, desk_officer
):
    main = file_request(road_service)
    duplicate = file_request(info_service, description="Jalan di depan SD berlubang")
    workflow.merge(desk_officer, duplicate, main)
    with pytest.raises(ValidationError):
        rate_request(duplicate, GOOD)  # the main request is still open
    workflow.assign(desk_officer, main)
    workflow.resolve(desk_officer, main, "Sudah ditambal")
    rating = rate_request(duplicate, GOOD)
    assert (rating.service, rating.request) == (info_service, duplicate)
    # The main request's reporter rates their own request separately.
    assert rate_request(main, GOOD).service == road_service


# ---------------------------------------------------------------------------------------------
# Reports


@pytest.fixture
def ratings(road_service, info_service):
    """The hand-worked example for the road service in November 2026, two answers for the
    information service across the end of March 2026 (WIB)."""
    for answers in EXAMPLE:
        respond(road_service, answers)
    respond(info_service, (4,) * 9, at=dt.datetime(2026, 3, 31, 23, 30, tzinfo=WIB))
    respond(info_service, (2,) * 9, at=dt.datetime(2026, 4, 1, 0, 30, tzinfo=WIB))


def summary(lines):
    return [(key, label, r.respondents, str(r.rounded_score), r.grade) for key, label, r in lines]


def test_ikm_by_service_and_opd(ratings, django_assert_num_queries):
    with django_assert_num_queries(1):
        lines = ikm_by(SatisfactionResponse.objects.all(), "service")
    assert summary(lines) == [
        ("jalan-rusak", "Jalan rusak", 3, "85.19", "B"),
        ("informasi-publik", "Permohonan informasi publik", 2, "75.00", "C"),
    ]
    assert summary(ikm_by(SatisfactionResponse.objects.all(), GroupBy.OPD)) == [
        ("diskominfo", "Dinas Komunikasi dan Informatika", 2, "75.00", "C"),
        ("dpupr", "Dinas Pekerjaan Umum dan Penataan Ruang", 3, "85.19", "B"),
    ]


def test_ikm_by_period_in_local_time(ratings):
    everything = SatisfactionResponse.objects.all()
    # 23:30 WIB on 31 March is 16:30 UTC: March and the first quarter, not April.
    assert summary(ikm_by(everything, "month")) == [
        ("2026-03", "Maret 2026", 1, "100.00", "A"),
        ("2026-04", "April 2026", 1, "50.00", "D"),
        ("2026-11", "November 2026", 3, "85.19", "B"),
    ]
    assert [(k, n) for k, _l, n, _s, _g in summary(ikm_by(everything, "quarter"))] == [
        ("2026-Q1", 1),
        ("2026-Q2", 1),
        ("2026-Q4", 3),
    ]
    assert summary(ikm_by(everything, "year")) == [("2026", "2026", 5, "81.11", "B")]


def test_an_unknown_grouping_is_refused(ratings):
    with pytest.raises(ValueError):
        ikm_by(SatisfactionResponse.objects.all(), "week")


def test_filter_by_service_opd_and_dates(ratings, road_service, info_service, dpupr):
    everything = SatisfactionResponse.objects.all()
    assert filter_responses(everything, service=road_service).count() == 3
    assert filter_responses(everything, opd=dpupr).count() == 3
    # Local dates, inclusive: 31 March WIB holds the 23:30 answer.
    march = filter_responses(everything, start=dt.date(2026, 3, 31), end=dt.date(2026, 3, 31))
    assert list(march.values_list("u1", flat=True)) == [4]
    assert filter_responses(everything, start=dt.date(2026, 4, 1)).count() == 4
    assert ikm_total(filter_responses(everything, service=info_service)).respondents == 2
    assert ikm_total(filter_responses(everything, end=dt.date(2020, 1, 1))) is None


def test_an_opd_officer_reads_only_their_own_services(
    ratings, dpupr_officer, desk_officer, executive, dinsos_officer, assessor
):
    assert visible_responses(dpupr_officer).count() == 3
    assert visible_responses(dinsos_officer).count() == 0
    for reader in (desk_officer, executive, assessor):
        assert visible_responses(reader).count() == 5


# ---------------------------------------------------------------------------------------------
# The staff page


def test_anonymous_visitors_are_sent_to_sign_in(citizen):
    response = citizen.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/")


def test_a_signed_in_user_without_a_role_is_refused(client_for, django_user_model, ratings):
    nobody = django_user_model.objects.create_user(username="warga", password=None)
    assert client_for(nobody).get(URL).status_code == 403


def test_the_desk_sees_every_service(client_for, desk_officer, ratings):
    response = client_for(desk_officer).get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Jalan rusak" in page and "Permohonan informasi publik" in page
    # The road service's line: 3 respondents, NRR 3,33... (Indonesian decimals), B.
    assert "85,19" in page and "3,407" in page and "75,00" in page
    with translation.override("id"):
        assert f"B · {GRADES_BY_LETTER['B'].label}" in page


def test_an_opd_officer_sees_only_their_opd(client_for, dpupr_officer, ratings, info_service):
    client = client_for(dpupr_officer)
    page = client.get(URL).content.decode()
    assert "Jalan rusak" in page and "85,19" in page
    assert "Permohonan informasi publik" not in page and "75,00" not in page
    # Asking for another OPD's service by its id is a bad filter, not a peek.
    assert client.get(URL, {"service": info_service.pk}).status_code == 400
    rows = list(csv.reader(io.StringIO(client.get(URL, {"format": "csv"}).content.decode())))
    assert [row[0] for row in rows[1:]] == ["Jalan rusak"]


def in_english(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_grouping_and_date_filters(client_for, executive, ratings):
    client = in_english(client_for(executive))
    page = client.get(URL, {"group": "quarter", "from": "2026-04-01", "to": "2026-12-31"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Q2 2026" in text and "Q4 2026" in text and "Q1 2026" not in text


@pytest.mark.parametrize(
    "query",
    [
        {"from": "2026-13-45"},
        {"to": "kemarin"},
        {"from": "2026-12-01", "to": "2026-11-01"},
        {"group": "week"},
        {"from": "99999-01-01"},
    ],
)
def test_bad_filters_are_shown_with_status_400(client_for, executive, ratings, query):
    response = client_for(executive).get(URL, query)
    assert response.status_code == 400
    assert 'id="filter-error"' in response.content.decode()
    assert client_for(executive).get(URL, {**query, "format": "csv"}).status_code == 400


def test_csv_download_matches_the_table(client_for, executive, ratings):
    response = in_english(client_for(executive)).get(URL, {"format": "csv", "group": "service"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Service"
    assert rows[0][1:11] == ["Respondents", "u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9"]
    assert rows[1] == [
        "Jalan rusak", "3", "3.33", "3.67", "2.67", "4.00", "3.00", "3.67", "4.00", "3.00",
        "3.33", "3.407", "85.19", "B", "Good",
    ]  # fmt: skip
    assert rows[2][0] == "Permohonan informasi publik"
    assert rows[3][:2] == ["All", "5"]


def test_csv_neutralises_formula_like_names(client_for, executive, dpupr):
    names = ('=HYPERLINK("http://x")', "+62 layanan", "-1 test", "@SUM(A1)")
    for number, name in enumerate(names):
        service = Service.objects.create(
            code=f"formula-{number}",
            name=name,
            category=Category.COMPLAINT,
            opd=dpupr,
            pillar=Pillar.objects.get(code="living"),
            sla_amount=1,
        )
        respond(service, (3,) * 9)
    response = client_for(executive).get(URL, {"format": "csv"})
    cells = {row[0] for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig")))}
    assert {"'" + name for name in names} <= cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
