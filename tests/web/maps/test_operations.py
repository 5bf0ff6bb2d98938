"""Edit operations on a map document: each applies, validates, and names the field at fault."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import ValidationError
from web_factories import sample_doc

from journeymap.map.io import map_to_data
from journeymap.map.model import EmotionItem, JourneyMap, PainPointItem
from journeymap.map.validation import MapValidationError
from journeymap.web.maps.operations import (
    OPERATION_ADAPTER,
    OPERATION_NAMES,
    OperationError,
    apply_operation,
    apply_to_stored,
)


def run(doc: JourneyMap, **payload: Any) -> tuple[JourneyMap, str]:
    return apply_operation(doc, OPERATION_ADAPTER.validate_python(payload))


def test_every_operation_name_is_known() -> None:
    assert {"add_stage", "move_item", "set_emotion", "update_map"} <= OPERATION_NAMES
    assert len(OPERATION_NAMES) == 16


def test_update_map_changes_only_the_given_fields() -> None:
    doc, summary = run(sample_doc(), op="update_map", goal="Cut drop-off", state="future")
    assert (doc.goal, doc.state.value, doc.title) == ("Cut drop-off", "future", "Demo")
    assert "goal" in summary


def test_add_stage_at_a_position_gets_a_fresh_slug_id() -> None:
    doc, _ = run(sample_doc(), op="add_stage", title="Pay", position=1)
    assert [s.id for s in doc.stages] == ["discover", "pay-2", "pay"]


def test_update_and_move_and_remove_stage() -> None:
    doc, summary = run(sample_doc(), op="update_stage", stage="pay", title="Checkout")
    assert doc.stage("pay").title == "Checkout" and "Checkout" in summary
    doc, _ = run(doc, op="move_stage", stage="pay", position=0)
    assert [s.id for s in doc.stages] == ["pay", "discover"]
    doc, _ = run(doc, op="remove_stage", stage="pay")
    assert [s.id for s in doc.stages] == ["discover"]
    assert all(cell.stage != "pay" for cell in doc.cells)  # its items went with it


def test_add_lane_defaults_its_title_from_the_kind() -> None:
    doc, _ = run(sample_doc(), op="add_lane", kind="pain_points")
    assert doc.lanes[-1].title == "Pain points" and doc.lanes[-1].kind == "pain_points"


def test_update_move_remove_lane() -> None:
    doc, _ = run(sample_doc(), op="update_lane", lane="tp", title="Where we meet")
    doc, _ = run(doc, op="move_lane", lane="emo", position=0)
    assert [lane.id for lane in doc.lanes] == ["emo", "tp"]
    doc, _ = run(doc, op="remove_lane", lane="tp")
    assert [lane.id for lane in doc.lanes] == ["emo"] and doc.items_at("tp", "discover") == []


def test_add_item_takes_the_lane_kind_and_extra_fields() -> None:
    doc, _ = run(sample_doc(), op="add_lane", kind="pain_points", title="Pains")
    doc, _ = run(
        doc, op="add_item", lane="pains", stage="pay", text="Card declined", fields={"severity": 3}
    )
    item = doc.items_at("pains", "pay")[0]
    assert isinstance(item, PainPointItem) and item.severity == 3 and item.id == "card-declined"


def test_add_item_of_a_kind_the_lane_does_not_hold_names_kind() -> None:
    with pytest.raises(OperationError) as err:
        run(sample_doc(), op="add_item", lane="tp", stage="pay", text="x", kind="idea")
    assert err.value.field == "kind"


def test_add_item_with_an_invalid_field_value_names_the_field() -> None:
    doc, _ = run(sample_doc(), op="add_lane", kind="pain_points", title="Pains")
    with pytest.raises(MapValidationError) as err:
        run(doc, op="add_item", lane="pains", stage="pay", text="x", fields={"severity": 9})
    assert err.value.problems[0].loc[-1] == "severity"
    assert "severity must be 1" in err.value.problems[0].message


def test_update_item_sets_and_clears_fields_but_not_the_id() -> None:
    doc, _ = run(
        sample_doc(), op="update_item", item="ig", fields={"text": "Reel", "channel": None}
    )
    _cell, item = doc.find_item("ig")
    assert item.text == "Reel" and item.channel is None  # type: ignore[union-attr]
    with pytest.raises(OperationError):
        run(doc, op="update_item", item="ig", fields={"id": "new"})


def test_update_item_with_unknown_field_is_refused() -> None:
    with pytest.raises(MapValidationError) as err:
        run(sample_doc(), op="update_item", item="ig", fields={"colour": "red"})
    assert "unknown field" in err.value.messages[0]


def test_move_item_to_another_stage_and_position_drops_its_step() -> None:
    doc, _ = run(sample_doc(), op="move_item", item="e1", lane="emo", stage="discover")
    cell, item = doc.find_item("e1")
    assert cell.stage == "discover" and item.step is None
    assert doc.cell("emo", "pay") is None  # the emptied cell is gone


def test_move_item_to_a_lane_of_another_kind_is_refused() -> None:
    with pytest.raises(MapValidationError):
        run(sample_doc(), op="move_item", item="ig", lane="emo", stage="pay")


def test_delete_item() -> None:
    doc, summary = run(sample_doc(), op="delete_item", item="ig")
    assert "ig" not in doc.all_ids() and "Instagram ad" in summary


def test_unknown_ids_name_the_field() -> None:
    for payload, field in [
        ({"op": "delete_item", "item": "nope"}, "item"),
        ({"op": "remove_stage", "stage": "nope"}, "stage"),
        ({"op": "move_lane", "lane": "nope", "position": 0}, "lane"),
    ]:
        with pytest.raises(OperationError) as err:
            run(sample_doc(), **payload)
        assert err.value.field == field


def test_set_emotion_creates_then_updates_the_stage_point() -> None:
    doc, _ = run(sample_doc(), op="set_emotion", stage="discover", score=2)
    point = doc.items_at("emo", "discover")[0]
    assert isinstance(point, EmotionItem) and point.score == 2 and point.text == "Very positive"
    doc, _ = run(doc, op="set_emotion", stage="discover", score=-1)
    points = doc.items_at("emo", "discover")
    assert len(points) == 1 and points[0].score == -1 and points[0].text == "Negative"  # type: ignore[union-attr]


def test_set_emotion_keeps_a_text_the_team_wrote() -> None:
    doc, _ = run(sample_doc(), op="set_emotion", stage="discover", score=1, text="Curious")
    doc, _ = run(doc, op="set_emotion", stage="discover", score=2)
    assert doc.items_at("emo", "discover")[0].text == "Curious"


def test_set_emotion_needs_an_emotions_lane() -> None:
    doc, _ = run(sample_doc(), op="remove_lane", lane="emo")
    with pytest.raises(OperationError) as err:
        run(doc, op="set_emotion", stage="pay", score=0)
    assert err.value.field == "lane"


def test_payload_errors_are_field_errors() -> None:
    with pytest.raises(ValidationError) as err:
        OPERATION_ADAPTER.validate_python({"op": "set_emotion", "stage": "Bad Id", "score": 5})
    fields = {e["loc"][-1] for e in err.value.errors()}
    assert fields == {"stage", "score"}


def test_link_persona_adds_a_reference_with_a_fresh_id_and_refuses_a_second_link() -> None:
    doc, summary = run(sample_doc(), op="link_persona", ref="ola", name="Ola from the library")
    ref = doc.personas[-1]
    assert (ref.id, getattr(ref, "ref", None), ref.name) == ("ola-2", "ola", "Ola from the library")
    assert summary == "linked persona 'Ola from the library'"
    with pytest.raises(OperationError) as exc:
        run(doc, op="link_persona", ref="ola")
    assert exc.value.field == "ref" and "already linked" in exc.value.message


def test_link_persona_replacing_an_embedded_persona_keeps_its_id_and_place() -> None:
    doc, summary = run(sample_doc(), op="link_persona", ref="ola-nowak", replace="ola")
    assert [(p.id, getattr(p, "ref", None)) for p in doc.personas] == [
        ("ola", "ola-nowak"),
        ("lib", "workspace/anna"),
    ]
    assert summary == "moved persona 'ola-nowak' to the library"
    with pytest.raises(OperationError) as exc:
        run(doc, op="link_persona", ref="other", replace="lib")
    assert exc.value.field == "replace"


def test_unlink_persona_removes_only_references() -> None:
    doc, summary = run(sample_doc(), op="unlink_persona", persona="lib")
    assert [p.id for p in doc.personas] == ["ola"] and "workspace/anna" in summary
    with pytest.raises(OperationError) as exc:
        run(sample_doc(), op="unlink_persona", persona="ola")
    assert exc.value.field == "persona" and "not a library link" in exc.value.message
    with pytest.raises(OperationError, match="no persona 'nobody'"):
        run(sample_doc(), op="unlink_persona", persona="nobody")


@pytest.mark.parametrize(
    "payload",
    [
        {"op": "update_item", "item": "ig", "fields": {"text": "Reel", "tags": ["a"]}},
        {"op": "update_item", "item": "ig", "fields": {"tags": []}},
        {"op": "add_item", "lane": "tp", "stage": "pay", "text": "Card form"},
        {"op": "move_item", "item": "ig", "lane": "tp", "stage": "pay"},
        {"op": "move_item", "item": "e1", "lane": "emo", "stage": "discover"},
        {"op": "delete_item", "item": "ig"},
        {"op": "add_stage", "title": "Use", "position": 0},
        {"op": "remove_lane", "lane": "tp"},
        {"op": "set_emotion", "stage": "pay", "score": -2},
    ],
)
def test_a_stored_document_gives_the_same_result_with_or_without_its_known_map(
    payload: dict[str, Any],
) -> None:
    doc = sample_doc()
    data = map_to_data(doc)
    operation = OPERATION_ADAPTER.validate_python(payload)
    expected, expected_summary = apply_operation(doc, operation)
    for known in (None, (doc, data)):
        edited, edited_data, summary = apply_to_stored(json.dumps(data), operation, known)
        assert (edited, summary) == (expected, expected_summary)
        assert edited.model_dump() == expected.model_dump()
        assert json.dumps(edited_data) == json.dumps(map_to_data(expected))  # in the same order
    assert data == map_to_data(doc)  # the known map's data stays as it was


def test_an_item_edit_of_a_known_map_validates_only_the_changed_cell() -> None:
    doc = sample_doc()
    data = map_to_data(doc)
    operation = OPERATION_ADAPTER.validate_python(
        {"op": "update_item", "item": "ig", "fields": {"text": "Reel"}}
    )
    edited, _data, _summary = apply_to_stored(json.dumps(data), operation, (doc, data))
    changed = [cell for cell, old in zip(edited.cells, doc.cells, strict=True) if cell is not old]
    assert changed == [edited.find_item("ig")[0]] and edited.stages is doc.stages


@pytest.mark.parametrize(
    "payload",
    [
        {"op": "update_item", "item": "ig", "fields": {"colour": "red"}},
        {"op": "update_item", "item": "e1", "fields": {"score": 7}},
        {"op": "update_item", "item": "ig", "fields": {"step": "nowhere"}},
        {"op": "move_item", "item": "ig", "lane": "emo", "stage": "pay"},
    ],
)
def test_a_refused_edit_of_a_known_map_names_the_same_problems(payload: dict[str, Any]) -> None:
    doc = sample_doc()
    data = map_to_data(doc)
    operation = OPERATION_ADAPTER.validate_python(payload)
    with pytest.raises(MapValidationError) as whole:
        apply_to_stored(json.dumps(data), operation)
    with pytest.raises(MapValidationError) as known:
        apply_to_stored(json.dumps(data), operation, (doc, data))
    assert known.value.problems == whole.value.problems
