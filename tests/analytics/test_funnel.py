"""Funnels: hand-computed journeys pinning down each rule of docs/funnels.md (on DuckDB)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pytest
from ibis.backends import BaseBackend
from reference_funnel import events_frame

from journeymap.analytics.funnel import Exclusion, FunnelError, FunnelResult, StepSpec, funnel
from journeymap.data.engine import connect, load_table, write_parquet
from journeymap.data.layout import KEY_COLUMN, key_metadata, with_customer_key
from journeymap.data.readers import read_events

T0 = datetime(2024, 3, 1, 9, 0, 0)
HOUR = timedelta(hours=1)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


@pytest.fixture(scope="module")
def duck() -> BaseBackend:
    return connect()


def run(duck: BaseBackend, rows, steps=("a", "b", "c"), **kwargs) -> FunnelResult:
    kwargs.setdefault("window", HOUR)
    return funnel(load_table(duck, events_frame(rows)), list(steps), **kwargs)


def entered(result: FunnelResult) -> list[int]:
    return [s.entered for s in result.steps]


def test_customer_counts_at_the_furthest_step_any_attempt_reached(duck):
    rows = [
        ("u", at(0), "a", None),
        ("u", at(10), "b", None),  # first attempt: c at 90 is outside its window
        ("u", at(70), "a", None),
        ("u", at(80), "b", None),
        ("u", at(90), "c", None),
    ]
    result = run(duck, rows)
    assert entered(result) == [1, 1, 1]
    assert result.steps[1].time_to_convert.median == 600.0
    assert result.steps[2].time_to_convert.median == 600.0


def test_window_end_is_inclusive_and_one_second_later_is_out(duck):
    inside = [("u", at(0), "a", None), ("u", at(30), "b", None), ("u", at(60), "c", None)]
    outside = [*inside[:2], ("u", at(60) + timedelta(seconds=1), "c", None)]
    assert entered(run(duck, inside)) == [1, 1, 1]
    assert entered(run(duck, outside)) == [1, 1, 0]


def test_window_runs_from_step_one_not_from_the_previous_step(duck):
    rows = [("u", at(0), "a", None), ("u", at(50), "b", None), ("u", at(100), "c", None)]
    assert entered(run(duck, rows)) == [1, 1, 0]


def test_later_step_may_share_the_timestamp_of_the_previous_step(duck):
    rows = [("u", at(5), "c", None), ("u", at(5), "a", None), ("u", at(5), "b", None)]
    result = run(duck, rows)
    assert entered(result) == [1, 1, 1]
    assert result.steps[2].time_to_convert.median == 0.0


def test_one_event_fills_at_most_one_step(duck):
    once = [("u", at(0), "a", None)]
    twice_same_time = [("u", at(0), "a", None), ("u", at(0), "a", None)]
    assert entered(run(duck, once, steps=("a", "a"))) == [1, 0]
    assert entered(run(duck, twice_same_time, steps=("a", "a"))) == [1, 1]


def test_repeated_value_needs_its_own_event_at_a_shared_timestamp(duck):
    rows = [("u", at(0), "a", None), ("u", at(0), "b", None)]
    more = [*rows, ("u", at(0), "a", None)]
    assert entered(run(duck, rows, steps=("a", "b", "a"))) == [1, 1, 0]
    assert entered(run(duck, more, steps=("a", "b", "a"))) == [1, 1, 1]


def test_steps_before_step_one_do_not_count(duck):
    rows = [("u", at(0), "b", None), ("u", at(1), "c", None), ("u", at(2), "a", None)]
    assert entered(run(duck, rows)) == [1, 0, 0]


def test_repeated_step_one_times_the_latest_start(duck):
    rows = [("u", at(0), "a", None), ("u", at(20), "a", None), ("u", at(30), "b", None)]
    result = run(duck, rows)
    assert entered(result) == [1, 1, 0]
    assert result.steps[1].time_to_convert.median == 600.0


def test_customers_with_one_event_count_only_when_it_is_step_one(duck):
    rows = [("only-a", at(0), "a", None), ("only-b", at(0), "b", None), ("other", at(0), "z", None)]
    result = run(duck, rows)
    assert entered(result) == [1, 0, 0]
    assert result.steps[1].dropped_off == 1


def test_empty_input_gives_zero_counts_and_no_rates(duck):
    assert entered(run(duck, [])) == [0, 0, 0]
    result = run(duck, [("u", at(0), "z", None)])
    assert entered(result) == [0, 0, 0]
    assert result.steps[0].conversion_from_first is None
    assert result.steps[1].time_to_convert.median is None
    assert len(result.to_frame()) == 3


def test_counts_rates_and_drop_off_per_step(duck):
    rows = []
    for i in range(4):  # 4 reach a, 3 reach b, 1 reaches c
        rows.append((f"u{i}", at(0), "a", None))
        if i < 3:
            rows.append((f"u{i}", at(i + 1), "b", None))
        if i < 1:
            rows.append((f"u{i}", at(10), "c", None))
    a, b, c = run(duck, rows).steps
    assert (a.entered, a.converted, a.dropped_off, a.conversion_from_previous) == (4, 3, 0, 1.0)
    assert (b.entered, b.converted, b.dropped_off) == (3, 1, 1)
    assert b.conversion_from_previous == 0.75 and b.drop_off_rate == 0.25
    assert (c.entered, c.converted, c.dropped_off) == (1, None, 2)
    assert c.conversion_from_first == 0.25
    assert b.time_to_convert.median == 120.0
    assert b.time_to_convert.p25 == 90.0 and b.time_to_convert.p90 == 168.0


def test_strict_order_is_broken_by_an_intervening_event(duck):
    rows = [("u", at(0), "a", None), ("u", at(5), "z", None), ("u", at(10), "b", None)]
    assert entered(run(duck, rows, steps=("a", "b"))) == [1, 1]
    assert entered(run(duck, rows, steps=("a", "b"), order="strict")) == [1, 0]


def test_strict_order_ignores_events_sharing_a_step_timestamp(duck):
    rows = [
        ("u", at(0), "a", None),
        ("u", at(0), "z", None),
        ("u", at(10), "b", None),
        ("u", at(10), "y", None),
        ("u", at(20), "c", None),
    ]
    assert entered(run(duck, rows, order="strict")) == [1, 1, 1]


def test_strict_order_with_a_later_clean_attempt(duck):
    rows = [
        ("u", at(0), "a", None),
        ("u", at(1), "z", None),
        ("u", at(2), "a", None),
        ("u", at(3), "b", None),
    ]
    result = run(duck, rows, steps=("a", "b"), order="strict")
    assert entered(result) == [1, 1]
    assert result.steps[1].time_to_convert.median == 60.0


def test_exclusion_between_steps_voids_the_attempt_and_the_customer(duck):
    rows = [("u", at(0), "a", None), ("u", at(5), "x", None), ("u", at(10), "b", None)]
    result = run(duck, rows, steps=("a", "b"), exclusions=[Exclusion("x", 1, 2)])
    assert entered(result) == [0, 0]


def test_exclusion_outside_its_steps_or_window_does_not_void(duck):
    same_time_as_step_one = [("u", at(0), "x", None), ("u", at(0), "a", None)]
    after_step_two = [("u", at(0), "a", None), ("u", at(5), "b", None), ("u", at(6), "x", None)]
    after_window = [("u", at(0), "a", None), ("u", at(61), "x", None)]
    excl = [Exclusion("x", 1, 2)]
    assert entered(run(duck, same_time_as_step_one, steps=("a", "b"), exclusions=excl)) == [1, 0]
    assert entered(run(duck, after_step_two, steps=("a", "b"), exclusions=excl)) == [1, 1]
    assert entered(run(duck, after_window, steps=("a", "b"), exclusions=excl)) == [1, 0]


def test_exclusion_at_the_timestamp_of_step_b_voids(duck):
    rows = [("u", at(0), "a", None), ("u", at(5), "x", None), ("u", at(5), "b", None)]
    assert entered(run(duck, rows, steps=("a", "b"), exclusions=[Exclusion("x", 1, 2)])) == [0, 0]


def test_exclusion_voids_one_attempt_while_a_later_one_counts(duck):
    rows = [
        ("u", at(0), "a", None),
        ("u", at(5), "x", None),
        ("u", at(10), "a", None),
        ("u", at(20), "b", None),
    ]
    result = run(duck, rows, steps=("a", "b"), exclusions=[Exclusion("x", 1, 2)])
    assert entered(result) == [1, 1]
    assert result.steps[1].time_to_convert.median == 600.0


def test_breakdown_takes_the_step_one_event_of_the_counted_attempt(duck):
    rows = [
        ("u1", at(0), "a", "Email"),
        ("u1", at(20), "a", "Paid Search"),
        ("u1", at(30), "b", "Direct"),
        ("u2", at(0), "a", "Email"),
        ("u3", at(0), "a", None),
        ("u3", at(1), "b", None),
    ]
    result = run(duck, rows, steps=("a", "b"), breakdown="channel")
    by_value = {g.value: [s.entered for s in g.steps] for g in result.groups}
    assert by_value == {"Paid Search": [1, 1], "Email": [1, 0], None: [1, 1]}
    assert entered(result) == [3, 2]
    frame = result.to_frame()
    assert list(frame.columns[:3]) == ["channel", "step", "name"]
    assert len(frame) == 6


def test_date_range_filters_every_event_not_only_step_one(duck):
    rows = [("u", at(0), "a", None), ("u", at(24 * 60 + 1), "b", None)]
    day_two = (T0 + timedelta(days=1)).date()
    kwargs = {"steps": ("a", "b"), "window": timedelta(days=3)}
    assert entered(run(duck, rows, **kwargs)) == [1, 1]
    assert entered(run(duck, rows, start=day_two, **kwargs)) == [0, 0]
    assert entered(run(duck, rows, end=T0.date(), **kwargs)) == [1, 0]


def test_steps_match_touchpoints_and_carry_labels(duck):
    frame = events_frame([("u", at(0), "view", None), ("u", at(1), "view", None)])
    frame["touchpoint"] = ["home", "cart"]
    steps = [StepSpec("home", "Home page"), StepSpec("cart")]
    result = funnel(load_table(duck, frame), steps, by="touchpoint")
    assert [s.name for s in result.steps] == ["Home page", "cart"]
    assert entered(result) == [1, 1]


def test_to_dict_is_json_and_figure_has_one_trace_per_breakdown_value(duck):
    rows = [("u1", at(0), "a", "Email"), ("u2", at(0), "a", "Direct"), ("u2", at(1), "b", "Direct")]
    result = run(duck, rows, steps=("a", "b"), breakdown="channel")
    data = json.loads(json.dumps(result.to_dict()))
    assert data["window_seconds"] == 3600
    assert [g["value"] for g in data["groups"]] == ["Direct", "Email"]
    assert len(result.figure().data) == 2


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"steps": ["a"]}, "at least 2 steps"),
        ({"by": "channel"}, "steps are matched on"),
        ({"breakdown": "segment"}, "no column 'segment'"),
        ({"window": timedelta(0)}, "positive whole number"),
        ({"exclusions": [Exclusion("x", 2, 1)]}, "1 <= from < to"),
        ({"exclusions": [Exclusion("a", 1, 2)]}, "also a funnel step"),
        ({"start": date(2024, 3, 2), "end": date(2024, 3, 1)}, "empty date range"),
    ],
)
def test_bad_parameters_raise_a_clear_error(duck, kwargs, message):
    table = load_table(duck, events_frame([("u", at(0), "a", None)]))
    kwargs = {"steps": ["a", "b"], **kwargs}
    with pytest.raises(FunnelError, match=message):
        funnel(table, kwargs.pop("steps"), **kwargs)


def test_missing_step_column_names_the_column(duck):
    table = load_table(duck, events_frame([("u", at(0), "a", None)]))
    with pytest.raises(FunnelError, match="no column 'stage'"):
        funnel(table, ["a", "b"], by="stage")


def test_events_without_customer_or_timestamp_are_left_out(duck):
    rows = [
        ("u", at(0), "a", None),
        (None, at(1), "a", None),
        ("u", None, "b", None),
        ("v", None, "a", None),
    ]
    assert entered(run(duck, rows, steps=("a", "b"))) == [1, 0]


def test_date_range_on_a_utc_timestamp_column_uses_utc(duck):
    frame = events_frame([("u", at(0), "a", None), ("u", at(60 * 20), "b", None)])
    frame["timestamp"] = frame["timestamp"].dt.tz_localize("UTC")
    table = load_table(duck, frame)
    warsaw_midnight = datetime(2024, 3, 2, 0, 0, tzinfo=timezone(timedelta(hours=1)))
    kwargs = {"window": timedelta(days=2)}
    # 2024-03-01 23:00 UTC: step a (09:00 UTC) is before it, step b (05:00 UTC next day) after
    assert entered(funnel(table, ["a", "b"], start=warsaw_midnight, **kwargs)) == [0, 0]
    assert entered(funnel(table, ["a", "b"], end=warsaw_midnight, **kwargs)) == [1, 0]
    assert entered(funnel(table, ["a", "b"], **kwargs)) == [1, 1]


def test_a_later_start_takes_over_and_gives_the_times_to_convert(duck):
    rows = [
        ("u", at(0), "a", None),
        ("u", at(10), "a", None),
        ("u", at(20), "b", None),
        ("u", at(30), "c", None),  # 30 minutes after the first a: only the second attempt
    ]
    result = run(duck, rows, window=timedelta(minutes=25))
    assert entered(result) == [1, 1, 1]
    assert result.steps[1].time_to_convert.median == 600.0
    assert result.steps[2].time_to_convert.median == 600.0


def test_repeated_events_of_a_step_at_one_timestamp_count_once(duck):
    rows = [
        ("u", at(0), "a", None),
        ("u", at(5), "b", None),
        ("u", at(5), "b", None),
        ("u", at(10), "c", None),
        ("v", at(0), "a", None),
        ("v", at(0), "a", None),
    ]
    result = run(duck, rows)
    assert entered(result) == [2, 1, 1]
    assert result.steps[1].time_to_convert.median == 300.0
    assert result.steps[2].time_to_convert.median == 300.0


def test_lined_up_and_tangled_customers_in_one_run(duck):
    # u: every b after the last a, every c after the first b (times from first events);
    # v: an a after the first b, so the chain decides (the second attempt counts, a tie at c);
    # w: a c before the first b, so the chain decides (c at 5 is too early);
    # x: lined up but the last a leaves c outside its window (level 2, from the last a)
    rows = [
        ("u", at(0), "a", None),
        ("u", at(3), "a", None),
        ("u", at(10), "b", None),
        ("u", at(12), "b", None),
        ("u", at(20), "c", None),
        ("v", at(0), "a", None),
        ("v", at(4), "b", None),
        ("v", at(6), "a", None),
        ("v", at(8), "b", None),
        ("v", at(30), "c", None),
        ("w", at(0), "a", None),
        ("w", at(5), "c", None),
        ("w", at(9), "b", None),
        ("x", at(0), "a", None),
        ("x", at(20), "a", None),
        ("x", at(30), "b", None),
        ("x", at(90), "c", None),
    ]
    result = run(duck, rows)
    assert entered(result) == [4, 4, 2]
    # times a->b: u 7, v 2, w 9, x 10 minutes; b->c: u 10, v 22 minutes
    assert result.steps[1].time_to_convert.median == 480.0
    assert result.steps[2].time_to_convert.median == 960.0


def test_tangled_at_step_two_and_lined_up_after_it(duck):
    # both: a b a b, then c after the last b (the chain's shortcut beyond step 2): the latest
    # start to reach b (a at 10) takes c while its window lasts (to 70); u's c at 65 is in time,
    # v's c at 80 is not, and v counts with the first attempt to reach b (a at 0, b at 5)
    rows = [
        (customer, at(minute), event, None)
        for customer, late in (("u", 65), ("v", 80))
        for minute, event in ((0, "a"), (5, "b"), (10, "a"), (15, "b"), (late, "c"))
    ]
    result = run(duck, rows)
    assert entered(result) == [2, 2, 1]
    assert result.steps[1].time_to_convert.median == 300.0
    assert result.steps[2].time_to_convert.median == 3000.0


# u and x are lined up; v and w are tangled (the chain decides)
PARTED_ROWS = [
    ("u", at(0), "a", "p"),
    ("u", at(10), "b", None),
    ("u", at(20), "c", None),
    ("v", at(0), "a", "p"),
    ("v", at(4), "b", None),
    ("v", at(6), "a", "q"),
    ("v", at(8), "b", None),
    ("v", at(30), "c", None),
    ("w", at(0), "a", "q"),
    ("w", at(5), "c", None),
    ("w", at(9), "b", None),
    ("x", at(0), "a", "p"),
    ("x", at(30), "b", None),
]


def test_a_sorted_file_read_in_parts_gives_the_funnel_of_one_piece(duck, tmp_path):
    # v and w fall in different parts
    path = tmp_path / "events.parquet"
    events_frame(PARTED_ROWS).to_parquet(path, row_group_size=3)
    events = read_events(path, backend=duck)
    for breakdown in (None, "channel"):
        whole = funnel(events, ["a", "b", "c"], window=HOUR, breakdown=breakdown)
        parts = funnel(
            replace(events, customer_bounds=("v", "w", "x")),
            ["a", "b", "c"],
            window=HOUR,
            breakdown=breakdown,
        )
        assert parts.to_dict() == whole.to_dict()
        assert entered(whole) == [4, 4, 2]


def test_a_file_with_a_customer_key_gives_the_funnel_of_its_ids(duck, tmp_path):
    # the key numbers u, v, w, x as 0..3; the funnel groups on it, in parts at keys 1 and 3
    path = tmp_path / "events.parquet"
    keyed = with_customer_key(load_table(duck, events_frame(PARTED_ROWS)))
    write_parquet(duck, keyed, path, sort_by=("customer_id", "timestamp"), metadata=key_metadata())
    events = read_events(path, backend=duck)
    assert events.customer_key == KEY_COLUMN
    for breakdown in (None, "channel", "customer_id"):
        on_ids = funnel(
            replace(events, customer_key=None), ["a", "b", "c"], window=HOUR, breakdown=breakdown
        )
        on_keys = funnel(
            replace(events, customer_bounds=(1, 3)),
            ["a", "b", "c"],
            window=HOUR,
            breakdown=breakdown,
        )
        assert on_keys.to_dict() == on_ids.to_dict()
        assert entered(on_ids) == [4, 4, 2]


def test_a_customer_who_stops_at_step_one_counts_from_the_first_start(duck):
    # the breakdown shows which start counts: the first a of each customer has channel p
    rows = [
        ("u", at(0), "a", "p"),
        ("u", at(30), "a", "q"),
        ("u", at(200), "b", None),  # outside the window of both starts
        ("v", at(0), "a", "p"),
        ("v", at(10), "a", "q"),
    ]
    result = run(duck, rows, breakdown="channel")
    assert entered(result) == [2, 0, 0]
    assert [(g.value, [s.entered for s in g.steps]) for g in result.groups] == [("p", [2, 0, 0])]
