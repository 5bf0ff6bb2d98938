"""What-if: change strings, rescaled rows, and paired Monte Carlo differences with intervals."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from journeymap.simulate.spec import load_spec
from journeymap.simulate.whatif import (
    ChangeError,
    apply_changes,
    estimate,
    parse_change,
    run_outcome,
    what_if,
)

LINEAR = Path(__file__).parent / "linear_spec.yaml"


@pytest.mark.parametrize(
    ("text", "mode", "amount"),
    [
        ("a->b:+10%", "relative", 1.10),
        ("a->b:-25%", "relative", 0.75),
        ("a->b:+3pp", "points", 0.03),
        ("a->exit:-5pp", "points", -0.05),
        ("a->b:=0.4", "set", 0.4),
        ("a->b:=40%", "set", 0.4),
        (" tp-a -> tp-b : +10% ", "relative", 1.10),
    ],
)
def test_change_strings_parse(text: str, mode: str, amount: float) -> None:
    change = parse_change(text)
    assert change.mode == mode
    assert math.isclose(change.amount, amount)


@pytest.mark.parametrize("text", ["a->b", "a-b:+10%", "a->b:10%", "a->b:+10", "a->b:=4pp", ""])
def test_bad_change_strings_are_named(text: str) -> None:
    with pytest.raises(ChangeError, match="change"):
        parse_change(text)


def test_change_rescales_the_other_outgoing_probabilities() -> None:
    simulation = load_spec(LINEAR)
    changed = apply_changes(simulation, [parse_change("tp-tailored-demo->tp-proposal-pdf:+20%")])
    row = changed.spec.personas[0].transitions["tp-tailored-demo"]
    assert math.isclose(row["tp-proposal-pdf"], 0.6)
    # the rest (0.1 back to pricing, 0.4 exit) shares the remaining 0.4 in the same ratio
    assert math.isclose(row["tp-website-pricing"], 0.08)
    assert math.isclose(row["exit"], 0.32)
    assert math.isclose(sum(row.values()), 1.0)


def test_absolute_change_can_add_a_new_transition() -> None:
    simulation = load_spec(LINEAR)
    changed = apply_changes(simulation, [parse_change("tp-demo-form->tp-proposal-pdf:+10pp")])
    row = changed.spec.personas[0].transitions["tp-demo-form"]
    assert math.isclose(row["tp-proposal-pdf"], 0.1)
    assert math.isclose(sum(row.values()), 1.0)


def test_unknown_transition_is_named() -> None:
    with pytest.raises(ChangeError, match="unknown transition tp-demo-form->tp-esignature"):
        apply_changes(load_spec(LINEAR), [parse_change("tp-demo-form->tp-esignature:+10%")])


def test_unknown_touchpoint_is_named() -> None:
    with pytest.raises(ChangeError, match="unknown touchpoint 'checkout'"):
        apply_changes(load_spec(LINEAR), [parse_change("checkout->exit:+10%")])


def test_probability_above_one_is_refused() -> None:
    with pytest.raises(ChangeError, match=r"would be 1\.6"):
        apply_changes(load_spec(LINEAR), [parse_change("tp-proposal-pdf->tp-esignature:+100%")])


def test_estimate_has_a_t_interval() -> None:
    result = estimate([1.0, 2.0, 3.0])
    assert result.mean == 2.0
    # t(0.975, 2) = 4.3027; sd = 1; half width = 4.3027 / sqrt(3)
    assert math.isclose(result.high - 2.0, 4.302652729911275 / math.sqrt(3), rel_tol=1e-9)


def test_more_signatures_give_more_conversions_and_revenue() -> None:
    result = what_if(
        load_spec(LINEAR),
        ["tp-proposal-pdf->tp-esignature:+10%"],
        runs=5,
        customers=5_000,
        seed=3,
    )
    assert result.conversions_difference.low > 0
    assert result.revenue_difference.low > 0
    # +10% relative on the last step: conversions rise by about 10%
    relative = result.conversions_difference.mean / result.baseline_conversions.mean
    assert 0.07 < relative < 0.13
    assert result.to_dict()["conversions"]["difference"]["ci95_low"] > 0


def test_no_change_gives_exactly_zero_difference() -> None:
    result = what_if(
        load_spec(LINEAR), ["tp-proposal-pdf->tp-esignature:+0%"], runs=3, customers=2_000
    )
    assert result.conversions_difference.mean == 0
    assert result.revenue_difference.low == result.revenue_difference.high == 0


def test_run_outcome_counts_converted_customers_once() -> None:
    outcome = run_outcome(load_spec(LINEAR), customers=4_000, seed=2)
    assert 0 < outcome.conversions <= outcome.purchases
    assert outcome.revenue > 0
