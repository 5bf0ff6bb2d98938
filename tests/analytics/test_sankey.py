"""Sankey flows: from the start, after and before a chosen step, with end and start nodes."""

from __future__ import annotations

from typing import Any

import paths_reference as ref
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ibis.backends import BaseBackend
from path_logs import event_rows, event_table, step

from journeymap.analytics.sankey import sankey
from journeymap.data.engine import connect


@pytest.fixture(scope="module")
def duck() -> BaseBackend:
    return connect()


JOURNEYS = [
    step("a", 0, "view", "home"),
    step("a", 1, "view", "product"),
    step("a", 2, "view", "cart"),
    step("b", 0, "view", "home"),
    step("b", 1, "view", "cart"),
    step("b", 1, "view", "cart"),  # repeat, collapsed
    step("c", 0, "view", "product"),
]


def _links(result: Any) -> dict[tuple[int, str, str], int]:
    return {(lk.source_index, lk.source, lk.target): lk.count for lk in result.links}


def test_from_the_start_links_each_step_to_the_next_and_ends_to_end_nodes(
    duck: BaseBackend,
) -> None:
    result = sankey(event_table(duck, JOURNEYS), steps=3)
    assert result.total == 3
    assert _links(result) == {
        (1, "home", "product"): 1,
        (1, "home", "cart"): 1,
        (1, "product", "(end)"): 1,
        (2, "product", "cart"): 1,
        (2, "cart", "(end)"): 1,
    }
    labels = {n.label: n.count for n in result.nodes}
    assert labels["1. home"] == 2
    assert labels["2. (end)"] == 1


def test_a_path_reaching_the_last_column_has_no_end_link(duck: BaseBackend) -> None:
    result = sankey(event_table(duck, JOURNEYS), steps=2)
    assert (2, "product", "(end)") not in _links(result)
    assert max(n.index for n in result.nodes) == 2


def test_after_a_step_anchors_at_its_first_occurrence(duck: BaseBackend) -> None:
    rows = [
        *JOURNEYS,
        step("d", 0, "view", "cart"),
        step("d", 1, "view", "home"),
        step("d", 2, "view", "cart"),
    ]
    result = sankey(event_table(duck, rows), start_at="cart", steps=1)
    assert result.total == 3  # a, b and d reach cart; c does not
    assert _links(result) == {(0, "cart", "(end)"): 2, (0, "cart", "home"): 1}


def test_before_a_step_shows_where_paths_come_from_with_start_nodes(duck: BaseBackend) -> None:
    result = sankey(event_table(duck, JOURNEYS), start_at="cart", direction="before", steps=2)
    assert _links(result) == {
        (-2, "home", "product"): 1,
        (-1, "product", "cart"): 1,
        (-2, "(start)", "home"): 1,
        (-1, "home", "cart"): 1,
    }
    assert result.total == 2


def test_empty_input_and_unknown_anchor_give_no_nodes(duck: BaseBackend) -> None:
    table = event_table(duck, JOURNEYS)
    assert sankey(table.filter(table.event == "none")).nodes == ()
    assert sankey(table, start_at="nowhere").total == 0


def test_figure_is_a_plotly_sankey_with_every_node(duck: BaseBackend) -> None:
    result = sankey(event_table(duck, JOURNEYS), steps=3)
    trace = result.figure().data[0]
    assert trace.type == "sankey"
    assert len(trace.node.label) == len(result.nodes)
    assert sum(trace.link.value) == sum(lk.count for lk in result.links)
    assert len(result.to_frame()) == len(result.links)


def test_bad_parameters_are_rejected(duck: BaseBackend) -> None:
    table = event_table(duck, JOURNEYS)
    with pytest.raises(ValueError, match="steps"):
        sankey(table, steps=0)
    with pytest.raises(ValueError, match="direction"):
        sankey(table, start_at="cart", direction="sideways")  # type: ignore[arg-type]


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=event_rows.filter(bool),
    by=st.sampled_from(["touchpoint", "event"]),
    per=st.sampled_from(["customer", "session"]),
    anchor=st.sampled_from([None, "home", "cart", "view", "click"]),
    direction=st.sampled_from(["after", "before"]),
    steps=st.integers(1, 3),
    collapse=st.booleans(),
)
def test_matches_the_pure_python_reference(
    duck: BaseBackend,
    rows: list[dict[str, Any]],
    by: str,
    per: str,
    anchor: str | None,
    direction: str,
    steps: int,
    collapse: bool,
) -> None:
    result = sankey(
        event_table(duck, rows),
        by=by,  # type: ignore[arg-type]
        per=per,  # type: ignore[arg-type]
        start_at=anchor,
        direction=direction,  # type: ignore[arg-type]
        steps=steps,
        collapse_repeats=collapse,
    )
    nodes, links = ref.sankey(rows, by, per, anchor, direction, steps, collapse)
    assert {(n.index, n.value): n.count for n in result.nodes} == dict(nodes)
    assert _links(result) == dict(links)
