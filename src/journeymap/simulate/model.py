"""A spec compiled into numpy arrays, the form the vectorized generator samples from."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from journeymap.simulate.spec import (
    DEFAULT,
    EXIT,
    Exponential,
    LogNormal,
    Simulation,
    scale_seconds,
)

LOGNORMAL, EXPONENTIAL = 0, 1
MICROS = 1_000_000

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class DistributionArrays:
    """Parameters of log-normal or exponential distributions, element-wise, in flat arrays.

    A draw is ``exp(mu + sigma * z)`` for a log-normal (``mean`` is 0 there) and ``mean * e`` for
    an exponential (``mu`` and ``sigma`` are 0 there), with z standard normal and e standard
    exponential. Time gaps are in seconds. The arrays are flat: a grid of parameters (e.g.
    persona x touchpoint) is picked by its flat C-order index.
    """

    mu: FloatArray
    sigma: FloatArray
    mean: FloatArray

    def draw(self, index: IntArray, rng: np.random.Generator) -> FloatArray:
        """One draw for each flat parameter index in ``index``.

        A normal stream is drawn when the grid has a log-normal, an exponential stream when it
        has an exponential; both are as long as ``index``.
        """
        size = index.size
        exponential = self.mean > 0
        if exponential.all():
            return self.mean[index] * rng.standard_exponential(size)
        out = self.sigma[index] * rng.standard_normal(size)
        out += self.mu[index]
        np.exp(out, out=out)
        if exponential.any():
            factor = self.mean[index] * rng.standard_exponential(size)
            factor += (~exponential)[index]  # 1 for a log-normal, whose mean is 0
            out *= factor
        return out


def _distribution(dist: LogNormal | Exponential, scale: float) -> tuple[float, float, float]:
    if isinstance(dist, LogNormal):
        return math.log(dist.median * scale), dist.sigma, 0.0
    return 0.0, 0.0, dist.mean * scale


def _stack(params: list[tuple[float, float, float]]) -> DistributionArrays:
    mu, sigma, mean = (np.array(column, dtype=np.float64) for column in zip(*params, strict=True))
    return DistributionArrays(mu, sigma, mean)


def cumulative(probabilities: FloatArray) -> FloatArray:
    """Cumulative rows ending in exactly 1.0 (rows with no mass put it all on the last column)."""
    cum = np.cumsum(probabilities, axis=-1)
    empty = cum[..., -1] <= 0
    cum[empty, -1] = 1.0
    cum[..., -1] = 1.0
    return cum


def categorical(cum_rows: FloatArray, u: FloatArray) -> npt.NDArray[np.int16]:
    """For each row of cumulative probabilities, the category that uniform ``u`` falls in."""
    return (cum_rows <= u[:, None]).sum(axis=1, dtype=np.int16)


@dataclass(frozen=True)
class CategoricalTable:
    """Many categorical distributions (the last axis), sampled by inversion with a guide table.

    The category of uniform ``u`` in a row is the number of the row's cumulative probabilities
    that are <= ``u``, so a small change of probabilities changes few draws (paired what-if runs
    stay paired). Each row has ``cells`` guide cells (a power of two): cell j holds the category
    of ``u = j / cells``, where the search for a ``u`` in that cell starts, and it seldom needs a
    step further (Chen and Asau's indexed search).
    """

    cum: FloatArray
    guide: IntArray
    width: int
    cells: int

    @classmethod
    def from_probabilities(cls, probabilities: FloatArray) -> CategoricalTable:
        """Build from probabilities whose last axis sums to 1 (or 0 for unused rows)."""
        cum = cumulative(probabilities)
        rows = cum.reshape(-1, cum.shape[-1])
        width = rows.shape[1]
        cells = 1 << (2 * width - 1).bit_length()  # at least two cells per category
        starts = np.arange(cells, dtype=np.float64) / cells
        guide = np.array([np.searchsorted(row, starts, side="right") for row in rows])
        return cls(rows.ravel(), guide.astype(np.int64).ravel(), width, cells)

    def sample(self, row: IntArray, u: FloatArray) -> npt.NDArray[np.int16]:
        """The category of uniform ``u`` (in [0, 1)) in each flat row ``row``."""
        row = row.astype(np.intp, copy=False)
        at = row * self.width
        at += self.guide[row * self.cells + (u * self.cells).astype(np.intp)]
        behind = np.flatnonzero(self.cum[at] <= u)
        while behind.size:
            at[behind] += 1
            behind = behind[self.cum[at[behind]] <= u[behind]]
        at -= row * self.width
        return at.astype(np.int16)


@dataclass(frozen=True)
class JourneyModel:
    """The compiled spec: K personas, T touchpoints (index T is the exit), C channels."""

    simulation: Simulation
    touchpoints: tuple[str, ...]
    stages: tuple[str, ...]
    touchpoint_stage: npt.NDArray[np.int16]
    event_names: tuple[str, ...]
    channels: tuple[str, ...]
    personas: tuple[str, ...]
    persona_cum: FloatArray
    start: CategoricalTable
    transitions: FloatArray
    transition_table: CategoricalTable
    channel_table: CategoricalTable
    gaps: DistributionArrays
    order_value: DistributionArrays
    is_purchase: npt.NDArray[np.bool_]
    repeat_probability: FloatArray
    repeat_max: npt.NDArray[np.int16]
    repeat_start: npt.NDArray[np.int16]
    repeat_gap: DistributionArrays
    start_us: int
    period_us: int
    session_timeout_us: int
    max_events: int

    @property
    def exit_index(self) -> int:
        """The state index standing for the end of a journey."""
        return len(self.touchpoints)


def compile_model(simulation: Simulation) -> JourneyModel:
    """Turn a validated spec into the arrays the generator samples from."""
    spec = simulation.spec
    tps = tuple(tp.id for tp in simulation.touchpoints)
    index = {tp: n for n, tp in enumerate(tps)}
    stages = simulation.stages
    stage_index = {stage: n for n, stage in enumerate(stages)}
    n_tp, n_personas = len(tps), len(spec.personas)
    channels = tuple(
        sorted({c for persona in spec.personas for mix in persona.channels.values() for c in mix})
    )
    channel_index = {c: n for n, c in enumerate(channels)}

    weights = np.array([p.weight for p in spec.personas], dtype=np.float64)
    start = np.zeros((n_personas, n_tp))
    transitions = np.zeros((n_personas, n_tp, n_tp + 1))
    transitions[:, :, n_tp] = 1.0  # rows a persona never reaches end the journey
    mix = np.zeros((n_personas, n_tp, len(channels)))
    gap_params: list[tuple[float, float, float]] = []
    value_params: list[tuple[float, float, float]] = []
    repeat_params: list[tuple[float, float, float]] = []
    repeat_probability = np.zeros(n_personas)
    repeat_max = np.zeros(n_personas, dtype=np.int16)
    repeat_start = np.zeros(n_personas, dtype=np.int16)
    for k, persona in enumerate(spec.personas):
        for tp, p in persona.start.items():
            start[k, index[tp]] = p
        for source, row in persona.transitions.items():
            transitions[k, index[source], :] = 0.0
            for target, p in row.items():
                transitions[k, index[source], n_tp if target == EXIT else index[target]] = p
        for t, tp in enumerate(tps):
            for channel, p in persona.channels.get(tp, persona.channels[DEFAULT]).items():
                mix[k, t, channel_index[channel]] = p
            for target in (*tps, EXIT):
                gap = persona.gaps.get(
                    f"{tp}->{target}", persona.gaps.get(tp, persona.gaps[DEFAULT])
                )
                gap_params.append(_distribution(gap, scale_seconds(gap)))
        values = persona.order_value
        for tp in tps:
            value = values if not isinstance(values, dict) else values.get(tp, values.get(DEFAULT))
            value_params.append(_distribution(value, 1.0) if value else (0.0, 0.0, 0.0))
        if persona.repeat is not None:
            repeat_probability[k] = persona.repeat.probability
            repeat_max[k] = persona.repeat.max_repeats
            repeat_start[k] = index[persona.repeat.start]
            gap = persona.repeat.gap
            repeat_params.append(_distribution(gap, scale_seconds(gap)))
        else:
            repeat_params.append((EXPONENTIAL, 1.0, 0.0))

    start_at = spec.start if spec.start.tzinfo else spec.start.replace(tzinfo=dt.UTC)
    return JourneyModel(
        simulation=simulation,
        touchpoints=tps,
        stages=stages,
        touchpoint_stage=np.array(
            [stage_index[tp.stage] for tp in simulation.touchpoints], dtype=np.int16
        ),
        event_names=tuple(spec.events.get(tp, tp) for tp in tps),
        channels=channels,
        personas=tuple(p.id for p in spec.personas),
        persona_cum=cumulative(weights / weights.sum()),
        start=CategoricalTable.from_probabilities(start),
        transitions=transitions,
        transition_table=CategoricalTable.from_probabilities(transitions),
        channel_table=CategoricalTable.from_probabilities(mix),
        gaps=_stack(gap_params),
        order_value=_stack(value_params),
        is_purchase=np.isin(np.arange(n_tp), [index[tp] for tp in spec.purchase]),
        repeat_probability=repeat_probability,
        repeat_max=repeat_max,
        repeat_start=repeat_start,
        repeat_gap=_stack(repeat_params),
        start_us=int(start_at.timestamp() * MICROS),
        period_us=int(spec.period_days * 86400 * MICROS),
        session_timeout_us=int(spec.session_timeout_minutes * 60 * MICROS),
        max_events=spec.max_events_per_customer,
    )
