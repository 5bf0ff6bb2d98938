"""Designed vs actual journey: share following the map, skips, backtracks, segments."""

from __future__ import annotations

import math
from typing import Any

import pytest
from ibis.backends import BaseBackend
from insight_events import STAGE_ORDER, simulated_events
from path_logs import event_table, step

from journeymap.analytics.conformance import conformance
from journeymap.data.events import EventsError

ORDER = ["aware", "consider", "buy", "use"]


def path(customer: str, *stages: str, channel: str = "web") -> list[dict[str, Any]]:
    return [step(customer, n, f"e{n}", stage=s, session_id=channel) for n, s in enumerate(stages)]


ROWS = [
    *path("a", "aware", "consider", "consider", "buy"),  # follows (repeat collapsed)
    *path("b", "consider", "buy", "use"),  # follows (starts mid-way)
    *path("c", "aware", "buy", "use", channel="app"),  # skips consider
    *path("d", "aware", "consider", "aware", "consider", channel="app"),  # backtrack
    *path("e", "aware", "faq", "use", channel="app"),  # off-map stage; skips consider and buy
]


def test_hand_computed_conformance(backend: BaseBackend) -> None:
    result = conformance(event_table(backend, ROWS), ORDER)
    assert (result.customers, result.following, result.in_order) == (5, 2, 4)
    assert result.share_following == pytest.approx(0.4)
    assert result.skipped == {"consider": 2, "buy": 1}
    assert result.backtracking == 1
    assert result.off_map_stages == {"faq": 1}
    labels = {(d.kind, d.label): (d.customers, d.occurrences) for d in result.deviations}
    assert labels == {
        ("skip", "aware → buy"): (1, 1),
        ("skip", "aware → use"): (1, 1),
        ("backtrack", "consider → aware"): (1, 1),
    }


def test_conformance_per_segment_column() -> None:
    from journeymap.data.engine import connect

    result = conformance(event_table(connect(), ROWS), ORDER, segment="session_id")
    shares = {s.segment: (s.customers, s.following) for s in result.segments}
    assert shares == {"app": (3, 0), "web": (2, 2)}


def test_bad_input_is_named() -> None:
    from journeymap.data.engine import connect

    table = event_table(connect(), ROWS)
    with pytest.raises(EventsError, match="'region'"):
        conformance(table, ORDER, segment="region")
    with pytest.raises(ValueError, match="twice"):
        conformance(table, ["aware", "aware"])


def test_simulated_journeys_skip_the_stages_the_spec_jumps_over(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    events = simulated_events(tmp_path_factory.mktemp("conf"), customers=2000)
    result = conformance(events, STAGE_ORDER)
    moves = {d.label: d.customers for d in result.deviations}
    n = result.customers
    # truth: 30 % go from research straight to proposal (ROI calculator), 15 % from first-contact
    # to proposal (skipping demo), 29 % from proposal to payment (skipping procurement)
    for label, truth in [
        ("research → proposal", 0.3),
        ("first-contact → proposal", 0.15),
        ("proposal → payment", 0.29),
    ]:
        assert moves[label] / n == pytest.approx(truth, abs=4 * math.sqrt(truth * (1 - truth) / n))
    assert result.skipped["procurement"] == moves["proposal → payment"]
    # following: leaving at research (0.2) or at first-contact (0.5 x 0.7); nobody goes back
    share = result.share_following or 0.0
    assert share == pytest.approx(0.55, abs=4 * math.sqrt(0.55 * 0.45 / n))
    assert result.backtracking == 0
    assert result.to_frame().shape[0] == len(result.deviations)
