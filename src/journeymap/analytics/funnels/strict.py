"""Strict funnels: no other event of the customer may happen between two consecutive steps.

Here the moments are built from *all* of the customer's events. An attempt starts at every
step-1 moment and must move on at each of the customer's following moments: at the next moment
it either completes the next step (and as many more as that moment's events fill) or it stops.
Events that share a timestamp with a step are not "between" anything. At most ``n - 1`` moments
follow a start, so the path comes from ``lead`` columns in one ordered window, then one small
projection per moment.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from journeymap.analytics.funnels.base import (
    BREAKDOWN,
    CUSTOMER,
    STEP1_BREAKDOWN,
    TS,
    count_column,
    counted_attempts,
    reach,
    step_time,
    window_end,
)
from journeymap.analytics.funnels.exclusions import void_excluded
from journeymap.analytics.funnels.spec import FunnelSpec


def attempt_paths(m: ir.Table, spec: FunnelSpec) -> ir.Table:
    """Every attempt with its strict path: customer_id, start, breakdown, level, t1..tn."""
    n = len(spec.steps)
    order = ibis.window(group_by=CUSTOMER, order_by=TS)
    ahead: dict[str, ir.Value] = {}
    for d in range(1, n):
        ahead[f"at{d}"] = m[TS].lead(d).over(order)
        for done in range(1, n):
            ahead[f"r{d}_{done}"] = reach(m, spec, done).lead(d).over(order)
    m = m.mutate(**ahead).view()
    first = m[count_column(spec, spec.values[0])] > 0
    start_level = reach(m, spec, 0)
    paths = (
        m.filter(first)
        .mutate(
            start=m[TS],
            **{BREAKDOWN: m[STEP1_BREAKDOWN]},
            level=start_level,
            moving=ibis.literal(True),
            **{
                step_time(k): ibis.ifelse(start_level >= k, m[TS], ibis.null(m[TS].type()))
                for k in range(1, n + 1)
            },
        )
        .view()
    )
    for d in range(1, n):
        level = paths["level"]
        at = paths[f"at{d}"]
        entered = ibis.cases(*[(level == done, paths[f"r{d}_{done}"]) for done in range(1, n)])
        moving = (
            paths["moving"]
            & (level < n)
            & at.notnull()
            & (at <= window_end(paths["start"], spec))
            & (entered > level)
        )
        new_level = ibis.ifelse(moving, entered, level)
        paths = paths.mutate(
            moving=moving,
            level=new_level,
            **{
                step_time(k): ibis.ifelse(
                    moving & paths[step_time(k)].isnull() & (new_level >= k),
                    at,
                    paths[step_time(k)],
                )
                for k in range(2, n + 1)
            },
        ).view()
    return paths.select(
        CUSTOMER, "start", BREAKDOWN, "level", *[step_time(k) for k in range(1, n + 1)]
    )


def outcomes(m: ir.Table, spec: FunnelSpec) -> ir.Table:
    """Per customer who reached step 1: breakdown, level and t1..tn of the counted attempt."""
    if spec.exclusions:
        m = m.cache()  # read again by the exclusion checks
    attempts = attempt_paths(m, spec)
    if spec.exclusions:
        attempts = void_excluded(attempts, m, spec)
    return counted_attempts(attempts, spec)
