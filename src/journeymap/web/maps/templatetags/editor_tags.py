"""Template tags of the map editor."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from journeymap.web.maps.grid_html import render_grid

register = template.Library()


@register.simple_tag(takes_context=True)
def editor_grid(context: template.Context) -> SafeString:
    """The map's grid (``grid`` of the context) for the member or share link viewing it."""
    counts: Any = context.get("comment_counts")
    return render_grid(
        context["grid"],
        map_id=context["map"].pk,
        can_edit=bool(context.get("can_edit")),
        can_comment=bool(context.get("can_comment")),
        shared=bool(context.get("shared")),
        comment_counts=counts if isinstance(counts, dict) else {},
    )
