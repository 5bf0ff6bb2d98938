"""Loops: repeats and backtracks with the customers they affect."""

from __future__ import annotations

from typing import Any

import paths_reference as ref
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ibis.backends import BaseBackend
from path_logs import event_rows, event_table, step

from journeymap.analytics.loops import loops
from journeymap.data.engine import connect


@pytest.fixture(scope="module")
def duck() -> BaseBackend:
    return connect()


JOURNEYS = [
    # a: home product home (backtrack) product (backtrack) product (repeat)
    step("a", 0, "view", "home"),
    step("a", 1, "view", "product"),
    step("a", 2, "view", "home"),
    step("a", 3, "view", "product"),
    step("a", 4, "view", "product"),
    # b: home product product home: a repeat, then a backtrack across it
    step("b", 0, "view", "home"),
    step("b", 1, "view", "product"),
    step("b", 2, "view", "product"),
    step("b", 3, "view", "home"),
    # c: no loop
    step("c", 0, "view", "home"),
]


def test_hand_computed_repeats_and_backtracks(duck: BaseBackend) -> None:
    result = loops(event_table(duck, JOURNEYS))
    found = {(lp.kind, lp.steps): (lp.occurrences, lp.customers) for lp in result.loops}
    assert found == {
        ("backtrack", ("home", "product", "home")): (2, 2),
        ("backtrack", ("product", "home", "product")): (1, 1),
        ("repeat", ("product", "product")): (2, 2),
    }
    assert (result.total_customers, result.customers_with_loops) == (3, 2)
    assert result.loops[0].share == pytest.approx(2 / 3)


def test_loops_per_session_still_count_distinct_customers(duck: BaseBackend) -> None:
    rows = [
        step("a", 0, "view", "home", session_id="s1"),
        step("a", 1, "view", "home", session_id="s1"),
        step("a", 2, "view", "home", session_id="s2"),
        step("a", 3, "view", "home", session_id="s2"),
    ]
    result = loops(event_table(duck, rows), per="session")
    assert [(lp.steps, lp.occurrences, lp.customers) for lp in result.loops] == [
        (("home", "home"), 2, 1)
    ]


def test_equal_timestamps_decide_by_event_name(duck: BaseBackend) -> None:
    # same minute: "a_click" (cart) sorts before "b_view" (home): home, cart, home -> backtrack
    rows = [
        step("x", 0, "view", "home"),
        step("x", 1, "b_view", "home"),
        step("x", 1, "a_click", "cart"),
    ]
    result = loops(event_table(duck, rows))
    assert [lp.steps for lp in result.loops] == [("home", "cart", "home")]


def test_empty_input_and_one_event_customers_have_no_loops(duck: BaseBackend) -> None:
    table = event_table(duck, JOURNEYS)
    assert loops(table.filter(table.event == "none")).loops == ()
    single = loops(event_table(duck, [step("z", 0, "view", "home")]))
    assert (single.total_customers, single.customers_with_loops, single.loops) == (1, 0, ())


def test_frame_dict_and_figure(duck: BaseBackend) -> None:
    result = loops(event_table(duck, JOURNEYS))
    assert next(iter(result.to_frame()["loop"])) == "home → product → home"
    assert result.to_dict()["customers_with_loops"] == 2
    assert len(result.figure().data[0].y) == 3


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=event_rows.filter(bool),
    by=st.sampled_from(["touchpoint", "stage", "event"]),
    per=st.sampled_from(["customer", "session"]),
)
def test_matches_the_pure_python_reference(
    duck: BaseBackend, rows: list[dict[str, Any]], by: str, per: str
) -> None:
    result = loops(event_table(duck, rows), by=by, per=per)  # type: ignore[arg-type]
    total, affected, patterns = ref.loops(rows, by, per)
    assert (result.total_customers, result.customers_with_loops) == (total, affected)
    assert {lp.steps: (lp.occurrences, lp.customers) for lp in result.loops} == patterns
