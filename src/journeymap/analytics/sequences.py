"""Ordered step sequences per customer or per session: the base of every path analysis.

Event order is deterministic: by timestamp, then by event name, then by the step value. Two events
with the same timestamp therefore always come out in the same order, on every engine.
Rows whose step value (the ``by`` column) is null or empty are not steps and are left out.

Two forms: :func:`ordered_steps` numbers the steps row by row (window functions), and
:func:`path_counts` builds each path as one array of small integer step codes (one ordered
aggregation per path, no window) and counts the distinct paths; the path analyses use the latter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import ibis
import ibis.expr.datatypes as dt
import pandas as pd

from journeymap.data.events import Events, EventsError, as_events, as_table

StepColumn = Literal["touchpoint", "stage", "event"]
PathUnit = Literal["customer", "session"]
STEP_COLUMNS: tuple[str, ...] = ("touchpoint", "stage", "event")
PATH_UNITS: tuple[str, ...] = ("customer", "session")
START = "(start)"
END = "(end)"
ARROW = " → "
START_CODE = -1  # the code of START in path arrays turned into moves or flows
END_CODE = -2  # the code of END
# Sort keys pack (microseconds since the first day, event code, step code) into one int64 when
# the product stays below this; otherwise they are (microseconds, code) structs (slower).
PACKED_KEY_LIMIT = 2**62
_CODES_SCHEMA = ibis.schema({"event": "string", "step": "string", "code": "int64"})


def group_keys(per: str, customer: str = "customer_id") -> list[str]:
    """The columns that identify one path: the customer, or the customer's session.

    ``customer`` is the column that tells customers apart: the id, or where no id is reported
    the customer key (``Events.customer_column``).
    """
    if per not in PATH_UNITS:
        raise ValueError(f"per must be one of {', '.join(PATH_UNITS)}, not {per!r}")
    return [customer] if per == "customer" else [customer, "session_id"]


def step_rows(
    events: Events | ibis.Table, *, by: str, per: str, customer: str = "customer_id"
) -> ibis.Table:
    """The events as steps: the path keys, ``timestamp``, ``event`` and ``step`` (the ``by`` value).

    Rows without a step value (or, per session, without a session id) are dropped. ``customer``
    is the customer column of the keys (:func:`group_keys`).
    """
    table = as_table(events)
    if by not in STEP_COLUMNS:
        raise ValueError(f"by must be one of {', '.join(STEP_COLUMNS)}, not {by!r}")
    keys = group_keys(per, customer)
    for column in (by, *keys):
        if column not in table.columns:
            raise EventsError(
                f"the events have no {column!r} column (needed for by={by}, per={per})"
            )
    step = table[by].cast("string")
    keep = step.notnull() & (step != "")
    for key in keys:
        keep &= table[key].notnull()
    return table.filter(keep).select(*keys, "timestamp", "event", step=step)


def ordered_steps(
    events: Events | ibis.Table, *, by: str, per: str, collapse_repeats: bool
) -> ibis.Table:
    """Steps numbered 1, 2, ... along each path in ``pos``, optionally without consecutive repeats.

    With ``collapse_repeats`` a step equal to the one before it in the same path is dropped
    (``a a b a`` becomes ``a b a``) before numbering.
    """
    rows = step_rows(events, by=by, per=per)
    keys = group_keys(per)
    window = ibis.window(group_by=keys, order_by=[rows.timestamp, rows.event, rows.step])
    if not collapse_repeats:
        return rows.mutate(pos=ibis.row_number().over(window) + 1)
    rows = rows.mutate(prev=rows.step.lag().over(window), raw_pos=ibis.row_number().over(window))
    changed = rows.filter(rows.prev.isnull() | (rows.prev != rows.step))
    renumber = ibis.window(group_by=keys, order_by=changed.raw_pos)
    return changed.mutate(pos=ibis.row_number().over(renumber) + 1).drop("prev", "raw_pos")


@dataclass(frozen=True)
class PathCounts:
    """The distinct paths and how many paths (customers or sessions) follow each.

    ``table`` (in the engine) has ``path``, an array of int64 step codes in event order, and
    ``count``; code ``i`` stands for ``labels[i]``, and codes sort as their labels do, so ordering
    code arrays orders the paths by their labels.
    """

    table: ibis.Table
    labels: tuple[str, ...]

    def label(self, code: int) -> str:
        """The step value of ``code``; ``START_CODE``/``END_CODE`` give ``(start)``/``(end)``."""
        if code == START_CODE:
            return START
        if code == END_CODE:
            return END
        return self.labels[code]

    def code(self, label: str) -> int | None:
        """The code of step value ``label``, None when no path has it."""
        return self.labels.index(label) if label in self.labels else None


def path_counts(
    events: Events | ibis.Table, *, by: str, per: str, collapse_repeats: bool
) -> PathCounts:
    """Every path as an array of step codes, counted by distinct path.

    One small query first reads the distinct (event, step) pairs and the time span; the steps are
    coded in label order, each event gets one int64 sort key (microseconds since the first day,
    then event code, then step code, so ties order as in :func:`ordered_steps`), and each path is
    the sorted array of its keys turned into step codes. With ``collapse_repeats`` a step equal to
    the one before it is dropped, on the distinct paths only. Rows without a timestamp are left out.
    Paths are told apart by the customer key where the events have one (no id is reported).
    """
    customer = as_events(events).customer_column
    rows = step_rows(events, by=by, per=per, customer=customer)
    pair = ["step"] if by == "event" else ["event", "step"]  # by="event": the step is the event
    seen = rows.group_by(pair).agg(first=rows.timestamp.min(), last=rows.timestamp.max()).execute()
    labels = tuple(sorted(seen["step"].unique()))
    step_code = {label: code for code, label in enumerate(labels)}
    steps = max(len(labels), 1)
    if by == "event":
        width, pair_codes = steps, [step_code[s] for s in seen["step"]]
    else:
        event_code = {name: code for code, name in enumerate(sorted(seen["event"].unique()))}
        width = steps * max(len(event_code), 1)
        pair_codes = [
            event_code[e] * steps + step_code[s]
            for e, s in zip(seen["event"], seen["step"], strict=True)
        ]
    codes = ibis.memtable(
        {
            "event": list(seen["event"] if by != "event" else seen["step"]),
            "step": list(seen["step"]),
            "code": pair_codes,
        },
        schema=_CODES_SCHEMA,
    )
    coded = rows.join(codes.select(*pair, "code"), pair)
    first_day = _first_day(seen["first"].min()) if len(seen) else datetime(1970, 1, 1)
    offset = coded.timestamp.delta(ibis.literal(first_day, type=dt.timestamp), unit="microsecond")
    span = _microseconds(seen["last"].max() - pd.Timestamp(first_day)) if len(seen) else 0
    keys = group_keys(per, customer)
    if (span + 1) * width < PACKED_KEY_LIMIT:
        keyed = coded.select(*keys, key=offset * width + coded.code)
        grouped = keyed.group_by(keys).agg(order=keyed.key.collect())
        paths = grouped.select(path=grouped.order.sort().map(lambda key: key % steps))
    else:
        keyed = coded.select(*keys, key=ibis.struct({"at": offset, "code": coded.code}))
        grouped = keyed.group_by(keys).agg(order=keyed.key.collect())
        paths = grouped.select(path=grouped.order.sort().map(lambda key: key.code % steps))
    counted = paths.group_by("path").agg(count=ibis._.count())
    counted = counted.filter(counted.path.length() > 0)  # a path of rows without timestamps
    if collapse_repeats:
        path = counted.path
        # the index never goes below 0: Spark's element_at fails on index 0 even when not needed
        kept = path.filter(lambda step, i: (i == 0) | (step != path[ibis.greatest(i - 1, 0)]))
        collapsed = counted.select(path=kept, count=counted["count"])
        counted = collapsed.group_by("path").agg(count=collapsed["count"].sum())
    return PathCounts(table=counted, labels=labels)


def _first_day(timestamp: pd.Timestamp) -> datetime:
    """Midnight before ``timestamp`` (a literal without fractions of a second, on every engine)."""
    return datetime(timestamp.year, timestamp.month, timestamp.day)


def _microseconds(delta: pd.Timedelta) -> int:
    return int(delta // pd.Timedelta(microseconds=1))
