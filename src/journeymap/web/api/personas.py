"""The persona library through the API: list, read, create, update, delete the personas of a
workspace; link them to maps, unlink them, move a map's own persona into the library.

Every member reads; editors and owners change the library (``edit_personas``) and the maps'
links (``edit_map``). A persona payload has the fields of the map document's ``Persona``
(validated by that model); its ``id`` is the library slug that maps link to.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from journeymap.map.model import Id, Persona
from journeymap.web.api.edits import EDIT_ANSWERS, edit_answer
from journeymap.web.api.schemas import ErrorOut, validation_errors
from journeymap.web.maps.models import Map
from journeymap.web.maps.permissions import map_access
from journeymap.web.personas import selectors, services
from journeymap.web.personas.models import LibraryPersona
from journeymap.web.summaries import translate_summary
from journeymap.web.workspaces.permissions import Action, workspace_access

router = Router(tags=["personas"])


class PersonaIn(Persona):
    """A persona of the map document's format; ``id`` (optional) is the wanted library slug
    when creating, and ignored when updating (the slug never changes)."""

    id: Id | None = None  # type: ignore[assignment]


class MapUseOut(Schema):
    id: int
    title: str
    archived: bool


class PersonaOut(Schema):
    slug: str
    name: str
    updated_at: dt.datetime
    maps: list[MapUseOut]
    persona: dict[str, Any]


class PersonaInUseOut(Schema):
    detail: str
    maps: list[MapUseOut]


class LinkIn(Schema):
    """Link the library persona ``persona`` (its slug) to the map at ``revision``."""

    revision: int = Field(ge=1)
    persona: Id


class RevisionIn(Schema):
    revision: int = Field(ge=1)


def _out(entry: LibraryPersona, uses: list[selectors.MapUse]) -> dict[str, Any]:
    return {
        "slug": entry.slug,
        "name": entry.name,
        "updated_at": entry.updated_at,
        "maps": [vars(use) for use in uses],
        "persona": entry.data,
    }


def _data(payload: PersonaIn) -> dict[str, Any]:
    return payload.model_dump(mode="json", exclude={"id"})


@router.get("/workspaces/{workspace_id}/personas", response=list[PersonaOut])
def list_personas(request: HttpRequest, workspace_id: int) -> list[dict[str, Any]]:
    """The workspace's persona library, by name, with the maps that link each persona."""
    access = workspace_access(request.user, workspace_id)
    entries = list(selectors.personas_of(access.workspace))
    uses = selectors.uses_by_slug(access.workspace)
    return [_out(entry, uses.get(entry.slug, [])) for entry in entries]


@router.get("/workspaces/{workspace_id}/personas/{slug}", response=PersonaOut)
def get_persona(request: HttpRequest, workspace_id: int, slug: str) -> dict[str, Any]:
    """One library persona (404 when the library has none with this slug)."""
    access = workspace_access(request.user, workspace_id)
    entry = selectors.library_persona(access.workspace, slug)
    return _out(entry, selectors.maps_using(entry))


@router.post("/workspaces/{workspace_id}/personas", response={201: PersonaOut, 422: ErrorOut})
def create_persona(
    request: HttpRequest, workspace_id: int, payload: PersonaIn
) -> Status[dict[str, Any]]:
    """Add a persona to the library; its slug is ``id`` when given, else made from the name,
    with a number added when the workspace has it already."""
    access = workspace_access(request.user, workspace_id)
    access.require(Action.EDIT_PERSONAS)
    data = _data(payload) | ({"id": payload.id} if payload.id else {})
    try:
        entry = services.create_persona(workspace=access.workspace, user=request.user, data=data)
    except ValidationError as exc:
        return Status(422, validation_errors(exc))
    return Status(201, _out(entry, []))


@router.put("/workspaces/{workspace_id}/personas/{slug}", response={200: PersonaOut, 422: ErrorOut})
def update_persona(
    request: HttpRequest, workspace_id: int, slug: str, payload: PersonaIn
) -> Status[dict[str, Any]]:
    """Replace a library persona's fields (the slug stays; linked maps show the change)."""
    access = workspace_access(request.user, workspace_id)
    access.require(Action.EDIT_PERSONAS)
    entry = selectors.library_persona(access.workspace, slug)
    try:
        services.update_persona(entry=entry, user=request.user, data=_data(payload))
    except ValidationError as exc:
        return Status(422, validation_errors(exc))
    return Status(200, _out(entry, selectors.maps_using(entry)))


@router.delete(
    "/workspaces/{workspace_id}/personas/{slug}", response={204: None, 409: PersonaInUseOut}
)
def delete_persona(request: HttpRequest, workspace_id: int, slug: str) -> Status[Any]:
    """Delete a library persona; 409 naming the maps while any map links it."""
    access = workspace_access(request.user, workspace_id)
    access.require(Action.EDIT_PERSONAS)
    entry = selectors.library_persona(access.workspace, slug)
    try:
        services.delete_persona(entry=entry, user=request.user)
    except services.PersonaInUseError as exc:
        detail = translate_summary(exc.summary)
        return Status(409, {"detail": detail, "maps": [vars(use) for use in exc.maps]})
    return Status(204, None)


@router.post("/maps/{map_id}/personas", response=EDIT_ANSWERS)
def link_persona(request: HttpRequest, map_id: int, payload: LinkIn) -> Status[dict[str, Any]]:
    """Link a library persona to the map (an edit: undo removes the link)."""
    return edit_answer(
        request,
        map_id,
        lambda: services.link_persona(
            map_id=map_id,
            user=request.user,
            expected_revision=payload.revision,
            slug=payload.persona,
        ),
    )


@router.post("/maps/{map_id}/personas/{persona_id}/unlink", response=EDIT_ANSWERS)
def unlink_persona(
    request: HttpRequest, map_id: int, persona_id: str, payload: RevisionIn
) -> Status[dict[str, Any]]:
    """Remove the link ``persona_id`` (its id in the map) from the map."""
    return edit_answer(
        request,
        map_id,
        lambda: services.unlink_persona(
            map_id=map_id,
            user=request.user,
            expected_revision=payload.revision,
            persona_id=persona_id,
        ),
    )


@router.post("/maps/{map_id}/personas/{persona_id}/to-library", response=EDIT_ANSWERS)
def move_to_library(
    request: HttpRequest, map_id: int, persona_id: str, payload: RevisionIn
) -> Status[dict[str, Any]]:
    """Copy a persona embedded in the map into the library and link it in its place."""
    workspace_id = map_access(request.user, map_id).map.workspace_id
    workspace_access(request.user, workspace_id).require(Action.EDIT_PERSONAS)

    def move() -> tuple[Map, str]:
        _entry, journey_map, summary = services.import_from_map(
            map_id=map_id,
            user=request.user,
            expected_revision=payload.revision,
            persona_id=persona_id,
        )
        return journey_map, summary

    return edit_answer(request, map_id, move)
