"""Every kind of validation error names the field, and for YAML the file and the line."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from journeymap.map.io import parse_map
from journeymap.map.model import JourneyMap
from journeymap.map.validation import MESSAGES, MapValidationError, validate_data

BASE = """\
id: shop
title: Shop
stages:
  - id: discover
    title: Discover
  - id: payment
    title: Payment
    steps:
      - id: card
        title: Card
lanes:
  - id: touch
    kind: touchpoints
    title: Touchpoints
  - id: feel
    kind: emotions
    title: Emotions
cells:
  - lane: touch
    stage: discover
    items:
      - id: ad
        kind: touchpoint
        text: Instagram ad
  - lane: feel
    stage: payment
    items:
      - id: worry
        kind: emotion
        text: Worried
        score: -1
"""


def messages(text: str) -> list[str]:
    with pytest.raises(MapValidationError) as info:
        parse_map(text, source="map.yaml")
    return info.value.messages


def test_valid_base_document_parses() -> None:
    doc = parse_map(BASE)
    assert [s.id for s in doc.stages] == ["discover", "payment"]


def test_duplicate_stage_id_names_file_line_and_field() -> None:
    text = BASE.replace("  - id: payment\n", "  - id: discover\n")
    assert messages(text) == [
        "map.yaml:6: stages[1].id: duplicate id 'discover' (first used at stages[0])",
        "map.yaml:26: cells[1].stage: unknown stage 'payment'",
    ]


def test_duplicate_id_across_kinds_is_reported() -> None:
    text = BASE.replace("id: ad\n", "id: payment\n")
    assert messages(text) == [
        "map.yaml:22: cells[0].items[0].id: duplicate id 'payment' (first used at stages[1])"
    ]


def test_cell_with_unknown_lane_and_stage() -> None:
    text = BASE.replace(
        "  - lane: touch\n    stage: discover", "  - lane: tuch\n    stage: dscover"
    )
    assert messages(text) == [
        "map.yaml:19: cells[0].lane: unknown lane 'tuch'",
        "map.yaml:20: cells[0].stage: unknown stage 'dscover'",
    ]


def test_item_of_wrong_kind_for_lane() -> None:
    text = BASE.replace(
        "kind: touchpoint\n        text: Instagram ad", "kind: idea\n        text: X"
    )
    assert messages(text) == [
        "map.yaml:23: cells[0].items[0].kind: a 'idea' item cannot go in lane 'touch' of kind"
        " 'touchpoints' (allowed: touchpoint)"
    ]


def test_emotion_score_out_of_range() -> None:
    text = BASE.replace("score: -1", "score: -3")
    assert messages(text) == [
        "map.yaml:31: cells[1].items[0].score: an emotion score must be from -2 (very negative)"
        " to +2 (very positive) (got -3)"
    ]


def test_two_emotions_for_one_stage() -> None:
    text = BASE + "      - {id: calm, kind: emotion, text: Calm, score: 1}\n"
    assert messages(text) == [
        "map.yaml:32: cells[1].items[1]: more than one emotion score for stage 'payment' in this"
        " lane"
    ]


def test_emotions_at_different_steps_of_one_stage_are_allowed() -> None:
    text = BASE + "      - {id: calm, kind: emotion, text: Calm, score: 1, step: card}\n"
    assert len(parse_map(text).cells[1].items) == 2


def test_item_at_unknown_step() -> None:
    text = BASE.replace("score: -1", "score: -1\n        step: cash")
    assert messages(text) == [
        "map.yaml:32: cells[1].items[0].step: stage 'payment' has no step 'cash'"
    ]


def test_pain_point_severity_out_of_range() -> None:
    text = BASE + (
        "  - lane: pains\n    stage: payment\n    items:\n"
        "      - {id: slow, kind: pain_point, text: Slow, severity: 4}\n"
    )
    text = text.replace("lanes:\n", "lanes:\n  - {id: pains, kind: pain_points, title: Pains}\n")
    assert messages(text) == [
        "map.yaml:36: cells[2].items[0].severity: severity must be 1 (minor), 2 (major) or 3"
        " (critical) (got 4)"
    ]


def test_unknown_field_and_missing_field() -> None:
    text = BASE.replace("title: Shop\n", "titel: Shop\n")
    assert messages(text) == [
        "map.yaml:1: title: required field is missing",
        "map.yaml:2: titel: unknown field",
    ]


def test_unknown_item_kind() -> None:
    text = BASE.replace("kind: touchpoint\n", "kind: gadget\n")
    (message,) = messages(text)
    assert message.startswith("map.yaml:22: cells[0].items[0]: ")
    assert "gadget" in message


def test_invalid_id_format() -> None:
    text = BASE.replace("id: ad\n", "id: Big Ad\n")
    (message,) = messages(text)
    assert message.startswith("map.yaml:22: cells[0].items[0].id: 'Big Ad' is not a valid id")


def test_duplicate_yaml_key_is_an_error_not_a_silent_override() -> None:
    text = BASE.replace("title: Shop\n", "title: Shop\ntitle: Store\n")
    assert messages(text) == ["map.yaml:3: title: key appears twice in the same mapping"]


def test_yaml_syntax_error_names_the_line() -> None:
    text = BASE.replace("    title: Discover", "    title: [Discover")
    (message,) = messages(text)
    assert message.startswith("map.yaml:")
    assert "YAML syntax error" in message


def test_newer_schema_version_is_refused() -> None:
    assert messages("schema_version: 9\n" + BASE) == [
        "map.yaml:1: schema_version: unsupported schema_version 9: this journeymap reads version 1;"
        " upgrade journeymap to read newer maps"
    ]


def test_document_that_is_not_a_mapping() -> None:
    assert messages("- a\n- b\n") == ["map.yaml: a map must be a mapping of fields, not list"]


def test_json_errors_name_the_line() -> None:
    text = '{\n  "id": "x",\n  "title": "X",\n  "stages": [{"id": "a", "title": ""}]\n}\n'
    with pytest.raises(MapValidationError) as info:
        parse_map(text, source="map.json", fmt="json")
    assert info.value.messages[0].startswith("map.json:4: stages[0].title: ")


def test_json_syntax_error() -> None:
    with pytest.raises(MapValidationError) as info:
        parse_map('{"id": "x",\n "title": }', source="m.json", fmt="json")
    assert info.value.messages[0].startswith("m.json:2: JSON syntax error")


def test_model_constructor_also_enforces_references(sample_data: dict[str, Any]) -> None:
    sample_data["cells"][0]["lane"] = "nowhere"
    with pytest.raises(ValidationError, match="unknown lane 'nowhere'"):
        JourneyMap.model_validate(sample_data)


def test_validate_data_collects_every_problem(sample_data: dict[str, Any]) -> None:
    sample_data["cells"][0]["lane"] = "nowhere"
    sample_data["cells"][1]["stage"] = "nowhen"
    with pytest.raises(MapValidationError) as info:
        validate_data(sample_data)
    assert [p.loc for p in info.value.problems] == [("cells", 0, "lane"), ("cells", 1, "stage")]


def test_problems_carry_a_code_and_values_besides_the_english_message() -> None:
    with pytest.raises(MapValidationError) as info:
        parse_map(BASE.replace("lane: touch", "lane: nope"), source="map.yaml")
    (unknown,) = info.value.problems
    assert (unknown.code, dict(unknown.params), unknown.line) == (
        "unknown_lane",
        {"lane": "nope"},
        19,
    )
    assert unknown.message == MESSAGES["unknown_lane"] % unknown.params == "unknown lane 'nope'"
    assert unknown.describe("map.yaml", "other words") == "map.yaml:19: cells[0].lane: other words"
    with pytest.raises(MapValidationError) as info:
        parse_map(BASE.replace("title: Discover", "title: ''"))
    (empty,) = info.value.problems  # a Pydantic check keeps Pydantic's English message
    assert (empty.code, empty.message) == ("empty_text", "String should have at least 1 character")
