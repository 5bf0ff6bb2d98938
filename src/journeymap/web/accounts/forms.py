"""Sign-up and token forms."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _


class SignUpForm(UserCreationForm):
    """User name, e-mail and password twice; the e-mail must be unused."""

    email = forms.EmailField(label=_("E-mail"), required=True)

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"].strip().lower()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("An account with this e-mail already exists."))
        return email


class ApiTokenForm(forms.Form):
    """A name for a new API token."""

    name = forms.CharField(label=_("Token name"), max_length=100)
