"""Journeys and rule-based attribution on a hand-made log, on DuckDB and Spark."""

from __future__ import annotations

from datetime import timedelta

import pytest
from attribution_logs import JOURNEYS, channel_log, purchase, touch
from ibis.backends import BaseBackend

from journeymap.analytics.attribution import (
    AttributionResult,
    heuristic_attribution,
    journey_paths,
)
from journeymap.data.events import EventsError


def credits(result: AttributionResult) -> dict[str, tuple[float, float]]:
    """The channels a model credits (zero credits left out) with (conversions, value)."""
    return {c.channel: (c.conversions, c.value) for c in result.credits if c.conversions}


def test_journeys_are_cut_at_each_conversion_with_repeats_collapsed(backend: BaseBackend) -> None:
    paths = journey_paths(channel_log(backend, JOURNEYS))
    rows = {
        " > ".join(p): (c, v, n)
        for p, c, v, n in zip(paths.paths, paths.conversions, paths.value, paths.nulls, strict=True)
    }
    assert rows == {
        "Email > Paid Search": (1, 100.0, 0),
        "Direct": (0, 0.0, 1),  # a's touch after the purchase
        "Organic Search > Direct": (1, 50.0, 0),
        "Paid Search": (0, 0.0, 1),
        "Direct > Organic Search > Email": (1, 0.0, 0),
    }
    # b's second purchase has no touch since the first one
    assert paths.unattributed_conversions == 1
    assert paths.unattributed_value == pytest.approx(20.0)


def test_keeping_repeats_keeps_each_touch(backend: BaseBackend) -> None:
    paths = journey_paths(channel_log(backend, JOURNEYS), collapse_repeats=False)
    assert ("Email", "Email", "Paid Search") in paths.paths


def test_first_last_and_last_non_direct_touch(backend: BaseBackend) -> None:
    results = heuristic_attribution(
        channel_log(backend, JOURNEYS), models=("first_touch", "last_touch", "last_non_direct")
    )
    assert credits(results["first_touch"]) == {
        "Direct": (1, 0.0),
        "Email": (1, 100.0),
        "Organic Search": (1, 50.0),
    }
    assert credits(results["last_touch"]) == {
        "Direct": (1, 50.0),
        "Email": (1, 0.0),
        "Paid Search": (1, 100.0),
    }
    # b ends Organic Search > Direct: the credit skips Direct
    assert credits(results["last_non_direct"]) == {
        "Email": (1, 0.0),
        "Organic Search": (1, 50.0),
        "Paid Search": (1, 100.0),
    }
    assert results["last_touch"].total_conversions == 3


def test_linear_splits_evenly_over_the_touches(backend: BaseBackend) -> None:
    """a: Email, Paid Search -> 1/2 each (value 50 each); b: Organic Search, Direct -> 1/2 each
    (25 each); d: Direct, Organic Search, Email -> 1/3 each (no value)."""
    result = heuristic_attribution(channel_log(backend, JOURNEYS), models=("linear",))["linear"]
    got = credits(result)
    assert got["Email"] == pytest.approx((1 / 2 + 1 / 3, 50.0))
    assert got["Paid Search"] == pytest.approx((1 / 2, 50.0))
    assert got["Organic Search"] == pytest.approx((1 / 2 + 1 / 3, 25.0))
    assert got["Direct"] == pytest.approx((1 / 2 + 1 / 3, 25.0))


def test_time_decay_halves_the_weight_every_half_life(backend: BaseBackend) -> None:
    """a: Email 7 days before the purchase (weight 2^-1), Paid Search 4 days (2^-4/7)."""
    rows = [*JOURNEYS[:4]]
    result = heuristic_attribution(
        channel_log(backend, rows), models=("time_decay",), half_life=timedelta(days=7)
    )["time_decay"]
    email, paid = 0.5, 2 ** (-4 / 7)
    assert credits(result)["Paid Search"] == pytest.approx(
        (paid / (email + paid), 100 * paid / (email + paid))
    )
    assert credits(result)["Email"][0] == pytest.approx(email / (email + paid))


def test_position_based_gives_ends_forty_percent_and_the_middle_the_rest(
    backend: BaseBackend,
) -> None:
    rows = [
        touch("x", 0, "A"),
        touch("x", 1, "B"),
        touch("x", 2, "C"),
        touch("x", 3, "D"),
        purchase("x", 4, 10.0),
        touch("y", 0, "A"),
        touch("y", 1, "B"),
        purchase("y", 2, 0.0),
    ]
    table = channel_log(backend, rows)
    result = heuristic_attribution(table, models=("position",))["position"]
    # x: A 0.4, B 0.1, C 0.1, D 0.4; y (two touches): A 0.5, B 0.5
    expected = {"A": (0.9, 4.0), "B": (0.6, 1.0), "C": (0.1, 1.0), "D": (0.4, 4.0)}
    got = credits(result)
    assert got.keys() == expected.keys()
    for channel, pair in expected.items():
        assert got[channel] == pytest.approx(pair)
    custom = heuristic_attribution(table, models=("position",), position_weights=(0.3, 0.5))
    # x: A 0.3, B 0.1, C 0.1, D 0.5; y: A 0.3/0.8, B 0.5/0.8
    assert credits(custom["position"])["A"][0] == pytest.approx(0.3 + 0.375)
    assert credits(custom["position"])["D"][0] == pytest.approx(0.5)


def test_touch_at_the_time_of_the_purchase_counts_towards_it(backend: BaseBackend) -> None:
    rows = [touch("x", 1, "Email"), purchase("x", 1, 5.0)]
    paths = journey_paths(channel_log(backend, rows))
    assert paths.paths == (("Email",),)
    assert paths.conversions.tolist() == [1.0]


def test_unknown_model_and_bad_weights_are_rejected(backend: BaseBackend) -> None:
    table = channel_log(backend, JOURNEYS)
    with pytest.raises(ValueError, match="unknown model"):
        heuristic_attribution(table, models=("u_shape",))
    with pytest.raises(ValueError, match="position weights"):
        heuristic_attribution(table, models=("position",), position_weights=(0.7, 0.6))


def test_events_without_conversions_or_channels_are_errors(backend: BaseBackend) -> None:
    table = channel_log(backend, [touch("x", 0, "Email")])
    with pytest.raises(ValueError, match="no conversions: the events have no 'purchase' event"):
        journey_paths(table)
    with pytest.raises(EventsError, match="'source'"):
        journey_paths(table, channel="source")
