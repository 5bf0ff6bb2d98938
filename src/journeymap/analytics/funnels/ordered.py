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


def _new(k: int) -> str:  # latest start of an attempt completing >= k steps at the moment
    return f"n{k}"


def _before(k: int) -> str:  # the same, strictly before the moment
    return f"p{k}"


def latest_starts(m: ir.Table, spec: FunnelSpec) -> ir.Table:
    """Add n1..nn and p1..pn: per moment, the latest start of an attempt that completes >= k steps
    there (``n``), and the latest start with >= k steps done strictly before it (``p``).

    ``p_k`` is one running max per step; ``max(p_k, n_k)`` is the same up to and including the
    moment.
    """
    n = len(spec.steps)
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
        m = m.mutate(**{_new(k): new}).view()
        m = m.mutate(**{_before(k): m[_new(k)].max().over(before)}).view()
    return m


def outcomes(m: ir.Table, spec: FunnelSpec) -> ir.Table:
    """Per customer who reached step 1: breakdown, level and t1..tn of the counted attempt.

    Without exclusions the counted attempt is the one that reached the customer's furthest step
    first (the latest start among those): its start is the first value of that step's running
    max, and it completed step ``k`` at the first moment where ``n_k`` reaches that start.
    """
    n = len(spec.steps)
    m = latest_starts(m, spec)
    if spec.exclusions:
        attempts = void_excluded(attempt_paths(m, spec), m, spec)
        return counted_attempts(attempts, spec)
    firsts = m.group_by(CUSTOMER).aggregate(
        **{f"f{k}": ibis.greatest(m[_before(k)], m[_new(k)]).min() for k in range(1, n + 1)}
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
        **{BREAKDOWN: j[STEP1_BREAKDOWN].min(where=j[TS] == j["start"])},
        **{step_time(k): j[TS].min(where=j[_new(k)] >= j["start"]) for k in range(1, n + 1)},
    )


def attempt_paths(m: ir.Table, spec: FunnelSpec) -> ir.Table:
    """Every attempt with its greedy path: customer_id, start, breakdown, level, t1..tn.

    Attempt ``s`` completes step ``k`` at the first moment where ``max(p_k, n_k) >= s`` (an
    attempt that started no earlier already got there, and ``s`` can follow the same events), if
    that moment is inside its window. Found for all attempts at once by ordering them among the
    moments on that key: one window per step.
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
        best = ibis.greatest(m[_before(k)], m[_new(k)])
        reached = m.filter(best.notnull())
        marks = reached.select(
            **{
                c: reached[CUSTOMER] if c == CUSTOMER else ibis.null(probes[c].type())
                for c in columns
            },
            key=ibis.greatest(reached[_before(k)], reached[_new(k)]),
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
