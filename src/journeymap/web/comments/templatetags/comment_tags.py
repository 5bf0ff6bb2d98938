"""Template filters of comments."""

from __future__ import annotations

from django import template

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
