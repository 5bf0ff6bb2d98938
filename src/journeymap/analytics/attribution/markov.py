"""Markov chain attribution with removal effects, as ChannelAttribution defines it, solved exactly.

**States.** For order ``k`` a state is the tuple of the last ``k`` channels: a path ``c1 > c2 >
... > cm`` becomes the sliding windows ``(c1..ck), (c2..ck+1), ...``; a path shorter than ``k``
is one state holding the whole path. Consecutive equal states are merged (so at order 1
``a > a > b`` is ``a > b``). Every journey starts in ``(start)`` and ends in ``(conversion)`` or
``(null)``; these are ChannelAttribution's rules (``markov_model``, ``order``, ``sep``).

**Transitions.** Each distinct path adds its journeys (conversions + nulls) to every transition
along it, its conversions to ``last state -> (conversion)`` and its nulls to
``last state -> (null)``; a row of counts divided by its sum is the transition probability.

**Removal effects.** ``P`` is the probability of absorbing in ``(conversion)`` from ``(start)``,
found by a sparse linear solve ``(I - Q) x = b`` over the transient states. Removing a channel
sends every state that contains it to ``(null)``; with ``P_c`` the conversion probability then,
the removal effect is ``RE_c = 1 - P_c / P`` and channel ``c`` gets ``RE_c / sum(RE)`` of the
conversions. For value, a state's conversion pays the mean value of the conversions that left
from it, the expected value is solved the same way, and its removal effects share out the total
value.

ChannelAttribution estimates the same quantities by simulating paths through the chain (its
``removal_effects`` with ``out_more=True`` are the share of simulated converting paths that
visit the channel, which equals ``1 - P_c / P``); here they are solved exactly, with no
simulation noise and no cap on the number of steps (ChannelAttribution stops a simulated path
after as many steps as the longest path in the data and counts it as not converted).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.sparse.linalg import splu

from journeymap.analytics.attribution.journeys import JourneyPaths
from journeymap.analytics.attribution.result import AttributionResult, ChannelCredit

MAX_ORDER = 3
START = "(start)"
CONVERSION = "(conversion)"
NULL = "(null)"


@dataclass(frozen=True)
class MarkovChain:
    """The chain of one order: states, transition counts and what converts from each state."""

    order: int
    channels: tuple[str, ...]
    states: tuple[tuple[str, ...], ...]  # index 0 is (start); the others are channel tuples
    counts: sp.csr_matrix  # transient -> transient transition counts
    to_conversion: npt.NDArray[np.float64]
    to_null: npt.NDArray[np.float64]
    value_out: npt.NDArray[np.float64]  # conversion value leaving from each state

    @property
    def out_totals(self) -> npt.NDArray[np.float64]:
        """All transitions out of each state."""
        rows = np.asarray(self.counts.sum(axis=1)).ravel()
        return rows + self.to_conversion + self.to_null

    def transition_probabilities(self) -> list[tuple[str, str, float]]:
        """``(from, to, probability)`` for every transition, with states joined by ``>``."""
        totals = self.out_totals
        names = [START, *(" > ".join(s) for s in self.states[1:])]
        coo = self.counts.tocoo()
        rows = [
            (names[i], names[j], float(c / totals[i]))
            for i, j, c in zip(coo.row, coo.col, coo.data, strict=True)
        ]
        for target, column in ((CONVERSION, self.to_conversion), (NULL, self.to_null)):
            rows += [
                (names[i], target, float(column[i] / totals[i])) for i in np.flatnonzero(column)
            ]
        return sorted(rows)


def path_states(path: tuple[str, ...], order: int) -> list[tuple[str, ...]]:
    """The order-``order`` states along ``path``, consecutive equal states merged."""
    if len(path) <= order:
        return [path]
    states: list[tuple[str, ...]] = []
    for k in range(len(path) - order + 1):
        window = path[k : k + order]
        if not states or states[-1] != window:
            states.append(window)
    return states


def markov_chain(paths: JourneyPaths, *, order: int = 1) -> MarkovChain:
    """Build the transition counts of the order-``order`` chain from the distinct paths."""
    if not 1 <= order <= MAX_ORDER:
        raise ValueError(f"order must be between 1 and {MAX_ORDER}, not {order}")
    weights = paths.conversions + paths.nulls
    keep = np.flatnonzero(weights > 0)
    index: dict[tuple[str, ...], int] = {(): 0}
    sources: list[int] = []
    targets: list[int] = []
    edge_path: list[int] = []
    last = np.zeros(len(keep), dtype=np.int64)
    for n, p in enumerate(keep):
        ids = [index.setdefault(s, len(index)) for s in path_states(paths.paths[p], order)]
        chain = [0, *ids]
        sources += chain[:-1]
        targets += chain[1:]
        edge_path += [n] * len(ids)
        last[n] = ids[-1]
    size = len(index)
    counts = sp.csr_matrix(
        (weights[keep][edge_path], (sources, targets)), shape=(size, size), dtype=np.float64
    )
    counts.sum_duplicates()
    states = tuple(index)
    return MarkovChain(
        order=order,
        channels=paths.channels,
        states=states,
        counts=counts,
        to_conversion=_per_state(last, paths.conversions[keep], size),
        to_null=_per_state(last, paths.nulls[keep], size),
        value_out=_per_state(last, paths.value[keep], size),
    )


def _per_state(
    states: npt.NDArray[np.int64], weights: npt.NDArray[np.float64], size: int
) -> npt.NDArray[np.float64]:
    return np.bincount(states, weights=weights, minlength=size).astype(np.float64)


def absorption(
    chain: MarkovChain, removed: npt.NDArray[np.bool_] | None = None
) -> tuple[float, float]:
    """Conversion probability and expected conversion value from ``(start)``.

    States flagged in ``removed`` go straight to ``(null)``.
    """
    totals = chain.out_totals
    scale = np.divide(1.0, totals, out=np.zeros_like(totals), where=totals > 0)
    if removed is not None:
        scale = np.where(removed, 0.0, scale)
    q = sp.diags(scale) @ chain.counts
    system = (sp.identity(q.shape[0], format="csc") - q).tocsc()
    rhs = np.column_stack([chain.to_conversion * scale, chain.value_out * scale])
    solution = splu(system).solve(rhs)
    return float(solution[0, 0]), float(solution[0, 1])


def markov_attribution(paths: JourneyPaths, *, order: int = 1) -> AttributionResult:
    """Credit per channel from the removal effects of the order-``order`` Markov chain.

    See the module docstring for the exact definition; the numbers match ChannelAttribution's
    ``markov_model`` up to its simulation noise.
    """
    chain = markov_chain(paths, order=order)
    if paths.total_conversions <= 0:
        raise ValueError("no conversions on any path: nothing to attribute")
    base_conversion, base_value = absorption(chain)
    channel_index = {c: i for i, c in enumerate(chain.channels)}
    contains = np.zeros((len(chain.channels), len(chain.states)), dtype=bool)
    for s, state in enumerate(chain.states[1:], start=1):
        for channel in set(state):
            contains[channel_index[channel], s] = True
    effects = []
    for c in range(len(chain.channels)):
        conversion, value = absorption(chain, contains[c])
        effects.append(
            (
                _effect(conversion, base_conversion),
                _effect(value, base_value),
            )
        )
    conv_effects = np.array([e[0] for e in effects])
    value_effects = np.array([e[1] for e in effects])
    conversions = _share(conv_effects, paths.total_conversions)
    values = _share(value_effects, paths.total_value)
    return AttributionResult(
        model="markov",
        credits=tuple(
            ChannelCredit(channel, float(conversions[i]), float(values[i]))
            for i, channel in enumerate(chain.channels)
        ),
        total_conversions=paths.total_conversions,
        total_value=paths.total_value,
        unattributed_conversions=paths.unattributed_conversions,
        parameters=(("order", order), ("conversion_probability", base_conversion)),
        removal_effects=tuple(
            (channel, float(conv_effects[i]), float(value_effects[i]))
            for i, channel in enumerate(chain.channels)
        ),
    )


def _effect(removed: float, base: float) -> float:
    return 1.0 - removed / base if base > 0 else 0.0


def _share(effects: npt.NDArray[np.float64], total: float) -> npt.NDArray[np.float64]:
    weight = effects.sum()
    if weight <= 0:
        return np.zeros_like(effects)
    return effects / weight * total
