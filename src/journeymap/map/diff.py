"""Semantic diff of two maps: what changed in terms a team talks about, as data and as text."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from journeymap.map.model import EmotionItem, JourneyMap

MAP_FIELDS = ("title", "goal", "description", "language", "state", "scenario", "owner", "tags")


@dataclass(frozen=True)
class Change:
    """One change: ``kind`` is ``<what>.<how>`` (``stage.renamed``, ``item.moved``...);
    ``where`` holds the place the message names, as data: ``position`` (1-based, of an added
    entry), ``stage`` (of a step, an item, an emotion) and ``lane`` (of an item)."""

    kind: str
    target: str
    message: str
    field: str | None = None
    old: Any = None
    new: Any = None
    where: dict[str, Any] = dataclasses.field(default_factory=dict)

    @property
    def sign(self) -> str:
        """``+`` added, ``-`` removed, ``>`` moved, ``~`` any other change."""
        how = self.kind.rsplit(".", 1)[-1]
        return {"added": "+", "removed": "-", "moved": ">"}.get(how, "~")

    def to_dict(self) -> dict[str, Any]:
        """The change as JSON-ready data."""
        return asdict(self)


@dataclass(frozen=True)
class MapDiff:
    """Every change from one map to another, in document order."""

    changes: tuple[Change, ...]

    def __bool__(self) -> bool:
        return bool(self.changes)

    def of_kind(self, kind: str) -> list[Change]:
        """The changes of one kind, e.g. ``'stage.added'``."""
        return [c for c in self.changes if c.kind == kind]

    def to_text(self) -> str:
        """One line per change, prefixed with its sign; 'no changes' when the maps are equal."""
        if not self.changes:
            return "no changes"
        return "\n".join(f"{c.sign} {c.message}" for c in self.changes)

    def to_dict(self) -> dict[str, Any]:
        """The diff as JSON-ready data, with a count per change kind."""
        summary: dict[str, int] = {}
        for change in self.changes:
            summary[change.kind] = summary.get(change.kind, 0) + 1
        return {"summary": summary, "changes": [c.to_dict() for c in self.changes]}


def _value(value: Any) -> Any:
    if hasattr(value, "model_dump"):
        data = value.model_dump(mode="json", exclude_defaults=True)
        kind = getattr(value, "kind", None)
        if isinstance(kind, str) and "kind" not in data:  # an item's kind is its default
            data = {"kind": kind, **data}
        return data
    if isinstance(value, list):
        return [_value(v) for v in value]
    if hasattr(value, "value") and not isinstance(value, int | float | str):
        return value.value
    return value


def _moved(old_ids: Sequence[str], new_ids: Sequence[str]) -> set[str]:
    """Ids whose relative order changed: those outside a longest common subsequence."""
    common = set(old_ids) & set(new_ids)
    a = [i for i in old_ids if i in common]
    b = [i for i in new_ids if i in common]
    lengths = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) - 1, -1, -1):
        for j in range(len(b) - 1, -1, -1):
            lengths[i][j] = (
                lengths[i + 1][j + 1] + 1
                if a[i] == b[j]
                else max(lengths[i + 1][j], lengths[i][j + 1])
            )
    keep: set[str] = set()
    i = j = 0
    while i < len(a) and j < len(b):
        if a[i] == b[j]:
            keep.add(a[i])
            i, j = i + 1, j + 1
        elif lengths[i + 1][j] >= lengths[i][j + 1]:
            i += 1
        else:
            j += 1
    return common - keep


def _field_changes(
    what: str, target: str, label: str, old: Any, new: Any, skip: set[str]
) -> list[Change]:
    old_data = old.model_dump(mode="json")
    new_data = new.model_dump(mode="json")
    changes = []
    for name in old_data.keys() | new_data.keys():
        if name in skip or old_data.get(name) == new_data.get(name):
            continue
        changes.append(
            Change(
                f"{what}.changed",
                target,
                f"{label} {name} changed: {_short(old_data.get(name))} -> "
                f"{_short(new_data.get(name))}",
                name,
                old_data.get(name),
                new_data.get(name),
            )
        )
    return sorted(changes, key=lambda c: c.field or "")


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _added_and_removed(
    kind: str,
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    describe: Callable[[str, Any, str], tuple[str, dict[str, Any]]],
) -> list[Change]:
    """``<kind>.added`` for each id only in ``new`` (in its order), then ``<kind>.removed`` for
    each id only in ``old``; ``describe(id, entity, "added" or "removed")`` says it and where."""
    changes = []
    for key, entity in new.items():
        if key not in old:
            message, where = describe(key, entity, "added")
            changes.append(Change(f"{kind}.added", key, message, new=_value(entity), where=where))
    for key, entity in old.items():
        if key not in new:
            message, where = describe(key, entity, "removed")
            changes.append(Change(f"{kind}.removed", key, message, old=_value(entity), where=where))
    return changes


def _ordered_entities(
    what: str,
    old: Sequence[Any],
    new: Sequence[Any],
    label: Callable[[Any], str],
    skip: set[str],
    stage: str | None = None,
) -> list[Change]:
    """Added, removed, renamed, moved and changed entries of an ordered list with ids (the
    steps of ``stage``)."""
    old_by = {e.id: e for e in old}
    new_by = {e.id: e for e in new}
    old_ids = [e.id for e in old]
    new_ids = [e.id for e in new]
    scope = f" in stage {stage!r}" if stage else ""
    in_stage: dict[str, Any] = {"stage": stage} if stage else {}

    def describe(entity_id: str, entity: Any, how: str) -> tuple[str, dict[str, Any]]:
        where = dict(in_stage)
        if how == "added":
            where["position"] = new_ids.index(entity_id) + 1
        at = f" at position {where['position']}" if "position" in where else ""
        return f"{what} {entity_id!r} ({label(entity)}) {how}{scope}{at}", where

    changes = _added_and_removed(what, old_by, new_by, describe)
    moved = _moved(old_ids, new_ids)
    for entity in new:
        before = old_by.get(entity.id)
        if before is None:
            continue
        if label(before) != label(entity):
            changes.append(
                Change(
                    f"{what}.renamed",
                    entity.id,
                    f"{what} {entity.id!r} renamed{scope}: {label(before)!r} -> {label(entity)!r}",
                    "title",
                    label(before),
                    label(entity),
                    in_stage,
                )
            )
        if entity.id in moved:
            old_pos, new_pos = old_ids.index(entity.id) + 1, new_ids.index(entity.id) + 1
            changes.append(
                Change(
                    f"{what}.moved",
                    entity.id,
                    f"{what} {entity.id!r} moved{scope}: position {old_pos} -> {new_pos}",
                    "position",
                    old_pos,
                    new_pos,
                    in_stage,
                )
            )
        changes += _field_changes(what, entity.id, f"{what} {entity.id!r}", before, entity, skip)
    return changes


def _item_index(doc: JourneyMap) -> dict[str, tuple[str, str, Any]]:
    return {item.id: (cell.lane, cell.stage, item) for cell, item in doc.iter_items()}


def _item_changes(old: JourneyMap, new: JourneyMap) -> list[Change]:
    old_items, new_items = _item_index(old), _item_index(new)

    def describe(item_id: str, item: Any, how: str) -> tuple[str, dict[str, Any]]:
        lane, stage, _item = (new_items if how == "added" else old_items)[item_id]
        place = f"{'in' if how == 'added' else 'from'} lane {lane!r} at stage {stage!r}"
        return f"{item.kind} {item_id!r} ({item.text!r}) {how} {place}", {
            "lane": lane,
            "stage": stage,
        }

    changes = _added_and_removed(
        "item",
        {key: entry[2] for key, entry in old_items.items()},
        {key: entry[2] for key, entry in new_items.items()},
        describe,
    )
    for item_id, (lane, stage, item) in new_items.items():
        if item_id not in old_items:
            continue
        old_lane, old_stage, before = old_items[item_id]
        where_old = (old_lane, old_stage, before.step)
        where_new = (lane, stage, item.step)
        if where_old != where_new:
            changes.append(
                Change(
                    "item.moved",
                    item_id,
                    f"{item.kind} {item_id!r} moved: {_where(*where_old)} -> {_where(*where_new)}",
                    "cell",
                    list(where_old),
                    list(where_new),
                )
            )
        skip = {"step"}
        if isinstance(before, EmotionItem) and isinstance(item, EmotionItem):
            if before.score != item.score:
                changes.append(
                    Change(
                        "emotion.changed",
                        item_id,
                        f"emotion at stage {stage!r} changed: {before.score:+d} -> {item.score:+d}"
                        f" ({item.text!r})",
                        "score",
                        before.score,
                        item.score,
                        {"stage": stage},
                    )
                )
            skip.add("score")
        changes += _field_changes("item", item_id, f"{item.kind} {item_id!r}", before, item, skip)
    return changes


def _where(lane: str, stage: str, step: str | None) -> str:
    return f"{lane}@{stage}" + (f"/{step}" if step else "")


def diff_maps(old: JourneyMap, new: JourneyMap) -> MapDiff:
    """The semantic changes from ``old`` to ``new``: map fields, personas, stages, steps, lanes,
    items, emotions."""
    changes: list[Change] = []
    for name in MAP_FIELDS:
        before, after = _value(getattr(old, name)), _value(getattr(new, name))
        if before != after:
            changes.append(
                Change(
                    "map.changed",
                    old.id,
                    f"map {name} changed: {_short(before)} -> {_short(after)}",
                    name,
                    before,
                    after,
                )
            )
    changes += _ordered_entities(
        "persona", old.personas, new.personas, lambda p: p.name or p.id, {"name"}
    )
    changes += _ordered_entities(
        "stage", old.stages, new.stages, lambda s: s.title, {"title", "steps"}
    )
    new_stages = {s.id: s for s in new.stages}
    for stage in old.stages:
        if stage.id in new_stages:
            changes += _ordered_entities(
                "step",
                stage.steps,
                new_stages[stage.id].steps,
                lambda s: s.title,
                {"title"},
                stage=stage.id,
            )
    changes += _ordered_entities("lane", old.lanes, new.lanes, lambda lane: lane.title, {"title"})
    changes += _item_changes(old, new)
    return MapDiff(tuple(changes))
