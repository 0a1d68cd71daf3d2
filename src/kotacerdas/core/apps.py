from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Regions, pillars, OPDs, accounts and roles, API tokens and the audit trail: the shared
    ground every domain app stands on. Core depends on no domain app."""

    name = "kotacerdas.core"
    label = "core"
    verbose_name = _("Platform core")

    def ready(self) -> None:
        from kotacerdas.core import audit

        audit.register_core_models()
