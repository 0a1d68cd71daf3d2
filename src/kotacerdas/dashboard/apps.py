from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    """The executive dashboard (SIE): the figures of every module on one screen, each with its
    definition and source; stat meetings whose action items follow a figure until it moves; and
    the public performance page. It reads from every app; no app reads from it."""

    name = "kotacerdas.dashboard"
    label = "dashboard"
    verbose_name = _("Executive dashboard")

    def ready(self) -> None:
        from kotacerdas.dashboard import audit  # noqa: F401 - registers the models

    def load_demo(self, region) -> str | None:
        from kotacerdas.dashboard import demo

        if not demo.load(region):
            return None
        return "A stat meeting with its action items, and annotations on the series"
