"""Ordered funnels over distinct step values: one small pass per step, on events, not moments.

When no value repeats among the steps, an event can only ever fill the one step its value names,
so a moment needs no counting: an attempt that has completed step ``k - 1`` at or before an
event of step ``k`` (at the same timestamp too, as that is another event) completes step ``k``
there, if the event is inside its window. Pass ``k`` therefore looks only at two kinds of rows
of a customer, ordered by time (at one timestamp the attempts come first):

- the attempts that have completed step ``k - 1``, one row per attempt at the time it did so,
  with its start and step times ``t1..t(k-1)``;
- the events of step ``k``.

At an event, the attempt to continue is the latest start among the attempt rows before it (a
later start leaves more of its window and has come as far); the event completes step ``k`` for
it when ``start + window`` has not passed. Attempts are kept, per start, at their first
completion, so along a customer's attempt rows the starts and every step time grow together
(greedy paths of later starts are never earlier): the running maxima of ``start``, ``t2``, ...
over the rows before an event are all those of the one latest attempt, the attempt row at or
before the event that comes last. Each pass reads the rows of two steps only: on DuckDB an ASOF
join finds that row for every event, on other engines one running-max window over both kinds of
rows; a group-by on (customer, start) follows.

Most customers need no chain at all. When every step-2 event of a customer comes at or after
the last step-1 event, and the events of each later step at or after the first event of the step
before, every attempt walks through the first event of each step: per-step minima and the last
step-1 time (one group-by) give the counted attempt. The chain runs on the other customers'
events only (in the benchmark data a tenth of the customers and a quarter of the step events).

The counted attempt of a customer (docs/funnels.md) is, at the customer's furthest step, the
attempt that completed it first: two attempts never complete a step at the same time here (the
events of one timestamp all continue the same latest attempt), so there is no tie to break.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass

import ibis
import ibis.expr.types as ir

from journeymap.analytics.durations import millis_between
from journeymap.analytics.funnels.base import (
    BREAKDOWN,
    CUSTOMER,
    TS,
    step_millis,
    step_time,
    window_end,
    with_durations,
)
from journeymap.analytics.funnels.spec import FunnelSpec
from journeymap.data.engine import engine_name

_AT = "at"  # when the row's attempt completed its latest step, or when the step event happened
_KIND = "kind"  # 0: an attempt row, 1: a step event (attempts sort first at one timestamp)
_STEP = "step"
_ON, _SINCE = "attempt_customer", "attempt_at"  # an attempt row's keys in the ASOF join
_LINED_UP = "lined_up"
_KEY, _NUMBER = "key", "number"  # a tangled customer's dense number, and its name in the join back
_CODE = "code"  # a breakdown value's number (:func:`_codes`)
_LOW, _HIGH = "low_code", "high_code"  # the smallest and largest code of a customer's step-1 events
_NO_CODE = 2**31 - 1  # a null breakdown among the codes: after every value


def applies(spec: FunnelSpec) -> bool:
    """True when this computation gives the funnel: ordered, distinct values, no exclusions."""
    return (
        spec.order == "ordered"
        and not spec.exclusions
        and len(set(spec.values)) == len(spec.values)
    )


def outcomes(events: ir.Table, spec: FunnelSpec, bounds: Sequence[str | int] = ()) -> ir.Table:
    """Per customer who reached step 1: breakdown, level and ms2..msn of the counted attempt.

    ``events`` is :func:`~journeymap.analytics.funnels.base.select_events` of the funnel (step
    events only). Customers whose step events line up (:func:`_lined_up`) get their outcome from
    per-step minima in one group-by; the step chain runs on the events of the others only,
    numbered instead of named by their ids; without a breakdown its outcome is not joined back
    to them. A breakdown travels as a number (:func:`_codes`) until the end. ``ms<k>`` is
    meaningful where ``level >= k`` only. ``bounds`` (values of the customer column, ascending)
    split the per-customer work before the chain into parts (:func:`_first_pass`), one after
    the other.
    """
    n = len(spec.steps)
    codes = _codes(events, spec).cache() if spec.breakdown else None
    if codes is not None:
        joined = events.left_join(codes, events[BREAKDOWN] == codes[BREAKDOWN])
        events = joined.select(*[events[c] for c in events.columns], codes[_CODE])
    edges = [None, *bounds, None]
    parts = [
        _first_pass(_between(events, low, high), spec, number, len(edges) - 1)
        for number, (low, high) in enumerate(itertools.pairwise(edges))
    ]
    spans = _union([p.spans for p in parts])
    tangled = _union([p.tangled for p in parts])
    coded = [p.starts for p in parts if p.starts is not None]
    starts = _union(coded) if coded else None
    with ExitStack() as levels:
        for part in parts:  # the tangled customers' tables go once the chain is kept
            levels.enter_context(part.tangled)
            levels.enter_context(part.rest)
        numbered = tangled.drop(CUSTOMER).rename({CUSTOMER: _KEY})
        chained = _chained(_union([p.rest for p in parts]), numbered, spec, levels)
        if starts is not None:  # the code of each start needs the ids back
            ids = tangled.select(CUSTOMER, **{_NUMBER: tangled[_KEY]})
            chained = chained.inner_join(ids, chained[CUSTOMER] == ids[_NUMBER]).select(
                ids[CUSTOMER], *[c for c in chained.columns if c != CUSTOMER]
            )
        chained = with_durations(_with_breakdown(chained, starts), n).cache()
    lined = spans.filter(spans[_LINED_UP])
    code_range = [_LOW, _HIGH] if codes is not None else []
    lined = lined.select(CUSTOMER, *code_range, **_from_spans(lined, spec))
    lined = _lined_breakdown(lined, starts)
    lined = lined.select(BREAKDOWN, "level", *[step_millis(k) for k in range(2, n + 1)])
    # a kept table has the engine's types (Spark reads integer literals back as int32)
    both = lined.union(chained.cast(lined.schema()))
    if codes is None:
        return both
    named = both.left_join(codes, both[BREAKDOWN] == codes[_CODE])
    return named.select(codes[BREAKDOWN], *[both[c] for c in both.columns if c != BREAKDOWN])


@dataclass(frozen=True)
class _Part:
    """The kept tables of one part of the customers (:func:`_first_pass`)."""

    spans: ir.Table
    tangled: ir.Table
    rest: ir.Table
    starts: ir.Table | None


def _first_pass(events: ir.Table, spec: FunnelSpec, number: int, parts: int) -> _Part:
    """The spans, tangled customers, their step events and (for a breakdown) start codes.

    The step events of the part, read once, are only needed until these are kept; releasing
    them before the next part (and the chain) leaves it the memory: at 100M events in one part
    about 1 GB spilled to disk. Tangled customers get the numbers ``number``, ``number +
    parts``, ``number + 2 * parts``, ...: integers sort, hash and compare faster than the ids,
    and take less memory, and no two parts give the same one.
    """
    step = ibis.cases(*[(events["value"] == v, k) for k, v in enumerate(spec.values, 1)])
    coded = [_CODE] if spec.breakdown else []
    with events.select(CUSTOMER, TS, *coded, **{_STEP: step.cast("int8")}).cache() as steps:
        spans = _spans(steps, spec).cache()
        tangled = spans.filter(~spans[_LINED_UP])
        first = [tangled[_first_at(1)].name(step_time(1))] if spec.breakdown else []
        key = ibis.row_number() * parts + number
        tangled = tangled.select(CUSTOMER, *first, **{_KEY: key}).cache()
        keyed = steps.inner_join(tangled.select(CUSTOMER, _KEY), CUSTOMER)
        rest = keyed.select(keyed[_KEY].name(CUSTOMER), TS, _STEP).cache()
        starts = _start_codes(steps, spans).cache() if spec.breakdown else None
    return _Part(spans, tangled, rest, starts)


def _between(events: ir.Table, low: str | int | None, high: str | int | None) -> ir.Table:
    """The events of customers from ``low`` (inclusive) to ``high`` (exclusive); None: open."""
    customer = events[CUSTOMER]
    if low is not None:
        events = events.filter(customer >= low)
    if high is not None:
        events = events.filter(customer < high)
    return events


def _union(tables: Sequence[ir.Table]) -> ir.Table:
    return tables[0] if len(tables) == 1 else ibis.union(*tables)


def _codes(events: ir.Table, spec: FunnelSpec) -> ir.Table:
    """The breakdown values of step-1 events, numbered 0, 1, ... in their order.

    Numbers, not the values, go through the funnel: they take less memory, and their smallest
    and largest per customer are cheap to keep (:func:`_spans`).
    """
    first = events.filter((events["value"] == spec.values[0]) & events[BREAKDOWN].notnull())
    values = first.select(BREAKDOWN).distinct()
    number = ibis.row_number().over(order_by=values[BREAKDOWN]).cast("int32")
    return values.mutate(**{_CODE: number})


def _first_at(k: int) -> str:
    return f"first{k}"


def _spans(steps: ir.Table, spec: FunnelSpec) -> ir.Table:
    """Per customer with a step-1 event: the last step-1 time and each step's first.

    The first step-1 time is kept for a breakdown only (the start of an attempt that gets no
    further), with the smallest and largest breakdown code of the step-1 events: where they
    are the same, every start has that code. The ``lined_up`` column (:func:`_lined_up`) is
    evaluated here once for both of its readers. Only the ids read again are kept: the tangled
    customers', and the lined-up ones' whose step-1 events carry more than one code.
    """
    n = len(spec.steps)
    step = steps[_STEP]
    first_from = 1 if spec.breakdown else 2  # the first step-1 time is only a breakdown's start
    codes: dict[str, ir.Value] = {}
    if spec.breakdown:
        code = steps[_CODE].fill_null(_NO_CODE)
        codes = {_LOW: code.min(where=step == 1), _HIGH: code.max(where=step == 1)}
    spans = steps.group_by(CUSTOMER).aggregate(
        last1=steps[TS].max(where=step == 1),
        **{_first_at(k): steps[TS].min(where=step == k) for k in range(first_from, n + 1)},
        **codes,
    )
    spans = spans.filter(spans["last1"].notnull())
    lined_up = _lined_up(spans, n)
    # a lined-up customer whose step-1 events carry one code needs no start looked up
    alone = lined_up & _one_code(spans) if spec.breakdown else lined_up
    customer = ibis.ifelse(alone, ibis.null(spans[CUSTOMER].type()), spans[CUSTOMER])
    return spans.mutate(**{CUSTOMER: customer, _LINED_UP: lined_up})


def _one_code(spans: ir.Table) -> ir.BooleanValue:
    """True where all of a customer's step-1 events carry one breakdown code (or none)."""
    return spans[_LOW] == spans[_HIGH]


def _lined_up(spans: ir.Table, n: int) -> ir.BooleanValue:
    """True for customers whose attempts all walk through the first event of each step.

    When every step-2 event comes at or after the last step-1 event, and for each later step
    every event of it at or after the first event of the step before (up to the first step the
    customer has no event of), each attempt's greedy walk takes the first event of every step.
    Those customers need no chain (:func:`_from_spans`).
    """
    ok: ir.BooleanValue = ibis.literal(True)
    for k in range(n, 1, -1):
        before = spans["last1"] if k == 2 else spans[_first_at(k - 1)]
        here = spans[_first_at(k)]
        ok = here.isnull() | ((here >= before) & ok)
    return ok


def _from_spans(spans: ir.Table, spec: FunnelSpec) -> dict[str, ir.Value]:
    """The counted attempt of lined-up customers, from their spans: level, ms2..msn (and t1).

    All their attempts take the same step times, so the latest start reaches furthest and, at
    that level, is the one the tie-break counts. A customer who gets no further than step 1
    counts with the attempt that completed step 1 first: the first step-1 event. ``ms<k>`` is
    the attempt's time to step ``k`` where it got that far (``level >= k``), else meaningless.
    """
    n = len(spec.steps)
    end = window_end(spans["last1"], spec)

    def in_time(k: int) -> ir.BooleanValue:  # step k has an event before the window closes
        return spans[_first_at(k)].notnull() & (spans[_first_at(k)] <= end)

    # the first step without an event in time ends the walk (each case implies the ones before)
    columns: dict[str, ir.Value] = {
        "level": ibis.cases(*[(~in_time(k), k - 1) for k in range(2, n + 1)], else_=n).cast("int8")
    }
    if spec.breakdown:
        columns[step_time(1)] = ibis.ifelse(in_time(2), spans["last1"], spans[_first_at(1)])
    for k in range(2, n + 1):
        before = spans["last1"] if k == 2 else spans[_first_at(k - 1)]
        columns[step_millis(k)] = millis_between(before, spans[_first_at(k)])
    return columns


def _chained(steps: ir.Table, spans: ir.Table, spec: FunnelSpec, levels: ExitStack) -> ir.Table:
    """The counted attempt (level, t1..tn) of the customers of ``spans`` through the step chain.

    At each level the attempt that completed it first started first, and every one of its step
    times is the smallest among that level's attempts (greedy paths grow with the start), so
    plain minima per customer and level find it; the customer's furthest level overrides the
    ones below it. A customer who gets no further than step 1 counts with the first step-1
    event (``t1`` of the spans, kept for a breakdown only).

    Each level's attempts are kept in the engine until ``levels`` closes: as one query, the
    whole chain held every level's sorts and joins in memory at once (at 100M events 1.5 GB,
    and it spilled; level by level it takes 15% less time).
    """
    n = len(spec.steps)
    first = steps.filter(steps[_STEP] == 1)
    # every step-1 event starts an attempt that has completed step 1 there
    reached = first.select(CUSTOMER, **{_AT: first[TS], step_time(1): first[TS]})
    null = ibis.null(first[TS].type())
    counted = spans.select(
        CUSTOMER,
        level=ibis.literal(1, type="int64"),
        **{step_time(1): spans[step_time(1)] if step_time(1) in spans.columns else null},
        **{step_time(j): null for j in range(2, n + 1)},
    )
    for k in range(2, n + 1):
        reached = _next_step(reached, steps.filter(steps[_STEP] == k), spec, k)
        reached = levels.enter_context(reached.cache())
        best = reached.group_by(CUSTOMER).aggregate(
            **{_best(j): reached[step_time(j)].min() for j in range(1, k + 1)}
        )
        joined = counted.left_join(best, counted[CUSTOMER] == best[CUSTOMER])
        further = best[_best(1)].notnull()
        counted = joined.select(
            counted[CUSTOMER],
            level=ibis.ifelse(further, k, counted["level"]),
            **{
                step_time(j): ibis.ifelse(further, best[_best(j)], counted[step_time(j)])
                if j <= k
                else counted[step_time(j)]
                for j in range(1, n + 1)
            },
        )
    return counted


def _best(j: int) -> str:
    return f"best{j}"


def _next_step(reached: ir.Table, events: ir.Table, spec: FunnelSpec, k: int) -> ir.Table:
    """The attempts that complete step ``k``: customer, at (= t``k``), t1..t``k``.

    On DuckDB an ASOF join gives every event of step ``k`` the customer's latest attempt row at
    or before it (30-50% less work than the window); other engines use the window.
    """
    path = [step_time(j) for j in range(1, k)]
    if engine_name(events) == "duckdb":
        hits = events.select(CUSTOMER, **{_AT: events[TS]})
        latest = reached.select(*path, **{_ON: reached[CUSTOMER], _SINCE: reached[_AT]})
        both = hits.asof_join(
            latest, on=hits[_AT] >= latest[_SINCE], predicates=hits[CUSTOMER] == latest[_ON]
        )
        start = both[step_time(1)]
        done = both.filter(start.notnull() & (window_end(start, spec) >= both[_AT]))
    else:
        attempts = reached.select(CUSTOMER, _AT, *path, **{_KIND: ibis.literal(0, type="int8")})
        hits = events.select(
            CUSTOMER,
            **{_AT: events[TS]},
            **{c: ibis.null(attempts[c].type()) for c in path},
            **{_KIND: ibis.literal(1, type="int8")},
        )
        both = attempts.union(hits)
        before = ibis.window(group_by=CUSTOMER, order_by=[_AT, _KIND], rows=(None, -1))
        both = both.mutate(**{c: both[c].max().over(before) for c in path}).view()
        start = both[step_time(1)]
        done = both.filter(
            (both[_KIND] == 1) & start.notnull() & (window_end(start, spec) >= both[_AT])
        )
    # one row per attempt, at its first completion of step k
    return done.group_by([CUSTOMER, step_time(1)]).aggregate(
        **{_AT: done[_AT].min()},
        **{c: done[c].min() for c in path[1:]},
        **{step_time(k): done[_AT].min()},
    )


def _start_codes(steps: ir.Table, spans: ir.Table) -> ir.Table:
    """Per customer whose id the spans kept, and step-1 time: the smallest code there (or null)."""
    first = steps.filter(steps[_STEP] == 1)
    kept = spans.filter(spans[CUSTOMER].notnull()).select(CUSTOMER)
    first = first.inner_join(kept, CUSTOMER)
    return first.group_by([CUSTOMER, TS]).aggregate(**{_CODE: first[_CODE].min()})


def _with_breakdown(counted: ir.Table, starts: ir.Table | None) -> ir.Table:
    """Add the breakdown code of the counted attempt's start (:func:`_start_codes`).

    Without a breakdown (``starts`` is None) the column is a null.
    """
    if starts is None:
        return counted.mutate(**{BREAKDOWN: ibis.null("string")})
    counted = counted.view()
    joined = counted.left_join(
        starts,
        (counted[CUSTOMER] == starts[CUSTOMER]) & (counted[step_time(1)] == starts[TS]),
    )
    return joined.select(*[counted[c] for c in counted.columns], starts[_CODE].name(BREAKDOWN))


def _lined_breakdown(lined: ir.Table, starts: ir.Table | None) -> ir.Table:
    """Add the breakdown code of lined-up customers' counted starts.

    Where all of a customer's step-1 events carry one code (or none), that is the code; the
    others look their start up in ``starts``.
    """
    if starts is None:
        return _with_breakdown(lined, None)
    alone = _one_code(lined)
    columns = [c for c in lined.columns if c not in (_LOW, _HIGH)]
    one = lined.filter(alone).select(
        *columns, **{BREAKDOWN: lined[_LOW].nullif(_NO_CODE).cast(starts[_CODE].type())}
    )
    several = _with_breakdown(lined.filter(~alone).select(*columns), starts)
    return one.union(several.select(*one.columns))
