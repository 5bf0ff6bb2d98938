"""Stage timing: gaps between first entries and time spent in each stage."""

from __future__ import annotations

import itertools
from collections import defaultdict
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from ibis.backends import BaseBackend
from path_logs import event_rows, event_table, step

from journeymap.analytics.stage_timing import Distribution, stage_timing
from journeymap.data.engine import connect
from journeymap.data.events import EventsError

HOUR = 3600.0


@pytest.fixture(scope="module")
def duck() -> BaseBackend:
    return connect()


def s(customer: str, minute: float, event: str, stage: str) -> dict[str, Any]:
    return step(customer, minute, event, stage=stage)


JOURNEYS = [
    # a: aware 0h, consider 1h, aware again 2h, buy 4h
    s("a", 0, "e1", "aware"),
    s("a", 60, "e2", "consider"),
    s("a", 120, "e3", "aware"),
    s("a", 240, "e4", "buy"),
    # b: consider and aware at the same minute: e1 (consider) sorts first; buy a day later
    s("b", 0, "e1", "consider"),
    s("b", 0, "e2", "aware"),
    s("b", 1440, "e3", "buy"),
    # c: one event only
    s("c", 0, "e1", "aware"),
]


def test_hand_computed_gaps_between_first_entries(duck: BaseBackend) -> None:
    result = stage_timing(event_table(duck, JOURNEYS), ["aware", "consider", "buy"])
    aware_consider, consider_buy = result.gaps
    assert aware_consider.duration.count == 2  # a: 1 h, b: 0 s
    assert aware_consider.duration.mean == pytest.approx(0.5 * HOUR)
    assert consider_buy.duration.median == pytest.approx((3 * HOUR + 24 * HOUR) / 2)
    assert aware_consider.out_of_order == 0


def test_time_in_stage_sums_visits_until_the_next_stage(duck: BaseBackend) -> None:
    result = stage_timing(event_table(duck, JOURNEYS), ["aware", "consider", "buy"])
    aware, consider, buy = result.dwell
    # aware: a 1 h + 2 h, b 24 h (from 00:00 to the buy event); c never leaves, not counted
    assert aware.duration.count == 2
    assert aware.duration.mean == pytest.approx((3 * HOUR + 24 * HOUR) / 2)
    # consider: a 1 h, b 0 s (left at the same minute)
    assert consider.duration.p25 == pytest.approx(0.25 * HOUR)
    assert buy.duration == Distribution(0, None, None, None, None, None)


def test_stage_entered_before_the_previous_one_counts_as_out_of_order(duck: BaseBackend) -> None:
    rows = [s("x", 0, "e", "consider"), s("x", 10, "e", "aware")]
    gap = stage_timing(event_table(duck, rows), ["aware", "consider"]).gaps[0]
    assert (gap.duration.count, gap.out_of_order) == (0, 1)


def test_default_order_follows_the_average_rank_of_first_entries(duck: BaseBackend) -> None:
    assert stage_timing(event_table(duck, JOURNEYS)).stage_order == ("aware", "consider", "buy")


def test_empty_input_gives_no_stages(duck: BaseBackend) -> None:
    table = event_table(duck, JOURNEYS)
    result = stage_timing(table.filter(table.event == "none"))
    assert (result.stage_order, result.gaps, result.dwell) == ((), (), ())


def test_errors_name_the_problem(duck: BaseBackend) -> None:
    table = event_table(duck, JOURNEYS)
    with pytest.raises(EventsError, match="'stage'"):
        stage_timing(table.drop("stage"))
    with pytest.raises(ValueError, match="twice"):
        stage_timing(table, ["aware", "aware"])


def test_frame_dict_and_figure(duck: BaseBackend) -> None:
    result = stage_timing(event_table(duck, JOURNEYS), ["aware", "consider", "buy"])
    frame = result.to_frame()
    assert list(frame["measure"]) == ["between", "between", "in", "in", "in"]
    assert result.to_dict()["unit"] == "seconds"
    assert {trace.name for trace in result.figure().data} == {"between stages", "in stage"}


def _reference(
    rows: list[dict[str, Any]], order: list[str]
) -> tuple[list[list[float]], list[list[float]]]:
    by_customer: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if row["stage"] is not None:
            by_customer[row["customer_id"]].append(row)
    gaps: list[list[float]] = [[] for _ in order[1:]]
    dwell: dict[str, list[float]] = {stage: [] for stage in order}
    for items in by_customer.values():
        items.sort(key=lambda r: (r["timestamp"], r["event"], r["stage"]))
        first: dict[str, float] = {}
        for r in items:
            first.setdefault(r["stage"], r["timestamp"].timestamp())
        for i, (a, b) in enumerate(itertools.pairwise(order)):
            if a in first and b in first and first[b] >= first[a]:
                gaps[i].append(first[b] - first[a])
        visits = [r for i, r in enumerate(items) if i == 0 or items[i - 1]["stage"] != r["stage"]]
        spent: dict[str, float] = defaultdict(float)
        for v, nxt in itertools.pairwise(visits):
            spent[v["stage"]] += nxt["timestamp"].timestamp() - v["timestamp"].timestamp()
        for stage in spent:
            if stage in dwell:
                dwell[stage].append(spent[stage])
    return gaps, [dwell[stage] for stage in order]


def _check(distribution: Distribution, values: list[float]) -> None:
    assert distribution.count == len(values)
    if values:
        assert distribution.mean == pytest.approx(np.mean(values))
        for name, q in (("median", 0.5), ("p25", 0.25), ("p75", 0.75), ("p90", 0.9)):
            assert getattr(distribution, name) == pytest.approx(np.quantile(values, q))


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=event_rows.filter(bool))
def test_matches_the_pure_python_reference(duck: BaseBackend, rows: list[dict[str, Any]]) -> None:
    order = ["aware", "consider", "buy"]
    result = stage_timing(event_table(duck, rows), order)
    gaps, dwell = _reference(rows, order)
    for gap, values in zip(result.gaps, gaps, strict=True):
        _check(gap.duration, values)
    for stay, values in zip(result.dwell, dwell, strict=True):
        _check(stay.duration, values)
