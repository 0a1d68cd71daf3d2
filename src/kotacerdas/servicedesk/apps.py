from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicedeskConfig(AppConfig):
    """PECUT, the integrated service desk: citizens' requests and complaints across all OPDs,
    with service levels on a working-day calendar, Open311 and the satisfaction index (IKM)."""

    name = "kotacerdas.servicedesk"
    label = "servicedesk"
    verbose_name = _("PECUT service desk")

    def ready(self) -> None:
        from kotacerdas.evaluation import survey

        # audit registers the models; open311 connects the public record's cache to saves.
        from kotacerdas.servicedesk import audit, feeds, open311  # noqa: F401

        # The impact survey asks whether a respondent used a pillar's services: say it.
        if feeds.used_pillar_services not in survey.USAGE_LOOKUPS:
            survey.USAGE_LOOKUPS.append(feeds.used_pillar_services)

    def load_reference(self, region) -> str | None:
        """Called by ``kotacerdas init``: the national holidays and joint leave days."""
        from kotacerdas.servicedesk.sla import load_holidays

        created = load_holidays()
        return f"{created} holidays and joint leave days" if created else None

    def load_demo(self, region) -> str | None:
        from kotacerdas.servicedesk import demo

        return "PECUT service catalogue and requests" if demo.load(region) else None
