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


def simulate_files(directory: Path, customers: int = 4000, seed: int = 3) -> tuple[Path, Path]:
    """Simulate the known-effects spec: the events (Parquet) and survey answers (CSV) files."""
    output, surveys = directory / "events.parquet", directory / "surveys.csv"
    simulation = load_spec(EFFECT_SPEC)
    simulate_to_parquet(simulation, customers=customers, seed=seed, output=output, surveys=surveys)
    return output, surveys


def simulated_events(directory: Path, customers: int = 4000, seed: int = 3) -> Events:
    """Simulate the known-effects spec into ``directory`` and read the events on DuckDB."""
    return read_events(simulate_files(directory, customers, seed)[0], backend=connect())
