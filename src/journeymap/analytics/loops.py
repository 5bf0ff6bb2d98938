"""Loops in paths: repeats (a step right after itself) and backtracks (A -> B -> A)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import ibis
import pandas as pd
import plotly.graph_objects as go

from journeymap.analytics.sequences import ARROW, PathUnit, StepColumn, group_keys, step_rows
from journeymap.data.events import Events

LoopKind = Literal["repeat", "backtrack"]


@dataclass(frozen=True)
class Loop:
    """One loop pattern, how often it happens and how many customers it affects."""

    kind: LoopKind
    steps: tuple[str, ...]  # (A, A) for a repeat, (A, B, A) for a backtrack
    occurrences: int
    customers: int
    share: float  # of all customers with at least one step

    @property
    def label(self) -> str:
        """The steps joined by arrows."""
        return ARROW.join(self.steps)


@dataclass(frozen=True)
class LoopsResult:
    """Every repeat and backtrack pattern, most customers affected first."""

    by: str
    per: str
    total_customers: int
    customers_with_loops: int
    loops: tuple[Loop, ...]

    def to_frame(self) -> pd.DataFrame:
        """One row per pattern: kind, loop, steps, occurrences, customers, share."""
        return pd.DataFrame(
            [
                {
                    "kind": loop.kind,
                    "loop": loop.label,
                    "steps": list(loop.steps),
                    "occurrences": loop.occurrences,
                    "customers": loop.customers,
                    "share": loop.share,
                }
                for loop in self.loops
            ],
            columns=["kind", "loop", "steps", "occurrences", "customers", "share"],
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "by": self.by,
            "per": self.per,
            "total_customers": self.total_customers,
            "customers_with_loops": self.customers_with_loops,
            "loops": [
                {
                    "kind": loop.kind,
                    "steps": list(loop.steps),
                    "occurrences": loop.occurrences,
                    "customers": loop.customers,
                    "share": loop.share,
                }
                for loop in self.loops
            ],
        }

    def figure(self, top: int = 20) -> go.Figure:
        """Horizontal bars: customers affected by the ``top`` loop patterns."""
        shown = self.loops[:top][::-1]
        fig = go.Figure(
            go.Bar(
                x=[loop.customers for loop in shown],
                y=[f"{loop.kind}: {loop.label}" for loop in shown],
                orientation="h",
                hovertemplate="%{y}<br>%{x} customers<extra></extra>",
            )
        )
        fig.update_layout(
            title=f"Loops by {self.by}",
            xaxis={"title": "customers affected"},
            yaxis={"automargin": True},
        )
        return fig


def loops(
    events: Events | ibis.Table,
    *,
    by: StepColumn = "touchpoint",
    per: PathUnit = "customer",
) -> LoopsResult:
    """Find repeats (``A -> A`` in the raw path) and backtracks (``A -> B -> A`` once repeats
    are collapsed) in each customer's (or session's) path.

    ``occurrences`` counts every place a pattern happens; ``customers`` counts distinct customers
    (also when ``per="session"``).
    """
    keys = group_keys(per)
    rows = step_rows(events, by=by, per=per)
    # One sort gives each step its predecessor and its position; the collapsed path (a
    # subsequence of the raw one) is then ordered by that integer position alone.
    window = ibis.window(group_by=keys, order_by=[rows.timestamp, rows.event, rows.step])
    raw = rows.mutate(prev=rows.step.lag().over(window), pos=ibis.row_number().over(window))
    raw = raw.select(*keys, "step", "prev", "pos")
    repeats = raw.filter(raw.prev == raw.step).select(
        "customer_id", kind=ibis.literal("repeat"), a="step", b="step"
    )
    moves = raw.filter(raw.prev.isnull() | (raw.prev != raw.step))
    by_pos = ibis.window(group_by=keys, order_by=moves.pos)
    moves = moves.mutate(two_before=moves.step.lag(2).over(by_pos))
    backtracks = moves.filter(moves.two_before == moves.step).select(
        "customer_id", kind=ibis.literal("backtrack"), a="step", b="prev"
    )
    found = repeats.union(backtracks, distinct=False).cache()
    patterns = found.group_by(["kind", "a", "b"]).agg(
        occurrences=ibis._.count(), customers=ibis._.customer_id.nunique()
    )
    totals = (
        rows.aggregate(total=rows.customer_id.nunique())
        .cross_join(found.aggregate(affected=found.customer_id.nunique()))
        .execute()
        .iloc[0]
    )
    total = int(totals["total"])
    rows_found = patterns.execute().to_dict("records")
    found_loops = [
        Loop(
            kind=r["kind"],
            steps=(r["a"], r["a"]) if r["kind"] == "repeat" else (r["a"], r["b"], r["a"]),
            occurrences=int(r["occurrences"]),
            customers=int(r["customers"]),
            share=int(r["customers"]) / total,
        )
        for r in rows_found
    ]
    found_loops.sort(key=lambda lp: (-lp.customers, -lp.occurrences, lp.kind, lp.steps))
    return LoopsResult(
        by=by,
        per=per,
        total_customers=total,
        customers_with_loops=int(totals["affected"]),
        loops=tuple(found_loops),
    )
