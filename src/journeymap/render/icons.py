"""Inline SVG icons for channels, evidence sources and item markers, drawn here (no icon fonts).

Every icon is a 24x24 line drawing; :func:`icon` returns a complete ``<svg>`` element with an
explicit colour, because WeasyPrint does not pass the HTML ``color`` into inline SVG.
"""

from __future__ import annotations

from html import escape

from markupsafe import Markup

from journeymap.map.model import ChannelType, EvidenceSource

# Each shape is the inside of an <svg viewBox="0 0 24 24">, stroked with the icon colour.
# Filled details use fill="{c}", which is replaced by the colour.
_SHAPES: dict[str, str] = {
    # channels
    "web": '<circle cx="12" cy="12" r="9"/><ellipse cx="12" cy="12" rx="4" ry="9"/>'
    '<path d="M3 12h18M4.6 7.5h14.8M4.6 16.5h14.8"/>',
    "mobile_app": '<rect x="6.5" y="2.5" width="11" height="19" rx="2.5"/><path d="M10.5 18h3"/>',
    "email": '<rect x="3" y="5.5" width="18" height="13" rx="2"/><path d="M3.5 7l8.5 6 8.5-6"/>',
    "social": '<circle cx="17.5" cy="5.5" r="2.8"/><circle cx="6.5" cy="12" r="2.8"/>'
    '<circle cx="17.5" cy="18.5" r="2.8"/><path d="M9 10.6l6-3.6M9 13.4l6 3.6"/>',
    "search": '<circle cx="10.5" cy="10.5" r="6.5"/><path d="M15.5 15.5L21 21"/>',
    "ads": '<path d="M3.5 9.5v5h3.5l6.5 4.5v-14L7 9.5z"/><path d="M16.5 9a4 4 0 0 1 0 6"/>'
    '<path d="M19 6.5a7.5 7.5 0 0 1 0 11"/>',
    "phone": '<path d="M5 3.5h3.5l2 5-2.6 1.6a11 11 0 0 0 6 6l1.6-2.6 5 2v3.5a2 2 0 0 1-2 2'
    'A16.5 16.5 0 0 1 3 5.5a2 2 0 0 1 2-2z"/>',
    "chat": '<path d="M20.5 11.5a8 7 0 0 1-11.3 6.4L4 19.5l1.6-4.2a8 7 0 1 1 14.9-3.8z"/>'
    '<circle cx="8.5" cy="11.5" r="0.6" fill="{c}"/><circle cx="12.5" cy="11.5" r="0.6" '
    'fill="{c}"/><circle cx="16.5" cy="11.5" r="0.6" fill="{c}"/>',
    "store": '<path d="M3.5 9l1.8-5h13.4l1.8 5"/><path d="M4.5 9v11h15V9"/><path d="M3 9h18"/>'
    '<path d="M10 20v-5.5h4V20"/>',
    "event": '<rect x="3.5" y="5" width="17" height="15.5" rx="2"/><path d="M3.5 10h17M8 3v4M16 '
    '3v4"/><circle cx="12" cy="15" r="1.2" fill="{c}"/>',
    "mail": '<path d="M3.5 7.5L12 3l8.5 4.5v9L12 21l-8.5-4.5z"/><path d="M3.5 7.5L12 12l8.5-4.5'
    'M12 12v9"/><path d="M7.8 5.2l8.5 4.6"/>',
    "sms": '<path d="M4.5 4h15a1.5 1.5 0 0 1 1.5 1.5v10a1.5 1.5 0 0 1-1.5 1.5H9l-4.5 3.5V17'
    'A1.5 1.5 0 0 1 3 15.5v-10A1.5 1.5 0 0 1 4.5 4z"/><path d="M7.5 8.5h9M7.5 12.5h6"/>',
    "word_of_mouth": '<circle cx="9" cy="8" r="3.2"/><path d="M3 20a6 6 0 0 1 12 0"/>'
    '<circle cx="17" cy="9" r="2.5"/><path d="M15.8 14.2A5 5 0 0 1 21.5 19"/>',
    "partner": '<circle cx="9" cy="12" r="5.5"/><circle cx="15" cy="12" r="5.5"/>',
    "sales": '<rect x="3" y="7" width="18" height="13" rx="2"/><path d="M9 7V5a1 1 0 0 1 1-1h4'
    'a1 1 0 0 1 1 1v2"/><path d="M3 13h18"/>',
    "product": '<path d="M3.5 3.5h8l9 9-8 8-9-9z"/><circle cx="8" cy="8" r="1.6"/>',
    "other": '<circle cx="12" cy="12" r="9"/><circle cx="8" cy="12" r="0.7" fill="{c}"/>'
    '<circle cx="12" cy="12" r="0.7" fill="{c}"/><circle cx="16" cy="12" r="0.7" fill="{c}"/>',
    # evidence sources
    "analytics": '<path d="M4 20.5h16"/><path d="M7 16.5v-5M12 16.5v-10M17 16.5v-7"/>',
    "survey": '<rect x="5.5" y="4" width="13" height="17" rx="2"/><path d="M9 4V2.8h6V4"/>'
    '<path d="M9 12.5l2 2 4-4.5"/>',
    "interview": '<rect x="9" y="3" width="6" height="11" rx="3"/><path d="M5.5 11a6.5 6.5 0 0 0 '
    '13 0"/><path d="M12 17.5V21M9 21h6"/>',
    "usability_test": '<path d="M5 3.5l13 6.5-5.8 1.6L9.5 18z"/><path d="M12.5 11.8l5 5"/>',
    "support_log": '<path d="M4.5 14v-2.5a7.5 7.5 0 0 1 15 0V14"/><rect x="3" y="13.5" '
    'width="4" height="6" rx="1.5"/><rect x="17" y="13.5" width="4" height="6" rx="1.5"/>',
    "observation": '<path d="M2 12s3.6-6.5 10-6.5S22 12 22 12s-3.6 6.5-10 6.5S2 12 2 12z"/>'
    '<circle cx="12" cy="12" r="3"/>',
    "assumption": '<circle cx="12" cy="12" r="9"/><path d="M9.4 9.3a2.7 2.7 0 1 1 3.6 2.5'
    'c-.7.3-1 .8-1 1.6v.6"/><circle cx="12" cy="17" r="0.8" fill="{c}"/>',
    # markers
    "check": '<circle cx="12" cy="12" r="9"/><path d="M7.8 12.3l2.8 2.8 5.6-5.9"/>',
    "alert": '<path d="M12 3.5l9.5 16.5h-19z"/><path d="M12 10v4.5"/>'
    '<circle cx="12" cy="17.3" r="0.8" fill="{c}"/>',
    "diamond": '<path d="M12 2.5l9.5 9.5-9.5 9.5L2.5 12z"/><circle cx="12" cy="12" r="2.6" '
    'fill="{c}"/>',
    "bulb": '<path d="M9 18.5h6M10 21.5h4"/><path d="M12 2.8a6.2 6.2 0 0 0-4 11c.7.6 1 1.5 1 '
    '2.4v.3h6v-.3c0-.9.3-1.8 1-2.4a6.2 6.2 0 0 0-4-11z"/>',
    "target": '<circle cx="12" cy="12" r="9"/><circle cx="12" cy="12" r="5"/>'
    '<circle cx="12" cy="12" r="1.2" fill="{c}"/>',
    "user": '<circle cx="12" cy="8" r="4"/><path d="M4.5 21a7.5 7.5 0 0 1 15 0"/>',
    "calendar": '<rect x="3.5" y="5" width="17" height="15.5" rx="2"/>'
    '<path d="M3.5 10h17M8 3v4M16 3v4"/>',
    "star": '<path d="M12 3.5l2.6 5.4 5.9.8-4.3 4.1 1 5.8L12 16.8l-5.2 2.8 1-5.8-4.3-4.1 '
    '5.9-.8z"/>',
    "stay": '<path d="M4 12h15"/><path d="M13.5 6.5L19 12l-5.5 5.5"/>',
    "leave": '<path d="M10 4H5v16h5"/><path d="M21 12H10"/><path d="M17 8l4 4-4 4"/>',
    "flag": '<path d="M5 21V4"/><path d="M5 4.5h12l-2.5 4 2.5 4H5"/>',
    "footsteps": '<ellipse cx="8" cy="8" rx="2.6" ry="4"/><ellipse cx="16" cy="13" rx="2.6" '
    'ry="4"/><path d="M6.8 15h2.6M14.8 20h2.6"/>',
    "thought": '<path d="M7.5 16.5a4.5 4.5 0 0 1-.6-9 5.5 5.5 0 0 1 10.4-.4 4.2 4.2 0 0 1 .2 '
    '8.4z"/><circle cx="6" cy="19.5" r="1.2"/><circle cx="3.5" cy="22" r="0.6" fill="{c}"/>',
    "heart": '<path d="M12 20s-7.5-4.6-7.5-10a4.2 4.2 0 0 1 7.5-2.6A4.2 4.2 0 0 1 19.5 10'
    'c0 5.4-7.5 10-7.5 10z"/>',
    "layers": '<path d="M12 3.5l9 4.5-9 4.5L3 8z"/><path d="M3 12.5l9 4.5 9-4.5"/>',
    "gear": '<circle cx="12" cy="12" r="3"/><path d="M12 2.5v3M12 18.5v3M2.5 12h3M18.5 12h3'
    'M5.3 5.3l2.1 2.1M16.6 16.6l2.1 2.1M5.3 18.7l2.1-2.1M16.6 7.4l2.1-2.1"/>',
    "checklist": '<path d="M10 6.5h10M10 12h10M10 17.5h10"/><path d="M3.5 6.5l1.5 1.5 2.5-3'
    'M3.5 12l1.5 1.5 2.5-3M3.5 17.5l1.5 1.5 2.5-3"/>',
    "note": '<path d="M5 3.5h10l4 4v13H5z"/><path d="M15 3.5v4h4M8.5 12h7M8.5 16h5"/>',
    "image": '<rect x="3" y="4.5" width="18" height="15" rx="2"/><circle cx="8.5" cy="9.5" '
    'r="1.8"/><path d="M3.5 17.5l5-5 4 4 3-3 5 5"/>',
    "chart": '<path d="M3.5 20.5h17"/><path d="M4.5 16l5-5.5 4 3.5 6.5-8"/>',
}


def icon_names() -> list[str]:
    """Every icon this module draws."""
    return sorted(_SHAPES)


def icon(name: str, color: str = "#334155", size: float = 14, stroke: float = 1.9) -> Markup:
    """The icon ``name`` as an inline ``<svg>`` of ``size`` CSS pixels in ``color``."""
    try:
        shape = _SHAPES[name]
    except KeyError:
        raise KeyError(f"no icon named {name!r}; known icons: {', '.join(icon_names())}") from None
    c = escape(color, quote=True)
    return Markup(
        f'<svg class="icon icon-{name}" width="{size:g}" '
        f'height="{size:g}" viewBox="0 0 24 24" fill="none" stroke="{c}" '
        f'stroke-width="{stroke:g}" stroke-linecap="round" stroke-linejoin="round" '
        f'aria-hidden="true">{shape.replace("{c}", c)}</svg>'
    )


def channel_icon(
    channel: ChannelType | str | None, color: str = "#0F766E", size: float = 14
) -> Markup:
    """The icon of a channel (``None`` or an unknown channel gets the generic one)."""
    name = ChannelType(channel).value if channel in set(ChannelType) else "other"
    return icon(name, color, size)


def evidence_icon(source: EvidenceSource | str, color: str = "#475569", size: float = 12) -> Markup:
    """The icon of an evidence source."""
    return icon(EvidenceSource(source).value, color, size)
