"""Bring any Ibis table into the canonical event schema: rename, cast, check, name the culprit."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import ibis
import ibis.expr.datatypes as dt

from journeymap.data.engine import naive_utc
from journeymap.data.events import CANONICAL_COLUMNS, REQUIRED_COLUMNS, Events, EventsError

_TEXT_COLUMNS = ("customer_id", "event", "session_id", "channel", "touchpoint", "stage")
PROPERTIES_TYPE = dt.Map(dt.string, dt.string)


def to_canonical(
    table: ibis.Table, *, label: str, columns: Mapping[str, str] | None = None
) -> Events:
    """Rename, cast and check ``table`` into the canonical event schema.

    Canonical columns get their types (text ids, UTC timestamp, float revenue, a string-to-string
    ``properties`` map); other columns are kept as they are. Raises :class:`EventsError` for a
    missing column, an unparseable or empty timestamp, an empty id or event, or a bad revenue.
    """
    renamed = _rename(table, label, columns or {})
    sources = {target: source for source, target in (columns or {}).items()}

    def named(column: str) -> str:
        source = sources.get(column)
        return f"column {column!r}" + (f" (source column {source!r})" if source else "")

    schema = renamed.schema()
    missing = [c for c in REQUIRED_COLUMNS if c not in schema]
    if missing:
        raise EventsError(
            f"{label}: missing column {missing[0]!r}; the columns are "
            f"{', '.join(schema.names)}; map another column with columns={{'<name>': "
            f"'{missing[0]}'}} (CLI: --columns <name>={missing[0]})"
        )

    typed: dict[str, ibis.Value] = {}
    checks: dict[str, ibis.Value] = {}
    for column in _TEXT_COLUMNS:
        if column in schema:
            typed[column] = renamed[column].cast(dt.string)
    for column in ("customer_id", "event"):
        checks[f"empty {column}"] = renamed[column].isnull().sum()

    raw_ts = renamed["timestamp"]
    typed["timestamp"] = _utc_timestamp(raw_ts, schema["timestamp"], label, named("timestamp"))
    checks["empty timestamp"] = raw_ts.isnull().sum()
    if schema["timestamp"].is_string():
        checks["bad timestamp"] = (raw_ts.notnull() & typed["timestamp"].isnull()).sum()

    if "revenue" in schema:
        revenue_type = schema["revenue"]
        if revenue_type.is_string():
            typed["revenue"] = renamed["revenue"].try_cast(dt.float64)
            checks["bad revenue"] = (renamed["revenue"].notnull() & typed["revenue"].isnull()).sum()
        elif revenue_type.is_numeric():
            typed["revenue"] = renamed["revenue"].cast(dt.float64)
        else:
            raise EventsError(f"{label}: {named('revenue')} must be numeric, not {revenue_type}")
    if "properties" in schema:
        typed["properties"] = _properties_map(renamed, schema["properties"], label)

    _run_checks(renamed, typed, checks, label, named)
    ordered = [c for c in CANONICAL_COLUMNS if c in typed]
    extras = [c for c in renamed.columns if c not in typed]
    result = renamed.select(*[typed[c].name(c) for c in ordered], *extras)
    return Events(result, source=label)


def _rename(table: ibis.Table, label: str, columns: Mapping[str, str]) -> ibis.Table:
    if not columns:
        return table
    for source, target in columns.items():
        if target not in CANONICAL_COLUMNS:
            hint = (
                f" (did you mean {{{target!r}: {source!r}}}? the mapping goes source -> canonical)"
                if source in CANONICAL_COLUMNS
                else ""
            )
            raise EventsError(
                f"{label}: cannot map column {source!r} to {target!r}: not a canonical column "
                f"({', '.join(CANONICAL_COLUMNS)}){hint}"
            )
        if source not in table.columns:
            raise EventsError(
                f"{label}: column {source!r} (mapped to {target!r}) not found; the columns are "
                f"{', '.join(table.columns)}"
            )
        if target in table.columns and target not in columns:
            raise EventsError(
                f"{label}: column {source!r} is mapped to {target!r}, but the file already has "
                f"a column {target!r}"
            )
    targets = list(columns.values())
    doubled = {t for t in targets if targets.count(t) > 1}
    if doubled:
        raise EventsError(f"{label}: several columns are mapped to {sorted(doubled)[0]!r}")
    return table.rename({target: source for source, target in columns.items()})


def _utc_timestamp(raw: ibis.Value, dtype: dt.DataType, label: str, name: str) -> ibis.Value:
    """A naive timestamp holding UTC wall-clock time, from any usable column type."""
    if isinstance(dtype, dt.Timestamp):
        return naive_utc(raw) if dtype.timezone is not None else raw
    if dtype.is_date():
        return raw.cast(dt.Timestamp())
    if dtype.is_string():
        # Text with an offset is converted to UTC; text without one is taken as UTC.
        return naive_utc(raw.try_cast(dt.Timestamp(timezone="UTC")))
    raise EventsError(
        f"{label}: {name} must hold timestamps or ISO 8601 text, not {dtype} "
        "(epoch numbers are not guessed: convert them first)"
    )


def _properties_map(table: ibis.Table, dtype: dt.DataType, label: str) -> ibis.Value:
    column = table["properties"]
    if isinstance(dtype, dt.Map):
        return column.cast(PROPERTIES_TYPE)
    if isinstance(dtype, dt.Struct):
        keys = list(dtype.names)
        values = [column[key].cast(dt.string) for key in keys]
        return ibis.map(ibis.array(keys), ibis.array(values))
    raise EventsError(
        f"{label}: column 'properties' must be a map or a struct (nested object), not {dtype}; "
        "keep plain values as their own columns instead"
    )


def _run_checks(
    table: ibis.Table,
    typed: Mapping[str, ibis.Value],
    checks: Mapping[str, ibis.Value],
    label: str,
    named: Callable[[str], str],
) -> None:
    counts = table.aggregate(**{key.replace(" ", "_"): value for key, value in checks.items()})
    row = counts.to_pyarrow().to_pylist()[0]
    for key in checks:
        bad = row[key.replace(" ", "_")] or 0
        if not bad:
            continue
        kind, column = key.split(" ")
        what = named(column)
        if kind == "empty":
            raise EventsError(f"{label}: {what} is empty in {bad} row(s)")
        raw = table[column]
        example = (
            table.filter(raw.notnull() & typed[column].isnull())
            .select(raw.name("value"))
            .limit(1)
            .to_pyarrow()
            .column("value")[0]
            .as_py()
        )
        expected = "a timestamp" if column == "timestamp" else "a number"
        raise EventsError(f"{label}: {what}: cannot read {example!r} as {expected} ({bad} row(s))")
