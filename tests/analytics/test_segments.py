"""Behavioural segments: per-customer features in the engine, KMeans with k by silhouette,
profiles and data-backed persona drafts."""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
import pytest
from ibis.backends import BaseBackend

from journeymap.analytics.segments import customer_features, segment_customers
from journeymap.data.engine import connect, load_table
from journeymap.data.events import Events, EventsError
from journeymap.map.model import ChannelType, EvidenceSource, JourneyMap, Persona

START = datetime(2024, 1, 1)


def _buyer(i: int) -> list[dict[str, object]]:
    """Comes by email, reads, buys: five events over two days."""
    steps = ["email", "product", "cart", "checkout", "thanks"]
    return [
        {
            "customer_id": f"buyer{i:02d}",
            "timestamp": START + timedelta(days=i % 5, hours=k * 12),
            "event": "purchase" if step == "thanks" else "view",
            "touchpoint": step,
            "channel": "Email",
            "revenue": 50.0 + i if step == "thanks" else None,
        }
        for k, step in enumerate(steps)
    ]


def _browser(i: int) -> list[dict[str, object]]:
    """Comes from a social ad, sees one page, leaves."""
    return [
        {
            "customer_id": f"browser{i:02d}",
            "timestamp": START + timedelta(days=20 + i % 5),
            "event": "view",
            "touchpoint": "ad",
            "channel": "Paid Social",
            "revenue": None,
        }
    ]


def _events(backend: BaseBackend, buyers: int = 12, browsers: int = 24) -> Events:
    rows = [r for i in range(buyers) for r in _buyer(i)]
    rows += [r for i in range(browsers) for r in _browser(i)]
    frame = pd.DataFrame(rows)
    frame["revenue"] = frame["revenue"].astype("float64")
    return Events(load_table(backend, frame), source="test")


def test_two_planted_behaviours_give_two_segments_by_silhouette() -> None:
    result = segment_customers(_events(connect()))
    assert result.k == 2
    assert result.k_chosen_by == "silhouette"
    assert max(result.silhouette, key=lambda k: result.silhouette[k]) == 2
    browsers, buyers = result.profiles
    assert (browsers.segment, browsers.size, buyers.size) == (1, 24, 12)
    assert browsers.share == pytest.approx(24 / 36)
    assert (browsers.conversion_rate, buyers.conversion_rate) == (0.0, 1.0)
    assert buyers.revenue == pytest.approx(sum(50.0 + i for i in range(12)))
    assert buyers.typical_path == ("email", "product", "cart", "checkout", "thanks")
    assert buyers.typical_path_share == 1.0
    assert browsers.typical_path == ("ad",)
    assert buyers.top_channels == (("Email", 1.0),)
    assert browsers.top_channels == (("Paid Social", 1.0),)
    assert buyers.name == "Email high-value buyers"
    assert browsers.name == "Paid Social browsers"


def test_assignments_name_every_customer_once() -> None:
    result = segment_customers(_events(connect()))
    assignments = result.assignments.set_index("customer_id").segment
    assert len(assignments) == 36
    assert set(assignments[assignments.index.str.startswith("buyer")]) == {2}
    assert set(assignments[assignments.index.str.startswith("browser")]) == {1}


def test_same_seed_gives_the_same_segments() -> None:
    first = segment_customers(_events(connect()), k=3, seed=7)
    second = segment_customers(_events(connect()), k=3, seed=7)
    assert first.profiles == second.profiles
    assert first.assignments.equals(second.assignments)
    assert first.k_chosen_by == "given"


def test_persona_drafts_are_data_backed_and_fit_a_map() -> None:
    result = segment_customers(_events(connect()))
    personas = result.persona_drafts()
    assert [p.id for p in personas] == ["segment-1", "segment-2"]
    buyer = personas[1]
    assert buyer.data_backed
    assert buyer.channels == [ChannelType.EMAIL]
    assert buyer.size == pytest.approx(12 / 36, abs=1e-4)
    (source,) = buyer.sources
    assert source.source is EvidenceSource.ANALYTICS
    assert source.sample_size == 12
    assert source.date == datetime(2024, 1, 25).date()  # day 20 + 4 of the browsers
    assert buyer.empathy is not None
    assert any("email → product → cart" in line for line in buyer.empathy.does)
    doc = JourneyMap(id="m", title="Map", personas=personas)
    assert all(isinstance(p, Persona) for p in doc.personas)


def test_features_are_computed_alike_on_both_engines(backend: BaseBackend) -> None:
    features = customer_features(
        _events(backend, buyers=3, browsers=2), touchpoints=["cart"], channels=["Email"]
    )
    frame = features.to_pandas().sort_values("customer_id").reset_index(drop=True)
    assert list(frame.customer_id) == ["browser00", "browser01", "buyer00", "buyer01", "buyer02"]
    assert list(frame.events) == [1, 1, 5, 5, 5]
    assert list(frame.orders) == [0, 0, 1, 1, 1]
    assert list(frame.revenue) == [0.0, 0.0, 50.0, 51.0, 52.0]
    assert list(frame.tp_0) == [0, 0, 1, 1, 1]
    assert list(frame.ch_0) == [0, 0, 5, 5, 5]
    assert list(frame.active_days) == [1, 1, 3, 3, 3]
    # the data ends at browser01's event (day 21); buyer02's last event is day 4 at 00:00
    assert frame.recency_days.tolist() == pytest.approx([1.0, 0.0, 19.0, 18.0, 17.0])
    assert list(frame.s1) == ["ad", "ad", "email", "email", "email"]
    assert list(frame.path_length) == [1, 1, 5, 5, 5]


def test_conversion_event_counts_orders_instead_of_revenue() -> None:
    frame = customer_features(_events(connect(), 2, 1), conversion_event="view").to_pandas()
    assert sorted(frame.orders) == [1, 4, 4]


def test_too_few_customers_or_a_bad_k_are_refused() -> None:
    with pytest.raises(EventsError, match="at least 3 customers"):
        segment_customers(_events(connect(), buyers=1, browsers=1))
    with pytest.raises(ValueError, match="k must be from 1 to 35"):
        segment_customers(_events(connect()), k=36)
