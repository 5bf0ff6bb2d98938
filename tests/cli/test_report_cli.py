"""``journeymap report``: one self-contained HTML page, written whole, errors on stderr."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from journeymap.cli.app import app

runner = CliRunner()

EVENTS = """customer_id,timestamp,event,touchpoint,stage
a,2024-01-01T10:00:00Z,visit,home,discovery
a,2024-01-01T10:01:00Z,view_item,product,research
a,2024-01-01T10:05:00Z,purchase,checkout,payment
a,2024-01-10T10:05:00Z,purchase,checkout,payment
b,2024-01-02T10:00:00Z,visit,home,discovery
b,2024-01-02T10:03:00Z,view_item,product,research
c,2024-01-03T10:00:00Z,visit,home,discovery
"""

MAP = """schema_version: 1
id: shop
title: Shop journey
stages:
  - id: discovery
    title: Discovery
  - id: research
    title: Research
  - id: payment
    title: Payment
"""


@pytest.fixture()
def events(tmp_path: Path) -> Path:
    path = tmp_path / "events.csv"
    path.write_text(EVENTS, encoding="utf-8")
    return path


def _sections(page: str) -> list[str]:
    return re.findall(r"<h2>(.*?)</h2>", page)


def test_report_is_one_offline_page_with_every_section(events: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = runner.invoke(
        app, ["report", str(events), "--steps", "visit,purchase", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert _sections(page) == [
        "Funnel",
        "Top paths",
        "Step by step (Sankey)",
        "Transition matrix",
        "Retention",
    ]
    assert "<script src=" not in page  # nothing fetched: Plotly is inline
    assert page.count('class="plotly-graph-div"') == 5
    assert "visit → purchase" in page


def test_map_stages_become_the_funnel_steps(events: Path, tmp_path: Path) -> None:
    map_file = tmp_path / "map.yaml"
    map_file.write_text(MAP, encoding="utf-8")
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["report", str(events), "--map", str(map_file), "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "Journey report: Shop journey" in page
    assert "discovery → research → payment by stage" in page


def test_without_steps_the_most_common_events_make_the_funnel(events: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    assert runner.invoke(app, ["report", str(events), "-o", str(out)]).exit_code == 0
    assert "visit → view_item → purchase by event" in out.read_text(encoding="utf-8")


def test_errors_exit_1_and_leave_no_file(events: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    bad_map = runner.invoke(
        app, ["report", str(events), "--map", str(tmp_path / "no.yaml"), "-o", str(out)]
    )
    assert bad_map.exit_code == 1
    assert "no.yaml" in bad_map.stderr
    bad_suffix = runner.invoke(app, ["report", str(events), "-o", str(tmp_path / "r.pdf")])
    assert bad_suffix.exit_code == 1
    assert "must end in .html" in bad_suffix.stderr
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [events]
