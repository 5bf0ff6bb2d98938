"""A small event log with channels and purchases, loaded into any engine, for attribution tests."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from typing import Any

import ibis
import pyarrow as pa
from ibis.backends import BaseBackend

from journeymap.data.engine import is_spark

T0 = datetime(2024, 1, 1)
_names = itertools.count()
SCHEMA = pa.schema(
    [
        ("customer_id", pa.string()),
        ("timestamp", pa.timestamp("us")),
        ("event", pa.string()),
        ("channel", pa.string()),
        ("revenue", pa.float64()),
    ]
)


def touch(customer: str, day: float, channel: str, event: str = "visit") -> dict[str, Any]:
    """A visit from ``channel`` ``day`` days after 2024-01-01."""
    return {
        "customer_id": customer,
        "timestamp": T0 + timedelta(days=day),
        "event": event,
        "channel": channel,
        "revenue": None,
    }


def purchase(customer: str, day: float, revenue: float | None = None) -> dict[str, Any]:
    """A purchase ``day`` days after 2024-01-01 (its channel is not a touch)."""
    return {
        "customer_id": customer,
        "timestamp": T0 + timedelta(days=day),
        "event": "purchase",
        "channel": "Direct",
        "revenue": revenue,
    }


def channel_log(backend: BaseBackend, rows: list[dict[str, Any]]) -> ibis.Table:
    """Load ``rows`` into ``backend`` as a canonical event table."""
    data = pa.table({f.name: [r.get(f.name) for r in rows] for f in SCHEMA}, schema=SCHEMA)
    name = f"channel_log_{next(_names)}"
    if is_spark(backend):
        session = backend._session
        ddl = (
            "customer_id string, timestamp timestamp, event string, channel string, revenue double"
        )
        session.createDataFrame(data.to_pandas(), schema=ddl).createOrReplaceTempView(name)
        return backend.table(name)
    return backend.create_table(name, data, temp=True)


# Hand-made journeys (days after 2024-01-01):
# a: Email, Email, Paid Search, purchase 100 | Direct -> null journey (Direct)
# b: Organic Search, Direct, purchase 50, then purchase 20 with no touch (unattributed)
# c: Paid Search only, never buys -> null
# d: Direct, Organic Search, Email, purchase (no revenue)
JOURNEYS = [
    touch("a", 0, "Email"),
    touch("a", 1, "Email"),
    touch("a", 3, "Paid Search"),
    purchase("a", 7, 100.0),
    touch("a", 9, "Direct"),
    touch("b", 0, "Organic Search"),
    touch("b", 6, "Direct"),
    purchase("b", 7, 50.0),
    purchase("b", 8, 20.0),
    touch("c", 2, "Paid Search"),
    touch("d", 0, "Direct"),
    touch("d", 4, "Organic Search"),
    touch("d", 6, "Email"),
    purchase("d", 7),
]
