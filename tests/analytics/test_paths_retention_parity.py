"""DuckDB and PySpark give equal path, stage timing and retention results on the same log."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

import pytest
from ibis.backends import BaseBackend
from path_logs import at, event_table

from journeymap.analytics.paths import loops, path_variants, sankey, transition_matrix
from journeymap.analytics.retention import retention
from journeymap.analytics.stage_timing import stage_timing
from journeymap.data.engine import connect
from journeymap.data.events import Events
from journeymap.data.layout import KEY_COLUMN, with_customer_key

pytestmark = pytest.mark.spark


def _log() -> list[dict[str, Any]]:
    rng = random.Random(3)
    return [
        {
            "customer_id": f"c{rng.randrange(12)}",
            "timestamp": at(rng.randrange(40) * 60 * 12),  # half-day slots: many ties
            "event": rng.choice(["view", "click", "purchase"]),
            "session_id": rng.choice(["s1", "s2"]),
            "touchpoint": rng.choice(["home", "product", "cart", None]),
            "stage": rng.choice(["aware", "consider", "buy"]),
        }
        for _ in range(150)
    ]


def _rounded(value: Any) -> Any:
    """``value`` with every float rounded to 6 decimals (engines differ in the last bits)."""
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value


@pytest.fixture(scope="module")
def tables(spark_backend: BaseBackend) -> tuple[Any, Any]:
    rows = _log()
    return event_table(connect(), rows), event_table(spark_backend, rows)


def test_paths_are_equal_on_duckdb_and_spark(tables: tuple[Any, Any]) -> None:
    duck, spark = tables
    for run in (
        lambda t: path_variants(t, top=5, max_length=4).to_dict(),
        lambda t: path_variants(t, per="session", collapse_repeats=False).to_dict(),
        lambda t: sankey(t, steps=3).to_dict(),
        lambda t: sankey(t, by="event", start_at="purchase", direction="before", steps=2).to_dict(),
        lambda t: transition_matrix(t, by="stage").to_dict(),
        lambda t: loops(t).to_dict(),
    ):
        assert run(duck) == run(spark)


def test_spark_paths_on_the_customer_key_equal_duckdbs_on_the_ids(tables: tuple[Any, Any]) -> None:
    duck, spark = tables
    keyed = Events(with_customer_key(spark), customer_key=KEY_COLUMN)
    for run in (
        lambda t: path_variants(t, per="session", collapse_repeats=False).to_dict(),
        lambda t: sankey(t, steps=3).to_dict(),
        lambda t: transition_matrix(t, by="stage").to_dict(),
    ):
        assert run(keyed) == run(duck)


def test_stage_timing_and_retention_are_equal_on_duckdb_and_spark(tables: tuple[Any, Any]) -> None:
    duck, spark = tables
    assert _rounded(stage_timing(duck).to_dict()) == _rounded(stage_timing(spark).to_dict())
    for period in ("day", "week", "month"):
        assert (
            retention(duck, period=period, periods=4).to_dict()
            == retention(spark, period=period, periods=4).to_dict()
        )


def test_sub_second_times_before_1970_are_timed_alike(spark_backend: BaseBackend) -> None:
    # Spark's whole epoch seconds round towards zero before 1970: durations must not use them
    epoch = datetime(1970, 1, 1)

    def s(customer: str, millis: int, event: str, stage: str) -> dict[str, Any]:
        return {
            "customer_id": customer,
            "timestamp": epoch + timedelta(milliseconds=millis),
            "event": event,
            "stage": stage,
        }

    rows = [
        s("a", -750, "e1", "aware"),  # aware 2.5 s, then consider 0.25 s
        s("a", 1750, "e2", "consider"),
        s("a", 2000, "e3", "buy"),
        s("b", -1100, "e1", "aware"),  # aware 0.2 s
        s("b", -900, "e2", "consider"),
    ]
    order = ["aware", "consider", "buy"]
    for backend in (connect(), spark_backend):
        result = stage_timing(event_table(backend, rows), order)
        between = [(g.duration.count, g.duration.mean) for g in result.gaps]
        assert between == [(2, pytest.approx(1.35)), (1, pytest.approx(0.25))]
        inside = [(d.duration.count, d.duration.mean) for d in result.dwell]
        assert inside == [(2, pytest.approx(1.35)), (1, pytest.approx(0.25)), (0, None)]
