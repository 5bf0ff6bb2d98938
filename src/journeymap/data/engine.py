"""Engine connection: the one place where DuckDB and PySpark differences live."""

from __future__ import annotations

import itertools
import re
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.datatypes as dt
import pandas as pd
import pyarrow as pa
from ibis.backends import BaseBackend

# DuckDB's limit covers its buffer manager only; Python, Arrow and the libraries add about
# 350 MiB, so 1.5 GB keeps a whole analysis process under 2 GiB (it spills beyond that).
DEFAULT_MEMORY_LIMIT = "1.5GB"
_names = itertools.count()
_SPARK_URL = re.compile(r"^pyspark://(?P<master>local(\[[0-9*]+\])?)$")


class EngineError(ValueError):
    """An engine URL or setting that cannot be used."""


def connect(
    url: str | None = None,
    *,
    memory_limit: str = DEFAULT_MEMORY_LIMIT,
    temp_directory: str | None = None,
    threads: int | None = None,
) -> BaseBackend:
    """Return an Ibis backend for ``url``.

    ``None`` or ``duckdb://`` is an in-memory DuckDB, ``duckdb:///path.db`` a DuckDB file; both
    get a memory limit and spill to ``temp_directory``. ``pyspark://local[N]`` starts (or reuses)
    a local Spark session. Any other URL goes to :func:`ibis.connect`.
    """
    if url is None or url.startswith("duckdb://"):
        path = "" if url is None else url.removeprefix("duckdb://")
        config: dict[str, Any] = {
            "memory_limit": memory_limit,
            "temp_directory": temp_directory or tempfile.gettempdir(),
            "preserve_insertion_order": False,
            # DuckDB's own allocator for its buffer blocks, up to the limit: blocks are reused
            # instead of returned to the OS and faulted in again (a 100M-event funnel spends
            # 0.35 s less in the kernel and runs 3% faster); freed when the connection closes
            "block_allocator_memory": memory_limit,
            # Ibis 12 writes lambdas with the arrow syntax that DuckDB 2 only accepts when asked.
            "lambda_syntax": "ENABLE_SINGLE_ARROW",
        }
        if threads:
            config["threads"] = threads
        return ibis.duckdb.connect(database=path or ":memory:", **config)
    if url.startswith("pyspark://"):
        match = _SPARK_URL.match(url)
        if not match:
            raise EngineError(f"{url}: expected pyspark://local or pyspark://local[N]")
        return _spark_backend(match.group("master"))
    try:
        return ibis.connect(url)
    except Exception as exc:  # ibis raises many types for a bad URL
        raise EngineError(f"{url}: cannot connect: {exc}") from exc


def _spark_backend(master: str) -> BaseBackend:
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master(master)
        .appName("journeymap")
        .config("spark.sql.session.timeZone", "UTC")
        # Ibis compiles for Spark's non-ANSI semantics (an array index or map key that is not
        # there gives NULL, as on DuckDB); Spark 4 turned ANSI mode on by default.
        .config("spark.sql.ansi.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.driver.memory", "2g")
        .getOrCreate()
    )
    return ibis.pyspark.connect(session)


def is_spark(backend: BaseBackend) -> bool:
    """True when ``backend`` is Ibis' PySpark backend."""
    return backend.name == "pyspark"


@ibis.udf.scalar.builtin(name="epoch_us", signature=((dt.Timestamp(timezone="UTC"),), dt.int64))
def _epoch_us(value: Any) -> Any:  # DuckDB: microseconds since 1970-01-01 UTC
    ...


@ibis.udf.scalar.builtin(name="make_timestamp", signature=((dt.int64,), dt.Timestamp()))
def _make_timestamp(microseconds: Any) -> Any:  # DuckDB: a naive timestamp from epoch micros
    ...


def engine_name(expr: ibis.Expr) -> str:
    """The name of the engine behind ``expr`` ("duckdb", "pyspark", ...), "" when unbound."""
    try:
        return str(expr._find_backend().name)
    except Exception:  # an unbound expression: no engine to tune for
        return ""


def naive_utc(value: ibis.Value) -> ibis.Value:
    """A timestamp with a time zone as a naive timestamp holding its UTC wall-clock time.

    DuckDB's cast to a naive timestamp goes through ICU and the session's time zone, about 7x
    slower per row than going through epoch microseconds (a full second per 10M events, paid by
    every query that reads the timestamp); other engines cast.
    """
    if engine_name(value) == "duckdb":
        return _make_timestamp(_epoch_us(value.cast(dt.Timestamp(timezone="UTC"))))
    return value.cast(dt.Timestamp())


def read_files(backend: BaseBackend, file_format: str, files: Sequence[str]) -> ibis.Table:
    """Register ``files`` (parquet, csv or jsonl) in ``backend`` as a lazy table, read nothing yet.

    CSV columns are all read as text (the readers cast the canonical columns themselves, so that
    ids keep their leading zeros); several files are united by column name.
    """
    paths = list(files)
    if is_spark(backend):
        return _spark_read(backend, file_format, paths)
    if file_format == "parquet":
        return backend.read_parquet(paths, union_by_name=True)
    if file_format == "csv":
        options: dict[str, Any] = {"all_varchar": True, "union_by_name": True, "header": True}
        if all(p.lower().removesuffix(".gz").endswith(".tsv") for p in paths):
            options["delim"] = "\t"
        return backend.read_csv(paths, **options)
    if file_format == "jsonl":
        return backend.read_json(paths, format="newline_delimited", union_by_name=True)
    raise EngineError(f"cannot read files of format {file_format!r}")


def _spark_read(backend: BaseBackend, file_format: str, paths: list[str]) -> ibis.Table:
    reader = backend._session.read
    if file_format == "parquet":
        frame = reader.option("mergeSchema", "true").parquet(*paths)
    elif file_format == "csv":
        sep = "\t" if all(p.lower().removesuffix(".gz").endswith(".tsv") for p in paths) else ","
        frame = reader.csv(paths, header=True, inferSchema=False, sep=sep)
    elif file_format == "jsonl":
        frame = reader.json(paths)
    else:
        raise EngineError(f"cannot read files of format {file_format!r}")
    name = f"jm_read_{next(_names)}"
    frame.createOrReplaceTempView(name)
    return backend.table(name)


def write_parquet(
    backend: BaseBackend,
    table: ibis.Table,
    path: str | Path,
    *,
    sort_by: Sequence[str] = (),
    metadata: Mapping[str, str] | None = None,
) -> None:
    """Write ``table`` to one Parquet file at ``path``, inside the engine (nothing via Python).

    ``sort_by`` orders the rows (and so the row groups) by those columns. ``metadata`` goes
    into the file's footer, on DuckDB only (:func:`writes_metadata`). Spark writes a directory
    of parts; here it writes one part into a scratch directory beside ``path`` and moves that
    file to ``path``.
    """
    if metadata and not writes_metadata(backend):
        raise EngineError(f"{backend.name} cannot write Parquet footer metadata")
    target = Path(path)
    if sort_by:
        table = table.order_by(list(sort_by))
    if backend.name == "duckdb":
        # DuckDB writes the rows of an ORDER BY in order only when asked to keep it
        keep = backend.raw_sql("SELECT current_setting('preserve_insertion_order')").fetchone()
        backend.raw_sql("SET preserve_insertion_order = true")
        try:
            table.to_parquet(target, **({"kv_metadata": dict(metadata)} if metadata else {}))
        finally:
            backend.raw_sql(f"SET preserve_insertion_order = {bool(keep and keep[0])}")
        return
    if not is_spark(backend):
        table.to_parquet(target)
        return
    frame = backend._session.sql(backend.compile(table))
    with tempfile.TemporaryDirectory(prefix=f".{target.name}.", dir=target.parent) as scratch:
        folder = Path(scratch) / "out"
        frame.coalesce(1).write.parquet(str(folder))
        parts = sorted(folder.glob("part-*.parquet"))
        if len(parts) != 1:
            raise EngineError(f"{target}: Spark wrote {len(parts)} parts, expected one")
        parts[0].replace(target)


def writes_metadata(backend: BaseBackend) -> bool:
    """True when :func:`write_parquet` can put metadata into the footer on ``backend``."""
    return backend.name == "duckdb"


def load_table(
    backend: BaseBackend, data: pd.DataFrame | pa.Table, name: str | None = None
) -> ibis.Table:
    """Put in-memory ``data`` into ``backend`` and return it as an Ibis table.

    PySpark's Ibis backend has no temporary tables, so there the data becomes a temp view.
    """
    name = name or f"jm_mem_{next(_names)}"
    frame = data.to_pandas() if isinstance(data, pa.Table) else data
    if is_spark(backend):
        session = backend._session
        session.createDataFrame(frame).createOrReplaceTempView(name)
        return backend.table(name)
    return backend.create_table(name, frame, temp=True, overwrite=True)
