"""The masterplan JSON API at /api/v1/masterplan/: reads for the staff, writes through the
domain functions with their permission and validation rules, and the report workflow."""

import datetime
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.test import Client

from kotacerdas.core.models import Pillar, User
from kotacerdas.core.tokens import issue_token
from kotacerdas.masterplan.choices import ReportStatus
from kotacerdas.masterplan.models import (
    ActionActivity,
    Budget,
    KpiActual,
    Meeting,
    Partner,
    Programme,
    ProgressReport,
    Revision,
)

pytestmark = pytest.mark.django_db

API = "/api/v1/masterplan"
JSON = "application/json"


def put(client: Client, url: str, body: dict):
    return client.put(f"{API}{url}", body, content_type=JSON)


def post(client: Client, url: str, body: dict | None = None):
    if body is None:  # no body at all, as `curl -X POST` sends
        return client.generic("POST", f"{API}{url}")
    return client.post(f"{API}{url}", body, content_type=JSON)


def fields(response) -> list[str]:
    return [error["field"] for error in response.json()["errors"]]


@pytest.fixture
def dinkes_programme(masterplan, dinkes) -> Programme:
    """A planned quick win of Dinas Kesehatan, for the Smart Economy pillar, from 2027."""
    programme = Programme.objects.create(
        masterplan=masterplan,
        code="sehat-digital",
        name="Sehat Digital",
        description="Antrean puskesmas daring",
        owner=dinkes,
        kind="digital",
        is_quick_win=True,
        start_year=2027,
        status="planned",
    )
    programme.pillars.set([Pillar.objects.get(code="economy")])
    return programme


@pytest.fixture
def ended_programme(masterplan, dinsos) -> Programme:
    programme = Programme.objects.create(
        masterplan=masterplan,
        code="pasar-online",
        name="Pasar Online",
        owner=dinsos,
        kind="digital",
        start_year=2021,
        end_year=2023,
        status="stopped",
    )
    programme.pillars.set([Pillar.objects.get(code="economy")])
    return programme


# Access


@pytest.mark.parametrize(
    "url",
    [
        "/masterplans",
        "/programmes",
        "/programmes/kartu-sahabat",
        "/reports",
        "/reports/overdue",
        "/action-activities",
        "/meetings",
    ],
)
def test_anonymous_visitors_get_401(citizen, programme, url):
    response = citizen.get(f"{API}{url}")
    assert response.status_code == 401
    assert "Bearer" in response.json()["message"]


def test_anonymous_writes_get_401(citizen, programme, kpi):
    assert (
        citizen.patch(
            f"{API}/programmes/kartu-sahabat", {"name": "x"}, content_type=JSON
        ).status_code
        == 401
    )
    assert put(citizen, f"/kpis/{kpi.pk}/targets/2026", {"value": 1}).status_code == 401
    assert (
        post(citizen, "/reports", {"opd": "dinsos", "year": 2026, "period": "Q3"}).status_code
        == 401
    )


def test_a_machine_client_writes_with_a_token_and_the_trail_names_the_officer(dinsos_officer, kpi):
    client = Client(enforce_csrf_checks=True)
    secret = issue_token(dinsos_officer, "spreadsheet sync").secret
    response = client.put(
        f"{API}/kpis/{kpi.pk}/actuals/2026/Q1",
        {"value": 80},
        content_type=JSON,
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 200, response.json()
    actual = KpiActual.objects.get(kpi=kpi, period="Q1")
    assert LogEntry.objects.get_for_object(actual).get().actor == dinsos_officer


def test_an_account_without_a_role_gets_403(client_for, programme):
    nobody = User.objects.create_user(username="nobody", password=None)
    response = client_for(nobody).get(f"{API}/programmes")
    assert response.status_code == 403
    assert response.json()["message"]


# Masterplans


def test_masterplans_list_and_detail_with_revisions(client_for, assessor, masterplan):
    Revision.objects.create(
        masterplan=masterplan,
        date=datetime.date(2024, 8, 1),
        title="Reviu 2024",
        legal_basis="Perwali 5/2024",
        changes="Dua program baru",
    )
    client = client_for(assessor)
    listed = client.get(f"{API}/masterplans").json()
    assert [(m["id"], m["region"], m["start_year"], m["end_year"]) for m in listed] == [
        (masterplan.pk, "35.71", 2020, 2029)
    ]
    detail = client.get(f"{API}/masterplans/{masterplan.pk}").json()
    assert detail["revisions"] == [
        {
            "date": "2024-08-01",
            "title": "Reviu 2024",
            "legal_basis": "Perwali 5/2024",
            "changes": "Dua program baru",
        }
    ]
    assert client.get(f"{API}/masterplans/{masterplan.pk + 1}").status_code == 404


# Programmes: reading


def test_programmes_are_filtered(
    client_for, executive, programme, dinkes_programme, ended_programme
):
    client = client_for(executive)

    def codes(**query) -> list[str]:
        response = client.get(f"{API}/programmes", query)
        assert response.status_code == 200, response.json()
        return [item["code"] for item in response.json()["items"]]

    assert codes() == ["kartu-sahabat", "pasar-online", "sehat-digital"]
    assert codes(pillar="economy") == ["pasar-online", "sehat-digital"]
    assert codes(owner="dinkes") == ["sehat-digital"]
    assert codes(status="running") == ["kartu-sahabat"]
    assert codes(quick_win="true") == ["sehat-digital"]
    assert codes(quick_win="false") == ["kartu-sahabat", "pasar-online"]
    assert codes(year=2022) == ["kartu-sahabat", "pasar-online"]
    assert codes(year=2027) == ["kartu-sahabat", "sehat-digital"]
    assert codes(q="puskesmas") == ["sehat-digital"]
    assert codes(q="SAHABAT") == ["kartu-sahabat"]
    assert codes(pillar="economy", owner="dinsos", year=2022) == ["pasar-online"]


def test_programmes_are_paginated(
    client_for, assessor, programme, dinkes_programme, ended_programme
):
    client = client_for(assessor)
    first = client.get(f"{API}/programmes", {"limit": 2}).json()
    second = client.get(f"{API}/programmes", {"limit": 2, "offset": 2}).json()
    assert (first["count"], first["limit"], first["offset"]) == (3, 2, 0)
    assert [p["code"] for p in first["items"] + second["items"]] == [
        "kartu-sahabat",
        "pasar-online",
        "sehat-digital",
    ]
    assert first["items"][0] == {
        "code": "kartu-sahabat",
        "name": "Kartu Sahabat",
        "masterplan": programme.masterplan_id,
        "pillars": ["society"],
        "owner": "dinsos",
        "kind": "digital",
        "is_quick_win": False,
        "start_year": 2021,
        "end_year": None,
        "status": "running",
        "updated_at": first["items"][0]["updated_at"],
    }


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"pillar": "weather"}, "pillar"),
        ({"owner": "no-such-opd"}, "owner"),
        ({"status": "finished"}, "status"),
        ({"quick_win": "perhaps"}, "quick_win"),
        ({"year": "next"}, "year"),
        ({"limit": 0}, "limit"),
    ],
)
def test_unknown_programme_filter_values_are_422_naming_the_field(
    client_for, assessor, programme, query, field
):
    response = client_for(assessor).get(f"{API}/programmes", query)
    assert response.status_code == 422
    assert fields(response) == [field]


def test_programme_detail_shape(client_for, assessor, administrator, programme, kpi, dinkes, q3):
    programme.partner_opds.set([dinkes])
    Partner.objects.create(programme=programme, name="Universitas Brawijaya", role="academia")
    KpiActual.objects.create(kpi=kpi, year=2025, period="Y", value=Decimal("90.5"), note="BPS")
    report = ProgressReport.objects.create(opd=programme.owner, year=2026, period="Q3")
    KpiActual.objects.create(kpi=kpi, year=2026, period="Q3", value=Decimal(88), report=report)

    response = client_for(assessor).get(f"{API}/programmes/kartu-sahabat")
    assert response.status_code == 200
    body = response.json()
    assert body["pillars"] == ["society"]
    assert body["owner"] == "dinsos"
    assert body["partner_opds"] == ["dinkes"]
    assert body["partners"] == [{"name": "Universitas Brawijaya", "role": "academia"}]
    # Money is whole rupiah, as JSON integers.
    assert body["budgets"] == [
        {"year": 2026, "source": "apbd", "planned": 1_000_000_000, "realised": None}
    ]
    # KPI numbers are decimal strings; each actual names its source.
    assert body["kpis"] == [
        {
            "id": kpi.pk,
            "name": "Penerima terverifikasi NIK",
            "unit": "%",
            "direction": "higher",
            "baseline": "78.00",
            "baseline_year": 2020,
            "green_from": "100.0",
            "amber_from": "90.0",
            "targets": [{"year": 2026, "value": "95.00"}],
            "actuals": [
                {
                    "year": 2025,
                    "period": "Y",
                    "value": "90.50",
                    "note": "BPS",
                    "source": "direct",
                    "report": None,
                },
                {
                    "year": 2026,
                    "period": "Q3",
                    "value": "88.00",
                    "note": "",
                    "source": "report",
                    "report": {"id": report.pk, "status": "draft"},
                },
            ],
        }
    ]
    for key in ("description", "target_users", "delivered_by", "is_demo", "updated_at"):
        assert key in body


def test_unknown_programme_and_kpi_are_404(client_for, administrator, programme, kpi):
    client = client_for(administrator)
    assert client.get(f"{API}/programmes/no-such-programme").status_code == 404
    assert (
        client.patch(
            f"{API}/programmes/no-such-programme", {"name": "x"}, content_type=JSON
        ).status_code
        == 404
    )
    missing = put(client, "/programmes/no-such-programme/budgets/2026/apbd", {"planned": 1})
    assert missing.status_code == 404
    assert missing.json() == {"message": "No such record.", "errors": []}
    assert put(client, f"/kpis/{kpi.pk + 999}/targets/2026", {"value": 1}).status_code == 404


# Programmes: changing


def test_an_officer_changes_their_own_programme_only(
    client_for, dinsos_officer, programme, dinkes_programme
):
    client = client_for(dinsos_officer)
    response = client.patch(
        f"{API}/programmes/kartu-sahabat",
        {"status": "paused", "end_year": 2028, "target_users": "Keluarga penerima manfaat"},
        content_type=JSON,
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["end_year"]) == ("paused", 2028)
    programme.refresh_from_db()
    assert programme.status == "paused" and programme.name == "Kartu Sahabat"

    refused = client.patch(
        f"{API}/programmes/sehat-digital", {"status": "running"}, content_type=JSON
    )
    assert refused.status_code == 403
    dinkes_programme.refresh_from_db()
    assert dinkes_programme.status == "planned"


def test_assessors_and_executives_cannot_change_programmes(
    client_for, assessor, executive, programme
):
    for user in (assessor, executive):
        response = client_for(user).patch(
            f"{API}/programmes/kartu-sahabat", {"status": "stopped"}, content_type=JSON
        )
        assert response.status_code == 403


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"start_year": 2019}, "start_year"),
        ({"end_year": 2031}, "end_year"),
        ({"end_year": 2020}, "end_year"),
        ({"start_year": None}, "start_year"),
        ({"name": ""}, "name"),
        ({"status": "finished"}, "status"),
        ({"owner": "dinkes"}, "owner"),
        ({"code": "renamed"}, "code"),
    ],
)
def test_invalid_programme_changes_are_422_naming_the_field(
    client_for, administrator, programme, change, field
):
    response = client_for(administrator).patch(
        f"{API}/programmes/kartu-sahabat", change, content_type=JSON
    )
    assert response.status_code == 422
    assert fields(response) == [field]
    programme.refresh_from_db()
    assert (programme.start_year, programme.end_year, programme.code) == (
        2021,
        None,
        "kartu-sahabat",
    )


def test_budgets_are_set_and_removed(client_for, dinsos_officer, administrator, programme):
    client = client_for(dinsos_officer)
    response = put(
        client, "/programmes/kartu-sahabat/budgets/2026/non_apbd", {"planned": 50_000_000}
    )
    assert response.status_code == 200, response.json()
    assert response.json() == {
        "year": 2026,
        "source": "non_apbd",
        "planned": 50_000_000,
        "realised": None,
    }
    # An OPD reports its realisation through the quarterly report; only an administrator
    # corrects it directly.
    body = {"planned": 1_000_000_000, "realised": 400_000_000}
    refused = put(client, "/programmes/kartu-sahabat/budgets/2026/apbd", body)
    assert refused.status_code == 403
    response = put(client_for(administrator), "/programmes/kartu-sahabat/budgets/2026/apbd", body)
    assert response.json()["realised"] == 400_000_000
    assert (
        put(
            client, "/programmes/kartu-sahabat/budgets/2026/non_apbd", {"planned": None}
        ).status_code
        == 204
    )
    assert list(Budget.objects.values_list("source", "realised")) == [("apbd", 400_000_000)]


@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        ("/budgets/2031/apbd", {"planned": 1_000}, "year"),
        ("/budgets/2019/apbd", {"planned": 1_000}, "year"),
        ("/budgets/2026/apbd", {"planned": -1}, "planned"),
        ("/budgets/2026/apbd", {"planned": 1_000, "realised": -5}, "realised"),
        ("/budgets/2026/non_apbd", {"planned": None, "realised": 5_000_000}, "realised"),
        ("/budgets/2026/apbd", {"planned": 1.5}, "planned"),
        ("/budgets/2026/apbd", {"planned": "1000"}, "planned"),
        ("/budgets/2026/apbd", {"realised": 1}, "planned"),
        ("/budgets/2026/apbd", {"planned": 1, "spent": 1}, "spent"),
        ("/budgets/2026/grant", {"planned": 1_000}, "source"),
    ],
)
def test_invalid_budgets_are_422_naming_the_field(
    client_for, administrator, programme, url, body, field
):
    response = put(client_for(administrator), f"/programmes/kartu-sahabat{url}", body)
    assert response.status_code == 422
    assert fields(response) == [field]
    assert list(Budget.objects.values_list("year", "source", "planned", "realised")) == [
        (2026, "apbd", 1_000_000_000, None)
    ]


def test_another_opd_cannot_set_a_budget(client_for, dinkes_officer, programme):
    response = put(
        client_for(dinkes_officer), "/programmes/kartu-sahabat/budgets/2026/apbd", {"planned": 1}
    )
    assert response.status_code == 403


def test_kpi_targets_and_direct_actuals(client_for, dinsos_officer, dinkes_officer, kpi):
    client = client_for(dinsos_officer)
    target = put(client, f"/kpis/{kpi.pk}/targets/2027", {"value": 97.5})
    assert target.status_code == 200, target.json()
    assert target.json() == {"year": 2027, "value": "97.50"}
    actual = put(client, f"/kpis/{kpi.pk}/actuals/2026/Q2", {"value": "81.25", "note": "Dukcapil"})
    assert actual.status_code == 200, actual.json()
    assert actual.json() == {
        "year": 2026,
        "period": "Q2",
        "value": "81.25",
        "note": "Dukcapil",
        "source": "direct",
        "report": None,
    }
    assert KpiActual.objects.get(kpi=kpi, period="Q2").value == Decimal("81.25")
    assert (
        put(client_for(dinkes_officer), f"/kpis/{kpi.pk}/targets/2027", {"value": 1}).status_code
        == 403
    )


@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        ("/targets/2035", {"value": 90}, "year"),
        ("/targets/2026", {"value": "banyak"}, "value"),
        ("/actuals/2026/Q3", {"value": "sembilan puluh"}, "value"),
        ("/actuals/2026/Q3", {"value": None}, "value"),
        ("/actuals/2026/Q3", {"value": "NaN"}, "value"),
        ("/actuals/2026/Q3", {"value": "88.125"}, "value"),
        ("/actuals/2026/Q3", {}, "value"),
        ("/actuals/2026/Q5", {"value": 88}, "period"),
        ("/actuals/2018/Q3", {"value": 88}, "year"),
    ],
)
def test_invalid_kpi_values_are_422_naming_the_field(
    client_for, administrator, kpi, url, body, field
):
    response = put(client_for(administrator), f"/kpis/{kpi.pk}{url}", body)
    assert response.status_code == 422
    assert fields(response) == [field]
    assert not KpiActual.objects.exists()


# Progress reports


def start(client: Client, period: str = "Q3"):
    return post(client, "/reports", {"opd": "dinsos", "year": 2026, "period": period})


def lines(programme, kpi, value=88.5, realised=250_000_000) -> dict:
    return {
        "narrative": "Triwulan berjalan baik",
        "lines": [
            {
                "programme": programme.code,
                "narrative": "Kartu dibagikan di 46 kelurahan",
                "realised_apbd": realised,
                "kpi_values": {str(kpi.pk): value},
            }
        ],
    }


def test_the_report_workflow_through_the_api(
    client_for, dinsos_officer, administrator, programme, kpi, q3
):
    officer, reviewer = client_for(dinsos_officer), client_for(administrator)

    created = start(officer)
    assert created.status_code == 201, created.json()
    report = created.json()
    assert (report["opd"], report["year"], report["period"], report["status"]) == (
        "dinsos",
        2026,
        "Q3",
        "draft",
    )
    assert (report["lines"], report["actuals"]) == ([], [])
    url = f"/reports/{report['id']}"
    # Starting it again answers the same report.
    again = start(officer)
    assert (again.status_code, again.json()["id"]) == (200, report["id"])

    saved = put(officer, url, lines(programme, kpi))
    assert saved.status_code == 200, saved.json()
    assert saved.json()["narrative"] == "Triwulan berjalan baik"
    assert saved.json()["lines"] == [
        {
            "programme": "kartu-sahabat",
            "narrative": "Kartu dibagikan di 46 kelurahan",
            "realised_apbd": 250_000_000,
            "realised_non_apbd": None,
        }
    ]
    assert saved.json()["actuals"] == [
        {"kpi": kpi.pk, "programme": "kartu-sahabat", "value": "88.50"}
    ]

    submitted = post(officer, f"{url}/submit")
    assert submitted.status_code == 200, submitted.json()
    assert submitted.json()["status"] == "submitted"
    assert submitted.json()["submitted_by"] == "officer-dinsos"
    # Submitted, it is out of the officer's hands until reviewed.
    assert put(officer, url, lines(programme, kpi)).status_code == 403
    assert post(officer, f"{url}/approve", {}).status_code == 403

    # Returning needs a comment.
    no_comment = post(reviewer, f"{url}/return", {"comment": "  "})
    assert (no_comment.status_code, fields(no_comment)) == (422, ["comment"])
    returned = post(reviewer, f"{url}/return", {"comment": "Lampirkan bukti penyaluran"})
    assert returned.status_code == 200, returned.json()
    assert returned.json()["status"] == "returned"
    assert returned.json()["review_comment"] == "Lampirkan bukti penyaluran"
    assert returned.json()["reviewed_by"] == "admin-diskominfo"

    assert put(officer, url, lines(programme, kpi, value=90)).status_code == 200
    assert post(officer, f"{url}/submit").json()["status"] == "submitted"
    # An approval with no body at all is fine: the comment is optional.
    approved = post(reviewer, f"{url}/approve")
    assert approved.status_code == 200, approved.json()
    assert approved.json()["status"] == "approved"

    # The report's figures are now the programme's: the actual names the report as its source.
    detail = officer.get(f"{API}/programmes/kartu-sahabat").json()
    assert detail["budgets"][0]["realised"] == 250_000_000
    assert detail["kpis"][0]["actuals"] == [
        {
            "year": 2026,
            "period": "Q3",
            "value": "90.00",
            "note": "",
            "source": "report",
            "report": {"id": report["id"], "status": "approved"},
        }
    ]
    # Approving twice is refused.
    assert post(reviewer, f"{url}/approve", {"comment": "lagi"}).status_code == 422


def test_starting_a_report_is_checked(client_for, dinsos_officer, dinkes_officer, programme, q3):
    refused = post(
        client_for(dinkes_officer), "/reports", {"opd": "dinsos", "year": 2026, "period": "Q3"}
    )
    assert refused.status_code == 403
    officer = client_for(dinsos_officer)
    unopened = start(officer, period="Q1")
    assert (unopened.status_code, fields(unopened)) == (422, ["period"])
    unknown = post(officer, "/reports", {"opd": "dishub", "year": 2026, "period": "Q3"})
    assert (unknown.status_code, fields(unknown)) == (422, ["opd"])
    malformed = post(officer, "/reports", {"opd": "dinsos", "year": 2026, "period": "Q7"})
    assert (malformed.status_code, fields(malformed)) == (422, ["period"])
    assert not ProgressReport.objects.exists()


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ({"programme": "no-such-programme"}, "lines.0.programme"),
        (
            {"programme": "kartu-sahabat", "realised_non_apbd": 5_000_000},
            "kartu-sahabat.realised_non_apbd",
        ),
        ({"programme": "kartu-sahabat", "realised_apbd": -1}, "kartu-sahabat.realised_apbd"),
        ({"programme": "kartu-sahabat", "realised_apbd": 2.5}, "lines.0.realised_apbd"),
        ({"programme": "kartu-sahabat", "kpi_values": {"KPI": 1}}, "lines.0.kpi_values.KPI.[key]"),
        ({"programme": "sehat-digital"}, "sehat-digital.programme"),
    ],
)
def test_invalid_report_lines_are_422_naming_the_field(
    client_for, dinsos_officer, programme, dinkes_programme, kpi, q3, line, field
):
    client = client_for(dinsos_officer)
    url = f"/reports/{start(client).json()['id']}"
    response = put(client, url, {"narrative": "x", "lines": [line]})
    assert response.status_code == 422
    assert fields(response) == [field]
    report = ProgressReport.objects.get()
    assert report.narrative == "" and not report.lines.exists()


def test_a_non_numeric_kpi_value_in_a_report_is_422(client_for, dinsos_officer, programme, kpi, q3):
    client = client_for(dinsos_officer)
    url = f"/reports/{start(client).json()['id']}"
    response = put(client, url, lines(programme, kpi, value="hampir semua"))
    assert response.status_code == 422
    assert fields(response) == [f"lines.0.kpi_values.{kpi.pk}"]
    foreign = put(
        client, url, {"lines": [{"programme": "kartu-sahabat", "kpi_values": {"999999": 1}}]}
    )
    assert (foreign.status_code, fields(foreign)) == (422, ["kartu-sahabat.kpi.999999"])
    assert not KpiActual.objects.exists()


def test_a_programme_twice_in_one_report_is_422(client_for, dinsos_officer, programme, kpi, q3):
    client = client_for(dinsos_officer)
    url = f"/reports/{start(client).json()['id']}"
    body = {"lines": [{"programme": "kartu-sahabat"}, {"programme": "kartu-sahabat"}]}
    response = put(client, url, body)
    assert (response.status_code, fields(response)) == (422, ["lines.1.programme"])


def test_another_opd_neither_sees_nor_submits_the_report(
    client_for,
    dinsos_officer,
    dinkes_officer,
    assessor,
    executive,
    administrator,
    programme,
    kpi,
    q3,
):
    """Another OPD's report answers 404, exactly like a report that does not exist: the list
    leaves it out, so the detail and the actions do too, and a report id reveals nothing about
    which OPDs have reported."""
    officer = client_for(dinsos_officer)
    report_id = start(officer).json()["id"]
    put(officer, f"/reports/{report_id}", lines(programme, kpi))

    other = client_for(dinkes_officer)
    assert other.get(f"{API}/reports").json()["count"] == 0
    assert other.get(f"{API}/reports", {"opd": "dinsos"}).json()["items"] == []
    hidden = other.get(f"{API}/reports/{report_id}")
    assert hidden.status_code == 404
    assert hidden.json() == other.get(f"{API}/reports/{report_id + 999}").json()
    assert post(other, f"/reports/{report_id}/submit").status_code == 404
    assert put(other, f"/reports/{report_id}", {"narrative": "diubah"}).status_code == 404
    report = ProgressReport.objects.get()
    assert (report.status, report.narrative) == (ReportStatus.DRAFT, "Triwulan berjalan baik")

    # The OPD itself, Diskominfo, the assessors and the executives all see it.
    for user in (dinsos_officer, administrator, assessor, executive):
        client = client_for(user)
        assert [r["id"] for r in client.get(f"{API}/reports").json()["items"]] == [report_id]
        assert client.get(f"{API}/reports/{report_id}").status_code == 200
    # Seeing is not reviewing: an assessor may not submit or approve it.
    assert post(client_for(assessor), f"/reports/{report_id}/submit").status_code == 403


def test_reports_are_filtered(client_for, administrator, dinsos_officer, programme, q3, dinkes):
    ProgressReport.objects.create(opd=programme.owner, year=2026, period="Q3", status="submitted")
    ProgressReport.objects.create(opd=programme.owner, year=2026, period="Q2", status="approved")
    ProgressReport.objects.create(opd=dinkes, year=2025, period="Y")
    client = client_for(administrator)

    def found(**query) -> list[tuple]:
        response = client.get(f"{API}/reports", query)
        assert response.status_code == 200, response.json()
        return [(r["opd"], r["year"], r["period"]) for r in response.json()["items"]]

    assert found() == [("dinsos", 2026, "Q3"), ("dinsos", 2026, "Q2"), ("dinkes", 2025, "Y")]
    assert found(opd="dinkes") == [("dinkes", 2025, "Y")]
    assert found(year=2026, period="Q2") == [("dinsos", 2026, "Q2")]
    assert found(status="submitted") == [("dinsos", 2026, "Q3")]
    assert client.get(f"{API}/reports", {"limit": 1, "offset": 1}).json()["count"] == 3
    for query, field in (
        ({"opd": "dishub"}, "opd"),
        ({"period": "Q9"}, "period"),
        ({"status": "lost"}, "status"),
    ):
        response = client.get(f"{API}/reports", query)
        assert (response.status_code, fields(response)) == (422, [field])
    assert client.get(f"{API}/reports/999999").status_code == 404


def test_an_approved_report_is_frozen_except_for_administrators_with_a_reason(
    client_for, dinsos_officer, administrator, programme, kpi, q3
):
    officer, reviewer = client_for(dinsos_officer), client_for(administrator)
    url = f"/reports/{start(officer).json()['id']}"
    put(officer, url, lines(programme, kpi))
    post(officer, f"{url}/submit")
    assert post(reviewer, f"{url}/approve", {"comment": "Lengkap"}).json()["review_comment"] == (
        "Lengkap"
    )

    frozen = put(officer, url, lines(programme, kpi, realised=1))
    assert frozen.status_code == 403
    no_reason = put(reviewer, url, lines(programme, kpi, realised=300_000_000))
    assert (no_reason.status_code, fields(no_reason)) == (422, ["reason"])
    assert Budget.objects.get(programme=programme, year=2026).realised == 250_000_000

    corrected = put(
        reviewer, url, {**lines(programme, kpi, realised=300_000_000), "reason": "Salah ketik"}
    )
    assert corrected.status_code == 200, corrected.json()
    assert Budget.objects.get(programme=programme, year=2026).realised == 300_000_000


def test_overdue_reports(
    client_for, administrator, dinsos_officer, dinkes_officer, programme, kpi, q3
):
    on = {"on": "2026-10-20"}
    expected = [
        {
            "opd": "dinsos",
            "opd_name": "Dinas Sosial",
            "year": 2026,
            "period": "Q3",
            "due_date": "2026-10-15",
            "days_late": 5,
        }
    ]
    assert client_for(administrator).get(f"{API}/reports/overdue", on).json() == expected
    assert client_for(dinsos_officer).get(f"{API}/reports/overdue", on).json() == expected
    # Another OPD's lateness is not an officer's business.
    assert client_for(dinkes_officer).get(f"{API}/reports/overdue", on).json() == []
    assert (
        client_for(administrator).get(f"{API}/reports/overdue", {"on": "2026-10-15"}).json() == []
    )
    bad = client_for(administrator).get(f"{API}/reports/overdue", {"on": "yesterday"})
    assert (bad.status_code, fields(bad)) == (422, ["on"])

    officer = client_for(dinsos_officer)
    url = f"/reports/{start(officer).json()['id']}"
    put(officer, url, lines(programme, kpi))
    post(officer, f"{url}/submit")
    assert client_for(administrator).get(f"{API}/reports/overdue", on).json() == []


# Action plans and meetings


def test_action_activities_are_filtered(client_for, executive, masterplan, dinsos):
    for year, area, name in (
        (2025, "sdm", "Pelatihan ASN"),
        (2026, "sdm", "Bimtek data"),
        (2026, "literacy", "Sosialisasi smart city"),
    ):
        ActionActivity.objects.create(
            masterplan=masterplan,
            year=year,
            area=area,
            name=name,
            opd=dinsos,
            planned_output="1 kegiatan",
            planned_budget=10_000_000,
        )
    client = client_for(executive)
    body = client.get(f"{API}/action-activities", {"year": 2026}).json()
    assert body["count"] == 2
    assert [a["name"] for a in body["items"]] == ["Sosialisasi smart city", "Bimtek data"]
    only = client.get(f"{API}/action-activities", {"year": 2026, "area": "sdm"}).json()["items"]
    assert only == [
        {
            "id": only[0]["id"],
            "masterplan": masterplan.pk,
            "area": "sdm",
            "year": 2026,
            "name": "Bimtek data",
            "opd": "dinsos",
            "planned_output": "1 kegiatan",
            "realised_output": "",
            "done": False,
            "planned_budget": 10_000_000,
            "realised_budget": None,
        }
    ]
    wrong = client.get(f"{API}/action-activities", {"area": "roads"})
    assert (wrong.status_code, fields(wrong)) == (422, ["area"])


def test_meetings_are_filtered(client_for, assessor):
    for body, day, title in (
        ("council", datetime.date(2025, 3, 4), "Rapat Dewan 2025"),
        ("team", datetime.date(2026, 2, 10), "Rapat Tim Pelaksana"),
        ("council", datetime.date(2026, 5, 6), "Rapat Dewan 2026"),
    ):
        Meeting.objects.create(body=body, date=day, title=title, participants="Wali Kota")
    client = client_for(assessor)
    titles = [m["title"] for m in client.get(f"{API}/meetings").json()["items"]]
    assert titles == ["Rapat Dewan 2026", "Rapat Tim Pelaksana", "Rapat Dewan 2025"]
    council = client.get(f"{API}/meetings", {"body": "council", "year": 2026}).json()["items"]
    assert [(m["body"], m["date"], m["title"]) for m in council] == [
        ("council", "2026-05-06", "Rapat Dewan 2026")
    ]
    wrong = client.get(f"{API}/meetings", {"body": "parliament"})
    assert (wrong.status_code, fields(wrong)) == (422, ["body"])


# The OpenAPI document


def test_openapi_document_lists_the_masterplan_endpoints(citizen):
    response = citizen.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    expected = {
        "/api/v1/masterplan/masterplans": {"get"},
        "/api/v1/masterplan/masterplans/{masterplan_id}": {"get"},
        "/api/v1/masterplan/programmes": {"get"},
        "/api/v1/masterplan/programmes/{code}": {"get", "patch"},
        "/api/v1/masterplan/programmes/{code}/budgets/{year}/{source}": {"put"},
        "/api/v1/masterplan/kpis/{kpi_id}/targets/{year}": {"put"},
        "/api/v1/masterplan/kpis/{kpi_id}/actuals/{year}/{period}": {"put"},
        "/api/v1/masterplan/reports": {"get", "post"},
        "/api/v1/masterplan/reports/overdue": {"get"},
        "/api/v1/masterplan/reports/{report_id}": {"get", "put"},
        "/api/v1/masterplan/reports/{report_id}/submit": {"post"},
        "/api/v1/masterplan/reports/{report_id}/approve": {"post"},
        "/api/v1/masterplan/reports/{report_id}/return": {"post"},
        "/api/v1/masterplan/action-activities": {"get"},
        "/api/v1/masterplan/meetings": {"get"},
    }
    for path, methods in expected.items():
        assert path in paths, path
        assert set(paths[path]) == methods, path
    schemas = response.json()["components"]["schemas"]
    assert {"ProgrammeDetail", "ProgressReportDetail", "PagedProgrammeOut"} <= set(schemas)
    # The core's endpoints are still there beside them.
    assert "/api/v1/opds/{code}" in paths
