"""Usul and sanggah: a citizen proposes someone for aid or objects to a recipient and gets a
number; bad input comes back beside its field with nothing saved; Dinas Sosial works the cases
with the personal data masked (revealing it is recorded) and decides them; nobody else enters."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from kotacerdas.bansos import cases
from kotacerdas.bansos.choices import CaseKind, CaseStatus
from kotacerdas.bansos.models import Case
from kotacerdas.core.models import PersonalDataAccess

USUL = "/cek-bansos/usul/"
SANGGAH = "/cek-bansos/sanggah/"
FORM = {
    "subject_name": "Sri Wahyuni",
    "kelurahan": "35.71.01.1001",
    "address": "Jl. Mayor Bismo 40, RT 3 RW 5",
    "reason": "Janda lansia tinggal sendiri, tidak punya penghasilan tetap.",
    "reporter_name": "Pak RT",
    "reporter_contact": "0812 3456 7890",
}


def number_pattern(prefix: str) -> re.Pattern[str]:
    return re.compile(rf"^{prefix}-{timezone.localdate().year}-\d{{6}}$")


# ---------------------------------------------------------------------------------------------
# The citizen's forms


def test_an_usul_gets_its_number_and_the_citizen_sees_it(citizen, kediri):
    form = citizen.get(USUL)
    assert form.status_code == 200
    assert 'value="35.71.01.1001"' in form.content.decode()
    response = citizen.post(USUL, FORM, follow=True)
    case = Case.objects.get()
    assert number_pattern("USL").match(case.number)
    assert case.number == f"USL-{timezone.localdate().year}-{case.pk:06d}"
    assert response.redirect_chain == [(reverse("bansos-public:case-sent"), 302)]
    assert case.number in response.content.decode()
    assert (case.kind, case.status, case.kelurahan_id) == (
        CaseKind.PROPOSAL,
        CaseStatus.OPEN,
        "35.71.01.1001",
    )
    assert case.reporter_contact == "0812 3456 7890" and case.person is None


def test_a_sanggah_with_a_known_nik_is_linked_to_the_person(citizen, bansos_people):
    budi = bansos_people.budi
    spaced = f"{budi.nik[:6]} {budi.nik[6:12]} {budi.nik[12:]}"
    citizen.post(SANGGAH, {**FORM, "subject_name": "Budi Santoso", "subject_nik": spaced})
    case = Case.objects.get()
    assert number_pattern("SGH").match(case.number)
    assert case.kind == CaseKind.OBJECTION
    assert case.person == budi
    assert case.subject_nik == budi.nik and case.subject_nik_index == budi.nik_index
    # Encrypted at rest: the table holds neither the NIK nor the contact.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT subject_nik, reporter_contact, address FROM {Case._meta.db_table}"  # noqa: S608
        )
        stored = " ".join(cursor.fetchone())
    assert budi.nik not in stored and "0812" not in stored and "Bismo" not in stored


def test_a_valid_nik_nobody_has_is_kept_without_a_person(citizen, bansos_people):
    citizen.post(USUL, {**FORM, "subject_nik": bansos_people.unknown_nik})
    case = Case.objects.get()
    assert case.person is None and case.subject_nik == bansos_people.unknown_nik


def test_a_bad_form_comes_back_with_each_problem_and_saves_nothing(citizen, kediri):
    response = citizen.post(
        USUL,
        {
            **FORM,
            "subject_name": " ",
            "subject_nik": "3571011204800",
            "kelurahan": "35.06.01.2001",  # Kabupaten Kediri, not the city
            "reason": "",
            "reporter_contact": "bukan nomor",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert not Case.objects.exists()
    for field in ("subject_name", "subject_nik", "kelurahan", "reason", "reporter_contact"):
        tag = re.search(rf'<(input|select|textarea) id="{field}"[^>]*>', page).group(0)
        assert 'aria-invalid="true"' in tag, field
    assert 'id="address" name="address" maxlength="300" autocomplete="off" value="Jl.' in page
    assert "3571011204800" not in page.replace('value="3571011204800"', "")  # no message repeats it


def test_the_domain_names_every_problem(kediri):
    with pytest.raises(ValidationError) as refused:
        cases.submit_case(cases.NewCase(kind="gift", subject_name="", kelurahan="", reason=""))
    assert set(refused.value.message_dict) == {"kind", "subject_name", "kelurahan", "reason"}
    assert not Case.objects.exists()


def test_a_double_tap_files_one_case(citizen, kediri):
    first = citizen.post(USUL, FORM)
    second = citizen.post(USUL, FORM)
    assert first.status_code == second.status_code == 302
    assert Case.objects.count() == 1
    # A different reason is another case.
    citizen.post(USUL, {**FORM, "reason": "Anak yatim tiga orang."})
    assert Case.objects.count() == 2


def test_the_forms_are_rate_limited_per_address(citizen, kediri, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "public_write": (1, 3600)}
    assert citizen.post(USUL, FORM).status_code == 302
    assert citizen.post(SANGGAH, {**FORM, "reason": "Lain"}).status_code == 429
    assert Case.objects.count() == 1


def test_a_filled_honeypot_saves_nothing(citizen, kediri):
    response = citizen.post(USUL, {**FORM, "website": "http://spam.example"})
    assert response.status_code == 302
    assert not Case.objects.exists()


# ---------------------------------------------------------------------------------------------
# Dinas Sosial's pages


def case_url(case: Case) -> str:
    return reverse("bansos:case", args=[case.pk])


def test_the_officer_lists_cases_with_filters(client_for, dinsos_officer, file_case):
    objection = file_case(CaseKind.OBJECTION)
    proposal = file_case(CaseKind.PROPOSAL, subject_name="Sri Wahyuni", kelurahan="35.71.02.1001")
    decided = file_case(CaseKind.PROPOSAL, subject_name="Joko Susilo")
    cases.decide_case(decided, dinsos_officer, CaseStatus.DISMISSED, "Sudah menerima PKH.")
    officer = client_for(dinsos_officer)
    url = reverse("bansos:case-list")

    def listed(query: str = "") -> set[str]:
        page = officer.get(url + query)
        assert page.status_code == 200
        return set(re.findall(r"(?:USL|SGH)-\d{4}-\d{6}", page.content.decode()))

    assert listed() == {objection.number, proposal.number}  # open ones by default
    assert listed("?kind=objection") == {objection.number}
    assert listed("?kelurahan=35.71.02.1001") == {proposal.number}
    assert listed("?status=dismissed") == {decided.number}
    assert listed("?status=all") == {objection.number, proposal.number, decided.number}


def test_the_case_page_masks_personal_data_until_revealed(
    client_for, dinsos_officer, bansos_people, file_case
):
    budi = bansos_people.budi
    case = file_case(
        subject_nik=budi.nik,
        address="Jl. Dhoho 7",
        reporter_name="Suwarni",
        reporter_contact="warga.bandar@example.id",
    )
    officer = client_for(dinsos_officer)
    page = officer.get(case_url(case)).content.decode()
    assert f"{budi.nik[:6]}********{budi.nik[-2:]}" in page
    assert budi.nik not in page
    assert "w**********r@example.id" in page and "warga.bandar@" not in page
    assert "J*. D***o 7" in page and "Dhoho" not in page
    assert '<span id="reporter-name">S…</span>' in page and "Suwarni" not in page
    assert f'href="{reverse("bansos:person", args=[budi.pk])}"' in page
    assert not PersonalDataAccess.objects.exists()

    revealed = officer.post(case_url(case), {"action": "reveal"}).content.decode()
    assert budi.nik in revealed and "warga.bandar@example.id" in revealed
    assert "Jl. Dhoho 7" in revealed and "Suwarni" in revealed
    access = PersonalDataAccess.objects.get()
    assert (access.user, access.subject_type, access.subject_id) == (
        dinsos_officer,
        "bansos.case",
        str(case.pk),
    )
    assert access.fields == "subject_nik,address,reporter_name,reporter_contact"


def test_the_officer_decides_with_reasons(client_for, dinsos_officer, file_case):
    case = file_case()
    officer = client_for(dinsos_officer)
    decide = reverse("bansos:case-decide", args=[case.pk])

    no_reason = officer.post(decide, {"status": CaseStatus.UPHELD, "note": " "})
    assert no_reason.status_code == 400
    assert 'id="note" name="note" rows="4" aria-invalid="true"' in no_reason.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN

    done = officer.post(decide, {"status": CaseStatus.UPHELD, "note": "Terbukti bekerja tetap."})
    assert done.status_code == 302 and done["Location"] == case_url(case)
    case.refresh_from_db()
    assert (case.status, case.decision_note, case.decided_by) == (
        CaseStatus.UPHELD,
        "Terbukti bekerja tetap.",
        dinsos_officer,
    )
    assert case.decided_at is not None
    page = officer.get(case_url(case)).content.decode()
    assert 'id="decide-form"' not in page and "Terbukti bekerja tetap." in page

    again = officer.post(decide, {"status": CaseStatus.DISMISSED, "note": "Salah"})
    assert again.status_code == 400
    case.refresh_from_db()
    assert case.status == CaseStatus.UPHELD


@pytest.mark.parametrize("persona", ["dinkes_officer", "executive"])
def test_other_staff_are_refused(request, client_for, file_case, persona):
    case = file_case()
    other = client_for(request.getfixturevalue(persona))
    assert other.get(reverse("bansos:case-list")).status_code == 403
    assert other.get(case_url(case)).status_code == 403
    assert other.post(case_url(case), {"action": "reveal"}).status_code == 403
    decide = reverse("bansos:case-decide", args=[case.pk])
    assert other.post(decide, {"status": "upheld", "note": "x"}).status_code == 403
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN
    assert not PersonalDataAccess.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(citizen, file_case):
    case = file_case()
    for url in (reverse("bansos:case-list"), case_url(case)):
        response = citizen.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/masuk/")


def test_only_dinas_sosial_decides_even_through_the_domain(dinkes_officer, file_case):
    case = file_case()
    with pytest.raises(PermissionDenied):
        cases.decide_case(case, dinkes_officer, CaseStatus.UPHELD, "Tidak berhak")
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN
