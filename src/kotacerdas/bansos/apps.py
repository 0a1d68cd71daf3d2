from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BansosConfig(AppConfig):
    """Bansos: Dinas Sosial's social-aid registry, linked to the civil registry by NIK; the
    DTKS linkage and its data-quality flags; Cek Bansos for citizens; Kartu Sahabat
    disbursement and bank reconciliation."""

    name = "kotacerdas.bansos"
    label = "bansos"
    verbose_name = _("Social aid (bansos)")

    def ready(self) -> None:
        from kotacerdas.bansos import audit  # noqa: F401 - registers the models

    def load_reference(self, region) -> str | None:
        """Called by ``kotacerdas init``: the national and local aid programmes."""
        from kotacerdas.bansos.registry import load_programmes

        created = load_programmes()
        return f"{created} social-aid programmes" if created else None

    def load_demo(self, region) -> str | None:
        from kotacerdas.bansos import demo

        if not demo.load(region):
            return None
        return "Social-aid registry (synthetic people), linkage and a Kartu Sahabat batch"
