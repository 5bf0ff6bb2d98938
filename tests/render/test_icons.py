"""Channel and evidence icons: one for every channel and source, well-formed inline SVG."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from journeymap.map.model import ChannelType, EvidenceSource
from journeymap.render.icons import channel_icon, evidence_icon, icon, icon_names


def test_every_channel_and_evidence_source_has_its_own_icon() -> None:
    names = set(icon_names())
    assert {c.value for c in ChannelType} <= names
    assert {s.value for s in EvidenceSource} <= names
    drawings = {str(channel_icon(c)).split(">", 1)[1] for c in ChannelType}
    assert len(drawings) == len(ChannelType)  # no two channels share a drawing


@pytest.mark.parametrize("name", icon_names())
def test_icon_is_well_formed_svg_in_the_given_colour(name: str) -> None:
    root = ET.fromstring(str(icon(name, "#123456", 20)))
    assert root.tag == "svg"
    assert root.get("width") == "20" and root.get("stroke") == "#123456"
    assert "currentColor" not in str(icon(name, "#123456"))
    assert "http" not in str(icon(name))


def test_unknown_channel_gets_the_generic_icon_and_unknown_names_fail() -> None:
    assert "icon-other" in str(channel_icon(None))
    assert "icon-interview" in str(evidence_icon("interview"))
    with pytest.raises(KeyError, match="no icon named 'nope'"):
        icon("nope")


def test_colour_cannot_break_out_of_the_attribute() -> None:
    assert '"><script>' not in str(icon("web", '"><script>'))
