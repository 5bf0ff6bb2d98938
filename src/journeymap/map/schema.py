"""The published JSON Schema of the map document, for editors' autocompletion and validation."""

from __future__ import annotations

import json
from typing import Any

from journeymap.map.model import SCHEMA_VERSION, JourneyMap

SCHEMA_ID = f"https://journeymap.dev/schema/map-v{SCHEMA_VERSION}.json"


def map_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a journey map document."""
    schema = JourneyMap.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
        "title": "journeymap journey map",
    }


def map_json_schema_text() -> str:
    """The JSON Schema as pretty-printed JSON text."""
    return json.dumps(map_json_schema(), indent=2, ensure_ascii=False) + "\n"
