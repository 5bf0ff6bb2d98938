"""Top path variants: hand-computed journeys, edge cases and a pure-Python reference."""

from __future__ import annotations

import json
from typing import Any

import paths_reference as ref
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ibis.backends import BaseBackend
from path_logs import event_rows, event_table, step

from journeymap.analytics.path_variants import path_variants
from journeymap.data.engine import connect
from journeymap.data.events import Events, EventsError
from journeymap.data.layout import KEY_COLUMN, with_customer_key


@pytest.fixture(scope="module")
def duck() -> BaseBackend:
    return connect()


JOURNEYS = [
    # a: home, product, product (repeat), cart
    step("a", 0, "view", "home"),
    step("a", 1, "view", "product"),
    step("a", 2, "view", "product"),
    step("a", 3, "click", "cart"),
    # b: same path as a once repeats collapse
    step("b", 0, "view", "home"),
    step("b", 5, "view", "product"),
    step("b", 9, "click", "cart"),
    # c: two events at the same minute: "click" sorts before "view"
    step("c", 0, "view", "home"),
    step("c", 0, "click", "cart"),
    # d: one event only
    step("d", 4, "view", "home"),
]


def test_counts_and_shares_of_hand_computed_journeys(duck: BaseBackend) -> None:
    result = path_variants(event_table(duck, JOURNEYS))
    assert result.total == 4
    assert result.distinct == 3
    assert [(v.steps, v.count) for v in result.variants] == [
        (("home", "product", "cart"), 2),
        (("cart", "home"), 1),
        (("home",), 1),
    ]
    assert result.variants[0].share == pytest.approx(0.5)
    assert result.other == 0


def test_without_collapse_repeats_keep_their_own_variant(duck: BaseBackend) -> None:
    result = path_variants(event_table(duck, JOURNEYS), collapse_repeats=False)
    assert ("home", "product", "product", "cart") in [v.steps for v in result.variants]
    assert result.distinct == 4


def test_equal_timestamps_order_by_event_name_then_step(duck: BaseBackend) -> None:
    rows = [
        step("x", 0, "view", "b"),
        step("x", 0, "view", "a"),
        step("x", 0, "add", "z"),
    ]
    result = path_variants(event_table(duck, rows), collapse_repeats=False)
    assert result.variants[0].steps == ("z", "a", "b")


def test_top_keeps_the_most_common_and_counts_the_rest_as_other(duck: BaseBackend) -> None:
    result = path_variants(event_table(duck, JOURNEYS), top=1)
    assert len(result.variants) == 1
    assert result.other == 2
    assert result.other_share == pytest.approx(0.5)
    frame = result.to_frame()
    assert list(frame["path"]) == ["home → product → cart", "(other)"]
    assert list(frame["count"]) == [2, 2]


def test_long_paths_are_cut_at_max_length_and_marked_truncated(duck: BaseBackend) -> None:
    rows = [step("a", i, "view", f"p{i}") for i in range(5)] + [step("b", 0, "view", "p0")]
    result = path_variants(event_table(duck, rows), max_length=2)
    cut = next(v for v in result.variants if v.truncated)
    assert cut.steps == ("p0", "p1")
    assert cut.label == "p0 → p1 → …"


def test_rows_without_a_step_value_are_not_steps(duck: BaseBackend) -> None:
    rows = [step("a", 0, "view", None), step("a", 1, "view", ""), step("b", 0, "view", None)]
    result = path_variants(event_table(duck, [*rows, step("a", 2, "view", "home")]))
    assert result.total == 1
    assert result.variants[0].steps == ("home",)


def test_per_session_makes_one_path_per_session(duck: BaseBackend) -> None:
    rows = [
        step("a", 0, "view", "home", session_id="s1"),
        step("a", 1, "view", "cart", session_id="s1"),
        step("a", 2, "view", "home", session_id="s2"),
    ]
    result = path_variants(event_table(duck, rows), per="session")
    assert result.total == 2
    assert {v.steps for v in result.variants} == {("home", "cart"), ("home",)}


def test_empty_input_gives_an_empty_result(duck: BaseBackend) -> None:
    table = event_table(duck, JOURNEYS)
    result = path_variants(table.filter(table.event == "none"))
    assert (result.total, result.distinct, result.variants, result.other) == (0, 0, (), 0)
    assert result.to_frame().empty
    assert result.to_dict()["other"] == {"count": 0, "share": 0.0}


def test_by_stage_needs_the_stage_column(duck: BaseBackend) -> None:
    table = event_table(duck, JOURNEYS).drop("stage")
    with pytest.raises(EventsError, match="'stage'"):
        path_variants(table, by="stage")


def test_bad_parameters_are_rejected(duck: BaseBackend) -> None:
    table = event_table(duck, JOURNEYS)
    with pytest.raises(ValueError, match="by must be"):
        path_variants(table, by="channel")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="top"):
        path_variants(table, top=0)


def test_dict_is_json_ready_and_figure_has_one_bar_per_variant(duck: BaseBackend) -> None:
    result = path_variants(event_table(duck, JOURNEYS))
    assert json.loads(json.dumps(result.to_dict()))["total"] == 4
    assert len(result.figure().data[0].y) == 3


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=event_rows,
    by=st.sampled_from(["touchpoint", "stage", "event"]),
    per=st.sampled_from(["customer", "session"]),
    collapse=st.booleans(),
    top=st.integers(1, 4),
    max_length=st.integers(1, 4),
    keyed=st.booleans(),
)
def test_matches_the_pure_python_reference(
    duck: BaseBackend,
    rows: list[dict[str, Any]],
    by: str,
    per: str,
    collapse: bool,
    top: int,
    max_length: int,
    keyed: bool,
) -> None:
    table = event_table(duck, rows) if rows else event_table(duck, JOURNEYS).limit(0)
    # with a customer key (as in files journeymap writes) the paths are grouped on it
    events = Events(with_customer_key(table), customer_key=KEY_COLUMN) if keyed else table
    result = path_variants(
        events,
        by=by,  # type: ignore[arg-type]
        per=per,  # type: ignore[arg-type]
        collapse_repeats=collapse,
        top=top,
        max_length=max_length,
    )
    total, distinct, top_variants = ref.path_variants(rows, by, per, collapse, top, max_length)
    assert (result.total, result.distinct) == (total, distinct)
    assert [(v.steps, v.count, v.truncated) for v in result.variants] == top_variants
