"""The impact survey of the 2023 instrument: public answers, CSV import, the validity flags,
the item means with and without flagged responses, the administrator's decision and the means
as the region's proposed scores."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from conftest import needs_chromium
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils.translation import gettext

from kotacerdas.evaluation import cycle, survey
from kotacerdas.evaluation.choices import Stage
from kotacerdas.evaluation.models import Answer, SurveyDecision, SurveyResponse

pytestmark = pytest.mark.django_db

PHONE = "0812-3456-7890"
PHONE_DIGITS = "81234567890"


def codes(evaluation, pillar="governance") -> list[str]:
    return [item.code for item in survey.survey_items(evaluation)[pillar]]


def answers(evaluation, values, pillar="governance") -> dict[str, int]:
    return dict(zip(codes(evaluation, pillar), values, strict=True))


def answer(evaluation, contact, values, pillar="governance") -> SurveyResponse:
    return survey.submit_response(evaluation, pillar, contact, answers(evaluation, values, pillar))


def form_url(evaluation, pillar="governance") -> str:
    return reverse(
        "evaluation-public:survey-form",
        kwargs={"survey_key": evaluation.survey_key, "pillar": pillar},
    )


def admin_url(evaluation) -> str:
    return reverse("evaluation:survey-admin", kwargs={"pk": evaluation.pk})


def csv_upload(text: str, name: str = "survei.csv", encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def csv_file(evaluation, rows: list[tuple[str, str, list[str]]]) -> str:
    """A file with the governance and economy columns; each row fills its own pillar's."""
    governance, economy = codes(evaluation), codes(evaluation, "economy")
    lines = [",".join(["pillar", "respondent", *governance, *economy])]
    for pillar, respondent, values in rows:
        cells = values + [""] * 9 if pillar != "economy" else [""] * 9 + values
        lines.append(",".join([pillar, respondent, *cells]))
    return "\n".join(lines) + "\n"


# --- The survey and its respondents ----------------------------------------------------------


def test_the_2023_instrument_has_nine_questions_for_each_pillar_and_2022_none(
    evaluation_2024, evaluation_2022
):
    items = survey.survey_items(evaluation_2024)
    assert list(items) == ["governance", "branding", "economy", "living", "society", "environment"]
    assert all(len(questions) == 9 for questions in items.values())
    assert items["governance"][0].code == "S.governance.layanan_publik.1"
    assert survey.survey_items(evaluation_2022) == {}
    with pytest.raises(ValidationError) as refused:
        survey.submit_response(evaluation_2022, "governance", PHONE, {})
    assert "survey" in refused.value.message_dict


def test_a_contact_gives_the_same_key_however_it_is_written(settings):
    same_phone = {"0812-3456-7890", "+62 812 3456 7890", "6281234567890", "(0812) 3456.7890"}
    assert len({survey.respondent_key(contact) for contact in same_phone}) == 1
    assert survey.respondent_key(" Budi@Example.ID ") == survey.respondent_key("budi@example.id")
    key = survey.respondent_key(PHONE)
    assert len(key) == 64 and PHONE_DIGITS not in key
    assert key != survey.respondent_key("0812-3456-7891")
    # Keyed: without the platform's secret the key cannot be recomputed from a list of numbers.
    settings.SECRET_KEY = "another-secret-" * 4
    assert survey.respondent_key(PHONE) != key
    for not_a_contact in ("", "12", "budi", "budi@"):
        with pytest.raises(ValidationError):
            survey.respondent_key(not_a_contact)


# --- Answering through the public page --------------------------------------------------------


def test_a_citizen_answers_a_pillar_without_javascript(citizen, evaluation_2024):
    index = citizen.get(
        reverse("evaluation-public:survey-index", kwargs={"survey_key": evaluation_2024.survey_key})
    )
    assert index.status_code == 200
    assert form_url(evaluation_2024, "environment") in index.content.decode()

    page = citizen.get(form_url(evaluation_2024))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Layanan dapat diakses daring" in html  # the instrument's label is the question
    assert html.count('type="radio" name="S.governance.layanan_publik.1"') == 5  # 4-1 and 0

    posted = dict(zip(codes(evaluation_2024), [4, 3, 2, 1, 0, 4, 3, 3, 2], strict=True))
    response = citizen.post(form_url(evaluation_2024), {"contact": PHONE, **posted})

    assert response.status_code == 302
    thanks = citizen.get(response["Location"])
    assert 'id="survey-thanks"' in thanks.content.decode()
    stored = SurveyResponse.objects.get()
    assert (stored.evaluation, stored.pillar, stored.imported) == (
        evaluation_2024,
        "governance",
        False,
    )
    assert stored.answers == posted
    assert stored.respondent == survey.respondent_key(PHONE)
    # The contact is nowhere in the record.
    assert PHONE_DIGITS not in json.dumps(model_to_dict(stored), default=str)


def test_refused_answers_name_the_item_and_save_nothing(citizen, evaluation_2024):
    first, second, third, *rest = codes(evaluation_2024)
    posted = {first: "5", third: "2.5", **dict.fromkeys(rest, "3")}  # second left out
    page = citizen.post(form_url(evaluation_2024), {"contact": PHONE, **posted})

    assert page.status_code == 400
    html = page.content.decode()
    assert 'id="survey-errors"' in html
    for code in (first, second, third):
        fieldset = html.split(f'id="q-{code}"', 1)[1].split("</fieldset>", 1)[0]
        assert 'class="notice notice-error"' in fieldset  # the message sits by the question
    assert 'value="3" required checked' in html  # what was chosen is kept
    assert not SurveyResponse.objects.exists()

    with pytest.raises(ValidationError) as refused:
        survey.submit_response(
            evaluation_2024,
            "governance",
            "not a contact",
            {
                first: 5,
                second: True,
                third: 2.0,
                "S.economy.industri.1": 3,
                **dict.fromkeys(rest, 3),
            },
        )
    problems = refused.value.message_dict
    assert set(problems) == {"contact", first, second, third, "S.economy.industri.1"}
    assert not SurveyResponse.objects.exists()


def test_the_same_person_answers_each_pillar_once(citizen, evaluation_2024):
    answer(evaluation_2024, PHONE, [3] * 8 + [2])
    with pytest.raises(ValidationError) as refused:
        answer(evaluation_2024, "+62 812 3456 7890", [1] * 9)
    # Says that, and nothing more (not when, not what was answered).
    assert refused.value.message_dict == {
        "contact": [gettext("You have already answered this survey. Thank you.")]
    }
    answer(evaluation_2024, PHONE, [2] * 9, pillar="economy")  # another pillar is allowed
    assert SurveyResponse.objects.count() == 2

    posted = answers(evaluation_2024, [4] * 9)
    page = citizen.post(form_url(evaluation_2024), {"contact": "081234567890", **posted})
    assert page.status_code == 400
    assert 'id="contact-error"' in page.content.decode()
    assert SurveyResponse.objects.count() == 2


def test_the_survey_is_open_only_during_the_self_assessment(
    administrator, citizen, evaluation_2024
):
    cycle.advance(administrator, evaluation_2024, Stage.ASSESSOR_REVIEW)
    with pytest.raises(ValidationError):
        answer(evaluation_2024, PHONE, [3] * 9)
    page = citizen.get(form_url(evaluation_2024))
    assert 'id="survey-closed"' in page.content.decode()
    posted = answers(evaluation_2024, [3] * 9)
    assert citizen.post(form_url(evaluation_2024), {"contact": PHONE, **posted}).status_code == 400
    assert not SurveyResponse.objects.exists()


def test_unknown_survey_keys_pillars_and_schemes_without_a_survey_are_not_found(
    citizen, evaluation_2024, evaluation_2022
):
    assert citizen.get(form_url(evaluation_2024, "quick_win")).status_code == 404
    assert citizen.get("/survei/not-a-key/governance/").status_code == 404
    assert citizen.get(form_url(evaluation_2022)).status_code == 404


# --- Flags and means ----------------------------------------------------------------------------


@pytest.fixture
def hand_made(evaluation_2024):
    """Four governance responses and one economy response:

    A  4 4 4 4 4 4 4 4 4  same_answer
    B  1 2 3 4 1 2 3 4 0  zero
    C  2 3 3 2 3 3 2 3 3  several_pillars (C also answered economy: 3 3 2 ... )
    D  4 3 4 2 2 3 1 4 3  clean
    """
    return {
        "A": answer(evaluation_2024, "a@example.id", [4] * 9),
        "B": answer(evaluation_2024, "b@example.id", [1, 2, 3, 4, 1, 2, 3, 4, 0]),
        "C": answer(evaluation_2024, "c@example.id", [2, 3, 3, 2, 3, 3, 2, 3, 3]),
        "D": answer(evaluation_2024, "d@example.id", [4, 3, 4, 2, 2, 3, 1, 4, 3]),
        "C-economy": answer(
            evaluation_2024, "C@example.id", [3, 3, 2, 2, 2, 2, 2, 2, 2], pillar="economy"
        ),
    }


def test_each_flag_is_raised_on_the_responses_that_earn_it(evaluation_2024, hand_made):
    found = survey.flags(evaluation_2024)
    assert found == {
        hand_made["A"].pk: {"same_answer"},
        hand_made["B"].pk: {"zero"},
        hand_made["C"].pk: {"several_pillars"},
        hand_made["D"].pk: set(),
        hand_made["C-economy"].pk: {"several_pillars"},
    }
    # No module holds service records yet: whether anyone used the services is unknown.
    assert survey.screen(evaluation_2024).usage_unknown == set(found)


def test_a_usage_lookup_raises_not_a_user(evaluation_2024, hand_made, monkeypatch):
    known = {survey.respondent_key("d@example.id"): True}

    def service_desk(evaluation, pillar, key):
        # Holds governance records only; D used a governance service, A did not.
        return known.get(key, False) if pillar == "governance" else None

    monkeypatch.setattr(survey, "USAGE_LOOKUPS", [service_desk])
    found = survey.flags(evaluation_2024)
    assert found[hand_made["A"].pk] == {"same_answer", "not_a_user"}
    assert found[hand_made["D"].pk] == set()
    assert "not_a_user" not in found[hand_made["C-economy"].pk]  # unknown, not flagged
    assert survey.screen(evaluation_2024).usage_unknown == {hand_made["C-economy"].pk}


def test_item_means_with_and_without_flagged_answers(evaluation_2024, hand_made):
    means = survey.item_means(evaluation_2024, "governance")
    assert [mean.item_code for mean in means] == codes(evaluation_2024)
    first, *_, last = means
    # Item 1: A 4, B 1, C 2, D 4 -> 11 / 4; without the flagged A, B, C: D alone.
    assert first == ("S.governance.layanan_publik.1", Decimal("2.75"), Decimal(4), 4, 1)
    # Item 9: A 4, B 0 (not an answer), C 3, D 3 -> 10 / 3 over three answers, unrounded.
    assert (last.n_all, last.n_without) == (3, 1)
    assert round(last.mean_all, 6) == Decimal("3.333333") and last.mean_all != Decimal("3.33")
    assert last.mean_without_flagged == Decimal(3)


def test_answers_of_zero_never_count_in_a_mean(evaluation_2024):
    answer(evaluation_2024, "a@example.id", [0, 0, 0, 0, 0, 0, 0, 0, 0])
    answer(evaluation_2024, "b@example.id", [2, 0, 1, 2, 3, 4, 1, 2, 3])
    means = survey.item_means(evaluation_2024, "governance")
    assert means[0] == (means[0].item_code, Decimal(2), None, 1, 0)
    assert means[1] == (means[1].item_code, None, None, 0, 0)


# --- Decision and applying the means ---------------------------------------------------------


def test_the_decision_needs_a_reason_and_is_in_the_audit_trail(
    administrator, assessor, evaluation_2024
):
    with pytest.raises(ValidationError) as refused:
        survey.decide(administrator, evaluation_2024, "governance", False, "  ")
    assert "reason" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        survey.decide(assessor, evaluation_2024, "governance", False, "Tidak valid")
    assert not SurveyDecision.objects.exists()

    reason = "Banyak responden ASN mengisi semua pilar"
    decision = survey.decide(administrator, evaluation_2024, "governance", False, reason)
    survey.decide(administrator, evaluation_2024, "governance", True, "Sampel terlalu kecil")

    decision.refresh_from_db()
    assert (decision.include_flagged, decision.reason) == (True, "Sampel terlalu kecil")
    entries = LogEntry.objects.get_for_object(decision).order_by("timestamp")
    assert [entry.actor for entry in entries] == [administrator, administrator]
    assert entries[0].changes_dict["reason"][1] == reason
    assert entries[1].changes_dict["include_flagged"] == [False, True]


def test_apply_means_writes_the_proposed_scores_as_decided(
    administrator, evaluation_2024, hand_made
):
    answer(evaluation_2024, "e@example.id", [0] * 9, pillar="economy")  # nothing that counts
    survey.decide(administrator, evaluation_2024, "governance", True, "Semua dihitung")

    applied = survey.apply_means(administrator, evaluation_2024)

    scores = dict(
        Answer.objects.filter(item_code__startswith="S.governance.").values_list(
            "item_code", "proposed_score"
        )
    )
    assert scores["S.governance.layanan_publik.1"] == Decimal("2.75")
    assert scores["S.governance.tata_kelola_birokrasi.3"] == Decimal("3.33")  # 10 / 3
    # Item 2: A 4, B 2, C 3, D 3 -> 3.00
    assert scores["S.governance.layanan_publik.2"] == Decimal("3.00")
    assert len(applied.written) == 9
    assert applied.undecided == ["branding", "economy", "living", "society", "environment"]
    item = Answer.objects.get(item_code="S.governance.tata_kelola_birokrasi.3")
    assert item.answered_by == administrator
    assert " 3 " in item.justification and "Semua dihitung" in item.justification
    entry = LogEntry.objects.get_for_object(item).order_by("timestamp").last()
    assert entry.actor == administrator

    # Leaving the flagged responses out: D alone counts for governance; the economy
    # respondents are both flagged (C answered two pillars, E only 0), so nothing counts there.
    survey.decide(administrator, evaluation_2024, "governance", False, "Hanya yang bersih")
    survey.decide(administrator, evaluation_2024, "economy", False, "Hanya yang bersih")
    applied = survey.apply_means(administrator, evaluation_2024)
    item = Answer.objects.get(item_code="S.governance.layanan_publik.1")
    assert item.proposed_score == Decimal("4.00")
    assert "Hanya yang bersih" in item.justification
    assert applied.no_valid_answer == codes(evaluation_2024, "economy")
    assert not Answer.objects.filter(
        item_code__startswith="S.economy.", proposed_score__isnull=False
    ).exists()


def test_only_administrators_run_the_survey(
    dinsos_officer, assessor, executive, evaluation_2024, hand_made
):
    good = csv_upload(csv_file(evaluation_2024, [("governance", "R-1", ["3"] * 9)]))
    for user in (dinsos_officer, assessor, executive):
        with pytest.raises(PermissionDenied):
            survey.decide(user, evaluation_2024, "governance", True, "alasan")
        with pytest.raises(PermissionDenied):
            survey.import_responses(user, evaluation_2024, good)
        with pytest.raises(PermissionDenied):
            survey.apply_means(user, evaluation_2024)
    assert SurveyResponse.objects.count() == 5
    assert not SurveyDecision.objects.exists()


# --- CSV import ----------------------------------------------------------------------------------


def test_a_good_file_is_imported_with_the_respondents_hashed(administrator, evaluation_2024):
    text = csv_file(
        evaluation_2024,
        [
            ("governance", PHONE, ["3", "4", "2", "3", "3", "1", "4", "0", "2"]),
            ("economy", "R-017", ["2"] * 9),
            ("Governance", "r-018", ["1"] * 9),
        ],
    )
    result = survey.import_responses(administrator, evaluation_2024, csv_upload("\ufeff" + text))
    assert result.ok and result.created == 3
    assert result.by_pillar == {"governance": 2, "economy": 1}
    stored = {response.respondent: response for response in SurveyResponse.objects.all()}
    assert set(stored) == {
        survey.respondent_key(PHONE),
        survey.respondent_key("R-017", allow_id=True),
        survey.respondent_key("r-018", allow_id=True),
    }
    phone = stored[survey.respondent_key(PHONE)]
    assert phone.imported and phone.answers["S.governance.tata_kelola_birokrasi.2"] == 0
    # The same person cannot then answer online.
    with pytest.raises(ValidationError):
        answer(evaluation_2024, "+62 812 3456 7890", [3] * 9)


def test_a_file_with_bad_rows_saves_nothing_and_lists_every_bad_row(administrator, evaluation_2024):
    answer(evaluation_2024, "online@example.id", [3] * 9)
    nine = ["3"] * 9
    text = csv_file(
        evaluation_2024,
        [
            ("governance", "R-1", nine),  # row 2: good
            ("pemerintahan", "R-2", nine),  # row 3: unknown pillar
            ("governance", "R-3", ["3"] * 8 + [""]),  # row 4: missing answer
            ("governance", "R-4", ["5", *["3"] * 7, "x"]),  # row 5: two bad answers
            ("governance", "", nine),  # row 6: no respondent
            ("governance", "r-1", nine),  # row 7: R-1 again (ids are case-blind)
            ("governance", "online@example.id", nine),  # row 8: answered online already
            ("economy", "R-9", nine),  # row 9: good
        ],
    ).replace("\neconomy,R-9,", "\neconomy,R-9,3")  # row 9: a governance cell filled
    result = survey.import_responses(administrator, evaluation_2024, csv_upload(text))

    governance = codes(evaluation_2024)
    assert not result.ok and result.created == 0
    assert [(error.row, error.column) for error in result.errors] == [
        (3, "pillar"),
        (4, governance[8]),
        (5, governance[0]),
        (5, governance[8]),
        (6, "respondent"),
        (7, "respondent"),
        (8, "respondent"),
        (9, governance[0]),
    ]
    assert "2" in result.errors[5].message  # the row R-1 came first
    assert all("online@example.id" not in error.message for error in result.errors)
    assert SurveyResponse.objects.count() == 1  # only the online answer


def test_the_file_must_be_readable_utf8_csv_of_at_most_5_mb(administrator, evaluation_2024):
    header = "pillar,respondent," + ",".join(codes(evaluation_2024))
    latin1 = csv_upload(header + "\ngovernance,Désirée," + ",".join(["3"] * 9), encoding="latin-1")
    with pytest.raises(ValidationError, match="UTF-8") as refused:
        survey.import_responses(administrator, evaluation_2024, latin1)
    assert "2" in str(refused.value)  # the line of the first bad byte
    big = csv_upload(header + "\n" + "x" * (5 * 1024 * 1024))
    with pytest.raises(ValidationError, match="5 MB"):
        survey.import_responses(administrator, evaluation_2024, big)
    unclosed_quote = csv_upload(header + '\ngovernance,"R-1,' + "3," * 100_000)
    with pytest.raises(ValidationError, match="2"):
        survey.import_responses(administrator, evaluation_2024, unclosed_quote)
    unknown_column = csv_upload(header + ",I22.1\n")
    result = survey.import_responses(administrator, evaluation_2024, unknown_column)
    assert [(error.row, error.column) for error in result.errors] == [(1, "I22.1")]
    # Spreadsheets set to Indonesian save with semicolons.
    semicolons = csv_upload(header.replace(",", ";") + "\ngovernance;R-1;" + ";".join(["2"] * 9))
    assert survey.import_responses(administrator, evaluation_2024, semicolons).created == 1


# --- The staff page ------------------------------------------------------------------------------


def test_who_may_see_the_staff_page(
    client_for, citizen, administrator, assessor, dinsos_officer, executive, evaluation_2024
):
    url = admin_url(evaluation_2024)
    assert client_for(administrator).get(url).status_code == 200
    assert client_for(assessor).get(url).status_code == 200
    assert client_for(dinsos_officer).get(url).status_code == 403
    assert client_for(executive).get(url).status_code == 403
    assert citizen.get(url).status_code == 302  # to the sign-in page
    refused = client_for(assessor).post(
        url, {"action": "decide", "pillar": "governance", "include_flagged": "1", "reason": "x"}
    )
    assert refused.status_code == 403
    assert not SurveyDecision.objects.exists()


def test_the_administrator_reads_decides_imports_and_applies_on_the_staff_page(
    client_for, administrator, evaluation_2024, evaluation_2022, hand_made
):
    client = client_for(administrator)
    url = admin_url(evaluation_2024)
    page = client.get(url).content.decode()
    governance = page.split('id="pillar-governance"', 1)[1].split("</article>", 1)[0]
    # Item 1: 2.75 with the flagged responses, 4.00 without (the decimal mark is the locale's).
    assert re.search(r"2[.,]75</td><td class=\"num\">4</td>", governance)
    assert re.search(r"4[.,]00</td><td class=\"num\">1</td>", governance)
    # not_a_user: the service desk's lookup is registered but holds no requests, so no
    # respondent could be checked.
    assert 'class="usage-unknown"' not in governance
    assert re.search(r"\(\d+ tidak dapat diperiksa\)", governance)
    assert client.get(url + "?template=csv")["Content-Type"] == "text/csv"
    assert client.get(admin_url(evaluation_2022)).status_code == 404

    no_reason = {"action": "decide", "pillar": "governance", "include_flagged": "0", "reason": ""}
    assert client.post(url, no_reason).status_code == 400
    assert not SurveyDecision.objects.exists()
    decided = client.post(url, {**no_reason, "reason": "Responden ASN"})
    assert decided.status_code == 302
    assert SurveyDecision.objects.get().reason == "Responden ASN"

    bad = csv_upload("pillar,respondent,S.governance.layanan_publik.1\ngovernance,R-1,7\n")
    imported = client.post(url, {"action": "import", "file": bad})
    assert imported.status_code == 400
    assert 'id="import-errors"' in imported.content.decode()
    assert SurveyResponse.objects.count() == 5

    applied = client.post(url, {"action": "apply"})
    assert applied.status_code == 200 and 'id="applied"' in applied.content.decode()
    assert Answer.objects.get(item_code="S.governance.layanan_publik.1").proposed_score == Decimal(
        "4.00"
    )


# --- In a browser ------------------------------------------------------------------------------


@pytest.fixture
def survey_links(evaluation_2024):
    """The public link of the survey and its governance questions, read before the browser
    starts (the browser test must not touch the database itself)."""
    return (
        reverse(
            "evaluation-public:survey-index", kwargs={"survey_key": evaluation_2024.survey_key}
        ),
        form_url(evaluation_2024),
        codes(evaluation_2024),
    )


@pytest.mark.browser
@needs_chromium
@pytest.mark.django_db(transaction=True)
def test_a_citizen_answers_a_pillar_on_a_phone(survey_links, phone, live_server):
    index_path, form_path, questions = survey_links
    page = phone()
    page.goto(f"{live_server.url}{index_path}")
    page.locator(f'#survey-pillars a[href="{form_path}"]').click()
    page.wait_for_url(f"{live_server.url}{form_path}")

    page.locator("#contact").fill("0857 1234 5678")
    for number, code in enumerate(questions):
        page.locator(f'input[name="{code}"][value="{number % 4 + 1}"]').check()
    # The page fits the phone: nothing forces sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.locator("#survey-form button[type=submit]").click()

    page.locator("#survey-thanks").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    # The same person cannot answer the same pillar twice.
    page.goto(f"{live_server.url}{form_path}")
    page.locator("#contact").fill("+62 857-1234-5678")
    for code in questions:
        page.locator(f'input[name="{code}"][value="0"]').check()
    page.locator("#survey-form button[type=submit]").click()
    assert page.locator("#contact-error").is_visible()
