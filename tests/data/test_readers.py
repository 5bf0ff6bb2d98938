"""Reading event files into the canonical schema: formats, layouts, UTC, and bad input."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from ibis.backends import BaseBackend

from journeymap.data.engine import connect
from journeymap.data.events import EventsError
from journeymap.data.readers import read_events


def _rows(events, order_by=("customer_id", "timestamp")) -> list[dict]:  # type: ignore[no-untyped-def]
    return events.table.order_by(list(order_by)).to_pyarrow().to_pylist()


def _write_csv(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_with_offsets_is_read_as_utc_and_keeps_leading_zeros(tmp_path: Path) -> None:
    source = _write_csv(
        tmp_path / "events.csv",
        "customer_id,timestamp,event,revenue,plan\n"
        "007,2024-03-01T10:00:00+02:00,signup,,pro\n"
        "007,2024-03-01 09:30:00,purchase,19.5,pro\n",
    )
    rows = _rows(read_events(source))
    assert [r["customer_id"] for r in rows] == ["007", "007"]
    assert [r["timestamp"] for r in rows] == [datetime(2024, 3, 1, 8), datetime(2024, 3, 1, 9, 30)]
    assert [r["revenue"] for r in rows] == [None, 19.5]
    assert [r["plan"] for r in rows] == ["pro", "pro"]


def test_column_mapping_renames_source_columns_to_canonical_ones(tmp_path: Path) -> None:
    source = _write_csv(tmp_path / "shop.csv", "user,ts,action\nu1,2024-01-02,view\n")
    events = read_events(
        source, columns={"user": "customer_id", "ts": "timestamp", "action": "event"}
    )
    assert events.table.columns == ("customer_id", "timestamp", "event")
    assert _rows(events)[0] == {
        "customer_id": "u1",
        "timestamp": datetime(2024, 1, 2),
        "event": "view",
    }


def test_parquet_timezone_aware_timestamps_are_converted_to_utc(tmp_path: Path) -> None:
    table = pa.table(
        {
            "customer_id": ["a"],
            "timestamp": pa.array([datetime(2024, 6, 1, 12)], pa.timestamp("us", tz="UTC")).cast(
                pa.timestamp("us", tz="Europe/Warsaw")
            ),
            "event": ["view"],
        }
    )
    pq.write_table(table, tmp_path / "e.parquet")
    events = read_events(tmp_path / "e.parquet")
    assert _rows(events)[0]["timestamp"] == datetime(2024, 6, 1, 12)
    assert events.table.schema()["timestamp"].timezone is None


def test_parquet_directory_and_glob_read_every_file(tmp_path: Path) -> None:
    folder = tmp_path / "parts"
    folder.mkdir()
    for day in (1, 2, 3):
        pq.write_table(
            pa.table(
                {
                    "customer_id": [f"c{day}"],
                    "timestamp": [datetime(2024, 1, day)],
                    "event": ["view"],
                }
            ),
            folder / f"part-{day}.parquet",
        )
    (folder / "_SUCCESS").write_text("")
    (folder / "_temporary").mkdir()
    (folder / "_temporary" / "part-9.parquet").write_text("half-written")
    assert read_events(folder).table.count().execute() == 3
    assert read_events(f"{folder}/part-[12].parquet").table.count().execute() == 2


def test_jsonl_nested_properties_become_a_text_map(tmp_path: Path) -> None:
    lines = [
        {
            "customer_id": "a",
            "timestamp": "2024-01-01T00:00:00Z",
            "event": "view",
            "properties": {"page": "/home", "n": 3},
        },
        {
            "customer_id": "b",
            "timestamp": "2024-01-01T01:00:00Z",
            "event": "buy",
            "properties": {"page": "/cart", "n": 1},
        },
    ]
    path = tmp_path / "events.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    events = read_events(path)
    assert str(events.table.schema()["properties"]) == "map<string, string>"
    rows = _rows(events)
    assert dict(rows[0]["properties"]) == {"page": "/home", "n": "3"}
    assert rows[1]["timestamp"] == datetime(2024, 1, 1, 1)


def test_header_only_csv_gives_an_empty_event_table(tmp_path: Path) -> None:
    source = _write_csv(tmp_path / "none.csv", "customer_id,timestamp,event\n")
    assert read_events(source).table.count().execute() == 0


@pytest.mark.parametrize(
    ("content", "columns", "message"),
    [
        ("user,timestamp,event\n1,2024-01-01,a\n", None, "missing column 'customer_id'"),
        (
            "customer_id,timestamp,event\n1,2024-01-01,a\n2,yesterday,b\n",
            None,
            "column 'timestamp': cannot read 'yesterday' as a timestamp (1 row(s))",
        ),
        (
            "customer_id,when,event\n1,soon,a\n",
            {"when": "timestamp"},
            "column 'timestamp' (source column 'when'): cannot read 'soon'",
        ),
        ("customer_id,timestamp,event\n1,,a\n", None, "column 'timestamp' is empty in 1 row(s)"),
        ("customer_id,timestamp,event\n,2024-01-01,a\n", None, "column 'customer_id' is empty"),
        (
            "customer_id,timestamp,event,revenue\n1,2024-01-01,a,12 EUR\n",
            None,
            "column 'revenue': cannot read '12 EUR' as a number",
        ),
        ("customer_id,timestamp,event\n1,2024-01-01,a\n", {"nope": "customer_id"}, "'nope'"),
        ("a,timestamp,event\n1,2024-01-01,a\n", {"customer_id": "a"}, "did you mean"),
    ],
)
def test_bad_csv_input_names_the_file_and_the_column(
    tmp_path: Path, content: str, columns: dict[str, str] | None, message: str
) -> None:
    source = _write_csv(tmp_path / "bad.csv", content)
    with pytest.raises(EventsError) as caught:
        read_events(source, columns=columns)
    assert str(caught.value).startswith(str(source))
    assert message in str(caught.value)


def test_bad_row_in_one_of_several_files_names_that_file(tmp_path: Path) -> None:
    _write_csv(tmp_path / "a.csv", "customer_id,timestamp,event\n1,2024-01-01,a\n")
    _write_csv(tmp_path / "b.csv", "customer_id,timestamp,event\n1,31/02/2024,a\n")
    with pytest.raises(EventsError, match=r"b\.csv: column 'timestamp': cannot read '31/02/2024'"):
        read_events(tmp_path)


@pytest.mark.parametrize(
    ("name", "content", "fmt", "message"),
    [
        ("empty.csv", "", None, "empty.csv: file is empty"),
        ("events.txt", "x", None, "unknown format (suffix .txt)"),
        ("events.csv", "x", "xlsx", "unknown format 'xlsx'"),
    ],
)
def test_empty_or_unknown_files_are_refused(
    tmp_path: Path, name: str, content: str, fmt: str | None, message: str
) -> None:
    source = _write_csv(tmp_path / name, content)
    with pytest.raises(EventsError) as caught:
        read_events(source, format=fmt)
    assert message in str(caught.value)


def test_missing_source_and_unmatched_glob_are_refused(tmp_path: Path) -> None:
    with pytest.raises(EventsError, match="no such file or directory"):
        read_events(tmp_path / "missing.parquet")
    with pytest.raises(EventsError, match="no files match"):
        read_events(tmp_path / "*.parquet")


def test_reader_stays_lazy_in_the_engine(tmp_path: Path) -> None:
    source = _write_csv(tmp_path / "e.csv", "customer_id,timestamp,event\n1,2024-01-01,a\n")
    backend = connect()
    events = read_events(source, backend=backend)
    assert events.table._find_backend() is backend  # an expression over a view, not a frame


@pytest.mark.spark
def test_csv_and_parquet_read_the_same_on_both_engines(
    tmp_path: Path, backend: BaseBackend
) -> None:
    source = _write_csv(
        tmp_path / "events.csv",
        "customer_id,timestamp,event,revenue\n"
        "007,2024-03-01T10:00:00+02:00,signup,\n"
        "008,2024-03-01 09:30:00,purchase,19.5\n",
    )
    rows = _rows(read_events(source, backend=backend))
    assert [(r["customer_id"], r["timestamp"], r["revenue"]) for r in rows] == [
        ("007", datetime(2024, 3, 1, 8), None),
        ("008", datetime(2024, 3, 1, 9, 30), 19.5),
    ]
