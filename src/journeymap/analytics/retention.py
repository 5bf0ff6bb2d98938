"""Retention and repurchase: cohorts by the period of each customer's first start event.

A customer's cohort is the period (day, week starting Monday, or month, in UTC) of their first
``start_event``. They *return* in period k (0 = the cohort's own period) when they have a
``return_event`` in it that comes after that first start event in event order (timestamp, then
event name; the first start event itself never counts as a return). Periods that lie after the
last event in the data are not observed yet: their counts and rates are None.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

import ibis
import pandas as pd
import plotly.graph_objects as go

from journeymap.analytics.durations import millis_between
from journeymap.data.events import Events, as_table

Period = Literal["day", "week", "month"]
PERIODS: tuple[str, ...] = ("day", "week", "month")
_TRUNCATE = {"day": "D", "week": "W", "month": "M"}
_SECONDS = {"day": 86_400, "week": 7 * 86_400}


@dataclass(frozen=True)
class Cohort:
    """Customers whose first start event fell in ``start`` and how many returned per period."""

    start: date
    size: int
    returned: tuple[int | None, ...]  # index k = period k; None = not observed yet

    @property
    def rates(self) -> tuple[float | None, ...]:
        """``returned / size`` per period."""
        return tuple(None if n is None else n / self.size for n in self.returned)


@dataclass(frozen=True)
class RetentionResult:
    """A cohort table: one row per cohort, one column per period since the cohort's start."""

    start_event: str
    return_event: str
    period: str
    periods: int
    cohorts: tuple[Cohort, ...]

    def to_frame(self) -> pd.DataFrame:
        """One row per cohort: ``cohort``, ``size``, then ``returned_k`` and ``rate_k`` for each
        period k = 0..periods."""
        rows = []
        for c in self.cohorts:
            row: dict[str, Any] = {"cohort": c.start, "size": c.size}
            row |= {f"returned_{k}": n for k, n in enumerate(c.returned)}
            row |= {f"rate_{k}": r for k, r in enumerate(c.rates)}
            rows.append(row)
        ks = range(self.periods + 1)
        columns = ["cohort", "size", *(f"returned_{k}" for k in ks), *(f"rate_{k}" for k in ks)]
        return pd.DataFrame(rows, columns=columns)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (cohort starts as ISO dates)."""
        return {
            "start_event": self.start_event,
            "return_event": self.return_event,
            "period": self.period,
            "periods": self.periods,
            "cohorts": [
                {
                    "cohort": c.start.isoformat(),
                    "size": c.size,
                    "returned": list(c.returned),
                    "rates": list(c.rates),
                }
                for c in self.cohorts
            ],
        }

    def figure(self) -> go.Figure:
        """Heatmap of return rates: cohorts down, periods since start across."""
        fig = go.Figure(
            go.Heatmap(
                z=[list(c.rates) for c in self.cohorts],
                x=[f"{self.period} {k}" for k in range(self.periods + 1)],
                y=[f"{c.start.isoformat()} (n={c.size})" for c in self.cohorts],
                customdata=[list(c.returned) for c in self.cohorts],
                colorscale="Greens",
                zmin=0,
                zmax=1,
                hovertemplate="%{y}, %{x}: %{z:.1%} (%{customdata})<extra></extra>",
            )
        )
        fig.update_layout(
            title=f"Return to {self.return_event} after first {self.start_event}, by {self.period}",
            xaxis={"side": "top"},
            yaxis={"autorange": "reversed", "automargin": True},
        )
        return fig


def retention(
    events: Events | ibis.Table,
    *,
    start_event: str = "purchase",
    return_event: str | None = None,
    period: Period = "week",
    periods: int = 8,
) -> RetentionResult:
    """Cohorts by the period of each customer's first ``start_event``; customers returning with
    ``return_event`` (default: the start event, i.e. repurchase) in periods 0..``periods``."""
    if period not in PERIODS:
        raise ValueError(f"period must be one of {', '.join(PERIODS)}, not {period!r}")
    if periods < 0:
        raise ValueError(f"periods must be 0 or more, not {periods}")
    returning = start_event if return_event is None else return_event
    table = as_table(events)
    last_seen = table.aggregate(last=table.timestamp.max())
    rows = table.filter(table.event.isin([start_event, returning])).select(
        "customer_id", "timestamp", "event"
    )
    rows = rows.mutate(
        rank=ibis.row_number().over(
            ibis.window(group_by=rows.customer_id, order_by=[rows.timestamp, rows.event])
        )
    )
    starts = rows.filter(rows.event == start_event)
    firsts = starts.group_by("customer_id").agg(
        first_rank=starts["rank"].min(), cohort=_truncate(starts.timestamp.min(), period)
    )
    sizes = firsts.group_by("cohort").agg(size=firsts.count()).cross_join(last_seen)
    sizes = sizes.mutate(
        observed=_periods_between(sizes.cohort, _truncate(sizes["last"], period), period)
    )
    returns = rows.filter(rows.event == returning).join(firsts, "customer_id")
    returns = returns.filter(returns["rank"] > returns.first_rank)
    returns = returns.mutate(
        k=_periods_between(returns.cohort, _truncate(returns.timestamp, period), period)
    )
    returns = returns.filter(returns.k <= periods)
    returned = returns.group_by(["cohort", "k"]).agg(customers=returns.customer_id.nunique())
    found: dict[tuple[date, int], int] = {
        (_as_date(r["cohort"]), int(r["k"])): int(r["customers"])
        for r in returned.execute().to_dict("records")
    }
    cohorts = []
    for r in sizes.order_by("cohort").execute().to_dict("records"):
        start = _as_date(r["cohort"])
        cohorts.append(
            Cohort(
                start=start,
                size=int(r["size"]),
                returned=tuple(
                    found.get((start, k), 0) if k <= r["observed"] else None
                    for k in range(periods + 1)
                ),
            )
        )
    return RetentionResult(
        start_event=start_event,
        return_event=returning,
        period=period,
        periods=periods,
        cohorts=tuple(cohorts),
    )


def _truncate(ts: ibis.TimestampValue, period: str) -> ibis.TimestampValue:
    return ts.truncate(_TRUNCATE[period])


def _periods_between(
    start: ibis.TimestampValue, end: ibis.TimestampValue, period: str
) -> ibis.IntegerValue:
    """Whole periods from ``start`` to ``end``, both already truncated to ``period``."""
    if period == "month":
        return (end.year() * 12 + end.month()) - (start.year() * 12 + start.month())
    return millis_between(start, end) // (_SECONDS[period] * 1000)


def _as_date(value: Any) -> date:
    return pd.Timestamp(value).date()
