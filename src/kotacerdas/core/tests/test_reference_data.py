from decimal import Decimal

import pytest

from kotacerdas.core.choices import RegionLevel
from kotacerdas.core.models import Pillar, Region
from kotacerdas.core.reference_data import load_pillars, load_regions

pytestmark = pytest.mark.django_db


def test_all_kemendagri_regions_are_loaded():
    assert Region.objects.count() == 91_599
    assert Region.objects.filter(level=RegionLevel.PROVINCE).count() == 38


def test_kota_kediri_has_three_kecamatan_and_46_kelurahan():
    kediri = Region.objects.get(code="35.71")
    assert kediri.name == "Kota Kediri"
    assert kediri.level == RegionLevel.REGENCY
    assert kediri.parent_id == "35"
    assert sorted(kediri.children.values_list("name", flat=True)) == [
        "Kota",
        "Mojoroto",
        "Pesantren",
    ]
    villages = Region.objects.filter(code__startswith="35.71.", level=RegionLevel.VILLAGE)
    assert villages.count() == 46
    assert all(village.is_kelurahan for village in villages)
    assert Region.objects.get(code="35.71.01.1001").parent_id == "35.71.01"


def test_population_and_area_come_with_the_regions():
    kediri = Region.objects.get(code="35.71")
    assert kediri.population == 301_424
    assert kediri.population_male + kediri.population_female == kediri.population
    assert kediri.area_km2 == Decimal("67.232")
    # Not given below regency level: left empty, never invented.
    assert Region.objects.get(code="35.71.01").population is None


def test_a_desa_is_not_a_kelurahan():
    desa = Region.objects.filter(level=RegionLevel.VILLAGE, code__regex=r"\.2\d{3}$").first()
    assert desa is not None and not desa.is_kelurahan


def test_loading_again_updates_in_place_without_duplicates():
    Region.objects.filter(code="35.71").update(name="changed", population=1)
    assert load_regions() == 91_599
    assert Region.objects.count() == 91_599
    kediri = Region.objects.get(code="35.71")
    assert (kediri.name, kediri.population) == ("Kota Kediri", 301_424)


def test_six_pillars_in_both_languages():
    load_pillars()
    assert list(Pillar.objects.values_list("code", flat=True)) == [
        "governance",
        "branding",
        "economy",
        "living",
        "society",
        "environment",
    ]
    for pillar in Pillar.objects.all():
        assert pillar.name_id and pillar.name_en and pillar.definition_id and pillar.definition_en
