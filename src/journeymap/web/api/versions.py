"""Versions through the API: list, read, name the current state, diff two, restore one.

Every member lists, reads and compares versions; editors and owners name and restore them. A
restore is an edit of the map: it names the revision it was made on (409 when stale).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from journeymap.map.io import map_to_data
from journeymap.web.api.schemas import ConflictOut, EditOut, conflict
from journeymap.web.maps import services, versions
from journeymap.web.maps.models import MapVersion
from journeymap.web.maps.permissions import map_access
from journeymap.web.workspaces.permissions import Action

router = Router(tags=["versions"])


class VersionOut(Schema):
    number: int
    name: str
    auto: bool
    revision: int
    created_by: str | None
    created_at: dt.datetime
    updated_at: dt.datetime


class VersionDocumentOut(VersionOut):
    document: dict[str, Any]


class NameVersionIn(Schema):
    name: str = Field(min_length=1, max_length=120, pattern=r"\S")


class RestoreIn(Schema):
    revision: int = Field(ge=1)


class ChangeOut(Schema):
    kind: str
    target: str
    message: str
    field: str | None
    old: Any
    new: Any


class DiffOut(Schema):
    """The semantic diff from version ``a`` to version ``b`` (``b`` null: the current map)."""

    a: int
    b: int | None
    summary: dict[str, int]
    changes: list[ChangeOut]


def _version(version: MapVersion) -> dict[str, Any]:
    return {
        "number": version.number,
        "name": version.name,
        "auto": version.auto,
        "revision": version.revision,
        "created_by": version.created_by.get_username() if version.created_by else None,
        "created_at": version.created_at,
        "updated_at": version.updated_at,
    }


@router.get("/maps/{map_id}/versions", response=list[VersionOut])
def list_versions(request: HttpRequest, map_id: int) -> list[dict[str, Any]]:
    """The map's versions, newest first."""
    return [_version(v) for v in versions.versions_of(map_access(request.user, map_id).map)]


@router.post("/maps/{map_id}/versions", response={201: VersionOut})
def name_version(request: HttpRequest, map_id: int, payload: NameVersionIn) -> Status[Any]:
    """Keep the map's current state as a named version (editors and owners)."""
    access = map_access(request.user, map_id)
    access.require(Action.EDIT_MAP)
    version = versions.name_version(journey_map=access.map, user=request.user, name=payload.name)
    return Status(201, _version(version))


@router.get("/maps/{map_id}/versions/{number}", response=VersionDocumentOut)
def get_version(request: HttpRequest, map_id: int, number: int) -> dict[str, Any]:
    """One version with its document (404 when the map has no such version)."""
    access = map_access(request.user, map_id)
    doc = versions.version_document(access.map, number)
    version = versions.versions_of(access.map).get(number=number)
    return {**_version(version), "document": map_to_data(doc)}


@router.get("/maps/{map_id}/diff", response=DiffOut)
def diff(request: HttpRequest, map_id: int, a: int, b: int | None = None) -> dict[str, Any]:
    """What changed from version ``a`` to version ``b`` (without ``b``: to the current map):
    stages, lanes and items added, removed, moved or edited, emotions changed."""
    access = map_access(request.user, map_id)
    return {"a": a, "b": b, **versions.diff_versions(access.map, a, b).to_dict()}


@router.post(
    "/maps/{map_id}/versions/{number}/restore",
    response={200: EditOut, 409: ConflictOut},
)
def restore(
    request: HttpRequest, map_id: int, number: int, payload: RestoreIn
) -> Status[dict[str, Any]]:
    """Make version ``number`` the current map, as a new edit (undo brings the map back)."""
    access = map_access(request.user, map_id)
    access.require(Action.EDIT_MAP)
    try:
        journey_map, summary = services.restore_version(
            map_id=map_id, user=request.user, expected_revision=payload.revision, number=number
        )
    except services.StaleRevisionError as exc:
        return Status(409, conflict(exc))
    return Status(
        200,
        {"revision": journey_map.revision, "summary": summary, "document": journey_map.document},
    )
