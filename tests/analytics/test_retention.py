"""Retention and repurchase cohorts: hand cases per period and a pure-Python reference."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ibis.backends import BaseBackend
from path_logs import event_rows, event_table

from journeymap.analytics.retention import retention
from journeymap.data.engine import connect


@pytest.fixture(scope="module")
def duck() -> BaseBackend:
    return connect()


def e(customer: str, when: str, event: str) -> dict[str, Any]:
    return {"customer_id": customer, "timestamp": datetime.fromisoformat(when), "event": event}


# 2024-01-01 is a Monday
JOURNEYS = [
    e("a", "2024-01-01 10:00", "purchase"),
    e("a", "2024-01-01 10:00", "purchase"),  # same timestamp: the second one is a repurchase
    e("a", "2024-01-09 00:00", "purchase"),
    e("b", "2024-01-02 00:00", "purchase"),
    e("b", "2024-01-20 00:00", "view"),
    e("c", "2024-01-08 00:00", "purchase"),
    e("d", "2024-01-25 00:00", "view"),  # never purchases: in no cohort
]


def test_weekly_repurchase_cohorts(duck: BaseBackend) -> None:
    result = retention(event_table(duck, JOURNEYS), period="week", periods=3)
    first, second = result.cohorts
    assert (first.start, first.size, first.returned) == (date(2024, 1, 1), 2, (1, 1, 0, 0))
    assert first.rates == (0.5, 0.5, 0.0, 0.0)
    # data ends in the week of 2024-01-22: week 3 of the second cohort is not observed yet
    assert (second.start, second.size, second.returned) == (date(2024, 1, 8), 1, (0, 0, 0, None))


def test_other_return_event_and_month_periods(duck: BaseBackend) -> None:
    result = retention(event_table(duck, JOURNEYS), return_event="view", period="month", periods=1)
    (january,) = result.cohorts
    assert (january.size, january.returned) == (3, (1, None))


def test_daily_cohorts(duck: BaseBackend) -> None:
    result = retention(event_table(duck, JOURNEYS), period="day", periods=8)
    assert [c.start for c in result.cohorts] == [
        date(2024, 1, 1),
        date(2024, 1, 2),
        date(2024, 1, 8),
    ]
    assert result.cohorts[0].returned[:9] == (1, 0, 0, 0, 0, 0, 0, 0, 1)


def test_a_different_event_at_the_same_timestamp_returns_only_when_ordered_after(
    duck: BaseBackend,
) -> None:
    rows = [
        e("x", "2024-01-01 00:00", "purchase"),
        e("x", "2024-01-01 00:00", "app_open"),
        e("x", "2024-01-01 00:00", "visit"),
    ]
    result = retention(event_table(duck, rows), return_event=None, period="day", periods=0)
    assert result.cohorts[0].returned == (0,)
    # "app_open" sorts before "purchase", "visit" after it
    assert retention(
        event_table(duck, rows), return_event="visit", period="day", periods=0
    ).cohorts[0].returned == (1,)
    assert retention(
        event_table(duck, rows), return_event="app_open", period="day", periods=0
    ).cohorts[0].returned == (0,)


def test_empty_input_has_no_cohorts(duck: BaseBackend) -> None:
    table = event_table(duck, JOURNEYS)
    assert retention(table.filter(table.event == "none")).cohorts == ()


def test_bad_parameters_are_rejected(duck: BaseBackend) -> None:
    table = event_table(duck, JOURNEYS)
    with pytest.raises(ValueError, match="period"):
        retention(table, period="year")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="periods"):
        retention(table, periods=-1)


def test_frame_dict_and_figure(duck: BaseBackend) -> None:
    result = retention(event_table(duck, JOURNEYS), period="week", periods=3)
    frame = result.to_frame()
    assert list(frame.columns[:4]) == ["cohort", "size", "returned_0", "returned_1"]
    assert result.to_dict()["cohorts"][1]["returned"] == [0, 0, 0, None]
    assert result.figure().data[0].type == "heatmap"


def _truncate(moment: datetime, period: str) -> date:
    day = moment.date()
    if period == "week":
        return day - timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    return day


def _index(start: date, end: date, period: str) -> int:
    if period == "month":
        return (end.year * 12 + end.month) - (start.year * 12 + start.month)
    return (end - start).days // (7 if period == "week" else 1)


def _reference(
    rows: list[dict[str, Any]], start_event: str, return_event: str, period: str, periods: int
) -> dict[date, tuple[int, tuple[int | None, ...]]]:
    if not rows:
        return {}
    last = _truncate(max(r["timestamp"] for r in rows), period)
    by_customer: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        if r["event"] in (start_event, return_event):
            by_customer[r["customer_id"]].append(r)
    sizes: dict[date, int] = defaultdict(int)
    returned: dict[date, list[set[str]]] = defaultdict(lambda: [set() for _ in range(periods + 1)])
    for customer, items in by_customer.items():
        items.sort(key=lambda r: (r["timestamp"], r["event"]))
        starts = [i for i, r in enumerate(items) if r["event"] == start_event]
        if not starts:
            continue
        cohort = _truncate(items[starts[0]]["timestamp"], period)
        sizes[cohort] += 1
        for r in items[starts[0] + 1 :]:
            k = _index(cohort, _truncate(r["timestamp"], period), period)
            if r["event"] == return_event and k <= periods:
                returned[cohort][k].add(customer)
    return {
        cohort: (
            size,
            tuple(
                len(returned[cohort][k]) if k <= _index(cohort, last, period) else None
                for k in range(periods + 1)
            ),
        )
        for cohort, size in sizes.items()
    }


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=event_rows.filter(bool),
    return_event=st.sampled_from(["purchase", "view"]),
    period=st.sampled_from(["day", "week", "month"]),
    periods=st.integers(0, 3),
)
def test_matches_the_pure_python_reference(
    duck: BaseBackend, rows: list[dict[str, Any]], return_event: str, period: str, periods: int
) -> None:
    result = retention(
        event_table(duck, rows),
        start_event="purchase",
        return_event=return_event,
        period=period,
        periods=periods,
    )  # type: ignore[arg-type]
    expected = _reference(rows, "purchase", return_event, period, periods)
    assert {c.start: (c.size, c.returned) for c in result.cohorts} == expected
