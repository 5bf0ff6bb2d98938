"""GA4 BigQuery export -> canonical events: ids, microseconds, sessions, channel, revenue."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from ibis.backends import BaseBackend

from journeymap.data.engine import connect
from journeymap.data.events import EventsError
from journeymap.data.ga4 import read_ga4
from journeymap.data.readers import read_events

VALUE = pa.struct(
    [
        ("string_value", pa.string()),
        ("int_value", pa.int64()),
        ("float_value", pa.float64()),
        ("double_value", pa.float64()),
    ]
)
PARAMS = pa.list_(pa.struct([("key", pa.string()), ("value", VALUE)]))
SCHEMA = pa.schema(
    [
        ("event_date", pa.string()),
        ("event_timestamp", pa.int64()),
        ("event_name", pa.string()),
        ("event_params", PARAMS),
        ("user_id", pa.string()),
        ("user_pseudo_id", pa.string()),
        ("device", pa.struct([("category", pa.string()), ("operating_system", pa.string())])),
        ("geo", pa.struct([("country", pa.string()), ("city", pa.string())])),
        ("traffic_source", pa.struct([("name", pa.string()), ("medium", pa.string()),
                                      ("source", pa.string())])),
        ("platform", pa.string()),
        ("ecommerce", pa.struct([("total_item_quantity", pa.int64()),
                                 ("purchase_revenue_in_usd", pa.float64()),
                                 ("purchase_revenue", pa.float64()),
                                 ("transaction_id", pa.string())])),
        ("collected_traffic_source", pa.struct([("manual_campaign_name", pa.string()),
                                                ("manual_source", pa.string()),
                                                ("manual_medium", pa.string()),
                                                ("gclid", pa.string())])),
    ]
)  # fmt: skip

T0 = 1_704_103_200_000_000  # 2024-01-01 10:00:00 UTC in microseconds


def _param(key: str, value: Any) -> dict[str, Any]:
    field = "int_value" if isinstance(value, int) else "string_value"
    return {"key": key, "value": {field: value}}


def _event(
    pseudo: str | None,
    micros: int,
    name: str,
    session: int,
    *,
    user_id: str | None = None,
    page: str | None = None,
    traffic: tuple[str, str, str] | None = None,
    collected: dict[str, str] | None = None,
    revenue: float | None = None,
) -> dict[str, Any]:
    params = [_param("ga_session_id", session), _param("ga_session_number", 1)]
    if page:
        params.append(_param("page_location", page))
    if traffic:
        params += [
            _param(k, v) for k, v in zip(("source", "medium", "campaign"), traffic, strict=True)
        ]
    return {
        "event_date": "20240101",
        "event_timestamp": micros,
        "event_name": name,
        "event_params": params,
        "user_id": user_id,
        "user_pseudo_id": pseudo,
        "device": {"category": "mobile", "operating_system": "Android"},
        "geo": {"country": "Poland", "city": "Krakow"},
        "traffic_source": {"name": "launch", "medium": "cpc", "source": "google"},
        "platform": "WEB",
        "ecommerce": None if revenue is None else {
            "total_item_quantity": 1, "purchase_revenue_in_usd": revenue,
            "purchase_revenue": revenue, "transaction_id": "T-1",
        },
        "collected_traffic_source": collected,
    }  # fmt: skip


EVENTS = [
    _event("p1", T0, "session_start", 100, page="https://shop.example/?gclid=abc",
           traffic=("google", "cpc", "brand"), collected={"gclid": "abc"}),
    _event("p1", T0 + 1_500_123, "page_view", 100, page="https://shop.example/pricing"),
    _event("p1", T0 + 60_000_000, "purchase", 100, user_id="U1", revenue=49.99),
    _event("p1", T0 + 86_400_000_000, "page_view", 200, page="https://shop.example/"),
    _event("p2", T0 + 5_000_000, "page_view", 300,
           collected={"manual_source": "newsletter", "manual_medium": "email"}),
    _event("p2", T0 + 9_000_000, "scroll", 300),
    _event("p3", T0 + 7_000_000, "page_view", 400, user_id="U1",
           traffic=("facebook.com", "referral", "(referral)")),
    _event(None, T0 + 8_000_000, "page_view", 500),  # cookieless ping: no user at all
]  # fmt: skip

EXPECTED = [  # customer, time, event, session, channel, revenue
    ("U1", datetime(2024, 1, 1, 10), "session_start", "p1.100", "Paid Search", None),
    ("U1", datetime(2024, 1, 1, 10, 0, 1, 500123), "page_view", "p1.100", "Paid Search", None),
    ("U1", datetime(2024, 1, 1, 10, 0, 7), "page_view", "p3.400", "Organic Social", None),
    ("U1", datetime(2024, 1, 1, 10, 1), "purchase", "p1.100", "Paid Search", 49.99),
    ("U1", datetime(2024, 1, 2, 10), "page_view", "p1.200", "Direct", None),
    ("p2", datetime(2024, 1, 1, 10, 0, 5), "page_view", "p2.300", "Email", None),
    ("p2", datetime(2024, 1, 1, 10, 0, 9), "scroll", "p2.300", "Email", None),
]


def _write_parquet(path: Path, rows: list[dict[str, Any]] = EVENTS) -> Path:
    pq.write_table(pa.Table.from_pylist(rows, schema=SCHEMA), path)
    return path


def _summary(events: Any) -> list[tuple[Any, ...]]:
    columns = ["customer_id", "timestamp", "event", "session_id", "channel", "revenue"]
    table = events.table.select(*columns).order_by(["customer_id", "timestamp"])
    rows = table.to_pyarrow().to_pylist()
    return [
        (r["customer_id"], r["timestamp"], r["event"], r["session_id"], r["channel"], r["revenue"])
        for r in rows
    ]


def test_ga4_parquet_export_maps_to_canonical_events(tmp_path: Path) -> None:
    events = read_events(_write_parquet(tmp_path / "events_20240101.parquet"), format="ga4")
    assert _summary(events) == EXPECTED


def test_ga4_properties_carry_page_session_traffic_and_context(tmp_path: Path) -> None:
    events = read_events(_write_parquet(tmp_path / "e.parquet"), format="ga4")
    first = events.table.order_by("timestamp").limit(1).to_pyarrow().to_pylist()[0]
    properties = dict(first["properties"])
    assert properties["page_location"] == "https://shop.example/?gclid=abc"
    assert (properties["source"], properties["medium"], properties["campaign"]) == (
        "google",
        "cpc",
        "brand",
    )
    assert properties["first_user_source"] == "google"
    assert properties["device_category"] == "mobile"
    assert properties["country"] == "Poland"
    assert properties["platform"] == "WEB"
    assert properties["ga_session_number"] == "1"
    assert "page_referrer" not in properties  # keys without a value are left out


def test_ga4_json_lines_export_with_int64_as_text_reads_the_same(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"

    def bigquery_json(row: dict[str, Any]) -> dict[str, Any]:
        # BigQuery's JSON export writes INT64 as strings and leaves out null fields.
        out = {k: v for k, v in row.items() if v is not None}
        out["event_timestamp"] = str(row["event_timestamp"])
        out["event_params"] = [
            {"key": p["key"], "value": {k: str(v) for k, v in p["value"].items()}}
            for p in row["event_params"]
        ]
        return out

    path.write_text("\n".join(json.dumps(bigquery_json(r)) for r in EVENTS) + "\n")
    assert _summary(read_events(path, format="ga4")) == EXPECTED


def test_ga4_daily_files_in_a_directory_are_read_together(tmp_path: Path) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    _write_parquet(folder / "events_20240101.parquet", EVENTS[:4])
    _write_parquet(folder / "events_20240102.parquet", EVENTS[4:])
    assert _summary(read_events(folder, format="ga4")) == EXPECTED


def test_read_ga4_takes_an_ibis_table_as_from_bigquery(tmp_path: Path) -> None:
    backend = connect()
    table = backend.read_parquet(_write_parquet(tmp_path / "e.parquet"))
    assert _summary(read_ga4(table)) == EXPECTED


@pytest.mark.spark
def test_ga4_export_maps_the_same_on_spark(tmp_path: Path, spark_backend: BaseBackend) -> None:
    source = _write_parquet(tmp_path / "e.parquet")
    assert _summary(read_events(source, format="ga4", backend=spark_backend)) == EXPECTED


def test_ga4_export_without_event_name_names_file_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.parquet"
    pq.write_table(pa.table({"event_timestamp": [T0], "user_pseudo_id": ["p"]}), path)
    with pytest.raises(
        EventsError, match=r"broken\.parquet: not a GA4 export: missing column 'event_name'"
    ):
        read_events(path, format="ga4")


def test_ga4_event_params_of_the_wrong_shape_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "flat.parquet"
    pq.write_table(
        pa.table(
            {
                "event_timestamp": [T0],
                "event_name": ["x"],
                "user_pseudo_id": ["p"],
                "event_params": ["page_location=/"],
            }
        ),
        path,
    )
    with pytest.raises(EventsError, match=r"flat\.parquet: column 'event_params' must be a list"):
        read_events(path, format="ga4")


def test_ga4_timestamps_are_utc_instants() -> None:
    assert datetime.fromtimestamp(T0 / 1e6, UTC).replace(tzinfo=None) == EXPECTED[0][1]
