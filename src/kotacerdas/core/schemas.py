"""The JSON shapes of the core API."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from ninja import Field, Schema

from kotacerdas.core.choices import OpdKind, RegionLevel

CODE_PATTERN = r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$"


class RegionOut(Schema):
    code: str
    name: str
    level: RegionLevel
    parent: str | None = Field(None, alias="parent_id")
    population: int | None
    area_km2: Decimal | None


class PillarOut(Schema):
    code: str
    order: int
    name_id: str
    name_en: str
    definition_id: str
    definition_en: str


class OpdOut(Schema):
    code: str
    name: str
    short_name: str
    kind: OpdKind
    region: str | None = Field(None, alias="region_id")
    parent: str | None = None
    head_title: str
    email: str
    phone: str
    address: str
    website: str
    active: bool
    is_demo: bool
    updated_at: datetime

    @staticmethod
    def resolve_parent(obj) -> str | None:
        return obj.parent.code if obj.parent_id else None


class OpdPatch(Schema):
    """Fields an API client may change; which of them a user may change depends on the role."""

    name: str | None = Field(None, min_length=1, max_length=200)
    short_name: str | None = Field(None, max_length=40)
    kind: OpdKind | None = None
    region: str | None = Field(None, pattern=CODE_PATTERN)
    parent: str | None = Field(None, max_length=40)
    active: bool | None = None
    head_title: str | None = Field(None, max_length=100)
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=30)
    address: str | None = Field(None, max_length=200)
    website: str | None = Field(None, max_length=200)


class MeOut(Schema):
    username: str
    full_name: str
    email: str
    roles: list[str]
    opd: str | None


class ErrorItem(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    """Every API error: a message for people and, where fields are at fault, one entry each."""

    message: str
    errors: list[ErrorItem] = []
