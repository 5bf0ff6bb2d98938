"""The measured operations. Each runs in its own process (``python -m benchmarks.tasks``), so that
the parent can read that process's peak resident memory; it prints one JSON line with the times.

Analytics functions are imported lazily: an operation whose function is not in the tree reports
``not available`` instead of failing the whole benchmark.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

BENCH_SPEC = "online-clothing-store"
FUNNEL_STEPS = ("view_item", "add_to_cart", "begin_checkout", "payment_authentication", "purchase")
FUNNEL_WINDOW = timedelta(days=14)
PATH_TOP = 20


class NotAvailableError(Exception):
    """The function to measure is not (yet) part of journeymap."""


def _function(module: str, name: str) -> Callable[..., Any]:
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as exc:
        raise NotAvailableError(f"{module}.{name}") from exc


def _events(data: Path) -> Any:
    from journeymap.data.engine import connect
    from journeymap.data.readers import read_events

    return read_events(data, backend=connect())


def _simulate(args: argparse.Namespace) -> tuple[Callable[[], Any], int]:
    from journeymap.simulate.generator import simulate_to_parquet
    from journeymap.simulate.spec import load_shipped_spec

    simulation = load_shipped_spec(BENCH_SPEC)
    target = Path(args.data)

    def run() -> dict[str, Any]:
        with tempfile.TemporaryDirectory(dir=target.parent) as folder:
            out = target if not target.exists() else Path(folder) / "events.parquet"
            report = simulate_to_parquet(
                simulation, customers=args.customers, seed=args.seed, output=out
            )
        return {"events": report.events}

    return run, -1  # the rows are known after the run


def _import(args: argparse.Namespace) -> tuple[Callable[[], Any], int]:
    from journeymap.data.engine import connect
    from journeymap.data.readers import read_events

    def run() -> int:
        events = read_events(args.data, backend=connect())
        return int(events.table.count().execute())

    return run, args.rows


def _funnel(breakdown: str | None) -> Callable[[argparse.Namespace], Any]:
    def setup(args: argparse.Namespace) -> tuple[Callable[[], Any], int]:
        funnel = _function("journeymap.analytics.funnel", "funnel")
        events = _events(args.data)

        def run() -> list[int]:
            result = funnel(events, list(FUNNEL_STEPS), window=FUNNEL_WINDOW, breakdown=breakdown)
            return [step.entered for step in result.steps]

        return run, args.rows

    return setup


def _path_variants(args: argparse.Namespace) -> tuple[Callable[[], Any], int]:
    path_variants = _function("journeymap.analytics.path_variants", "path_variants")
    events = _events(args.data)

    def run() -> list[tuple[int, str]]:
        result = path_variants(events, by="touchpoint", top=PATH_TOP)
        return [
            (v.count, " → ".join(v.steps) + (" …" if v.truncated else "")) for v in result.variants
        ]

    return run, args.rows


def _sankey(args: argparse.Namespace) -> tuple[Callable[[], Any], int]:
    sankey = _function("journeymap.analytics.sankey", "sankey")
    events = _events(args.data)
    return (lambda: len(sankey(events, by="touchpoint", steps=5).links)), args.rows


def _transitions(args: argparse.Namespace) -> tuple[Callable[[], Any], int]:
    transition_matrix = _function("journeymap.analytics.transitions", "transition_matrix")
    events = _events(args.data)
    return (lambda: len(transition_matrix(events, by="touchpoint").transitions)), args.rows


def _retention(args: argparse.Namespace) -> tuple[Callable[[], Any], int]:
    retention = _function("journeymap.analytics.retention", "retention")
    events = _events(args.data)

    def run() -> int:
        return len(retention(events, start_event="purchase", period="week", periods=8).cohorts)

    return run, args.rows


def _markov(args: argparse.Namespace) -> tuple[Callable[[], Any], int]:
    journey_paths = _function("journeymap.analytics.attribution.journeys", "journey_paths")
    markov = _function("journeymap.analytics.attribution.markov", "markov_attribution")
    events = _events(args.data)

    def run() -> dict[str, Any]:
        paths = journey_paths(events)
        result = markov(paths, order=1)
        journeys = int(paths.conversions.sum() + paths.nulls.sum())
        return {"journeys": journeys, "paths": len(paths.paths), "rows": len(result.to_frame())}

    return run, args.rows


def _insights(args: argparse.Namespace) -> tuple[Callable[[], Any], int]:
    map_insights = _function("journeymap.analytics.enrich", "map_insights")
    from journeymap.map.templates import load_template

    doc = load_template(BENCH_SPEC)
    events = _events(args.data)

    def run() -> int:
        return len(map_insights(events, doc).pains.to_frame())

    return run, args.rows


def _web(name: str) -> Callable[[argparse.Namespace], tuple[Callable[[], Any], int]]:
    def setup(args: argparse.Namespace) -> tuple[Callable[[], Any], int]:
        if importlib.util.find_spec("django") is None:
            raise NotAvailableError("django (the web extra)")
        from benchmarks.web_editor import ITEMS, warmed_up

        return warmed_up(name), ITEMS

    return setup


def _pandas_funnel(args: argparse.Namespace) -> tuple[Callable[[], Any], int]:
    from benchmarks.pandas_baseline import pandas_funnel

    window = int(FUNNEL_WINDOW.total_seconds())
    return (lambda: pandas_funnel(args.data, FUNNEL_STEPS, window)), args.rows


def _pandas_paths(args: argparse.Namespace) -> tuple[Callable[[], Any], int]:
    from benchmarks.pandas_baseline import pandas_path_variants

    return (lambda: pandas_path_variants(args.data, top=PATH_TOP)), args.rows


TASKS: dict[str, tuple[str, Callable[[argparse.Namespace], tuple[Callable[[], Any], int]]]] = {
    "simulate": ("simulator (generate + write Parquet)", _simulate),
    "import": ("import (read + check Parquet)", _import),
    "funnel": ("5-step funnel", _funnel(None)),
    "funnel_breakdown": ("5-step funnel by channel", _funnel("channel")),
    "path_variants": ("top 20 path variants", _path_variants),
    "sankey": ("Sankey data (5 steps)", _sankey),
    "transition_matrix": ("transition matrix", _transitions),
    "retention": ("weekly retention (8 weeks)", _retention),
    "attribution_markov": ("Markov attribution (journeys + order 1)", _markov),
    "insights": ("map insights (moments, pain points, conformance)", _insights),
    "editor_page": ("web: editor page (12 x 15 map, 300 items)", _web("editor_page")),
    "item_edit": ("web: item edit round trip (same map)", _web("item_edit")),
    "pandas_funnel": ("pandas: 5-step funnel", _pandas_funnel),
    "pandas_path_variants": ("pandas: top 20 path variants", _pandas_paths),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("task", choices=sorted(TASKS))
    parser.add_argument("--data", default="")
    parser.add_argument("--rows", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--customers", type=int, default=0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    try:
        run, rows = TASKS[args.task][1](args)
    except NotAvailableError as exc:
        print(json.dumps({"status": "not available", "missing": str(exc)}))
        return 0
    seconds: list[float] = []
    answer: Any = None
    for _ in range(args.repeat):
        started = time.perf_counter()
        answer = run()
        seconds.append(time.perf_counter() - started)
    if rows < 0:
        rows = int(answer["events"])
    print(
        json.dumps(
            {"status": "ok", "seconds": seconds, "rows": rows, "answer": answer}, default=str
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
