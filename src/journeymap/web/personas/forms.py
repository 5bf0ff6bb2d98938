"""The persona form: text inputs turned into the persona's fields (lists one entry per line).

The form only parses; the persona is validated by the map model in the service, whose errors
come back to the fields here (:meth:`PersonaForm.add_service_errors`).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from journeymap.map.model import ChannelType, Persona

# List fields of the persona edited as one entry per line, with the empathy map's quadrants.
LIST_FIELDS = ("goals", "needs", "pains", "expectations", "motivations", "values", "media")
EMPATHY_FIELDS = ("says", "thinks", "does", "feels")


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


def _text(label: Any, rows: int = 3, placeholder: Any = "") -> forms.CharField:
    attrs = {"rows": rows, "placeholder": placeholder}
    return forms.CharField(
        label=label, required=False, widget=forms.Textarea(attrs=attrs), strip=False
    )


class PersonaForm(forms.Form):
    """Every field of a library persona a person edits by hand (sources and per-stage
    expectations come from data and maps and are kept as they are)."""

    name = forms.CharField(label=_("Name"))
    initials = forms.CharField(label=_("Initials"), required=False)
    segment = forms.CharField(label=_("Segment"), required=False)
    quote = forms.CharField(label=_("Quote"), required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    demographics = _text(_("Demographics (one 'key: value' a line)"), 3, _("age: 18-25"))
    goals = _text(_("Goals"))
    needs = _text(_("Needs"))
    pains = _text(_("Pains"))
    expectations = _text(_("Expectations"))
    motivations = _text(_("Motivations"))
    values = _text(_("Values"))
    channels = forms.MultipleChoiceField(
        label=_("Channels"),
        required=False,
        choices=[(c.value, c.value.replace("_", " ")) for c in ChannelType],
        widget=forms.CheckboxSelectMultiple,
    )
    media = _text(_("Media"), 2)
    says = _text(_("Says"), 4)
    thinks = _text(_("Thinks"), 4)
    does = _text(_("Does"), 4)
    feels = _text(_("Feels"), 4)
    size = forms.DecimalField(
        label=_("Share of customers (%)"), required=False, min_value=0, max_value=100
    )
    data_backed = forms.BooleanField(label=_("Backed by data"), required=False)

    @classmethod
    def initial_from(cls, persona: Persona) -> dict[str, Any]:
        """The form's initial values for a stored persona."""
        initial: dict[str, Any] = {
            name: getattr(persona, name) or ""
            for name in ("name", "initials", "segment", "quote", "description")
        }
        initial["demographics"] = "\n".join(f"{k}: {v}" for k, v in persona.demographics.items())
        for name in LIST_FIELDS:
            initial[name] = "\n".join(getattr(persona, name))
        for name in EMPATHY_FIELDS:
            initial[name] = "\n".join(getattr(persona.empathy, name)) if persona.empathy else ""
        initial["channels"] = [c.value for c in persona.channels]
        initial["size"] = round(persona.size * 100, 2) if persona.size is not None else None
        initial["data_backed"] = persona.data_backed
        return initial

    def clean_demographics(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for n, line in enumerate(_lines(self.cleaned_data["demographics"]), start=1):
            key, sep, value = line.partition(":")
            if not sep or not key.strip():
                raise ValidationError(
                    _("Line %(n)d: write 'key: value', e.g. 'age: 18-25'."), params={"n": n}
                )
            found[key.strip()] = value.strip()
        return found

    def persona_data(self) -> dict[str, Any]:
        """The persona fields from a valid form (for the library services)."""
        data = self.cleaned_data
        out: dict[str, Any] = {"name": data["name"].strip()}
        for name in ("initials", "segment", "quote", "description"):
            out[name] = data[name].strip() or None
        out["demographics"] = data["demographics"]
        for name in LIST_FIELDS:
            out[name] = _lines(data[name])
        empathy = {name: _lines(data[name]) for name in EMPATHY_FIELDS}
        out["empathy"] = empathy if any(empathy.values()) else None
        out["channels"] = data["channels"]
        out["size"] = float(data["size"]) / 100 if data["size"] is not None else None
        out["data_backed"] = data["data_backed"]
        return out

    def add_service_errors(self, exc: ValidationError) -> None:
        """Put the service's errors (keyed by persona field path) on the form's fields."""
        for path, messages in exc.message_dict.items():
            head = path.split("[")[0].split(".")
            name = head[1] if head[0] == "empathy" and len(head) > 1 else head[0]
            for message in messages:
                self.add_error(name if name in self.fields else None, message)


class PersonaFileForm(forms.Form):
    """A YAML or JSON file of personas (e.g. the drafts of ``journeymap segments``)."""

    file = forms.FileField(label=_("File (.yaml, .yml or .json)"))

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        limit = settings.JOURNEYMAP_MAX_IMPORT_BYTES
        if upload.size > limit:
            raise ValidationError(
                _("The file is too big (%(size)d KB); the limit is %(limit)d KB.")
                % {"size": upload.size // 1024, "limit": limit // 1024}
            )
        if not upload.name.lower().endswith((".yaml", ".yml", ".json")):
            raise ValidationError(_("Upload a .yaml, .yml or .json file."))
        return upload
