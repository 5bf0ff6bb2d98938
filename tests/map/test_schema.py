"""The published JSON Schema is current and accepts what the model accepts."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from journeymap.map.io import map_to_data
from journeymap.map.model import JourneyMap
from journeymap.map.schema import map_json_schema, map_json_schema_text

PUBLISHED = Path(__file__).parents[2] / "docs" / "map.schema.json"


def test_published_schema_file_is_current() -> None:
    assert PUBLISHED.read_text(encoding="utf-8") == map_json_schema_text(), (
        "docs/map.schema.json is stale: run `journeymap schema -o docs/map.schema.json`"
    )


def test_schema_accepts_a_valid_map(sample_map: JourneyMap) -> None:
    jsonschema.validate(map_to_data(sample_map), map_json_schema())


def test_schema_rejects_an_out_of_range_emotion(sample_map: JourneyMap) -> None:
    data = map_to_data(sample_map)
    data["cells"][1]["items"][0]["score"] = 7
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, map_json_schema())


def test_schema_offers_lane_kinds_for_autocompletion() -> None:
    schema = json.loads(map_json_schema_text())
    kinds = schema["$defs"]["LaneKind"]["enum"]
    assert {"emotions", "pain_points", "turning_points", "action_plan"} <= set(kinds)
