"""``journeymap retention``: the cohort table as a Rich table or JSON, errors on stderr."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from journeymap.cli.app import app

runner = CliRunner()

EVENTS = """customer_id,timestamp,event
a,2024-01-01T10:00:00Z,purchase
a,2024-01-09T10:00:00Z,purchase
b,2024-01-02T10:00:00Z,purchase
b,2024-01-03T10:00:00Z,view
c,2024-01-16T10:00:00Z,view
"""


@pytest.fixture()
def events(tmp_path: Path) -> Path:
    path = tmp_path / "events.csv"
    path.write_text(EVENTS, encoding="utf-8")
    return path


def test_json_has_weekly_cohorts_with_counts_and_rates(events: Path) -> None:
    result = runner.invoke(
        app,
        [
            "retention",
            str(events),
            "--start",
            "purchase",
            "--period",
            "week",
            "--periods",
            "2",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["cohorts"] == [
        {"cohort": "2024-01-01", "size": 2, "returned": [0, 1, 0], "rates": [0.0, 0.5, 0.0]}
    ]


def test_table_with_another_return_event(events: Path) -> None:
    result = runner.invoke(
        app, ["retention", str(events), "--return", "view", "--period", "day", "--periods", "2"]
    )
    assert result.exit_code == 0, result.output
    assert "2024-01-02" in result.stdout
    assert "100% (1)" in result.stdout


def test_no_start_event_says_so(events: Path) -> None:
    result = runner.invoke(app, ["retention", str(events), "--start", "signup"])
    assert result.exit_code == 0
    assert "no cohorts" in result.stdout


def test_bad_period_exits_1(events: Path) -> None:
    result = runner.invoke(app, ["retention", str(events), "--period", "year"])
    assert result.exit_code == 1
    assert "--period must be one of" in result.stderr
