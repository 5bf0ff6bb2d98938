"""Ordered (loose) funnels: later steps must follow earlier ones, other events may come between.

Every step-1 moment starts an attempt. An attempt takes each next step at the earliest moment it
can (greedy), within ``start + window`` inclusive. For each step ``k`` the engine keeps, moment by
moment, the latest start among attempts that have completed at least ``k`` steps: a later start
leaves more of its window, so it dominates for what can still happen. That is one running-max
window per step (but the last) over the customer's moments, no self-join, whatever the number
of attempts.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from journeymap.analytics.funnels.base import (
    BREAKDOWN,
    CUSTOMER,
    STEP1_BREAKDOWN,
    TS,
    counted_attempts,
    reach,
    step_time,
    window_end,
)
from journeymap.analytics.funnels.exclusions import void_excluded
from journeymap.analytics.funnels.spec import FunnelSpec


def _before(k: int) -> str:  # latest start with >= k steps done strictly before the moment
    return f"p{k}"


def _reach(done: int) -> str:  # steps completed after the moment when entering with ``done``
    return f"r{done}"


def compact(m: ir.Table, spec: FunnelSpec) -> ir.Table:
    """Keep of each moment only what the windows need: :func:`reach` per entry level.

    The windows sort every column they carry, so the value counts become ``n`` small integers.
    """
    n = len(spec.steps)
    keep = [CUSTOMER, TS, *(c for c in m.columns if c.startswith("x"))]
    if spec.breakdown:
        keep.append(STEP1_BREAKDOWN)
    reaches = {_reach(done): reach(m, spec, done).cast("int8") for done in range(n)}
    return m.select(*keep, **reaches).view()


def new_start(m: ir.Table, spec: FunnelSpec, k: int) -> ir.TimestampValue:
    """The latest start of an attempt that completes >= ``k`` steps at the moment (or null).

    It enters the moment with ``done`` steps (a fresh start when ``done`` is 0, else the latest
    start ``p_done`` still inside its window) and the moment's events fill steps up to ``k``.
    """
    candidates = []
    for done in range(k):
        if done == 0:
            start: ir.Value = m[TS]
        else:
            prev = m[_before(done)]
            start = ibis.ifelse(window_end(prev, spec) >= m[TS], prev, ibis.null(prev.type()))
        candidates.append(ibis.ifelse(m[_reach(done)] >= k, start, ibis.null(m[TS].type())))
    return ibis.coalesce(*candidates) if len(candidates) > 1 else candidates[0]


def latest_starts(m: ir.Table, spec: FunnelSpec, steps: int) -> ir.Table:
    """Add p1..p<steps>: per moment, the latest start of an attempt with >= k steps done before it.

    One running max per step over :func:`new_start`; ``max(p_k, new_start_k)`` is the same up to
    and including the moment.
    """
    before = ibis.window(group_by=CUSTOMER, order_by=TS, rows=(None, -1))
    for k in range(1, steps + 1):
        m = m.mutate(**{_before(k): new_start(m, spec, k).max().over(before)}).view()
    return m


def _step1_breakdown(m: ir.Table, where: ir.BooleanValue) -> ir.Value:
    if STEP1_BREAKDOWN in m.columns:
        return m[STEP1_BREAKDOWN].min(where=where)
    return ibis.null("string")


def outcomes(m: ir.Table, spec: FunnelSpec) -> ir.Table:
    """Per customer who reached step 1: breakdown, level and t1..tn of the counted attempt.

    Without exclusions the counted attempt is the one that reached the customer's furthest step
    first (the latest start among those): its start is the first value of that step's running
    max, and it completed step ``k`` at the first moment where ``new_start_k`` reaches that start.
    """
    n = len(spec.steps)
    if spec.exclusions:
        # every attempt's path and the exclusion checks read these moments several times
        m = latest_starts(compact(m, spec), spec, n).cache()
        attempts = void_excluded(attempt_paths(m, spec), m, spec)
        return counted_attempts(attempts, spec)
    # read twice below (per-customer firsts, then the join): computed once, kept in the engine
    m = latest_starts(compact(m, spec), spec, n - 1).cache()
    last = new_start(m, spec, n)
    firsts = m.group_by(CUSTOMER).aggregate(
        **{f"f{k}": ibis.greatest(m[_before(k)], new_start(m, spec, k)).min() for k in range(1, n)},
        # the running max of the last step is never needed: its first value is enough
        **{f"f{n}": last.argmin(m[TS], where=last.notnull())},
    )
    firsts = firsts.filter(firsts["f1"].notnull())
    counted = firsts.select(
        firsts[CUSTOMER].name("counted_customer"),
        ibis.coalesce(*[firsts[f"f{k}"] for k in range(n, 0, -1)]).name("start"),
        sum(
            (firsts[f"f{k}"].notnull().cast("int64") for k in range(2, n + 1)),
            ibis.literal(1, type="int64"),
        ).name("level"),
    )
    j = m.inner_join(counted, m[CUSTOMER] == counted["counted_customer"])
    return j.group_by(CUSTOMER).aggregate(
        level=j["level"].max(),
        **{BREAKDOWN: _step1_breakdown(j, j[TS] == j["start"])},
        **{
            step_time(k): j[TS].min(where=new_start(j, spec, k) >= j["start"])
            for k in range(1, n + 1)
        },
    )


def attempt_paths(m: ir.Table, spec: FunnelSpec) -> ir.Table:
    """Every attempt with its greedy path: customer_id, start, breakdown, level, t1..tn.

    Attempt ``s`` completes step ``k`` at the first moment where ``max(p_k, n_k) >= s`` (an
    attempt that started no earlier already got there, and ``s`` can follow the same events), if
    that moment is inside its window. Found for all attempts at once by ordering them among the
    moments on that key: one window per step.
    """
    n = len(spec.steps)
    attempts = m.filter(m[_reach(0)] >= 1).select(
        m[CUSTOMER],
        m[TS].name("start"),
        (m[STEP1_BREAKDOWN] if spec.breakdown else ibis.null("string")).name(BREAKDOWN),
        m[TS].name(step_time(1)),
    )
    for k in range(2, n + 1):
        columns = attempts.columns
        probes = attempts.mutate(
            key=attempts["start"], kind=ibis.literal(0, type="int8"), at=ibis.null(m[TS].type())
        )
        reached = m.mutate(best=ibis.greatest(m[_before(k)], new_start(m, spec, k)))
        reached = reached.filter(reached["best"].notnull())
        marks = reached.select(
            **{
                c: reached[CUSTOMER] if c == CUSTOMER else ibis.null(probes[c].type())
                for c in columns
            },
            key=reached["best"],
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
