"""The CKAN Action API subset at /api/3/action/: Satu Data as CKAN clients (ckanapi, the
national Satu Data Indonesia harvester, data.go.id-style portals, CKAN's own harvester) see it.

Only what the public may know ever leaves here: every answer starts from
``rules.public_datasets()`` (public datasets with a published version), and only the published
versions of those datasets are resources. A limited or confidential dataset, or a draft,
submitted or returned version, is "Not found" exactly like an id that never existed, whoever
asks: the API reads no credentials and gives the steward the same answers as anyone.

The mapping to CKAN's model:

- a dataset is a package: ``name`` is its slug, ``id`` its uuid;
- a published version is a resource (``id`` is the version's uuid), newest first, with its
  rows in the DataStore (``datastore_search``);
- an OPD is an organization (``id`` and ``name`` are its code). ``organization_list`` lists only
  the OPDs that produce at least one public dataset (CKAN lists every organization; an OPD
  without public data has nothing to show here), and ``organization_show`` of any other OPD is
  "Not found";
- a smart city pillar is a group (``id`` and ``name`` are its code); every pillar is listed;
- the dataset's other metadata (frequency, period, area covered...) are CKAN ``extras``.

Every action is read-only and answers GET with query parameters and POST with a JSON (or
multipart) body, as CKAN does. The envelope is CKAN's: ``{"help", "success", "result"}``, or
``{"help", "success": false, "error": {"__type", ...}}`` with 404 for what is not found, 409 for
a parameter that is not valid and 400 for an unknown action or method. Reads are rate limited
per client address like Open311's (``RATE_LIMITS["public_read"]``), answered with 429.

Differences from CKAN worth knowing: ``q`` is a plain search (every word must appear in the
title, description, a tag or the organization; ``field:value`` terms act as in ``fq``; ``OR``
is not supported), ``fq`` understands ``organization``, ``groups``, ``tags``, ``res_format``,
``name``, ``id`` and ``license_id`` (a leading ``-`` excludes), and ``datastore_search`` answers
in the ``objects`` record format only.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Greatest, Lower
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from kotacerdas.core import ratelimit
from kotacerdas.core.context_processors import region_name
from kotacerdas.core.models import Opd, Pillar
from kotacerdas.opendata import rules, tabular
from kotacerdas.opendata.choices import Licence, VersionStatus
from kotacerdas.opendata.models import Dataset, Tag, Version

CKAN_VERSION = "2.10.4"
PUBLISHED = VersionStatus.PUBLISHED

# package_search: CKAN's defaults and its ``ckan.search.rows_max``.
SEARCH_ROWS = 10
SEARCH_ROWS_MAX = 1000
FACET_LIMIT = 50
FACET_FIELDS = ("organization", "groups", "tags", "res_format", "license_id")
# organization_list/group_list: CKAN's ``ckan.group_and_organization_list_max`` and
# ``..._all_fields_max``.
LIST_MAX = 1000
LIST_ALL_FIELDS_MAX = 25
# organization_show with include_datasets: at most this many packages, newest first.
ORGANIZATION_DATASETS = 1000
# datastore_search: CKAN's default and ``ckan.datastore.search.rows_max``.
DATASTORE_LIMIT = 100
DATASTORE_LIMIT_MAX = 32000

MIMETYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
LICENCE_URLS = {
    Licence.CC_BY: "https://creativecommons.org/licenses/by/4.0/",
    Licence.CC0: "https://creativecommons.org/publicdomain/zero/1.0/",
    Licence.ODBL: "https://opendatacommons.org/licenses/odbl/1-0/",
}
OPEN_LICENCES = {Licence.CC_BY, Licence.CC0, Licence.ODBL, Licence.GOV}

TRUE_WORDS = {"true", "yes", "on", "y", "t", "1"}
FALSE_WORDS = {"false", "no", "off", "n", "f", "0", ""}

# A term of q or fq: an optional sign, an optional ``field:`` and a quoted or bare value.
TERM = re.compile(
    r'(?P<sign>[+-]?)(?:(?P<field>[A-Za-z_][\w.]*):)?(?:"(?P<quoted>[^"]*)"|(?P<bare>\S+))'
)
MATCH_ALL = {"*:*", "*"}
NEGATIVE = re.compile(r"\s*-[0-9]+\s*")
CONNECTIVES = {"AND", "&&", "OR", "||"}


# ---------------------------------------------------------------------------------------------
# Errors and parameters


class ActionError(Exception):
    """A refusal in CKAN's error shape: the HTTP status and the ``error`` object."""

    def __init__(self, status: int, error: dict[str, Any]) -> None:
        super().__init__(error)
        self.status = status
        self.error = error


def not_found(message: str | None = None) -> ActionError:
    return ActionError(404, {"__type": "Not Found Error", "message": message or _("Not found")})


def invalid(field: str, message: str) -> ActionError:
    return ActionError(409, {"__type": "Validation Error", field: [message]})


def bad_request(message: str) -> ActionError:
    return ActionError(
        400,
        {"__type": "Bad request", "message": _("Bad request - %(message)s") % {"message": message}},
    )


class Params:
    """An action's parameters: strings from a query string or a multipart body, typed values
    from a JSON body. Each reader checks one parameter and refuses it with CKAN's validation
    error naming it."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    def __contains__(self, name: str) -> bool:
        return self.data.get(name) not in (None, "")

    def text(self, name: str, default: str = "") -> str:
        value = self.data.get(name)
        if value is None:
            return default
        if isinstance(value, (bool, list, dict)):
            raise invalid(name, _("Must be a string"))
        return str(value).strip()

    def required(self, name: str) -> str:
        value = self.text(name)
        if not value:
            raise invalid(name, _("Missing value"))
        return value

    def integer(self, name: str, default: int, maximum: int | None = None) -> int:
        """A natural number; above ``maximum`` it is lowered to it, as CKAN does."""
        value = self.data.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            raise invalid(name, _("Invalid integer"))
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, str):
            try:
                value = int(value.strip())
            except ValueError:
                raise invalid(name, _("Invalid integer")) from None
        if not isinstance(value, int):
            raise invalid(name, _("Invalid integer"))
        if value < 0:
            raise invalid(name, _("Must be a natural number"))
        return min(value, maximum) if maximum is not None else value

    def boolean(self, name: str, default: bool) -> bool:
        value = self.data.get(name)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        if isinstance(value, str):
            word = value.strip().lower()
            if word in TRUE_WORDS:
                return True
            if word in FALSE_WORDS:
                return False
        raise invalid(name, _("Not a boolean value"))

    def json(self, name: str) -> Any:
        """A value that a query string carries as JSON text (``facet.field``, ``filters``)."""
        value = self.data.get(name)
        if isinstance(value, str):
            if not value.strip():
                return None
            try:
                return json.loads(value)
            except ValueError:
                raise invalid(name, _("Not valid JSON")) from None
        return value

    def names(self, name: str) -> list[str] | None:
        """A list of names: a JSON list, or a comma-separated string."""
        value = self.data.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                value = self.json(name)
            else:
                return [part.strip() for part in text.split(",") if part.strip()]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise invalid(name, _("Must be a list of names"))
        return [v.strip() for v in value if v.strip()]


def _request_params(request: HttpRequest) -> Params:
    data: dict[str, Any] = {}
    for source in (request.GET, request.POST if _is_multipart(request) else None):
        if source is None:
            continue
        for key in source:
            values = source.getlist(key)
            data[key] = values[0] if len(values) == 1 else values
    if request.method == "POST" and request.content_type == "application/json":
        try:
            body = json.loads(request.body or b"{}")
        except ValueError:
            raise bad_request(_("JSON Error: Invalid request body")) from None
        if not isinstance(body, dict):
            raise bad_request(_("JSON Error: The request body must be a JSON object"))
        data.update(body)
    return Params(data)


def _is_multipart(request: HttpRequest) -> bool:
    return request.method == "POST" and request.content_type == "multipart/form-data"


# ---------------------------------------------------------------------------------------------
# Shapes


def ckan_time(value: dt.datetime | None) -> str | None:
    """CKAN's timestamps: ISO 8601 in UTC without a zone."""
    if value is None:
        return None
    return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat()


def download_path(version: Version) -> str:
    """The portal's download address of a version's file."""
    return reverse("opendata-portal:download", args=[version.uuid])


def dataset_page(dataset: Dataset) -> str:
    return reverse("opendata-portal:dataset", args=[dataset.slug])


def site_title() -> str:
    return f"Satu Data {region_name(settings.KOTACERDAS_REGION)}"


def site_description() -> str:
    return _(
        "The open data catalogue of %(region)s: the public datasets its OPDs produce, "
        "published by the data steward."
    ) % {"region": region_name(settings.KOTACERDAS_REGION)}


def public_packages() -> QuerySet[Dataset]:
    """The public datasets (``rules.public_datasets``) as one query without DISTINCT, so that it
    can be filtered, annotated, ordered and counted freely."""
    return Dataset.objects.filter(pk__in=rules.public_datasets().order_by().values("pk"))


def published_versions() -> QuerySet[Version]:
    return Version.objects.filter(status=PUBLISHED).defer("problems").order_by("-number")


def with_details(datasets: QuerySet[Dataset]) -> QuerySet[Dataset]:
    """What a package dict reads, in a fixed number of queries however many datasets."""
    return datasets.select_related("producer", "pillar", "coverage").prefetch_related(
        "tags", Prefetch("versions", queryset=published_versions(), to_attr="published")
    )


def with_modified(datasets: QuerySet[Dataset]) -> QuerySet[Dataset]:
    """``metadata_modified``: the later of the description's last change and the last
    publication of a version."""
    last = (
        Version.objects.filter(dataset=OuterRef("pk"), status=PUBLISHED)
        .order_by("-published_at")
        .values("published_at")[:1]
    )
    return datasets.annotate(
        last_published=Subquery(last), modified=Greatest("updated_at", "last_published")
    )


def modified_at(dataset: Dataset) -> dt.datetime:
    value = getattr(dataset, "modified", None)
    if value is not None:
        return value
    dates = [v.published_at for v in dataset.published if v.published_at]
    return max([dataset.updated_at, *dates])


def organization_dict(opd: Opd, package_count: int | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": opd.code,
        "name": opd.code,
        "title": opd.name,
        "display_name": opd.name,
        "description": opd.name if not opd.short_name else f"{opd.name} ({opd.short_name})",
        "image_url": "",
        "type": "organization",
        "is_organization": True,
        "approval_status": "approved",
        "state": "active",
    }
    if package_count is not None:
        data["package_count"] = package_count
    return data


def group_dict(pillar: Pillar, package_count: int | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": pillar.code,
        "name": pillar.code,
        "title": pillar.name,
        "display_name": pillar.name,
        "description": pillar.definition,
        "image_url": "",
        "type": "group",
        "is_organization": False,
        "approval_status": "approved",
        "state": "active",
    }
    if package_count is not None:
        data["package_count"] = package_count
    return data


def tag_dict(tag: Tag) -> dict[str, Any]:
    return {
        "id": tag.name,
        "name": tag.name,
        "display_name": tag.name,
        "vocabulary_id": None,
        "state": "active",
    }


def _file_size(version: Version) -> int | None:
    try:
        return version.file.size
    except (OSError, ValueError):
        return None


def resource_dict(
    request: HttpRequest, dataset: Dataset, version: Version, position: int
) -> dict[str, Any]:
    return {
        "id": str(version.uuid),
        "package_id": str(dataset.uuid),
        "name": f"{dataset.title} (v{version.number})",
        "description": version.note,
        "format": version.kind.upper(),
        "mimetype": MIMETYPES.get(version.kind),
        "url": request.build_absolute_uri(download_path(version)),
        "url_type": "upload",
        "datastore_active": True,
        "created": ckan_time(version.uploaded_at),
        "last_modified": ckan_time(version.published_at),
        "metadata_modified": ckan_time(version.published_at),
        "position": position,
        "size": _file_size(version),
        "hash": "",
        "state": "active",
        "version": version.number,
        "rows": version.rows,
    }


def _period(dataset: Dataset) -> str:
    start, end = dataset.period_start, dataset.period_end
    if start and end and start != end:
        return f"{start}-{end}"
    return str(start or end or "")


def package_dict(request: HttpRequest, dataset: Dataset) -> dict[str, Any]:
    """A dataset in CKAN's package shape; ``dataset`` comes from ``with_details``."""
    producer = dataset.producer
    tags = sorted(dataset.tags.all(), key=lambda t: t.name)
    resources = [
        resource_dict(request, dataset, version, position)
        for position, version in enumerate(dataset.published)
    ]
    extras = {
        "frequency": dataset.frequency,
        "period": _period(dataset),
        "spatial_coverage": dataset.coverage_id,
        "spatial_coverage_name": dataset.coverage.name,
        "granularity": dataset.granularity,
        "unit": dataset.unit,
        "classification": dataset.classification,
        "iso_indicator": dataset.iso_indicator,
        "producer": producer.name,
        "topic": dataset.topic,
    }
    return {
        "id": str(dataset.uuid),
        "name": dataset.slug,
        "title": dataset.title,
        "notes": dataset.description,
        "url": request.build_absolute_uri(dataset_page(dataset)),
        "version": str(dataset.published[0].number) if dataset.published else None,
        "license_id": dataset.licence,
        "license_title": dataset.get_licence_display(),
        "license_url": LICENCE_URLS.get(dataset.licence, ""),
        "isopen": dataset.licence in OPEN_LICENCES,
        "author": producer.name,
        "author_email": producer.email,
        "maintainer": dataset.contact_name,
        "maintainer_email": dataset.contact_email,
        "metadata_created": ckan_time(dataset.created_at),
        "metadata_modified": ckan_time(modified_at(dataset)),
        "owner_org": producer.code,
        "organization": organization_dict(producer),
        "groups": [group_dict(dataset.pillar)] if dataset.pillar else [],
        "tags": [tag_dict(tag) for tag in tags],
        "resources": resources,
        "extras": [{"key": key, "value": value} for key, value in extras.items()],
        "num_resources": len(resources),
        "num_tags": len(tags),
        "state": "active",
        "type": "dataset",
        "private": False,
        "relationships_as_object": [],
        "relationships_as_subject": [],
    }


# ---------------------------------------------------------------------------------------------
# Finding public records


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def find_package(ident: str) -> Dataset:
    """A public dataset by slug or uuid, or "Not found"."""
    key = _uuid(ident)
    condition = Q(slug=ident) if key is None else Q(uuid=key) | Q(slug=ident)
    dataset = with_details(public_packages().filter(condition)).first()
    if dataset is None:
        raise not_found()
    return dataset


def find_resource(ident: str, message: str | None = None) -> Version:
    """A published version of a public dataset by uuid, or "Not found"."""
    key = _uuid(ident)
    version = (
        Version.objects.filter(
            uuid=key, status=PUBLISHED, dataset__in=rules.public_datasets().order_by().values("pk")
        )
        .select_related("dataset")
        .defer("problems")
        .order_by()
        .first()
        if key is not None
        else None
    )
    if version is None:
        raise not_found(message)
    return version


def _public_opds() -> dict[int, int]:
    """OPD id -> how many public datasets it produces (only OPDs that produce any)."""
    rows = public_packages().order_by().values("producer").annotate(n=Count("pk"))
    return {row["producer"]: row["n"] for row in rows}


def _public_pillars() -> dict[int, int]:
    rows = (
        public_packages()
        .filter(pillar__isnull=False)
        .order_by()
        .values("pillar")
        .annotate(n=Count("pk"))
    )
    return {row["pillar"]: row["n"] for row in rows}


# ---------------------------------------------------------------------------------------------
# package_search


def _terms(text: str) -> Iterable[tuple[bool, str | None, str]]:
    """The terms of a q or fq: (excluded, field or None, value). AND and OR join nothing:
    every term must match."""
    for match in TERM.finditer(text):
        value = (match["quoted"] if match["quoted"] is not None else match["bare"]).strip()
        if match["field"] is None:
            if value in CONNECTIVES or value in MATCH_ALL:
                continue
            value = value.strip("()")
        if value:
            yield match["sign"] == "-", match["field"], value


def _field_condition(param: str, field: str, value: str) -> Q | Exists:
    if field in ("organization", "owner_org"):
        return Q(producer__code=value)
    if field == "groups":
        return Q(pillar__code=value)
    if field == "tags":
        return Exists(
            Dataset.tags.through.objects.filter(dataset_id=OuterRef("pk"), tag__name=value.lower())
        )
    if field == "res_format":
        return Exists(
            Version.objects.filter(dataset=OuterRef("pk"), status=PUBLISHED, kind=value.lower())
        )
    if field == "name":
        return Q(slug=value)
    if field == "id":
        key = _uuid(value)
        return Q(uuid=key) if key else Q(pk__in=[])
    if field == "license_id":
        return Q(licence=value)
    # What CKAN adds to every search itself: everything here is an active public dataset.
    constant = {
        "dataset_type": "dataset",
        "type": "dataset",
        "capacity": "public",
        "state": "active",
    }
    if field in constant:
        return Q() if value == constant[field] else Q(pk__in=[])
    raise invalid(param, _("Unknown field: %(field)s") % {"field": field})


def _text_condition(word: str) -> Q:
    tagged = Exists(
        Dataset.tags.through.objects.filter(dataset_id=OuterRef("pk"), tag__name__icontains=word)
    )
    return (
        Q(title__icontains=word)
        | Q(description__icontains=word)
        | Q(slug__icontains=word)
        | Q(topic__icontains=word)
        | Q(tagged)
        | Q(producer__name__icontains=word)
        | Q(producer__short_name__icontains=word)
        | Q(producer__code__iexact=word)
    )


def _score(words: list[str]) -> Any:
    """Relevance: a word in the title counts most, then in a tag, then anywhere else."""
    score: Any = Value(0)
    for word in words:
        tagged = Exists(
            Dataset.tags.through.objects.filter(
                dataset_id=OuterRef("pk"), tag__name__icontains=word
            )
        )
        score = (
            score
            + Case(When(title__icontains=word, then=Value(3)), default=Value(0))
            + Case(When(tagged, then=Value(2)), default=Value(0))
            + Case(When(description__icontains=word, then=Value(1)), default=Value(0))
        )
    return score


SORT_FIELDS = {
    "metadata_modified": "modified",
    "metadata_created": "created_at",
    "title_string": "title_sort",
    "title": "title_sort",
    "name": "slug",
    "score": "score",
}


def _order(param: str, text: str) -> list[Any]:
    order: list[Any] = []
    for part in text.split(","):
        words = part.split()
        if not words:
            continue
        field, direction = words[0], (words[1].lower() if len(words) > 1 else "asc")
        if field not in SORT_FIELDS:
            raise invalid(param, _("Cannot sort by %(field)s") % {"field": field})
        if len(words) > 2 or direction not in ("asc", "desc"):
            raise invalid(param, _("The sort direction must be asc or desc"))
        column = F(SORT_FIELDS[field])
        order.append(column.desc() if direction == "desc" else column.asc())
    return order


def _facets(params: Params, matched: QuerySet[Dataset]) -> tuple[dict[str, Any], dict[str, Any]]:
    raw_limit = params.data.get("facet.limit")
    limit: int | None = None  # a negative limit is Solr's "no limit"
    if not (isinstance(raw_limit, (int, str)) and NEGATIVE.fullmatch(str(raw_limit))):
        limit = params.integer("facet.limit", FACET_LIMIT)
    mincount = params.integer("facet.mincount", 1)
    fields = params.json("facet.field")
    if fields is None:
        return {}, {}
    if isinstance(fields, str):
        fields = [fields]
    if not isinstance(fields, list) or not all(isinstance(f, str) for f in fields):
        raise invalid("facet.field", _("Must be a list of names"))
    ids = matched.order_by().values("pk")
    facets: dict[str, Any] = {}
    search_facets: dict[str, Any] = {}
    for field in fields:
        if field not in FACET_FIELDS:
            raise invalid("facet.field", _("Unknown field: %(field)s") % {"field": field})
        items = _facet_items(field, ids)
        items = [item for item in items if item["count"] >= max(mincount, 1)]
        items.sort(key=lambda item: (-item["count"], item["name"]))
        if limit is not None:
            items = items[:limit]
        facets[field] = {item["name"]: item["count"] for item in items}
        search_facets[field] = {"title": field, "items": items}
    return facets, search_facets


def _facet_items(field: str, ids: QuerySet) -> list[dict[str, Any]]:
    """(name, display name, count of datasets) for each value of ``field`` among ``ids``."""
    if field == "organization":
        rows = (
            Dataset.objects.filter(pk__in=ids)
            .values("producer__code", "producer__name")
            .annotate(n=Count("pk"))
        )
        return [
            {"name": r["producer__code"], "display_name": r["producer__name"], "count": r["n"]}
            for r in rows
        ]
    if field == "groups":
        rows = (
            Dataset.objects.filter(pk__in=ids, pillar__isnull=False)
            .values("pillar_id")
            .annotate(n=Count("pk"))
        )
        counts = {row["pillar_id"]: row["n"] for row in rows}
        return [
            {"name": p.code, "display_name": p.name, "count": counts[p.pk]}
            for p in Pillar.objects.filter(pk__in=counts)
        ]
    if field == "tags":
        rows = (
            Dataset.tags.through.objects.filter(dataset_id__in=ids)
            .values("tag__name")
            .annotate(n=Count("dataset_id", distinct=True))
        )
        return [
            {"name": r["tag__name"], "display_name": r["tag__name"], "count": r["n"]} for r in rows
        ]
    if field == "res_format":
        rows = (
            Version.objects.filter(dataset_id__in=ids, status=PUBLISHED)
            .values("kind")
            .annotate(n=Count("dataset_id", distinct=True))
        )
        return [
            {"name": r["kind"].upper(), "display_name": r["kind"].upper(), "count": r["n"]}
            for r in rows
        ]
    # license_id
    rows = Dataset.objects.filter(pk__in=ids).values("licence").annotate(n=Count("pk"))
    labels = dict(Licence.choices)
    return [
        {
            "name": r["licence"],
            "display_name": str(labels.get(r["licence"], r["licence"])),
            "count": r["n"],
        }
        for r in rows
    ]


def search_packages(params: Params) -> tuple[QuerySet[Dataset], list[str]]:
    """The public datasets matching q and fq, with the words of q (for the score)."""
    datasets = public_packages()
    words: list[str] = []
    for param in ("q", "fq"):
        text = params.text(param)
        for excluded, field, value in _terms(text):
            if field is None:
                # A bare word (in fq too, where Solr searches its default field).
                condition: Q | Exists = _text_condition(value)
                if not excluded:
                    words.append(value)
            else:
                condition = _field_condition(param, field, value)
            datasets = datasets.exclude(condition) if excluded else datasets.filter(condition)
    return datasets, words


# ---------------------------------------------------------------------------------------------
# Actions

Action = Callable[[HttpRequest, Params], Any]
ACTIONS: dict[str, Action] = {}


def action(function: Action) -> Action:
    ACTIONS[function.__name__] = function
    return function


@action
def status_show(request: HttpRequest, params: Params) -> dict[str, Any]:
    """The site's name, address and CKAN version."""
    return {
        "ckan_version": CKAN_VERSION,
        "site_title": site_title(),
        "site_url": request.build_absolute_uri("/").rstrip("/"),
        "site_description": site_description(),
        "error_emails_to": None,
        "locale_default": settings.LANGUAGE_CODE,
        "extensions": ["datastore"],
    }


@action
def site_read(request: HttpRequest, params: Params) -> bool:
    """Whether the catalogue may be read: always true."""
    return True


@action
def help_show(request: HttpRequest, params: Params) -> str:
    """The description of an action (``name``)."""
    name = params.required("name")
    function = ACTIONS.get(name)
    if function is None:
        raise not_found(_("Action function not found"))
    return " ".join((function.__doc__ or "").split())


@action
def package_list(request: HttpRequest, params: Params) -> list[str]:
    """The names of the public datasets, alphabetically (limit, offset)."""
    offset = params.integer("offset", 0)
    names = public_packages().order_by("slug").values_list("slug", flat=True)
    if "limit" in params:
        return list(names[offset : offset + params.integer("limit", 0)])
    return list(names[offset:])


@action
def package_search(request: HttpRequest, params: Params) -> dict[str, Any]:
    """Search the public datasets: q, fq, sort, rows, start, facet.field, facet.limit."""
    rows = params.integer("rows", SEARCH_ROWS, maximum=SEARCH_ROWS_MAX)
    start = params.integer("start", 0)
    matched, words = search_packages(params)
    sort = params.text("sort") or "metadata_modified desc"
    order = _order("sort", sort)
    count = matched.count()
    facets, search_facets = _facets(params, matched)
    results: list[dict[str, Any]] = []
    if rows:
        page = with_modified(matched).annotate(score=_score(words), title_sort=Lower("title"))
        page = with_details(page.order_by(*order, "slug"))[start : start + rows]
        results = [package_dict(request, dataset) for dataset in page]
    return {
        "count": count,
        "results": results,
        "facets": facets,
        "search_facets": search_facets,
        "sort": sort,
    }


@action
def package_show(request: HttpRequest, params: Params) -> dict[str, Any]:
    """A public dataset by name or id, with its published versions as resources."""
    return package_dict(request, find_package(params.required("id")))


@action
def resource_show(request: HttpRequest, params: Params) -> dict[str, Any]:
    """A published version of a public dataset by id."""
    version = find_resource(params.required("id"))
    position = version.dataset.versions.filter(status=PUBLISHED, number__gt=version.number).count()
    return resource_dict(request, version.dataset, version, position)


def _list_window(params: Params, all_fields: bool) -> tuple[int, int]:
    most = LIST_ALL_FIELDS_MAX if all_fields else LIST_MAX
    return params.integer("offset", 0), params.integer("limit", most, maximum=most)


def _sort_listed(params: Params, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    sort = params.text("sort") or "title asc"
    words = sort.split()
    field, direction = words[0], (words[1].lower() if len(words) > 1 else "asc")
    if field not in ("name", "title", "package_count"):
        raise invalid("sort", _("Cannot sort by %(field)s") % {"field": field})
    if len(words) > 2 or direction not in ("asc", "desc"):
        raise invalid("sort", _("The sort direction must be asc or desc"))

    def key(item: dict[str, Any]) -> Any:
        value = item[field]
        return value.lower() if isinstance(value, str) else value

    return sorted(items, key=key, reverse=direction == "desc")


@action
def organization_list(request: HttpRequest, params: Params) -> list[Any]:
    """The OPDs that produce public datasets (all_fields, sort, limit, offset)."""
    all_fields = params.boolean("all_fields", False)
    offset, limit = _list_window(params, all_fields)
    counts = _public_opds()
    items = [organization_dict(opd, counts[opd.pk]) for opd in Opd.objects.filter(pk__in=counts)]
    items = _sort_listed(params, items)[offset : offset + limit]
    return items if all_fields else [item["name"] for item in items]


@action
def organization_show(request: HttpRequest, params: Params) -> dict[str, Any]:
    """An OPD that produces public datasets, by code; include_datasets adds them."""
    code = params.required("id")
    include = params.boolean("include_datasets", False)
    opd = Opd.objects.filter(code=code).first()
    datasets = public_packages().filter(producer=opd) if opd else None
    count = datasets.count() if datasets is not None else 0
    if not count:
        raise not_found()
    data = organization_dict(opd, count)
    data["users"] = []
    data["extras"] = []
    data["tags"] = []
    data["groups"] = []
    if include:
        newest = with_details(with_modified(datasets).order_by("-modified", "slug"))
        data["packages"] = [package_dict(request, d) for d in newest[:ORGANIZATION_DATASETS]]
    return data


@action
def group_list(request: HttpRequest, params: Params) -> list[Any]:
    """The smart city pillars (all_fields, sort, limit, offset)."""
    all_fields = params.boolean("all_fields", False)
    offset, limit = _list_window(params, all_fields)
    counts = _public_pillars()
    items = [group_dict(p, counts.get(p.pk, 0)) for p in Pillar.objects.all()]
    items = _sort_listed(params, items)[offset : offset + limit]
    return items if all_fields else [item["name"] for item in items]


@action
def group_show(request: HttpRequest, params: Params) -> dict[str, Any]:
    """A smart city pillar by code; include_datasets adds its public datasets."""
    pillar = Pillar.objects.filter(code=params.required("id")).first()
    if pillar is None:
        raise not_found()
    include = params.boolean("include_datasets", False)
    datasets = public_packages().filter(pillar=pillar)
    data = group_dict(pillar, datasets.count())
    data["users"] = []
    data["extras"] = []
    if include:
        newest = with_details(with_modified(datasets).order_by("-modified", "slug"))
        data["packages"] = [package_dict(request, d) for d in newest[:ORGANIZATION_DATASETS]]
    return data


@action
def tag_list(request: HttpRequest, params: Params) -> list[Any]:
    """The tags of public datasets (query, all_fields)."""
    tags = Tag.objects.filter(
        pk__in=Dataset.tags.through.objects.filter(dataset_id__in=public_packages().values("pk"))
        .order_by()
        .values("tag_id")
    )
    query = params.text("query") or params.text("q")
    if query:
        tags = tags.filter(name__icontains=query)
    tags = tags.order_by("name")
    if params.boolean("all_fields", False):
        return [tag_dict(tag) for tag in tags]
    return list(tags.values_list("name", flat=True))


def _links(params: Params, resource_id: str, offset: int, limit: int) -> dict[str, str]:
    path = reverse("ckan:action", args=["datastore_search"])
    kept: dict[str, str] = {}
    for key in ("q", "filters", "sort", "fields", "include_total"):
        value = params.data.get(key)
        if value is None or value == "":
            continue
        kept[key] = value if isinstance(value, str) else json.dumps(value)
    if "limit" in params:
        kept["limit"] = str(limit)
    start = urlencode({"resource_id": resource_id, **kept})
    following = urlencode({"resource_id": resource_id, **kept, "offset": offset + limit})
    return {"start": f"{path}?{start}", "next": f"{path}?{following}"}


@action
def datastore_search(request: HttpRequest, params: Params) -> dict[str, Any]:
    """The rows of a published version: resource_id, filters, q, sort, fields, limit,
    offset, include_total."""
    resource_id = params.required("resource_id")
    version = find_resource(
        resource_id,
        _('Resource "%(id)s" was not found.') % {"id": resource_id},
    )
    filters = params.json("filters")
    if filters is not None and not isinstance(filters, dict):
        raise invalid("filters", _("Must be a JSON object"))
    q = params.data.get("q")
    if q is not None and not isinstance(q, str):
        raise invalid("q", _("Only a plain text search is supported"))
    limit = params.integer("limit", DATASTORE_LIMIT, maximum=DATASTORE_LIMIT_MAX)
    offset = params.integer("offset", 0)
    include_total = params.boolean("include_total", True)
    if params.text("records_format", "objects") != "objects":
        raise invalid("records_format", _("Only the objects format is supported"))
    if params.boolean("distinct", False):
        raise invalid("distinct", _("Not supported"))
    try:
        found = tabular.search(
            version.store_path,
            filters=filters or None,
            q=(q or "").strip() or None,
            sort=params.text("sort") or None,
            limit=limit,
            offset=offset,
            fields=params.names("fields"),
        )
    except tabular.SearchError as error:
        # Named by the column at fault; a problem with no column is one of the sort.
        raise invalid(error.field or "sort", _search_message(error)) from None
    except FileNotFoundError:
        # A published version always has its store; without one, CKAN's answer for a
        # resource that is not in the DataStore.
        raise not_found(_('Resource "%(id)s" was not found.') % {"id": resource_id}) from None
    result: dict[str, Any] = {
        "include_total": include_total,
        "resource_id": str(version.uuid),
        "fields": found.fields,
        "records_format": "objects",
        "records": found.records,
        "limit": limit,
        "offset": offset,
        "_links": _links(params, str(version.uuid), offset, limit),
    }
    if include_total:
        result["total"] = found.total
        result["total_was_estimated"] = False
    return result


def _search_message(error: tabular.SearchError) -> str:
    message = getattr(error, "message", None)
    return str(message if message is not None else error)


# ---------------------------------------------------------------------------------------------
# The view


def _help_url(request: HttpRequest, name: str) -> str:
    path = reverse("ckan:action", args=["help_show"])
    return request.build_absolute_uri(f"{path}?{urlencode({'name': name})}")


def _check_rate(request: HttpRequest) -> None:
    limit = ratelimit.limit_for("public_read")
    if not ratelimit.hit("ckan_read", ratelimit.client_address(request), limit):
        raise ActionError(
            429,
            {"__type": "Rate limit", "message": _("Too many requests; try again later.")},
        )


def _respond(payload: dict[str, Any], status: int = 200) -> HttpResponse:
    response = HttpResponse(
        json.dumps(payload, cls=DjangoJSONEncoder),
        status=status,
        content_type="application/json;charset=utf-8",
    )
    patch_vary_headers(response, ("Accept-Language",))
    # Public data, the same for everyone (no credentials are read): any web page may read it.
    response["Access-Control-Allow-Origin"] = "*"
    return response


# Read actions answer these; CKAN's Flask routes take GET and POST (HEAD comes with GET).
METHODS = {"GET", "HEAD", "POST"}


@csrf_exempt
def action_view(request: HttpRequest, name: str) -> HttpResponse:
    """/api/3/action/<name>: run a read action and answer in CKAN's envelope. The API is used
    by programs, not browsers with a session, so it takes no CSRF token; it changes nothing."""
    help_url = _help_url(request, name)
    try:
        if request.method not in METHODS:
            raise bad_request(
                _("Method %(method)s is not allowed; use GET or POST.") % {"method": request.method}
            )
        function = ACTIONS.get(name)
        if function is None:
            raise bad_request(_("Action name not known: %(name)s") % {"name": name})
        _check_rate(request)
        result = function(request, _request_params(request))
    except ActionError as error:
        response = _respond(
            {"help": help_url, "success": False, "error": error.error}, error.status
        )
        if error.status == 429:
            response["Retry-After"] = str(ratelimit.limit_for("public_read")[1])
        return response
    return _respond({"help": help_url, "success": True, "result": result})


@csrf_exempt
def unknown_path(request: HttpRequest) -> HttpResponse:
    """Any other path under /api/3/action/: CKAN's error shape rather than the site's page."""
    error = bad_request(_("Action name not known: %(name)s") % {"name": request.path})
    return _respond(
        {"help": _help_url(request, ""), "success": False, "error": error.error}, error.status
    )
