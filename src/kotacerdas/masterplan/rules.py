"""Who may change what in the masterplan module."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from kotacerdas.core import access
from kotacerdas.core.choices import Role
from kotacerdas.core.models import Opd, User
from kotacerdas.masterplan.choices import ReportStatus
from kotacerdas.masterplan.models import Programme, ProgressReport


def works_for(user: User | AnonymousUser, opd: Opd) -> bool:
    """An OPD officer of ``opd``."""
    return access.has_role(user, Role.OPD_OFFICER) and user.opd_id == opd.pk


def can_edit_programme(user: User | AnonymousUser, programme: Programme) -> bool:
    """Administrators edit every programme; an OPD officer the programmes their OPD owns."""
    return access.is_administrator(user) or works_for(user, programme.owner)


def can_edit_report(user: User | AnonymousUser, report: ProgressReport) -> bool:
    """The OPD writes its report while it is a draft or returned; an approved report is frozen
    for everyone but administrators (whose changes need a reason, see ``reporting``)."""
    if access.is_administrator(user):
        return True
    return works_for(user, report.opd) and report.status in {
        ReportStatus.DRAFT,
        ReportStatus.RETURNED,
    }


def can_review_reports(user: User | AnonymousUser) -> bool:
    """Diskominfo's smart city team (administrators) reviews the OPDs' reports."""
    return access.is_administrator(user)


def reads_all_opds(user: User | AnonymousUser) -> bool:
    """Administrators, assessors and executives read every OPD's programmes and reports."""
    return bool(access.roles_of(user) & {Role.ADMINISTRATOR, Role.ASSESSOR, Role.EXECUTIVE})


def readable_reports(user: User | AnonymousUser) -> QuerySet[ProgressReport]:
    """The progress reports ``user`` may read: all of them for administrators, assessors and
    executives; an OPD officer only their own OPD's."""
    reports = ProgressReport.objects.select_related("opd", "submitted_by", "reviewed_by")
    if reads_all_opds(user):
        return reports
    if access.has_role(user, Role.OPD_OFFICER) and user.opd_id is not None:
        return reports.filter(opd_id=user.opd_id)
    return reports.none()
