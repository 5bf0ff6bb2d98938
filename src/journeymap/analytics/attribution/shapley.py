"""Shapley value attribution: channels as players of a coalition game over the journeys.

A journey's coalition is the *set* of channels it touched (order and repeats do not matter).
The worth of a coalition ``S`` is what the journeys that used only channels in ``S`` achieved:

- ``worth="conversions"`` (default): their conversions (or value). The Shapley value of this
  game splits each journey's conversions equally over its distinct channels (Zhao et al., 2018,
  "Shapley Value Methods for Attribution Modeling in Online Advertising").
- ``worth="conversion_rate"``: their conversions (or value) per journey, nulls included. A
  channel that brings many journeys that do not convert lowers the rate and can get negative
  credit; the Shapley values, which add up to the overall rate, are scaled to the conversions.

The Shapley value of channel ``i`` is the average over all orders of the channels of ``i``'s
marginal contribution ``v(S + i) - v(S)``. Up to :data:`EXACT_LIMIT` channels it is computed
exactly from all ``2^n`` coalitions; beyond, from ``samples`` random orders (Monte Carlo
permutation sampling, reproducible with ``seed``).
"""

from __future__ import annotations

from math import factorial
from typing import Literal

import numpy as np
import numpy.typing as npt

from journeymap.analytics.attribution.journeys import JourneyPaths
from journeymap.analytics.attribution.result import AttributionResult, ChannelCredit

EXACT_LIMIT = 12
MAX_CHANNELS = 63
DEFAULT_SAMPLES = 2000
Worth = Literal["conversions", "conversion_rate"]
WORTHS: tuple[str, ...] = ("conversions", "conversion_rate")


def shapley_attribution(
    paths: JourneyPaths,
    *,
    worth: Worth = "conversions",
    samples: int = DEFAULT_SAMPLES,
    seed: int = 0,
) -> AttributionResult:
    """Credit per channel from Shapley values; exact up to 12 channels, sampled beyond."""
    if worth not in WORTHS:
        raise ValueError(f"worth must be one of {', '.join(WORTHS)}, not {worth!r}")
    if paths.total_conversions <= 0:
        raise ValueError("no conversions on any path: nothing to attribute")
    channels = paths.channels
    n = len(channels)
    if n > MAX_CHANNELS:
        raise ValueError(f"Shapley attribution handles up to {MAX_CHANNELS} channels, not {n}")
    bit = {c: np.uint64(1) << np.uint64(i) for i, c in enumerate(channels)}
    masks = np.array(
        [np.bitwise_or.reduce([bit[c] for c in set(p)]) for p in paths.paths], dtype=np.uint64
    )
    # per coalition game: conversions, value, journeys of the journeys inside it
    stats = np.column_stack([paths.conversions, paths.value, paths.conversions + paths.nulls])
    exact = n <= EXACT_LIMIT
    if exact:
        phi = _exact(masks, stats, n, worth)
    else:
        if samples < 1:
            raise ValueError(f"samples must be at least 1, not {samples}")
        phi = _sampled(masks, stats, n, worth, samples, seed)
    conversions, values = phi[:, 0], phi[:, 1]
    if worth == "conversion_rate":
        conversions = _scale(conversions, paths.total_conversions)
        values = _scale(values, paths.total_value)
    parameters: tuple[tuple[str, object], ...] = (
        ("worth", worth),
        ("method", "exact" if exact else "sampled"),
    )
    if not exact:
        parameters += (("samples", samples), ("seed", seed))
    return AttributionResult(
        model="shapley",
        credits=tuple(
            ChannelCredit(c, float(conversions[i]), float(values[i]))
            for i, c in enumerate(channels)
        ),
        total_conversions=paths.total_conversions,
        total_value=paths.total_value,
        unattributed_conversions=paths.unattributed_conversions,
        parameters=parameters,
    )


def _worth(totals: npt.NDArray[np.float64], worth: str) -> npt.NDArray[np.float64]:
    """``(conversions, value)`` worth from ``(conversions, value, journeys)`` totals."""
    if worth == "conversions":
        return totals[..., :2]
    journeys = totals[..., 2:3]
    return np.divide(
        totals[..., :2], journeys, out=np.zeros_like(totals[..., :2]), where=journeys > 0
    )


def _exact(
    masks: npt.NDArray[np.uint64], stats: npt.NDArray[np.float64], n: int, worth: str
) -> npt.NDArray[np.float64]:
    size = 1 << n
    inside = np.zeros((size, 3))
    np.add.at(inside, masks.astype(np.int64), stats)
    for i in range(n):  # sum over subsets (zeta transform): journeys whose set is within S
        step = 1 << i
        view = inside.reshape(-1, 2 * step, 3)
        view[:, step:, :] += view[:, :step, :]
    value = _worth(inside, worth)
    coalitions = np.arange(size)
    sizes = np.array([bin(s).count("1") for s in range(size)])
    weights = np.array([factorial(k) * factorial(n - k - 1) for k in range(n)]) / factorial(n)
    phi = np.zeros((n, 2))
    for i in range(n):
        without = coalitions[(coalitions >> i) & 1 == 0]
        gain = value[without | (1 << i)] - value[without]
        phi[i] = (weights[sizes[without]][:, None] * gain).sum(axis=0)
    return phi


def _sampled(
    masks: npt.NDArray[np.uint64],
    stats: npt.NDArray[np.float64],
    n: int,
    worth: str,
    samples: int,
    seed: int,
) -> npt.NDArray[np.float64]:
    rng = np.random.default_rng(seed)
    phi = np.zeros((n, 2))
    bits = np.uint64(1) << np.arange(n, dtype=np.uint64)
    for _ in range(samples):
        order = rng.permutation(n)
        prefixes = np.bitwise_or.accumulate(bits[order])
        within = (masks[None, :] & ~prefixes[:, None]) == 0
        totals = within.astype(np.float64) @ stats
        value = _worth(totals, worth)
        gains = np.diff(value, axis=0, prepend=np.zeros((1, 2)))
        phi[order] += gains
    return phi / samples


def _scale(values: npt.NDArray[np.float64], total: float) -> npt.NDArray[np.float64]:
    weight = values.sum()
    return values / weight * total if weight else np.zeros_like(values)
