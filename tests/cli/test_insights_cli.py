"""``journeymap insights``: the enriched map file, JSON output, re-runs and errors."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from journeymap.cli.app import app
from journeymap.map.io import load_map, save_map
from journeymap.map.templates import load_template

sys.path.insert(0, str(Path(__file__).parent.parent / "analytics"))
from insight_events import simulate_files

runner = CliRunner()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    directory = tmp_path_factory.mktemp("insights-cli")
    events, surveys = simulate_files(directory, customers=1500)
    map_path = save_map(load_template("b2b-sales"), directory / "map.yaml")
    return events, surveys, map_path


def test_insights_writes_suggestions_and_reruns_identically(
    inputs: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    events, surveys, map_path = inputs
    first, second = tmp_path / "enriched.yaml", tmp_path / "again.yaml"
    args = ["insights", str(events), "--map", str(map_path), "--surveys", str(surveys)]
    result = runner.invoke(app, [*args, "-o", str(first)])
    assert result.exit_code == 0, result.output
    assert f"wrote {first}" in result.stderr.replace("\n", "")
    enriched = load_map(first)
    suggested = [i for _, i in enriched.iter_items() if i.status == "suggested"]
    assert {i.kind for i in suggested} >= {"pain_point", "success_point", "turning_point", "metric"}
    rerun = runner.invoke(
        app, [*args[:2], "--map", str(first), "--surveys", str(surveys), "-o", str(second)]
    )
    assert rerun.exit_code == 0, rerun.output
    assert second.read_text() == first.read_text()


def test_insights_json_lists_every_part(inputs: tuple[Path, Path, Path], tmp_path: Path) -> None:
    events, _, map_path = inputs
    out = tmp_path / "enriched.json"
    result = runner.invoke(
        app, ["insights", str(events), "--map", str(map_path), "-o", str(out), "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["output"] == str(out)
    assert set(data) >= {"moments_of_truth", "turning_points", "pain_points", "conformance"}
    assert json.loads(out.read_text())["id"] == "b2b-sales"


def test_insights_errors_name_the_problem(inputs: tuple[Path, Path, Path], tmp_path: Path) -> None:
    events, _, map_path = inputs
    out = tmp_path / "x.yaml"
    missing = runner.invoke(
        app, ["insights", str(events), "--map", str(tmp_path / "nope.yaml"), "-o", str(out)]
    )
    assert missing.exit_code == 1 and "nope.yaml" in missing.stderr
    bad_by = runner.invoke(
        app, ["insights", str(events), "--map", str(map_path), "-o", str(out), "--by", "channel"]
    )
    assert bad_by.exit_code == 1 and "--by" in bad_by.stderr
    no_event = runner.invoke(
        app,
        [
            "insights",
            str(events),
            "--map",
            str(map_path),
            "-o",
            str(out),
            "--conversion",
            "no-such-event",
        ],
    )
    assert no_event.exit_code == 1 and "no-such-event" in no_event.stderr
    assert not out.exists()
