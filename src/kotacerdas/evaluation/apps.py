from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    """The national smart city evaluation: the instrument, scoring, index and target gap."""

    name = "kotacerdas.evaluation"
    label = "evaluation"
    verbose_name = _("Smart city evaluation")

    def ready(self) -> None:
        from kotacerdas.evaluation import audit  # noqa: F401 - registers the models

    def load_reference(self, region) -> str | None:
        """Called by ``kotacerdas init``: the published indices of the deployment's region."""
        from kotacerdas.evaluation.history import seed_published_history

        created = seed_published_history(region)
        return f"{created} published smart city indices" if created else None

    def load_demo(self, region) -> str | None:
        from kotacerdas.evaluation import demo

        return (
            "evaluations 2022 (final, index 3.31) and 2024 (in progress)"
            if demo.load(region)
            else None
        )
