"""``journeymap attribution`` and ``journeymap sample-size``: output, JSON and errors on stderr."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from journeymap.cli.app import app

runner = CliRunner()

# a: Email, Paid Search, purchase 100, then a Direct visit (a null journey)
# b: Organic Search, Direct, purchase 50, then a purchase of 20 without a touch (unattributed)
# c: Paid Search, never buys; d: Direct, Organic Search, Email, purchase without revenue
EVENTS = """customer_id,timestamp,event,channel,revenue
a,2024-01-01 00:00:00,visit,Email,
a,2024-01-02 00:00:00,visit,Email,
a,2024-01-04 00:00:00,visit,Paid Search,
a,2024-01-08 00:00:00,purchase,Direct,100
a,2024-01-10 00:00:00,visit,Direct,
b,2024-01-01 00:00:00,visit,Organic Search,
b,2024-01-07 00:00:00,visit,Direct,
b,2024-01-08 00:00:00,purchase,Direct,50
b,2024-01-09 00:00:00,purchase,Direct,20
c,2024-01-03 00:00:00,visit,Paid Search,
d,2024-01-01 00:00:00,visit,Direct,
d,2024-01-05 00:00:00,visit,Organic Search,
d,2024-01-07 00:00:00,visit,Email,
d,2024-01-08 00:00:00,purchase,Direct,
"""


@pytest.fixture
def events_csv(tmp_path: Path) -> Path:
    path = tmp_path / "events.csv"
    path.write_text(EVENTS)
    return path


def test_all_models_as_json_share_out_the_attributed_conversions(events_csv: Path) -> None:
    result = runner.invoke(app, ["attribution", str(events_csv), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [m["model"] for m in data["models"]] == [
        "first_touch",
        "last_touch",
        "last_non_direct",
        "linear",
        "time_decay",
        "position",
        "markov",
        "shapley",
    ]
    assert data["total_conversions"] == 3
    assert data["unattributed_conversions"] == 1
    for model in data["models"]:
        assert sum(c["conversions"] for c in model["channels"]) == pytest.approx(3)


def test_spend_adds_cpa_and_roas(events_csv: Path, tmp_path: Path) -> None:
    spend = tmp_path / "spend.csv"
    spend.write_text("channel,spend\nPaid Search,200\nEmail,30\nEmail,20\n")
    result = runner.invoke(
        app,
        ["attribution", str(events_csv), "--model", "last_touch", "--spend", str(spend), "--json"],
    )
    assert result.exit_code == 0, result.output
    rows = {e["channel"]: e for e in json.loads(result.stdout)["models"][0]["efficiency"]}
    # last touch: Paid Search gets a's purchase of 100, Email d's purchase without revenue
    assert rows["Paid Search"]["cpa"] == pytest.approx(200.0)
    assert rows["Paid Search"]["roas"] == pytest.approx(0.5)
    assert rows["Email"]["spend"] == pytest.approx(50.0)
    assert rows["Organic Search"]["cpa"] is None


def test_table_shows_models_channels_and_spend_columns(events_csv: Path, tmp_path: Path) -> None:
    spend = tmp_path / "spend.csv"
    spend.write_text("channel,spend\nPaid Search,200\n")
    result = runner.invoke(
        app, ["attribution", str(events_csv), "--model", "markov", "--spend", str(spend)]
    )
    assert result.exit_code == 0, result.output
    assert "markov" in result.stdout and "Paid Search" in result.stdout
    assert "ROAS" in result.stdout
    assert "1 without any touch" in result.stdout


def test_unknown_model_is_an_error(events_csv: Path) -> None:
    result = runner.invoke(app, ["attribution", str(events_csv), "--model", "u_shape"])
    assert result.exit_code == 1
    assert "unknown model 'u_shape'" in result.stderr


def test_spend_without_its_columns_names_them(events_csv: Path, tmp_path: Path) -> None:
    spend = tmp_path / "spend.csv"
    spend.write_text("source,cost\nx,1\n")
    result = runner.invoke(app, ["attribution", str(events_csv), "--spend", str(spend)])
    assert result.exit_code == 1
    assert "missing column(s): channel, spend" in result.stderr


def test_spend_with_a_bad_number_names_the_line(events_csv: Path, tmp_path: Path) -> None:
    spend = tmp_path / "spend.csv"
    spend.write_text("channel,spend\nEmail,12\nDirect,lots\n")
    result = runner.invoke(app, ["attribution", str(events_csv), "--spend", str(spend)])
    assert result.exit_code == 1
    assert "spend.csv:3: column 'spend' must be a number, not 'lots'" in result.stderr


def test_no_conversions_is_an_error(events_csv: Path) -> None:
    result = runner.invoke(app, ["attribution", str(events_csv), "--conversion", "signup"])
    assert result.exit_code == 1
    assert "no conversions" in result.stderr and "'signup'" in result.stderr


def test_bad_half_life_and_order_are_errors(events_csv: Path) -> None:
    result = runner.invoke(app, ["attribution", str(events_csv), "--half-life", "soon"])
    assert result.exit_code == 1
    assert "--half-life" in result.stderr
    result = runner.invoke(app, ["attribution", str(events_csv), "--order", "5"])
    assert result.exit_code == 1
    assert "order must be between 1 and 3" in result.stderr


def test_sample_size_for_a_survey() -> None:
    result = runner.invoke(app, ["sample-size", "--margin", "0.05", "--confidence", "0.95"])
    assert result.exit_code == 0
    assert result.stdout.startswith("385 responses")
    result = runner.invoke(app, ["sample-size", "--population", "1000", "--json"])
    assert json.loads(result.stdout)["responses"] == 278


def test_sample_size_for_a_usability_study() -> None:
    result = runner.invoke(app, ["sample-size", "--usability", "--target", "0.85"])
    assert result.exit_code == 0
    assert result.stdout.startswith("6 participants find 89.2% of the problems")
    result = runner.invoke(app, ["sample-size", "--usability", "--participants", "5", "--json"])
    assert json.loads(result.stdout)["share_found"] == pytest.approx(0.843596, abs=1e-6)


def test_sample_size_out_of_range_is_an_error() -> None:
    result = runner.invoke(app, ["sample-size", "--usability", "--target", "1.2"])
    assert result.exit_code == 1
    assert "target must be between 0 and 1" in result.stderr
