"""The JSON shapes of the masterplan API.

Money is whole rupiah (JSON integers). KPI numbers (baselines, targets, actuals) are exact
decimals with at most two places: the API answers them as strings such as ``"88.50"``, the same
way the core API answers decimals, and accepts a JSON number or a numeric string.

Schema names are distinct across the whole API: the OpenAPI document keeps one component per
class name, so a second ``ReportOut`` elsewhere would silently replace this one.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from kotacerdas.masterplan.choices import (
    ActionArea,
    Body,
    BudgetSource,
    Direction,
    Pentahelix,
    Period,
    ProgrammeKind,
    ProgrammeStatus,
    ReportStatus,
)

# Whole rupiah; strict, so 1.5, "100" and true are refused instead of coerced. The upper bound is
# the database column's; whether an amount may be negative is the domain's question.
Rupiah = Annotated[int, Field(strict=True, lt=2**63, description="whole rupiah")]
# A KPI value as the database keeps it: at most 16 digits, two of them after the point.
KpiNumber = Annotated[
    Decimal,
    Field(
        max_digits=16,
        decimal_places=2,
        allow_inf_nan=False,
        description='a number with at most two decimal places, e.g. 88.5 or "88.5"',
    ),
]


class _Input(Schema):
    """Request bodies refuse fields they do not know, naming them, rather than ignoring them."""

    model_config = ConfigDict(extra="forbid")


# Masterplans


class MasterplanRevisionOut(Schema):
    date: dt.date
    title: str
    legal_basis: str
    changes: str


class MasterplanOut(Schema):
    id: int
    region: str = Field(..., alias="region_id", description="Kemendagri region code")
    title: str
    start_year: int
    end_year: int
    legal_basis: str
    legal_basis_date: dt.date | None
    is_demo: bool


class MasterplanDetail(MasterplanOut):
    revisions: list[MasterplanRevisionOut]


# Programmes, budgets and KPIs


class ProgrammeOut(Schema):
    code: str
    name: str
    masterplan: int = Field(..., alias="masterplan_id")
    pillars: list[str] = Field(..., description="pillar codes")
    owner: str = Field(..., description="code of the OPD that owns the programme")
    kind: ProgrammeKind
    is_quick_win: bool
    start_year: int
    end_year: int | None
    status: ProgrammeStatus
    updated_at: dt.datetime

    @staticmethod
    def resolve_pillars(obj) -> list[str]:
        return [pillar.code for pillar in obj.pillars.all()]

    @staticmethod
    def resolve_owner(obj) -> str:
        return obj.owner.code


class ProgrammePartnerOut(Schema):
    name: str
    role: Pentahelix


class BudgetOut(Schema):
    year: int
    source: BudgetSource
    planned: int
    realised: int | None


class KpiTargetOut(Schema):
    year: int
    value: Decimal


class ProgressReportRef(Schema):
    """The progress report a KPI value came from."""

    id: int
    status: ReportStatus


class KpiActualOut(Schema):
    year: int
    period: Period
    value: Decimal
    note: str
    source: Literal["report", "direct"] = Field(
        ...,
        description="'report' when the value came from an OPD progress report (see 'report'), "
        "'direct' when it was recorded directly (an administrator or the Excel import)",
    )
    report: ProgressReportRef | None

    @staticmethod
    def resolve_source(obj) -> str:
        return "report" if obj.report_id else "direct"


class ProgrammeKpiOut(Schema):
    id: int
    name: str
    unit: str
    direction: Direction
    baseline: Decimal
    baseline_year: int
    green_from: Decimal = Field(..., description="green from this % of the target achieved")
    amber_from: Decimal = Field(..., description="amber from this %; below it red")
    targets: list[KpiTargetOut]
    actuals: list[KpiActualOut]

    @staticmethod
    def resolve_targets(obj) -> list:
        return list(obj.targets.all())

    @staticmethod
    def resolve_actuals(obj) -> list:
        return list(obj.actuals.all())


class ProgrammeDetail(ProgrammeOut):
    description: str
    partner_opds: list[str] = Field(..., description="codes of the partner OPDs")
    partners: list[ProgrammePartnerOut]
    target_users: str
    delivered_by: str
    is_demo: bool
    budgets: list[BudgetOut]
    kpis: list[ProgrammeKpiOut]

    @staticmethod
    def resolve_partner_opds(obj) -> list[str]:
        return [opd.code for opd in obj.partner_opds.all()]

    @staticmethod
    def resolve_partners(obj) -> list:
        return list(obj.partners.all())

    @staticmethod
    def resolve_budgets(obj) -> list:
        return list(obj.budgets.all())

    @staticmethod
    def resolve_kpis(obj) -> list:
        return list(obj.kpis.all())


class ProgrammePatch(_Input):
    """The fields ``programmes.update_programme`` changes; send only those to change. Only
    ``end_year`` may be null (an open-ended programme)."""

    name: str = Field(None, min_length=1, max_length=200)
    description: str = Field(None)
    kind: ProgrammeKind = Field(None)
    is_quick_win: bool = Field(None)
    start_year: int = Field(None)
    end_year: int | None = Field(None)
    status: ProgrammeStatus = Field(None)
    target_users: str = Field(None, max_length=200)
    delivered_by: str = Field(None, max_length=200)


class BudgetIn(_Input):
    """A year's budget from one source. A realised amount needs a planned one; a null
    ``planned`` with no realisation removes the budget line."""

    planned: Rupiah | None
    realised: Rupiah | None = None


class KpiTargetIn(_Input):
    value: KpiNumber


class KpiActualIn(_Input):
    value: KpiNumber
    note: str = Field("", max_length=300)


# Progress reports


class ProgressReportOut(Schema):
    id: int
    opd: str = Field(..., description="OPD code")
    year: int
    period: Period
    status: ReportStatus
    narrative: str
    submitted_at: dt.datetime | None
    submitted_by: str | None = Field(None, description="username")
    reviewed_at: dt.datetime | None
    reviewed_by: str | None = Field(None, description="username")
    review_comment: str

    @staticmethod
    def resolve_opd(obj) -> str:
        return obj.opd.code

    @staticmethod
    def resolve_submitted_by(obj) -> str | None:
        return obj.submitted_by.username if obj.submitted_by_id else None

    @staticmethod
    def resolve_reviewed_by(obj) -> str | None:
        return obj.reviewed_by.username if obj.reviewed_by_id else None


class ProgressReportLineOut(Schema):
    programme: str = Field(..., description="programme code")
    narrative: str
    realised_apbd: int | None
    realised_non_apbd: int | None

    @staticmethod
    def resolve_programme(obj) -> str:
        return obj.programme.code


class ProgressReportActualOut(Schema):
    """A KPI value this report carries (for the report's year and period)."""

    kpi: int = Field(..., alias="kpi_id")
    programme: str = Field(..., description="programme code")
    value: Decimal

    @staticmethod
    def resolve_programme(obj) -> str:
        return obj.kpi.programme.code


class ProgressReportDetail(ProgressReportOut):
    lines: list[ProgressReportLineOut]
    actuals: list[ProgressReportActualOut]

    @staticmethod
    def resolve_lines(obj) -> list:
        return list(obj.lines.all())

    @staticmethod
    def resolve_actuals(obj) -> list:
        return list(obj.actuals.all())


class ProgressReportStartIn(_Input):
    opd: str = Field(..., max_length=40, description="OPD code")
    year: int
    period: Period


class ProgressReportLineIn(_Input):
    """What the report says about one programme of the OPD."""

    programme: str = Field(..., max_length=40, description="programme code")
    narrative: str = ""
    realised_apbd: Rupiah | None = None
    realised_non_apbd: Rupiah | None = None
    kpi_values: dict[int, KpiNumber] = Field(
        default_factory=dict, description="KPI id -> value for the report's period"
    )


class ProgressReportSaveIn(_Input):
    """The report's narrative (replacing the stored one) and lines. A line is written for each
    programme sent; lines and KPI values not sent are left as they are."""

    narrative: str = ""
    reason: str = Field("", description="why an approved report is changed (administrators)")
    lines: list[ProgressReportLineIn] = Field(default_factory=list)


class ProgressReportReviewIn(_Input):
    comment: str = ""


class ProgressReportReturnIn(_Input):
    comment: str = Field(..., description="what the OPD should revise")


class OverdueReportOut(Schema):
    opd: str = Field(..., description="OPD code")
    opd_name: str
    year: int
    period: Period
    due_date: dt.date
    days_late: int


# Action plans and meetings


class ActionActivityOut(Schema):
    id: int
    masterplan: int = Field(..., alias="masterplan_id")
    area: ActionArea
    year: int
    name: str
    opd: str = Field(..., description="OPD code")
    planned_output: str
    realised_output: str
    done: bool
    planned_budget: int
    realised_budget: int | None

    @staticmethod
    def resolve_opd(obj) -> str:
        return obj.opd.code


class MeetingOut(Schema):
    id: int
    body: Body
    date: dt.date
    title: str
    participants: str
    minutes: str
