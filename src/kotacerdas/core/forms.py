"""Forms of the core web pages."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.db import models
from django.utils.translation import gettext_lazy as _

from kotacerdas.core.models import Opd, User


def _form_field(field: models.Field, **kwargs) -> forms.Field | None:
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"  # government sites are served over HTTPS
    return field.formfield(**kwargs)


def opd_form_class(fields: tuple[str, ...]) -> type[forms.ModelForm]:
    """A form with just the OPD fields the current user may change (see ``access``)."""
    return forms.modelform_factory(Opd, fields=fields, formfield_callback=_form_field)


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=80,
        help_text=_("What will use the token, e.g. 'Dashboard provinsi'."),
    )


class SignUpForm(UserCreationForm):
    """A citizen's own account: a username, an optional e-mail address and a password. It has
    no role: it only gathers the person's own requests (and later their own records)."""

    email = forms.EmailField(label=_("E-mail address (optional)"), required=False)

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")
