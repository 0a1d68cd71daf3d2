"""Annotations on series: a dated note (a policy change, a flood, a break in the data) that
every chart of the series shows. Anyone with a dashboard may add one; its author or an
administrator removes it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from kotacerdas.core import access
from kotacerdas.core.audit import records_actor
from kotacerdas.core.models import User
from kotacerdas.dashboard.models import Annotation
from kotacerdas.dashboard.scope import scope_of


@records_actor
@transaction.atomic
def annotate(actor: User, *, series: object, date: object, text: object) -> Annotation:
    if scope_of(actor) is None:
        raise PermissionDenied(_("Only dashboard users annotate series."))
    note = Annotation(
        series=str(series or "").strip(), date=date, text=str(text or "").strip(), author=actor
    )
    note.full_clean(exclude=["author"])
    note.save()
    return note


@records_actor
@transaction.atomic
def remove(actor: User, note: Annotation) -> None:
    if note.author_id != actor.pk and not access.is_administrator(actor):
        raise PermissionDenied(_("Only its author or an administrator removes a note."))
    note.delete()
