"""Journeys from events against a tiny pure-Python reference, on random logs with ties."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest
from attribution_logs import T0, channel_log
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ibis.backends import BaseBackend

from journeymap.analytics.attribution import heuristic_attribution, journey_paths
from journeymap.data.engine import connect

PathCounts = dict[tuple[str, ...], tuple[float, float, float]]


@pytest.fixture(scope="module")
def duck() -> BaseBackend:
    return connect()


def reference(rows: list[dict[str, Any]]) -> tuple[PathCounts, float]:
    """Paths with (conversions, value, nulls), and conversions without a touch, by plain loops."""
    by_customer: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if row["event"] == "purchase" or row["channel"]:
            by_customer[row["customer_id"]].append(row)
    counts: dict[tuple[str, ...], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    unattributed = 0.0
    for events in by_customer.values():
        events.sort(
            key=lambda e: (
                e["timestamp"],
                e["event"] == "purchase",
                e["event"],
                "" if e["event"] == "purchase" else e["channel"],
                e["revenue"] or 0.0,
            )
        )
        current: list[str] = []
        for event in events:
            if event["event"] == "purchase":
                if current:
                    counts[tuple(current)][0] += 1
                    counts[tuple(current)][1] += event["revenue"] or 0.0
                else:
                    unattributed += 1
                current = []
            elif not current or current[-1] != event["channel"]:
                current.append(event["channel"])
        if current:
            counts[tuple(current)][2] += 1
    return {path: (c[0], c[1], c[2]) for path, c in counts.items()}, unattributed


rows = st.lists(
    st.fixed_dictionaries(
        {
            "customer_id": st.sampled_from(["a", "b", "c"]),
            "timestamp": st.integers(0, 6).map(lambda k: T0.replace(hour=k)),
            "event": st.sampled_from(["visit", "click", "purchase"]),
            "channel": st.sampled_from(["Email", "Direct", "Paid Search", None]),
            "revenue": st.sampled_from([None, 10.0]),
        }
    ),
    max_size=20,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows)
def test_journey_paths_match_the_reference(duck: BaseBackend, events: list[dict[str, Any]]) -> None:
    expected, unattributed = reference(events)
    if not any(e["event"] == "purchase" for e in events):
        with pytest.raises(ValueError, match="no conversions"):
            journey_paths(channel_log(duck, events))
        return
    paths = journey_paths(channel_log(duck, events))
    got = {
        path: (float(c), float(v), float(n))
        for path, c, v, n in zip(
            paths.paths, paths.conversions, paths.value, paths.nulls, strict=True
        )
    }
    assert got == expected
    assert paths.unattributed_conversions == unattributed


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows)
def test_every_heuristic_shares_out_exactly_the_converted_journeys(
    duck: BaseBackend, events: list[dict[str, Any]]
) -> None:
    expected, _ = reference(events)
    converted = sum(c for c, _, _ in expected.values())
    value = sum(v for _, v, _ in expected.values())
    if not converted:
        return
    first: dict[str, float] = defaultdict(float)
    for path, (c, _, _) in expected.items():
        first[path[0]] += c
    results = heuristic_attribution(channel_log(duck, events))
    for result in results.values():
        assert result.total_conversions == pytest.approx(converted)
        assert result.total_value == pytest.approx(value)
    got_first = {c.channel: c.conversions for c in results["first_touch"].credits if c.conversions}
    assert got_first == pytest.approx({k: v for k, v in first.items() if v})
