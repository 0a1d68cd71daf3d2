"""The DCAT-AP JSON-LD catalogue (``dcat.catalog_view``): its shape, and that it holds only the
public datasets with a published version, each published version a distribution. The view is
called directly: the portal mounts it at /data/catalog.jsonld."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import RequestFactory

from kotacerdas.opendata import dcat
from kotacerdas.opendata.tests.test_ckan import World, build_world


@pytest.fixture(autouse=True)
def _stores_in_tmp(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"


@pytest.fixture
def world(kediri, administrator) -> World:
    return build_world(administrator)


def fetch(method: str = "get") -> Any:
    request = getattr(RequestFactory(), method)("/data/catalog.jsonld")
    return dcat.catalog_view(request)


def catalogue() -> dict[str, Any]:
    response = fetch()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    return json.loads(response.content)


def by_identifier(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {node["dct:identifier"]: node for node in data["dcat:dataset"]}


def test_catalogue_is_a_dcat_catalog(world):
    data = catalogue()
    assert data["@context"]["dcat"] == "http://www.w3.org/ns/dcat#"
    assert data["@context"]["dct"] == "http://purl.org/dc/terms/"
    assert data["@context"]["foaf"] == "http://xmlns.com/foaf/0.1/"
    assert data["@context"]["vcard"] == "http://www.w3.org/2006/vcard/ns#"
    assert data["@type"] == "dcat:Catalog"
    assert data["@id"] == "http://testserver/data/catalog.jsonld"
    assert data["dct:title"] == "Satu Data Kota Kediri"
    assert data["dct:publisher"]["@type"] == "foaf:Organization"
    assert "Kota Kediri" in data["dct:publisher"]["foaf:name"]
    assert data["dct:modified"]["@value"].startswith("2025-05-01T08:00:00")


def test_catalogue_lists_only_public_published_datasets(world):
    data = catalogue()
    assert sorted(by_identifier(data)) == sorted(
        str(d.uuid) for d in (world.poverty, world.population, world.index)
    )
    text = json.dumps(data)
    for secret in world.secrets:
        assert secret not in text, secret


def test_dataset_node_describes_the_dataset(world):
    node = by_identifier(catalogue())[str(world.poverty.uuid)]
    assert node["@type"] == "dcat:Dataset"
    assert node["@id"] == "http://testserver/data/dataset/kemiskinan-kediri/"
    assert node["dct:title"] == "Angka kemiskinan Kota Kediri"
    assert node["dct:description"] == "Persentase penduduk miskin per kecamatan."
    assert node["dcat:keyword"] == ["kemiskinan", "sosial"]
    assert node["dct:publisher"] == {
        "@type": "foaf:Organization",
        "foaf:name": "Badan Perencanaan Pembangunan Daerah",
        "dct:identifier": "bappeda",
    }
    assert node["dct:accrualPeriodicity"] == {
        "@id": "http://publications.europa.eu/resource/authority/frequency/ANNUAL"
    }
    assert node["dct:temporal"]["dcat:startDate"]["@value"] == "2022-01-01"
    assert node["dct:temporal"]["dcat:endDate"]["@value"] == "2023-12-31"
    assert node["dct:spatial"]["dct:identifier"] == "35.71"
    assert node["dct:spatial"]["skos:prefLabel"] == "Kota Kediri"
    assert node["dct:license"]["@id"] == "https://creativecommons.org/licenses/by/4.0/"
    assert node["dcat:contactPoint"] == {
        "@type": "vcard:Kind",
        "vcard:fn": "Sri Wahyuni",
        "vcard:hasEmail": {"@id": "mailto:data@bappeda.kedirikota.go.id"},
    }
    assert node["dct:modified"]["@value"].startswith("2025-03-01T08:00:00")
    assert node["dcat:theme"][0]["skos:notation"] == "economy"
    assert node["dcat:theme"][1]["skos:prefLabel"] == "Kesejahteraan"


def test_distributions_are_the_published_versions_newest_first(world):
    node = by_identifier(catalogue())[str(world.poverty.uuid)]
    distributions = node["dcat:distribution"]
    assert [d["dct:identifier"] for d in distributions] == [str(world.v2.uuid), str(world.v1.uuid)]
    newest = distributions[0]
    assert newest["@type"] == "dcat:Distribution"
    assert newest["dcat:downloadURL"]["@id"] == f"http://testserver/data/unduh/{world.v2.uuid}/"
    assert newest["dct:format"] == "CSV"
    assert newest["dcat:mediaType"] == "text/csv"
    assert newest["dct:issued"]["@value"].startswith("2025-03-01T08:00:00")


def test_dataset_without_period_or_contact_falls_back(world):
    node = by_identifier(catalogue())[str(world.population.uuid)]
    assert "dct:temporal" not in node
    assert node["dcat:contactPoint"]["vcard:fn"] == "Dinas Kependudukan dan Pencatatan Sipil"
    assert node["dct:license"]["@id"] == "https://creativecommons.org/publicdomain/zero/1.0/"
    assert node["dct:accrualPeriodicity"]["@id"].endswith("/ANNUAL_2")


def test_empty_catalogue(kediri):
    data = catalogue()
    assert data["dcat:dataset"] == []
    assert data["dct:modified"] is None


def test_catalogue_only_answers_get_and_head(db):
    assert fetch("post").status_code == 405
    assert fetch("head").status_code == 200


def test_catalogue_is_served_at_data_catalog_jsonld(citizen, world):
    response = citizen.get("/data/catalog.jsonld")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    served = json.loads(response.content)
    assert served["@type"] == "dcat:Catalog"
    assert len(served["dcat:dataset"]) == 3


def test_catalogue_reads_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        catalogue()
