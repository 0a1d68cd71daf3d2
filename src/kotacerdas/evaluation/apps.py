from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    """The national smart city evaluation: the instrument, scoring, index and target gap."""

    name = "kotacerdas.evaluation"
    label = "evaluation"
    verbose_name = _("Smart city evaluation")
