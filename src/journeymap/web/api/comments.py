"""Comments through the API: threads of a map or a target, add, reply, resolve, reopen, delete.

Every member reads; commenters and above write (the ``comment`` right); only a comment's author
deletes it. The rules are the comment services', as in the editor's side panel.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from pydantic import Field

from journeymap.web.api.schemas import ErrorOut, validation_errors
from journeymap.web.comments import selectors, services
from journeymap.web.comments.models import Comment
from journeymap.web.comments.targets import UnknownTargetError, describe_target
from journeymap.web.maps.permissions import MapAccess, map_access
from journeymap.web.maps.selectors import document_of
from journeymap.web.workspaces.permissions import Action

router = Router(tags=["comments"])


class CommentOut(Schema):
    id: int
    body: str
    author: str | None
    created_at: dt.datetime


class ThreadOut(CommentOut):
    target: str
    where: str
    resolved: bool
    resolved_at: dt.datetime | None
    resolved_by: str | None
    replies: list[CommentOut]


class NewCommentIn(Schema):
    """A comment on ``target``: ``map``, ``stage:<id>``, ``cell:<lane>/<stage>`` or
    ``item:<id>``."""

    target: str = Field(default="map", max_length=200)
    body: str = Field(min_length=1, max_length=services.MAX_BODY)


class ReplyIn(Schema):
    body: str = Field(min_length=1, max_length=services.MAX_BODY)


def _name(user: Any) -> str | None:
    return user.get_username() if user is not None else None


def _comment(comment: Comment) -> dict[str, Any]:
    return {
        "id": comment.pk,
        "body": comment.body,
        "author": _name(comment.author),
        "created_at": comment.created_at,
    }


def _thread(thread: Comment, where: str) -> dict[str, Any]:
    return {
        **_comment(thread),
        "target": thread.target,
        "where": where,
        "resolved": thread.resolved_at is not None,
        "resolved_at": thread.resolved_at,
        "resolved_by": _name(thread.resolved_by),
        "replies": [_comment(reply) for reply in thread.replies.all()],
    }


def _threads(access: MapAccess, target: str | None) -> list[dict[str, Any]]:
    doc = document_of(access.map)
    answer = []
    for thread in selectors.threads_of(access.map, target):
        try:
            where = describe_target(doc, thread.target)
        except UnknownTargetError:  # the stage or item was removed since
            where = thread.target
        answer.append(_thread(thread, where))
    return answer


def _one_thread(access: MapAccess, thread_id: int) -> dict[str, Any]:
    return next(t for t in _threads(access, None) if t["id"] == thread_id)


def _comment_of(access: MapAccess, comment_id: int) -> Comment:
    return get_object_or_404(Comment.objects.select_related("map"), pk=comment_id, map=access.map)


@router.get("/maps/{map_id}/comments", response=list[ThreadOut])
def list_comments(
    request: HttpRequest, map_id: int, target: str | None = None
) -> list[dict[str, Any]]:
    """The threads of the map (of one ``target`` if given), open ones first, with replies."""
    return _threads(map_access(request.user, map_id), target)


@router.post("/maps/{map_id}/comments", response={201: ThreadOut, 422: ErrorOut})
def add_comment(request: HttpRequest, map_id: int, payload: NewCommentIn) -> Status[dict[str, Any]]:
    """Start a thread on a target of the map (commenters and above)."""
    access = map_access(request.user, map_id)
    access.require(Action.COMMENT)
    try:
        comment = services.add_comment(
            journey_map=access.map, author=request.user, target=payload.target, body=payload.body
        )
    except ValidationError as exc:
        return Status(422, validation_errors(exc))
    return Status(201, _one_thread(access, comment.pk))


@router.post(
    "/maps/{map_id}/comments/{comment_id}/replies", response={201: CommentOut, 422: ErrorOut}
)
def reply(
    request: HttpRequest, map_id: int, comment_id: int, payload: ReplyIn
) -> Status[dict[str, Any]]:
    """Reply to a thread (a reply to a reply joins the same thread)."""
    access = map_access(request.user, map_id)
    access.require(Action.COMMENT)
    parent = _comment_of(access, comment_id)
    try:
        comment = services.add_comment(
            journey_map=access.map,
            author=request.user,
            target=parent.target,
            body=payload.body,
            parent=parent,
        )
    except ValidationError as exc:
        return Status(422, validation_errors(exc))
    return Status(201, _comment(comment))


def _set_resolved(
    request: HttpRequest, map_id: int, comment_id: int, resolved: bool
) -> dict[str, Any]:
    access = map_access(request.user, map_id)
    access.require(Action.COMMENT)
    thread = services.set_resolved(
        comment=_comment_of(access, comment_id), user=request.user, resolved=resolved
    )
    return _one_thread(access, thread.pk)


@router.post("/maps/{map_id}/comments/{comment_id}/resolve", response=ThreadOut)
def resolve(request: HttpRequest, map_id: int, comment_id: int) -> dict[str, Any]:
    """Resolve the thread of a comment."""
    return _set_resolved(request, map_id, comment_id, True)


@router.post("/maps/{map_id}/comments/{comment_id}/reopen", response=ThreadOut)
def reopen(request: HttpRequest, map_id: int, comment_id: int) -> dict[str, Any]:
    """Reopen a resolved thread."""
    return _set_resolved(request, map_id, comment_id, False)


@router.delete("/maps/{map_id}/comments/{comment_id}", response={204: None, 422: ErrorOut})
def delete_comment(request: HttpRequest, map_id: int, comment_id: int) -> Status[Any]:
    """Delete one of your own comments (403 for another's; 422 for a thread others replied to)."""
    access = map_access(request.user, map_id)
    access.require(Action.COMMENT)
    try:
        services.delete_comment(comment=_comment_of(access, comment_id), user=request.user)
    except ValidationError as exc:
        return Status(422, validation_errors(exc))
    return Status(204, None)
