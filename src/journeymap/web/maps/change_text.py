"""The lines of a map diff (:mod:`journeymap.map.diff`) in the reader's language, for the
versions page: the same facts as the diff's English messages (positions, stages and lanes
too), from each change's fields."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language, gettext, gettext_noop

from journeymap.map.diff import Change
from journeymap.web.maps.operations import KIND_WORDS

_HOW = {
    "added": gettext_noop("%(what)s %(id)r (%(label)s) added"),
    "removed": gettext_noop("%(what)s %(id)r (%(label)s) removed"),
    "renamed": gettext_noop("%(what)s %(id)r renamed: %(old)s → %(new)s"),
    "moved": gettext_noop("%(what)s %(id)r moved: %(old)s → %(new)s"),
    "changed": gettext_noop("%(what)s %(id)r: %(field)s changed: %(old)s → %(new)s"),
}
# The same naming the place of the change (Change.where; a move in an ordered list has the old
# and new positions as its values), by how and the names of the place.
_PLACED = {
    ("added", ("position",)): gettext_noop(
        "%(what)s %(id)r (%(label)s) added at position %(position)d"
    ),
    ("added", ("position", "stage")): gettext_noop(
        "%(what)s %(id)r (%(label)s) added in stage %(stage)r at position %(position)d"
    ),
    ("removed", ("stage",)): gettext_noop(
        "%(what)s %(id)r (%(label)s) removed from stage %(stage)r"
    ),
    ("added", ("lane", "stage")): gettext_noop(
        "%(what)s %(id)r (%(label)s) added in lane %(lane)r at stage %(stage)r"
    ),
    ("removed", ("lane", "stage")): gettext_noop(
        "%(what)s %(id)r (%(label)s) removed from lane %(lane)r at stage %(stage)r"
    ),
    ("renamed", ("stage",)): gettext_noop(
        "%(what)s %(id)r renamed in stage %(stage)r: %(old)s → %(new)s"
    ),
    ("moved", ("position",)): gettext_noop("%(what)s %(id)r moved: position %(old)s → %(new)s"),
    ("moved", ("position", "stage")): gettext_noop(
        "%(what)s %(id)r moved in stage %(stage)r: position %(old)s → %(new)s"
    ),
    ("changed", ("stage",)): gettext_noop(
        "%(what)s %(id)r at stage %(stage)r: %(field)s changed: %(old)s → %(new)s"
    ),
}
_WHAT = {
    "map": gettext_noop("map"),
    "persona": gettext_noop("persona"),
    "stage": gettext_noop("stage"),
    "step": gettext_noop("step"),
    "lane": gettext_noop("lane"),
    "item": gettext_noop("item"),
    "emotion": gettext_noop("emotion"),
}
_FIELDS = {
    "title": gettext_noop("title"),
    "goal": gettext_noop("goal"),
    "description": gettext_noop("description"),
    "state": gettext_noop("state"),
    "language": gettext_noop("language"),
    "owner": gettext_noop("owner"),
    "tags": gettext_noop("tags"),
    "text": gettext_noop("text"),
    "score": gettext_noop("score"),
}


def _short(value: Any, limit: int = 60) -> str:
    if (
        isinstance(value, list)
        and len(value) == 3
        and all(isinstance(v, str | None) for v in value)
    ):
        lane, stage, step = value  # an item's cell
        return f"{lane}@{stage}" + (f"/{step}" if step else "")
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _label(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("title") or value.get("name") or value.get("text") or "")
    return ""


def change_text(change: Change) -> str:
    """One change as a sentence in the active language (in English the diff's own message,
    which also names positions and cells)."""
    what, _, how = change.kind.rpartition(".")
    if (get_language() or "en").startswith("en"):
        return change.message
    if how not in _HOW or what not in _WHAT:
        return change.message
    named = set(change.where) | ({"position"} if change.field == "position" else set())
    template = _PLACED.get((how, tuple(sorted(named))), _HOW[how])
    entity = change.new if how == "added" else change.old
    kind = entity.get("kind") if isinstance(entity, dict) else None
    word = KIND_WORDS.get(kind, _WHAT[what]) if what == "item" and kind else _WHAT[what]
    field = change.field or ""
    return gettext(template) % {
        "what": gettext(word),
        "id": change.target,
        "label": _label(entity),
        "field": gettext(_FIELDS[field]) if field in _FIELDS else field,
        "old": _short(change.old),
        "new": _short(change.new),
        **change.where,
    }
