"""What a comment can point at, checked against the map document."""

from __future__ import annotations

from journeymap.map.model import JourneyMap


class UnknownTargetError(ValueError):
    """A comment target that is not in the map."""


def describe_target(doc: JourneyMap, target: str) -> str:
    """A readable name of ``target`` (``"Stage · Pay"``); UnknownTargetError when it is not in
    the map."""
    kind, _, ref = target.partition(":")
    try:
        if kind == "map" and not ref:
            return doc.title
        if kind == "stage":
            return doc.stage(ref).title
        if kind == "item":
            return doc.find_item(ref)[1].text[:80]
        if kind == "cell":
            lane, _, stage = ref.partition("/")
            return f"{doc.lane(lane).title} · {doc.stage(stage).title}"
    except KeyError:
        pass
    raise UnknownTargetError(
        f"{target!r} is not in this map: use map, stage:<id>, cell:<lane>/<stage> or item:<id>"
    )
