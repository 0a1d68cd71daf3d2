"""Annotations on series: a dated note (a policy change, a flood, a break in the data) that
every chart of the series shows. Anyone with a dashboard may add one; its author or an
administrator removes it."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kotacerdas.core import access
from kotacerdas.core.audit import records_actor
from kotacerdas.core.models import User
from kotacerdas.dashboard.models import Annotation
from kotacerdas.dashboard.scope import scope_of

SERIES = re.compile(r"[a-z0-9][a-z0-9._-]{0,119}")


@records_actor
@transaction.atomic
def annotate(actor: User, *, series: object, date: object, text: object) -> Annotation:
    if scope_of(actor) is None:
        raise PermissionDenied(_("Only dashboard users annotate series."))
    errors = {}
    series_key = str(series or "").strip()
    if not SERIES.fullmatch(series_key):
        errors["series"] = _("Name the series the note belongs to.")
    try:
        day = date if isinstance(date, dt.date) else dt.date.fromisoformat(str(date).strip())
    except ValueError:
        errors["date"] = _("Give a date as YYYY-MM-DD, such as 2026-12-01.")
    note = str(text or "").strip()
    if not note:
        errors["text"] = _("Write the note.")
    elif len(note) > 300:
        errors["text"] = _("At most %(limit)s characters, not %(n)s.") % {
            "limit": 300,
            "n": len(note),
        }
    if errors:
        raise ValidationError(errors)
    return Annotation.objects.create(series=series_key, date=day, text=note, author=actor)


@records_actor
@transaction.atomic
def remove(actor: User, note: Annotation) -> None:
    if note.author_id != actor.pk and not access.is_administrator(actor):
        raise PermissionDenied(_("Only its author or an administrator removes a note."))
    note.delete()
