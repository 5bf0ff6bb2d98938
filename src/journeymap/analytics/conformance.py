"""Designed journey vs actual journey: do customers move through the stages in the map's order?

Each customer's path is their sequence of map stages (events whose stage is not on the map are
left out and counted apart), with consecutive repeats collapsed. Every move between two stages at
positions ``i -> j`` of the designed order is:

* *in order* when ``j = i + 1``;
* a *skip* when ``j > i + 1`` (the stages ``i+1 .. j-1`` are skipped);
* a *backtrack* when ``j < i``.

A customer *follows the map* when every move is in order (a customer may start and stop at any
stage). ``in_order_share`` counts customers without backtracks (skips allowed).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import ibis
import pandas as pd
import plotly.graph_objects as go

from journeymap.analytics.sequences import ARROW, step_rows
from journeymap.data.events import Events, EventsError, as_table


@dataclass(frozen=True)
class Deviation:
    """A move that leaves the designed order: a skip or a backtrack."""

    kind: str  # "skip" or "backtrack"
    from_stage: str
    to_stage: str
    customers: int
    occurrences: int

    @property
    def label(self) -> str:
        """``from → to``."""
        return f"{self.from_stage}{ARROW}{self.to_stage}"


@dataclass(frozen=True)
class SegmentConformance:
    """Conformance of the customers of one segment value."""

    segment: str
    customers: int
    following: int
    share: float


@dataclass(frozen=True)
class ConformanceResult:
    """How closely customers follow the map's stage order."""

    stage_order: tuple[str, ...]
    customers: int  # customers with at least one map stage
    following: int
    in_order: int  # no backtrack
    skipped: dict[str, int]  # stage -> customers who jumped over it
    backtracking: int
    deviations: tuple[Deviation, ...]  # most customers first
    off_map_stages: dict[str, int]  # stage values not on the map -> customers
    segment_column: str | None
    segments: tuple[SegmentConformance, ...]

    @property
    def share_following(self) -> float | None:
        """Share of customers whose stage order follows the map."""
        return self.following / self.customers if self.customers else None

    @property
    def in_order_share(self) -> float | None:
        """Share of customers who never go back to an earlier stage."""
        return self.in_order / self.customers if self.customers else None

    def to_frame(self) -> pd.DataFrame:
        """One row per deviation: kind, from, to, customers, occurrences, share of customers."""
        rows = [
            {**asdict(d), "share": d.customers / self.customers if self.customers else None}
            for d in self.deviations
        ]
        columns = ["kind", "from_stage", "to_stage", "customers", "occurrences", "share"]
        return pd.DataFrame(rows, columns=columns)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "stage_order": list(self.stage_order),
            "customers": self.customers,
            "following": self.following,
            "share_following": self.share_following,
            "in_order": self.in_order,
            "in_order_share": self.in_order_share,
            "skipped": dict(self.skipped),
            "backtracking": self.backtracking,
            "deviations": [asdict(d) for d in self.deviations],
            "off_map_stages": dict(self.off_map_stages),
            "segment_column": self.segment_column,
            "segments": [asdict(s) for s in self.segments],
        }

    def figure(self, top: int = 15) -> go.Figure:
        """Horizontal bars: customers per deviation, the most common first."""
        shown = self.deviations[:top][::-1]
        fig = go.Figure(
            go.Bar(
                x=[d.customers for d in shown],
                y=[f"{d.kind}: {d.label}" for d in shown],
                orientation="h",
            )
        )
        share = self.share_following
        title = "Deviations from the designed journey"
        if share is not None:
            title += f" ({100 * share:.0f}% follow the map)"
        fig.update_layout(title=title, xaxis={"title": "customers"}, yaxis={"automargin": True})
        return fig


def conformance(
    events: Events | ibis.Table,
    stage_order: Sequence[str],
    *,
    segment: str | None = None,
) -> ConformanceResult:
    """Compare each customer's stage sequence with ``stage_order`` (the map's stages); with
    ``segment`` (an events column) also the share following the map per segment value."""
    table = as_table(events)
    order = list(stage_order)
    if not order:
        raise ValueError("stage_order is empty: the map has no stages")
    if len(set(order)) != len(order):
        raise ValueError(f"stage_order names a stage twice: {order}")
    if "stage" not in table.columns:
        raise EventsError("the events have no 'stage' column (needed for conformance)")
    if segment is not None and segment not in table.columns:
        raise EventsError(f"the events have no {segment!r} column (the segment column)")
    stage = table.stage.cast("string")
    on_map = stage.isin(order)
    off = table.filter(stage.notnull() & (stage != "") & ~on_map & table.customer_id.notnull())
    off_counts = off.group_by(off.stage.cast("string").name("stage")).agg(
        customers=off.customer_id.nunique()
    )
    off_map = {str(r["stage"]): int(r["customers"]) for r in off_counts.to_pyarrow().to_pylist()}

    rows = step_rows(table.filter(on_map), by="stage", per="customer")
    rows = rows.mutate(idx=rows.step.cases(*[(s, i) for i, s in enumerate(order)]))
    # The stage before a change of stage in the raw path is the one before it once repeats are
    # collapsed, so one lag over the raw order gives every move of the collapsed path.
    window = ibis.window(group_by="customer_id", order_by=[rows.timestamp, rows.event, rows.step])
    raw = rows.mutate(prev=rows.idx.lag().over(window))
    # Only each customer's first stage (prev is null) and the skips and backtracks are kept:
    # in-order moves count for nothing, and the first rows count the customers.
    raw = raw.select("customer_id", "idx", "prev")
    kept = (raw.prev.notnull() & (raw.idx > raw.prev + 1)) | (raw.idx < raw.prev)
    moves = raw.filter(raw.prev.isnull() | kept).cache()
    skip = moves.prev.notnull() & (moves.idx > moves.prev + 1)
    back = moves.prev.notnull() & (moves.idx < moves.prev)
    per_customer = moves.group_by("customer_id").agg(
        skips=skip.cast("int64").sum(), backs=back.cast("int64").sum()
    )
    skipped_exprs = {
        f"s{k}": moves.customer_id.nunique(where=skip & (moves.prev < k) & (moves.idx > k))
        for k in range(1, len(order) - 1)
    }
    totals = per_customer.aggregate(
        customers=per_customer.count(),
        following=((per_customer.skips == 0) & (per_customer.backs == 0)).cast("int64").sum(),
        in_order=(per_customer.backs == 0).cast("int64").sum(),
        backtracking=(per_customer.backs > 0).cast("int64").sum(),
    ).to_pyarrow()
    skipped_row = (
        moves.aggregate(**skipped_exprs).to_pyarrow().to_pylist()[0] if skipped_exprs else {}
    )
    deviating = moves.filter(skip | back)
    dev_rows = (
        deviating.group_by(["prev", "idx"])
        .agg(customers=deviating.customer_id.nunique(), occurrences=deviating.count())
        .to_pyarrow()
        .to_pylist()
    )
    deviations = sorted(
        (
            Deviation(
                kind="skip" if r["idx"] > r["prev"] else "backtrack",
                from_stage=order[int(r["prev"])],
                to_stage=order[int(r["idx"])],
                customers=int(r["customers"]),
                occurrences=int(r["occurrences"]),
            )
            for r in dev_rows
        ),
        key=lambda d: (-d.customers, d.kind, d.from_stage, d.to_stage),
    )
    segments: tuple[SegmentConformance, ...] = ()
    if segment is not None:
        segments = _segments(table, per_customer, segment)

    def total(name: str) -> int:
        return int(totals[name][0].as_py() or 0)

    return ConformanceResult(
        stage_order=tuple(order),
        customers=total("customers"),
        following=total("following"),
        in_order=total("in_order"),
        skipped={
            order[k]: int(skipped_row.get(f"s{k}") or 0)
            for k in range(1, len(order) - 1)
            if skipped_row.get(f"s{k}")
        },
        backtracking=total("backtracking"),
        deviations=tuple(deviations),
        off_map_stages=off_map,
        segment_column=segment,
        segments=segments,
    )


def _segments(
    table: ibis.Table, per_customer: ibis.Table, segment: str
) -> tuple[SegmentConformance, ...]:
    """Per segment value (a customer's largest non-null value of the column)."""
    rows = table.filter(table[segment].notnull() & table.customer_id.notnull())
    labels = rows.group_by("customer_id").agg(segment=rows[segment].cast("string").max())
    joined = per_customer.left_join(labels, "customer_id").select(
        per_customer.skips,
        per_customer.backs,
        segment=labels.segment.fill_null("(none)"),
    )
    counts = (
        joined.group_by("segment")
        .agg(
            customers=joined.count(),
            following=((joined.skips == 0) & (joined.backs == 0)).cast("int64").sum(),
        )
        .to_pyarrow()
        .to_pylist()
    )
    return tuple(
        sorted(
            (
                SegmentConformance(
                    segment=str(r["segment"]),
                    customers=int(r["customers"]),
                    following=int(r["following"] or 0),
                    share=int(r["following"] or 0) / int(r["customers"]),
                )
                for r in counts
            ),
            key=lambda s: (-s.customers, s.segment),
        )
    )
