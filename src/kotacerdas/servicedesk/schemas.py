"""The JSON shapes of the PECUT service desk API.

Three audiences read them: anyone (the service catalogue and the working-day calendar), the
citizen holding a status link (their request as the status page shows it: never an internal
note, never contact details), and the staff (the queues, with contact details masked until an
entitled user asks for them, and each such look recorded).

Coordinates are exact decimals answered as strings (``"-7.818659"``), the way the core API
answers decimals, and accepted as JSON numbers or numeric strings.

Schema names are distinct across the whole API (hence the ``Desk`` prefix): the OpenAPI document
keeps one component per class name, so a second ``ServiceOut`` elsewhere would silently replace
this one.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import ConfigDict

from kotacerdas.servicedesk.choices import (
    AttributeType,
    Category,
    Channel,
    EventKind,
    HolidayKind,
    SlaUnit,
    Status,
)

# A coordinate as sent; whether it lies in the city is the domain's question (``intake``).
Coordinate = Annotated[
    Decimal, Field(allow_inf_nan=False, description="decimal degrees (WGS 84), e.g. -7.818659")
]
# The answer to one of a service's questions: text, a number, or the keys of a list's choices.
AttributeValue = str | int | float | list[str]


class _Input(Schema):
    """Request bodies refuse fields they do not know, naming them, rather than ignoring them."""

    model_config = ConfigDict(extra="forbid")


# The catalogue


class DeskChoiceOut(Schema):
    """One choice of a list question."""

    key: str
    name: str


class DeskAttributeOut(Schema):
    """A question the service asks besides the description (Open311's attributes): answer it
    in ``attributes`` under its ``code``; a list question by the ``key`` of a choice (several
    keys for ``multivaluelist``)."""

    code: str
    order: int
    datatype: AttributeType
    required: bool
    description: str = Field(..., description="the question")
    values: list[DeskChoiceOut] = Field(..., description="the choices of a list question")

    @staticmethod
    def resolve_values(obj) -> list[dict[str, str]]:
        return [
            {"key": str(choice["key"]), "name": str(choice.get("name", choice["key"]))}
            for choice in obj.values
        ]


class DeskServiceOut(Schema):
    code: str = Field(..., description="the service code requests name (Open311 service_code)")
    name: str
    category: Category
    opd: str = Field(..., description="code of the responsible OPD")
    opd_name: str
    fee: int = Field(..., description="whole rupiah; 0 for a free service")
    sla_amount: int = Field(..., description="the service standard time, in sla_unit")
    sla_unit: SlaUnit

    @staticmethod
    def resolve_opd(obj) -> str:
        return obj.opd.code

    @staticmethod
    def resolve_opd_name(obj) -> str:
        return obj.opd.name


class DeskServiceDetail(DeskServiceOut):
    description: str
    requirements: str
    legal_basis: str
    pillar: str | None = Field(None, description="smart city pillar code")
    attributes: list[DeskAttributeOut]

    @staticmethod
    def resolve_pillar(obj) -> str | None:
        return obj.pillar.code if obj.pillar_id else None

    @staticmethod
    def resolve_attributes(obj) -> list:
        return list(obj.attributes.all())


# Filing a request


class DeskRequestIn(_Input):
    """A request or complaint. Say where with a ``kelurahan``, a point (``latitude`` and
    ``longitude``; the kelurahan is then found from it) or an ``address``. Contact details are
    optional, but without them the city cannot tell the citizen it is done."""

    service_code: str = Field(..., max_length=60)
    description: str = Field(..., description="what the citizen asks for or reports")
    kelurahan: str | None = Field(
        None, max_length=13, description="Kemendagri code of a kelurahan, e.g. 35.71.01.1001"
    )
    latitude: Coordinate | None = None
    longitude: Coordinate | None = None
    address: str = Field("", description="the location in words")
    first_name: str = ""
    last_name: str = ""
    phone: str = Field("", description="e.g. 0812 3456 7890")
    email: str = ""
    anonymous: bool = Field(False, description="hide who filed a complaint from the OPD")
    attributes: dict[str, AttributeValue] = Field(
        default_factory=dict, description="attribute code -> answer (see the service's detail)"
    )
    media_url: str = Field("", max_length=500, description="a link to a photo or video")


class DeskRequestCreated(Schema):
    number: str = Field(..., description="the tracking number, e.g. PCT-2026-000123")
    status: Status
    due_at: dt.datetime
    status_url: str = Field(
        ...,
        description="the citizen's secret status link; give it to them and to no one else (its "
        "last part is the secret of /status/{secret})",
    )


# The citizen's status link


class DeskStatusEventOut(Schema):
    """A public entry of the timeline."""

    at: dt.datetime
    kind: EventKind
    status: Status | None = Field(None, description="the status the request moved to, if any")
    text: str = Field(..., description="the answer, the reason, the update or the OPD's name")


class DeskStatusOut(Schema):
    """A request as its citizen sees it. A request merged into another follows that one: its
    status, deadline and OPD are the main request's."""

    number: str
    service: str = Field(..., description="service code")
    service_name: str
    category: Category
    status: Status
    submitted_at: dt.datetime
    due_at: dt.datetime
    opd: str = Field(..., description="code of the OPD that handles the request")
    opd_name: str
    merged_into: str | None = Field(None, description="number of the request it follows")
    can_confirm: bool = Field(..., description="resolved: the citizen may confirm (close) it")
    can_reopen: bool = Field(..., description="the citizen may still say the problem remains")
    events: list[DeskStatusEventOut]


class DeskReopenIn(_Input):
    reason: str = Field(..., description="what is still wrong")


# The staff's queues


class DeskRequestOut(Schema):
    number: str
    service: str = Field(..., description="service code")
    service_name: str
    category: Category
    opd: str = Field(..., description="code of the OPD the request is with")
    status: Status
    kelurahan: str | None = Field(None, alias="region_id", description="Kemendagri code")
    kelurahan_name: str | None
    submitted_at: dt.datetime
    due_at: dt.datetime
    overdue: bool = Field(..., alias="is_overdue", description="open and past its deadline")
    merged_into: str | None = Field(None, description="number of the request it follows")

    @staticmethod
    def resolve_service(obj) -> str:
        return obj.service.code

    @staticmethod
    def resolve_service_name(obj) -> str:
        return obj.service.name

    @staticmethod
    def resolve_category(obj) -> str:
        return obj.service.category

    @staticmethod
    def resolve_opd(obj) -> str:
        return obj.opd.code

    @staticmethod
    def resolve_kelurahan_name(obj) -> str | None:
        return obj.region.name if obj.region_id else None

    @staticmethod
    def resolve_merged_into(obj) -> str | None:
        return obj.merged_into.number if obj.merged_into_id else None


class DeskEventOut(Schema):
    """An entry of the timeline as the staff see it, internal notes included."""

    at: dt.datetime
    kind: EventKind
    from_status: Status | None
    to_status: Status | None
    opd: str | None = Field(None, description="code of the OPD the request was with")
    actor: str | None = Field(None, description="username; null for the citizen or the system")
    text: str
    public: bool = Field(..., description="shown on the citizen's status page")

    @staticmethod
    def resolve_from_status(obj) -> str | None:
        return obj.from_status or None

    @staticmethod
    def resolve_to_status(obj) -> str | None:
        return obj.to_status or None

    @staticmethod
    def resolve_opd(obj) -> str | None:
        return obj.opd.code if obj.opd_id else None

    @staticmethod
    def resolve_actor(obj) -> str | None:
        return obj.actor.username if obj.actor_id else None


class DeskMaskedContactOut(Schema):
    """Who filed the request, masked (``0812******90``, ``b**i@example.id``, ``B.``). When the
    complaint is anonymous and the reader is not the desk, ``hidden`` is true and every value
    is null."""

    anonymous: bool = Field(..., description="the citizen asked to stay anonymous to the OPD")
    hidden: bool
    name: str | None
    phone: str | None
    email: str | None


class DeskRequestDetail(DeskRequestOut):
    description: str
    attributes: dict[str, Any] = Field(..., description="attribute code -> answer")
    media_url: str
    latitude: Decimal | None
    longitude: Decimal | None
    address: str = Field(..., alias="address_string")
    channel: Channel
    assigned_at: dt.datetime | None
    resolved_at: dt.datetime | None
    closed_at: dt.datetime | None
    reopened: int = Field(..., description="how many times the citizen reopened it")
    photo_count: int
    duplicates: list[str] = Field(..., description="numbers of the requests merged into it")
    contact: DeskMaskedContactOut
    can_see_contact: bool = Field(
        ..., description="whether you may read the contact unmasked (at /contact; recorded)"
    )
    events: list[DeskEventOut]

    @staticmethod
    def resolve_photo_count(obj) -> int:
        return obj.photos.count()

    @staticmethod
    def resolve_duplicates(obj) -> list[str]:
        return [duplicate.number for duplicate in obj.duplicates.all()]

    @staticmethod
    def resolve_events(obj) -> list:
        return list(obj.events.all())


class DeskContactOut(Schema):
    """The citizen's contact details, unmasked."""

    first_name: str
    last_name: str
    phone: str
    email: str


class DeskAssignIn(_Input):
    opd: str | None = Field(
        None, max_length=40, description="OPD code; by default the OPD routing proposed"
    )


class DeskResolveIn(_Input):
    answer: str = Field(..., description="what was done, for the citizen")


class DeskRejectIn(_Input):
    reason: str = Field(..., description="why, for the citizen")


class DeskTransferIn(_Input):
    opd: str = Field(..., max_length=40, description="code of the OPD that takes it over")
    reason: str = Field(..., description="why (an internal note)")


class DeskUpdateIn(_Input):
    text: str
    public: bool = Field(..., description="true: sent to the citizen; false: an internal note")


class DeskMergeIn(_Input):
    into: str = Field(..., max_length=20, description="number of the main request")


# The working-day calendar


class DeskHolidayOut(Schema):
    date: dt.date
    name: str
    kind: HolidayKind


class DeskHolidayIn(_Input):
    date: dt.date
    name: str = Field(..., min_length=1, max_length=200)
    kind: HolidayKind
