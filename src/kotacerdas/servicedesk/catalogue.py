"""Keeping the service catalogue and the working-day calendar: who may change what.

Administrators keep the whole catalogue and the calendar; an OPD officer keeps their own OPD's
services (and cannot hand one to another OPD: that is the desk's routing decision).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kotacerdas.core import access
from kotacerdas.core.audit import records_actor
from kotacerdas.core.models import User
from kotacerdas.servicedesk import rules
from kotacerdas.servicedesk.models import Holiday, Service


@records_actor
@transaction.atomic
def save_service(actor: User, service: Service) -> Service:
    """Create or change a catalogue entry (already checked by its form)."""
    if not access.is_administrator(actor):
        if service.pk is None:
            raise PermissionDenied(_("Only administrators add services."))
        before = Service.objects.get(pk=service.pk)
        if not rules.can_manage_service(actor, before):
            raise PermissionDenied(_("You may change only your own OPD's services."))
        if service.opd_id != before.opd_id:
            raise ValidationError({"opd": _("Only administrators move a service to another OPD.")})
    service.full_clean()
    service.save()
    return service


@records_actor
@transaction.atomic
def add_holiday(actor: User, date: dt.date, name: str, kind: str) -> Holiday:
    """A day off the deadlines skip from now on (deadlines already set are not moved)."""
    if not access.is_administrator(actor):
        raise PermissionDenied(_("Only administrators keep the calendar."))
    holiday = Holiday(date=date, name=name.strip(), kind=kind)
    holiday.full_clean()
    try:
        with transaction.atomic():
            holiday.save()
    except IntegrityError:
        raise ValidationError({"date": _("This day is already in the calendar.")}) from None
    return holiday


@records_actor
@transaction.atomic
def remove_holiday(actor: User, holiday: Holiday) -> None:
    if not access.is_administrator(actor):
        raise PermissionDenied(_("Only administrators keep the calendar."))
    holiday.delete()
