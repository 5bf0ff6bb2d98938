"""Shared fixtures: engines to run analytics on (DuckDB always, PySpark under the spark marker)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from ibis.backends import BaseBackend

from journeymap.data.engine import connect


@pytest.fixture(scope="session")
def spark_backend() -> Iterator[BaseBackend]:
    """One local Spark session for the whole test run (it takes ~10 s to start)."""
    backend = connect("pyspark://local[2]")
    yield backend


@pytest.fixture(params=["duckdb", pytest.param("spark", marks=pytest.mark.spark)])
def backend(request: pytest.FixtureRequest) -> BaseBackend:
    """Each engine in turn: a fresh in-memory DuckDB, then the shared Spark session."""
    if request.param == "duckdb":
        return connect()
    backend: BaseBackend = request.getfixturevalue("spark_backend")
    return backend
