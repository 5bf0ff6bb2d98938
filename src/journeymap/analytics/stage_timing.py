"""Stage timing: time between consecutive stages and time spent in each stage, as distributions.

Durations are seconds to the millisecond (:mod:`journeymap.analytics.durations`), measured per
customer. Events with equal timestamps are ordered by event name, then by stage (see
:mod:`journeymap.analytics.sequences`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import ibis
import pandas as pd
import plotly.graph_objects as go

from journeymap.analytics.durations import as_seconds, epoch_millis
from journeymap.data.events import Events, EventsError, as_table

STATS: tuple[str, ...] = ("count", "mean", "median", "p25", "p75", "p90")
_QUANTILES = {"median": 0.5, "p25": 0.25, "p75": 0.75, "p90": 0.9}


@dataclass(frozen=True)
class Distribution:
    """Summary of durations in seconds over customers; the statistics are None when count is 0."""

    count: int
    mean: float | None
    median: float | None
    p25: float | None
    p75: float | None
    p90: float | None


@dataclass(frozen=True)
class StageGap:
    """Time from the first entry into ``from_stage`` to the first entry into ``to_stage``.

    Customers who entered ``to_stage`` first are not in the distribution; they are counted in
    ``out_of_order``.
    """

    from_stage: str
    to_stage: str
    duration: Distribution
    out_of_order: int


@dataclass(frozen=True)
class StageDwell:
    """Total time a customer spends in ``stage``: each visit lasts from its first event to the
    first event of the next, different stage; a customer's last visit has no end and is not
    counted."""

    stage: str
    duration: Distribution


@dataclass(frozen=True)
class StageTimingResult:
    """Gaps between consecutive stages and time spent in each stage."""

    stage_order: tuple[str, ...]
    gaps: tuple[StageGap, ...]
    dwell: tuple[StageDwell, ...]

    def to_frame(self) -> pd.DataFrame:
        """One row per gap (``measure="between"``) and per stage (``measure="in"``), seconds."""
        rows: list[dict[str, Any]] = [
            {
                "measure": "between",
                "from_stage": g.from_stage,
                "to_stage": g.to_stage,
                **asdict(g.duration),
                "out_of_order": g.out_of_order,
            }
            for g in self.gaps
        ]
        rows += [
            {
                "measure": "in",
                "from_stage": d.stage,
                "to_stage": None,
                **asdict(d.duration),
                "out_of_order": None,
            }
            for d in self.dwell
        ]
        columns = ["measure", "from_stage", "to_stage", *STATS, "out_of_order"]
        return pd.DataFrame(rows, columns=columns)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (durations in seconds)."""
        return {
            "stage_order": list(self.stage_order),
            "unit": "seconds",
            "between": [
                {
                    "from_stage": g.from_stage,
                    "to_stage": g.to_stage,
                    **asdict(g.duration),
                    "out_of_order": g.out_of_order,
                }
                for g in self.gaps
            ],
            "in_stage": [{"stage": d.stage, **asdict(d.duration)} for d in self.dwell],
        }

    def figure(self) -> go.Figure:
        """Box plots (p25, median, p75, whiskers to p90) in hours, gaps then stays."""
        fig = go.Figure()
        for name, items in (
            ("between stages", [(f"{g.from_stage} → {g.to_stage}", g.duration) for g in self.gaps]),
            ("in stage", [(d.stage, d.duration) for d in self.dwell]),
        ):
            shown = [(label, d) for label, d in items if d.count]
            if not shown:
                continue
            hours = [[_hours(getattr(d, s)) for _, d in shown] for s in ("p25", "median", "p75")]
            fig.add_trace(
                go.Box(
                    name=name,
                    x=[label for label, _ in shown],
                    q1=hours[0],
                    median=hours[1],
                    q3=hours[2],
                    lowerfence=hours[0],
                    upperfence=[_hours(d.p90) for _, d in shown],
                    mean=[_hours(d.mean) for _, d in shown],
                )
            )
        fig.update_layout(
            title="Stage timing", yaxis={"title": "hours"}, boxmode="group", showlegend=True
        )
        return fig


def _hours(seconds: float | None) -> float | None:
    return None if seconds is None else seconds / 3600


def stage_timing(
    events: Events | ibis.Table, stage_order: Sequence[str] | None = None
) -> StageTimingResult:
    """Distributions of the time between consecutive stages and of the time spent in each stage.

    ``stage_order`` names the stages in journey order; by default the stages are ordered by the
    average rank of their first entry over customers (then by name).
    """
    table = as_table(events)
    if "stage" not in table.columns:
        raise EventsError("the events have no 'stage' column (needed for stage timing)")
    rows = table.filter(table.stage.notnull() & (table.stage != "")).select(
        "customer_id", "timestamp", "event", "stage", millis=epoch_millis(table.timestamp)
    )
    order = tuple(stage_order) if stage_order is not None else _observed_order(rows)
    if len(set(order)) != len(order):
        raise ValueError(f"stage_order names a stage twice: {list(order)}")
    return StageTimingResult(stage_order=order, gaps=_gaps(rows, order), dwell=_dwell(rows, order))


def _observed_order(rows: ibis.Table) -> tuple[str, ...]:
    firsts = rows.group_by(["customer_id", "stage"]).agg(first=rows.millis.min())
    ranked = firsts.mutate(
        rank=ibis.row_number().over(
            ibis.window(group_by=firsts.customer_id, order_by=[firsts.first, firsts.stage])
        )
    )
    means = ranked.group_by("stage").agg(mean_rank=ranked["rank"].mean())
    return tuple(str(s) for s in means.order_by(["mean_rank", "stage"]).execute()["stage"])


def _stats(
    values: ibis.NumericColumn, where: ibis.BooleanValue, prefix: str
) -> dict[str, ibis.Scalar]:
    stats: dict[str, ibis.Scalar] = {
        f"{prefix}count": values.count(where=where),
        f"{prefix}mean": values.mean(where=where),
    }
    for name, q in _QUANTILES.items():
        stats[f"{prefix}{name}"] = values.quantile(q, where=where)
    return stats


def _distribution(row: dict[str, Any], prefix: str) -> Distribution:
    count = int(row[f"{prefix}count"])
    values = {s: None if count == 0 else float(row[f"{prefix}{s}"]) for s in STATS[1:]}
    return Distribution(count=count, **values)


def _gaps(rows: ibis.Table, order: tuple[str, ...]) -> tuple[StageGap, ...]:
    if len(order) < 2:
        return ()
    firsts = rows.group_by("customer_id").agg(
        **{f"f{i}": rows.millis.min(where=rows.stage == s) for i, s in enumerate(order)}
    )
    aggregates: dict[str, ibis.Scalar] = {}
    for i in range(len(order) - 1):
        gap = firsts[f"f{i + 1}"] - firsts[f"f{i}"]
        aggregates |= _stats(as_seconds(gap), gap >= 0, f"g{i}_")
        aggregates[f"g{i}_late"] = (gap < 0).sum()
    row = firsts.aggregate(**aggregates).execute().iloc[0].to_dict()
    return tuple(
        StageGap(
            from_stage=order[i],
            to_stage=order[i + 1],
            duration=_distribution(row, f"g{i}_"),
            out_of_order=int(row[f"g{i}_late"] or 0),
        )
        for i in range(len(order) - 1)
    )


def _dwell(rows: ibis.Table, order: tuple[str, ...]) -> tuple[StageDwell, ...]:
    if not order:
        return ()
    by_customer = ibis.window(
        group_by=rows.customer_id, order_by=[rows.timestamp, rows.event, rows.stage]
    )
    rows = rows.mutate(prev=rows.stage.lag().over(by_customer))
    visits = rows.filter(rows.prev.isnull() | (rows.prev != rows.stage))
    next_visit = ibis.window(
        group_by=visits.customer_id, order_by=[visits.timestamp, visits.event, visits.stage]
    )
    visits = visits.mutate(length=visits.millis.lead().over(next_visit) - visits.millis)
    closed = visits.filter(visits.length.notnull() & visits.stage.isin(order))
    per_customer = closed.group_by(["customer_id", "stage"]).agg(total=closed.length.sum())
    aggregates: dict[str, ibis.Scalar] = {}
    for i, stage in enumerate(order):
        aggregates |= _stats(as_seconds(per_customer.total), per_customer.stage == stage, f"d{i}_")
    row = per_customer.aggregate(**aggregates).execute().iloc[0].to_dict()
    return tuple(
        StageDwell(stage=stage, duration=_distribution(row, f"d{i}_"))
        for i, stage in enumerate(order)
    )
