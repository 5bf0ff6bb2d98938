"""Ordered (loose) funnels: later steps must follow earlier ones, other events may come between.

Every step-1 moment starts an attempt. An attempt takes each next step at the earliest moment it
can (greedy), within ``start + window`` inclusive. For each step ``k`` the engine keeps, moment by
moment, the latest start among attempts that have completed at least ``k`` steps: a later start
leaves more of its window, so it dominates for what can still happen. That is one running-max
window per step over the customer's moments, no self-join, whatever the number of attempts.
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
    void_excluded,
    window_end,
)
from journeymap.analytics.funnels.spec import FunnelSpec


def _best(k: int) -> str:  # latest start with >= k steps completed, up to and including the moment
    return f"a{k}"


def _before(k: int) -> str:  # the same, strictly before the moment
    return f"p{k}"


def latest_starts(m: ir.Table, spec: FunnelSpec) -> ir.Table:
    """Add a1..an (p1..p(n-1)): latest start with >= k steps done up to (before) each moment."""
    n = len(spec.steps)
    upto = ibis.window(group_by=CUSTOMER, order_by=TS, rows=(None, 0))
    before = ibis.window(group_by=CUSTOMER, order_by=TS, rows=(None, -1))
    for k in range(1, n + 1):
        candidates = []
        for done in range(k):
            if done == 0:
                start: ir.Value = m[TS]
            else:
                prev = m[_before(done)]
                start = ibis.ifelse(window_end(prev, spec) >= m[TS], prev, ibis.null(prev.type()))
            candidates.append(
                ibis.ifelse(reach(m, spec, done) >= k, start, ibis.null(m[TS].type()))
            )
        new = ibis.coalesce(*candidates) if len(candidates) > 1 else candidates[0]
        columns = {_best(k): new.max().over(upto)}
        if k < n:
            columns[_before(k)] = new.max().over(before)
        m = m.mutate(**columns).view()
    return m


def outcomes(m: ir.Table, spec: FunnelSpec) -> ir.Table:
    """Per customer who reached step 1: breakdown, level and t1..tn of the counted attempt.

    Without exclusions the counted attempt is the one that reached the customer's furthest step
    first (the latest start among those): its start is the first value of that step's running
    max, and it completed step ``k`` at the first moment where ``a_k`` reaches that start.
    """
    n = len(spec.steps)
    m = latest_starts(m, spec)
    if spec.exclusions:
        attempts = void_excluded(attempt_paths(m, spec), m, spec)
        return counted_attempts(attempts, spec)
    whole = ibis.window(group_by=CUSTOMER)
    m = m.mutate(**{f"f{k}": m[_best(k)].min().over(whole) for k in range(1, n + 1)}).view()
    start = ibis.coalesce(*[m[f"f{k}"] for k in range(n, 0, -1)])
    level = sum(
        (m[f"f{k}"].notnull().cast("int64") for k in range(2, n + 1)),
        m["f1"].notnull().cast("int64"),
    )
    m = m.mutate(start=start, level=level).view()
    at_start = m[TS] == m["start"]
    per_customer = m.group_by(CUSTOMER).aggregate(
        level=m["level"].max(),
        **{BREAKDOWN: m[STEP1_BREAKDOWN].min(where=at_start)},
        **{step_time(k): m[TS].min(where=m[_best(k)] >= m["start"]) for k in range(1, n + 1)},
    )
    return per_customer.filter(per_customer["level"] >= 1)


def attempt_paths(m: ir.Table, spec: FunnelSpec) -> ir.Table:
    """Every attempt with its greedy path: customer_id, start, breakdown, level, t1..tn.

    Attempt ``s`` completes step ``k`` at the first moment where ``a_k >= s`` (an attempt that
    started no earlier already got there, and ``s`` can follow the same events), if that moment
    is inside its window. Found for all attempts at once by ordering them among the moments on
    the ``a_k`` key: one window per step.
    """
    n = len(spec.steps)
    first = m[count_column(spec, spec.values[0])] > 0
    attempts = m.filter(first).select(
        m[CUSTOMER],
        m[TS].name("start"),
        m[STEP1_BREAKDOWN].name(BREAKDOWN),
        m[TS].name(step_time(1)),
    )
    for k in range(2, n + 1):
        columns = attempts.columns
        probes = attempts.mutate(
            key=attempts["start"], kind=ibis.literal(0, type="int8"), at=ibis.null(m[TS].type())
        )
        reached = m.filter(m[_best(k)].notnull())
        marks = reached.select(
            **{
                c: reached[CUSTOMER] if c == CUSTOMER else ibis.null(probes[c].type())
                for c in columns
            },
            key=reached[_best(k)],
            kind=ibis.literal(1, type="int8"),
            at=reached[TS],
        )
        both = probes.union(marks)
        w = ibis.window(group_by=CUSTOMER, order_by=["key", "kind"], rows=(0, None))
        both = both.mutate(found=both["at"].min().over(w)).view()
        hit = both["found"].notnull() & (both["found"] <= window_end(both["start"], spec))
        attempts = (
            both.filter(both["kind"] == 0)
            .mutate(
                **{step_time(k): ibis.ifelse(hit, both["found"], ibis.null(both["found"].type()))}
            )
            .select(*columns, step_time(k))
            .view()
        )
    level = sum(
        (attempts[step_time(k)].notnull().cast("int64") for k in range(2, n + 1)),
        ibis.literal(1, type="int64"),
    )
    return attempts.mutate(level=level)
