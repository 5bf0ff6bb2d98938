"""DuckDB and Spark give the same funnel on the same log (ties, repeats, exclusions, breakdowns)."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from ibis.backends import BaseBackend
from pandas.testing import assert_frame_equal
from reference_funnel import events_frame

from journeymap.analytics.funnel import Exclusion, funnel
from journeymap.data.engine import connect, load_table
from journeymap.data.events import Events
from journeymap.data.layout import KEY_COLUMN, with_customer_key

pytestmark = pytest.mark.spark


def mixed_log() -> list[tuple]:
    """A seeded log of 60 customers: funnel-shaped visits with noise, on a coarse grid for ties."""
    rng = random.Random(11)
    rows = []
    for c in range(60):
        for _ in range(rng.randint(1, 3)):
            moment = datetime(2024, 6, 1) + timedelta(minutes=10 * rng.randint(0, 400))
            for event in ("home", "product", "cart", "buy"):
                if rng.random() < 0.3:
                    noise = rng.choice(["refund", "search"])
                    rows.append((f"c{c}", moment, noise, None))
                rows.append((f"c{c}", moment, event, rng.choice(["Email", "Direct", None])))
                moment += timedelta(
                    minutes=10 * rng.randint(0, 3), milliseconds=rng.choice([0, 125])
                )
                if rng.random() < 0.25:
                    break
    return rows


CASES: list[dict[str, Any]] = [
    {"breakdown": "channel"},
    {"order": "strict", "exclusions": [Exclusion("refund", 1, 3)]},
    {
        "exclusions": [Exclusion("search", 2, 4)],
        "start": date(2024, 6, 2),
        "window": timedelta(hours=6),
    },
]


@pytest.mark.parametrize("case", CASES, ids=["breakdown", "strict-exclusion", "exclusion-range"])
def test_duckdb_and_spark_agree(spark_backend: BaseBackend, case: dict[str, Any]) -> None:
    frame = events_frame(mixed_log())
    kwargs = {"window": timedelta(days=1), **case}
    steps = ["home", "product", "cart", "buy"]
    on_duckdb = funnel(load_table(connect(), frame), steps, **kwargs)
    on_spark = funnel(load_table(spark_backend, frame), steps, **kwargs)
    # quantiles interpolate in floating point: equal up to the last bits
    assert_frame_equal(on_spark.to_frame(), on_duckdb.to_frame(), check_exact=False, rtol=1e-12)
    assert on_duckdb.steps[0].entered > on_duckdb.steps[-1].entered > 0


def test_spark_groups_on_the_customer_key_as_duckdb_on_the_ids(spark_backend: BaseBackend) -> None:
    frame = events_frame(mixed_log())
    keyed = with_customer_key(load_table(spark_backend, frame))
    steps = ["home", "product", "cart", "buy"]
    on_ids = funnel(load_table(connect(), frame), steps, breakdown="channel")
    on_keys = funnel(Events(keyed, customer_key=KEY_COLUMN), steps, breakdown="channel")
    assert_frame_equal(on_keys.to_frame(), on_ids.to_frame(), check_exact=False, rtol=1e-12)
