"""Markov attribution: a hand-worked chain, higher-order states, ChannelAttribution's output."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest

from journeymap.analytics.attribution import JourneyPaths, markov_attribution, markov_chain
from journeymap.analytics.attribution.markov import path_states


def hand_paths() -> JourneyPaths:
    return JourneyPaths.from_rows(
        [
            (("A", "C"), 2, 200.0, 0),
            (("B", "C"), 1, 50.0, 1),
            (("A",), 0, 0.0, 2),
        ]
    )


def test_three_channel_chain_worked_by_hand() -> None:
    """Journeys: A > C (2 conversions, value 200), B > C (1 conversion of 50, 1 null), A (2 nulls).

    Transition counts: start->A 4, start->B 2; A->C 2, A->null 2; B->C 2; C->conv 3, C->null 1.
    So P(start->A) = 2/3, P(start->B) = 1/3, P(A->C) = 1/2, P(B->C) = 1, P(C->conv) = 3/4.
    P(conv) = 2/3 * 1/2 * 3/4 + 1/3 * 1 * 3/4 = 1/4 + 1/4 = 1/2.
    Without A (A -> null): 1/3 * 3/4 = 1/4, RE_A = 1 - (1/4)/(1/2) = 1/2.
    Without B: 2/3 * 1/2 * 3/4 = 1/4, RE_B = 1/2.   Without C: 0, RE_C = 1.
    Sum of RE = 2; of the 3 conversions A gets 3 * 1/2 / 2 = 0.75, B 0.75, C 1.5.
    Value: only C converts, paying 250 / 4 transitions = 62.5 per visit to C; reaching C has
    probability 2/3, so E[value] = 41.67; without A 1/3 * 62.5 (RE 1/2), without B the same,
    without C 0 (RE 1): of the 250, A 62.5, B 62.5, C 125.
    """
    result = markov_attribution(hand_paths())
    got = {c.channel: (c.conversions, c.value) for c in result.credits}
    assert got["A"] == pytest.approx((0.75, 62.5))
    assert got["B"] == pytest.approx((0.75, 62.5))
    assert got["C"] == pytest.approx((1.5, 125.0))
    assert dict(result.parameters)["conversion_probability"] == pytest.approx(0.5)
    assert [c for c, _, _ in result.removal_effects] == ["A", "B", "C"]
    assert [e for _, conv, value in result.removal_effects for e in (conv, value)] == pytest.approx(
        [0.5, 0.5, 0.5, 0.5, 1.0, 1.0]
    )


def test_transition_probabilities_of_the_hand_chain() -> None:
    chain = markov_chain(hand_paths())
    expected = [
        ("(start)", "A", 2 / 3),
        ("(start)", "B", 1 / 3),
        ("A", "(null)", 0.5),
        ("A", "C", 0.5),
        ("B", "C", 1.0),
        ("C", "(conversion)", 0.75),
        ("C", "(null)", 0.25),
    ]
    got = chain.transition_probabilities()
    assert [(a, b) for a, b, _ in got] == [(a, b) for a, b, _ in sorted(expected)]
    assert [p for _, _, p in got] == pytest.approx([p for _, _, p in sorted(expected)])


def test_a_loop_is_solved_as_a_geometric_series() -> None:
    """A > B > A > B (1 conversion) and A (1 null); order 1 merges nothing here.

    Counts: start->A 2; A->B 2, A->null 1 (so 2/3, 1/3); B->A 1, B->conv 1 (1/2, 1/2).
    P(conv) = sum_k (2/3 * 1/2)^k * 2/3 * 1/2 = (1/3) / (1 - 1/3) = 1/2.
    Removing A or B leaves no way to convert: RE = 1 each, so 0.5 conversions each.
    """
    paths = JourneyPaths.from_rows([(("A", "B", "A", "B"), 1, 10.0, 0), (("A",), 0, 0.0, 1)])
    result = markov_attribution(paths)
    assert dict(result.parameters)["conversion_probability"] == pytest.approx(0.5)
    assert [c.conversions for c in result.credits] == pytest.approx([0.5, 0.5])


def test_higher_order_states_are_windows_of_the_last_channels() -> None:
    assert path_states(("a", "b", "c", "d"), 2) == [("a", "b"), ("b", "c"), ("c", "d")]
    assert path_states(("a", "b"), 3) == [("a", "b")]
    assert path_states(("a", "a", "a", "b"), 2) == [("a", "a"), ("a", "b")]
    assert path_states(("a", "a", "b"), 1) == [("a",), ("b",)]
    chain = markov_chain(hand_paths(), order=2)
    assert set(chain.states) == {(), ("A", "C"), ("B", "C"), ("A",)}


def test_order_outside_one_to_three_is_rejected() -> None:
    with pytest.raises(ValueError, match="order must be between 1 and 3"):
        markov_attribution(hand_paths(), order=4)


# ChannelAttribution 2.2.5 (Python), markov_model(Data, "path", "total_conversions",
# var_value="total_conversion_value", var_null="total_null", order=k, out_more=True,
# nsim_start=1e6, conv_par=0.002, seed=1, max_step=200) on the table below: (conversions, value)
# per channel. max_step=200 lifts the cap on simulated path length (by default the longest path
# in the data, 4 here), which otherwise counts long looping paths as not converted.
CHANNEL_ATTRIBUTION_DATA = pd.DataFrame(
    {
        "path": ["A > C", "B > C", "A", "A > B > A > C", "C > B", "B > A > C > B"],
        "total_conversions": [2, 1, 0, 3, 1, 2],
        "total_conversion_value": [200.0, 50.0, 0.0, 90.0, 40.0, 300.0],
        "total_null": [0, 1, 2, 4, 3, 1],
    }
)
CHANNEL_ATTRIBUTION_OUTPUT = {
    1: {
        "A": (2.966831, 220.293824, 0.706353),
        "B": (2.603703, 228.339957, 0.619898),
        "C": (3.429466, 231.366219, 0.816499),
    },
    2: {  # no loop at order 2, so the default step cap changes nothing
        "A": (2.410219, 169.335737, 0.697965),
        "B": (3.136574, 245.780102, 0.908308),
        "C": (3.453207, 264.884162, 1.000000),
    },
    3: {
        "A": (2.737528, 229.136038, 0.777436),
        "B": (2.741249, 186.614047, 0.778493),
        "C": (3.521224, 264.249915, 1.000000),
    },
}


@pytest.mark.parametrize("order", [1, 2, 3])
def test_agrees_with_channel_attribution_up_to_its_simulation_noise(order: int) -> None:
    paths = JourneyPaths.from_path_table(
        CHANNEL_ATTRIBUTION_DATA, value="total_conversion_value", nulls="total_null"
    )
    result = markov_attribution(paths, order=order)
    effects = {channel: conv for channel, conv, _ in result.removal_effects}
    for channel, (conversions, value, effect) in CHANNEL_ATTRIBUTION_OUTPUT[order].items():
        credit = result.credit(channel)
        assert credit.conversions == pytest.approx(conversions, rel=0.01)
        assert credit.value == pytest.approx(value, rel=0.01)
        assert effects[channel] == pytest.approx(effect, abs=0.005)


def test_many_journeys_take_well_under_a_second_once_aggregated() -> None:
    rng = np.random.default_rng(3)
    channels = [f"ch{k}" for k in range(10)]
    rows = []
    for _ in range(5000):
        length = int(rng.integers(1, 8))
        path = tuple(rng.choice(channels, size=length))
        rows.append(
            (
                path,
                float(rng.integers(0, 3)),
                float(rng.integers(0, 300)),
                float(rng.integers(0, 50)),
            )
        )
    paths = JourneyPaths.from_rows(rows)
    started = time.perf_counter()
    result = markov_attribution(paths, order=2)
    assert time.perf_counter() - started < 5
    assert sum(c.conversions for c in result.credits) == pytest.approx(paths.total_conversions)
