"""``journeymap paths``: the top variants as a Rich table or JSON, errors on stderr."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from journeymap.cli.app import app

runner = CliRunner()

EVENTS = """customer_id,timestamp,event,touchpoint,stage,session_id
a,2024-01-01T10:00:00Z,view,home,aware,s1
a,2024-01-01T10:01:00Z,view,product,consider,s1
a,2024-01-01T10:02:00Z,view,product,consider,s1
a,2024-01-08T09:00:00Z,purchase,cart,buy,s2
b,2024-01-01T11:00:00Z,view,home,aware,s1
b,2024-01-01T11:05:00Z,view,product,consider,s1
b,2024-01-01T11:09:00Z,purchase,cart,buy,s1
c,2024-01-02T08:00:00Z,view,home,aware,s1
"""


@pytest.fixture()
def events(tmp_path: Path) -> Path:
    path = tmp_path / "events.csv"
    path.write_text(EVENTS, encoding="utf-8")
    return path


def test_json_lists_variants_with_counts_and_shares(events: Path) -> None:
    result = runner.invoke(app, ["paths", str(events), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["total"] == 3
    assert data["variants"][0] == {
        "steps": ["home", "product", "cart"],
        "count": 2,
        "share": pytest.approx(2 / 3),
        "truncated": False,
    }


def test_table_shows_paths_and_other(events: Path) -> None:
    result = runner.invoke(app, ["paths", str(events), "--top", "1", "--by", "stage"])
    assert result.exit_code == 0, result.output
    assert "aware → consider → buy" in result.stdout
    assert "(other)" in result.stdout


def test_per_session_and_keep_repeats(events: Path) -> None:
    result = runner.invoke(
        app, ["paths", str(events), "--per", "session", "--keep-repeats", "--json"]
    )
    data = json.loads(result.stdout)
    assert data["total"] == 4
    assert ["home", "product", "product"] in [v["steps"] for v in data["variants"]]


def test_missing_file_and_bad_option_exit_1_with_a_message(events: Path, tmp_path: Path) -> None:
    missing = runner.invoke(app, ["paths", str(tmp_path / "nope.csv")])
    assert missing.exit_code == 1
    assert "no such file" in missing.stderr
    bad = runner.invoke(app, ["paths", str(events), "--by", "colour"])
    assert bad.exit_code == 1
    assert "--by must be one of" in bad.stderr


def test_missing_column_is_named(tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    path.write_text("customer_id,timestamp,event\na,2024-01-01T00:00:00Z,view\n", encoding="utf-8")
    result = runner.invoke(app, ["paths", str(path), "--by", "touchpoint"])
    assert result.exit_code == 1
    assert "'touchpoint'" in result.stderr
