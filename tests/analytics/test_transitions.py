"""Transition matrix: counts and row probabilities with (start) and (end) states."""

from __future__ import annotations

from typing import Any

import paths_reference as ref
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ibis.backends import BaseBackend
from path_logs import event_rows, event_table, step

from journeymap.analytics.transitions import transition_matrix
from journeymap.data.engine import connect


@pytest.fixture(scope="module")
def duck() -> BaseBackend:
    return connect()


JOURNEYS = [
    step("a", 0, "view", "home"),
    step("a", 1, "view", "home"),
    step("a", 2, "view", "cart"),
    step("b", 0, "view", "cart"),
    step("c", 3, "view", "home"),
]


def test_counts_include_start_end_and_repeats(duck: BaseBackend) -> None:
    result = transition_matrix(event_table(duck, JOURNEYS))
    counts = result.counts()
    assert result.states == ("(start)", "cart", "home", "(end)")
    assert counts.loc["(start)", "home"] == 2
    assert counts.loc["(start)", "cart"] == 1
    assert counts.loc["home", "home"] == 1
    assert counts.loc["home", "cart"] == 1
    assert counts.loc["home", "(end)"] == 1
    assert counts.loc["cart", "(end)"] == 2


def test_row_probabilities_sum_to_one(duck: BaseBackend) -> None:
    probabilities = transition_matrix(event_table(duck, JOURNEYS)).probabilities()
    assert probabilities.loc["home"].tolist() == pytest.approx([1 / 3, 1 / 3, 1 / 3])
    assert probabilities.sum(axis=1).tolist() == pytest.approx([1.0, 1.0, 1.0])


def test_collapse_repeats_removes_self_transitions(duck: BaseBackend) -> None:
    counts = transition_matrix(event_table(duck, JOURNEYS), collapse_repeats=True).counts()
    assert counts.loc["home", "home"] == 0
    assert counts.loc["home", "cart"] == 1


def test_one_event_customer_goes_from_start_to_end_through_one_step(duck: BaseBackend) -> None:
    result = transition_matrix(event_table(duck, [step("z", 0, "view", "home")]))
    assert [(t.source, t.target, t.count) for t in result.transitions] == [
        ("(start)", "home", 1),
        ("home", "(end)", 1),
    ]


def test_empty_input_has_no_states(duck: BaseBackend) -> None:
    table = event_table(duck, JOURNEYS)
    result = transition_matrix(table.filter(table.event == "none"))
    assert result.states == () and result.transitions == ()
    assert result.to_frame().empty


def test_figure_is_a_heatmap_of_probabilities(duck: BaseBackend) -> None:
    figure = transition_matrix(event_table(duck, JOURNEYS)).figure()
    assert figure.data[0].type == "heatmap"
    assert list(figure.data[0].x) == ["cart", "home", "(end)"]


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=event_rows.filter(bool),
    by=st.sampled_from(["touchpoint", "stage", "event"]),
    per=st.sampled_from(["customer", "session"]),
    collapse=st.booleans(),
)
def test_matches_the_pure_python_reference(
    duck: BaseBackend, rows: list[dict[str, Any]], by: str, per: str, collapse: bool
) -> None:
    result = transition_matrix(
        event_table(duck, rows),
        by=by,
        per=per,
        collapse_repeats=collapse,  # type: ignore[arg-type]
    )
    expected = ref.transitions(rows, by, per, collapse)
    assert {(t.source, t.target): t.count for t in result.transitions} == dict(expected)
    for t in result.transitions:
        out = sum(n for (s, _), n in expected.items() if s == t.source)
        assert t.probability == pytest.approx(t.count / out)
