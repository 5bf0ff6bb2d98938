"""Summaries of changes (the activity log, the editor's toast) in the reader's language.

A :class:`Summary` is the English sentence (it is a ``str``: stored, logged and answered by the
API as before) that also remembers its untranslated template and values. The activity log keeps
both (:meth:`Summary.to_data`), and :func:`translate_summary` renders them again in the language
of whoever reads the log later. Templates are marked with :func:`gettext_noop` where they are
written, so that ``makemessages`` finds them; the edit operations use this module without
needing Django's settings.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext


def gettext_noop(message: str) -> str:
    """Mark ``message`` for translation and return it as it is (translated when shown)."""
    return message


def _data(value: Any) -> Any:
    if isinstance(value, Summary):
        return value.to_data()
    if isinstance(value, list | tuple):
        return [_data(v) for v in value]
    return value


class Summary(str):
    """``template % params`` in English, with the template and the values kept for later.

    A value may itself be a Summary (a translatable word such as a kind of item) or a list of
    them (shown joined with commas).
    """

    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, **params: Any) -> Summary:
        english = {k: ", ".join(v) if isinstance(v, list) else v for k, v in params.items()}
        self = super().__new__(cls, template % english)
        self.template = template
        self.params = params
        return self

    def to_data(self) -> dict[str, Any]:
        """The template and values as JSON-ready data (nested summaries too)."""
        return {"template": self.template, "params": {k: _data(v) for k, v in self.params.items()}}

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Summary:
        """The summary that :meth:`to_data` gave ``data`` (nested summaries too)."""
        return cls(data["template"], **{k: _summary(v) for k, v in data["params"].items()})


def _summary(value: Any) -> Any:
    if isinstance(value, dict) and "template" in value:
        return Summary.from_data(value)
    if isinstance(value, list):
        return [_summary(v) for v in value]
    return value


def _translated(value: Any) -> Any:
    if isinstance(value, dict) and "template" in value:
        return translate_summary(value)
    if isinstance(value, list):
        return ", ".join(str(_translated(v)) for v in value)
    return value


def translate_summary(value: Summary | dict[str, Any] | str) -> str:
    """The summary in the active language; a plain string (an old log line) as it is."""
    if isinstance(value, Summary):
        value = value.to_data()
    if not isinstance(value, dict):
        return str(value)
    params = {k: _translated(v) for k, v in value.get("params", {}).items()}
    return gettext(value["template"]) % params
