"""The result of one attribution model: conversions and value credited to each channel."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go


@dataclass(frozen=True)
class ChannelCredit:
    """What one model credits to one channel."""

    channel: str
    conversions: float
    value: float


@dataclass(frozen=True)
class AttributionResult:
    """Credit per channel under one model; the credits add up to the attributed totals.

    ``unattributed_conversions`` are conversions without any touch (no channel to credit).
    ``removal_effects`` (Markov) and ``shapley_values`` (Shapley, in the game's own unit) carry the
    quantities the credit was derived from; other models leave them empty.
    """

    model: str
    credits: tuple[ChannelCredit, ...]
    total_conversions: float
    total_value: float
    unattributed_conversions: float = 0.0
    parameters: tuple[tuple[str, Any], ...] = ()
    removal_effects: tuple[tuple[str, float, float], ...] = ()

    def credit(self, channel: str) -> ChannelCredit:
        """The credit of ``channel`` (zero when the channel got none)."""
        for item in self.credits:
            if item.channel == channel:
                return item
        return ChannelCredit(channel, 0.0, 0.0)

    def to_frame(self) -> pd.DataFrame:
        """One row per channel: model, channel, conversions, value, share of conversions."""
        total = self.total_conversions
        return pd.DataFrame(
            [
                {
                    "model": self.model,
                    "channel": c.channel,
                    "conversions": c.conversions,
                    "value": c.value,
                    "share": c.conversions / total if total else 0.0,
                }
                for c in self.credits
            ],
            columns=["model", "channel", "conversions", "value", "share"],
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        data: dict[str, Any] = {
            "model": self.model,
            "parameters": dict(self.parameters),
            "total_conversions": self.total_conversions,
            "total_value": self.total_value,
            "unattributed_conversions": self.unattributed_conversions,
            "channels": [
                {"channel": c.channel, "conversions": c.conversions, "value": c.value}
                for c in self.credits
            ],
        }
        if self.removal_effects:
            data["removal_effects"] = [
                {"channel": channel, "conversions": conv, "value": value}
                for channel, conv, value in self.removal_effects
            ]
        return data

    def figure(self) -> go.Figure:
        """Bars: conversions credited to each channel."""
        fig = go.Figure(
            go.Bar(
                x=[c.channel for c in self.credits],
                y=[c.conversions for c in self.credits],
                customdata=[c.value for c in self.credits],
                hovertemplate="%{x}<br>%{y:.2f} conversions<br>value %{customdata:.2f}"
                "<extra></extra>",
            )
        )
        fig.update_layout(
            title=f"Conversions credited per channel ({self.model})",
            yaxis={"title": "conversions"},
        )
        return fig
