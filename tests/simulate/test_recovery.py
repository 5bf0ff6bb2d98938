"""Recovery: the analytics engine finds the probabilities the simulator was given.

The tolerance is statistical. A rate estimated from n customers (or n moves out of a touchpoint)
has the binomial standard error sqrt(p (1 - p) / n); every estimate must lie within 4 standard
errors of the truth (a false alarm has a probability of about 6e-5 per check, and the seed is
fixed, so the test is deterministic anyway).
"""

from __future__ import annotations

import itertools
import math
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest

from journeymap.analytics.funnel import funnel
from journeymap.analytics.sequences import END, START
from journeymap.analytics.transitions import transition_matrix
from journeymap.data.engine import connect
from journeymap.data.events import Events
from journeymap.data.readers import read_events
from journeymap.simulate.generator import simulate_to_parquet
from journeymap.simulate.model import compile_model
from journeymap.simulate.spec import EXIT, load_spec

LINEAR = Path(__file__).parent / "linear_spec.yaml"
CUSTOMERS = 20_000
Z = 4.0
STEPS = [
    "tp-website-pricing",
    "tp-demo-form",
    "tp-tailored-demo",
    "tp-proposal-pdf",
    "tp-esignature",
]


@pytest.fixture(scope="module")
def events(tmp_path_factory: pytest.TempPathFactory) -> Events:
    output = tmp_path_factory.mktemp("recovery") / "events.parquet"
    simulate_to_parquet(load_spec(LINEAR), customers=CUSTOMERS, seed=11, output=output)
    return read_events(output, backend=connect())


def _within(estimate: float, truth: float, n: int) -> bool:
    se = math.sqrt(truth * (1 - truth) / n) if 0 < truth < 1 else 0.0
    return abs(estimate - truth) <= Z * se + 1e-12


def hitting_probabilities(transitions: np.ndarray, target: int) -> np.ndarray:
    """P(the chain ever visits ``target`` | it is at state i), for an absorbing exit column."""
    n = transitions.shape[0]
    q = transitions[:, :n].copy()
    q[:, target] = 0.0
    b = transitions[:, target]
    h = np.linalg.solve(np.eye(n) - q, b)  # h = b + Q h, first-step analysis
    return h


def test_funnel_recovers_the_step_conversion_rates(events: Events) -> None:
    model = compile_model(load_spec(LINEAR))
    index = {tp: n for n, tp in enumerate(model.touchpoints)}
    matrix = model.transitions[0]
    expected = [1.0] + [
        float(hitting_probabilities(matrix, index[b])[index[a]])
        for a, b in itertools.pairwise(STEPS)
    ]
    result = funnel(events, STEPS, by="touchpoint", window=timedelta(days=365))
    assert result.steps[0].entered == CUSTOMERS
    for step, truth in zip(result.steps[1:], expected[1:], strict=True):
        previous = result.steps[step.step - 2].entered
        rate = step.entered / previous
        assert _within(rate, truth, previous), (step.value, rate, truth, previous)


def test_transition_matrix_recovers_the_transition_probabilities(events: Events) -> None:
    simulation = load_spec(LINEAR)
    persona = simulation.spec.personas[0]
    result = transition_matrix(events, by="touchpoint", per="customer")
    counts = result.counts()
    probabilities = result.probabilities()
    checked = 0
    for source, row in persona.transitions.items():
        n = int(counts.loc[source].sum())
        assert n > 500, source
        for target, truth in row.items():
            column = END if target == EXIT else target
            estimate = float(probabilities.loc[source, column])
            assert _within(estimate, truth, n), (source, target, estimate, truth, n)
            checked += 1
        unexpected = set(probabilities.columns[probabilities.loc[source] > 0]) - {
            END if t == EXIT else t for t in row
        }
        assert not unexpected, (source, unexpected)
    assert checked == sum(len(row) for row in persona.transitions.values())
    assert float(probabilities.loc[START, "tp-website-pricing"]) == 1.0


def test_channel_mix_is_recovered(events: Events) -> None:
    table = events.table
    counts = table.group_by("channel").agg(n=table.count()).to_pandas().set_index("channel").n
    total = int(counts.sum())
    for channel, truth in {"Direct": 0.5, "Organic Search": 0.3, "Email": 0.2}.items():
        assert _within(counts[channel] / total, truth, total), channel
