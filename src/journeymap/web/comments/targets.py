"""What a comment can point at, checked against the map document."""

from __future__ import annotations

from journeymap.map.model import JourneyMap
from journeymap.web.summaries import Summary, gettext_noop


class UnknownTargetError(ValueError):
    """A comment target that is not in the map; ``summary`` says so (translatable)."""

    def __init__(self, target: str) -> None:
        self.summary = Summary(
            gettext_noop(
                "%(target)r is not in this map: use map, stage:<id>, cell:<lane>/<stage>"
                " or item:<id>"
            ),
            target=target,
        )
        super().__init__(self.summary)


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
    raise UnknownTargetError(target)
