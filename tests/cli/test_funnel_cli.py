"""``journeymap funnel``: Rich table or JSON on stdout, clear errors with exit 1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from journeymap.cli.app import app

runner = CliRunner()

EVENTS = """customer_id,timestamp,event,channel
a,2024-01-01T10:00:00Z,view,Email
a,2024-01-01T10:05:00Z,cart,Email
a,2024-01-01T10:09:00Z,buy,Email
b,2024-01-02T10:00:00Z,view,Direct
b,2024-01-02T10:01:00Z,search,Direct
b,2024-01-02T10:02:00Z,cart,Direct
c,2024-01-03T10:00:00Z,view,Direct
c,2024-01-20T10:00:00Z,cart,Direct
"""


@pytest.fixture()
def events(tmp_path: Path) -> Path:
    path = tmp_path / "events.csv"
    path.write_text(EVENTS, encoding="utf-8")
    return path


def invoke(*args: str):
    return runner.invoke(app, ["funnel", *args])


def test_json_gives_counts_per_step(events: Path) -> None:
    result = invoke(str(events), "--steps", "view,cart,buy", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [s["entered"] for s in data["steps"]] == [3, 2, 1]
    assert data["window_seconds"] == 14 * 86400
    assert data["steps"][1]["time_to_convert"]["median"] == 210.0  # 5 min and 2 min


def test_window_strict_and_exclusion_options_change_the_counts(events: Path) -> None:
    wide = invoke(str(events), "--steps", "view,cart", "--window", "30d", "--json")
    strict = invoke(str(events), "--steps", "view,cart", "--window", "30d", "--strict", "--json")
    excluded = invoke(
        str(events), "--steps", "view,cart", "--window", "30d", "--exclude", "search:1:2", "--json"
    )
    assert [s["entered"] for s in json.loads(wide.stdout)["steps"]] == [3, 3]
    assert [s["entered"] for s in json.loads(strict.stdout)["steps"]] == [3, 2]
    assert [s["entered"] for s in json.loads(excluded.stdout)["steps"]] == [2, 2]


def test_breakdown_and_date_range(events: Path) -> None:
    result = invoke(
        str(events), "--steps", "view,cart", "--by", "channel", "--since", "2024-01-02", "--json"
    )
    assert result.exit_code == 0, result.output
    groups = {
        g["value"]: [s["entered"] for s in g["steps"]] for g in json.loads(result.stdout)["groups"]
    }
    assert groups == {"Direct": [2, 1]}


def test_table_output_shows_steps_and_shares(events: Path) -> None:
    result = invoke(str(events), "--steps", "view,cart,buy", "--by", "channel")
    assert result.exit_code == 0, result.output
    assert "1. view" in result.stdout and "66.7%" in result.stdout and "Email" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--steps", "view"], "at least 2"),
        (["--steps", "view,cart", "--window", "7 days"], "bad window"),
        (["--steps", "view,cart", "--window", "0d"], "bad window"),
        (["--steps", "view,cart", "--by", "segment"], "no column 'segment'"),
        (["--steps", "view,cart", "--exclude", "search:2"], "bad exclusion"),
        (["--steps", "view,cart", "--exclude", "search:1:3"], "1 <= from < to <= 2"),
        (["--steps", "view,cart", "--since", "yesterday"], "not an ISO date"),
    ],
)
def test_bad_input_exits_1_with_a_message(events: Path, args: list[str], message: str) -> None:
    result = invoke(str(events), *args)
    assert result.exit_code == 1
    assert message in result.stderr


def test_missing_file_exits_1(tmp_path: Path) -> None:
    result = invoke(str(tmp_path / "nope.csv"), "--steps", "a,b")
    assert result.exit_code == 1
    assert "no such file" in result.stderr
