"""Shared test fixtures: the reference data, loaded once per test database, and the named
personas of GUIDE section 4 (an administrator, an OPD officer of Dinas Sosial and one of Dinas
Kesehatan, an assessor, an executive, an anonymous citizen)."""

from __future__ import annotations

import pytest
from django.test import Client

from kotacerdas.core.access import grant_role
from kotacerdas.core.choices import OpdKind, Role
from kotacerdas.core.models import Opd, User
from kotacerdas.core.reference_data import load_pillars, load_regions


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the 91,599 regions and the pillars once into the test database."""
    with django_db_blocker.unblock():
        load_regions()
        load_pillars()


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Production serves hashed files from a manifest written by collectstatic; tests serve the
    # source files directly instead of collecting first.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def _persona(username: str, role: Role, opd: Opd | None = None) -> User:
    user = User.objects.create_user(username=username, password=None, opd=opd)
    grant_role(user, role, opd)
    return user


@pytest.fixture
def dinsos(db) -> Opd:
    return Opd.objects.create(
        code="dinsos", name="Dinas Sosial", short_name="Dinsos", kind=OpdKind.DINAS
    )


@pytest.fixture
def dinkes(db) -> Opd:
    return Opd.objects.create(
        code="dinkes", name="Dinas Kesehatan", short_name="Dinkes", kind=OpdKind.DINAS
    )


@pytest.fixture
def administrator(db) -> User:
    return _persona("admin-diskominfo", Role.ADMINISTRATOR)


@pytest.fixture
def dinsos_officer(dinsos) -> User:
    return _persona("officer-dinsos", Role.OPD_OFFICER, dinsos)


@pytest.fixture
def dinkes_officer(dinkes) -> User:
    return _persona("officer-dinkes", Role.OPD_OFFICER, dinkes)


@pytest.fixture
def assessor(db) -> User:
    return _persona("assessor", Role.ASSESSOR)


@pytest.fixture
def executive(db) -> User:
    return _persona("executive", Role.EXECUTIVE)


@pytest.fixture
def citizen() -> Client:
    """An anonymous visitor."""
    return Client()


@pytest.fixture
def client_for():
    """A browser client signed in as the given user."""

    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make
