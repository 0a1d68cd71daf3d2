"""Forms of Satu Data's staff pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kotacerdas.core.models import Region
from kotacerdas.opendata.models import Dataset, Indicator
from kotacerdas.opendata.publishing import METADATA_FIELDS


class DatasetForm(forms.ModelForm):
    """A dataset's description. The Table Schema is JSON (Frictionless Table Schema); a field
    may carry ``"region": true`` to require Kemendagri region codes."""

    tags_text = forms.CharField(
        label=_("Tags"), required=False, help_text=_("Comma-separated, e.g. kependudukan, BPS.")
    )
    table_schema = forms.JSONField(
        label=_("Table Schema"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
    )

    class Meta:
        model = Dataset
        fields = ["slug", "producer", *METADATA_FIELDS]

    def __init__(self, *args, can_choose_producer: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["tags_text"].initial = ", ".join(t.name for t in self.instance.tags.all())
        if not can_choose_producer:
            del self.fields["producer"]
        self.fields["coverage"].queryset = Region.objects.filter(
            level__in=["regency", "district", "village"]
        )

    def tag_names(self) -> list[str]:
        return [name for name in self.cleaned_data.get("tags_text", "").split(",") if name.strip()]


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Data file (CSV, XLSX or JSON)"))
    note = forms.CharField(
        label=_("What changed"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class IndicatorValueForm(forms.Form):
    indicator = forms.ModelChoiceField(label=_("Indicator"), queryset=Indicator.objects.all())
    region = forms.CharField(label=_("Region code"), max_length=13, help_text=_("e.g. 35.71"))
    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2100)
    value = forms.CharField(label=_("Value"), max_length=30)
    evidence = forms.FileField(label=_("Evidence"), required=False)
    source_note = forms.CharField(label=_("Source"), max_length=300, required=False)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_region(self) -> Region:
        region = Region.objects.filter(code=self.cleaned_data["region"].strip()).first()
        if region is None:
            raise forms.ValidationError(_("No region has this code."))
        return region


class MappingForm(forms.Form):
    indicator = forms.ModelChoiceField(label=_("Indicator"), queryset=Indicator.objects.all())
    region_field = forms.CharField(label=_("Region code column"), max_length=100)
    year_field = forms.CharField(label=_("Year column"), max_length=100)
    value_field = forms.CharField(label=_("Value column"), max_length=100)
