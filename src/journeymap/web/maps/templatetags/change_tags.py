"""``change|change_text``: a line of a map diff in the reader's language."""

from __future__ import annotations

from django import template

from journeymap.map.diff import Change
from journeymap.web.maps import change_text as texts

register = template.Library()


@register.filter
def change_text(change: Change) -> str:
    """The change as a sentence in the active language."""
    return texts.change_text(change)
