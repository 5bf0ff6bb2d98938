"""A tiny run of the benchmark suite (``make bench`` itself is not part of the tests)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]


def test_bench_parses_sizes() -> None:
    from benchmarks.run import parse_size

    assert [parse_size(s) for s in ("5k", "1M", "10M", "100M", "2500")] == [
        5_000,
        1_000_000,
        10_000_000,
        100_000_000,
        2_500,
    ]


def test_pandas_baseline_funnel_counts_the_furthest_step_of_any_attempt(tmp_path: Path) -> None:
    import pandas as pd
    from benchmarks.pandas_baseline import pandas_funnel

    day = pd.Timestamp("2026-01-01", tz="UTC")
    rows = [
        ("a", day, "view"),
        ("a", day + pd.Timedelta(hours=1), "cart"),  # a: 2 steps
        ("b", day, "view"),
        ("b", day + pd.Timedelta(days=20), "cart"),  # b: outside window
        ("b", day + pd.Timedelta(days=19), "view"),  # b: a second attempt reaches cart
        ("c", day, "cart"),
        ("c", day + pd.Timedelta(hours=1), "view"),  # c: wrong order
    ]
    path = tmp_path / "events.parquet"
    pd.DataFrame(rows, columns=["customer_id", "timestamp", "event"]).to_parquet(path)
    assert pandas_funnel(str(path), ["view", "cart"], 14 * 86400) == [3, 2]


def test_bench_smoke_run_writes_results(tmp_path: Path) -> None:
    output = tmp_path / "results.json"
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.run",
            "--size",
            "3k",
            "--repeat",
            "1",
            "--web-repeat",
            "2",
            "--data-dir",
            str(tmp_path / "data"),
            "--output",
            str(output),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    report = json.loads(output.read_text(encoding="utf-8"))
    assert report["machine"]["cores"] >= 1 and report["versions"]["duckdb"]
    tasks = {m["task"]: m for m in report["results"]}
    assert {"simulate", "import", "funnel", "pandas_funnel", "pandas_path_variants"} <= set(tasks)
    for measure in tasks.values():
        assert measure["status"] in ("ok", "not available"), measure
    assert tasks["simulate"]["rows"] > 2_000 and tasks["simulate"]["peak_mib"] > 0
    for gain in report["speedups_over_pandas"]:
        assert gain["same_result"], gain
    assert "journeymap benchmark" in completed.stdout and "simulator" in completed.stdout
    # the web editor on the 300-item map: the page draws every card, an item edit its own card
    for task, cards in (("editor_page", 300), ("item_edit", 1)):
        web = tasks[task]
        assert web["size"] == "web" and web["status"] == "ok" and len(web["runs"]) == 2, web
        assert web["answer"]["status"] == 200 and web["answer"]["items"] == cards, web
        assert 0 < web["answer"]["cpu_median_s"] < max(web["runs"]) * 2, web
    assert tasks["item_edit"]["answer"]["revision"] > 1  # every timed edit was stored
    targets = {t["task"]: t for t in report["targets"]}
    assert targets["editor_page"]["max_seconds"] == 0.05
    assert targets["item_edit"]["max_seconds"] == 0.03


def test_benchmark_map_has_the_issue_size_and_is_valid() -> None:
    from benchmarks.web_editor import big_map_data

    from journeymap.map.validation import validate_data

    data = big_map_data()
    assert data == big_map_data()  # deterministic
    doc = validate_data(data)
    assert (len(doc.stages), len(doc.lanes), len(doc.iter_items())) == (12, 15, 300)
    assert len({cell.lane for cell in doc.cells}) == 15  # every lane holds items
    assert len({item.kind for _cell, item in doc.iter_items()}) >= 10
