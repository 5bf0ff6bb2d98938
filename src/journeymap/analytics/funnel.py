"""Conversion funnels over event tables, with PostHog's ordered-funnel semantics.

The exact definition is in docs/funnels.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

import ibis

from journeymap.analytics.funnels import chain, ordered, strict
from journeymap.analytics.funnels.base import moments, select_events, with_durations
from journeymap.analytics.funnels.result import (
    BreakdownGroup,
    FunnelResult,
    StepStats,
    TimeToConvert,
    aggregate,
)
from journeymap.analytics.funnels.spec import (
    DEFAULT_WINDOW,
    Exclusion,
    FunnelError,
    StepColumn,
    StepOrder,
    StepSpec,
    make_spec,
    parse_exclusion,
    parse_window,
)
from journeymap.data.engine import engine_name
from journeymap.data.events import Events, as_events

__all__ = [
    "BreakdownGroup",
    "Exclusion",
    "FunnelError",
    "FunnelResult",
    "StepSpec",
    "StepStats",
    "TimeToConvert",
    "funnel",
    "parse_exclusion",
    "parse_window",
]


def funnel(
    events: Events | ibis.Table,
    steps: Sequence[str | StepSpec],
    *,
    by: StepColumn = "event",
    window: timedelta = DEFAULT_WINDOW,
    order: StepOrder = "ordered",
    exclusions: Sequence[Exclusion] = (),
    breakdown: str | None = None,
    start: date | datetime | None = None,
    end: date | datetime | None = None,
) -> FunnelResult:
    """Count customers through ``steps`` (values of the ``by`` column) within ``window``.

    ``order="strict"`` allows no other event between consecutive steps. ``exclusions`` void
    attempts with an excluded event between two steps. ``breakdown`` splits customers by a
    column's value on the step-1 event of their counted attempt. ``start`` (inclusive) and
    ``end`` (exclusive; a date includes that day) filter every event. All work runs in the engine
    behind ``events``; only the per-step figures come back to Python.
    """
    known = as_events(events)
    table, source = known.table, known.source
    spec = make_spec(
        steps, column=by, window=window, order=order, exclusions=exclusions, breakdown=breakdown
    )
    for column in (spec.column, spec.breakdown):
        if column and column not in table.columns:
            raise FunnelError(
                f"{source}: no column {column!r} (columns: {', '.join(table.columns)})"
            )
    if start is not None and end is not None and _as_datetime(start) >= _as_datetime(end, end=True):
        raise FunnelError(f"empty date range: start {start} is not before end {end}")
    is_strict = spec.order == "strict"
    selected = select_events(
        table, spec, since=start, until=end, all_events=is_strict, customer=known.customer_column
    )
    if chain.applies(spec):
        # on DuckDB, sorted files are read in parts of customers (journeymap.data.layout)
        bounds = known.customer_bounds if engine_name(table) == "duckdb" else ()
        outcomes = chain.outcomes(selected, spec, bounds)
    else:
        m = moments(selected, spec)
        counted = strict.outcomes(m, spec) if is_strict else ordered.outcomes(m, spec)
        outcomes = with_durations(counted, len(spec.steps))
    if not spec.breakdown:
        return aggregate(outcomes, spec)
    # overall and per-value figures are two queries: keep the per-customer rows in the engine
    with outcomes.cache() as kept:
        return aggregate(kept, spec)


def _as_datetime(moment: date | datetime, *, end: bool = False) -> datetime:
    if isinstance(moment, datetime):
        return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment
    return datetime.combine(moment, datetime.min.time()) + (
        timedelta(days=1) if end else timedelta()
    )
