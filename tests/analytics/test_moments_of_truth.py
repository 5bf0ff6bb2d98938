"""Moments of truth (conversion of customers who reached a step vs not) and turning points."""

from __future__ import annotations

import math
from typing import Any

import pytest
from ibis.backends import BaseBackend
from insight_events import simulated_events
from path_logs import event_table, step

from journeymap.analytics.moments_of_truth import compare, moments_of_truth, turning_points
from journeymap.data.engine import connect
from journeymap.data.events import Events, EventsError


def journey(customer: str, *touchpoints: str) -> list[dict[str, Any]]:
    """Events at ``touchpoints`` one minute apart; ``buy`` is the conversion event."""
    return [
        step(customer, n, "buy" if tp == "pay" else "view", tp, stage=f"s-{tp}")
        for n, tp in enumerate(touchpoints)
    ]


# reached "demo": a, b, c (2 of 3 convert); not reached: d, e, f, g (1 of 4 converts).
# h views "demo" only after buying: it counts as not reached (and converted).
ROWS = [
    *journey("a", "home", "demo", "pay"),
    *journey("b", "home", "demo", "pay"),
    *journey("c", "home", "demo"),
    *journey("d", "home", "pay"),
    *journey("e", "home"),
    *journey("f", "home"),
    *journey("g", "home"),
    *journey("h", "home", "pay", "demo"),
]


def test_hand_computed_lift_interval_and_z_test(backend: BaseBackend) -> None:
    result = moments_of_truth(event_table(backend, ROWS), conversion=["buy"], min_support=1)
    demo = next(m for m in result.moments if m.step == "demo")
    assert (demo.reached, demo.reached_converted) == (3, 2)
    assert (demo.not_reached, demo.not_reached_converted) == (5, 2)
    p1, p0 = 2 / 3, 2 / 5
    assert demo.lift == pytest.approx(p1 - p0)
    half = 1.959963984540054 * math.sqrt(p1 * (1 - p1) / 3 + p0 * (1 - p0) / 5)
    assert (demo.lift_low, demo.lift_high) == pytest.approx((p1 - p0 - half, p1 - p0 + half))
    pooled = 4 / 8
    z = (p1 - p0) / math.sqrt(pooled * (1 - pooled) * (1 / 3 + 1 / 5))
    assert demo.z == pytest.approx(z)
    assert demo.p_value == pytest.approx(math.erfc(abs(z) / math.sqrt(2)))
    assert demo.odds_ratio == pytest.approx((2.5 * 3.5) / (1.5 * 2.5))
    assert demo.ratio == pytest.approx(p1 / p0)
    assert "pay" not in {m.step for m in result.moments}  # the conversion step is not a moment


def test_steps_below_min_support_are_not_ranked() -> None:
    result = moments_of_truth(event_table(connect(), ROWS), conversion=["buy"], min_support=4)
    assert all(not m.supported for m in result.moments)
    assert result.raising() == () and result.lowering() == ()


def test_a_step_everybody_reached_has_no_lift() -> None:
    m = compare("home", 8, 4, 0, 0, 1)
    assert m.lift is None and m.p_value is None and not m.supported


def test_conversion_by_revenue_needs_a_revenue_column() -> None:
    with pytest.raises(EventsError, match="revenue"):
        moments_of_truth(event_table(connect(), ROWS))


@pytest.fixture(scope="module")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> Events:
    return simulated_events(tmp_path_factory.mktemp("mot"))


def test_simulated_touchpoint_with_a_known_positive_effect_ranks_first(simulated: Events) -> None:
    result = moments_of_truth(simulated)  # conversion: the purchase event carries revenue
    raising = [m.step for m in result.raising() if m.step != "tp-proposal-pdf"]
    assert raising[0] == "tp-roi-calculator"
    roi = next(m for m in result.moments if m.step == "tp-roi-calculator")
    # truth: 0.8 x 0.75 = 0.6 of those who reach it convert
    assert roi.conversion_reached == pytest.approx(0.6, abs=4 * math.sqrt(0.24 / roi.reached))
    assert [m.step for m in result.lowering()] == ["tp-demo-form"]


def test_simulated_turning_point_is_the_stage_where_most_leave(simulated: Events) -> None:
    result = turning_points(simulated, by="stage")
    top = result.points[0]
    assert top.step == "first-contact"
    # truth: 70 % of the demo-form visitors leave there
    assert top.exit_probability == pytest.approx(0.7, abs=4 * math.sqrt(0.21 / top.reached))
    assert top.left + top.continued == top.reached
    assert result.to_frame().shape[0] == len(result.points)


def test_turning_points_count_customers_whose_last_step_it_was(backend: BaseBackend) -> None:
    result = turning_points(event_table(backend, ROWS), by="touchpoint", conversion=["buy"])
    by_step = {p.step: p for p in result.points}
    assert (by_step["home"].reached, by_step["home"].left) == (8, 3)  # e, f, g
    assert (by_step["demo"].reached, by_step["demo"].left) == (3, 1)  # c
    assert result.points[0].step == "home"
