"""What-if forecasts: change transition probabilities and compare by paired Monte Carlo runs.

A change is written ``FROM->TO:AMOUNT``: ``payment->post_purchase:+10%`` multiplies the probability
by 1.10, ``:-3pp`` subtracts 3 percentage points, ``:=0.4`` (or ``=40%``) sets it. The other
outgoing probabilities of FROM are rescaled so that the row still sums to 1. Each run simulates
the baseline and the changed spec with the same seed (common random numbers), so the difference
of a run has much less noise than the difference of two independent runs.
"""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from journeymap.simulate.generator import iter_chunks
from journeymap.simulate.model import compile_model
from journeymap.simulate.spec import EXIT, PersonaSpec, Simulation

_CHANGE = re.compile(
    r"^\s*(?P<source>[^\s>:-][^\s:]*?)\s*->\s*(?P<target>[^\s:]+)\s*:\s*"
    r"(?P<op>[+\-=])?\s*(?P<value>\d+(?:\.\d+)?)\s*(?P<unit>%|pp)?\s*$"
)


class ChangeError(ValueError):
    """A change string that cannot be parsed or applied; the message names it."""


@dataclass(frozen=True)
class Change:
    """One change of a transition probability."""

    text: str
    source: str
    target: str
    mode: str  # "relative" (x factor), "points" (+ absolute) or "set"
    amount: float

    def apply(self, probability: float) -> float:
        """The new probability for an old one."""
        if self.mode == "relative":
            return probability * self.amount
        if self.mode == "points":
            return probability + self.amount
        return self.amount


def parse_change(text: str) -> Change:
    """Parse ``FROM->TO:+10%`` (relative), ``:+3pp`` (points) or ``:=0.4`` / ``:=40%`` (set)."""
    match = _CHANGE.match(text)
    if not match:
        raise ChangeError(
            f"cannot read change {text!r}: write FROM->TO:AMOUNT, e.g. 'payment->exit:-10%' "
            "(relative), 'payment->exit:-3pp' (percentage points) or 'payment->exit:=0.2'"
        )
    op, value, unit = match["op"], float(match["value"]), match["unit"]
    if op == "=":
        amount = value / 100 if unit == "%" else value
        if unit == "pp":
            raise ChangeError(f"change {text!r}: '=' sets a probability; use '=0.4' or '=40%'")
        return Change(text, match["source"], match["target"], "set", amount)
    if op is None:
        raise ChangeError(f"change {text!r}: start the amount with '+', '-' or '='")
    sign = 1.0 if op == "+" else -1.0
    if unit == "pp":
        return Change(text, match["source"], match["target"], "points", sign * value / 100)
    if unit == "%":
        return Change(text, match["source"], match["target"], "relative", 1 + sign * value / 100)
    raise ChangeError(f"change {text!r}: give the amount in '%' (relative) or 'pp' (points)")


def apply_changes(simulation: Simulation, changes: Sequence[Change]) -> Simulation:
    """The simulation with each change applied to every persona that leaves FROM.

    Raises :class:`ChangeError` for an unknown touchpoint, a transition no persona makes (for a
    relative change), or a probability outside 0..1.
    """
    known = {tp.id for tp in simulation.touchpoints}
    personas = list(simulation.spec.personas)
    for change in changes:
        for name, tp in (("from", change.source), ("to", change.target)):
            if tp not in known and not (name == "to" and tp == EXIT):
                raise ChangeError(
                    f"change {change.text!r}: unknown touchpoint {tp!r} ({name}); the map has "
                    f"{', '.join(sorted(known))}"
                )
        touched = False
        for n, persona in enumerate(personas):
            row = persona.transitions.get(change.source)
            if row is None or (change.mode == "relative" and not row.get(change.target)):
                continue
            personas[n] = _changed_persona(persona, change)
            touched = True
        if not touched:
            raise ChangeError(
                f"change {change.text!r}: unknown transition {change.source}->{change.target}: "
                "no persona of the spec makes it"
            )
    spec = simulation.spec.model_copy(update={"personas": personas})
    return simulation.with_spec(spec)


def _changed_persona(persona: PersonaSpec, change: Change) -> PersonaSpec:
    row = dict(persona.transitions[change.source])
    old = row.get(change.target, 0.0)
    new = change.apply(old)
    if not -1e-12 <= new <= 1 + 1e-12:
        raise ChangeError(
            f"change {change.text!r}: probability of {change.source}->{change.target} for persona "
            f"{persona.id!r} would be {new:.4g} (from {old:.4g}); it must stay within 0..1"
        )
    new = min(max(new, 0.0), 1.0)
    rest = math.fsum(p for target, p in row.items() if target != change.target)
    if rest <= 0 and new < 1:
        raise ChangeError(
            f"change {change.text!r}: persona {persona.id!r} has no other transition from "
            f"{change.source!r} to rescale"
        )
    scale = (1 - new) / rest if rest > 0 else 0.0
    row = {target: (new if target == change.target else p * scale) for target, p in row.items()}
    row[change.target] = new
    transitions = {**persona.transitions, change.source: row}
    return persona.model_copy(update={"transitions": transitions})


@dataclass(frozen=True)
class RunOutcome:
    """What one simulation run produced: converted customers, purchases, revenue."""

    customers: int
    conversions: int
    purchases: int
    revenue: float


def run_outcome(simulation: Simulation, *, customers: int, seed: int) -> RunOutcome:
    """Simulate in memory (nothing written) and count conversions and revenue."""
    model = compile_model(simulation)
    conversions = purchases = 0
    revenue = 0.0
    for chunk in iter_chunks(model, customers, seed):
        buying = ~np.isnan(chunk.revenue)
        last = np.append(chunk.customer[1:] != chunk.customer[:-1], True)
        conversions += int(np.count_nonzero(chunk.purchase[last] > 0))
        purchases += int(np.count_nonzero(buying))
        revenue += float(chunk.revenue[buying].sum())
    return RunOutcome(customers, conversions, purchases, revenue)


@dataclass(frozen=True)
class Estimate:
    """A mean over runs with its 95% confidence interval (Student's t over the runs)."""

    mean: float
    low: float
    high: float

    def to_dict(self) -> dict[str, float]:
        """Plain data for JSON."""
        return {"mean": self.mean, "ci95_low": self.low, "ci95_high": self.high}


def estimate(values: Sequence[float]) -> Estimate:
    """Mean and 95% confidence interval of ``values`` (at least two)."""
    from scipy.stats import t

    mean = statistics.fmean(values)
    half = float(t.ppf(0.975, len(values) - 1)) * statistics.stdev(values) / math.sqrt(len(values))
    return Estimate(mean, mean - half, mean + half)


@dataclass(frozen=True)
class WhatIfResult:
    """Baseline against changed spec over paired runs: per-run means and the differences."""

    changes: tuple[str, ...]
    runs: int
    customers: int
    seed: int
    baseline_conversions: Estimate
    changed_conversions: Estimate
    conversions_difference: Estimate
    baseline_revenue: Estimate
    changed_revenue: Estimate
    revenue_difference: Estimate

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "changes": list(self.changes),
            "runs": self.runs,
            "customers": self.customers,
            "seed": self.seed,
            "conversions": {
                "baseline": self.baseline_conversions.to_dict(),
                "changed": self.changed_conversions.to_dict(),
                "difference": self.conversions_difference.to_dict(),
            },
            "revenue": {
                "baseline": self.baseline_revenue.to_dict(),
                "changed": self.changed_revenue.to_dict(),
                "difference": self.revenue_difference.to_dict(),
            },
        }


def what_if(
    simulation: Simulation,
    changes: Sequence[str],
    *,
    runs: int = 20,
    customers: int = 20_000,
    seed: int = 0,
    progress: Callable[[int], None] | None = None,
) -> WhatIfResult:
    """Compare the spec with the spec after ``changes`` over ``runs`` paired Monte Carlo runs."""
    if runs < 2:
        raise ChangeError(f"runs must be at least 2 for a confidence interval, not {runs}")
    if not changes:
        raise ChangeError("give at least one change, e.g. --change 'payment->exit:-10%'")
    changed = apply_changes(simulation, [parse_change(text) for text in changes])
    base_runs: list[RunOutcome] = []
    new_runs: list[RunOutcome] = []
    for run in range(runs):
        base_runs.append(run_outcome(simulation, customers=customers, seed=seed + run))
        new_runs.append(run_outcome(changed, customers=customers, seed=seed + run))
        if progress is not None:
            progress(run + 1)
    pairs = list(zip(base_runs, new_runs, strict=True))
    return WhatIfResult(
        changes=tuple(changes),
        runs=runs,
        customers=customers,
        seed=seed,
        baseline_conversions=estimate([b.conversions for b in base_runs]),
        changed_conversions=estimate([c.conversions for c in new_runs]),
        conversions_difference=estimate([c.conversions - b.conversions for b, c in pairs]),
        baseline_revenue=estimate([b.revenue for b in base_runs]),
        changed_revenue=estimate([c.revenue for c in new_runs]),
        revenue_difference=estimate([c.revenue - b.revenue for b, c in pairs]),
    )
