"""Answers the platform proposes from what it already holds, each with its source, so that the
evaluation never asks a person for a number the platform has. A person accepts a proposal (it
becomes the answer's justification, its records become evidence, and where the item is a plain
yes/no, the score) or answers otherwise.

Which item is backed by which fact is the table ``PROPOSERS`` below; the facts come from the
masterplan module's public functions (``masterplan.facts``), the service desk's
(``servicedesk.feeds``) and Satu Data's indicator store (``opendata.indicators``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kotacerdas.core.audit import records_actor
from kotacerdas.core.models import User
from kotacerdas.evaluation import cycle
from kotacerdas.evaluation.models import Answer, Evaluation
from kotacerdas.masterplan import facts
from kotacerdas.masterplan.choices import ActionArea, Body
from kotacerdas.opendata import indicators as opendata
from kotacerdas.servicedesk import feeds as servicedesk

YES, NO = Decimal("4.00"), Decimal("1.00")


@dataclass(frozen=True)
class Proposal:
    """What the platform can say about an item: the fact, and for yes/no items a score."""

    item_code: str
    fact: facts.Fact
    score: Decimal | None = None


def _met(body: str) -> Callable[[int], tuple[facts.Fact, Decimal | None]]:
    def propose(year: int) -> tuple[facts.Fact, Decimal | None]:
        fact = facts.meetings_held(body, year)
        return fact, YES if fact.number else NO

    return propose


def _legal_basis(year: int) -> tuple[facts.Fact, Decimal | None]:
    fact = facts.legal_basis(year)
    return fact, YES if fact.number else NO


def _pillar(code: str) -> Callable[[int], tuple[facts.Fact, Decimal | None]]:
    return lambda year: (facts.running_programmes(year, code), None)


def _area(area: str) -> Callable[[int], tuple[facts.Fact, Decimal | None]]:
    return lambda year: (facts.action_activities(year, area), None)


# item code -> fact for the evaluation year (and the score it implies, for yes/no items).
# "Last year" items read the year before the evaluation's.
PROPOSERS: dict[str, Callable[[int], tuple[facts.Fact, Decimal | None]]] = {
    "B.1.1": _legal_basis,
    "O.1.1": _legal_basis,
    "B.1.2": _met(Body.COUNCIL),
    "B.1.3": _met(Body.TEAM),
    "B.2.1": lambda year: (facts.programmes_that_ran(year - 1), None),
    "B.2.2": lambda year: (facts.action_activities(year - 1), None),
    "O.2.1": lambda year: (facts.meetings_held(Body.COUNCIL, year), None),
    "O.2.2": lambda year: (facts.meetings_held(Body.TEAM, year), None),
    "O.2.4": lambda year: (facts.meetings_held(Body.FORUM, year), None),
    "O.3.1": lambda year: (facts.budget_sources(year), None),
    "O.3.2": lambda year: (facts.budget_sources(year), None),
    "C.01": _pillar("governance"),
    "C.06": _pillar("branding"),
    "C.09": _pillar("economy"),
    "C.11": _pillar("living"),
    "C.14": _pillar("society"),
    "C.17": _pillar("environment"),
    "C.RA.1": _area(ActionArea.HUMAN_CAPACITY),
    "C.RA.2": _area(ActionArea.INFRASTRUCTURE),
    "C.RA.3": _area(ActionArea.APPLICATIONS),
    "C.RA.4": _area(ActionArea.LITERACY),
    # "Benefits of the innovation felt by citizens": PECUT's requests, service times and IKM.
    "Q.03": lambda year: (servicedesk.performance_fact(year), None),
}
# Outcome items answered by a figure: the indicator Satu Data keeps for the item.
INDICATOR_ITEMS = ("C.10.1", "C.10.2", "C.12.1", "C.12.2", "C.13.1", "C.13.2", "C.13.3", "C.15.2")
for _item in INDICATOR_ITEMS:
    PROPOSERS[_item] = lambda year, item=_item: (opendata.evaluation_fact(item, year), None)


def proposal_for(answer: Answer) -> Proposal | None:
    proposer = PROPOSERS.get(answer.item_code)
    if proposer is None:
        return None
    fact, score = proposer(answer.evaluation.year)
    return Proposal(answer.item_code, fact, score)


def proposals(evaluation: Evaluation) -> dict[str, Proposal]:
    """Every proposal the platform can make for this evaluation, by item code."""
    found = {}
    for answer in evaluation.answers.filter(item_code__in=PROPOSERS):
        answer.evaluation = evaluation
        proposal = proposal_for(answer)
        if proposal is not None:
            found[answer.item_code] = proposal
    return found


@records_actor
@transaction.atomic
def accept_proposal(actor: User, answer: Answer) -> Answer:
    """Take the platform's proposal as the answer: its text as the justification, its records
    as evidence, and its score where the item is a plain yes/no (else the score stays)."""
    proposal = proposal_for(answer)
    if proposal is None:
        raise ValidationError(
            {"item": _("The platform has no proposal for %(code)s.") % {"code": answer.item_code}}
        )
    score = proposal.score if proposal.score is not None else answer.proposed_score
    justification = f"{proposal.fact.text} (Kota Cerdas)"
    cycle.answer_item(actor, answer, score, justification)
    known = set(answer.evidence.values_list("record_type", "record_key"))
    for record in proposal.fact.records:
        if (record.kind, record.key) not in known:
            cycle.add_evidence(
                actor, answer, record=(record.kind, record.key, record.label, record.url)
            )
    return answer
