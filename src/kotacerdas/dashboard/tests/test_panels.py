"""Each figure on the dashboard is the source module's own figure, with its status, its
definition and its staleness; each scope sees its own part of the city."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from kotacerdas.bansos import feeds
from kotacerdas.core.models import Region
from kotacerdas.dashboard import panels
from kotacerdas.dashboard.choices import FigureStatus
from kotacerdas.dashboard.metrics import all_metrics, metric
from kotacerdas.dashboard.scope import AREA, CITY, OPD, Scope, scope_of
from kotacerdas.evaluation.history import seed_published_history
from kotacerdas.masterplan import kpis
from kotacerdas.servicedesk import stats
from kotacerdas.servicedesk.models import ServiceRequest
from kotacerdas.servicedesk.workflow import assign

BALOWERTI = "35.71.02.1002"


def city_reader(user=None, now=None):
    return panels.reader_for(Scope(CITY), user, now)


def test_a_kpi_figure_is_the_masterplans_status_with_its_report(red_kpi, silent_kpi, executive):
    panel = panels.programmes_panel(city_reader(executive))

    red = panel.figure(f"kpi.{red_kpi.pk}")
    year, period = kpis.current_period()
    source = {s.kpi.pk: s for s in kpis.kpi_statuses(year, period)}[red_kpi.pk]
    assert red.value == source.value == Decimal(70)
    assert red.status == FigureStatus.RED
    assert red.target == Decimal(95)
    assert "73,7" in red.detail  # Indonesian writes a decimal comma
    assert red.drill_url.endswith(f"?kpi={red_kpi.pk}#kpi-{red_kpi.pk}")
    assert red.source_url  # the report it came from


def test_a_kpi_with_no_value_is_not_reported_never_green(red_kpi, silent_kpi, executive):
    figure = panels.programmes_panel(city_reader(executive)).figure(f"kpi.{silent_kpi.pk}")
    assert figure.value is None
    assert figure.status == FigureStatus.NOT_REPORTED
    counts = {
        status: n for status, _label, n in panels.programmes_panel(city_reader()).context["counts"]
    }
    assert counts[FigureStatus.NOT_REPORTED] == 1 and counts[FigureStatus.GREEN] == 0


def test_the_sla_figure_is_the_service_desks_own(road_service, file_request, executive):
    request = file_request(road_service, at=timezone.now() - dt.timedelta(days=3))
    ServiceRequest.objects.filter(pk=request.pk).update(
        status="resolved", resolved_at=timezone.now() - dt.timedelta(days=1)
    )
    file_request(road_service, at=timezone.now() - dt.timedelta(hours=2))
    reader = city_reader(executive)
    panel = panels.services_panel(reader)

    start = reader.today - dt.timedelta(days=panels.SLA_DAYS - 1)
    own = stats.city_figures(ServiceRequest.objects.all(), start, reader.today, reader.now)
    assert panel.figure("pecut.sla").value == own.compliance
    assert panel.figure("pecut.open").value == own.open == 1
    service = panel.figure(f"pecut.sla.service.{road_service.code}")
    assert service.metric == metric("pecut.sla")  # one definition wherever it appears


def test_recipients_are_the_registrys_own(bansos_people, executive):
    panel = panels.social_panel(city_reader(executive))
    for line in feeds.recipients_per_programme():
        assert panel.figure(f"bansos.recipients.{line.programme.code}").value == line.people
    # An executive sees figures, never the records of people.
    assert all(not f.drill_url for f in panel.figures)


def test_the_index_panel_shows_the_published_history_and_the_gap_waits_for_a_score(kediri):
    seed_published_history(kediri)
    panel = panels.index_panel(city_reader())
    assert panel.figure("index").value == Decimal("3.197")
    assert [label for _day, _v, label in panel.context["history"]] == [
        "2020",
        "2021",
        "2022",
        "2023",
    ]
    assert panel.figure("index").target == Decimal("3.600")
    assert panel.figure("index.gap") is None and panel.note


def test_a_figure_older_than_its_refresh_is_stale(kediri):
    seed_published_history(kediri)
    reader = city_reader(now=dt.datetime(2024, 6, 1, tzinfo=dt.UTC))
    figure = panels.index_panel(reader).figure("index")
    figure.mark_stale(reader.now)
    assert not figure.stale  # published for 2023, read in mid-2024
    figure.mark_stale(dt.datetime(2025, 3, 1, tzinfo=dt.UTC))
    assert figure.stale  # more than 400 days after the end of 2023


def test_live_figures_are_never_stale(executive):
    figures = panels.actions_panel(city_reader(executive)).figures
    for figure in figures:
        figure.mark_stale(timezone.now() + dt.timedelta(days=3650))
    assert figures and not any(f.stale for f in figures)


def test_a_kelurahan_officer_counts_only_requests_located_in_their_kelurahan(
    road_service, file_request, kelurahan_officer, desk_officer
):
    file_request(road_service, region=Region.objects.get(code=BALOWERTI))
    file_request(road_service)  # Bandar Lor, another kecamatan
    for request in ServiceRequest.objects.all():
        assign(desk_officer, request)
    scope = scope_of(kelurahan_officer)
    assert scope == Scope(AREA, area=BALOWERTI, opd=kelurahan_officer.opd)

    panel = panels.services_panel(panels.reader_for(scope, kelurahan_officer))

    assert panel.figure("pecut.open").value == 1
    assert f"region={BALOWERTI}" in panel.figure("pecut.open").drill_url
    city = panels.services_panel(city_reader())
    assert city.figure("pecut.open").value == 2


def test_an_opd_officer_sees_their_own_programmes_and_no_social_aid(
    red_kpi, dinkes_officer, dinsos_officer
):
    dinkes = panels.reader_for(scope_of(dinkes_officer), dinkes_officer)
    assert scope_of(dinkes_officer).kind == OPD
    assert panels.programmes_panel(dinkes).figure(f"kpi.{red_kpi.pk}") is None
    assert panels.social_panel(dinkes) is None
    dinsos = panels.reader_for(scope_of(dinsos_officer), dinsos_officer)
    assert panels.programmes_panel(dinsos).figure(f"kpi.{red_kpi.pk}") is not None


def test_an_assessor_has_no_dashboard(assessor):
    assert scope_of(assessor) is None


def test_every_figure_takes_its_metric_from_the_one_definition(
    red_kpi, bansos_people, road_service, file_request, executive, kediri
):
    seed_published_history(kediri)
    file_request(road_service)
    defined = {found.code: found for found in all_metrics()}
    figures = [f for panel in panels.all_panels(city_reader(executive)) for f in panel.figures]
    codes = {figure.metric.code for figure in figures}
    assert {"index", "kpi.achievement", "pecut.sla", "bansos.recipients"} <= codes
    for figure in figures:
        if figure.metric.code.startswith("indicator."):
            continue  # the indicator store holds those definitions
        assert figure.metric == defined[figure.metric.code], figure.key


def test_the_public_scope_reads_public_panels_without_staff_notes_or_links(
    red_kpi, bansos_people, executive, kediri
):
    from kotacerdas.dashboard import annotations
    from kotacerdas.dashboard.scope import PUBLIC_SCOPE

    seed_published_history(kediri)
    annotations.annotate(executive, series="index", date=dt.date(2022, 6, 1), text="Catatan staf")
    found = panels.all_panels(panels.reader_for(PUBLIC_SCOPE, None))
    assert [panel.key for panel in found] == ["index", "services", "indicators"]
    index = found[0]
    assert index.context["chart"].marks == []
    assert all(f.metric.public for panel in found for f in panel.figures)
    assert all(not f.drill_url.startswith("/staf") for panel in found for f in panel.figures)
