"""Transition matrix: how often each step follows each other, with the start and end of paths."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import ibis
import pandas as pd
import plotly.graph_objects as go

from journeymap.analytics.sequences import (
    END,
    END_CODE,
    START,
    START_CODE,
    PathUnit,
    StepColumn,
    path_counts,
)
from journeymap.data.events import Events


@dataclass(frozen=True)
class Transition:
    """``count`` moves from ``source`` to ``target``; ``probability`` is count / moves out of
    ``source``."""

    source: str
    target: str
    count: int
    probability: float


@dataclass(frozen=True)
class TransitionMatrix:
    """Counts and row probabilities of step-to-step moves, ``(start)`` and ``(end)`` included."""

    by: str
    per: str
    collapse_repeats: bool
    states: tuple[str, ...]  # (start), the steps alphabetically, (end)
    transitions: tuple[Transition, ...]

    def counts(self) -> pd.DataFrame:
        """Square count table: rows are sources (no ``(end)``), columns targets (no ``(start)``)."""
        return self._pivot("count").astype("int64")

    def probabilities(self) -> pd.DataFrame:
        """Row probabilities, same shape as :meth:`counts`; each non-empty row sums to 1."""
        return self._pivot("probability")

    def _pivot(self, field: str) -> pd.DataFrame:
        sources = [s for s in self.states if s != END]
        targets = [s for s in self.states if s != START]
        table = pd.DataFrame(0.0, index=pd.Index(sources, name="from"), columns=targets)
        for t in self.transitions:
            table.loc[t.source, t.target] = getattr(t, field)
        return table

    def to_frame(self) -> pd.DataFrame:
        """One row per observed transition: source, target, count, probability."""
        return pd.DataFrame(
            [vars(t) for t in self.transitions],
            columns=["source", "target", "count", "probability"],
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "by": self.by,
            "per": self.per,
            "collapse_repeats": self.collapse_repeats,
            "states": list(self.states),
            "transitions": [vars(t) for t in self.transitions],
        }

    def figure(self) -> go.Figure:
        """Heatmap of row probabilities, counts on hover."""
        probabilities = self.probabilities()
        counts = self.counts()
        fig = go.Figure(
            go.Heatmap(
                z=probabilities.to_numpy(),
                x=list(probabilities.columns),
                y=list(probabilities.index),
                customdata=counts.to_numpy(),
                colorscale="Blues",
                zmin=0,
                zmax=1,
                hovertemplate="%{y} → %{x}<br>%{z:.1%} (%{customdata})<extra></extra>",
            )
        )
        fig.update_layout(
            title={"text": f"Transitions between {self.by} values (per {self.per})", "y": 0.98},
            xaxis={"title": "to", "side": "top", "type": "category", "dtick": 1},
            yaxis={"title": "from", "autorange": "reversed", "type": "category", "dtick": 1},
            height=max(400, 26 * len(probabilities) + 260),
            margin={"t": 220},
        )
        return fig


def transition_matrix(
    events: Events | ibis.Table,
    *,
    by: StepColumn = "touchpoint",
    per: PathUnit = "customer",
    collapse_repeats: bool = False,
) -> TransitionMatrix:
    """Count every move between consecutive steps of each path, plus ``(start) -> first step``
    and ``last step -> (end)``; probabilities are per source row.

    Repeats (``a -> a``) are kept unless ``collapse_repeats``.
    """
    counts = path_counts(events, by=by, per=per, collapse_repeats=collapse_repeats)
    paths = counts.table
    # each distinct path once, weighted by its count: one row per step and one for the end
    start, end = ibis.literal(START_CODE, type="int64"), ibis.literal(END_CODE, type="int64")
    chain = paths.path.concat(ibis.array([end]))
    steps = paths.mutate(target=chain).unnest("target", offset="i")
    source = ibis.ifelse(steps.i == 0, start, steps.path[ibis.greatest(steps.i - 1, 0)])
    moves = steps.select(source=source, target=steps.target, count=steps["count"])
    counted = moves.group_by(["source", "target"]).agg(count=moves["count"].sum()).execute()
    pairs = [
        (counts.label(int(r["source"])), counts.label(int(r["target"])), int(r["count"]))
        for r in counted.to_dict("records")
    ]
    out: dict[str, int] = {}
    for source_label, _, count in pairs:
        out[source_label] = out.get(source_label, 0) + count
    transitions = tuple(
        sorted(
            (
                Transition(source=a, target=b, count=count, probability=count / out[a])
                for a, b, count in pairs
            ),
            key=lambda t: (_state_key(t.source), _state_key(t.target)),
        )
    )
    steps = sorted({t.source for t in transitions} | {t.target for t in transitions})
    middle = [s for s in steps if s not in (START, END)]
    states = (START, *middle, END) if transitions else ()
    return TransitionMatrix(
        by=by, per=per, collapse_repeats=collapse_repeats, states=states, transitions=transitions
    )


def _state_key(state: str) -> tuple[int, str]:
    """(start) first, then steps alphabetically, (end) last."""
    return (0 if state == START else 2 if state == END else 1, state)
