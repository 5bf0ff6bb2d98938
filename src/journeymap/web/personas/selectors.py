"""Reads of the persona library, and the one place where a map's persona references are
resolved from it (:func:`resolved_document`: the editor, the shared view and every export)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from journeymap.map.model import JourneyMap, Persona, PersonaRef
from journeymap.map.personas import library_refs, resolve_personas
from journeymap.web.maps.models import Map
from journeymap.web.maps.operations import LinkPersona, OperationError
from journeymap.web.maps.selectors import document_of
from journeymap.web.personas.models import LibraryPersona
from journeymap.web.summaries import Summary, gettext_noop
from journeymap.web.workspaces.models import Workspace


def personas_of(workspace: Workspace) -> QuerySet[LibraryPersona]:
    """The workspace's library, by name."""
    return LibraryPersona.objects.filter(workspace=workspace)


def library_persona(workspace: Workspace, slug: str) -> LibraryPersona:
    """The library persona ``slug`` of the workspace; Http404 when there is none."""
    found = LibraryPersona.objects.filter(workspace=workspace, slug=slug).first()
    if found is None:
        raise Http404(f"the library has no persona {slug!r}")
    return found


def persona_of(entry: LibraryPersona) -> Persona:
    """The stored persona document, validated by the map model."""
    return Persona.model_validate(entry.data)


def library_of(workspace: Workspace, slugs: Iterable[str]) -> dict[str, Persona]:
    """The library personas with these slugs, by slug (slugs not in the library are left out)."""
    rows = LibraryPersona.objects.filter(workspace=workspace, slug__in=set(slugs))
    return {row.slug: persona_of(row) for row in rows}


def resolved_document(journey_map: Map) -> JourneyMap:
    """The map's document with its library references replaced by the library's personas.

    This is what people see and download (editor, shared view, HTML/PDF/PNG/Markdown/XLSX);
    the stored document, its YAML/JSON export and the API keep the references.
    """
    doc = document_of(journey_map)
    refs = library_refs(doc)
    if not refs:
        return doc
    return resolve_personas(doc, library_of(journey_map.workspace, refs))


@dataclass(frozen=True)
class MapUse:
    """A map that links a library persona."""

    id: int
    title: str
    archived: bool


def uses_by_slug(workspace: Workspace) -> dict[str, list[MapUse]]:
    """Per library slug, the workspace's maps (archived ones too) that link it, by title."""
    rows = Map.objects.filter(workspace=workspace).values_list(
        "pk", "title", "archived_at", "document__personas"
    )  # only the personas of each document leave the database
    uses: dict[str, list[MapUse]] = {}
    for pk, title, archived_at, personas in rows:
        refs = {p["ref"] for p in personas or [] if "ref" in p}
        for slug in refs:
            uses.setdefault(slug, []).append(MapUse(pk, title, archived_at is not None))
    for found in uses.values():
        found.sort(key=lambda use: (use.title.lower(), use.id))
    return uses


def maps_using(entry: LibraryPersona) -> list[MapUse]:
    """The workspace's maps (archived ones too) that link ``entry``, by title."""
    return uses_by_slug(entry.workspace).get(entry.slug, [])


def checked_link(workspace: Workspace, operation: LinkPersona) -> LinkPersona:
    """The link with the library persona's current name; OperationError on field ``ref`` when
    the workspace library has no such persona. Locks the persona row (inside the edit's
    transaction) so that it cannot be deleted while the link is being stored."""
    found = (
        LibraryPersona.objects.select_for_update()
        .filter(workspace=workspace, slug=operation.ref)
        .first()
    )
    if found is None:
        message = Summary(
            gettext_noop("the persona library has no persona %(id)r"), id=operation.ref
        )
        raise OperationError("ref", message)
    return operation.model_copy(update={"name": found.name})


@dataclass(frozen=True)
class MapPersona:
    """A persona of a map as the editor's persona panel shows it."""

    id: str
    persona: Persona | None
    ref: str | None
    name: str

    @property
    def linked(self) -> bool:
        """Whether it is a link to the library (else it is part of the map)."""
        return self.ref is not None


def map_personas(journey_map: Map) -> list[MapPersona]:
    """The map's personas: embedded ones, and links with the library persona (None when the
    library no longer has it)."""
    doc = document_of(journey_map)
    library = library_of(journey_map.workspace, library_refs(doc))
    found = []
    for entry in doc.personas:
        if isinstance(entry, PersonaRef):
            persona = library.get(entry.ref)
            name = persona.name if persona else entry.name or entry.ref
            found.append(MapPersona(entry.id, persona, entry.ref, name))
        else:
            found.append(MapPersona(entry.id, entry, None, entry.name))
    return found
