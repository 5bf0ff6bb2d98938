"""The simulate and whatif commands: outputs, exit codes, messages on stderr."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
from typer.testing import CliRunner

from journeymap.cli.app import app

LINEAR = Path(__file__).parents[1] / "simulate" / "linear_spec.yaml"
runner = CliRunner()


def test_simulate_writes_events_truth_and_surveys(tmp_path: Path) -> None:
    out = tmp_path / "events.parquet"
    result = runner.invoke(
        app,
        [
            "simulate",
            str(LINEAR),
            "--customers",
            "500",
            "--seed",
            "3",
            "-o",
            str(out),
            "--surveys",
            str(tmp_path / "surveys.csv"),
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["events"] == pq.ParquetFile(out).metadata.num_rows
    assert (tmp_path / "events.truth.json").exists()
    assert (tmp_path / "surveys.csv").read_text(encoding="utf-8").startswith('"customer_id"')


def test_simulate_accepts_a_shipped_spec_id(tmp_path: Path) -> None:
    out = tmp_path / "events.parquet"
    result = runner.invoke(app, ["simulate", "saas-trial", "-n", "200", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "events of 200 customers" in result.stdout


def test_simulate_lang_writes_comments_in_that_language(tmp_path: Path) -> None:
    surveys = tmp_path / "surveys.csv"
    result = runner.invoke(
        app,
        [
            "simulate",
            "online-clothing-store",
            "-n",
            "3000",
            "--lang",
            "ru",
            "-o",
            str(tmp_path / "e.parquet"),
            "--surveys",
            str(surveys),
        ],
    )
    assert result.exit_code == 0, result.output
    text = surveys.read_text(encoding="utf-8")
    assert any("\u0400" <= ch <= "\u04ff" for ch in text)


def test_simulate_with_a_bad_spec_exits_1_naming_file_and_line(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        LINEAR.read_text(encoding="utf-8").replace("{tp-esignature: 0.8", "{tp-nowhere: 0.8"),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["simulate", str(spec), "-o", str(tmp_path / "e.parquet")])
    assert result.exit_code == 1
    assert f"{spec}:" in result.stderr and "unknown touchpoint 'tp-nowhere'" in result.stderr
    assert not (tmp_path / "e.parquet").exists()


def test_simulate_refuses_a_non_parquet_output(tmp_path: Path) -> None:
    result = runner.invoke(app, ["simulate", str(LINEAR), "-o", str(tmp_path / "e.csv")])
    assert result.exit_code == 1
    assert "must end in .parquet" in result.stderr


def test_whatif_prints_differences_with_intervals_as_json() -> None:
    result = runner.invoke(
        app,
        [
            "whatif",
            str(LINEAR),
            "--change",
            "tp-proposal-pdf->tp-esignature:+10%",
            "--runs",
            "3",
            "--customers",
            "2000",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["runs"] == 3
    difference = data["conversions"]["difference"]
    assert difference["ci95_low"] <= difference["mean"] <= difference["ci95_high"]
    assert data["revenue"]["difference"]["mean"] > 0


def test_whatif_table_names_the_change() -> None:
    result = runner.invoke(
        app,
        ["whatif", str(LINEAR), "-c", "tp-demo-form->exit:-5pp", "-r", "2", "-n", "1000"],
    )
    assert result.exit_code == 0, result.output
    assert "tp-demo-form->exit:-5pp" in result.stdout
    assert "conversions" in result.stdout and "revenue" in result.stdout


def test_whatif_with_an_unknown_transition_exits_1() -> None:
    result = runner.invoke(
        app, ["whatif", str(LINEAR), "-c", "tp-demo-form->tp-esignature:+10%", "-r", "2"]
    )
    assert result.exit_code == 1
    assert "unknown transition tp-demo-form->tp-esignature" in result.stderr


def test_whatif_with_a_bad_change_string_exits_1() -> None:
    result = runner.invoke(app, ["whatif", str(LINEAR), "-c", "tp-demo-form to exit", "-r", "2"])
    assert result.exit_code == 1
    assert "cannot read change 'tp-demo-form to exit'" in result.stderr
