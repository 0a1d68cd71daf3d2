"""Who may do what in an evaluation."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from kotacerdas.core import access
from kotacerdas.core.choices import Role
from kotacerdas.core.models import User
from kotacerdas.evaluation.choices import Stage
from kotacerdas.evaluation.models import Answer, Evaluation


def can_answer(user: User | AnonymousUser, answer: Answer) -> bool:
    """During the self-assessment, the OPD an item is assigned to answers it; administrators
    (Diskominfo's smart city team) answer any item."""
    if answer.evaluation.stage != Stage.SELF_ASSESSMENT:
        return False
    if access.is_administrator(user):
        return True
    return (
        access.has_role(user, Role.OPD_OFFICER)
        and answer.opd_id is not None
        and user.opd_id == answer.opd_id
    )


def can_score(user: User | AnonymousUser, answer: Answer) -> bool:
    """Assessors score during the review, until they submit and the scores lock."""
    return can_assess(user, answer.evaluation)


def can_assess(user: User | AnonymousUser, evaluation: Evaluation) -> bool:
    return (
        access.has_role(user, Role.ASSESSOR)
        and evaluation.stage == Stage.ASSESSOR_REVIEW
        and not evaluation.locked
    )


def can_manage(user: User | AnonymousUser) -> bool:
    """Administrators open evaluations, assign items, move stages and override locked scores."""
    return access.is_administrator(user)
