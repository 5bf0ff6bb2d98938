"""Template filters of comments."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def get_item_or(mapping: dict[str, str], key: str) -> str:
    """``mapping[key]``, or ``key`` itself when it is not there."""
    return mapping.get(key, key) if isinstance(mapping, dict) else key


@register.filter
def count_of(counts: dict[str, int], key: str) -> int:
    """The open-thread count of a target (0 when none)."""
    return counts.get(key, 0) if isinstance(counts, dict) else 0


@register.filter
def sum_values(values: object) -> int:
    """The sum of numbers (the open threads of every target)."""
    return sum(values) if isinstance(values, type({}.values())) else 0


@register.simple_tag
def comment_icon() -> SafeString:
    """A small speech-bubble icon (inline SVG: no emoji font needed)."""
    return mark_safe(
        '<svg class="icon" width="13" height="13" viewBox="0 0 24 24" fill="none"'
        ' stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"'
        ' aria-hidden="true"><path d="M21 12a8 7 0 0 1-11.3 6.4L4 20l1.6-4.2A8 7 0 1 1 21 12z"/>'
        "</svg>"
    )
