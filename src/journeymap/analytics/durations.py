"""Time between two timestamps, equal on every engine: whole milliseconds, and seconds from them.

Engines disagree on epoch seconds: DuckDB's keep the fraction of a second, Spark's are whole and
round towards zero before 1970. Every duration the analytics report goes through this module,
so that DuckDB and Spark give the same figures on sub-second and pre-1970 times.
"""

from __future__ import annotations

from datetime import UTC, datetime

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir

from journeymap.data.engine import engine_name

_EPOCH = datetime(1970, 1, 1)


def millis_between(earlier: ir.TimestampValue, later: ir.TimestampValue) -> ir.IntegerValue:
    """Whole milliseconds from ``earlier`` to ``later``, each time cut down to its millisecond.

    DuckDB's ``date_diff('millisecond')`` counts exactly that; Spark SQL and BigQuery have
    ``unix_millis``; other engines get the arithmetic on the epoch (:func:`epoch_arithmetic`).
    """
    engine = engine_name(earlier) or engine_name(later)  # a literal has no engine
    if engine == "duckdb":
        return later.delta(earlier, unit="millisecond")
    if engine in ("pyspark", "bigquery"):
        return _unix_millis(later) - _unix_millis(earlier)
    return epoch_arithmetic(later) - epoch_arithmetic(earlier)


def seconds_between(earlier: ir.TimestampValue, later: ir.TimestampValue) -> ir.FloatingValue:
    """Seconds from ``earlier`` to ``later``, to the millisecond (:func:`millis_between`)."""
    return as_seconds(millis_between(earlier, later))


def as_seconds(millis: ir.IntegerValue) -> ir.FloatingValue:
    """A duration in whole milliseconds as seconds."""
    return millis.cast("float64") / 1000.0


def epoch_millis(ts: ir.TimestampValue) -> ir.IntegerValue:
    """Milliseconds since 1970-01-01 UTC, rounded down (a difference is :func:`millis_between`)."""
    epoch = _EPOCH.replace(tzinfo=UTC) if ts.type().timezone else _EPOCH
    return millis_between(ibis.literal(epoch, type=ts.type()), ts)


@ibis.udf.scalar.builtin(name="unix_millis")
def _unix_millis(ts: dt.timestamp) -> dt.int64:
    """Milliseconds since 1970, rounded down (the engine's own function)."""


def epoch_arithmetic(ts: ir.TimestampValue) -> ir.IntegerValue:
    """Milliseconds since 1970 from the epoch seconds, rounded down, and the millisecond.

    Exact where the engine's epoch seconds keep their fraction or round down (DuckDB's do); an
    engine whose epoch seconds round towards zero is off by a second before 1970.
    """
    return ts.epoch_seconds().floor().cast("int64") * 1000 + ts.millisecond().cast("int64")
