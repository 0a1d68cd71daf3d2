"""The public performance page /kinerja/: anyone reads it without signing in, proxies may keep
it five minutes, and it shows only public figures (the published index, PECUT's service
performance, indicator values the public may see), never what the executive dashboard keeps for
staff (the evaluation in progress, KPIs, budgets, social aid, action items, annotations,
values of limited datasets)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from kotacerdas.core.models import Region
from kotacerdas.dashboard import annotations, meetings, panels
from kotacerdas.dashboard.scope import CITY, Scope
from kotacerdas.evaluation import cycle
from kotacerdas.evaluation.history import seed_published_history
from kotacerdas.opendata import indicators
from kotacerdas.opendata.choices import Classification, Direction
from kotacerdas.opendata.maps import format_value
from kotacerdas.opendata.models import Indicator
from kotacerdas.opendata.tests.fixtures import GOOD_CSV
from kotacerdas.servicedesk import ikm, stats, workflow
from kotacerdas.servicedesk.models import ServiceRequest

URL = "/kinerja/"
STAFF_PREFIXES = ("/staf/", "/eksekutif/", "/admin/")
# Filled from a public dataset: the city 2022 and 2023, the three kecamatan 2023.
PUBLIC_CSV = (
    "kode_wilayah,tahun,penduduk_miskin_persen,keterangan\n"
    "35.71,2022,4.44,kota\n"
    "35.71,2023,5.55,kota\n"
    "35.71.01,2023,6.66,Mojoroto\n"
    "35.71.02,2023,3.33,Kota\n"
    "35.71.03,2023,2.22,Pesantren\n"
)
# GOOD_CSV's values, filled from a limited dataset, as the page would write them.
LIMITED_VALUES = ("7,81", "7,23", "8,1", "6,9", "7,4", "7.81", "7.23")
RATING = {f"u{i}": "3" for i in range(1, 10)}


def visible_text(response) -> str:
    """The page's main content without its SVG drawings (whose coordinates are numbers)."""
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r"<svg\b.*?</svg>", "", main, flags=re.DOTALL)


def english() -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def staff_reader() -> panels.Reader:
    return panels.reader_for(Scope(CITY), None)


def figure_value(html: str, key: str) -> str:
    """The machine-readable value of the figure ``key`` on the page."""
    found = re.search(rf'data-key="{re.escape(key)}" data-value="([^"]*)"', html)
    assert found, f"no figure {key}"
    return found.group(1)


# ---------------------------------------------------------------------------------------------
# Anyone, cached


def test_a_citizen_reads_the_page_without_signing_in_and_proxies_may_keep_it(kediri, citizen):
    response = citizen.get(URL)

    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=300"
    # The language is the switch's cookie: a cache keeps one copy per cookie.
    assert "Cookie" in response["Vary"]
    assert citizen.post(URL).status_code == 405


def test_a_signed_in_visitors_page_is_kept_by_their_browser_only(kediri, client_for, executive):
    response = client_for(executive).get(URL)

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, max-age=300"


def test_the_home_page_leads_to_the_page(kediri, citizen):
    assert f'href="{URL}"' in citizen.get("/").content.decode()


# ---------------------------------------------------------------------------------------------
# The smart city index


def test_the_published_index_is_shown_with_its_history_and_the_evaluations_target(
    kediri, citizen, administrator, executive
):
    # Given the published history, this year's evaluation with its own target and every item
    # answered (a provisional score, the government's own), and a staff note on the series.
    seed_published_history(kediri)
    evaluation = cycle.open_evaluation(
        administrator, kediri, 2026, "kominfo-2023-kppn-ikn", target=Decimal("3.750")
    )
    for answer in evaluation.answers.all():
        cycle.answer_item(administrator, answer, "1.23", "")
    annotations.annotate(
        executive, series="index", date=dt.date(2022, 6, 1), text="Catatan internal banjir"
    )
    staff = panels.index_panel(staff_reader())
    assert staff.figure("index.evaluation").value == Decimal("1.230")
    assert staff.context["chart"].marks

    response = citizen.get(URL)
    html, text = response.content.decode(), visible_text(response)

    # The latest published index and the evaluation's target, as Indonesian writes them.
    assert figure_value(html, "index") == "3.197"
    assert "3,197" in text and "target 3,75" in text
    history = text[text.index('id="index-history"') :]
    assert re.findall(r"<td>(\d{4})</td><td class=\"num\">([\d,]+)</td>", history) == [
        ("2023", "3,197"),
        ("2022", "3,31"),
        ("2021", "3,06"),
        ("2020", "2,87"),
    ]
    assert 'data-series="index"' in html
    # The chart's points are SVG coordinates, never written with a decimal comma.
    chart = html[html.index('data-series="index"') :]
    chart = chart[: chart.index("</svg>")]
    assert re.search(r'cx="[\d.]+" cy="[\d.]+"', chart)
    assert not re.search(r'c[xy]="\d+,\d', chart)
    # The evaluation in progress, its gap and the staff's note stay on the staff dashboard.
    assert 'data-key="index.evaluation"' not in html and 'data-key="index.gap"' not in html
    assert "1,23" not in text
    assert "Catatan internal banjir" not in html


# ---------------------------------------------------------------------------------------------
# Indicators


@pytest.fixture
def unemployment(kediri) -> Indicator:
    return Indicator.objects.create(
        code="pengangguran", name="Tingkat pengangguran", unit="%", direction=Direction.LOWER
    )


@pytest.fixture
def poverty(kediri) -> Indicator:
    return Indicator.objects.create(
        code="penduduk-miskin", name="Penduduk miskin", unit="%", direction=Direction.LOWER
    )


@pytest.fixture
def published_indicators(make_dataset, publish, administrator, unemployment, poverty):
    """Unemployment filled from a public dataset, poverty from a limited one."""
    public = make_dataset(slug="pengangguran-kediri", title="Pengangguran terbuka Kota Kediri")
    publish(public, PUBLIC_CSV)
    indicators.declare_mapping(
        administrator, public, unemployment, "kode_wilayah", "tahun", "penduduk_miskin_persen"
    )
    limited = make_dataset(
        slug="kemiskinan-terbatas",
        title="Kemiskinan terbatas Kota Kediri",
        classification=Classification.LIMITED,
    )
    publish(limited, GOOD_CSV)
    indicators.declare_mapping(
        administrator, limited, poverty, "kode_wilayah", "tahun", "penduduk_miskin_persen"
    )


def test_only_indicator_values_the_public_may_see_appear(published_indicators, citizen):
    # Staff see the limited dataset's values on their dashboard.
    staff = panels.indicators_panel(staff_reader(), "penduduk-miskin", None)
    assert staff.figure("indicator.penduduk-miskin").value == Decimal("7.23")

    response = citizen.get(URL)
    html, text = response.content.decode(), visible_text(response)

    assert response.status_code == 200
    # The public indicator: its latest city value, its kecamatan ranked left behind first, on
    # a map, with its source.
    assert figure_value(html, "indicator.pengangguran") == "5.55"
    assert "5,55" in text
    ranking = text[text.index('id="ranking"') :]
    assert re.findall(r'data-code="([\d.]+)"', ranking) == ["35.71.01", "35.71.02", "35.71.03"]
    assert "6,66" in ranking and "Pengangguran terbuka Kota Kediri" in ranking
    assert 'id="indicator-map"' in html
    # Nothing of the limited dataset: not its values, its indicator or its title.
    assert 'data-key="indicator.penduduk-miskin"' not in html
    assert "Penduduk miskin" not in text and "Kemiskinan terbatas" not in text
    for value in LIMITED_VALUES:
        assert value not in text


def test_asking_for_an_indicator_without_public_values_shows_none_of_them(
    published_indicators, citizen
):
    response = citizen.get(URL, {"indicator": "penduduk-miskin", "level": "district"})
    text = visible_text(response)

    assert response.status_code == 400
    assert "penduduk-miskin" in text  # the notice names the code it could not show
    for value in LIMITED_VALUES:
        assert value not in text
    assert "Cache-Control" not in response


def test_the_chosen_indicator_and_level_are_shown(published_indicators, citizen, bappeda_officer):
    # A kelurahan value of unemployment, entered by hand with its source.
    indicators.record_value(
        bappeda_officer,
        Indicator.objects.get(code="pengangguran"),
        Region.objects.get(code="35.71.02.1002"),
        2023,
        "9.75",
        None,
        "BPS Kota Kediri",
    )

    by_kelurahan = visible_text(citizen.get(URL, {"indicator": "pengangguran", "level": "village"}))
    by_kecamatan = visible_text(
        citizen.get(URL, {"indicator": "pengangguran", "level": "district"})
    )

    ranking = by_kelurahan[by_kelurahan.index('id="ranking"') :]
    assert re.findall(r'data-code="([\d.]+)"', ranking) == ["35.71.02.1002"]
    assert "9,75" in ranking and "BPS Kota Kediri" in ranking
    ranking = by_kecamatan[by_kecamatan.index('id="ranking"') :]
    assert re.findall(r'data-code="([\d.]+)"', ranking) == ["35.71.01", "35.71.02", "35.71.03"]


def test_an_unknown_level_is_refused_naming_the_field(kediri):
    response = english().get(URL, {"level": "province"})

    assert response.status_code == 400
    assert "Level: choose kelurahan or kecamatan." in visible_text(response)
    assert "Cache-Control" not in response


# ---------------------------------------------------------------------------------------------
# Nothing for staff only


def test_no_social_aid_kpi_budget_or_action_item_appears(
    kediri, citizen, bansos_people, kpi, q3, executive, dinsos
):
    meetings.create_action(
        executive,
        title="Percepat verifikasi penerima",
        owner=dinsos,
        due_date=timezone.localdate() - dt.timedelta(days=3),
    )
    # On the staff dashboard: recipients per programme, the KPI, the budget, the action item.
    reader = staff_reader()
    social = panels.social_panel(reader)
    assert social.figure("bansos.recipients.PKH").value == 1
    programmes = panels.programmes_panel(reader)
    assert programmes.figure(f"kpi.{kpi.pk}") is not None
    assert programmes.figure("budget.kartu-sahabat") is not None
    assert panels.actions_panel(reader).figure("actions.overdue").value == 1

    response = english().get(URL)
    html, text = response.content.decode(), visible_text(response)

    assert response.status_code == 200
    for shown in (
        "Program Keluarga Harapan",
        "Kartu Sahabat",
        "Penerima terverifikasi NIK",
        "Percepat verifikasi penerima",
        "1,000,000,000",
        "1.000.000.000",
        "Social aid",
        "Aid recipients",
        "Programmes",
        "Budget",
        "Action items",
    ):
        assert shown not in text
    for prefix in ("bansos.", "kpi.", "budget.", "actions.", "reports.", "pecut.open"):
        assert f'data-key="{prefix}' not in html
    # Not a single link into the staff area.
    links = re.findall(r'href="([^"]+)"', html)
    assert links and not [link for link in links if link.startswith(STAFF_PREFIXES)]


# ---------------------------------------------------------------------------------------------
# Language


def test_the_page_speaks_indonesian_unless_english_is_chosen(kediri, citizen):
    indonesian = citizen.get(URL).content.decode()
    english_page = english().get(URL).content.decode()

    assert '<html lang="id">' in indonesian
    assert "<h1>Kinerja kota</h1>" in indonesian and "Kepatuhan SLA" in indonesian
    assert "City performance" not in indonesian
    assert '<html lang="en">' in english_page
    assert "<h1>City performance</h1>" in english_page
    assert "SLA compliance" in english_page and "Smart city index" in english_page
    assert "Kinerja kota" not in english_page


# ---------------------------------------------------------------------------------------------
# PECUT


def test_service_performance_is_the_service_desks_own_figures(
    citizen, road_service, info_service, file_request, desk_officer
):
    # Given requests resolved on time and late within the last 30 days, one resolved late
    # before them, one still open, and two ratings.
    now = timezone.now()
    day = dt.timedelta(days=1)

    def resolved(service, filed: dt.datetime, done: dt.datetime, text: str) -> ServiceRequest:
        request = file_request(service, at=filed, description=text)
        workflow.assign(desk_officer, request, at=filed + dt.timedelta(minutes=30))
        return workflow.resolve(desk_officer, request, "Sudah ditangani", at=done)

    first = resolved(
        road_service, now - 25 * day, now - 25 * day + dt.timedelta(hours=2), "Lubang di Jl. A"
    )
    second = resolved(
        road_service, now - 5 * day, now - 5 * day + dt.timedelta(hours=3), "Lubang di Jl. B"
    )
    resolved(road_service, now - 25 * day, now - 2 * day, "Lubang di Jl. C")  # late
    resolved(road_service, now - 70 * day, now - 40 * day, "Lubang di Jl. D")  # before the window
    file_request(info_service, at=now - dt.timedelta(hours=1), description="Data APBD")
    ikm.rate_request(first, RATING, at=now - 24 * day)
    ikm.rate_request(second, RATING, at=now - 4 * day)

    response = english().get(URL)
    html, text = response.content.decode(), visible_text(response)

    # SLA compliance over the last 30 days, city-wide and for the OPD, as the desk counts it.
    today = timezone.localdate()
    start = today - dt.timedelta(days=29)
    everything = ServiceRequest.objects.all()
    city = stats.city_figures(everything, start, today, now)
    assert city.compliance == Decimal("66.7")
    all_time = stats.city_figures(everything, today - dt.timedelta(days=365), today, now)
    assert all_time.compliance != city.compliance  # the window matters
    assert figure_value(html, "pecut.sla") == str(city.compliance)
    assert "66.7" in text
    by_opd = {row.key: row for row in stats.figures_by(everything, "opd", start, today, now)}
    dpupr = by_opd["dpupr"]
    assert dpupr.compliance == Decimal("66.7")
    row = text[text.index('data-key="pecut.sla.opd.dpupr"') :]
    row = row[: row.index("</tr>")]
    assert format_value(dpupr.compliance) in row and "DPUPR" in row
    # Received this week: the desk's count since Monday.
    monday = today - dt.timedelta(days=today.weekday())
    week = stats.city_figures(everything, monday, today, now)
    assert figure_value(html, "pecut.intake") == str(week.received)
    # In Indonesian, the figure reads with a decimal comma.
    indonesian = visible_text(citizen.get(URL))
    shown = indonesian[indonesian.index('data-key="pecut.sla"') :]
    assert '<span class="fig-value">66,7 <small>%</small>' in shown
    # IKM per service with its respondents.
    row = text[text.index('data-key="pecut.ikm.service.jalan-rusak"') :]
    row = row[: row.index("</tr>")]
    assert "75" in row and "2 respondents" in row
    # The open requests and their ages are for staff.
    assert 'data-key="pecut.open"' not in html
