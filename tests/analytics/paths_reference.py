"""Tiny pure-Python references for the path analytics, for property tests on small logs.

Each function takes a list of event dicts (customer_id, timestamp, event, optional session_id,
touchpoint, stage) and follows the documented definitions literally.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from typing import Any

START, END = "(start)", "(end)"
Row = dict[str, Any]


def paths(rows: list[Row], by: str, per: str, collapse: bool) -> dict[tuple[str, ...], list[str]]:
    """Steps of every path, in event order (timestamp, event, step)."""
    keys = ("customer_id",) if per == "customer" else ("customer_id", "session_id")
    grouped: dict[tuple[str, ...], list[Row]] = defaultdict(list)
    for row in rows:
        if row.get(by) in (None, "") or any(row.get(k) is None for k in keys):
            continue
        grouped[tuple(row[k] for k in keys)].append(row)
    result = {}
    for key, items in grouped.items():
        items.sort(key=lambda r: (r["timestamp"], r["event"], r[by]))
        steps = [str(r[by]) for r in items]
        if collapse:
            steps = [s for i, s in enumerate(steps) if i == 0 or steps[i - 1] != s]
        result[key] = steps
    return result


def path_variants(
    rows: list[Row], by: str, per: str, collapse: bool, top: int, max_length: int
) -> tuple[int, int, list[tuple[tuple[str, ...], int, bool]]]:
    """(total paths, distinct variants, top variants as (steps, count, truncated))."""
    counts = Counter(
        (tuple(steps[:max_length]), len(steps) > max_length)
        for steps in paths(rows, by, per, collapse).values()
    )

    def order(item: tuple[tuple[tuple[str, ...], bool], int]) -> tuple[Any, ...]:
        (steps, truncated), count = item
        return (-count, [*steps, *[""] * (max_length - len(steps))], truncated)

    ranked = sorted(counts.items(), key=order)[:top]
    return (
        sum(counts.values()),
        len(counts),
        [(steps, count, truncated) for (steps, truncated), count in ranked],
    )


def transitions(rows: list[Row], by: str, per: str, collapse: bool) -> Counter[tuple[str, str]]:
    """Counts of (source, target) moves, (start) and (end) included."""
    moves: Counter[tuple[str, str]] = Counter()
    for steps in paths(rows, by, per, collapse).values():
        chain = [START, *steps, END]
        moves.update(itertools.pairwise(chain))
    return moves


def sankey(
    rows: list[Row],
    by: str,
    per: str,
    start_at: str | None,
    direction: str,
    steps: int,
    collapse: bool = True,
) -> tuple[Counter[tuple[int, str]], Counter[tuple[int, str, str]]]:
    """(node counts by (index, value), link counts by (source index, source, target))."""
    nodes: Counter[tuple[int, str]] = Counter()
    links: Counter[tuple[int, str, str]] = Counter()
    for path in paths(rows, by, per, collapse).values():
        if start_at is None:
            indexed = list(enumerate(path, start=1))
            first, last = 1, steps
        elif start_at in path:
            anchor = path.index(start_at)
            indexed = [(i - anchor, s) for i, s in enumerate(path)]
            first, last = (0, steps) if direction == "after" else (-steps, 0)
        else:
            continue
        shown = [(i, s) for i, s in indexed if first <= i <= last]
        for i, s in shown:
            nodes[(i, s)] += 1
        for (i, s), (_, t) in itertools.pairwise(shown):
            links[(i, s, t)] += 1
        end_index, end_step = shown[-1]
        if end_index < last and end_index == indexed[-1][0]:
            links[(end_index, end_step, END)] += 1
            nodes[(end_index + 1, END)] += 1
        begin_index, begin_step = shown[0]
        if direction == "before" and start_at is not None and begin_index > first:
            links[(begin_index - 1, START, begin_step)] += 1
            nodes[(begin_index - 1, START)] += 1
    return nodes, links


def loops(
    rows: list[Row], by: str, per: str
) -> tuple[int, int, dict[tuple[str, ...], tuple[int, int]]]:
    """(customers with steps, customers with any loop, {loop steps: (occurrences, customers)})."""
    occurrences: Counter[tuple[str, ...]] = Counter()
    affected: dict[tuple[str, ...], set[str]] = defaultdict(set)
    customers: set[str] = set()
    for key, raw in paths(rows, by, per, collapse=False).items():
        customers.add(key[0])
        found = [(a, b) for a, b in itertools.pairwise(raw) if a == b]
        moves = [s for i, s in enumerate(raw) if i == 0 or raw[i - 1] != s]
        found += [(a, b, c) for a, b, c in zip(moves, moves[1:], moves[2:], strict=False) if a == c]
        for pattern in found:
            occurrences[pattern] += 1
            affected[pattern].add(key[0])
    with_loops = set().union(*affected.values()) if affected else set()
    return (
        len(customers),
        len(with_loops),
        {p: (n, len(affected[p])) for p, n in occurrences.items()},
    )
