"""Who works in the registry: the administrators and the officers of the OPD the settings name
(Dinas Sosial by default); executives see the figures only."""

import pytest
from django.contrib.auth.models import AnonymousUser

from kotacerdas.bansos import rules

pytestmark = pytest.mark.django_db


def test_the_registry_is_for_administrators_and_dinas_sosial(
    administrator, dinsos_officer, dinkes_officer, executive
):
    works = {
        "administrator": administrator,
        "dinsos": dinsos_officer,
        "dinkes": dinkes_officer,
        "executive": executive,
        "anonymous": AnonymousUser(),
    }
    assert {name for name, user in works.items() if rules.can_work_registry(user)} == {
        "administrator",
        "dinsos",
    }
    assert {name for name, user in works.items() if rules.can_reveal_identity(user)} == {
        "administrator",
        "dinsos",
    }
    assert {name for name, user in works.items() if rules.can_see_figures(user)} == {
        "administrator",
        "dinsos",
        "executive",
    }


def test_the_opd_of_the_registry_is_the_one_the_settings_name(
    settings, administrator, dinsos_officer, dinkes_officer
):
    settings.BANSOS = {**settings.BANSOS, "OPD": "dinkes"}
    assert rules.can_work_registry(dinkes_officer)
    assert not rules.can_work_registry(dinsos_officer)
    assert rules.can_work_registry(administrator)
