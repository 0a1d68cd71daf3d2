from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MasterplanConfig(AppConfig):
    """The smart city masterplan, its programmes, KPIs, budgets, action plans, institutions and
    the OPDs' quarterly progress reports."""

    name = "kotacerdas.masterplan"
    label = "masterplan"
    verbose_name = _("Masterplan and programmes")

    def ready(self) -> None:
        from kotacerdas.masterplan import audit  # noqa: F401 - registers the models

    def load_demo(self, region) -> str | None:
        """Called by ``kotacerdas init --demo`` (core knows no domain app by name)."""
        from kotacerdas.masterplan import demo

        return "Kota Kediri masterplan with 17 programmes" if demo.load(region) else None
