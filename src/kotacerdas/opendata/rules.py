"""Who may see and change what in Satu Data.

Each OPD produces its own datasets; the steward (*walidata*: administrators and the officers of
the steward OPD, Diskominfo by default) reviews and publishes every OPD's versions. What the
public sees is only public datasets with a published version; limited datasets are for
government staff; confidential ones for their producer and the steward.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from kotacerdas.core import access
from kotacerdas.core.choices import Role
from kotacerdas.core.models import User
from kotacerdas.opendata.choices import Classification, VersionStatus
from kotacerdas.opendata.models import Dataset

AnyUser = User | AnonymousUser


def is_steward(user: AnyUser) -> bool:
    """The walidata: administrators and officers of the steward OPD."""
    return access.is_administrator(user) or access.is_officer_of(
        user, settings.OPENDATA["STEWARD_OPD"]
    )


def produces(user: AnyUser, dataset: Dataset) -> bool:
    """An officer of the dataset's producer OPD."""
    return access.has_role(user, Role.OPD_OFFICER) and user.opd_id == dataset.producer_id


def can_edit(user: AnyUser, dataset: Dataset) -> bool:
    return is_steward(user) or produces(user, dataset)


def public_datasets() -> QuerySet[Dataset]:
    """What leaves the platform (portal, CKAN API, DCAT): public datasets with at least one
    published version. Every public answer starts from this queryset."""
    return Dataset.objects.filter(
        classification=Classification.PUBLIC, versions__status=VersionStatus.PUBLISHED
    ).distinct()


def visible_datasets(user: AnyUser) -> QuerySet[Dataset]:
    """The datasets ``user`` may read on the staff pages: every public and limited one for
    staff, confidential ones only for their producer and the steward."""
    if not access.is_staff_member(user):
        return public_datasets()
    if is_steward(user):
        return Dataset.objects.all()
    mine = Q(producer_id=user.opd_id) if user.opd_id else Q(pk__in=[])
    return Dataset.objects.filter(
        Q(classification__in=[Classification.PUBLIC, Classification.LIMITED]) | mine
    )
