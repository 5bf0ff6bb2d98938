"""The semantic diff names stage, step, lane, item and emotion changes the way a team says them."""

from __future__ import annotations

from journeymap.map.diff import diff_maps
from journeymap.map.io import parse_map
from journeymap.map.model import JourneyMap

OLD = """\
id: shop
title: Shop
goal: Sell more
stages:
  - {id: discover, title: Discover}
  - {id: research, title: Research}
  - {id: cart, title: Cart, steps: [{id: add, title: Add}, {id: review, title: Review}]}
  - {id: payment, title: Payment}
lanes:
  - {id: touch, kind: touchpoints, title: Touchpoints}
  - {id: feel, kind: emotions, title: Emotions}
  - {id: pains, kind: pain_points, title: Pain points}
cells:
  - lane: touch
    stage: discover
    items: [{id: ad, kind: touchpoint, text: Instagram ad, channel: social}]
  - lane: feel
    stage: payment
    items: [{id: e-pay, kind: emotion, text: Worried, score: -1}]
  - lane: pains
    stage: payment
    items:
      - {id: fees, kind: pain_point, text: Hidden fees, severity: 2}
      - {id: slow, kind: pain_point, text: Slow page, severity: 1}
"""


def parse(text: str) -> JourneyMap:
    return parse_map(text)


def kinds(old: str, new: str) -> list[str]:
    return [c.kind for c in diff_maps(parse(old), parse(new)).changes]


def test_equal_maps_have_no_changes() -> None:
    result = diff_maps(parse(OLD), parse(OLD))
    assert not result
    assert result.to_text() == "no changes"
    assert result.to_dict() == {"summary": {}, "changes": []}


def test_stage_added_removed_renamed() -> None:
    new = OLD.replace("  - {id: research, title: Research}\n", "").replace(
        "{id: discover, title: Discover}",
        "{id: discover, title: Discovery}\n  - {id: need, title: Need}",
    )
    result = diff_maps(parse(OLD), parse(new))
    assert result.to_text().splitlines() == [
        "+ stage 'need' (Need) added at position 2",
        "- stage 'research' (Research) removed",
        "~ stage 'discover' renamed: 'Discover' -> 'Discovery'",
    ]


def test_stage_moved_is_reported_once_for_the_stage_that_moved() -> None:
    new = OLD.replace("  - {id: research, title: Research}\n", "").replace(
        "  - {id: payment, title: Payment}\n",
        "  - {id: payment, title: Payment}\n  - {id: research, title: Research}\n",
    )
    result = diff_maps(parse(OLD), parse(new))
    (moved,) = result.changes
    assert moved.kind == "stage.moved"
    assert moved.target == "research"
    assert (moved.old, moved.new) == (2, 4)


def test_step_changes_inside_a_stage() -> None:
    new = OLD.replace("{id: review, title: Review}", "{id: check, title: Check}")
    assert kinds(OLD, new) == ["step.added", "step.removed"]
    assert "in stage 'cart'" in diff_maps(parse(OLD), parse(new)).changes[0].message


def test_emotion_change_is_its_own_kind() -> None:
    new = OLD.replace("score: -1", "score: 2")
    (change,) = diff_maps(parse(OLD), parse(new)).changes
    assert change.kind == "emotion.changed"
    assert change.message == "emotion at stage 'payment' changed: -1 -> +2 ('Worried')"


def test_item_added_removed_changed_and_moved() -> None:
    new = (
        OLD.replace("severity: 2}", "severity: 3}")
        .replace("      - {id: slow, kind: pain_point, text: Slow page, severity: 1}\n", "")
        .replace("  - lane: pains\n    stage: payment\n", "  - lane: pains\n    stage: cart\n")
        + "  - lane: touch\n    stage: cart\n"
        + "    items: [{id: site, kind: touchpoint, text: Site}]\n"
    )
    result = diff_maps(parse(OLD), parse(new))
    assert [c.kind for c in result.changes] == [
        "item.added",
        "item.removed",
        "item.moved",
        "item.changed",
    ]
    changed = result.of_kind("item.changed")[0]
    assert (changed.target, changed.field, changed.old, changed.new) == ("fees", "severity", 2, 3)
    assert result.of_kind("item.added")[0].new == {
        "kind": "touchpoint",
        "id": "site",
        "text": "Site",
    }
    moved = result.of_kind("item.moved")[0]
    assert moved.old == ["pains", "payment", None]
    assert moved.new == ["pains", "cart", None]


def test_map_field_and_lane_changes() -> None:
    new = OLD.replace("goal: Sell more", "goal: Sell better").replace(
        "title: Pain points}", "title: Pains}"
    )
    result = diff_maps(parse(OLD), parse(new))
    assert [c.kind for c in result.changes] == ["map.changed", "lane.renamed"]
    assert result.changes[0].field == "goal"


def test_diff_as_data_counts_kinds() -> None:
    new = OLD.replace("score: -1", "score: 0").replace("title: Shop", "title: Store")
    data = diff_maps(parse(OLD), parse(new)).to_dict()
    assert data["summary"] == {"map.changed": 1, "emotion.changed": 1}
    assert data["changes"][1]["old"] == -1


def test_every_place_a_message_names_is_also_data() -> None:
    new = (
        OLD.replace("{id: review, title: Review}", "{id: check, title: Check}")
        .replace(
            "{id: discover, title: Discover}",
            "{id: need, title: Need}\n  - {id: discover, title: Discover}",
        )
        .replace("  - {id: research, title: Research}\n", "")
        .replace("score: -1", "score: 1")
        .replace("      - {id: slow, kind: pain_point, text: Slow page, severity: 1}\n", "")
    )
    where = {c.kind: c.where for c in diff_maps(parse(OLD), parse(new)).changes}
    assert where == {
        "stage.added": {"position": 1},
        "stage.removed": {},
        "step.added": {"stage": "cart", "position": 2},
        "step.removed": {"stage": "cart"},
        "item.removed": {"lane": "pains", "stage": "payment"},
        "emotion.changed": {"stage": "payment"},
    }
    step_moved = OLD.replace(
        "steps: [{id: add, title: Add}, {id: review, title: Review}]",
        "steps: [{id: review, title: Review}, {id: add, title: Add}]",
    )
    (moved,) = diff_maps(parse(OLD), parse(step_moved)).changes
    assert (moved.kind, moved.old, moved.new, moved.where) == (
        "step.moved",
        1,
        2,
        {"stage": "cart"},
    )
    assert diff_maps(parse(OLD), parse(new)).to_dict()["changes"][0]["where"] == {"position": 1}
