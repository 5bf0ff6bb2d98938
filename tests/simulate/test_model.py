"""The compiled model's samplers: guide-table inversion and the flat distribution tables."""

from __future__ import annotations

import numpy as np

from journeymap.simulate.model import CategoricalTable, DistributionArrays, cumulative


def test_guide_table_draws_equal_plain_inversion() -> None:
    rng = np.random.default_rng(7)
    probabilities = rng.random((6, 9)) * (rng.random((6, 9)) < 0.6)  # categories with no mass
    probabilities[2] = 0.0  # an unused row
    probabilities[3] = [0, 0, 0, 0, 1, 0, 0, 0, 0]
    probabilities /= np.maximum(probabilities.sum(axis=1, keepdims=True), 1e-300)
    table = CategoricalTable.from_probabilities(probabilities)
    cum = cumulative(probabilities)
    row = np.repeat(np.arange(6), 20_000)
    u = np.concatenate([rng.random(row.size - 6 * 4), np.tile([0.0, 0.5, 1 - 2**-53, 0.25], 6)])
    expected = (cum[row] <= u[:, None]).sum(axis=1)
    assert (table.sample(row, u) == expected).all()
    assert (table.sample(np.full(5, 2), rng.random(5)) == 8).all()


def test_distribution_draws_follow_each_parameter_row() -> None:
    dists = DistributionArrays(
        mu=np.array([np.log(60.0), 0.0]), sigma=np.array([0.5, 0.0]), mean=np.array([0.0, 10.0])
    )
    rng = np.random.default_rng(3)
    index = np.tile([0, 1], 100_000)
    draws = dists.draw(index, rng)
    assert abs(np.median(draws[index == 0]) / 60.0 - 1) < 0.01  # log-normal: median 60
    assert abs(draws[index == 1].mean() / 10.0 - 1) < 0.01  # exponential: mean 10
    only_exponential = DistributionArrays(np.zeros(1), np.zeros(1), np.array([2.0]))
    assert abs(only_exponential.draw(np.zeros(100_000, dtype=np.int64), rng).mean() / 2 - 1) < 0.02
