"""Changes to the persona library: create, update, delete (refused while maps link the persona),
import from a map or from a file of persona drafts, and linking personas to maps.

Every persona is validated by :class:`journeymap.map.model.Persona` before it is stored; a
refused one raises Django's ValidationError keyed by the field path (``name``,
``empathy.says[0]``...).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from pydantic import ValidationError as PydanticValidationError

from journeymap.map.model import Persona, slugify
from journeymap.map.personas import parse_personas
from journeymap.map.validation import format_loc, problems_from_pydantic
from journeymap.web.maps import services as map_services
from journeymap.web.maps.models import Map
from journeymap.web.maps.operations import LinkPersona, OperationError, UnlinkPersona
from journeymap.web.maps.problem_text import problem_text
from journeymap.web.maps.selectors import document_of
from journeymap.web.personas.models import LibraryPersona
from journeymap.web.personas.selectors import MapUse, maps_using
from journeymap.web.summaries import Summary, gettext_noop
from journeymap.web.workspaces.models import Workspace
from journeymap.web.workspaces.services import record_activity


class PersonaInUseError(Exception):
    """The persona is still linked from maps; ``maps`` names them, ``summary`` says so
    (translatable)."""

    def __init__(self, entry: LibraryPersona, maps: list[MapUse]) -> None:
        self.entry = entry
        self.maps = maps
        self.summary = Summary(
            gettext_noop(
                "persona %(name)r is linked from map(s) %(titles)s; unlink it there first"
            ),
            name=entry.name,
            titles=", ".join(repr(use.title) for use in maps),
        )
        super().__init__(self.summary)


def _validated(data: Mapping[str, Any], slug: str) -> Persona:
    try:
        return Persona.model_validate({**data, "id": slug})
    except PydanticValidationError as exc:
        errors: dict[str, list[str]] = {}
        for problem in problems_from_pydantic(exc):
            errors.setdefault(format_loc(problem.loc), []).append(problem_text(problem))
        raise ValidationError(errors) from exc


def _stored(persona: Persona) -> dict[str, Any]:
    return {"id": persona.id, **persona.model_dump(mode="json", exclude_defaults=True)}


def _new_slug(workspace: Workspace, wanted: str) -> str:
    taken = set(LibraryPersona.objects.filter(workspace=workspace).values_list("slug", flat=True))
    return slugify(wanted, taken)


@transaction.atomic
def create_persona(
    *, workspace: Workspace, user: AbstractBaseUser, data: Mapping[str, Any]
) -> LibraryPersona:
    """Add a persona to the library. Its slug comes from ``data['id']`` when given, else from
    the name, made unique in the workspace; it never changes afterwards."""
    draft = _validated(data, str(data.get("id") or "draft"))
    persona = draft.model_copy(
        update={"id": _new_slug(workspace, str(data.get("id") or draft.name))}
    )
    entry = LibraryPersona.objects.create(
        workspace=workspace,
        slug=persona.id,
        name=persona.name,
        data=_stored(persona),
        created_by=user,
        updated_by=user,
    )
    record_activity(
        workspace=workspace,
        actor=user,
        verb="persona.create",
        summary=Summary(gettext_noop("added persona %(name)r to the library"), name=persona.name),
    )
    return entry


@transaction.atomic
def update_persona(
    *, entry: LibraryPersona, user: AbstractBaseUser, data: Mapping[str, Any]
) -> LibraryPersona:
    """Change a library persona: the fields in ``data`` replace the stored ones (the slug stays,
    so maps keep their links and show the new content)."""
    persona = _validated({**entry.data, **data}, entry.slug)
    entry.name = persona.name
    entry.data = _stored(persona)
    entry.updated_by = user
    entry.save(update_fields=["name", "data", "updated_by", "updated_at"])
    record_activity(
        workspace=entry.workspace,
        actor=user,
        verb="persona.update",
        summary=Summary(gettext_noop("edited persona %(name)r"), name=persona.name),
    )
    return entry


@transaction.atomic
def delete_persona(*, entry: LibraryPersona, user: AbstractBaseUser) -> None:
    """Delete a library persona; PersonaInUseError (nothing deleted) while maps link it."""
    LibraryPersona.objects.select_for_update().filter(pk=entry.pk).first()
    uses = maps_using(entry)
    if uses:
        raise PersonaInUseError(entry, uses)
    record_activity(
        workspace=entry.workspace,
        actor=user,
        verb="persona.delete",
        summary=Summary(gettext_noop("deleted persona %(name)r from the library"), name=entry.name),
    )
    entry.delete()


def link_persona(
    *, map_id: int, user: AbstractBaseUser, expected_revision: int, slug: str
) -> tuple[Map, str]:
    """Link the library persona ``slug`` to a map (an edit: undo removes the link)."""
    return map_services.edit_map(
        map_id=map_id,
        user=user,
        expected_revision=expected_revision,
        operation=LinkPersona(ref=slug),
    )


def unlink_persona(
    *, map_id: int, user: AbstractBaseUser, expected_revision: int, persona_id: str
) -> tuple[Map, str]:
    """Remove the link ``persona_id`` (its id in the map) from a map."""
    return map_services.edit_map(
        map_id=map_id,
        user=user,
        expected_revision=expected_revision,
        operation=UnlinkPersona(persona=persona_id),
    )


@transaction.atomic
def import_from_map(
    *, map_id: int, user: AbstractBaseUser, expected_revision: int, persona_id: str
) -> tuple[LibraryPersona, Map, str]:
    """Move a persona embedded in a map into the library: the library gets a copy and the map
    links to it in its place (one edit, undone by Undo; the library copy stays)."""
    journey_map = Map.objects.select_related("workspace").get(pk=map_id)
    embedded = next(
        (
            p
            for p in document_of(journey_map).personas
            if isinstance(p, Persona) and p.id == persona_id
        ),
        None,
    )
    if embedded is None:
        message = Summary(gettext_noop("the map has no embedded persona %(id)r"), id=persona_id)
        raise OperationError("persona", message)
    entry = create_persona(
        workspace=journey_map.workspace,
        user=user,
        data=embedded.model_dump(mode="json", exclude_defaults=True),
    )
    journey_map, summary = map_services.edit_map(
        map_id=map_id,
        user=user,
        expected_revision=expected_revision,
        operation=LinkPersona(ref=entry.slug, replace=persona_id),
    )
    return entry, journey_map, summary


@transaction.atomic
def import_personas(
    *, workspace: Workspace, user: AbstractBaseUser, text: str, source: str, fmt: str = "yaml"
) -> list[LibraryPersona]:
    """Add every persona of a YAML/JSON file (e.g. the data-backed drafts of ``journeymap
    segments -o personas.yaml``); MapValidationError names the line of every problem and
    nothing is added then."""
    return [
        create_persona(
            workspace=workspace, user=user, data=p.model_dump(mode="json", exclude_defaults=True)
        )
        for p in parse_personas(text, source=source, fmt=fmt)
    ]
