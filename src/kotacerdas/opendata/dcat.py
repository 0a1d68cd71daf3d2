"""The catalogue as DCAT-AP JSON-LD (``catalog_view``, served at /data/catalog.jsonld): what
harvesters of the national Satu Data portal and the European data portal read. Like the CKAN
API it holds only the public datasets with a published version (``rules.public_datasets``),
each published version a distribution, newest first."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from kotacerdas.core.context_processors import region_name
from kotacerdas.opendata import ckan
from kotacerdas.opendata.choices import Frequency
from kotacerdas.opendata.models import Dataset, Version

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
CONTENT_TYPE = "application/ld+json; charset=utf-8"

# The EU vocabulary of frequencies, which DCAT-AP asks for.
FREQUENCY_URI = "http://publications.europa.eu/resource/authority/frequency/"
FREQUENCIES = {
    Frequency.DAILY: "DAILY",
    Frequency.MONTHLY: "MONTHLY",
    Frequency.QUARTERLY: "QUARTERLY",
    Frequency.SEMIANNUAL: "ANNUAL_2",
    Frequency.ANNUAL: "ANNUAL",
    Frequency.IRREGULAR: "IRREG",
}


def _time(value: Any) -> dict[str, str] | None:
    if value is None:
        return None
    return {"@type": "xsd:dateTime", "@value": value.isoformat()}


def _publisher(dataset: Dataset) -> dict[str, Any]:
    opd = dataset.producer
    return {
        "@type": "foaf:Organization",
        "foaf:name": opd.name,
        "dct:identifier": opd.code,
    }


def _contact(dataset: Dataset) -> dict[str, Any]:
    contact: dict[str, Any] = {
        "@type": "vcard:Kind",
        "vcard:fn": dataset.contact_name or dataset.producer.name,
    }
    email = dataset.contact_email or dataset.producer.email
    if email:
        contact["vcard:hasEmail"] = {"@id": f"mailto:{email}"}
    return contact


def _temporal(dataset: Dataset) -> dict[str, Any] | None:
    start, end = dataset.period_start, dataset.period_end
    if not start and not end:
        return None
    return {
        "@type": "dct:PeriodOfTime",
        "dcat:startDate": {"@type": "xsd:date", "@value": f"{start or end}-01-01"},
        "dcat:endDate": {"@type": "xsd:date", "@value": f"{end or start}-12-31"},
    }


def _licence(dataset: Dataset) -> dict[str, Any]:
    licence: dict[str, Any] = {
        "@type": "dct:LicenseDocument",
        "dct:identifier": dataset.licence,
        "dct:title": dataset.get_licence_display(),
    }
    url = ckan.LICENCE_URLS.get(dataset.licence)
    if url:
        licence["@id"] = url
    return licence


def _distribution(request: HttpRequest, dataset: Dataset, version: Version) -> dict[str, Any]:
    url = request.build_absolute_uri(ckan.download_path(version))
    return {
        "@id": url,
        "@type": "dcat:Distribution",
        "dct:identifier": str(version.uuid),
        "dct:title": f"{dataset.title} (v{version.number})",
        "dct:description": version.note,
        "dcat:accessURL": {"@id": url},
        "dcat:downloadURL": {"@id": url},
        "dct:format": version.kind.upper(),
        "dcat:mediaType": ckan.MIMETYPES.get(version.kind),
        "dct:issued": _time(version.published_at),
        "dct:license": _licence(dataset),
    }


def dataset_node(request: HttpRequest, dataset: Dataset) -> dict[str, Any]:
    """One ``dcat:Dataset``; ``dataset`` comes from ``ckan.with_details``."""
    page = request.build_absolute_uri(ckan.dataset_page(dataset))
    node: dict[str, Any] = {
        "@id": page,
        "@type": "dcat:Dataset",
        "dct:identifier": str(dataset.uuid),
        "dct:title": dataset.title,
        "dct:description": dataset.description,
        "dcat:keyword": sorted(tag.name for tag in dataset.tags.all()),
        "dct:publisher": _publisher(dataset),
        "dct:accrualPeriodicity": {"@id": FREQUENCY_URI + FREQUENCIES[dataset.frequency]},
        "dct:spatial": {
            "@type": "dct:Location",
            "dct:identifier": dataset.coverage_id,
            "skos:prefLabel": dataset.coverage.name,
        },
        "dct:license": _licence(dataset),
        "dcat:contactPoint": _contact(dataset),
        "dct:issued": _time(dataset.created_at),
        "dct:modified": _time(ckan.modified_at(dataset)),
        "dcat:landingPage": {"@id": page},
        "dcat:distribution": [_distribution(request, dataset, v) for v in dataset.published],
    }
    temporal = _temporal(dataset)
    if temporal:
        node["dct:temporal"] = temporal
    # The smart city pillar, then the producer's own topic.
    themes = []
    if dataset.pillar:
        themes.append(
            {
                "@type": "skos:Concept",
                "skos:notation": dataset.pillar.code,
                "skos:prefLabel": dataset.pillar.name,
            }
        )
    if dataset.topic:
        themes.append({"@type": "skos:Concept", "skos:prefLabel": dataset.topic})
    if themes:
        node["dcat:theme"] = themes
    return node


def catalog(request: HttpRequest) -> dict[str, Any]:
    region = region_name(settings.KOTACERDAS_REGION)
    datasets = ckan.with_details(ckan.with_modified(ckan.public_packages()).order_by("slug"))
    nodes = [dataset_node(request, dataset) for dataset in datasets]
    modified = max((ckan.modified_at(dataset) for dataset in datasets), default=None)
    home = request.build_absolute_uri(reverse("opendata-portal:search"))
    return {
        "@context": CONTEXT,
        "@id": request.build_absolute_uri(request.path),
        "@type": "dcat:Catalog",
        "dct:title": ckan.site_title(),
        "dct:description": ckan.site_description(),
        "dct:publisher": {
            "@type": "foaf:Organization",
            "foaf:name": _("Government of %(region)s") % {"region": region},
        },
        "dct:language": {"@id": "http://publications.europa.eu/resource/authority/language/IND"},
        "foaf:homepage": {"@id": home},
        "dct:modified": _time(modified),
        "dcat:dataset": nodes,
    }


@require_safe
def catalog_view(request: HttpRequest) -> HttpResponse:
    """/data/catalog.jsonld: the public catalogue as DCAT-AP JSON-LD."""
    response = HttpResponse(
        json.dumps(catalog(request), cls=DjangoJSONEncoder, ensure_ascii=False),
        content_type=CONTENT_TYPE,
    )
    response["Access-Control-Allow-Origin"] = "*"
    patch_vary_headers(response, ("Cookie",))
    return response
