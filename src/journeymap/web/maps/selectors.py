"""Reads of maps: lists, the document of a map, the change history."""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache

from django.db.models import QuerySet

from journeymap.map.model import JourneyMap
from journeymap.map.templates import TemplateInfo, list_templates, load_template
from journeymap.map.validation import validate_data
from journeymap.web.maps.models import Map, MapChange
from journeymap.web.workspaces.models import Workspace

_VALIDATED = "_validated_document"
# The validated maps of the documents this process stored last, by map, each with its JSON
# text: the next edit of such a map starts from it instead of validating the whole map again.
_STORED_MAPS: OrderedDict[int, tuple[str, JourneyMap]] = OrderedDict()
_STORED_MAPS_SIZE = 8
_STORED_MAPS_LOCK = threading.Lock()


def maps_of(workspace: Workspace, *, archived: bool = False) -> QuerySet[Map]:
    """The workspace's maps (active ones, or archived ones), latest change first."""
    return Map.objects.filter(workspace=workspace, archived_at__isnull=not archived).select_related(
        "updated_by"
    )


def document_of(journey_map: Map) -> JourneyMap:
    """The map's document as a validated :class:`JourneyMap`.

    Validated once per ``Map`` instance and stored document (a request that reads the map
    again, or answers an edit with the map it has just stored, does not validate it again);
    the result is shared, so read it, do not change it.
    """
    known = journey_map.__dict__.get(_VALIDATED)
    if known is not None and known[0] is journey_map.document:
        return known[1]
    doc = validate_data(journey_map.document, source=f"map {journey_map.pk}")
    remember_document(journey_map, doc)
    return doc


def remember_document(journey_map: Map, doc: JourneyMap) -> None:
    """Keep ``doc`` as the validated form of the instance's current ``document``."""
    journey_map.__dict__[_VALIDATED] = (journey_map.document, doc)


def stored_map(journey_map: Map, text: str) -> JourneyMap | None:
    """The validated map of the instance's document (``text``: it as JSON) if this process
    stored that document lately, else None. Compared by text, then by content when the texts
    differ (a database that orders keys its own way, or a change since). Shared: read it, do not
    change it."""
    with _STORED_MAPS_LOCK:
        entry = _STORED_MAPS.get(journey_map.pk)
        if entry is not None:
            _STORED_MAPS.move_to_end(journey_map.pk)
    if entry is None:
        return None
    stored, doc = entry
    if stored != text and json.loads(stored) != journey_map.document:
        return None
    return doc


def keep_stored_map(journey_map: Map, text: str, doc: JourneyMap) -> None:
    """Remember ``doc`` as the validated map of the document just stored for ``journey_map`` as
    the JSON ``text``."""
    with _STORED_MAPS_LOCK:
        _STORED_MAPS[journey_map.pk] = (text, doc)
        _STORED_MAPS.move_to_end(journey_map.pk)
        while len(_STORED_MAPS) > _STORED_MAPS_SIZE:
            _STORED_MAPS.popitem(last=False)


def changes_of(journey_map: Map, *, limit: int = 50) -> list[MapChange]:
    """The latest saved edits of a map, newest first."""
    return list(MapChange.objects.filter(map=journey_map).select_related("user")[:limit])


def _undoable(journey_map: Map) -> QuerySet[MapChange]:
    return MapChange.objects.filter(map=journey_map, undone=False).exclude(action="undo")


def last_undoable_change(journey_map: Map) -> MapChange | None:
    """The newest edit that is not undone and not itself an undo, if any."""
    return _undoable(journey_map).order_by("-revision").first()


def can_undo(journey_map: Map) -> bool:
    """Whether the map has an edit to undo (without reading the stored document)."""
    return _undoable(journey_map).exists()


@dataclass(frozen=True)
class TemplateCard:
    """A template in the gallery: its info and a preview in the chosen language."""

    info: TemplateInfo
    language: str
    preview: JourneyMap

    @property
    def item_count(self) -> int:
        """Number of items in the template."""
        return len(self.preview.iter_items())


@lru_cache(maxsize=256)
def _template(template_id: str, language: str) -> JourneyMap:
    return load_template(template_id, language)


def template_document(template_id: str, language: str) -> JourneyMap:
    """A fresh copy of a shipped template (UnknownTemplateError when there is none)."""
    return _template(template_id, language).model_copy(deep=True)


@lru_cache(maxsize=1)
def shipped_templates() -> tuple[TemplateInfo, ...]:
    """Every shipped template (read once per process: the files are part of the package)."""
    return tuple(list_templates())


def template_gallery(language: str) -> list[TemplateCard]:
    """Every shipped template, previewed in ``language`` where it has it, else in English."""
    cards = []
    for info in shipped_templates():
        lang = language if language in info.languages else info.languages[0]
        cards.append(TemplateCard(info=info, language=lang, preview=_template(info.id, lang)))
    return cards
