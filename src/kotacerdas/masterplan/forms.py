"""Forms of the masterplan pages. They only read and type the input; the rules live in
``programmes`` and ``reporting``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kotacerdas.masterplan.choices import BudgetSource
from kotacerdas.masterplan.models import Programme
from kotacerdas.masterplan.programmes import LARGEST_RUPIAH, PROGRAMME_FIELDS


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = PROGRAMME_FIELDS


class BudgetForm(forms.Form):
    year = forms.IntegerField(label=_("Year"))
    source = forms.ChoiceField(label=_("Source"), choices=BudgetSource.choices)
    planned = forms.IntegerField(
        label=_("Planned (Rp)"), required=False, min_value=0, max_value=LARGEST_RUPIAH
    )
    realised = forms.IntegerField(
        label=_("Realised (Rp)"), required=False, min_value=0, max_value=LARGEST_RUPIAH
    )
