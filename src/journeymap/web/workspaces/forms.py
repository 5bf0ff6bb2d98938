"""Forms of the workspace pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from journeymap.web.workspaces.models import Role


class WorkspaceForm(forms.Form):
    """Name and description of a workspace."""

    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class InviteForm(forms.Form):
    """Whom to invite and with which role."""

    email = forms.EmailField(label=_("E-mail"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.EDITOR)


class RoleForm(forms.Form):
    """A member's new role."""

    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
