"""The comments side panel of the editor: threads of a target, add, reply, resolve."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from journeymap.web.comments import selectors, services
from journeymap.web.comments.models import Comment
from journeymap.web.comments.targets import UnknownTargetError, describe_target
from journeymap.web.maps.permissions import MapAccess, map_access
from journeymap.web.maps.selectors import document_of
from journeymap.web.workspaces.permissions import Action


def _panel(
    request: HttpRequest, access: MapAccess, target: str, status: int = 200, **extra: Any
) -> HttpResponse:
    doc = document_of(access.map)
    try:
        where = describe_target(doc, target) if target else None
    except UnknownTargetError:
        where = None
        target = ""
    threads = selectors.threads_of(access.map, target or None)
    context = {
        "map": access.map,
        "target": target,
        "where": where,
        "threads": threads,
        "can_comment": access.can(Action.COMMENT),
        "describe": {t.target: _describe(doc, t.target) for t in threads},
        **extra,
    }
    response = render(request, "comments/panel.html", context, status=status)
    if request.htmx:
        response["HX-Retarget"] = "#panel"
        response["HX-Reswap"] = "outerHTML"
    return response


def _describe(doc: Any, target: str) -> str:
    try:
        return describe_target(doc, target)
    except UnknownTargetError:
        return target


@login_required
def comments(request: HttpRequest, map_id: int) -> HttpResponse:
    """GET: the threads of ``?target=`` (all threads without it). POST: add or reply."""
    access = map_access(request.user, map_id)
    if request.method != "POST":
        return _panel(request, access, request.GET.get("target", ""))
    access.require(Action.COMMENT)
    target = request.POST.get("target", "") or "map"
    parent = None
    if request.POST.get("parent"):
        parent = get_object_or_404(Comment, pk=request.POST["parent"], map=access.map)
    try:
        services.add_comment(
            journey_map=access.map,
            author=request.user,
            target=target,
            body=request.POST.get("body", ""),
            parent=parent,
        )
    except ValidationError as exc:
        errors = {k: " ".join(v) for k, v in exc.message_dict.items()}
        return _panel(request, access, target, 422, errors=errors, body=request.POST.get("body"))
    if not request.htmx:
        return redirect("maps:editor", map_id=map_id)
    return _panel(request, access, request.POST.get("view", target))


@login_required
@require_POST
def resolve(request: HttpRequest, map_id: int, comment_id: int) -> HttpResponse:
    """Resolve a thread (``reopen=1`` reopens it)."""
    access = map_access(request.user, map_id)
    access.require(Action.COMMENT)
    comment = get_object_or_404(Comment, pk=comment_id, map=access.map)
    services.set_resolved(
        comment=comment, user=request.user, resolved=request.POST.get("reopen") != "1"
    )
    if not request.htmx:
        return redirect("maps:editor", map_id=map_id)
    return _panel(request, access, request.POST.get("view", comment.target))
