from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    """Satu Data: the city's data catalogue (datasets with metadata and Table Schemas, versions
    validated and published by the steward), the indicator store, the CKAN-compatible API and
    the open data portal."""

    name = "kotacerdas.opendata"
    label = "opendata"
    verbose_name = _("Satu Data")

    def ready(self) -> None:
        from kotacerdas.opendata import audit  # noqa: F401 - registers the models

    def load_reference(self, region) -> str | None:
        """Called by ``kotacerdas init``: the indicators the evaluation and the dashboard use."""
        from kotacerdas.opendata.indicators import load_indicators

        created = load_indicators()
        return f"{created} indicators" if created else None

    def load_demo(self, region) -> str | None:
        from kotacerdas.opendata import demo

        return "Satu Data datasets and indicator values" if demo.load(region) else None
