"""Simulated events with known effects (tests/analytics/effect_spec.yaml) for the insight tests."""

from __future__ import annotations

from pathlib import Path

from journeymap.data.engine import connect
from journeymap.data.events import Events
from journeymap.data.readers import read_events
from journeymap.simulate.generator import simulate_to_parquet
from journeymap.simulate.spec import load_spec

EFFECT_SPEC = Path(__file__).parent / "effect_spec.yaml"
STAGE_ORDER = [
    "research",
    "first-contact",
    "demo",
    "proposal",
    "procurement",
    "payment",
    "onboarding",
]


def simulated_events(directory: Path, customers: int = 4000, seed: int = 3) -> Events:
    """Simulate the known-effects spec into ``directory`` and read it on DuckDB."""
    output = directory / "events.parquet"
    simulate_to_parquet(load_spec(EFFECT_SPEC), customers=customers, seed=seed, output=output)
    return read_events(output, backend=connect())
