"""All attribution models side by side on the same journeys, with spend when given."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import ibis
import pandas as pd
import plotly.graph_objects as go

from journeymap.analytics.attribution.heuristic import (
    DEFAULT_HALF_LIFE,
    DEFAULT_POSITION_WEIGHTS,
    HEURISTIC_MODELS,
    heuristic_attribution,
)
from journeymap.analytics.attribution.journeys import DEFAULT_CONVERSION, journey_paths
from journeymap.analytics.attribution.markov import markov_attribution
from journeymap.analytics.attribution.result import AttributionResult
from journeymap.analytics.attribution.shapley import shapley_attribution
from journeymap.analytics.attribution.spend import efficiency
from journeymap.data.events import Events

MODELS: tuple[str, ...] = (*HEURISTIC_MODELS, "markov", "shapley")


@dataclass(frozen=True)
class AttributionComparison:
    """One :class:`AttributionResult` per model, in :data:`MODELS` order, plus optional spend."""

    results: tuple[AttributionResult, ...]
    conversion: str
    spend: tuple[tuple[str, float], ...] = ()

    @property
    def channels(self) -> tuple[str, ...]:
        """Every channel credited by a model or named in the spend, sorted."""
        names = {c.channel for r in self.results for c in r.credits} | dict(self.spend).keys()
        return tuple(sorted(names))

    @property
    def total_conversions(self) -> float:
        """Conversions the models share out (those with at least one touch)."""
        return self.results[0].total_conversions if self.results else 0.0

    @property
    def unattributed_conversions(self) -> float:
        """Conversions without a touch, credited to no channel."""
        return max((r.unattributed_conversions for r in self.results), default=0.0)

    def result(self, model: str) -> AttributionResult:
        """The result of ``model``."""
        for result in self.results:
            if result.model == model:
                return result
        raise KeyError(model)

    def to_frame(self) -> pd.DataFrame:
        """Long form: model, channel, conversions, value, share, and spend, CPA, ROAS."""
        spend = dict(self.spend)
        rows = []
        for result in self.results:
            total = result.total_conversions
            for item in efficiency(result, spend):
                rows.append(
                    {
                        "model": result.model,
                        "channel": item.channel,
                        "conversions": item.conversions,
                        "value": item.value,
                        "share": item.conversions / total if total else 0.0,
                        "spend": spend.get(item.channel),
                        "cpa": item.cpa if self.spend else None,
                        "roas": item.roas if self.spend else None,
                    }
                )
        columns = ["model", "channel", "conversions", "value", "share", "spend", "cpa", "roas"]
        return pd.DataFrame(rows, columns=columns)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: every model's result, with CPA and ROAS when spend is set."""
        spend = dict(self.spend)
        models = []
        for result in self.results:
            data = result.to_dict()
            if spend:
                data["efficiency"] = [
                    {
                        "channel": e.channel,
                        "spend": e.spend,
                        "conversions": e.conversions,
                        "value": e.value,
                        "cpa": e.cpa,
                        "roas": e.roas,
                    }
                    for e in efficiency(result, spend)
                ]
            models.append(data)
        return {
            "conversion": self.conversion,
            "total_conversions": self.total_conversions,
            "unattributed_conversions": self.unattributed_conversions,
            "spend": spend or None,
            "models": models,
        }

    def figure(self, measure: str = "conversions") -> go.Figure:
        """Grouped bars: per channel, one bar per model (``measure`` is conversions or value)."""
        if measure not in ("conversions", "value"):
            raise ValueError(f"measure must be conversions or value, not {measure!r}")
        channels = list(self.channels)
        fig = go.Figure(
            [
                go.Bar(
                    name=result.model,
                    x=channels,
                    y=[getattr(result.credit(c), measure) for c in channels],
                    hovertemplate=f"%{{x}}<br>{result.model}: %{{y:.2f}}<extra></extra>",
                )
                for result in self.results
            ]
        )
        fig.update_layout(
            barmode="group",
            title=f"Attributed {measure} per channel and model",
            xaxis={"title": "channel"},
            yaxis={"title": measure},
            legend={"title": "model"},
        )
        return fig


def compare_attribution(
    events: Events | ibis.Table,
    *,
    models: tuple[str, ...] = MODELS,
    conversion: str = DEFAULT_CONVERSION,
    channel: str = "channel",
    collapse_repeats: bool = True,
    order: int = 1,
    half_life: timedelta = DEFAULT_HALF_LIFE,
    position_weights: tuple[float, float] = DEFAULT_POSITION_WEIGHTS,
    spend: dict[str, float] | None = None,
    shapley_seed: int = 0,
) -> AttributionComparison:
    """Run ``models`` (names from :data:`MODELS`) on the same journeys and line them up.

    Raises ``ValueError`` for an unknown model or when the events hold no conversion.
    """
    unknown = [m for m in models if m not in MODELS]
    if unknown:
        raise ValueError(f"unknown model(s) {', '.join(unknown)}; choose from {', '.join(MODELS)}")
    paths = journey_paths(
        events, conversion=conversion, channel=channel, collapse_repeats=collapse_repeats
    )
    if paths.total_conversions <= 0:
        raise ValueError(
            f"no conversion has a touch before it: {paths.unattributed_conversions:g} "
            f"{conversion!r} event(s) but no channel to credit"
        )
    found: dict[str, AttributionResult] = {}
    heuristics = tuple(m for m in models if m in HEURISTIC_MODELS)
    if heuristics:
        for model, result in heuristic_attribution(
            events,
            models=heuristics,
            conversion=conversion,
            channel=channel,
            collapse_repeats=collapse_repeats,
            half_life=half_life,
            position_weights=position_weights,
        ).items():
            found[model] = _with_unattributed(result, paths.unattributed_conversions)
    if "markov" in models:
        found["markov"] = markov_attribution(paths, order=order)
    if "shapley" in models:
        found["shapley"] = shapley_attribution(paths, seed=shapley_seed)
    return AttributionComparison(
        results=tuple(found[m] for m in MODELS if m in found),
        conversion=conversion,
        spend=tuple(sorted((spend or {}).items())),
    )


def _with_unattributed(result: AttributionResult, unattributed: float) -> AttributionResult:
    return AttributionResult(
        model=result.model,
        credits=result.credits,
        total_conversions=result.total_conversions,
        total_value=result.total_value,
        unattributed_conversions=unattributed,
        parameters=result.parameters,
    )
