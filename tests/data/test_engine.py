"""Engine connection: DuckDB settings, bad URLs, and writing one Parquet file on either engine."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from ibis.backends import BaseBackend

from journeymap.data.engine import (
    EngineError,
    connect,
    is_spark,
    load_table,
    naive_utc,
    write_parquet,
)


def test_duckdb_gets_a_memory_limit_block_allocator_spill_directory_and_utc(tmp_path: Path) -> None:
    backend = connect("duckdb://", memory_limit="1GB", temp_directory=str(tmp_path))
    con = backend.con  # type: ignore[attr-defined]

    def setting(name: str) -> str:
        return str(con.execute(f"select current_setting('{name}')").fetchall()[0][0])

    assert setting("memory_limit") in {"1.0 GiB", "953.6 MiB"}
    assert setting("block_allocator_memory") == setting("memory_limit")
    assert setting("temp_directory") == str(tmp_path)
    assert setting("TimeZone") == "UTC"
    assert not is_spark(backend)


def test_duckdb_file_url_persists_tables(tmp_path: Path) -> None:
    path = tmp_path / "events.db"
    backend = connect(f"duckdb://{path}")
    backend.create_table("t", pd.DataFrame({"x": [1]}))
    assert connect(f"duckdb://{path}").table("t").count().execute() == 1


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("pyspark://yarn", "expected pyspark://local or pyspark://local[N]"),
        ("pyspark://local[two]", "expected pyspark://local"),
        ("nosuchengine://x", "nosuchengine://x: cannot connect"),
        ("not a url", "not a url: cannot connect"),
    ],
)
def test_bad_engine_urls_are_refused_with_the_url(url: str, message: str) -> None:
    with pytest.raises(EngineError) as caught:
        connect(url)
    assert message in str(caught.value)


@pytest.mark.spark
def test_write_parquet_gives_one_file_on_both_engines(tmp_path: Path, backend: BaseBackend) -> None:
    frame = pd.DataFrame(
        {"customer_id": ["a", "b"], "timestamp": [datetime(2024, 1, 1), datetime(2024, 1, 2)]}
    )
    target = tmp_path / f"{backend.name}.parquet"
    write_parquet(backend, load_table(backend, frame), target)
    assert target.is_file()
    assert sorted(pq.read_table(target).column("customer_id").to_pylist()) == ["a", "b"]
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


@pytest.mark.spark
def test_write_parquet_sorts_the_rows_on_both_engines(tmp_path: Path, backend: BaseBackend) -> None:
    ids = [f"c{n:03d}" for n in range(300)]
    frame = pd.DataFrame(
        {"customer_id": ids[::-1], "timestamp": [datetime(2024, 1, 1)] * len(ids)}
    ).sample(frac=1, random_state=1)
    target = tmp_path / f"{backend.name}.parquet"
    write_parquet(backend, load_table(backend, frame), target, sort_by=["customer_id"])
    assert pq.read_table(target).column("customer_id").to_pylist() == ids
    if backend.name == "duckdb":  # the order kept for the write only
        setting = "SELECT current_setting('preserve_insertion_order')"
        assert backend.raw_sql(setting).fetchone() == (False,)


def test_naive_utc_gives_the_utc_wall_clock_of_zoned_timestamps(backend: BaseBackend) -> None:
    instants = [datetime(1969, 12, 31, 23, 59, 59, 999999), datetime(2024, 6, 1, 12, 0, 0, 1)]
    zoned = pd.DataFrame(
        {"at": pd.Series(instants, dtype="datetime64[us]").dt.tz_localize("UTC")}
    ).assign(at=lambda f: f["at"].dt.tz_convert("Europe/Warsaw"))
    table = load_table(backend, zoned)
    naive = table.select(at=naive_utc(table["at"]))
    assert naive.schema()["at"].timezone is None
    assert sorted(naive.execute()["at"].dt.to_pydatetime()) == instants
