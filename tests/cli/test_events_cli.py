"""``journeymap events import`` on real files: Parquet out, summary, JSON, errors, atomic writes."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from journeymap.cli.app import app
from journeymap.data.readers import read_events

runner = CliRunner()

CSV = (
    "user,ts,action,page_location,utm_source,utm_medium\n"
    "c3,2024-05-04 12:00:00,scroll,,,\n"
    "c1,2024-05-01T08:05:00Z,add_to_cart,,,\n"
    "c2,2024-05-02 09:00:00,page_view,https://shop.example/blog,newsletter,email\n"
    "c1,2024-05-01T10:00:00+02:00,page_view,https://shop.example/pricing,google,cpc\n"
    "c2,2024-05-03 09:00:00,scroll,,,\n"
)
RULES = """\
rules:
  - name: pricing
    match: {event: page_view, url: "*/pricing"}
    assign: {touchpoint: Pricing page, stage: Consideration}
  - name: cart
    match: {event: add_to_cart}
    assign: {touchpoint: Cart, stage: Purchase}
"""
COLUMNS = "user=customer_id,ts=timestamp,action=event"


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    source = tmp_path / "raw.csv"
    source.write_text(CSV)
    rules = tmp_path / "rules.yaml"
    rules.write_text(RULES)
    return source, rules


def test_import_writes_canonical_parquet_and_prints_the_summary(
    tmp_path: Path, files: tuple[Path, Path]
) -> None:
    source, rules = files
    output = tmp_path / "out" / "events.parquet"
    result = runner.invoke(
        app,
        ["events", "import", str(source), "--rules", str(rules), "--columns", COLUMNS,
         "-o", str(output)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = pq.read_table(output).to_pylist()
    assert len(rows) == 5
    # written sorted by customer and time, whatever the order of the input
    order = [(r["customer_id"], r["timestamp"]) for r in rows]
    assert order == sorted(order)
    # customers numbered in id order, the key marked for readers (docs/data.md, "Customer key")
    assert [r["customer_key"] for r in rows] == [0, 0, 1, 1, 2]
    assert read_events(output).customer_key == "customer_key"
    first = rows[0]
    assert first["timestamp"].replace(tzinfo=None) == datetime(2024, 5, 1, 8)
    assert (first["touchpoint"], first["stage"], first["channel"]) == (
        "Pricing page",
        "Consideration",
        "Paid Search",
    )
    assert list(pq.read_schema(output).names[:3]) == ["customer_id", "timestamp", "event"]
    assert "events" in result.stdout and "customers" in result.stdout
    assert "40.0%" in result.stdout  # 2 of 5 events mapped
    assert "scroll" in result.stdout  # the top unmapped event
    assert not list(output.parent.glob(".*tmp"))


def test_import_json_summary_counts_rows_customers_range_and_mapping(
    tmp_path: Path, files: tuple[Path, Path]
) -> None:
    source, rules = files
    output = tmp_path / "events.parquet"
    result = runner.invoke(
        app,
        ["events", "import", str(source), "--rules", str(rules), "--columns", COLUMNS,
         "-o", str(output), "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["rows"], summary["customers"]) == (5, 3)
    assert (summary["first_event"], summary["last_event"]) == (
        "2024-05-01T08:00:00",
        "2024-05-04T12:00:00",
    )
    mapping = summary["mapping"]
    assert (mapping["mapped"], mapping["unmapped"]) == (2, 3)
    assert mapping["top_unmapped"][0] == {"event": "scroll", "events": 2}


def test_import_without_rules_still_fills_the_default_channel(
    tmp_path: Path, files: tuple[Path, Path]
) -> None:
    source, _ = files
    output = tmp_path / "events.parquet"
    result = runner.invoke(
        app, ["events", "import", str(source), "--columns", COLUMNS, "-o", str(output), "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["mapping"] is None
    channels = {r["event"]: r["channel"] for r in pq.read_table(output).to_pylist()}
    assert channels["add_to_cart"] == "Direct"


def test_import_of_a_ga4_json_lines_export(tmp_path: Path) -> None:
    source = tmp_path / "events_20240501.jsonl"
    rows = [
        {"event_timestamp": "1714550400000000", "event_name": "page_view", "user_pseudo_id": "p1",
         "event_params": [{"key": "ga_session_id", "value": {"int_value": "7"}},
                          {"key": "source", "value": {"string_value": "bing"}},
                          {"key": "medium", "value": {"string_value": "organic"}}]},
        {"event_timestamp": "1714550460000000", "event_name": "purchase", "user_pseudo_id": "p1",
         "event_params": [{"key": "ga_session_id", "value": {"int_value": "7"}}],
         "ecommerce": {"purchase_revenue": 12.5}},
    ]  # fmt: skip
    source.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    output = tmp_path / "events.parquet"
    result = runner.invoke(
        app, ["events", "import", str(source), "--format", "ga4", "-o", str(output), "--json"]
    )
    assert result.exit_code == 0, result.output
    table = pq.read_table(output).to_pylist()
    assert [(r["session_id"], r["channel"], r["revenue"]) for r in table] == [
        ("p1.7", "Organic Search", None),
        ("p1.7", "Organic Search", 12.5),
    ]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ([], "missing column 'customer_id'"),
        (["--columns", "user"], "--columns: 'user': expected SOURCE_COLUMN=CANONICAL_COLUMN"),
        (["--columns", COLUMNS, "--format", "xlsx"], "unknown format 'xlsx'"),
        (["--columns", COLUMNS, "--rules", "missing.yaml"], "missing.yaml: file not found"),
        (["--columns", COLUMNS, "--engine", "pyspark://yarn"], "expected pyspark://local"),
    ],
)
def test_bad_input_exits_1_with_the_reason_on_stderr_and_writes_nothing(
    tmp_path: Path, files: tuple[Path, Path], extra: list[str], message: str
) -> None:
    source, _ = files
    output = tmp_path / "events.parquet"
    result = runner.invoke(app, ["events", "import", str(source), "-o", str(output), *extra])
    assert result.exit_code == 1
    assert message in " ".join(result.stderr.split())
    assert result.stdout == ""
    assert list(tmp_path.glob("*.parquet")) == []


def test_bad_rules_file_error_names_file_and_line(tmp_path: Path, files: tuple[Path, Path]) -> None:
    source, rules = files
    rules.write_text("rules:\n  - match: {event: a}\n    assign: {colour: red}\n")
    result = runner.invoke(
        app,
        ["events", "import", str(source), "--columns", COLUMNS, "--rules", str(rules),
         "-o", str(tmp_path / "e.parquet")],
    )  # fmt: skip
    assert result.exit_code == 1
    assert f"{rules}:3: rules[0].assign.colour" in " ".join(result.stderr.split())


def test_failed_import_keeps_the_previous_output(tmp_path: Path) -> None:
    output = tmp_path / "events.parquet"
    output.write_bytes(b"previous")
    bad = tmp_path / "bad.csv"
    bad.write_text("customer_id,timestamp,event\nc1,not a time,x\n")
    result = runner.invoke(app, ["events", "import", str(bad), "-o", str(output)])
    assert result.exit_code == 1
    assert "cannot read 'not a time' as a timestamp" in result.stderr
    assert output.read_bytes() == b"previous"


def test_output_must_be_parquet(tmp_path: Path, files: tuple[Path, Path]) -> None:
    source, _ = files
    result = runner.invoke(app, ["events", "import", str(source), "-o", str(tmp_path / "e.csv")])
    assert result.exit_code == 1
    assert "must be a .parquet file" in result.stderr


def test_import_numbers_the_customers_afresh(tmp_path: Path, files: tuple[Path, Path]) -> None:
    # a file journeymap wrote, with some customers left out, gets keys 0, 1, ... again
    source, _ = files
    first = tmp_path / "first.parquet"
    assert (
        runner.invoke(
            app, ["events", "import", str(source), "--columns", COLUMNS, "-o", str(first)]
        ).exit_code
        == 0
    )
    kept = tmp_path / "kept.parquet"
    table = pq.read_table(first)
    pq.write_table(table.filter(pc.not_equal(table["customer_id"], "c1")), kept)
    again = tmp_path / "again.parquet"
    result = runner.invoke(app, ["events", "import", str(kept), "-o", str(again)])
    assert result.exit_code == 0, result.output
    rows = pq.read_table(again).to_pylist()
    assert [(r["customer_id"], r["customer_key"]) for r in rows] == [
        ("c2", 0),
        ("c2", 0),
        ("c3", 1),
    ]
