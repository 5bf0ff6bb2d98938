"""The analyses behind the one-page journey report: funnel, paths, transitions, retention."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import ibis
import pandas as pd

from journeymap.analytics.funnel import FunnelResult, funnel
from journeymap.analytics.path_variants import PathVariantsResult, path_variants
from journeymap.analytics.retention import Period, RetentionResult, retention
from journeymap.analytics.sankey import SankeyResult, sankey
from journeymap.analytics.sequences import StepColumn
from journeymap.analytics.transitions import TransitionMatrix, transition_matrix
from journeymap.data.events import Events, as_table

DEFAULT_FUNNEL_STEPS = 4


@dataclass(frozen=True)
class JourneyReport:
    """Every result the report shows; ``funnel`` is None when there are no steps to chart."""

    events: int
    customers: int
    first: datetime | None
    last: datetime | None
    funnel: FunnelResult | None
    funnel_by: str
    paths: PathVariantsResult
    sankey: SankeyResult
    transitions: TransitionMatrix
    retention: RetentionResult


def path_column(events: Events | ibis.Table) -> StepColumn:
    """``touchpoint`` when the events have touchpoint values, else ``event``."""
    table = as_table(events)
    if "touchpoint" in table.columns and table.touchpoint.notnull().any().execute():
        return "touchpoint"
    return "event"


def common_events(events: Events | ibis.Table, limit: int = DEFAULT_FUNNEL_STEPS) -> list[str]:
    """The ``limit`` events reached by most customers, most customers first (ties by name)."""
    table = as_table(events)
    reach = table.group_by("event").agg(customers=table.customer_id.nunique())
    top = reach.order_by([ibis.desc("customers"), "event"]).limit(limit).execute()
    return [str(e) for e in top["event"]]


def journey_report(
    events: Events | ibis.Table,
    *,
    funnel_steps: Sequence[str] | None = None,
    funnel_by: StepColumn = "event",
    by: StepColumn | None = None,
    start_event: str = "purchase",
    period: Period = "week",
    periods: int = 8,
    sankey_steps: int = 5,
    top: int = 10,
) -> JourneyReport:
    """Compute the report's analyses.

    Funnel steps default to the most common events (see :func:`common_events`); paths are by
    ``by``, or by touchpoint when the events have touchpoints, else by event.
    """
    steps = list(funnel_steps) if funnel_steps else None
    if steps is None:
        funnel_by = "event"
        steps = common_events(events)
    column = by or path_column(events)
    table = as_table(events)
    overview = (
        table.aggregate(
            events=table.count(),
            customers=table.customer_id.nunique(),
            first=table.timestamp.min(),
            last=table.timestamp.max(),
        )
        .execute()
        .iloc[0]
    )
    return JourneyReport(
        events=int(overview["events"]),
        customers=int(overview["customers"]),
        first=_moment(overview["first"]),
        last=_moment(overview["last"]),
        funnel=funnel(events, steps, by=funnel_by) if len(steps) >= 2 else None,
        funnel_by=funnel_by,
        paths=path_variants(events, by=column, top=top),
        sankey=sankey(events, by=column, steps=sankey_steps),
        transitions=transition_matrix(events, by=column),
        retention=retention(events, start_event=start_event, period=period, periods=periods),
    )


def _moment(value: Any) -> datetime | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).to_pydatetime()
