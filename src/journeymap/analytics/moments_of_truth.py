"""Moments of truth: which touchpoints (or stages) go with higher or lower conversion, and turning
points: where the most customers decide to leave or to continue.

A customer *converts* when they have a conversion event (``event`` in ``conversion``; by default
any event with ``revenue > 0``). A customer *reached* a step when they have an event at it before
their first conversion (any time, for customers who never convert); conversion events themselves
do not count as reaching a step, so the conversion step is never its own moment of truth.

For each step, with ``p1`` the conversion of customers who reached it (``n1`` customers) and ``p0``
of those who did not (``n0``):

* ``lift = p1 - p0`` (difference of proportions), with the 95 % Wald interval
  ``lift ± 1.96 sqrt(p1 (1 - p1) / n1 + p0 (1 - p0) / n0)``;
* ``ratio = p1 / p0`` (relative lift, None when ``p0 = 0``);
* the two-proportion z-test with pooled ``p``: ``z = lift / sqrt(p (1 - p) (1/n1 + 1/n0))``,
  two-sided ``p_value = erfc(|z| / sqrt 2)``;
* the odds ratio with the Haldane-Anscombe correction (0.5 added to every cell of the 2x2 table),
  as in PostHog's correlation analysis, used to rank steps that raise or lower conversion.

A step is *supported* when both ``n1`` and ``n0`` are at least ``min_support``; only supported
steps are ranked.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd
import plotly.graph_objects as go

from journeymap.analytics.sequences import StepColumn, step_rows
from journeymap.data.events import Events, EventsError, as_table

Z_95 = 1.959963984540054
DEFAULT_MIN_SUPPORT = 30


def conversion_flag(table: ibis.Table, conversion: Sequence[str] | None) -> ir.BooleanValue:
    """True on conversion events: ``event`` in ``conversion``, else ``revenue > 0``."""
    if conversion is not None:
        names = list(conversion)
        if not names:
            raise ValueError("conversion must name at least one event")
        return table.event.cast("string").isin(names)
    if "revenue" not in table.columns:
        raise EventsError(
            "the events have no 'revenue' column: name the conversion event(s) instead"
        )
    return table.revenue.notnull() & (table.revenue > 0)


@dataclass(frozen=True)
class CustomerOutcomes:
    """Every customer's first conversion, computed once and shared by the insight functions."""

    customers: int  # customers (non-null customer_id)
    converted: int  # of them, customers with a conversion event
    table: ibis.Table  # customer_id, converted_at (first conversion; null: never converts)

    @property
    def converters(self) -> ibis.Table:
        """One row per converting customer: ``customer_id`` and ``converted_at``."""
        return self.table.filter(self.table.converted_at.notnull())


def customer_outcomes(table: ibis.Table, conversion: Sequence[str] | None) -> CustomerOutcomes:
    """One pass over the events: each customer's first conversion, cached in the engine, and
    the numbers of customers and of converted customers."""
    rows = table.filter(table.customer_id.notnull())
    flag = conversion_flag(rows, conversion)
    per_customer = rows.group_by("customer_id").agg(converted_at=rows.timestamp.min(where=flag))
    per_customer = per_customer.cache()
    counts = per_customer.aggregate(
        customers=per_customer.count(), converted=per_customer.converted_at.count()
    ).to_pyarrow()
    return CustomerOutcomes(
        customers=int(counts["customers"][0].as_py() or 0),
        converted=int(counts["converted"][0].as_py() or 0),
        table=per_customer,
    )


def reach_rows(
    events: Events | ibis.Table,
    *,
    by: str,
    conversion: Sequence[str] | None,
    outcomes: CustomerOutcomes | None = None,
) -> ibis.Table:
    """Step rows (``customer_id``, ``timestamp``, ``event``, ``step``) before each customer's
    first conversion, with ``converted_at`` (null for customers who never convert); conversion
    events are left out."""
    table = as_table(events)
    rows = step_rows(table.filter(~conversion_flag(table, conversion)), by=by, per="customer")
    converted = (outcomes or customer_outcomes(table, conversion)).converters
    joined = rows.left_join(converted, "customer_id").select(
        rows.customer_id, rows.timestamp, rows.event, rows.step, converted.converted_at
    )
    return joined.filter(joined.converted_at.isnull() | (joined.timestamp <= joined.converted_at))


def reach_counts(rows: ibis.Table) -> ibis.Table:
    """Per step of :func:`reach_rows`: customers who reached it (``reached``) and how many of
    them converted (``reached_converted``), counted over distinct (step, customer) pairs."""
    pairs = rows.select("step", "customer_id", converted=rows.converted_at.notnull()).distinct()
    return pairs.group_by("step").agg(
        reached=pairs.count(), reached_converted=pairs.converted.cast("int64").sum()
    )


@dataclass(frozen=True)
class MomentOfTruth:
    """Conversion of customers who reached a step against those who did not."""

    step: str
    reached: int
    reached_converted: int
    not_reached: int
    not_reached_converted: int
    conversion_reached: float | None
    conversion_not_reached: float | None
    lift: float | None  # difference of proportions
    lift_low: float | None  # 95 % Wald interval on the difference
    lift_high: float | None
    ratio: float | None  # relative lift p1 / p0
    odds_ratio: float  # Haldane-Anscombe corrected
    z: float | None
    p_value: float | None
    supported: bool

    @property
    def significant(self) -> bool:
        """True when supported and the z-test's p-value is below 0.05."""
        return self.supported and self.p_value is not None and self.p_value < 0.05


@dataclass(frozen=True)
class MomentsOfTruthResult:
    """Every step with its conversion comparison; ``moments`` is ordered by odds ratio,
    highest first, supported steps before unsupported ones."""

    by: str
    customers: int
    converted: int
    min_support: int
    moments: tuple[MomentOfTruth, ...]

    @property
    def conversion(self) -> float | None:
        """Conversion of all customers."""
        return self.converted / self.customers if self.customers else None

    def raising(self, top: int = 10) -> tuple[MomentOfTruth, ...]:
        """Supported steps with a significant positive lift, strongest first."""
        hits = [m for m in self.moments if m.significant and (m.lift or 0) > 0]
        return tuple(hits[:top])

    def lowering(self, top: int = 10) -> tuple[MomentOfTruth, ...]:
        """Supported steps with a significant negative lift, strongest first."""
        hits = [m for m in self.moments if m.significant and (m.lift or 0) < 0]
        return tuple(sorted(hits, key=lambda m: m.odds_ratio)[:top])

    def to_frame(self) -> pd.DataFrame:
        """One row per step with every figure."""
        rows = [{**asdict(m), "significant": m.significant} for m in self.moments]
        columns = [*MomentOfTruth.__dataclass_fields__, "significant"]
        return pd.DataFrame(rows, columns=columns)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "by": self.by,
            "customers": self.customers,
            "converted": self.converted,
            "min_support": self.min_support,
            "moments": [{**asdict(m), "significant": m.significant} for m in self.moments],
        }

    def figure(self) -> go.Figure:
        """Lift with its 95 % interval per supported step (percentage points)."""
        shown = [m for m in self.moments if m.supported and m.lift is not None][::-1]
        fig = go.Figure(
            go.Scatter(
                x=[100 * (m.lift or 0) for m in shown],
                y=[m.step for m in shown],
                mode="markers",
                error_x={
                    "type": "data",
                    "symmetric": False,
                    "array": [100 * ((m.lift_high or 0) - (m.lift or 0)) for m in shown],
                    "arrayminus": [100 * ((m.lift or 0) - (m.lift_low or 0)) for m in shown],
                },
            )
        )
        fig.update_layout(
            title=f"Moments of truth by {self.by}",
            xaxis={"title": "conversion lift (percentage points)", "zeroline": True},
            yaxis={"automargin": True},
        )
        return fig


def compare(step: str, n1: int, c1: int, n0: int, c0: int, min_support: int) -> MomentOfTruth:
    """The 2x2 comparison of ``c1`` of ``n1`` reached against ``c0`` of ``n0`` not reached."""
    p1 = c1 / n1 if n1 else None
    p0 = c0 / n0 if n0 else None
    lift = low = high = z = p_value = ratio = None
    if p1 is not None and p0 is not None:
        lift = p1 - p0
        se = math.sqrt(p1 * (1 - p1) / n1 + p0 * (1 - p0) / n0)
        low, high = lift - Z_95 * se, lift + Z_95 * se
        pooled = (c1 + c0) / (n1 + n0)
        se0 = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n0))
        if se0 > 0:
            z = lift / se0
            p_value = math.erfc(abs(z) / math.sqrt(2))
        ratio = p1 / p0 if p0 > 0 else None
    odds = ((c1 + 0.5) * (n0 - c0 + 0.5)) / ((n1 - c1 + 0.5) * (c0 + 0.5))
    return MomentOfTruth(
        step=step,
        reached=n1,
        reached_converted=c1,
        not_reached=n0,
        not_reached_converted=c0,
        conversion_reached=p1,
        conversion_not_reached=p0,
        lift=lift,
        lift_low=low,
        lift_high=high,
        ratio=ratio,
        odds_ratio=odds,
        z=z,
        p_value=p_value,
        supported=n1 >= min_support and n0 >= min_support,
    )


def moments_of_truth(
    events: Events | ibis.Table,
    *,
    by: StepColumn = "touchpoint",
    conversion: Sequence[str] | None = None,
    min_support: int = DEFAULT_MIN_SUPPORT,
    outcomes: CustomerOutcomes | None = None,
) -> MomentsOfTruthResult:
    """Conversion of customers who reached each step (``by`` column) before converting against
    those who did not, with lift, its 95 % interval, a z-test and the odds ratio. ``outcomes``
    (from :func:`customer_outcomes` of the same events) saves computing them again."""
    if min_support < 1:
        raise ValueError(f"min_support must be at least 1, not {min_support}")
    table = as_table(events)
    outcomes = outcomes or customer_outcomes(table, conversion)
    customers, converted = outcomes.customers, outcomes.converted
    rows = reach_rows(table, by=by, conversion=conversion, outcomes=outcomes)
    per_step = reach_counts(rows).to_pyarrow().to_pylist()
    moments = [
        compare(
            str(r["step"]),
            int(r["reached"]),
            int(r["reached_converted"]),
            customers - int(r["reached"]),
            converted - int(r["reached_converted"]),
            min_support,
        )
        for r in per_step
    ]
    moments.sort(key=lambda m: (not m.supported, -m.odds_ratio, m.step))
    return MomentsOfTruthResult(
        by=by,
        customers=customers,
        converted=converted,
        min_support=min_support,
        moments=tuple(moments),
    )


@dataclass(frozen=True)
class TurningPoint:
    """A step where customers decide: ``left`` of the ``reached`` customers ended their journey
    there without converting, the others went on (or converted)."""

    step: str
    reached: int
    left: int
    continued: int
    exit_probability: float

    @property
    def decisions(self) -> int:
        """Exit probability x volume: the customers who decided to leave here (= ``left``)."""
        return self.left


@dataclass(frozen=True)
class TurningPointsResult:
    """Steps ordered by customers leaving there (exit probability x volume), most first."""

    by: str
    customers: int
    points: tuple[TurningPoint, ...]

    def to_frame(self) -> pd.DataFrame:
        """One row per step."""
        columns = ["step", "reached", "left", "continued", "exit_probability"]
        return pd.DataFrame([asdict(p) for p in self.points], columns=columns)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "by": self.by,
            "customers": self.customers,
            "points": [asdict(p) for p in self.points],
        }

    def figure(self) -> go.Figure:
        """Stacked bars: customers who left and who continued at each step."""
        fig = go.Figure()
        fig.add_bar(
            name="continued", x=[p.step for p in self.points], y=[p.continued for p in self.points]
        )
        fig.add_bar(name="left", x=[p.step for p in self.points], y=[p.left for p in self.points])
        fig.update_layout(
            title=f"Turning points by {self.by}", barmode="stack", yaxis={"title": "customers"}
        )
        return fig


def turning_points(
    events: Events | ibis.Table,
    *,
    by: StepColumn = "stage",
    conversion: Sequence[str] | None = None,
    outcomes: CustomerOutcomes | None = None,
) -> TurningPointsResult:
    """Where customers leave: per step, the customers who reached it before converting and those
    of them, never converting, whose last step it was; ranked by exit probability x volume.
    ``outcomes`` as in :func:`moments_of_truth`."""
    table = as_table(events)
    outcomes = outcomes or customer_outcomes(table, conversion)
    rows = reach_rows(table, by=by, conversion=conversion, outcomes=outcomes)
    # The last step of each customer who never converts: the row latest by time, then by event
    # and step name (one aggregate, no window).
    never = rows.filter(rows.converted_at.isnull())
    last_key = ibis.struct({"timestamp": never.timestamp, "event": never.event, "step": never.step})
    last = never.group_by("customer_id").agg(step=never.step.argmax(last_key))
    left = last.group_by("step").agg(left=last.count())
    reached = reach_counts(rows)
    joined = reached.left_join(left, "step").select(reached.step, reached.reached, left.left)
    points = []
    for r in joined.to_pyarrow().to_pylist():
        n, gone = int(r["reached"]), int(r["left"] or 0)
        points.append(
            TurningPoint(
                step=str(r["step"]),
                reached=n,
                left=gone,
                continued=n - gone,
                exit_probability=gone / n if n else 0.0,
            )
        )
    points.sort(key=lambda p: (-p.left, -p.reached, p.step))
    return TurningPointsResult(by=by, customers=outcomes.customers, points=tuple(points))
