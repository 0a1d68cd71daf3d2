"""The read side of the core API: regions, pillars and OPDs, with pagination and filters."""

import pytest

pytestmark = pytest.mark.django_db


def test_regions_filtered_by_parent_and_level(citizen):
    response = citizen.get("/api/v1/regions", {"parent": "35.71.02", "level": "village"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 17
    assert {item["parent"] for item in body["items"]} == {"35.71.02"}
    assert body["items"][0] == {
        "code": "35.71.02.1001",
        "name": "Semampir",
        "level": "village",
        "parent": "35.71.02",
        "population": None,
        "area_km2": None,
    }


def test_regions_search_by_name(citizen):
    body = citizen.get("/api/v1/regions", {"q": "kediri", "level": "regency"}).json()
    assert [item["name"] for item in body["items"]] == ["Kabupaten Kediri", "Kota Kediri"]


def test_regions_are_paginated_with_a_consistent_envelope(citizen):
    first = citizen.get("/api/v1/regions", {"parent": "35.71.01", "limit": 5}).json()
    second = citizen.get("/api/v1/regions", {"parent": "35.71.01", "limit": 5, "offset": 5}).json()
    assert (first["count"], first["limit"], first["offset"]) == (14, 5, 0)
    assert len(first["items"]) == 5 and second["offset"] == 5
    assert not {i["code"] for i in first["items"]} & {i["code"] for i in second["items"]}


def test_one_region_with_population_and_area(citizen):
    body = citizen.get("/api/v1/regions/35.71").json()
    assert body["name"] == "Kota Kediri"
    assert body["population"] == 301_424
    assert float(body["area_km2"]) == 67.232


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"limit": "abc"}, "limit"),
        ({"limit": 0}, "limit"),
        ({"limit": 100_000}, "limit"),
        ({"offset": -1}, "offset"),
        ({"level": "planet"}, "level"),
        ({"parent": "99.99"}, "parent"),
    ],
)
def test_malformed_region_queries_name_the_field(citizen, query, field):
    response = citizen.get("/api/v1/regions", query)
    assert response.status_code == 422
    body = response.json()
    assert body["message"]
    assert [error["field"] for error in body["errors"]] == [field]


def test_unknown_region_code_is_404_and_malformed_code_is_422(citizen):
    missing = citizen.get("/api/v1/regions/35.99")
    assert missing.status_code == 404
    assert missing.json()["message"] == "No such record."
    malformed = citizen.get("/api/v1/regions/kediri")
    assert malformed.status_code == 422
    assert malformed.json()["errors"][0]["field"] == "code"


def test_pillars_list_and_detail(citizen):
    pillars = citizen.get("/api/v1/pillars").json()
    assert [p["code"] for p in pillars] == [
        "governance",
        "branding",
        "economy",
        "living",
        "society",
        "environment",
    ]
    assert citizen.get("/api/v1/pillars/economy").json()["name_en"] == "Smart Economy"
    assert citizen.get("/api/v1/pillars/weather").status_code == 404


def test_opds_list_filters_and_detail(citizen, dinsos, dinkes):
    body = citizen.get("/api/v1/opds", {"q": "sosial"}).json()
    assert [item["code"] for item in body["items"]] == ["dinsos"]
    assert citizen.get("/api/v1/opds", {"kind": "kelurahan"}).json()["count"] == 0
    assert citizen.get("/api/v1/opds/dinkes").json()["name"] == "Dinas Kesehatan"
    assert citizen.get("/api/v1/opds/nothing").status_code == 404


def test_openapi_document_builds_and_lists_the_endpoints(citizen):
    response = citizen.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/v1/regions",
        "/api/v1/regions/{code}",
        "/api/v1/pillars",
        "/api/v1/opds",
        "/api/v1/opds/{code}",
        "/api/v1/me",
    ):
        assert path in paths
    assert "patch" in paths["/api/v1/opds/{code}"]
    assert citizen.get("/api/v1/docs").status_code == 200
