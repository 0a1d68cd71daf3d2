"""A citizen reads the city's performance page /kinerja/ on a cheap phone: it fits the 360 px
screen, shows the published smart city index, and its indicator form switches the indicator and
the level with JavaScript turned off."""

from __future__ import annotations

import pytest
from conftest import assert_fits_phone, needs_chromium

from kotacerdas.core.models import Region
from kotacerdas.evaluation.history import seed_published_history
from kotacerdas.opendata import indicators
from kotacerdas.opendata.choices import Direction
from kotacerdas.opendata.models import Indicator

pytestmark = [pytest.mark.browser, needs_chromium]

URL = "/kinerja/"
BALOWERTI = "35.71.02.1002"


@pytest.fixture
def published(kediri, bappeda_officer):
    """The published index (2020-2023) and two indicators entered with their source: poverty
    (the first by name, shown unless another is chosen) and unemployment, each for the city
    and its three kecamatan in 2023, unemployment for Balowerti too."""
    seed_published_history(kediri)
    for code, name, values in (
        (
            "penduduk-miskin",
            "Penduduk miskin",
            {"35.71": "7.23", "35.71.01": "8.10", "35.71.02": "6.90", "35.71.03": "7.40"},
        ),
        (
            "pengangguran",
            "Tingkat pengangguran",
            {"35.71": "5.55", "35.71.01": "6.66", "35.71.02": "3.33", "35.71.03": "2.22"}
            | {BALOWERTI: "9.75"},
        ),
    ):
        indicator = Indicator.objects.create(
            code=code, name=name, unit="%", direction=Direction.LOWER
        )
        for region, value in values.items():
            indicators.record_value(
                bappeda_officer,
                indicator,
                Region.objects.get(code=region),
                2023,
                value,
                None,
                "BPS Kota Kediri",
            )


def ranking(page) -> list[tuple[str, str]]:
    """The ranking's rows as (region code, value as shown)."""
    rows = page.locator("#ranking tbody tr")
    return [
        (row.get_attribute("data-code"), row.locator("td.num").nth(1).inner_text())
        for row in rows.all()
    ]


@pytest.mark.django_db(transaction=True)
def test_a_citizen_reads_the_page_and_switches_indicator_on_a_phone_without_javascript(
    published, browser, phone, live_server
):
    # On a phone, the page fits the screen and leads with the published index.
    page = phone()
    page.goto(f"{live_server.url}{URL}")
    assert_fits_phone(page)
    index = page.locator('#indeks .fig[data-key="index"]')
    assert index.get_attribute("data-value") == "3.197"
    assert index.locator(".fig-value").inner_text().startswith("3,197")
    assert page.locator("#index-history tbody tr").first.inner_text().split() == ["2023", "3,197"]

    # With JavaScript off, the indicator form is a plain form.
    citizen = browser.new_context(
        viewport={"width": 360, "height": 740}, java_script_enabled=False
    ).new_page()
    citizen.goto(f"{live_server.url}{URL}")
    assert_fits_phone(citizen)
    assert citizen.locator("#indikator-terpilih").inner_text() == "Penduduk miskin"
    assert ranking(citizen) == [("35.71.01", "8,1"), ("35.71.03", "7,4"), ("35.71.02", "6,9")]

    form = citizen.locator("#indikator form")
    form.locator("select[name=indicator]").select_option("pengangguran")
    form.locator("button[type=submit]").click()
    citizen.wait_for_url("**indicator=pengangguran**")

    assert citizen.locator("#indikator-terpilih").inner_text() == "Tingkat pengangguran"
    assert citizen.url.endswith("#indikator")
    assert "level=district" in citizen.url  # the level shown stays chosen
    assert ranking(citizen) == [("35.71.01", "6,66"), ("35.71.02", "3,33"), ("35.71.03", "2,22")]
    assert citizen.locator("#indicator-map path.region").count() == 3
    assert_fits_phone(citizen)

    # And the level: unemployment by kelurahan, on a map of the city's 46 kelurahan.
    form = citizen.locator("#indikator form")
    assert form.locator("select[name=indicator]").input_value() == "pengangguran"
    form.locator("select[name=level]").select_option("village")
    form.locator("button[type=submit]").click()
    citizen.wait_for_url("**level=village**")

    assert citizen.locator("#indikator-terpilih").inner_text() == "Tingkat pengangguran"
    assert ranking(citizen) == [(BALOWERTI, "9,75")]
    assert citizen.locator("#indicator-map path.region").count() == 46
    assert_fits_phone(citizen)
