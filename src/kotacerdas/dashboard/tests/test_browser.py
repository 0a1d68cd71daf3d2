"""On a phone, an executive opens the dashboard, follows a red KPI to the records behind it,
and makes an action item from it."""

import pytest
from conftest import give_password, needs_chromium

pytestmark = [pytest.mark.browser, needs_chromium]


@pytest.fixture
def mayor(executive):
    return give_password(executive)


@pytest.mark.django_db(transaction=True)
def test_executive_follows_a_red_kpi_and_makes_an_action_item(
    mayor, red_kpi, silent_kpi, phone, live_server
):
    page = phone(mayor.username)
    page.goto(f"{live_server.url}/eksekutif/")
    figure = page.locator(f'.fig[data-key="kpi.{red_kpi.pk}"]')
    assert "fig-red" in figure.get_attribute("class")
    not_reported = page.locator(f'.fig[data-key="kpi.{silent_kpi.pk}"]')
    assert "fig-not_reported" in not_reported.get_attribute("class")

    figure.locator("summary").click()
    figure.locator("a.fig-records").click()
    page.wait_for_url(f"**/program/{red_kpi.programme.code}/?kpi={red_kpi.pk}*")
    values = page.locator(f"#kpi-{red_kpi.pk} details")
    assert values.get_attribute("open") is not None
    assert "70" in values.inner_text()

    page.go_back()
    figure = page.locator(f'.fig[data-key="kpi.{red_kpi.pk}"]')
    figure.locator("summary").click()
    figure.locator("a.fig-action").click()
    page.wait_for_url("**/eksekutif/tindak-lanjut/baru/**")
    assert page.locator("select[name=owner]").input_value() == red_kpi.programme.owner.code
    page.locator("input[name=title]").fill("Percepat verifikasi NIK penerima Kartu Sahabat")
    page.locator("input[name=title]").press("Enter")
    page.wait_for_url("**/eksekutif/tindak-lanjut/*/")
    assert "Percepat verifikasi NIK" in page.locator("h1").inner_text()
    # The action keeps the figure it should move, its value then, and the records behind it.
    facts = page.locator("dl.service-facts").inner_text()
    assert red_kpi.name in facts and "70" in facts
    records = page.locator("dl.service-facts a").last.get_attribute("href")
    assert records.endswith(f"?kpi={red_kpi.pk}#kpi-{red_kpi.pk}")
