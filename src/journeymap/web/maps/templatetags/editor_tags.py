"""Template filters of the map editor: icons, labels, curve positions."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from journeymap.map.model import LaneKind
from journeymap.render.icons import channel_icon, evidence_icon
from journeymap.web.maps.grid import CURVE_HEIGHT
from journeymap.web.maps.panels import KIND_LABELS, LANE_KIND_LABELS

register = template.Library()


@register.filter
def channel_svg(channel: str | None) -> SafeString:
    """The inline SVG icon of a channel."""
    return mark_safe(str(channel_icon(channel, size=14)))


@register.filter
def evidence_svg(source: str) -> SafeString:
    """The inline SVG icon of an evidence source."""
    return mark_safe(str(evidence_icon(source, size=12)))


@register.filter
def kind_label(kind: str) -> Any:
    """The translated name of an item kind."""
    return KIND_LABELS.get(kind, kind)


@register.filter
def lane_kind_label(kind: str) -> Any:
    """The translated name of a lane kind."""
    return LANE_KIND_LABELS.get(LaneKind(kind), kind)


@register.filter
def percent_y(y: float | None) -> str:
    """A curve y coordinate as a CSS percentage of the curve's height."""
    return "0" if y is None else f"{100 * y / CURVE_HEIGHT:.2f}"


@register.filter
def score_class(score: int | None) -> str:
    """A CSS class for an emotion score: ``neg2``, ``neg1``, ``zero``, ``pos1``, ``pos2``."""
    if score is None:
        return "none"
    return {-2: "neg2", -1: "neg1", 0: "zero", 1: "pos1", 2: "pos2"}[score]
