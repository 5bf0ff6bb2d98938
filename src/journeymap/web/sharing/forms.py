"""The form to create a share link."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ShareLinkForm(forms.Form):
    """A label (for whom) and an optional lifetime in days."""

    label = forms.CharField(label=_("For whom (label)"), max_length=120, required=False)
    expires_in_days = forms.IntegerField(
        label=_("Expires after (days, empty: never)"), min_value=1, max_value=365, required=False
    )
