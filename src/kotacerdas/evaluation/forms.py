"""Forms of the evaluation pages: they read and type the input; the rules are in ``cycle``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kotacerdas.evaluation.instruments import load_catalogue


def scheme_choices() -> list[tuple[str, str]]:
    return [
        (scheme.id, f"{scheme.id}: {scheme.label}") for scheme in load_catalogue().schemes.values()
    ]


class OpenEvaluationForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2017, max_value=2100)
    scheme = forms.ChoiceField(label=_("Scheme"), choices=scheme_choices)
    deadline = forms.DateField(
        label=_("Deadline"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    target = forms.DecimalField(
        label=_("Target index"), required=False, min_value=0, max_value=4, decimal_places=3
    )
