"""The kelurahan of the city the platform serves: what the pickers list and what the forms
accept, for Kota Kediri and for any other city it is deployed in."""

from __future__ import annotations

import pytest

from kotacerdas.core.models import Region
from kotacerdas.core.villages import (
    city_village,
    city_villages,
    is_city_village,
    villages_by_district,
)

pytestmark = pytest.mark.django_db
BANDAR_LOR = "35.71.01.1001"  # Kecamatan Mojoroto, Kota Kediri
BLITAR_VILLAGE = "35.72.01.1001"  # a kelurahan of Kota Blitar


def test_the_city_villages_are_its_46_kelurahan_by_name(kediri, settings):
    settings.KOTACERDAS_REGION = "35.71"
    villages = list(city_villages())
    assert len(villages) == 46
    assert all(v.code.startswith("35.71.") and v.level == "village" for v in villages)
    assert [v.name for v in villages] == sorted(v.name for v in villages)


@pytest.mark.parametrize(
    ("code", "found"),
    [
        (BANDAR_LOR, True),
        (f"  {BANDAR_LOR} ", True),  # as a form may post it
        ("35.71.01", False),  # its kecamatan
        ("35.71", False),  # the city itself
        (BLITAR_VILLAGE, False),  # another city's kelurahan
        ("35.71.01.9999", False),  # no such region
        ("", False),
        (None, False),
    ],
)
def test_a_code_is_a_city_village_only_when_it_names_one_of_its_kelurahan(
    kediri, settings, code, found
):
    settings.KOTACERDAS_REGION = "35.71"
    village = city_village(code)
    assert (village is not None) is found
    if found:
        assert village.name == "Bandar Lor"
    region = Region.objects.filter(code=(code or "").strip()).first()
    assert is_city_village(region) is found


def test_the_villages_follow_the_city_the_platform_serves(kediri, settings):
    settings.KOTACERDAS_REGION = "35.72"  # Kota Blitar
    assert city_village(BANDAR_LOR) is None
    assert city_village(BLITAR_VILLAGE) is not None
    assert not is_city_village(Region.objects.get(code=BANDAR_LOR))
    assert {v.code[:5] for v in city_villages()} == {"35.72"}


def test_the_villages_are_grouped_under_their_kecamatan_in_code_order(kediri, settings):
    settings.KOTACERDAS_REGION = "35.71"
    groups = villages_by_district()
    assert [district for district, _villages in groups] == ["Mojoroto", "Kota", "Pesantren"]
    assert sum(len(villages) for _district, villages in groups) == 46
    mojoroto = groups[0][1]
    assert mojoroto[0].code == BANDAR_LOR
    assert [v.code for v in mojoroto] == sorted(v.code for v in mojoroto)
    assert all(v.parent_id == "35.71.01" for v in mojoroto)


def test_no_regions_loaded_means_no_groups(db, settings):
    settings.KOTACERDAS_REGION = "99.99"
    assert villages_by_district() == []
    assert city_village("99.99.01.1001") is None
