"""Small event logs for the path, stage timing and retention tests: by hand and from hypothesis."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from typing import Any

import ibis
import pyarrow as pa
from hypothesis import strategies as st
from ibis.backends import BaseBackend

from journeymap.data.engine import is_spark

COLUMNS = ("customer_id", "timestamp", "event", "session_id", "touchpoint", "stage")
T0 = datetime(2024, 1, 1)
_names = itertools.count()


def at(minutes: float) -> datetime:
    """A timestamp ``minutes`` after 2024-01-01 00:00."""
    return T0 + timedelta(minutes=minutes)


def event_table(backend: BaseBackend, rows: list[dict[str, Any]]) -> ibis.Table:
    """Load ``rows`` (dicts with canonical keys; missing keys become nulls) into ``backend``."""
    data = pa.table(
        {c: [r.get(c) for r in rows] for c in COLUMNS},
        schema=pa.schema(
            [(c, pa.timestamp("us") if c == "timestamp" else pa.string()) for c in COLUMNS]
        ),
    )
    name = f"path_log_{next(_names)}"
    if is_spark(backend):
        session = backend._session  # type: ignore[attr-defined]
        ddl = ", ".join(f"{c} {'timestamp' if c == 'timestamp' else 'string'}" for c in COLUMNS)
        session.createDataFrame(data.to_pandas(), schema=ddl).createOrReplaceTempView(name)
        return backend.table(name)
    return backend.create_table(name, data, temp=True)


def step(
    customer: str, minute: float, event: str, touchpoint: str | None = None, **extra: Any
) -> dict[str, Any]:
    """One event row."""
    return {
        "customer_id": customer,
        "timestamp": at(minute),
        "event": event,
        "touchpoint": touchpoint,
        **extra,
    }


event_rows = st.lists(
    st.fixed_dictionaries(
        {
            "customer_id": st.sampled_from(["a", "b", "c", "d"]),
            # few distinct minutes, so that equal timestamps are common
            "timestamp": st.integers(0, 10).map(lambda k: at(k * 60 * 36)),
            "event": st.sampled_from(["view", "click", "purchase"]),
            "session_id": st.sampled_from(["s1", "s2", None]),
            "touchpoint": st.sampled_from(["home", "product", "cart", None]),
            "stage": st.sampled_from(["aware", "consider", "buy", None]),
        }
    ),
    max_size=25,
)
