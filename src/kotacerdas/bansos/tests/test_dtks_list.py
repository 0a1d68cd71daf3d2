"""The DTKS records behind the data-quality figures, for Dinas Sosial: filtered by flag and by
kelurahan, linked to the civil-registry person, and never showing an identity number or an
address. Executives see the figures, never the records."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import timezone

from kotacerdas.bansos.choices import LinkMethod
from kotacerdas.bansos.models import DtksRecord, LinkRun, Person
from kotacerdas.bansos.registry import mask_number, nik_index
from kotacerdas.bansos.tests.fixtures import BANDAR_KIDUL, BANDAR_LOR, KK_BUDI, SEMAMPIR

pytestmark = pytest.mark.django_db
URL = "/staf/bansos/dtks/"
ADDRESS = "Jl. Mayor Bismo 12"


def dtks(id_dtks: str, person: Person, flags: str = "", linked: bool = True) -> DtksRecord:
    """A DTKS row of ``person`` with its NIK, KK number and address, and the linkage's
    ``flags``; linked to the person unless ``linked`` is false."""
    return DtksRecord.objects.create(
        id_dtks=id_dtks,
        nik=person.nik,
        nik_index=nik_index(person.nik),
        kk=KK_BUDI,
        name=person.name,
        birth_date=person.birth_date,
        sex=person.sex,
        address=ADDRESS,
        kelurahan_code=person.kelurahan_id or "",
        programme_code="PKH",
        welfare_decile=1,
        source_hash=id_dtks,
        person=person if linked else None,
        link_method=LinkMethod.NIK_EXACT if linked else LinkMethod.NONE,
        flags=flags,
    )


@pytest.fixture
def records(bansos_people) -> dict[str, DtksRecord]:
    """Budi (Bandar Lor) deceased and duplicated, Rizky (Bandar Kidul) with a NIK nobody has,
    Soetrisno (Semampir) deceased, Siti (Bandar Lor) clean."""
    people = bansos_people
    return {
        "budi": dtks("DT-001", people.budi, "duplicate_in_dtks;deceased;moved_out"),
        "rizky": dtks("DT-002", people.rizky, "nik_not_found", linked=False),
        "soetrisno": dtks("DT-003", people.soetrisno, "deceased"),
        "siti": dtks("DT-004", people.siti),
    }


def listed(client, **params: str) -> set[str]:
    response = client.get(URL, params)
    assert response.status_code == 200
    page = response.content.decode()
    return {id_dtks for id_dtks in ("DT-001", "DT-002", "DT-003", "DT-004") if id_dtks in page}


def test_the_list_filters_by_flag_and_by_kelurahan(client_for, dinsos_officer, records):
    client = client_for(dinsos_officer)
    assert listed(client) == {"DT-001", "DT-002", "DT-003", "DT-004"}
    assert listed(client, flag="deceased") == {"DT-001", "DT-003"}
    assert listed(client, flag="nik_not_found") == {"DT-002"}
    assert listed(client, flag="moved_out") == {"DT-001"}
    assert listed(client, kelurahan=BANDAR_LOR) == {"DT-001", "DT-004"}
    assert listed(client, kelurahan=BANDAR_KIDUL) == {"DT-002"}
    assert listed(client, flag="deceased", kelurahan=SEMAMPIR) == {"DT-003"}
    # A kecamatan code takes in its kelurahan.
    assert listed(client, kelurahan="35.71.01") == {"DT-001", "DT-002", "DT-004"}


@pytest.mark.parametrize(
    "params",
    [
        {"flag": "alive"},
        {"flag": "deceased;"},
        {"flag": "%"},
        {"kelurahan": "35.71.09.9999"},
        {"kelurahan": "nonsense"},
        {"kelurahan": "35.71.01.1001\x00"},
        {"flag": "deceased", "kelurahan": "' OR 1=1 --"},
        {"page": "nine"},
    ],
)
def test_an_unknown_filter_value_lists_nothing_and_breaks_nothing(
    client_for, dinsos_officer, records, params
):
    client = client_for(dinsos_officer)
    if "page" in params:  # a bad page number falls back to the first page
        assert listed(client, **params) == {"DT-001", "DT-002", "DT-003", "DT-004"}
    else:
        assert listed(client, **params) == set()


def test_a_row_shows_its_flags_and_links_to_the_linked_person(
    client_for, dinsos_officer, records, bansos_people
):
    client = client_for(dinsos_officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(URL, {"flag": "deceased"}).content.decode()
    assert "Duplicate in DTKS" in page and "Moved out" in page
    assert f'href="/staf/bansos/warga/{bansos_people.budi.pk}/"' in page
    assert f'href="/staf/bansos/warga/{bansos_people.soetrisno.pk}/"' in page
    assert "Bandar Lor" in page and "Program Keluarga Harapan" in page
    unlinked = client.get(URL, {"flag": "nik_not_found"}).content.decode()
    assert "/staf/bansos/warga/" not in unlinked.split('id="dtks"')[1]


def test_the_page_shows_no_identity_number_and_no_address(
    client_for, dinsos_officer, records, bansos_people
):
    page = client_for(dinsos_officer).get(URL).content.decode()
    for person in (bansos_people.budi, bansos_people.rizky, bansos_people.soetrisno):
        assert person.nik not in page
        assert mask_number(person.nik) not in page  # not even masked
    assert KK_BUDI not in page and mask_number(KK_BUDI) not in page
    assert ADDRESS not in page


@pytest.mark.parametrize("persona", ["executive", "dinkes_officer", "kelurahan_officer"])
def test_only_those_who_work_in_the_registry_see_the_records(
    client_for, records, persona, request, citizen
):
    user = request.getfixturevalue(persona)
    assert client_for(user).get(URL).status_code == 403
    assert citizen.get(URL).status_code == 302


def test_the_list_is_paginated_and_a_page_keeps_the_filters(
    client_for, dinsos_officer, bansos_people
):
    budi = bansos_people.budi
    DtksRecord.objects.bulk_create(
        DtksRecord(
            id_dtks=f"DT-{n:03d}",
            name=budi.name,
            kelurahan_code=BANDAR_LOR,
            source_hash=str(n),
            flags="deceased",
        )
        for n in range(100, 151)
    )
    client = client_for(dinsos_officer)
    first = client.get(URL, {"flag": "deceased", "kelurahan": BANDAR_LOR}).content.decode()
    assert "DT-149" in first and "DT-150" not in first
    assert f"flag=deceased&amp;kelurahan={BANDAR_LOR}&amp;page=2" in first
    second = client.get(URL, {"flag": "deceased", "kelurahan": BANDAR_LOR, "page": 2})
    assert "DT-150" in second.content.decode() and "DT-149" not in second.content.decode()


def test_each_data_quality_figure_leads_to_its_records(
    client_for, dinsos_officer, executive, records
):
    LinkRun.objects.create(
        finished_at=timezone.now(), summary={"rows": 4, "linked": 3, "flags": {"deceased": 2}}
    )
    home = client_for(dinsos_officer).get("/staf/bansos/").content.decode()
    assert f'href="{URL}?flag=deceased"' in home
    assert f'href="{URL}?flag=nik_invalid"' in home
    # An executive reads the same figures, with no way to the records.
    figures = client_for(executive).get("/staf/bansos/").content.decode()
    assert URL not in figures
