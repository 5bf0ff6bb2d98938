"""Ordered step sequences per customer or per session: the base of every path analysis.

Event order is deterministic: by timestamp, then by event name, then by the step value. Two events
with the same timestamp therefore always come out in the same order, on every engine.
Rows whose step value (the ``by`` column) is null or empty are not steps and are left out.
"""

from __future__ import annotations

from typing import Literal

import ibis

from journeymap.data.events import Events, EventsError, as_table

StepColumn = Literal["touchpoint", "stage", "event"]
PathUnit = Literal["customer", "session"]
STEP_COLUMNS: tuple[str, ...] = ("touchpoint", "stage", "event")
PATH_UNITS: tuple[str, ...] = ("customer", "session")
START = "(start)"
END = "(end)"
ARROW = " → "


def group_keys(per: str) -> list[str]:
    """The columns that identify one path: the customer, or the customer's session."""
    if per not in PATH_UNITS:
        raise ValueError(f"per must be one of {', '.join(PATH_UNITS)}, not {per!r}")
    return ["customer_id"] if per == "customer" else ["customer_id", "session_id"]


def step_rows(events: Events | ibis.Table, *, by: str, per: str) -> ibis.Table:
    """The events as steps: the path keys, ``timestamp``, ``event`` and ``step`` (the ``by`` value).

    Rows without a step value (or, per session, without a session id) are dropped.
    """
    table = as_table(events)
    if by not in STEP_COLUMNS:
        raise ValueError(f"by must be one of {', '.join(STEP_COLUMNS)}, not {by!r}")
    keys = group_keys(per)
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
