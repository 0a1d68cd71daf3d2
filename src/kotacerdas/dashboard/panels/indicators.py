"""The indicators panel: Satu Data's indicators with their trend, and one indicator's kecamatan
or kelurahan ranked left behind first on a map drawn from the boundary file
(``opendata.maps``)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils.translation import gettext as _

from kotacerdas.core.choices import RegionLevel
from kotacerdas.dashboard import charts
from kotacerdas.dashboard.figures import Figure
from kotacerdas.dashboard.metrics import indicator_metric
from kotacerdas.dashboard.panels.base import (
    Panel,
    Reader,
    link,
)
from kotacerdas.opendata import indicators as indicator_store
from kotacerdas.opendata import maps
from kotacerdas.opendata.models import Indicator


def _values_for(reader: Reader):
    return indicator_store.public_values if reader.scope.public else indicator_store.staff_values


def indicators_panel(reader: Reader, chosen: str | None, level: str | None) -> Panel:
    """Every indicator's latest value for the city (or the area office's area) with its trend,
    and for one indicator the kecamatan or kelurahan ranked left behind first, on a map drawn
    from the boundary file. The public page sees only public values."""
    panel = Panel("indicators", _("Indicators (Satu Data)"))
    region = reader.scope.region
    values_of = _values_for(reader)
    indicators = list(Indicator.objects.order_by("name"))
    series: dict[str, list] = {}
    for indicator in indicators:
        values = list(values_of(indicator).filter(region_id=region).order_by("year"))
        if not values:
            continue
        latest = values[-1]
        series[indicator.code] = values
        version = latest.source_version
        if version is not None:
            source = _("dataset %(title)s, version %(n)s") % {
                "title": version.dataset.title,
                "n": version.number,
            }
            owner = version.dataset.producer.code
        else:
            source, owner = latest.source_note or _("entered with evidence"), ""
        key = f"indicator.{indicator.code}"
        panel.figures.append(
            Figure(
                key if region == settings.KOTACERDAS_REGION else f"{key}.{region}",
                indicator_metric(indicator),
                indicator.name,
                latest.value.normalize(),
                str(latest.year),
                source,
                updated_at=latest.updated_at,
                owner=owner,
                source_url=link("opendata-portal:indicator", indicator.code),
                drill_url=link("opendata-portal:indicator", indicator.code),
                series=key,
            )
        )
    if not panel.figures:
        panel.note = _("Satu Data holds no indicator value for this area yet.")
        return panel
    by_code = {i.code: i for i in indicators}
    pick = by_code.get(chosen or "") if chosen in series else None
    ranking: list = []
    year, shown_level, choropleth = None, None, None
    levels = [RegionLevel.VILLAGE, RegionLevel.DISTRICT]
    candidates = [pick] if pick else [by_code[code] for code in series]
    for indicator in candidates:
        for option in ([level] if level in levels else []) + levels:
            year, ranking = maps.latest_ranking(
                indicator, option, within=reader.scope.area, public_only=reader.scope.public
            )
            if ranking:
                pick, shown_level = indicator, option
                break
        if ranking:
            break
    pick = pick or by_code[next(iter(series))]
    if ranking:
        choropleth = maps.choropleth(
            shown_level, ranking, pick.direction, pick.unit, within=reader.scope.area
        )
    key = f"indicator.{pick.code}"
    notes = reader.annotations(key)
    panel.context = {
        "chosen": pick,
        "level": shown_level,
        "year": year,
        "ranking": ranking,
        "choropleth": choropleth,
        "chart": charts.line_chart(
            key, [(dt.date(v.year, 12, 31), v.value, str(v.year)) for v in series[pick.code]], notes
        )
        if pick.code in series
        else None,
        "choices": [by_code[code] for code in series],
        "levels": [(RegionLevel.VILLAGE, _("Kelurahan")), (RegionLevel.DISTRICT, _("Kecamatan"))],
    }
    return panel
