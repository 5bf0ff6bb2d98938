"""``make bench``: time journeymap on simulated event data of several sizes, and the web editor.

Data is simulated once per size from the shipped ``online-clothing-store`` spec and cached in
``benchmarks/data/``. Every operation runs in its own process, ``--repeat`` times; the table
shows the median and the process's peak resident memory. The web editor's server time (the
editor page and an item edit of a 12-stage x 15-lane map with 300 items) is measured once per
run, ``--web-repeat`` requests each. Results go to ``benchmarks/results.json``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from benchmarks.machine import describe_machine, versions
from benchmarks.tasks import BENCH_SPEC, TASKS

HERE = Path(__file__).resolve().parent
DEFAULT_SIZES = ("1M", "10M")
SEED = 20260
PANDAS_FULL_REPEAT_MAX_ROWS = 2_000_000  # above this pandas runs once: it is slow
ANALYTICS = (
    "funnel",
    "funnel_breakdown",
    "path_variants",
    "sankey",
    "transition_matrix",
    "retention",
    "attribution_markov",
    "insights",
)
# (task, size in events, seconds at most, peak MiB at most, events/s at least)
TARGETS: tuple[tuple[str, int | None, float | None, float | None, float | None], ...] = (
    ("simulate", None, None, None, 2_000_000.0),
    ("funnel", 10_000_000, 1.5, None, None),
    ("funnel", 100_000_000, 10.0, 2048.0, None),
    ("path_variants", 10_000_000, 3.0, None, None),
    ("path_variants", 100_000_000, None, 2048.0, None),
    ("insights", 10_000_000, 30.0, None, None),
    ("editor_page", None, 0.050, None, None),
    ("item_edit", None, 0.030, None, None),
)
WEB_TASKS = ("editor_page", "item_edit")
WEB = "web"  # the size label of the web measures: they do not depend on the event data

console = Console(stderr=True)


def parse_size(text: str) -> int:
    """``5k``, ``1M``, ``10M``, ``100M`` or a plain number of events."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kKmM]?)\s*", text)
    if not match:
        raise argparse.ArgumentTypeError(f"bad size {text!r}: use e.g. 5k, 1M, 10M or 100M")
    factor = {"": 1, "k": 1_000, "m": 1_000_000}[match[2].lower()]
    return int(float(match[1]) * factor)


@dataclass
class Measure:
    """One operation at one size."""

    size: str
    task: str
    label: str
    status: str
    rows: int = 0
    runs: list[float] = field(default_factory=list)
    seconds: float | None = None
    rows_per_second: float | None = None
    peak_mib: float | None = None
    answer: Any = None


def run_task(
    task: str, data: Path | None, *, rows: int, repeat: int, size: str, **extra: int
) -> Measure:
    """Run one task in a child process and read its peak resident memory."""
    command = [sys.executable, "-m", "benchmarks.tasks", task, "--rows", str(rows)]
    command += ["--repeat", str(repeat)] + (["--data", str(data)] if data is not None else [])
    for key, value in extra.items():
        command += [f"--{key}", str(value)]
    with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
        process = subprocess.Popen(command, stdout=stdout, stderr=stderr, cwd=HERE.parent)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        stdout.seek(0)
        stderr.seek(0)
        output, errors = stdout.read().decode(), stderr.read().decode()
    label = TASKS[task][0]
    peak = usage.ru_maxrss / 1024  # kilobytes on Linux
    if process.returncode != 0 or not output.strip():
        last = (errors.strip().splitlines() or ["no output"])[-1]
        return Measure(size, task, label, f"error: {last}", peak_mib=peak)
    result = json.loads(output.strip().splitlines()[-1])
    if result["status"] != "ok":
        return Measure(size, task, label, result["status"])
    median = statistics.median(result["seconds"])
    return Measure(
        size,
        task,
        label,
        "ok",
        rows=result["rows"],
        runs=result["seconds"],
        seconds=median,
        rows_per_second=result["rows"] / median if median and task not in WEB_TASKS else None,
        peak_mib=peak,
        answer=result["answer"],
    )


def events_per_customer() -> float:
    """Mean events per customer of the benchmark spec (from a pilot of 20,000 customers)."""
    from journeymap.simulate.generator import iter_chunks
    from journeymap.simulate.model import compile_model
    from journeymap.simulate.spec import load_shipped_spec

    model = compile_model(load_shipped_spec(BENCH_SPEC))
    chunk = next(iter_chunks(model, 20_000, SEED + 1))
    return chunk.events / chunk.customers


def bench_size(label: str, events: int, data_dir: Path, repeat: int) -> list[Measure]:
    """Every measure at one size; simulates (and caches) the data first when needed."""
    customers = max(1, math.ceil(events / events_per_customer()))
    data = data_dir / f"events-{label}-{customers}c-s{SEED}.parquet"
    data_dir.mkdir(parents=True, exist_ok=True)
    cached = data.exists()
    console.print(
        f"[bold]{label}[/]: {customers:,} customers -> {data.name}"
        + (" (cached)" if cached else " (simulating)")
    )
    sim = run_task("simulate", data, rows=0, repeat=1, size=label, customers=customers, seed=SEED)
    measures = [sim]
    if sim.status != "ok":
        return measures
    import pyarrow.parquet as pq

    rows = pq.ParquetFile(data).metadata.num_rows
    for task in ("import", *ANALYTICS, "pandas_funnel", "pandas_path_variants"):
        times = repeat
        if task.startswith("pandas") and rows > PANDAS_FULL_REPEAT_MAX_ROWS:
            times = 1
        console.print(f"  {TASKS[task][0]}...", end="")
        measure = run_task(task, data, rows=rows, repeat=times, size=label)
        console.print(
            f" {measure.seconds:.3f} s" if measure.seconds is not None else f" {measure.status}"
        )
        measures.append(measure)
    return measures


def bench_web(repeat: int) -> list[Measure]:
    """The web editor's server time: each task in its own process, ``repeat`` requests."""
    console.print(f"[bold]{WEB}[/]: editor of a 12-stage x 15-lane map with 300 items")
    measures = []
    for task in WEB_TASKS:
        console.print(f"  {TASKS[task][0]}...", end="")
        measure = run_task(task, None, rows=0, repeat=repeat, size=WEB)
        console.print(
            f" {measure.seconds * 1000:.1f} ms ({measure.answer['cpu_median_s'] * 1000:.1f} ms CPU)"
            if measure.seconds is not None
            else f" {measure.status}"
        )
        measures.append(measure)
    return measures


def speedups(measures: list[Measure]) -> list[dict[str, Any]]:
    """journeymap's speed-up over pandas per size, and whether both gave the same answer."""
    found = []
    index = {(m.size, m.task): m for m in measures}
    for (size, task), ours in index.items():
        if task not in ("funnel", "path_variants"):
            continue
        theirs = index.get((size, f"pandas_{task}"))
        if not theirs or ours.seconds is None or theirs.seconds is None:
            continue
        same = _normalise(ours.answer) == _normalise(theirs.answer)
        found.append(
            {
                "size": size,
                "task": task,
                "journeymap_s": ours.seconds,
                "pandas_s": theirs.seconds,
                "speedup": theirs.seconds / ours.seconds,
                "same_result": same,
            }
        )
    return found


def _normalise(answer: Any) -> Any:
    return json.loads(json.dumps(answer))


def check_targets(measures: list[Measure], sizes: dict[str, int]) -> list[dict[str, Any]]:
    """The issue's targets against the measured figures (only sizes that were run)."""
    checks = []
    for task, size, max_s, max_mib, min_rate in TARGETS:
        for m in measures:
            if m.task != task or m.status != "ok":
                continue
            if size is not None and sizes[m.size] != size:
                continue
            ok = True
            if max_s is not None and m.seconds is not None:
                ok &= m.seconds <= max_s
            if max_mib is not None and m.peak_mib is not None:
                ok &= m.peak_mib <= max_mib
            if min_rate is not None and m.rows_per_second is not None:
                ok &= m.rows_per_second >= min_rate
            checks.append(
                {
                    "task": task,
                    "size": m.size,
                    "seconds": m.seconds,
                    "peak_mib": m.peak_mib,
                    "rows_per_second": m.rows_per_second,
                    "max_seconds": max_s,
                    "max_peak_mib": max_mib,
                    "min_rows_per_second": min_rate,
                    "met": ok,
                }
            )
    return checks


def print_table(measures: list[Measure], gains: list[dict[str, Any]]) -> None:
    table = Table(
        "size", "operation", "median s", "rows/s", "peak MiB", "runs", title="journeymap benchmark"
    )
    for m in measures:
        if m.status != "ok":
            table.add_row(m.size, m.label, m.status, "", "", "")
            continue
        table.add_row(
            m.size,
            m.label,
            f"{m.seconds:.3f}",
            "" if m.rows_per_second is None else f"{m.rows_per_second:,.0f}",
            f"{m.peak_mib:,.0f}",
            str(len(m.runs)),
        )
    Console().print(table)
    for gain in gains:
        Console().print(
            f"{gain['size']} {gain['task']}: journeymap {gain['journeymap_s']:.2f} s, pandas "
            f"{gain['pandas_s']:.2f} s -> {gain['speedup']:.1f}x faster"
            f"{'' if gain['same_result'] else ' (RESULTS DIFFER)'}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--size",
        default=",".join(DEFAULT_SIZES),
        help="Comma-separated sizes in events, e.g. 1M,10M or 100M.",
    )
    parser.add_argument("--repeat", type=int, default=3, help="Runs per operation (median).")
    parser.add_argument(
        "--web-repeat", type=int, default=30, help="Requests per web task (median)."
    )
    parser.add_argument("--data-dir", type=Path, default=HERE / "data")
    parser.add_argument("--output", type=Path, default=HERE / "results.json")
    args = parser.parse_args(argv)
    labels = [s.strip() for s in args.size.split(",") if s.strip()]
    sizes = {label: parse_size(label) for label in labels}
    started = time.time()
    measures: list[Measure] = []
    for label, events in sizes.items():
        measures += bench_size(label, events, args.data_dir, args.repeat)
    measures += bench_web(args.web_repeat)
    gains = speedups(measures)
    print_table(measures, gains)
    report = {
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "machine": describe_machine(),
        "versions": versions(),
        "spec": BENCH_SPEC,
        "seed": SEED,
        "repeat": args.repeat,
        "web_repeat": args.web_repeat,
        "sizes": sizes,
        "results": [asdict(m) for m in measures],
        "speedups_over_pandas": gains,
        "targets": check_targets(measures, sizes),
    }
    from journeymap.atomic import atomic_write_text

    atomic_write_text(args.output, json.dumps(report, indent=2, default=str) + "\n")
    console.print(f"wrote {args.output}")
    return 0 if all(m.status == "ok" or m.status == "not available" for m in measures) else 1


if __name__ == "__main__":
    sys.exit(main())
