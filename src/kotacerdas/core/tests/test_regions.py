"""A region lies within an area when its code is the area's or starts with it."""

from kotacerdas.core import regions
from kotacerdas.core.models import Region


def test_a_kecamatan_takes_in_its_kelurahan_and_nothing_that_merely_shares_digits():
    assert regions.in_area("35.71.02.1002", "35.71.02")
    assert regions.in_area("35.71.02", "35.71.02")
    assert not regions.in_area("35.71.021", "35.71.02")
    assert not regions.in_area("35.71.01.1001", "35.71.02")


def test_the_query_form_says_the_same(kediri):
    inside = Region.objects.filter(regions.within("code", "35.71.02"))
    codes = set(inside.values_list("code", flat=True))
    assert "35.71.02" in codes and "35.71.02.1002" in codes
    assert all(regions.in_area(code, "35.71.02") for code in codes)
    assert not any(code.startswith("35.71.01") for code in codes)


def test_a_region_code_filter_takes_codes_only():
    assert regions.REGION_CODE.fullmatch("35.71.02.1002")
    assert not regions.REGION_CODE.fullmatch("35.71'; --")
