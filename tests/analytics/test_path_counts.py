"""Paths as arrays of step codes (``path_counts``): the shared base of variants, Sankey and
transitions, in both sort-key forms (packed int64 and the struct fallback)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

import paths_reference as ref
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ibis.backends import BaseBackend
from path_logs import event_rows, event_table, step

from journeymap.analytics import sequences
from journeymap.analytics.sequences import END, END_CODE, START, START_CODE, path_counts
from journeymap.data.engine import connect


@pytest.fixture(scope="module")
def duck() -> BaseBackend:
    return connect()


@pytest.fixture(params=["packed", "struct"])
def key_form(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test with packed int64 sort keys, then with the (time, code) struct fallback."""
    if request.param == "struct":
        monkeypatch.setattr(sequences, "PACKED_KEY_LIMIT", 0)
    return str(request.param)


def _decoded(table: Any, *, by: str, per: str, collapse: bool) -> Counter[tuple[str, ...]]:
    counts = path_counts(table, by=by, per=per, collapse_repeats=collapse)
    frame = counts.table.execute()
    return Counter(
        {
            tuple(counts.label(int(code)) for code in row["path"]): int(row["count"])
            for row in frame.to_dict("records")
        }
    )


def _expected(rows: list[dict[str, Any]], *, by: str, per: str, collapse: bool) -> Counter:
    return Counter(tuple(p) for p in ref.paths(rows, by, per, collapse).values())


def test_ties_order_by_event_then_step_and_codes_follow_the_labels(
    duck: BaseBackend, key_form: str
) -> None:
    rows = [
        step("a", 0, "view", "b"),
        step("a", 0, "view", "a"),
        step("a", 0, "add", "z"),  # same instant: "add" sorts before "view"
        step("b", 5, "view", "a"),
    ]
    counts = path_counts(
        event_table(duck, rows), by="touchpoint", per="customer", collapse_repeats=False
    )
    assert counts.labels == ("a", "b", "z")
    assert (counts.code("z"), counts.code("nowhere")) == (2, None)
    assert (counts.label(START_CODE), counts.label(END_CODE)) == (START, END)
    found = {tuple(r["path"]): r["count"] for r in counts.table.execute().to_dict("records")}
    assert found == {(2, 0, 1): 1, (0,): 1}


def test_collapsing_repeats_merges_paths_that_differ_only_in_repeats(
    duck: BaseBackend, key_form: str
) -> None:
    rows = [
        *(step("a", m, "view", tp) for m, tp in enumerate(["home", "home", "cart", "home"])),
        *(step("b", m, "view", tp) for m, tp in enumerate(["home", "cart", "cart", "home"])),
        step("c", 0, "view", "cart"),  # one event only
    ]
    table = event_table(duck, rows)
    assert _decoded(table, by="touchpoint", per="customer", collapse=True) == Counter(
        {("home", "cart", "home"): 2, ("cart",): 1}
    )
    assert _decoded(table, by="touchpoint", per="customer", collapse=False) == Counter(
        {("home", "home", "cart", "home"): 1, ("home", "cart", "cart", "home"): 1, ("cart",): 1}
    )


def test_per_session_gives_one_path_per_session(duck: BaseBackend, key_form: str) -> None:
    rows = [
        step("a", 0, "view", "home", session_id="s1"),
        step("a", 1, "view", "cart", session_id="s1"),
        step("a", 2, "view", "home", session_id="s2"),
        step("a", 3, "view", "cart", session_id=None),  # no session: not in any session path
    ]
    assert _decoded(event_table(duck, rows), by="touchpoint", per="session", collapse=True) == (
        Counter({("home", "cart"): 1, ("home",): 1})
    )


def test_empty_input_and_rows_without_timestamps_give_no_paths(duck: BaseBackend) -> None:
    rows = [step("a", 0, "view", "home"), {**step("b", 0, "view", "cart"), "timestamp": None}]
    table = event_table(duck, rows)
    empty = path_counts(
        table.filter(table.event == "none"), by="touchpoint", per="customer", collapse_repeats=True
    )
    assert empty.labels == ()
    assert empty.table.execute().empty
    assert _decoded(table, by="touchpoint", per="customer", collapse=True) == Counter(
        {("home",): 1}
    )


def test_timestamps_centuries_apart_with_many_steps_fall_back_to_struct_keys(
    duck: BaseBackend,
) -> None:
    # 40 events x 40 touchpoints over ~400 years: packed keys would pass 2**62
    rows = [
        {
            "customer_id": f"c{k % 3}",
            "timestamp": datetime(1700 + 10 * (k % 40), 1, 1),
            "event": f"e{k % 40:02d}",
            "touchpoint": f"t{(k * 7) % 40:02d}",
        }
        for k in range(80)
    ]
    expected = _expected(rows, by="touchpoint", per="customer", collapse=False)
    assert _decoded(event_table(duck, rows), by="touchpoint", per="customer", collapse=False) == (
        expected
    )


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=event_rows,
    by=st.sampled_from(["touchpoint", "stage", "event"]),
    per=st.sampled_from(["customer", "session"]),
    collapse=st.booleans(),
    packed=st.booleans(),
)
def test_matches_the_pure_python_reference(
    duck: BaseBackend,
    monkeypatch: pytest.MonkeyPatch,
    rows: list[dict[str, Any]],
    by: str,
    per: str,
    collapse: bool,
    packed: bool,
) -> None:
    monkeypatch.setattr(sequences, "PACKED_KEY_LIMIT", 2**62 if packed else 0)
    table = event_table(duck, rows) if rows else event_table(duck, [step("x", 0, "v")]).limit(0)
    assert _decoded(table, by=by, per=per, collapse=collapse) == _expected(
        rows, by=by, per=per, collapse=collapse
    )


@pytest.mark.spark
def test_both_key_forms_are_equal_on_duckdb_and_spark(
    duck: BaseBackend, spark_backend: BaseBackend, key_form: str
) -> None:
    rows = [
        step(f"c{k % 5}", k % 7, ["view", "click"][k % 2], ["home", "cart", "home", "pay"][k % 4])
        for k in range(40)
    ]
    for by, per, collapse in (("touchpoint", "customer", True), ("event", "customer", False)):
        on_duck = _decoded(event_table(duck, rows), by=by, per=per, collapse=collapse)
        on_spark = _decoded(event_table(spark_backend, rows), by=by, per=per, collapse=collapse)
        assert on_duck == on_spark == _expected(rows, by=by, per=per, collapse=collapse)
