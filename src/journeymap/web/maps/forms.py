"""Forms of the map pages (the editor's inputs are validated by the edit operations)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

LANGUAGE_CHOICES = [("en", "English"), ("pl", "Polski"), ("ru", "Русский")]


class BlankMapForm(forms.Form):
    """The title of a new, empty map."""

    title = forms.CharField(label=_("Title"), max_length=300)
    language = forms.ChoiceField(label=_("Language of the map"), choices=LANGUAGE_CHOICES)


class TemplateMapForm(forms.Form):
    """A template and the language to create a map from it."""

    template = forms.CharField(max_length=80)
    language = forms.CharField(max_length=8)
    title = forms.CharField(label=_("Title"), max_length=300, required=False)


class ImportMapForm(forms.Form):
    """A YAML or JSON map, uploaded as a file or pasted."""

    file = forms.FileField(label=_("File (.yaml, .yml or .json)"), required=False)
    text = forms.CharField(
        label=_("…or paste the map"), required=False, widget=forms.Textarea(attrs={"rows": 10})
    )
    format = forms.ChoiceField(
        label=_("Format of pasted text"),
        choices=[("yaml", "YAML"), ("json", "JSON")],
        initial="yaml",
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data.get("file")
        limit = settings.JOURNEYMAP_MAX_IMPORT_BYTES
        if upload is not None and upload.size > limit:
            raise forms.ValidationError(
                _("The file is too big (%(size)d KB); the limit is %(limit)d KB.")
                % {"size": upload.size // 1024, "limit": limit // 1024}
            )
        if upload is not None and not upload.name.lower().endswith((".yaml", ".yml", ".json")):
            raise forms.ValidationError(_("Upload a .yaml, .yml or .json file."))
        return upload

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if not data.get("file") and not (data.get("text") or "").strip():
            raise forms.ValidationError(_("Choose a file or paste a map."))
        return data


class DuplicateMapForm(forms.Form):
    """The title of the copy."""

    title = forms.CharField(label=_("Title of the copy"), max_length=300, required=False)
