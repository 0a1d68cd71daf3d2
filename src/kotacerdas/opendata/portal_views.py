"""Satu Data's public portal at /data/: search over the public catalogue with facets, a dataset's
page (metadata, published versions, a filterable preview of its newest data, exports and a
chart), downloads of published files, and the indicators with their values by year and a
choropleth map of the kecamatan or kelurahan.

Every page starts from ``rules.public_datasets()`` and shows only published versions: a limited
or confidential dataset, or one without a published version, does not exist here (404). The
pages work without JavaScript on a 360 px phone; the charts are drawn by Chart.js from a data
attribute, with the same figures in a table beside them, and the map is inline SVG.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Case, Count, Exists, OuterRef, Q, QuerySet, Subquery, Value, When
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    QueryDict,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from kotacerdas.core.choices import RegionLevel
from kotacerdas.core.models import Opd, Pillar, Region
from kotacerdas.core.views import limited, too_many_requests
from kotacerdas.opendata import maps, publishing, rules, tabular
from kotacerdas.opendata.choices import FileKind, VersionStatus
from kotacerdas.opendata.indicators import public_values
from kotacerdas.opendata.models import Dataset, Indicator, IndicatorValue, Tag, Version

PAGE_SIZE = 20
PREVIEW_ROWS = 20
CHART_ROWS = 5000
MAX_TAG_FACETS = 20
MAX_WORDS = 8
EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
FILE_TYPES = {
    FileKind.CSV: "text/csv",
    FileKind.XLSX: EXPORT_TYPES["xlsx"],
    FileKind.JSON: "application/json",
}
SORTS = ("relevance", "newest", "title")

# Column types (Table Schema's and the query store's names) the chart can sum or average, or
# put on its time axis.
NUMERIC_TYPES = {"integer", "number", "int", "int4", "int8", "bigint", "numeric", "float", "float8"}
TIME_TYPES = {"year", "date", "datetime", "yearmonth", "timestamp"}
TIME_NAMES = {"tahun", "year", "periode", "tanggal", "date", "bulan", "month"}
TIME_PREFIXES = ("tahun_", "year_", "tanggal_")
CHART_PARAMS = ("chart", "by", "agg")
REGION_NAMES = {"kode_wilayah", "kode_kelurahan", "kode_kecamatan", "kode_desa", "kode_region"}
# A value "averages" rather than adds up when its column or unit says so.
AVERAGE_HINTS = ("%", "persen", "rasio", "rata", "indeks", "index", "rate", "ratio", "ipm")

# The map's colours are the maps module's; named here too for the page's readers and tests.
PALETTE = maps.PALETTE
NO_DATA = maps.NO_DATA


# ---------------------------------------------------------------------------------------------
# Helpers


def _public() -> QuerySet[Dataset]:
    """``rules.public_datasets()`` as one query without DISTINCT, to annotate and order."""
    return Dataset.objects.filter(pk__in=rules.public_datasets().order_by().values("pk"))


def _published() -> QuerySet[Version]:
    return Version.objects.filter(status=VersionStatus.PUBLISHED)


def _newest(column: str) -> Subquery:
    """A column of the dataset's newest published version."""
    return Subquery(
        _published().filter(dataset=OuterRef("pk")).order_by("-number").values(column)[:1]
    )


def _public_dataset(slug: str) -> Dataset:
    dataset = (
        _public()
        .filter(slug=slug)
        .select_related("producer", "pillar", "coverage")
        .prefetch_related("tags")
        .first()
    )
    if dataset is None:
        raise Http404
    return dataset


def _query(pairs: Iterable[tuple[str, Any]]) -> str:
    """A query string (with its "?") from (name, value) pairs; empty values are left out."""
    kept = [(name, value) for name, value in pairs if value not in (None, "")]
    return "?" + urlencode(kept) if kept else ""


def _page_number(raw: str | None) -> int:
    try:
        return max(1, min(int(raw or 1), 1_000_000))
    except ValueError:
        return 1


# ---------------------------------------------------------------------------------------------
# Search


def _chosen(params: QueryDict) -> dict[str, list[str]]:
    return {
        name: list(dict.fromkeys(v.strip()[:100] for v in params.getlist(name) if v.strip()))[:20]
        for name in ("opd", "pillar", "tag", "format")
    }


def _tagged(**lookup: Any) -> Exists:
    return Exists(Dataset.tags.through.objects.filter(dataset_id=OuterRef("pk"), **lookup))


def _matching(datasets: QuerySet[Dataset], words: list[str]) -> QuerySet[Dataset]:
    """Datasets with every word in the title, the description or a tag, scored (a word in the
    title counts most, then in a tag, then in the description)."""
    score: Any = Value(0)
    for word in words:
        in_tag = _tagged(tag__name__icontains=word)
        datasets = datasets.filter(
            Q(title__icontains=word) | Q(description__icontains=word) | in_tag
        )
        score = (
            score
            + Case(When(title__icontains=word, then=Value(3)), default=Value(0))
            + Case(When(in_tag, then=Value(2)), default=Value(0))
            + Case(When(description__icontains=word, then=Value(1)), default=Value(0))
        )
    return datasets.annotate(score=score)


def _narrowed(
    datasets: QuerySet[Dataset], chosen: dict[str, list[str]], skip: str | None = None
) -> QuerySet[Dataset]:
    """The datasets matching every chosen facet (any of its values), except ``skip``'s: a
    facet's own counts are taken without its own choice, so its other values stay choosable."""
    if chosen["opd"] and skip != "opd":
        datasets = datasets.filter(producer__code__in=chosen["opd"])
    if chosen["pillar"] and skip != "pillar":
        datasets = datasets.filter(pillar__code__in=chosen["pillar"])
    if chosen["tag"] and skip != "tag":
        datasets = datasets.filter(_tagged(tag__name__in=chosen["tag"]))
    if chosen["format"] and skip != "format":
        datasets = datasets.filter(newest_kind__in=chosen["format"])
    return datasets


def _kept(params: QueryDict) -> list[tuple[str, str]]:
    """The search's parameters but the page (a new choice starts again from page 1)."""
    return [(k, v) for k, values in params.lists() if k != "page" for v in values]


def _facet(
    name: str, rows: list[tuple[str, str, int]], chosen: list[str], params: QueryDict
) -> list[dict[str, Any]]:
    """A facet's values with their counts; a chosen value stays listed even with no match."""
    seen = {value for value, _label, _n in rows}
    rows = rows + [(value, value, 0) for value in chosen if value not in seen]
    items = []
    for value, label, count in rows:
        checked = value in chosen
        others = _kept(params)
        if checked:
            toggled = [(k, v) for k, v in others if not (k == name and v == value)]
        else:
            toggled = [*others, (name, value)]
        items.append(
            {
                "value": value,
                "label": label,
                "count": count,
                "checked": checked,
                "url": _query(toggled),
            }
        )
    return items


def _facets(
    base: QuerySet[Dataset], chosen: dict[str, list[str]], params: QueryDict
) -> list[dict[str, Any]]:
    def ids(skip: str) -> QuerySet:
        return _narrowed(base, chosen, skip).values("pk")

    opds = (
        Opd.objects.filter(datasets__in=ids("opd"))
        .annotate(n=Count("datasets", distinct=True))
        .order_by("-n", "name")
    )
    pillars = (
        Pillar.objects.filter(datasets__in=ids("pillar"))
        .annotate(n=Count("datasets", distinct=True))
        .order_by("-n", "order")
    )
    tags = list(
        Tag.objects.filter(datasets__in=ids("tag"))
        .annotate(n=Count("datasets", distinct=True))
        .order_by("-n", "name")[:MAX_TAG_FACETS]
    )
    kinds = Counter(
        Dataset.objects.filter(pk__in=ids("format"))
        .annotate(kind=_newest("kind"))
        .values_list("kind", flat=True)
    )
    kind_labels = dict(FileKind.choices)
    return [
        {
            "name": "opd",
            "label": _("Producer (OPD)"),
            "items": _facet("opd", [(o.code, o.name, o.n) for o in opds], chosen["opd"], params),
        },
        {
            "name": "pillar",
            "label": _("Smart city pillar"),
            "items": _facet(
                "pillar", [(p.code, p.name, p.n) for p in pillars], chosen["pillar"], params
            ),
        },
        {
            "name": "tag",
            "label": _("Tag"),
            "items": _facet("tag", [(t.name, t.name, t.n) for t in tags], chosen["tag"], params),
        },
        {
            "name": "format",
            "label": _("Format"),
            "items": _facet(
                "format",
                [(k, kind_labels.get(k, k), n) for k, n in kinds.most_common() if k],
                chosen["format"],
                params,
            ),
        },
    ]


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    """The public catalogue: text search over title, description and tags, facets by producer,
    pillar, tag and format (of the newest published version) with their counts, sorted by
    relevance, newest or title, 20 a page."""
    params = request.GET
    query = " ".join(params.get("q", "").split())[:200]
    words = query.split()[:MAX_WORDS]
    chosen = _chosen(params)
    sort = params.get("sort", "")
    if sort not in SORTS:
        sort = "relevance" if words else "newest"
    base = _public().annotate(
        newest_kind=_newest("kind"),
        last_published=Subquery(
            _published()
            .filter(dataset=OuterRef("pk"))
            .order_by("-published_at")
            .values("published_at")[:1]
        ),
    )
    if words:
        base = _matching(base, words)
    results = _narrowed(base, chosen).select_related("producer", "pillar")
    if sort == "title":
        results = results.order_by("title", "pk")
    elif sort == "relevance" and words:
        results = results.order_by("-score", "-last_published", "title", "pk")
    else:
        results = results.order_by("-last_published", "title", "pk")
    page = Paginator(results, PAGE_SIZE).get_page(params.get("page"))
    for item in page.object_list:
        item.is_stale = publishing.stale(item)
    facets = _facets(base, chosen, params)
    active = [
        {"label": item["label"], "url": item["url"]}
        for facet in facets
        for item in facet["items"]
        if item["checked"]
    ]
    return render(
        request,
        "opendata/portal/search.html",
        {
            "query": query,
            "sort": sort,
            "sorts": [
                ("relevance", _("Relevance")),
                ("newest", _("Newest")),
                ("title", _("Title")),
            ],
            "page": page,
            "facets": facets,
            "active": active,
            "previous_url": _query([*_kept(params), ("page", page.number - 1)])
            if page.has_previous()
            else "",
            "next_url": _query([*_kept(params), ("page", page.number + 1)])
            if page.has_next()
            else "",
            "filtered": bool(query or any(chosen.values())),
        },
    )


# ---------------------------------------------------------------------------------------------
# A dataset


@dataclass
class TableState:
    """The preview's and the exports' plain GET parameters: ``f.<field>=value`` filters,
    ``q`` over the rows, ``sort=field asc, other desc`` and ``page``; the chart's choices
    (``chart``, ``by``, ``agg``) ride along in the preview's links."""

    filters: dict[str, str] = field(default_factory=dict)
    q: str = ""
    sort: str = ""
    page: int = 1
    chart: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def read(cls, params: QueryDict) -> TableState:
        filters = {}
        for name, value in params.items():
            if name.startswith("f.") and len(name) > 2 and value.strip():
                filters[name[2:][:100]] = value.strip()[:200]
        return cls(
            filters=dict(list(filters.items())[:30]),
            q=" ".join(params.get("q", "").split())[:200],
            sort=params.get("sort", "").strip()[:200],
            page=_page_number(params.get("page")),
            chart=[(k, params[k][:100]) for k in CHART_PARAMS if params.get(k)],
        )

    @property
    def filtered(self) -> bool:
        return bool(self.filters or self.q)

    def pairs(self, chart: bool = True) -> list[tuple[str, Any]]:
        """The state as query parameters, without the page."""
        pairs: list[tuple[str, Any]] = [(f"f.{k}", v) for k, v in self.filters.items()]
        pairs += [("q", self.q), ("sort", self.sort)]
        return pairs + (self.chart if chart else [])

    def search(self, store, **kwargs: Any) -> tabular.SearchResult:
        return tabular.search(
            store,
            filters=self.filters or None,
            q=self.q or None,
            sort=self.sort or None,
            **kwargs,
        )


def _sort_link(state: TableState, column: str) -> tuple[str, str]:
    """The header's new sort (ascending first, then descending) and the current direction."""
    current = " ".join(state.sort.split())
    if current == f"{column} asc":
        return f"{column} desc", "asc"
    if current == f"{column} desc":
        return f"{column} asc", "desc"
    return f"{column} asc", ""


def _columns(dataset: Dataset, result: tabular.SearchResult, state: TableState) -> list[dict]:
    declared = [f for f in (dataset.table_schema or {}).get("fields", []) if isinstance(f, dict)]
    region_flags = {f.get("name") for f in declared if f.get("region")}
    schema_types = {f.get("name"): str(f.get("type", "")) for f in declared}
    others = [(k, v) for k, v in state.pairs() if k != "sort"]
    columns = []
    for spec in result.fields:
        name = spec["id"]
        if name.startswith("_"):
            continue  # the store's own row number
        sort, direction = _sort_link(state, name)
        kind = str(spec.get("type") or "").lower()
        columns.append(
            {
                "id": name,
                "type": kind,
                "time": kind in TIME_TYPES
                or schema_types.get(name) in TIME_TYPES
                or name.lower() in TIME_NAMES
                or name.lower().startswith(TIME_PREFIXES),
                "numeric": kind in NUMERIC_TYPES,
                "filter": state.filters.get(name, ""),
                "sort_url": _query([*others, ("sort", sort)]),
                "direction": direction,
                "region": name in region_flags or name.lower() in REGION_NAMES,
            }
        )
    return columns


def _averages(dataset: Dataset, column: str) -> bool:
    text = f"{column} {dataset.unit}".lower()
    return any(hint in text for hint in AVERAGE_HINTS)


def _label(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _chart(
    request: HttpRequest, dataset: Dataset, version: Version, state: TableState, columns: list
) -> dict[str, Any] | None:
    """A numeric column summed or averaged over time (a year or date column) or by region (a
    region code column; the latest period only, when there is a time column too), from the
    filtered rows, at most the first CHART_ROWS of them."""
    time = next((c for c in columns if c["time"]), None)
    region = next((c for c in columns if c["region"]), None)
    numeric = [c for c in columns if c["numeric"] and c is not time and c is not region]
    axes = [(name, c) for name, c in (("time", time), ("region", region)) if c is not None]
    if not numeric or not axes:
        return None
    names = [c["id"] for c in numeric]
    column = request.GET.get("chart") if request.GET.get("chart") in names else names[0]
    by = request.GET.get("by") if request.GET.get("by") in dict(axes) else axes[0][0]
    axis = dict(axes)[by]
    agg = request.GET.get("agg")
    if agg not in ("sum", "mean"):
        agg = "mean" if _averages(dataset, column) else "sum"
    wanted = [axis["id"], column] + ([time["id"]] if by == "region" and time else [])
    result = state.search(version.store_path, fields=wanted, limit=CHART_ROWS, offset=0)
    rows = result.records
    period = None
    if by == "region" and time is not None:
        periods = [r.get(time["id"]) for r in rows if r.get(time["id"]) is not None]
        if periods:
            period = max(periods)
            rows = [r for r in rows if r.get(time["id"]) == period]
    groups: dict[Any, list[Decimal]] = {}
    for row in rows:
        key, number = row.get(axis["id"]), maps.to_decimal(row.get(column))
        if key is not None and number is not None:
            groups.setdefault(key, []).append(number)
    points = [
        (key, sum(values) / len(values) if agg == "mean" else sum(values))
        for key, values in groups.items()
    ]
    if by == "time":
        try:
            points.sort(key=lambda p: p[0])
        except TypeError:  # mixed types cannot happen in one column; be safe anyway
            points.sort(key=lambda p: str(p[0]))
        labels = {key: _label(key) for key, _v in points}
    else:
        points.sort(key=lambda p: (-p[1], str(p[0])))
        known = Region.objects.filter(code__in=[str(k) for k, _v in points])
        names_by_code = dict(known.values_list("code", "name"))
        labels = {key: names_by_code.get(str(key), str(key)) for key, _v in points}
    rounded = [(labels[key], round(float(value), 4)) for key, value in points]
    return {
        "columns": names,
        "column": column,
        "by": by,
        "axes": [(name, _("Over time") if name == "time" else _("By region")) for name, _c in axes],
        "agg": agg,
        "period": _label(period) if period is not None else "",
        "axis_label": axis["id"],
        "total": result.total,
        "capped": result.total > CHART_ROWS,
        "limit": CHART_ROWS,
        "rows": [(label, maps.format_value(value)) for label, value in rounded],
        "hidden": [(k, v) for k, v in state.pairs(chart=False) if v],
        "data": json.dumps(
            {
                "type": "line" if by == "time" else "bar",
                "labels": [label for label, _v in rounded],
                "values": [value for _l, value in rounded],
                "label": f"{column} ({_('sum') if agg == 'sum' else _('mean')})",
            }
        ),
    }


def _refusal(error: tabular.SearchError) -> str:
    """The store's refusal (it names the column) for the reader."""
    return _("The table cannot be filtered or sorted this way: %(problem)s") % {
        "problem": getattr(error, "message", None) or str(error)
    }


@require_safe
def dataset(request: HttpRequest, slug: str) -> HttpResponse:
    """A public dataset: its description, its published versions with their original files,
    the first rows of the newest one (filter, sort, pages), its exports and a chart. A filter
    or sort the store refuses gives the unfiltered table, the refusal's message and a 400."""
    found = _public_dataset(slug)
    versions = list(_published().filter(dataset=found).order_by("-number"))
    latest = versions[0]
    state = TableState.read(request.GET)
    problem = ""
    chart = None
    try:
        result = state.search(
            latest.store_path, limit=PREVIEW_ROWS, offset=(state.page - 1) * PREVIEW_ROWS
        )
        if not result.records and result.total and state.page > 1:
            # Past the last page: show the last one.
            state.page = math.ceil(result.total / PREVIEW_ROWS)
            result = state.search(
                latest.store_path, limit=PREVIEW_ROWS, offset=(state.page - 1) * PREVIEW_ROWS
            )
        columns = _columns(found, result, state)
        chart = _chart(request, found, latest, state, columns)
    except tabular.SearchError as error:
        problem = _refusal(error)
        state = TableState()
        result = state.search(latest.store_path, limit=PREVIEW_ROWS)
        columns = _columns(found, result, state)
    pages = max(1, math.ceil(result.total / PREVIEW_ROWS))
    base = state.pairs()
    first = (state.page - 1) * PREVIEW_ROWS
    return render(
        request,
        "opendata/portal/dataset.html",
        {
            "dataset": found,
            "versions": versions,
            "latest": latest,
            "stale": publishing.stale(found),
            "steward": Opd.objects.filter(code=settings.OPENDATA["STEWARD_OPD"]).first(),
            "tags": found.tags.all(),
            "columns": columns,
            "rows": [[(row.get(c["id"]), c["numeric"]) for c in columns] for row in result.records],
            "total": result.total,
            "first_row": first + 1 if result.records else 0,
            "last_row": first + len(result.records),
            "state": state,
            "page": state.page,
            "pages": pages,
            "previous_url": _query([*base, ("page", state.page - 1)]) if state.page > 1 else "",
            "next_url": _query([*base, ("page", state.page + 1)]) if state.page < pages else "",
            "export_query": _query(state.pairs(chart=False)),
            "exports": list(EXPORT_TYPES),
            "problem": problem,
            "chart": chart,
        },
        status=400 if problem else 200,
    )


@require_safe
def export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """The newest published data of a public dataset, filtered and sorted like the preview, as
    CSV, XLSX or JSON (cells that a spreadsheet would run as formulas are neutralised)."""
    if fmt not in EXPORT_TYPES:
        raise Http404
    found = _public_dataset(slug)
    if limited(request, "opendata_export", "public_read"):
        return too_many_requests(request)
    latest = found.latest_published()
    state = TableState.read(request.GET)
    # The data's own columns, without the store's row numbers.
    columns = [
        spec["id"]
        for spec in tabular.search(latest.store_path, limit=0).fields
        if not spec["id"].startswith("_")
    ]
    try:
        # The search is checked before the first piece, so a refusal is a page, not a cut file.
        content = tabular.export(
            latest.store_path,
            fmt,
            filters=state.filters or None,
            q=state.q or None,
            sort=state.sort or None,
            fields=columns,
        )
    except tabular.SearchError as error:
        return render(
            request,
            "error.html",
            {"status": 400, "message": _refusal(error)},
            status=400,
        )
    suffix = "-filter" if state.filtered else ""
    filename = f"{found.slug}-v{latest.number}{suffix}.{fmt}"
    if isinstance(content, bytes | bytearray):
        response: HttpResponse | StreamingHttpResponse = HttpResponse(
            content, content_type=EXPORT_TYPES[fmt]
        )
    else:
        response = StreamingHttpResponse(content, content_type=EXPORT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@require_safe
def download(request: HttpRequest, uuid) -> FileResponse:
    """The original file of a published version of a public dataset (the newest or an older
    one), always as an attachment named after the dataset and version."""
    version = (
        _published()
        .filter(uuid=uuid, dataset__in=rules.public_datasets().order_by().values("pk"))
        .select_related("dataset")
        .first()
    )
    if version is None or not version.file:
        raise Http404
    try:
        handle = version.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{version.dataset.slug}-v{version.number}.{version.kind}",
        content_type=FILE_TYPES.get(version.kind, "application/octet-stream"),
    )


# ---------------------------------------------------------------------------------------------
# Indicators


@require_safe
def indicators(request: HttpRequest) -> HttpResponse:
    """Every indicator the city tracks, with its latest value for the city."""
    city = settings.KOTACERDAS_REGION
    listed = list(Indicator.objects.select_related("pillar").order_by("name"))
    for item in listed:
        value = public_values(item).filter(region_id=city).order_by("-year").first()
        item.latest = value
        item.latest_display = maps.format_value(value.value) if value else ""
    return render(request, "opendata/portal/indicators.html", {"indicators": listed})


@require_safe
def indicator(request: HttpRequest, code: str) -> HttpResponse:
    """One indicator: its definition, the city's values by year (chart and table), and the
    kecamatan or kelurahan of the latest year ranked with those left behind first, as a table
    and as a choropleth map. Every value names its source."""
    found = get_object_or_404(Indicator.objects.select_related("pillar"), code=code)
    yearly = list(
        public_values(found).filter(region_id=settings.KOTACERDAS_REGION).order_by("year")
    )
    for value in yearly:
        value.display = maps.format_value(value.value)
    # Each level with values inside the city, its latest year and that year's ranking.
    levels: list[tuple[str, str, int, list[IndicatorValue]]] = []
    for level, label in (
        (RegionLevel.VILLAGE, _("Kelurahan")),
        (RegionLevel.DISTRICT, _("Kecamatan")),
    ):
        year, ranked = maps.latest_ranking(found, level)
        if year is not None:
            levels.append((level, label, year, ranked))
    wanted = request.GET.get("level")
    chosen = next((lv for lv in levels if lv[0] == wanted), levels[0] if levels else None)
    choropleth = None
    if chosen is not None:
        choropleth = maps.choropleth(chosen[0], chosen[3], found.direction, found.unit)
    return render(
        request,
        "opendata/portal/indicator.html",
        {
            "indicator": found,
            "yearly": yearly,
            "latest": yearly[-1] if yearly else None,
            "levels": [(lv[0], lv[1]) for lv in levels],
            "level": chosen[0] if chosen else None,
            "level_label": chosen[1] if chosen else "",
            "year": chosen[2] if chosen else None,
            "ranked": chosen[3] if chosen else [],
            "map": choropleth,
            "chart": json.dumps(
                {
                    "type": "line",
                    "labels": [str(v.year) for v in yearly],
                    "values": [float(v.value) for v in yearly],
                    "label": f"{found.name} ({found.unit})",
                }
            )
            if yearly
            else "",
        },
    )
