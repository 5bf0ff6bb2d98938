"""The canonical event table and the ``Events`` wrapper around an Ibis table."""

from __future__ import annotations

from dataclasses import dataclass

import ibis
import ibis.expr.datatypes as dt

REQUIRED_COLUMNS: tuple[str, ...] = ("customer_id", "timestamp", "event")
OPTIONAL_COLUMNS: tuple[str, ...] = (
    "session_id",
    "channel",
    "touchpoint",
    "stage",
    "revenue",
    "properties",
)
CANONICAL_COLUMNS: tuple[str, ...] = REQUIRED_COLUMNS + OPTIONAL_COLUMNS


class EventsError(ValueError):
    """Event data that does not fit the canonical schema."""


@dataclass(frozen=True)
class Events:
    """An Ibis table with the canonical event columns, and which optional ones it has.

    ``customer_key`` names an integer column that stands for ``customer_id`` one to one (the
    key of files journeymap wrote, :func:`journeymap.data.layout.customer_layout`), or is None.
    ``customer_bounds`` are values of that key (else customer ids) that split the events into
    parts the engine can read apart (:func:`journeymap.data.layout.customer_layout`); empty
    when it cannot.
    """

    table: ibis.Table
    source: str = "<table>"
    customer_bounds: tuple[str | int, ...] = ()
    customer_key: str | None = None

    def __post_init__(self) -> None:
        columns = set(self.table.columns)
        missing = [c for c in REQUIRED_COLUMNS if c not in columns]
        if missing:
            raise EventsError(f"{self.source}: missing required column(s): {', '.join(missing)}")
        ts_type = self.table.schema()["timestamp"]
        if not isinstance(ts_type, dt.Timestamp):
            raise EventsError(
                f"{self.source}: column 'timestamp' must be a timestamp, not {ts_type}"
            )

    @property
    def optional_columns(self) -> tuple[str, ...]:
        """The optional canonical columns present in this table."""
        return tuple(c for c in OPTIONAL_COLUMNS if c in self.table.columns)

    @property
    def customer_column(self) -> str:
        """The column to group customers by where no id is reported: the key, else the id."""
        return self.customer_key or "customer_id"

    def has(self, column: str) -> bool:
        """True when the table has ``column``."""
        return column in self.table.columns


def as_events(events: Events | ibis.Table) -> Events:
    """``events`` as :class:`Events` (a bare table checked against the canonical schema)."""
    return events if isinstance(events, Events) else Events(events)


def as_table(events: Events | ibis.Table) -> ibis.Table:
    """The Ibis table behind ``events`` (checked against the canonical schema)."""
    return as_events(events).table
