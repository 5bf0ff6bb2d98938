"""Funnel results: per step (and per breakdown value) counts, rates and time to convert."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import ibis.expr.types as ir
import pandas as pd
import plotly.graph_objects as go

from journeymap.analytics.funnels.base import BREAKDOWN, step_millis
from journeymap.analytics.funnels.spec import FunnelSpec

QUANTILES: tuple[tuple[str, float], ...] = (
    ("p25", 0.25),
    ("median", 0.5),
    ("p75", 0.75),
    ("p90", 0.9),
)


@dataclass(frozen=True)
class TimeToConvert:
    """Seconds from the previous step to this one, over the customers who reached this step."""

    median: float | None
    p25: float | None
    p75: float | None
    p90: float | None


@dataclass(frozen=True)
class StepStats:
    """One funnel step.

    ``entered``: customers who reached this step; ``converted``: of those, who reached the next
    one (None for the last step); ``dropped_off``: customers who reached the previous step but
    not this one (0 for step 1), ``drop_off_rate`` that over the previous step's count.
    """

    step: int
    name: str
    value: str
    entered: int
    converted: int | None
    conversion_from_previous: float | None
    conversion_from_first: float | None
    dropped_off: int
    drop_off_rate: float | None
    time_to_convert: TimeToConvert | None


@dataclass(frozen=True)
class BreakdownGroup:
    """The funnel steps of the customers whose counted attempt carries one breakdown value."""

    value: Any
    steps: tuple[StepStats, ...]


@dataclass(frozen=True)
class FunnelResult:
    """A computed funnel: overall steps, and one group per breakdown value when asked."""

    steps: tuple[StepStats, ...]
    by: str
    order: str
    window_seconds: int
    breakdown: str | None = None
    groups: tuple[BreakdownGroup, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        """One row per step (per breakdown value and step when there is a breakdown)."""
        rows = []
        groups = self.groups if self.breakdown else (BreakdownGroup(None, self.steps),)
        for group in groups:
            for step in group.steps:
                row: dict[str, Any] = {}
                if self.breakdown:
                    row[self.breakdown] = group.value
                row.update(_flat(step))
                rows.append(row)
        columns = ([self.breakdown] if self.breakdown else []) + list(_flat_fields())
        return pd.DataFrame(rows, columns=columns)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON: parameters, steps, and breakdown groups."""
        return {
            "by": self.by,
            "order": self.order,
            "window_seconds": self.window_seconds,
            "breakdown": self.breakdown,
            "steps": [asdict(s) for s in self.steps],
            "groups": [
                {"value": _plain(g.value), "steps": [asdict(s) for s in g.steps]}
                for g in self.groups
            ],
        }

    def figure(self) -> go.Figure:
        """A Plotly funnel chart; one trace per breakdown value when there is a breakdown."""
        fig = go.Figure()
        groups = self.groups if self.breakdown else (BreakdownGroup("all customers", self.steps),)
        for group in groups:
            fig.add_trace(
                go.Funnel(
                    name=str(group.value),
                    y=[f"{s.step}. {s.name}" for s in group.steps],
                    x=[s.entered for s in group.steps],
                    textinfo="value+percent initial",
                )
            )
        title = f"Funnel by {self.by}" + (
            f", broken down by {self.breakdown}" if self.breakdown else ""
        )
        fig.update_layout(title=title, showlegend=bool(self.breakdown))
        return fig


def _flat_fields() -> tuple[str, ...]:
    return (
        "step",
        "name",
        "value",
        "entered",
        "converted",
        "conversion_from_previous",
        "conversion_from_first",
        "dropped_off",
        "drop_off_rate",
        *(f"time_to_convert_{label}_s" for label, _ in QUANTILES),
    )


def _flat(step: StepStats) -> dict[str, Any]:
    row = {f: getattr(step, f) for f in _flat_fields()[:9]}
    for label, _ in QUANTILES:
        ttc = step.time_to_convert
        row[f"time_to_convert_{label}_s"] = getattr(ttc, label) if ttc else None
    return row


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def aggregate(outcomes: ir.Table, spec: FunnelSpec) -> FunnelResult:
    """Turn per-customer outcomes (breakdown, level, ms2..msn) into a :class:`FunnelResult`.

    ``ms<k>``, the milliseconds from step ``k - 1`` to step ``k``, is read where ``level >= k``.
    """
    n = len(spec.steps)
    level = outcomes["level"]
    metrics: dict[str, ir.Value] = {}
    for k in range(1, n + 1):
        metrics[f"n{k}"] = (level >= k).cast("int64").sum()
        if k >= 2:
            # one sort for all of a step's quantiles: the engine returns them as a list, in
            # milliseconds (seconds come in Python: no division per customer)
            millis = outcomes[step_millis(k)]
            metrics[f"q{k}"] = millis.quantile([q for _, q in QUANTILES], where=level >= k)
    overall = outcomes.aggregate(**metrics).execute()
    steps = _steps(overall.iloc[0].to_dict() if len(overall) else {}, spec)
    groups: tuple[BreakdownGroup, ...] = ()
    if spec.breakdown:
        rows = outcomes.group_by(BREAKDOWN).aggregate(**metrics).execute().to_dict("records")
        rows.sort(key=lambda r: (-int(r["n1"]), _is_missing(r[BREAKDOWN]), str(r[BREAKDOWN])))
        groups = tuple(
            BreakdownGroup(
                None if _is_missing(r[BREAKDOWN]) else _native(r[BREAKDOWN]), _steps(r, spec)
            )
            for r in rows
        )
    return FunnelResult(
        steps=steps,
        by=spec.column,
        order=spec.order,
        window_seconds=spec.window_seconds,
        breakdown=spec.breakdown,
        groups=groups,
    )


def _steps(row: dict[str, Any], spec: FunnelSpec) -> tuple[StepStats, ...]:
    n = len(spec.steps)
    entered = [_count(row.get(f"n{k}")) for k in range(1, n + 1)]
    out = []
    for k in range(1, n + 1):
        this = entered[k - 1]
        prev = entered[k - 2] if k > 1 else None
        ttc = None
        if k > 1:
            found: Any = row.get(f"q{k}")
            values = [None] * len(QUANTILES) if _is_missing(found) else list(found)
            ttc = TimeToConvert(
                **{label: _seconds(v) for (label, _), v in zip(QUANTILES, values, strict=True)}
            )
        out.append(
            StepStats(
                step=k,
                name=spec.steps[k - 1].name,
                value=spec.steps[k - 1].value,
                entered=this,
                converted=entered[k] if k < n else None,
                conversion_from_previous=_ratio(this, prev) if k > 1 else _ratio(this, this),
                conversion_from_first=_ratio(this, entered[0]),
                dropped_off=(prev - this) if prev is not None else 0,
                drop_off_rate=_ratio(prev - this, prev) if prev is not None else _zero_rate(this),
                time_to_convert=ttc,
            )
        )
    return tuple(out)


def _count(value: Any) -> int:
    return 0 if _is_missing(value) else int(value)


def _seconds(millis: Any) -> float | None:
    return None if _is_missing(millis) else float(millis) / 1000.0


def _ratio(part: int, whole: int | None) -> float | None:
    return part / whole if whole else None


def _zero_rate(entered: int) -> float | None:
    return 0.0 if entered else None


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _native(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value
