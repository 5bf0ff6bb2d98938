"""A tiny pure-Python funnel, written straight from docs/funnels.md, to check the engine against.

Events are (customer, timestamp, value, breakdown) tuples. Each customer's events are cut into
moments (one per timestamp); every step-1 moment starts an attempt, walked moment by moment.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

Event = tuple[Any, datetime, str, Any]


@dataclass(frozen=True)
class RefStep:
    entered: int
    median: float | None
    p25: float | None
    p75: float | None
    p90: float | None


@dataclass
class _Moment:
    ts: datetime
    counts: Counter[str]
    step1_breakdowns: list[Any]


def _reach(counts: Counter[str], steps: Sequence[str], done: int) -> int:
    total = done
    for s in range(done, len(steps)):
        if counts[steps[s]] >= steps[done : s + 1].count(steps[s]):
            total += 1
        else:
            break
    return total


def _millis(ts: datetime) -> int:
    delta = ts - datetime(1970, 1, 1)
    return delta.days * 86_400_000 + delta.seconds * 1000 + delta.microseconds // 1000


def _quantile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q
    lo, hi = math.floor(pos), math.ceil(pos)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def customer_outcomes(
    events: Iterable[Event],
    steps: Sequence[str],
    *,
    window: timedelta,
    strict: bool = False,
    exclusions: Sequence[tuple[str, int, int]] = (),
) -> dict[Any, tuple[Any, int, list[datetime]]]:
    """Per customer who reached step 1: (breakdown, steps reached, step times) of its attempt."""
    wanted = set(steps) | {x for x, _, _ in exclusions}
    by_customer: dict[Any, list[Event]] = defaultdict(list)
    for event in events:
        if strict or event[2] in wanted:
            by_customer[event[0]].append(event)
    out = {}
    for customer, rows in by_customer.items():
        moments: dict[datetime, _Moment] = {}
        for _, ts, value, breakdown in rows:
            m = moments.setdefault(ts, _Moment(ts, Counter(), []))
            m.counts[value] += 1
            if value == steps[0]:
                m.step1_breakdowns.append(breakdown)
        timeline = [moments[t] for t in sorted(moments)]
        best = None
        for i, first in enumerate(timeline):
            if first.counts[steps[0]] == 0:
                continue
            attempt = _walk(timeline, i, steps, window, strict)
            level, times = attempt
            if _voided(timeline, first.ts, level, times, window, exclusions):
                continue
            key = (-level, times[level - 1], -_millis(first.ts), first.ts)
            if best is None or key < best[0]:
                known = [b for b in first.step1_breakdowns if b is not None]
                best = (key, (min(known) if known else None, level, times))
        if best is not None:
            out[customer] = best[1]
    return out


def _walk(timeline, i, steps, window, strict):
    start = timeline[i].ts
    level = _reach(timeline[i].counts, steps, 0)
    times = [start] * level
    for m in timeline[i + 1 :]:
        if level == len(steps) or m.ts > start + window:
            break
        after = _reach(m.counts, steps, level)
        if after == level:
            if strict:
                break
            continue
        times += [m.ts] * (after - level)
        level = after
    return level, times


def _voided(timeline, start, level, times, window, exclusions) -> bool:
    for value, a, b in exclusions:
        if level < a:
            continue
        high = start + window
        if level >= b:
            high = min(high, times[b - 1])
        if any(times[a - 1] < m.ts <= high and m.counts[value] > 0 for m in timeline):
            return True
    return False


def reference_funnel(
    events: Iterable[Event],
    steps: Sequence[str],
    *,
    window: timedelta,
    strict: bool = False,
    exclusions: Sequence[tuple[str, int, int]] = (),
    breakdown: bool = False,
) -> dict[Any, list[RefStep]]:
    """Per-step figures; keyed by breakdown value when ``breakdown``, else under ``"all"``."""
    outcomes = customer_outcomes(events, steps, window=window, strict=strict, exclusions=exclusions)
    groups: dict[Any, list[tuple[int, list[datetime]]]] = defaultdict(list)
    for bd, level, times in outcomes.values():
        groups[bd if breakdown else "all"].append((level, times))
    if not breakdown and not groups:
        groups["all"] = []
    result = {}
    for key, members in groups.items():
        stats = []
        for k in range(1, len(steps) + 1):
            reached = [t for lvl, t in members if lvl >= k]
            gaps = (
                [(_millis(t[k - 1]) - _millis(t[k - 2])) / 1000 for t in reached] if k > 1 else []
            )
            stats.append(
                RefStep(
                    entered=len(reached),
                    median=_quantile(gaps, 0.5),
                    p25=_quantile(gaps, 0.25),
                    p75=_quantile(gaps, 0.75),
                    p90=_quantile(gaps, 0.9),
                )
            )
        result[key] = stats
    return result


def events_frame(events: Iterable[Event], breakdown: str = "channel") -> Any:
    """The events as a pandas frame with the canonical columns (breakdown as ``breakdown``)."""
    import pandas as pd

    rows = list(events)
    return pd.DataFrame(
        {
            "customer_id": pd.Series([r[0] for r in rows], dtype="string"),
            "timestamp": pd.Series([r[1] for r in rows], dtype="datetime64[us]"),
            "event": pd.Series([r[2] for r in rows], dtype="string"),
            breakdown: pd.Series([r[3] for r in rows], dtype="string"),
        }
    )
