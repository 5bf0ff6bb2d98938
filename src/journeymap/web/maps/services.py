"""Changes to maps: create (blank, template, import), duplicate, archive, delete, and edits
with optimistic concurrency (a stale revision is refused, never silently overwritten)."""

from __future__ import annotations

import copy
import json
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from journeymap.map.io import map_to_data, parse_map
from journeymap.map.model import JourneyMap, slugify
from journeymap.web.maps.models import Map, MapChange, json_text
from journeymap.web.maps.operations import LinkPersona, Operation, apply_to_stored
from journeymap.web.maps.selectors import (
    document_of,
    keep_stored_map,
    last_undoable_change,
    remember_document,
    stored_map,
    template_document,
)
from journeymap.web.maps.versions import auto_snapshot, snapshot, version_document
from journeymap.web.personas.selectors import checked_link
from journeymap.web.summaries import Summary, gettext_noop
from journeymap.web.workspaces.models import Workspace
from journeymap.web.workspaces.services import record_activity


class StaleRevisionError(Exception):
    """The edit was made on an older revision than the stored one; carries the fresh map,
    and ``summary`` says so (translatable)."""

    def __init__(self, journey_map: Map, expected: int) -> None:
        self.map = journey_map
        self.expected = expected
        self.summary = Summary(
            gettext_noop(
                "the map changed since you loaded it (you had revision %(mine)d, it is now at"
                " revision %(theirs)d); your edit was not saved: look at the current map and"
                " make it again"
            ),
            mine=expected,
            theirs=journey_map.revision,
        )
        super().__init__(self.summary)


class NothingToUndoError(Exception):
    """There is no edit left to undo."""


@transaction.atomic
def create_map(
    *, workspace: Workspace, user: AbstractBaseUser, doc: JourneyMap, template: str = ""
) -> Map:
    """Store ``doc`` as a new map of ``workspace``."""
    journey_map = Map.objects.create(
        workspace=workspace,
        title=doc.title,
        document=map_to_data(doc),
        template=template,
        created_by=user,
        updated_by=user,
    )
    snapshot(journey_map=journey_map, user=user, name="created")
    record_activity(
        workspace=workspace,
        actor=user,
        verb="map.create",
        summary=Summary(gettext_noop("created map %(title)r"), title=doc.title),
        map_id=journey_map.pk,
    )
    return journey_map


def blank_document(*, title: str, language: str = "en") -> JourneyMap:
    """An empty map with a title: no stages, lanes or items yet."""
    return JourneyMap(id=slugify(title), title=title, language=language)


def create_blank_map(
    *, workspace: Workspace, user: AbstractBaseUser, title: str, language: str = "en"
) -> Map:
    """A new empty map."""
    return create_map(
        workspace=workspace, user=user, doc=blank_document(title=title, language=language)
    )


def create_map_from_template(
    *,
    workspace: Workspace,
    user: AbstractBaseUser,
    template_id: str,
    language: str,
    title: str | None = None,
) -> Map:
    """A new map from a shipped template in ``language`` (UnknownTemplateError if none)."""
    doc = template_document(template_id, language)
    if title:
        doc = doc.model_copy(update={"title": title})
    return create_map(workspace=workspace, user=user, doc=doc, template=template_id)


def import_map(
    *, workspace: Workspace, user: AbstractBaseUser, text: str, fmt: str, source: str
) -> Map:
    """A new map from YAML or JSON text; MapValidationError names the line of every problem."""
    doc = parse_map(text, source=source, fmt=fmt)
    return create_map(workspace=workspace, user=user, doc=doc)


@transaction.atomic
def duplicate_map(*, journey_map: Map, user: AbstractBaseUser, title: str | None = None) -> Map:
    """A copy of a map (the current document, without its history)."""
    doc = document_of(journey_map)
    doc = doc.model_copy(update={"title": title or f"{doc.title} (copy)"[:300]})
    return create_map(
        workspace=journey_map.workspace, user=user, doc=doc, template=journey_map.template
    )


@transaction.atomic
def set_archived(*, journey_map: Map, user: AbstractBaseUser, archived: bool) -> Map:
    """Archive a map (hidden from the list, kept) or bring it back."""
    journey_map.archived_at = timezone.now() if archived else None
    journey_map.save(update_fields=["archived_at", "updated_at"])
    record_activity(
        workspace=journey_map.workspace,
        actor=user,
        verb="map.archive" if archived else "map.unarchive",
        summary=Summary(
            gettext_noop("archived map %(title)r")
            if archived
            else gettext_noop("restored map %(title)r"),
            title=journey_map.title,
        ),
        map_id=journey_map.pk,
    )
    return journey_map


@transaction.atomic
def delete_map(*, journey_map: Map, user: AbstractBaseUser) -> None:
    """Delete a map with its history."""
    record_activity(
        workspace=journey_map.workspace,
        actor=user,
        verb="map.delete",
        summary=Summary(gettext_noop("deleted map %(title)r"), title=journey_map.title),
        map_id=journey_map.pk,
    )
    journey_map.delete()


def _locked(map_id: int, expected_revision: int, read: Map | None = None) -> Map:
    """The map to edit at ``expected_revision`` (StaleRevisionError if it moved on).

    ``read`` is the map as the caller read it in this request: at the expected revision its
    document is the stored one (every stored change bumps the revision), so a copy of it is
    taken instead of reading the map again; :func:`_store` stores the edit only if the map is
    still at that revision. Otherwise the map is read and locked.
    """
    if read is not None and read.pk == map_id and read.revision == expected_revision:
        return copy.copy(read)
    journey_map = Map.objects.select_for_update().select_related("workspace").get(pk=map_id)
    if journey_map.revision != expected_revision:
        raise StaleRevisionError(journey_map, expected_revision)
    return journey_map


def _store(
    *,
    journey_map: Map,
    user: AbstractBaseUser,
    doc: JourneyMap,
    action: str,
    summary: str,
    before: str | None = None,
    data: dict[str, Any] | None = None,
) -> MapChange:
    """Store ``doc`` as the map's next revision with its change record, automatic version and
    activity; StaleRevisionError when the map is no longer at ``journey_map.revision``.
    ``before``: the stored document as JSON text, ``data``: ``doc`` as plain data, when the
    caller has them already. The new document is serialised once for the map and its version.
    """
    revision = journey_map.revision
    data = map_to_data(doc) if data is None else data
    text = json.dumps(data)  # as the JSON field would dump it
    now = timezone.now()
    stored = Map.objects.filter(pk=journey_map.pk, revision=revision).update(
        document=json_text(text),
        title=doc.title,
        revision=revision + 1,
        updated_by=user,
        updated_at=now,
    )
    if not stored:  # someone else's edit was stored since the map was read
        fresh = Map.objects.select_related("workspace").get(pk=journey_map.pk)
        raise StaleRevisionError(fresh, revision)
    change = MapChange.objects.create(
        map=journey_map,
        revision=revision + 1,
        action=action,
        summary=summary[:500],
        summary_data=summary.to_data() if isinstance(summary, Summary) else {},
        before=journey_map.document if before is None else json_text(before),
        user=user,
    )
    change.before = journey_map.document
    journey_map.document = data
    remember_document(journey_map, doc)
    keep_stored_map(journey_map, text, doc)
    journey_map.title = doc.title
    journey_map.revision = revision + 1
    journey_map.updated_by = user
    journey_map.updated_at = now
    auto_snapshot(journey_map=journey_map, user=user, text=text)
    record_activity(
        workspace=journey_map.workspace,
        actor=user,
        verb=f"map.{action}",
        summary=Summary("%(map)s: %(change)s", map=journey_map.title, change=summary),
        map_id=journey_map.pk,
    )
    return change


@transaction.atomic
def edit_map(
    *,
    map_id: int,
    user: AbstractBaseUser,
    expected_revision: int,
    operation: Operation,
    read: Map | None = None,
) -> tuple[Map, str]:
    """Apply one edit operation to the map at ``expected_revision`` and store the result
    (``read``: the map as the caller has already read it, see :func:`_locked`).

    Raises StaleRevisionError when the map has moved on, OperationError or MapValidationError
    when the edit does not fit the map (or links a persona the workspace library does not
    have); nothing is stored then.
    """
    journey_map = _locked(map_id, expected_revision, read)
    if isinstance(operation, LinkPersona):
        operation = checked_link(journey_map.workspace, operation)
    before = json.dumps(journey_map.document)
    known = stored_map(journey_map, before)
    doc, data, summary = apply_to_stored(
        before, operation, None if known is None else (known, journey_map.document)
    )
    _store(
        journey_map=journey_map,
        user=user,
        doc=doc,
        action=operation.op,
        summary=summary,
        before=before,
        data=data,
    )
    return journey_map, summary


@transaction.atomic
def replace_document(
    *,
    map_id: int,
    user: AbstractBaseUser,
    expected_revision: int,
    doc: JourneyMap,
    action: str,
    summary: str,
) -> Map:
    """Store a whole new document (restore a version, replace from a file) as one edit."""
    journey_map = _locked(map_id, expected_revision)
    _store(journey_map=journey_map, user=user, doc=doc, action=action, summary=summary)
    return journey_map


@transaction.atomic
def undo_last_edit(
    *, map_id: int, user: AbstractBaseUser, expected_revision: int
) -> tuple[Map, str]:
    """Undo the newest edit not undone yet (repeatable: each undo goes one edit further back)."""
    journey_map = _locked(map_id, expected_revision)
    change = last_undoable_change(journey_map)
    if change is None:
        raise NothingToUndoError("there is no edit to undo")
    doc = document_of(Map(pk=journey_map.pk, document=change.before))
    summary = Summary(gettext_noop("undid: %(change)s"), change=change.summary_text)
    _store(journey_map=journey_map, user=user, doc=doc, action="undo", summary=summary)
    change.undone = True
    change.save(update_fields=["undone"])
    return journey_map, summary


@transaction.atomic
def restore_version(
    *, map_id: int, user: AbstractBaseUser, expected_revision: int, number: int
) -> tuple[Map, str]:
    """Make version ``number`` the current map, as a new edit (undo brings the map back)."""
    journey_map = _locked(map_id, expected_revision)
    doc = version_document(journey_map, number)
    summary = Summary(gettext_noop("restored version %(number)d"), number=number)
    _store(journey_map=journey_map, user=user, doc=doc, action="restore", summary=summary)
    return journey_map, summary
