"""Durations are equal on DuckDB and Spark: sub-second, across a millisecond, before 1970."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from ibis.backends import BaseBackend

from journeymap.analytics.durations import (
    epoch_arithmetic,
    epoch_millis,
    millis_between,
    seconds_between,
)
from journeymap.data.engine import connect, load_table

pytestmark = pytest.mark.spark

# before and after 1970, under a millisecond apart, across a millisecond boundary
PAIRS = [
    ("1969-12-31 23:59:59.999500", "1970-01-01 00:00:00.000500", 1),
    ("2024-06-01 10:00:00.000900", "2024-06-01 10:00:00.002100", 2),
    ("2024-06-01 10:00:00.000100", "2024-06-01 10:00:00.000900", 0),
    ("1960-03-01 00:00:00.000250", "2024-06-01 00:00:01.250999", 2027635201250),
]
# each time's whole milliseconds since 1970, rounded down
EPOCH_MILLIS = {
    "1969-12-31 23:59:59.999500": -1,
    "1970-01-01 00:00:00.000500": 0,
    "1960-03-01 00:00:00.000250": -310435200000,
}


def _table(backend: BaseBackend, column: str, values: list[str]) -> Any:
    frame = pd.DataFrame(
        {column: pd.to_datetime(values).tz_localize("UTC"), "i": range(len(values))}
    )
    return load_table(backend, frame)


def _pairs(backend: BaseBackend) -> Any:
    frame = pd.DataFrame(
        {
            "a": pd.to_datetime([a for a, _, _ in PAIRS]).tz_localize("UTC"),
            "b": pd.to_datetime([b for _, b, _ in PAIRS]).tz_localize("UTC"),
            "i": range(len(PAIRS)),
        }
    )
    return load_table(backend, frame)


@pytest.mark.parametrize("engine", ["duckdb", "spark", "epoch"])
def test_millis_between_cuts_each_time_to_its_millisecond(
    spark_backend: BaseBackend, engine: str
) -> None:
    # "epoch": the arithmetic other engines get, run on DuckDB
    table = _pairs(spark_backend if engine == "spark" else connect())
    a, b = table["a"], table["b"]
    millis = (
        epoch_arithmetic(b) - epoch_arithmetic(a) if engine == "epoch" else millis_between(a, b)
    )
    got = table.select("i", d=millis).order_by("i").execute()
    assert got["d"].tolist() == [expected for _, _, expected in PAIRS]


@pytest.mark.parametrize("engine", ["duckdb", "spark"])
def test_seconds_between_keeps_the_milliseconds(spark_backend: BaseBackend, engine: str) -> None:
    table = _pairs(spark_backend if engine == "spark" else connect())
    got = table.select("i", s=seconds_between(table["a"], table["b"])).order_by("i").execute()
    assert got["s"].tolist() == [0.001, 0.002, 0.0, 2027635201.25]


@pytest.mark.parametrize("engine", ["duckdb", "spark"])
def test_epoch_millis_rounds_down_before_1970(spark_backend: BaseBackend, engine: str) -> None:
    values = list(EPOCH_MILLIS)
    table = _table(spark_backend if engine == "spark" else connect(), "t", values)
    got = table.select("i", m=epoch_millis(table["t"])).order_by("i").execute()
    assert got["m"].tolist() == list(EPOCH_MILLIS.values())
