"""Forms of the service desk's staff pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kotacerdas.servicedesk.choices import HolidayKind
from kotacerdas.servicedesk.models import Service


class ServiceForm(forms.ModelForm):
    class Meta:
        model = Service
        fields = [
            "code",
            "name",
            "description",
            "category",
            "opd",
            "pillar",
            "requirements",
            "fee",
            "legal_basis",
            "sla_amount",
            "sla_unit",
            "keywords",
            "active",
        ]


class HolidayForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=HolidayKind.choices)
