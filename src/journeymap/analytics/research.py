"""Research planning: how many participants a usability study or a survey needs.

**Problem discovery.** If each participant meets a given problem with probability ``L``, a
study with ``n`` participants finds it with probability ``1 - (1 - L)^n`` (Virzi 1992; Nielsen
and Landauer 1993, whose average ``L = 0.31`` gives the "five users find 85% of the problems"
rule). Read over all problems, it is the expected share found. The participants needed for a
target share ``P`` are the smallest ``n`` with ``1 - (1 - L)^n >= P``, i.e.
``ceil(log(1 - P) / log(1 - L))``.

**Survey sample size.** To estimate a proportion within a margin of error ``e`` at confidence
``c``: ``n0 = z^2 p (1 - p) / e^2`` with ``z`` the two-sided normal quantile of ``c`` and ``p``
the expected proportion (0.5, the worst case, by default). For a population of ``N`` the finite
population correction gives ``n = n0 / (1 + (n0 - 1) / N)``. Both are rounded up.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist
from typing import Any

import pandas as pd
import plotly.graph_objects as go

DEFAULT_PROBLEM_RATE = 0.31
DEFAULT_CURVE_LENGTH = 15


def _check_share(name: str, value: float) -> None:
    if not 0 < value < 1:
        raise ValueError(f"{name} must be between 0 and 1 (exclusive), not {value}")


def share_found(participants: int, rate: float = DEFAULT_PROBLEM_RATE) -> float:
    """Expected share of problems found by ``participants``: ``1 - (1 - rate)^n``."""
    _check_share("rate", rate)
    if participants < 0:
        raise ValueError(f"participants must not be negative, not {participants}")
    return 1.0 - (1.0 - rate) ** participants


def participants_needed(target: float, rate: float = DEFAULT_PROBLEM_RATE) -> int:
    """The fewest participants whose expected share of problems found reaches ``target``."""
    _check_share("target", target)
    _check_share("rate", rate)
    needed = math.ceil(math.log(1.0 - target) / math.log(1.0 - rate))
    # guard against floating point putting an exact hit just above an integer
    while needed > 1 and share_found(needed - 1, rate) >= target:
        needed -= 1
    return needed


@dataclass(frozen=True)
class ProblemDiscoveryPlan:
    """Participants needed for a target share of problems, with the discovery curve."""

    rate: float
    target: float
    participants: int

    @property
    def share_found(self) -> float:
        """The share the planned participants are expected to find (at least the target)."""
        return share_found(self.participants, self.rate)

    def curve(self, up_to: int | None = None) -> list[tuple[int, float]]:
        """``(n, share found)`` for n = 1 .. ``up_to`` (default: the plan or 15, the larger)."""
        last = up_to or max(self.participants, DEFAULT_CURVE_LENGTH)
        return [(n, share_found(n, self.rate)) for n in range(1, last + 1)]

    def to_frame(self) -> pd.DataFrame:
        """The discovery curve: participants, share_found."""
        return pd.DataFrame(self.curve(), columns=["participants", "share_found"])

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "rate": self.rate,
            "target": self.target,
            "participants": self.participants,
            "share_found": self.share_found,
            "curve": [{"participants": n, "share_found": s} for n, s in self.curve()],
        }

    def figure(self) -> go.Figure:
        """The discovery curve with the target and the planned participants marked."""
        points = self.curve()
        fig = go.Figure(
            go.Scatter(
                x=[n for n, _ in points],
                y=[s for _, s in points],
                mode="lines+markers",
                hovertemplate="%{x} participants: %{y:.1%}<extra></extra>",
            )
        )
        fig.add_hline(y=self.target, line_dash="dot", annotation_text=f"target {self.target:.0%}")
        fig.add_vline(x=self.participants, line_dash="dot")
        fig.update_layout(
            title=f"Problems found by participants (L = {self.rate:g})",
            xaxis={"title": "participants"},
            yaxis={"title": "share of problems found", "tickformat": ".0%", "range": [0, 1]},
        )
        return fig


def plan_problem_discovery(
    target: float, rate: float = DEFAULT_PROBLEM_RATE
) -> ProblemDiscoveryPlan:
    """Participants needed to find ``target`` of the problems when each is met with ``rate``."""
    return ProblemDiscoveryPlan(
        rate=rate, target=target, participants=participants_needed(target, rate)
    )


@dataclass(frozen=True)
class SurveySampleSize:
    """Responses needed for a margin of error at a confidence level."""

    margin: float
    confidence: float
    proportion: float
    population: int | None
    z: float
    unadjusted: float  # n0, before rounding and before the population correction
    responses: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "margin": self.margin,
            "confidence": self.confidence,
            "proportion": self.proportion,
            "population": self.population,
            "z": self.z,
            "unadjusted": self.unadjusted,
            "responses": self.responses,
        }

    def to_frame(self) -> pd.DataFrame:
        """One row with the inputs and the responses needed."""
        return pd.DataFrame([self.to_dict()])


def survey_sample_size(
    margin: float = 0.05,
    confidence: float = 0.95,
    *,
    population: int | None = None,
    proportion: float = 0.5,
) -> SurveySampleSize:
    """Responses needed to estimate a proportion within ``margin`` at ``confidence``.

    ``population`` applies the finite population correction; ``proportion`` is the expected
    share (0.5 needs the most responses). See the module docstring for the formulas.
    """
    _check_share("margin", margin)
    _check_share("confidence", confidence)
    _check_share("proportion", proportion)
    if population is not None and population < 1:
        raise ValueError(f"population must be at least 1, not {population}")
    z = NormalDist().inv_cdf(1.0 - (1.0 - confidence) / 2.0)
    n0 = z * z * proportion * (1.0 - proportion) / (margin * margin)
    n = n0 if population is None else n0 / (1.0 + (n0 - 1.0) / population)
    responses = math.ceil(round(n, 9))
    if population is not None:
        responses = min(responses, population)
    return SurveySampleSize(
        margin=margin,
        confidence=confidence,
        proportion=proportion,
        population=population,
        z=z,
        unadjusted=n0,
        responses=responses,
    )
