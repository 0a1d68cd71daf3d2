"""An officer of a named OPD: the question the modules ask before they add their own rules
(Dinas Sosial's registry, the desk's triage, the data steward)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from kotacerdas.core.access import grant_role, is_officer_of
from kotacerdas.core.choices import Role
from kotacerdas.core.models import User

pytestmark = pytest.mark.django_db


def test_an_officer_is_an_officer_of_their_own_opd_only(dinsos_officer, dinkes_officer):
    assert is_officer_of(dinsos_officer, "dinsos")
    assert not is_officer_of(dinsos_officer, "dinkes")
    assert is_officer_of(dinkes_officer, "dinkes")
    assert not is_officer_of(dinsos_officer, "")


def test_nobody_else_is_an_officer_of_an_opd(administrator, executive, dinsos):
    # An administrator is no OPD's officer: a rule that admits them says so itself.
    assert not is_officer_of(administrator, "dinsos")
    assert not is_officer_of(AnonymousUser(), "dinsos")
    # Belonging to the OPD without the officer role is not enough, nor is the role alone.
    member = User.objects.create_user(username="pegawai-dinsos", password=None, opd=dinsos)
    assert not is_officer_of(member, "dinsos")
    grant_role(executive, Role.EXECUTIVE, dinsos)
    assert not is_officer_of(executive, "dinsos")
    grant_role(member, Role.OPD_OFFICER)
    assert is_officer_of(member, "dinsos")
