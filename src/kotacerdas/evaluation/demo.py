"""Demo evaluations for Kota Kediri: a complete 2022-style evaluation whose item scores give the
published dimension scores (baseline 3.60, output 3.21, outcome 3.23, impact 3.07, quick win
3.65) and so the published index 3.31, and a 2024 evaluation in progress with a 3.600 target.
The item scores are invented to fit the published means; they are not the ministry's."""

from __future__ import annotations

import datetime
from decimal import Decimal

from auditlog.context import disable_auditlog
from django.db import transaction
from django.db.models import Q

from kotacerdas.core.choices import Role
from kotacerdas.core.models import Opd, Region, User
from kotacerdas.evaluation.choices import Stage
from kotacerdas.evaluation.instruments import load_catalogue
from kotacerdas.evaluation.models import Answer, Evaluation
from kotacerdas.evaluation.proposals import PROPOSERS, accept_proposal

PUBLISHED_2022 = {
    "baseline": Decimal("3.60"),
    "output": Decimal("3.21"),
    "outcome": Decimal("3.23"),
    "impact": Decimal("3.07"),
    "quick_win": Decimal("3.65"),
}
SPREAD = Decimal("0.50")


def scores_with_mean(mean: Decimal, count: int) -> list[Decimal]:
    """``count`` two-decimal scores within 1-4 whose mean is exactly ``mean``: pairs spread
    evenly above and below the mean (so the demo looks like real scoring), and the mean itself
    for an odd one out."""
    spread = min(SPREAD, Decimal(4) - mean, mean - Decimal(1))
    scores = [mean + spread if n % 2 == 0 else mean - spread for n in range(count)]
    if count % 2:
        scores[-1] = mean
    return scores


def load(region: Region) -> bool:
    if region.code != "35.71" or Evaluation.objects.filter(region=region, is_demo=True).exists():
        return False
    with disable_auditlog():
        _load(region)
    return True


@transaction.atomic
def _load(region: Region) -> None:
    admin = (
        User.objects.filter(Q(is_superuser=True) | Q(groups__name=Role.ADMINISTRATOR))
        .order_by("pk")
        .first()
    )
    assessor = User.objects.filter(groups__name=Role.ASSESSOR).order_by("pk").first() or admin
    catalogue = load_catalogue()
    scheme_2022 = catalogue.scheme("kominfo-2022-gmsc")
    done = Evaluation.objects.create(
        region=region,
        year=2022,
        scheme_id=scheme_2022.id,
        stage=Stage.FINAL,
        strengths="Masterplan berpayung hukum; quick win PECUT, Arteri dan Kampung KEREN berjalan.",
        weaknesses="Sebagian jawaban belum didukung data dukung yang valid; survei dampak kecil.",
        recommendations=(
            "Lengkapi data dukung setiap butir; perluas responden survei ke pengguna layanan."
        ),
        locked_at=datetime.datetime(2022, 11, 30, 3, 0, tzinfo=datetime.UTC),
        locked_by=assessor,
        is_demo=True,
    )
    position = 0
    for dimension in scheme_2022.instrument.dimensions:
        for item, score in zip(
            dimension.items,
            scores_with_mean(PUBLISHED_2022[dimension.key], len(dimension.items)),
            strict=True,
        ):
            Answer.objects.create(
                evaluation=done,
                item_code=item.code,
                dimension=dimension.key,
                position=position,
                proposed_score=min(score + Decimal("0.25"), Decimal(4)),
                assessor_score=score,
                justification="Jawaban evaluasi 2022 (demo).",
                scored_by=assessor,
                answered_by=admin,
            )
            position += 1
    scheme_2024 = catalogue.scheme("kominfo-2023-kppn-ikn")
    current = Evaluation.objects.create(
        region=region,
        year=2024,
        scheme_id=scheme_2024.id,
        stage=Stage.SELF_ASSESSMENT,
        deadline=datetime.date(2024, 8, 31),
        target=Decimal("3.600"),
        is_demo=True,
    )
    Answer.objects.bulk_create(
        Answer(evaluation=current, item_code=item.code, dimension=item.dimension, position=n)
        for n, item in enumerate(scheme_2024.instrument.items)
    )
    # Diskominfo accepts what the platform can already say; the OPDs get their items.
    for answer in current.answers.filter(item_code__in=PROPOSERS):
        accept_proposal(admin, answer)
    assignments = {
        "dinsos": ["C.14", "C.10.1"],
        "dinkes": ["C.11", "C.12.1", "C.12.2", "C.12.3"],
        "bappeda": ["C.04", "C.09", "C.10.2"],
        "dpupr": ["C.13.1", "C.13.2", "C.13.3"],
        "dlhkp": ["C.17", "C.18.1", "C.18.2"],
        "disbudparpora": ["C.06", "C.08"],
    }
    for code, items in assignments.items():
        opd = Opd.objects.filter(code=code).first()
        if opd is not None:
            current.answers.filter(item_code__in=items).update(opd=opd)
