"""``doc|background_export:fmt``: whether the editor offers ``fmt`` as a background export."""

from __future__ import annotations

from django import template
from django.conf import settings

from journeymap.map.model import JourneyMap
from journeymap.web.jobs.services import BACKGROUND_FORMATS

register = template.Library()


@register.filter
def background_export(doc: JourneyMap, fmt: str) -> bool:
    """PDF and PNG of a map with ``JOURNEYMAP_BACKGROUND_EXPORT_ITEMS`` items or more."""
    return fmt in BACKGROUND_FORMATS and len(doc.iter_items()) >= int(
        settings.JOURNEYMAP_BACKGROUND_EXPORT_ITEMS
    )
