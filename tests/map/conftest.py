"""Fixtures for map tests: a small valid map as data, and as a model."""

from __future__ import annotations

from copy import deepcopy
from pathlib import Path
from typing import Any

import pytest

from journeymap.map.io import load_map
from journeymap.map.model import JourneyMap

SAMPLE = Path(__file__).with_name("sample_minimal.yaml")


@pytest.fixture
def sample_map() -> JourneyMap:
    """The minimal sample map (2 stages, a touchpoint and an emotion)."""
    return load_map(SAMPLE)


@pytest.fixture
def sample_data(sample_map: JourneyMap) -> dict[str, Any]:
    """The sample map as plain data, safe to modify."""
    return deepcopy(sample_map.model_dump(mode="json"))
