"""Read event files (CSV, Parquet, JSON Lines, GA4 exports) into the canonical ``Events`` table.

Everything stays lazy in the engine: the files are registered as views, the canonical columns are
Ibis expressions over them, and the only queries run here are one aggregate that checks the data
(and, when that check fails on several files, one per file to name the culprit).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from ibis.backends import BaseBackend

from journeymap.data.canonical import to_canonical
from journeymap.data.engine import connect, read_files
from journeymap.data.events import Events, EventsError
from journeymap.data.ga4 import ga4_events
from journeymap.data.layout import KEY_COLUMN, customer_layout
from journeymap.data.sources import resolve_source

READ_FORMATS: tuple[str, ...] = ("parquet", "csv", "jsonl", "ga4")


def read_events(
    source: str | Path,
    *,
    format: str | None = None,
    backend: BaseBackend | None = None,
    columns: Mapping[str, str] | None = None,
) -> Events:
    """Read ``source`` (a file, glob or directory) into canonical ``Events`` on ``backend``.

    ``format`` is ``parquet``, ``csv``, ``jsonl`` or ``ga4`` (a GA4 BigQuery export in Parquet or
    JSON Lines files, see :mod:`journeymap.data.ga4`); by default the file suffix decides.
    ``columns`` maps the source's column names to canonical ones, e.g.
    ``{"user": "customer_id", "ts": "timestamp"}``. Timestamps come out as UTC. Bad input raises
    :class:`EventsError` naming the file and the column. Parquet files sorted by customer get
    their ``customer_bounds``, and files journeymap wrote their ``customer_key``
    (:mod:`journeymap.data.layout`).
    """
    if format is not None and format not in READ_FORMATS:
        raise EventsError(
            f"{source}: unknown format {format!r}; expected one of {', '.join(READ_FORMATS)}"
        )
    engine = backend if backend is not None else connect()
    ga4 = format == "ga4"
    found = resolve_source(source, None if ga4 else format)

    def read(files: tuple[str, ...], label: str) -> Events:
        table = read_files(engine, found.format, files)
        if ga4:
            table = ga4_events(table, label=label)
        return to_canonical(table, label=label, columns=columns)

    try:
        events = read(found.files, found.label)
    except EventsError:
        if len(found.files) > 1:
            # Name the file at fault: check each one alone (only on this error path).
            for name in found.files:
                read((name,), name)
        raise
    if found.format != "parquet" or ga4:
        return events
    mapping = columns or {}
    customer = next((s for s, t in mapping.items() if t == "customer_id"), "customer_id")
    renamed = KEY_COLUMN in {*mapping, *mapping.values()}  # then the key is not ours to trust
    key, bounds = customer_layout(found.files, customer, keyed=not renamed)
    return replace(events, customer_bounds=bounds, customer_key=key)
