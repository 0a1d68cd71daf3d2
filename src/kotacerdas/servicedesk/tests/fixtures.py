"""Fixtures of the service desk, shared with the modules that read it (see the root conftest):
the desk (Diskominfo) with an officer, Dinas PUPR with an officer, a road-damage complaint
service with two questions, an information-request service, the 2026 holidays, and a helper
that files a request."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from kotacerdas.core.access import grant_role
from kotacerdas.core.choices import OpdKind, Role
from kotacerdas.core.models import Opd, Pillar, Region, User
from kotacerdas.servicedesk.choices import AttributeType, Category, SlaUnit
from kotacerdas.servicedesk.intake import NewRequest, submit_request
from kotacerdas.servicedesk.models import Service, ServiceAttribute
from kotacerdas.servicedesk.sla import load_holidays

WIB = ZoneInfo("Asia/Jakarta")
# Monday 2 November 2026, 09:00 WIB: a working day with no holiday near.
MONDAY_9AM = dt.datetime(2026, 11, 2, 9, 0, tzinfo=WIB)
# A point inside kelurahan Bandar Lor (35.71.01.1001), Kecamatan Mojoroto.
BANDAR_LOR = (Decimal("-7.818659"), Decimal("112.003402"))


@pytest.fixture
def holidays(db) -> int:
    return load_holidays()


@pytest.fixture
def diskominfo(db) -> Opd:
    return Opd.objects.create(
        code="diskominfo",
        name="Dinas Komunikasi dan Informatika",
        short_name="Diskominfo",
        kind=OpdKind.DINAS,
    )


@pytest.fixture
def dpupr(db) -> Opd:
    return Opd.objects.create(
        code="dpupr",
        name="Dinas Pekerjaan Umum dan Penataan Ruang",
        short_name="DPUPR",
        kind=OpdKind.DINAS,
        email="dpupr@kedirikota.go.id",
    )


def _officer(username: str, opd: Opd) -> User:
    user = User.objects.create_user(
        username=username, password=None, opd=opd, email=f"{username}@kedirikota.go.id"
    )
    grant_role(user, Role.OPD_OFFICER, opd)
    return user


@pytest.fixture
def desk_officer(diskominfo) -> User:
    """A Diskominfo officer: triages the desk's intake."""
    return _officer("officer-desk", diskominfo)


@pytest.fixture
def dpupr_officer(dpupr) -> User:
    return _officer("officer-dpupr", dpupr)


@pytest.fixture
def road_service(dpupr, holidays) -> Service:
    """Complaint about a damaged road: 5 working days, two questions (one required)."""
    service = Service.objects.create(
        code="jalan-rusak",
        name="Jalan rusak",
        description="Laporan jalan berlubang atau rusak",
        category=Category.COMPLAINT,
        opd=dpupr,
        pillar=Pillar.objects.get(code="living"),
        sla_amount=5,
        sla_unit=SlaUnit.WORKING_DAYS,
        legal_basis="Perwali Kota Kediri tentang Standar Pelayanan",
    )
    ServiceAttribute.objects.create(
        service=service,
        code="kerusakan",
        order=1,
        datatype=AttributeType.SINGLE,
        required=True,
        description="Jenis kerusakan",
        values=[{"key": "lubang", "name": "Berlubang"}, {"key": "retak", "name": "Retak"}],
    )
    ServiceAttribute.objects.create(
        service=service,
        code="lebar",
        order=2,
        datatype=AttributeType.NUMBER,
        required=False,
        description="Perkiraan lebar kerusakan (meter)",
    )
    return service


@pytest.fixture
def info_service(diskominfo, holidays) -> Service:
    """Public information request: 10 working hours, no questions."""
    return Service.objects.create(
        code="informasi-publik",
        name="Permohonan informasi publik",
        category=Category.INFORMATION,
        opd=diskominfo,
        pillar=Pillar.objects.get(code="governance"),
        sla_amount=10,
        sla_unit=SlaUnit.WORKING_HOURS,
    )


@pytest.fixture
def aspiration_service(diskominfo, holidays) -> Service:
    """A citizen's proposal for the city: public like a complaint, 10 working days."""
    return Service.objects.create(
        code="aspirasi",
        name="Aspirasi pembangunan",
        category=Category.ASPIRATION,
        opd=diskominfo,
        sla_amount=10,
        sla_unit=SlaUnit.WORKING_DAYS,
    )


@pytest.fixture
def file_request(kediri):
    """File a road complaint (or ``service``) the way the public form does; keyword arguments
    override the NewRequest fields."""

    def make(service: Service, at: dt.datetime = MONDAY_9AM, **fields):
        values = {
            "description": "Jalan berlubang besar di depan SD",
            "region": Region.objects.get(code="35.71.01.1001"),
            "phone": "0812-3456-7890",
            "attributes": {"kerusakan": "lubang"} if service.attributes.exists() else {},
        }
        values.update(fields)
        request, _created = submit_request(NewRequest(service=service, **values), at=at)
        return request

    return make
