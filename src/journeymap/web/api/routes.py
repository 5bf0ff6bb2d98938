"""The JSON API (django-ninja), OpenAPI at /api/docs: the editor's operations for scripts.

Authentication: ``Authorization: Bearer <token>`` (tokens from the "API tokens" page) or the
browser session. Every endpoint validates its input, calls one service, and serializes; the
permissions are the workspace roles (a non-member gets 404, a missing right 403).
"""

from __future__ import annotations

from typing import Any, Literal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from ninja import NinjaAPI, Schema, Status
from ninja.errors import ValidationError
from ninja.security import HttpBearer, django_auth
from pydantic import Field

from journeymap.map.templates import UnknownTemplateError
from journeymap.map.validation import MapValidationError, validate_data
from journeymap.web.accounts.services import user_for_token
from journeymap.web.api import activity, comments, export_jobs, personas, sharing, versions
from journeymap.web.api.edits import EDIT_ANSWERS, edit_answer
from journeymap.web.api.schemas import ErrorOut
from journeymap.web.api.validation_text import translated_errors
from journeymap.web.maps import exports, selectors, services
from journeymap.web.maps.errors import field_errors
from journeymap.web.maps.models import Map
from journeymap.web.maps.operations import Operation
from journeymap.web.maps.permissions import map_access
from journeymap.web.maps.problem_text import problem_messages, problem_text
from journeymap.web.workspaces.permissions import Action, workspace_access
from journeymap.web.workspaces.selectors import workspaces_for


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>`` with a personal API token."""

    def authenticate(self, request: HttpRequest, token: str) -> AbstractBaseUser | None:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="journeymap API",
    version="1",
    description="Workspaces, maps and the map editor's operations. Every edit names the revision"
    " it was made on; a stale revision answers 409 with the current map.",
    urls_namespace="api",
    auth=[TokenAuth(), django_auth],
)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    detail = str(exc) or gettext("You may not do this.")
    return api.create_response(request, {"detail": detail}, status=403)


@api.exception_handler(ValidationError)
def _invalid_request(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """A request that does not parse: ninja's 422 list, its messages in the request's language."""
    return api.create_response(request, {"detail": translated_errors(exc.errors)}, status=422)


class WorkspaceOut(Schema):
    id: int
    name: str
    role: str


class MapSummary(Schema):
    id: int
    workspace: int
    title: str
    revision: int
    template: str
    archived: bool


class MapOut(MapSummary):
    document: dict[str, Any]


class NewMapIn(Schema):
    """A blank map (``title``), a template (``template`` + ``language``) or a whole document."""

    title: str | None = Field(default=None, min_length=1, max_length=300)
    language: str = Field(default="en", pattern=r"^[a-z]{2}$")
    template: str | None = None
    document: dict[str, Any] | None = None


class OperationIn(Schema):
    """One edit operation made on ``revision`` of the map."""

    revision: int = Field(ge=1)
    operation: Operation


class RevisionIn(Schema):
    revision: int = Field(ge=1)


def _summary(journey_map: Map) -> dict[str, Any]:
    return {
        "id": journey_map.pk,
        "workspace": journey_map.workspace_id,
        "title": journey_map.title,
        "revision": journey_map.revision,
        "template": journey_map.template,
        "archived": journey_map.archived_at is not None,
    }


def _full(journey_map: Map) -> dict[str, Any]:
    return {**_summary(journey_map), "document": journey_map.document}


@api.get("/workspaces", response=list[WorkspaceOut], tags=["workspaces"])
def list_workspaces(request: HttpRequest) -> list[dict[str, Any]]:
    """The caller's workspaces with the caller's role in each."""
    return [{"id": w.pk, "name": w.name, "role": w.role} for w in workspaces_for(request.user)]


@api.get("/workspaces/{workspace_id}/maps", response=list[MapSummary], tags=["maps"])
def list_maps(
    request: HttpRequest, workspace_id: int, archived: bool = False
) -> list[dict[str, Any]]:
    """The maps of a workspace (``archived=true`` for the archived ones)."""
    access = workspace_access(request.user, workspace_id)
    return [_summary(m) for m in selectors.maps_of(access.workspace, archived=archived)]


@api.post(
    "/workspaces/{workspace_id}/maps",
    response={201: MapOut, 422: ErrorOut},
    tags=["maps"],
)
def create_map(
    request: HttpRequest, workspace_id: int, payload: NewMapIn
) -> Status[dict[str, Any]]:
    """Create a map: blank, from a template, or from a whole document (validated)."""
    access = workspace_access(request.user, workspace_id)
    access.require(Action.CREATE_MAP)
    try:
        if payload.document is not None:
            doc = validate_data(payload.document, source="document")
            journey_map = services.create_map(
                workspace=access.workspace, user=request.user, doc=doc
            )
        elif payload.template:
            journey_map = services.create_map_from_template(
                workspace=access.workspace,
                user=request.user,
                template_id=payload.template,
                language=payload.language,
                title=payload.title,
            )
        elif payload.title:
            journey_map = services.create_blank_map(
                workspace=access.workspace,
                user=request.user,
                title=payload.title,
                language=payload.language,
            )
        else:
            return Status(
                422,
                {
                    "detail": gettext("give a title, a template or a document"),
                    "errors": {"title": gettext("required without template or document")},
                },
            )
    except UnknownTemplateError as exc:
        message = problem_text(exc.problem)
        return Status(422, {"detail": message, "errors": {"template": message}})
    except MapValidationError as exc:
        detail = "; ".join(problem_messages(exc))
        return Status(422, {"detail": detail, "errors": field_errors(exc)})
    return Status(201, _full(journey_map))


@api.get("/maps/{map_id}", response=MapOut, tags=["maps"])
def get_map(request: HttpRequest, map_id: int) -> dict[str, Any]:
    """A map with its document and current revision."""
    return _full(map_access(request.user, map_id).map)


@api.delete("/maps/{map_id}", response={204: None}, tags=["maps"])
def delete_map(request: HttpRequest, map_id: int) -> Status[None]:
    """Delete a map (owners)."""
    access = map_access(request.user, map_id)
    access.require(Action.DELETE_MAP)
    services.delete_map(journey_map=access.map, user=request.user)
    return Status(204, None)


@api.get("/maps/{map_id}/export/{fmt}", tags=["maps"])
def export_map(
    request: HttpRequest,
    map_id: int,
    fmt: Literal["yaml", "json", "html", "pdf", "png", "xlsx", "md", "csv"],
) -> HttpResponse:
    """The map as a file: YAML, JSON, HTML, PDF, PNG, XLSX, Markdown or CSV."""
    access = map_access(request.user, map_id)
    access.require(Action.EXPORT)
    return exports.map_export_response(access.map, fmt)


@api.post(
    "/maps/{map_id}/operations",
    response=EDIT_ANSWERS,
    tags=["editor"],
)
def apply_operation(
    request: HttpRequest, map_id: int, payload: OperationIn
) -> Status[dict[str, Any]]:
    """Apply one edit operation (add/rename/move/remove stages and lanes, add/edit/move/delete
    items, set an emotion, change the map's goal or state)."""
    return edit_answer(
        request,
        map_id,
        lambda: services.edit_map(
            map_id=map_id,
            user=request.user,
            expected_revision=payload.revision,
            operation=payload.operation,
        ),
    )


@api.post(
    "/maps/{map_id}/undo",
    response=EDIT_ANSWERS,
    tags=["editor"],
)
def undo(request: HttpRequest, map_id: int, payload: RevisionIn) -> Status[dict[str, Any]]:
    """Undo the newest edit of the map."""
    return edit_answer(
        request,
        map_id,
        lambda: services.undo_last_edit(
            map_id=map_id, user=request.user, expected_revision=payload.revision
        ),
    )


api.add_router("", comments.router)
api.add_router("", versions.router)
api.add_router("", sharing.router)
api.add_router("", activity.router)
api.add_router("", export_jobs.router)
api.add_router("", personas.router)
