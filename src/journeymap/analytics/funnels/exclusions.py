"""Exclusion steps: an excluded event between two steps voids the attempt it falls in."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from journeymap.analytics.funnels.base import (
    CUSTOMER,
    TS,
    exclusion_column,
    step_time,
    window_end,
)
from journeymap.analytics.funnels.spec import FunnelSpec


def void_excluded(attempts: ir.Table, m: ir.Table, spec: FunnelSpec) -> ir.Table:
    """Add ``voided``: the attempt met an exclusion event after step a and up to step b.

    An exclusion (value, a, b) voids an attempt that completed step a at ``ta`` when one of its
    events happens at ``x`` with ``ta < x <= min(tb, start + window)`` (``tb`` the time step b was
    completed, or no bound if it never was). Found per attempt with one ordered window over the
    attempts and the exclusion moments, never a join that multiplies rows.
    """
    attempts = attempts.mutate(voided=ibis.literal(False))
    for i, exclusion in enumerate(spec.exclusions):
        a, b = exclusion.from_step, exclusion.to_step
        ta = attempts[step_time(a)]
        tb = attempts[step_time(b)]
        end = window_end(attempts["start"], spec)
        probes = attempts.mutate(
            key=ta.fill_null(attempts["start"]),
            kind=ibis.literal(1, type="int8"),
            x=ibis.null(m[TS].type()),
            hi=ibis.ifelse(tb.isnull() | (tb > end), end, tb),
        )
        columns = probes.columns
        xmoments = m.filter(m[exclusion_column(i)] > 0)
        marks = xmoments.select(
            **{
                c: (
                    xmoments[CUSTOMER]
                    if c == CUSTOMER
                    else xmoments[TS]
                    if c in ("key", "x")
                    else ibis.literal(0, type="int8")
                    if c == "kind"
                    else ibis.null(probes[c].type())
                )
                for c in columns
            }
        )
        both = probes.union(marks.select(*columns))
        w = ibis.window(group_by=CUSTOMER, order_by=["key", "kind"], rows=(1, None))
        both = both.mutate(next_x=both["x"].min().over(w)).view()
        hit = (both["level"] >= a) & both["next_x"].notnull() & (both["next_x"] <= both["hi"])
        attempts = (
            both.filter(both["kind"] == 1)
            .mutate(voided=both["voided"] | hit)
            .select(*attempts.columns)
            .view()
        )
    return attempts
