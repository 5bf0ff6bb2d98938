"""Every shipped template renders: each stage, lane and item is on the page and in the tables."""

from __future__ import annotations

import csv
import io

import pytest
from markupsafe import escape

from journeymap.map.model import ItemStatus
from journeymap.map.templates import list_templates, load_template
from journeymap.render.html import render_html
from journeymap.render.markdown import render_markdown
from journeymap.render.table import render_csv

TEMPLATES = [(info.id, language) for info in list_templates() for language in info.languages]


@pytest.mark.parametrize(("template_id", "language"), TEMPLATES)
def test_template_renders_every_stage_lane_and_item(template_id: str, language: str) -> None:
    doc = load_template(template_id, language)
    html = render_html(doc)
    for stage in doc.stages:
        assert str(escape(stage.title)) in html
    for lane in doc.lanes:
        assert str(escape(lane.title)) in html
    for _, item in doc.iter_items():
        if item.status != ItemStatus.REJECTED:
            assert str(escape(item.text)) in html, item.id
    markdown = render_markdown(doc)
    assert all(f". {stage.title}\n" in markdown for stage in doc.stages)
    rows = list(csv.DictReader(io.StringIO(render_csv(doc))))
    assert len(rows) == len(doc.iter_items())


def test_there_are_templates_to_render() -> None:
    assert len(TEMPLATES) >= 6
