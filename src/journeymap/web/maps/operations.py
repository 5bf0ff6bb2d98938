"""Edit operations on a map document, as typed values (Pydantic) with one ``apply`` each.

Django-free: the editor's views and the JSON API build an :data:`Operation` from their input
and hand it to the map service, which applies it and stores the result. Every result is
validated as a whole map (:func:`journeymap.map.validation.validate_data`), so an edit can
never store a document the map model would reject; an edit of cells only, applied to a map
known valid, validates the cells it changed and the references of the whole map, with the
same result and the same errors.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from journeymap.map.io import cell_to_data, map_to_data
from journeymap.map.model import (
    ID_PATTERN,
    LANE_ITEM_KINDS,
    Cell,
    JourneyMap,
    LaneKind,
    MapState,
    slugify,
)
from journeymap.map.validation import reference_problems, validate_data
from journeymap.web.summaries import Summary, gettext_noop

Ref = Annotated[str, Field(pattern=ID_PATTERN, min_length=1, max_length=80)]
Title = Annotated[str, Field(min_length=1, max_length=200)]

# Default text of an emotion point by score, used when the editor sets a score without text.
EMOTION_WORDS = {
    -2: "Very negative",
    -1: "Negative",
    0: "Neutral",
    1: "Positive",
    2: "Very positive",
}

# Fields of an item the editor may change; id and kind are fixed once an item exists.
FIXED_ITEM_FIELDS = frozenset({"id", "kind"})


class OperationError(ValueError):
    """An operation that cannot apply to this map; ``field`` names the input at fault and
    ``message`` (a :class:`~journeymap.web.summaries.Summary`) says why, in any language."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


class _Op(BaseModel):
    model_config = ConfigDict(extra="forbid")

    def apply(self, data: dict[str, Any]) -> str:
        """Change ``data`` (the map as plain data) in place; return a summary of the change."""
        raise NotImplementedError


def _index(rows: list[dict[str, Any]], row_id: str, field: str, what: str) -> int:
    for n, row in enumerate(rows):
        if row["id"] == row_id:
            return n
    raise OperationError(field, Summary(_NO_SUCH[what], id=row_id))


def _taken(data: dict[str, Any]) -> set[str]:
    ids = {s["id"] for s in data["stages"]} | {lane["id"] for lane in data["lanes"]}
    ids |= {step["id"] for s in data["stages"] for step in s.get("steps", [])}
    ids |= {p["id"] for p in data["personas"]}
    ids |= {item["id"] for cell in data["cells"] for item in cell["items"]}
    return ids


def _insert(rows: list[Any], row: Any, position: int | None) -> None:
    if position is None or position >= len(rows):
        rows.append(row)
    else:
        rows.insert(max(position, 0), row)


_NO_SUCH = {
    "stage": gettext_noop("the map has no stage %(id)r"),
    "lane": gettext_noop("the map has no lane %(id)r"),
    "item": gettext_noop("the map has no item %(id)r"),
    "persona": gettext_noop("the map has no persona %(id)r"),
}
_RENAMED = {
    "stage": gettext_noop("renamed stage %(old)r to %(new)r"),
    "lane": gettext_noop("renamed lane %(old)r to %(new)r"),
}
_EDITED = {
    "stage": gettext_noop("edited stage %(title)r"),
    "lane": gettext_noop("edited lane %(title)r"),
}
_MOVED = {
    "stage": gettext_noop("moved stage %(title)r to position %(position)d"),
    "lane": gettext_noop("moved lane %(title)r to position %(position)d"),
}
# Item kinds as words inside a sentence (the summaries of item edits).
KIND_WORDS = {
    "note": gettext_noop("note"),
    "touchpoint": gettext_noop("touchpoint"),
    "channel": gettext_noop("channel"),
    "emotion": gettext_noop("emotion"),
    "pain_point": gettext_noop("pain point"),
    "success_point": gettext_noop("success point"),
    "turning_point": gettext_noop("turning point"),
    "opportunity": gettext_noop("opportunity"),
    "idea": gettext_noop("idea"),
    "metric": gettext_noop("metric"),
    "action": gettext_noop("action"),
    "image": gettext_noop("image"),
}
_MAP_FIELD_WORDS = {
    "title": gettext_noop("title"),
    "goal": gettext_noop("goal"),
    "description": gettext_noop("description"),
    "state": gettext_noop("state"),
}


def _kind(kind: str) -> Summary:
    return Summary(KIND_WORDS.get(kind, kind.replace("_", " ")))


def _update_row(
    rows: list[dict[str, Any]], row_id: str, what: str, title: str | None, description: str | None
) -> str:
    """Rename a stage or lane and/or change its description; says what changed."""
    row = rows[_index(rows, row_id, what, what)]
    old = row["title"]
    if title is not None:
        row["title"] = title
    if description is not None:
        row["description"] = description or None
    if old != row["title"]:
        return Summary(_RENAMED[what], old=old, new=row["title"])
    return Summary(_EDITED[what], title=old)


def _move_row(rows: list[dict[str, Any]], row_id: str, what: str, position: int) -> str:
    """Move a stage or lane to ``position`` (0-based); says where it went."""
    row = rows.pop(_index(rows, row_id, what, what))
    _insert(rows, row, position)
    return Summary(_MOVED[what], title=row["title"], position=min(position, len(rows) - 1) + 1)


def _cell(data: dict[str, Any], lane: str, stage: str) -> dict[str, Any]:
    for cell in data["cells"]:
        if cell["lane"] == lane and cell["stage"] == stage:
            return cell
    cell = {"lane": lane, "stage": stage, "items": []}
    data["cells"].append(cell)
    return cell


def _find_item(data: dict[str, Any], item_id: str) -> tuple[dict[str, Any], int]:
    for cell in data["cells"]:
        for n, item in enumerate(cell["items"]):
            if item["id"] == item_id:
                return cell, n
    raise OperationError("item", Summary(_NO_SUCH["item"], id=item_id))


def _drop_empty_cells(data: dict[str, Any]) -> None:
    data["cells"] = [cell for cell in data["cells"] if cell["items"]]


class UpdateMap(_Op):
    """Change the map's title, goal, description or state (fields left out stay as they are)."""

    op: Literal["update_map"] = "update_map"
    title: Annotated[str, Field(min_length=1, max_length=300)] | None = None
    goal: str | None = None
    description: str | None = None
    state: MapState | None = None

    def apply(self, data: dict[str, Any]) -> str:
        changed = []
        for name in ("title", "goal", "description", "state"):
            value = getattr(self, name)
            if value is not None:
                data[name] = value.value if isinstance(value, MapState) else (value or None)
                changed.append(name)
        if not changed:
            return Summary(gettext_noop("changed nothing in the map"))
        return Summary(
            gettext_noop("changed the map's %(fields)s"),
            fields=[Summary(_MAP_FIELD_WORDS[name]) for name in changed],
        )


class AddStage(_Op):
    """Add a stage (a column) at ``position`` (0-based; the end when left out)."""

    op: Literal["add_stage"] = "add_stage"
    title: Title
    description: str | None = None
    position: Annotated[int, Field(ge=0)] | None = None

    def apply(self, data: dict[str, Any]) -> str:
        stage = {"id": slugify(self.title, _taken(data)), "title": self.title}
        if self.description:
            stage["description"] = self.description
        _insert(data["stages"], stage, self.position)
        return Summary(gettext_noop("added stage %(title)r"), title=self.title)


class UpdateStage(_Op):
    """Rename a stage or change its description."""

    op: Literal["update_stage"] = "update_stage"
    stage: Ref
    title: Title | None = None
    description: str | None = None

    def apply(self, data: dict[str, Any]) -> str:
        return _update_row(data["stages"], self.stage, "stage", self.title, self.description)


class MoveStage(_Op):
    """Move a stage to ``position`` (0-based)."""

    op: Literal["move_stage"] = "move_stage"
    stage: Ref
    position: Annotated[int, Field(ge=0)]

    def apply(self, data: dict[str, Any]) -> str:
        return _move_row(data["stages"], self.stage, "stage", self.position)


class RemoveStage(_Op):
    """Remove a stage with every item in its column."""

    op: Literal["remove_stage"] = "remove_stage"
    stage: Ref

    def apply(self, data: dict[str, Any]) -> str:
        rows = data["stages"]
        row = rows.pop(_index(rows, self.stage, "stage", "stage"))
        data["cells"] = [c for c in data["cells"] if c["stage"] != self.stage]
        for persona in data["personas"]:
            persona.get("stage_expectations", {}).pop(self.stage, None)
        return Summary(gettext_noop("removed stage %(title)r"), title=row["title"])


class AddLane(_Op):
    """Add a lane (a row) of ``kind`` at ``position`` (the end when left out)."""

    op: Literal["add_lane"] = "add_lane"
    kind: LaneKind
    title: Title | None = None
    position: Annotated[int, Field(ge=0)] | None = None

    def apply(self, data: dict[str, Any]) -> str:
        title = self.title or self.kind.value.replace("_", " ").capitalize()
        lane = {"id": slugify(title, _taken(data)), "kind": self.kind.value, "title": title}
        _insert(data["lanes"], lane, self.position)
        return Summary(gettext_noop("added lane %(title)r"), title=title)


class UpdateLane(_Op):
    """Rename a lane or change its description."""

    op: Literal["update_lane"] = "update_lane"
    lane: Ref
    title: Title | None = None
    description: str | None = None

    def apply(self, data: dict[str, Any]) -> str:
        return _update_row(data["lanes"], self.lane, "lane", self.title, self.description)


class MoveLane(_Op):
    """Move a lane to ``position`` (0-based)."""

    op: Literal["move_lane"] = "move_lane"
    lane: Ref
    position: Annotated[int, Field(ge=0)]

    def apply(self, data: dict[str, Any]) -> str:
        return _move_row(data["lanes"], self.lane, "lane", self.position)


class RemoveLane(_Op):
    """Remove a lane with every item in its row."""

    op: Literal["remove_lane"] = "remove_lane"
    lane: Ref

    def apply(self, data: dict[str, Any]) -> str:
        rows = data["lanes"]
        row = rows.pop(_index(rows, self.lane, "lane", "lane"))
        data["cells"] = [c for c in data["cells"] if c["lane"] != self.lane]
        return Summary(gettext_noop("removed lane %(title)r"), title=row["title"])


class AddItem(_Op):
    """Add an item to the cell ``lane`` x ``stage``.

    ``kind`` defaults to the lane's item kind; ``fields`` holds the kind's other fields
    (``severity``, ``channel``, ``score``, ``lens``, ``tags``, ``evidence``...).
    """

    op: Literal["add_item"] = "add_item"
    lane: Ref
    stage: Ref
    text: Annotated[str, Field(min_length=1, max_length=20_000)]
    kind: str | None = None
    fields: dict[str, Any] = Field(default_factory=dict)
    position: Annotated[int, Field(ge=0)] | None = None

    def apply(self, data: dict[str, Any]) -> str:
        lane = data["lanes"][_index(data["lanes"], self.lane, "lane", "lane")]
        _index(data["stages"], self.stage, "stage", "stage")
        allowed = LANE_ITEM_KINDS[LaneKind(lane["kind"])]
        kind = self.kind or ("note" if "note" in allowed else min(allowed))
        if kind not in allowed:
            raise OperationError(
                "kind",
                Summary(
                    gettext_noop("a %(kind)s cannot go in lane %(lane)r (allowed: %(allowed)s)"),
                    kind=_kind(kind),
                    lane=lane["title"],
                    allowed=[_kind(k) for k in sorted(allowed)],
                ),
            )
        bad = FIXED_ITEM_FIELDS & self.fields.keys()
        if bad:
            raise OperationError(
                "fields",
                Summary(
                    gettext_noop("%(fields)s cannot be set here"), fields=", ".join(sorted(bad))
                ),
            )
        item: dict[str, Any] = {
            "id": slugify(self.text[:40], _taken(data)),
            "kind": kind,
            "text": self.text,
        }
        if kind == "emotion" and "score" not in self.fields:
            item["score"] = 0
        item.update(self.fields)
        _insert(_cell(data, self.lane, self.stage)["items"], item, self.position)
        return Summary(
            gettext_noop("added %(kind)s %(text)r"), kind=_kind(kind), text=self.text[:60]
        )


class UpdateItem(_Op):
    """Change fields of an item; a field set to null goes back to its default."""

    op: Literal["update_item"] = "update_item"
    item: Ref
    fields: dict[str, Any]

    def apply(self, data: dict[str, Any]) -> str:
        bad = FIXED_ITEM_FIELDS & self.fields.keys()
        if bad:
            raise OperationError(
                "fields",
                Summary(
                    gettext_noop("%(fields)s cannot be changed"), fields=", ".join(sorted(bad))
                ),
            )
        cell, n = _find_item(data, self.item)
        item = cell["items"][n]
        for name, value in self.fields.items():
            if value is None or value == "":
                item.pop(name, None)
            else:
                item[name] = value
        return Summary(
            gettext_noop("edited %(kind)s %(text)r"),
            kind=_kind(item["kind"]),
            text=item.get("text", "")[:60],
        )


class MoveItem(_Op):
    """Move an item to the cell ``lane`` x ``stage`` at ``position`` (the end when left out)."""

    op: Literal["move_item"] = "move_item"
    item: Ref
    lane: Ref
    stage: Ref
    position: Annotated[int, Field(ge=0)] | None = None

    def apply(self, data: dict[str, Any]) -> str:
        _index(data["lanes"], self.lane, "lane", "lane")
        stage = data["stages"][_index(data["stages"], self.stage, "stage", "stage")]
        cell, n = _find_item(data, self.item)
        item = cell["items"].pop(n)
        if cell["stage"] != self.stage:
            item.pop("step", None)  # steps belong to the old stage
        _insert(_cell(data, self.lane, self.stage)["items"], item, self.position)
        _drop_empty_cells(data)
        return Summary(
            gettext_noop("moved %(text)r to %(stage)r"),
            text=item["text"][:60],
            stage=stage["title"],
        )


class DeleteItem(_Op):
    """Delete an item."""

    op: Literal["delete_item"] = "delete_item"
    item: Ref

    def apply(self, data: dict[str, Any]) -> str:
        cell, n = _find_item(data, self.item)
        item = cell["items"].pop(n)
        _drop_empty_cells(data)
        return Summary(
            gettext_noop("deleted %(kind)s %(text)r"),
            kind=_kind(item["kind"]),
            text=item["text"][:60],
        )


class SetEmotion(_Op):
    """Set the emotion score (-2..+2) of a stage on the emotion curve (the first emotions lane
    unless ``lane`` is given)."""

    op: Literal["set_emotion"] = "set_emotion"
    stage: Ref
    score: Annotated[int, Field(ge=-2, le=2)]
    text: Annotated[str, Field(min_length=1, max_length=20_000)] | None = None
    lane: Ref | None = None

    def apply(self, data: dict[str, Any]) -> str:
        stage = data["stages"][_index(data["stages"], self.stage, "stage", "stage")]
        lanes = [lane for lane in data["lanes"] if lane["kind"] == LaneKind.EMOTIONS.value]
        if self.lane is not None:
            lanes = [lane for lane in lanes if lane["id"] == self.lane]
            if not lanes:
                raise OperationError(
                    "lane",
                    Summary(gettext_noop("the map has no emotions lane %(id)r"), id=self.lane),
                )
        if not lanes:
            raise OperationError(
                "lane", Summary(gettext_noop("the map has no emotions lane: add one first"))
            )
        cell = _cell(data, lanes[0]["id"], self.stage)
        point = next((i for i in cell["items"] if not i.get("step")), None)
        if point is None:
            point = {"id": slugify(f"emotion-{self.stage}", _taken(data)), "kind": "emotion"}
            cell["items"].insert(0, point)
        point["score"] = self.score
        if self.text or not point.get("text") or point["text"] in EMOTION_WORDS.values():
            point["text"] = self.text or EMOTION_WORDS[self.score]
        return Summary(
            gettext_noop("set the emotion at %(stage)r to %(score)+d"),
            stage=stage["title"],
            score=self.score,
        )


class LinkPersona(_Op):
    """Link a persona of the workspace library (its ``ref``, the library slug) to the map.

    ``name`` is kept on the reference for readers without the library. With ``replace``, the
    embedded persona of that id becomes the reference (same id and place): the persona was
    moved into the library.
    """

    op: Literal["link_persona"] = "link_persona"
    ref: Ref
    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    replace: Ref | None = None

    def apply(self, data: dict[str, Any]) -> str:
        personas = data["personas"]
        if any(p.get("ref") == self.ref for p in personas):
            raise OperationError(
                "ref",
                Summary(gettext_noop("persona %(id)r is already linked to this map"), id=self.ref),
            )
        label = self.name or self.ref
        if self.replace is None:
            entry = {"id": slugify(self.ref, _taken(data)), "ref": self.ref}
            personas.append({**entry, "name": self.name} if self.name else entry)
            return Summary(gettext_noop("linked persona %(name)r"), name=label)
        n = _index(personas, self.replace, "replace", "persona")
        if "ref" in personas[n]:
            raise OperationError(
                "replace",
                Summary(gettext_noop("persona %(id)r is already a link"), id=self.replace),
            )
        entry = {"id": self.replace, "ref": self.ref}
        personas[n] = {**entry, "name": self.name} if self.name else entry
        return Summary(gettext_noop("moved persona %(name)r to the library"), name=label)


class UnlinkPersona(_Op):
    """Remove a link to a library persona from the map (the library keeps the persona)."""

    op: Literal["unlink_persona"] = "unlink_persona"
    persona: Ref

    def apply(self, data: dict[str, Any]) -> str:
        personas = data["personas"]
        n = _index(personas, self.persona, "persona", "persona")
        if "ref" not in personas[n]:
            raise OperationError(
                "persona",
                Summary(
                    gettext_noop("persona %(id)r is part of the map, not a library link"),
                    id=self.persona,
                ),
            )
        entry = personas.pop(n)
        return Summary(
            gettext_noop("unlinked persona %(name)r"), name=entry.get("name") or entry["ref"]
        )


Operation = Annotated[
    UpdateMap
    | AddStage
    | UpdateStage
    | MoveStage
    | RemoveStage
    | AddLane
    | UpdateLane
    | MoveLane
    | RemoveLane
    | AddItem
    | UpdateItem
    | MoveItem
    | DeleteItem
    | SetEmotion
    | LinkPersona
    | UnlinkPersona,
    Field(discriminator="op"),
]

OPERATION_ADAPTER: TypeAdapter[Operation] = TypeAdapter(Operation)
OPERATION_CLASSES: tuple[type[_Op], ...] = get_args(get_args(Operation)[0])
OPERATION_NAMES = frozenset(cls.model_fields["op"].default for cls in OPERATION_CLASSES)


def apply_operation(doc: JourneyMap, operation: Operation) -> tuple[JourneyMap, str]:
    """The map after ``operation`` and a one-line summary; raises OperationError or
    MapValidationError (with every problem) when the result would not be a valid map."""
    data = map_to_data(doc)
    _with_defaults(data)
    summary = operation.apply(data)
    return validate_data(data), summary


def apply_to_stored(
    document: str,
    operation: Operation,
    known: tuple[JourneyMap, Mapping[str, Any]] | None = None,
) -> tuple[JourneyMap, dict[str, Any], str]:
    """:func:`apply_operation` on a stored document's JSON text (the plain data of a valid
    map), without validating and dumping the map first: the text is parsed into the copy that
    the operation changes. Returns the edited map, its plain data (as
    :func:`~journeymap.map.io.map_to_data` writes it) and the summary.

    ``known``: the stored map validated, with its plain data, when the caller has them; then an
    edit of cells only validates and dumps the cells it changed (same result, same errors).
    """
    data = json.loads(document)
    _with_defaults(data)
    summary = operation.apply(data)
    if known is not None:
        edited = _revalidated(data, *known)
        if edited is not None:
            return (*edited, summary)
    doc = validate_data(data)
    return doc, map_to_data(doc), summary


def _with_defaults(data: dict[str, Any]) -> None:
    for key in ("personas", "stages", "lanes", "cells"):
        data.setdefault(key, [])
    for cell in data["cells"]:
        cell.setdefault("items", [])


def _revalidated(
    data: dict[str, Any], known: JourneyMap, known_data: Mapping[str, Any]
) -> tuple[JourneyMap, dict[str, Any]] | None:
    """``data`` validated, and as stored, when it differs from the valid map ``known`` (stored
    as ``known_data``) in its cells only: the cells left as they were keep their models, the
    others are validated and dumped, and references are checked on the whole map. None for
    any other change and for any problem: :func:`validate_data` then finds and words them."""
    rest = {key: value for key, value in known_data.items() if key != "cells"}
    for key in ("personas", "stages", "lanes"):
        rest.setdefault(key, [])
    if {key: value for key, value in data.items() if key != "cells"} != rest:
        return None
    old = {
        (cell_data["lane"], cell_data["stage"]): (cell_data, cell)
        for cell_data, cell in zip(known_data.get("cells", []), known.cells, strict=True)
    }
    cells: list[Cell] = []
    stored: list[dict[str, Any]] = []
    for cell_data in data["cells"]:
        hit = old.get((cell_data.get("lane"), cell_data.get("stage")))
        if hit is not None and hit[0] == cell_data:
            cell = hit[1]
        else:
            try:
                cell = Cell.model_validate(cell_data)
            except ValidationError:
                return None
            cell_data = cell_to_data(cell)
        cells.append(cell)
        stored.append(cell_data)
    doc = known.model_copy(update={"cells": cells})
    if reference_problems(doc):
        return None
    edited = {key: data[key] for key in known_data if key != "cells"}
    if stored:
        edited["cells"] = stored  # the last field of a map, so where map_to_data puts it
    return doc, edited
