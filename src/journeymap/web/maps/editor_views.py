"""The map editor: the page, its side panel, and the edit and undo endpoints.

An htmx request gets the ``editor`` partial of ``maps/editor.html``, or for a saved item edit
just the item's card with out-of-band parts (``item_saved``); a plain request gets the page.
A stale edit answers 409 with the fresh editor and a message; a refused edit answers 422 with
the panel form and its field errors.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import reswap, retarget
from pydantic import ValidationError

from journeymap.map.model import LaneKind
from journeymap.map.validation import MapValidationError
from journeymap.web.comments.selectors import open_counts
from journeymap.web.maps import selectors, services
from journeymap.web.maps.errors import NON_FIELD, field_errors
from journeymap.web.maps.exports import EXPORT_FORMATS
from journeymap.web.maps.grid import build_grid
from journeymap.web.maps.grid_html import render_card
from journeymap.web.maps.operations import OPERATION_NAMES, OperationError, UpdateItem
from journeymap.web.maps.panels import (
    LANE_KIND_LABELS,
    Panel,
    item_panel,
    lane_panel,
    map_panel,
    operation_from_form,
    stage_panel,
)
from journeymap.web.maps.permissions import MapAccess, map_access
from journeymap.web.personas.selectors import resolved_document
from journeymap.web.summaries import translate_summary
from journeymap.web.workspaces.permissions import Action

PANEL_OPS = {
    "add_item": "item",
    "update_item": "item",
    "add_stage": "stage",
    "update_stage": "stage",
    "add_lane": "lane",
    "update_lane": "lane",
    "update_map": "map",
}


def _context(access: MapAccess, **extra: Any) -> dict[str, Any]:
    journey_map = access.map
    doc = resolved_document(journey_map)
    return {
        "access": access,
        "workspace": journey_map.workspace,
        "map": journey_map,
        "doc": doc,
        "grid": build_grid(doc),
        "can_edit": access.can(Action.EDIT_MAP),
        "can_undo": access.can(Action.EDIT_MAP) and selectors.can_undo(journey_map),
        "can_share": access.can(Action.SHARE_MAP),
        "can_comment": access.can(Action.COMMENT),
        "comment_counts": open_counts(journey_map),
        "export_formats": EXPORT_FORMATS,
        "lane_kinds": LANE_KIND_LABELS,
        **extra,
    }


def _editor(
    request: HttpRequest, access: MapAccess, status: int = 200, **extra: Any
) -> HttpResponse:
    template = "maps/editor.html#editor" if request.htmx else "maps/editor.html"
    return render(request, template, _context(access, **extra), status=status)


@login_required
def editor(request: HttpRequest, map_id: int) -> HttpResponse:
    """The map as an editable grid (read-only for viewers and commenters)."""
    return _editor(request, map_access(request.user, map_id))


def _panel(request: HttpRequest, access: MapAccess, kind: str, **kwargs: Any) -> Panel:
    doc = selectors.document_of(access.map)
    source = request.GET if request.method == "GET" else request.POST
    try:
        if kind == "item":
            return item_panel(
                doc,
                lane=source.get("lane", ""),
                stage=source.get("stage", ""),
                item_id=source.get("item") or None,
                kind=source.get("kind") or None,
                **kwargs,
            )
        if kind == "stage":
            return stage_panel(doc, stage=source.get("stage") or None, **kwargs)
        if kind == "lane":
            return lane_panel(doc, lane=source.get("lane") or None, **kwargs)
        if kind == "map":
            return map_panel(doc, **kwargs)
    except KeyError as exc:
        raise Http404(f"the map has no {exc.args[0]!r}") from exc
    raise Http404(f"no panel {kind!r}")


@login_required
@require_GET
def panel(request: HttpRequest, map_id: int, kind: str) -> HttpResponse:
    """The side panel form for the map, a stage, a lane or an item (editors)."""
    access = map_access(request.user, map_id)
    access.require(Action.EDIT_MAP)
    context = {"map": access.map, "panel": _panel(request, access, kind)}
    return render(request, "maps/editor.html#panel", context)


def _revision(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("revision", ""))
    except ValueError:
        return None


@login_required
@require_POST
def edit(request: HttpRequest, map_id: int, op: str) -> HttpResponse:
    """Apply one edit operation from a form; answer with the fresh editor."""
    access = map_access(request.user, map_id)
    access.require(Action.EDIT_MAP)
    if op not in OPERATION_NAMES:
        raise Http404(f"no edit operation {op!r}")
    revision = _revision(request)
    if revision is None:
        return _editor(
            request, access, 422, error=_("The edit did not say which revision it was made on.")
        )
    try:
        operation = operation_from_form(op, request.POST, access.map.document)
        journey_map, summary = services.edit_map(
            map_id=map_id,
            user=request.user,
            expected_revision=revision,
            operation=operation,
            read=access.map,
        )
    except services.StaleRevisionError as exc:
        return _stale(request, access, exc)
    except (ValidationError, MapValidationError, OperationError) as exc:
        return _refused(request, access, op, field_errors(exc))
    if not request.htmx:
        return redirect("maps:editor", map_id=map_id)
    access = MapAccess(map=journey_map, workspace=access.workspace)  # the map just stored
    notice = translate_summary(summary)
    if isinstance(operation, UpdateItem):
        saved = _item_saved(request, access, operation.item, notice)
        if saved is not None:
            return saved
    return _editor(request, access, notice=notice)


def _item_saved(
    request: HttpRequest, access: MapAccess, item_id: str, notice: str
) -> HttpResponse | None:
    """The answer to a saved item edit: the item's new card in place of the old one, and out
    of band the revision, the saved state, the undo button and the toast, with the side panel
    closed. The edit was made on the revision the page shows (a stale one is refused), so the
    page is then at the new revision without redrawing the map. None for an item of an
    emotions lane, whose edit may move the curve: that answer is the whole editor."""
    doc = selectors.document_of(access.map)  # validated by the edit, not again
    cell, item = doc.find_item(item_id)
    if doc.lane(cell.lane).kind == LaneKind.EMOTIONS:
        return None
    card = render_card(
        item,
        map_id=access.map.pk,
        can_edit=True,
        can_comment=access.can(Action.COMMENT),
        comment_counts=open_counts(access.map),
    )
    context = {"map": access.map, "card": card, "can_undo": True, "notice": notice}
    response = render(request, "maps/editor.html#item_saved", context)
    return reswap(retarget(response, f'[data-item="{item_id}"]'), "outerHTML")


def _stale(
    request: HttpRequest, access: MapAccess, exc: services.StaleRevisionError
) -> HttpResponse:
    fresh = map_access(request.user, access.map.pk)
    message = _(
        "Someone else changed this map while you were editing (you had revision %(mine)d, it is"
        " now %(theirs)d). Your edit was not saved: the map below is the latest version, make your"
        " change again."
    ) % {"mine": exc.expected, "theirs": exc.map.revision}
    response = _editor(request, fresh, 409, conflict=message)
    return retarget(response, "#editor") if request.htmx else response


def _refused(
    request: HttpRequest, access: MapAccess, op: str, errors: dict[str, str]
) -> HttpResponse:
    kind = PANEL_OPS.get(op)
    if kind is None or not request.htmx:
        message = "; ".join(f"{k}: {v}" if k != NON_FIELD else v for k, v in errors.items())
        return _editor(request, access, 422, error=message, errors=errors)
    try:
        form_panel = _panel(request, access, kind, values=request.POST, errors=errors)
    except Http404:
        message = "; ".join(errors.values())
        return _editor(request, access, 422, error=message, errors=errors)
    response = render(
        request, "maps/editor.html#panel", {"map": access.map, "panel": form_panel}, status=422
    )
    return retarget(response, "#panel")


@login_required
@require_POST
def undo(request: HttpRequest, map_id: int) -> HttpResponse:
    """Undo the newest edit of the map."""
    access = map_access(request.user, map_id)
    access.require(Action.EDIT_MAP)
    revision = _revision(request)
    if revision is None:
        return _editor(
            request, access, 422, error=_("The undo did not say which revision it was made on.")
        )
    try:
        journey_map, summary = services.undo_last_edit(
            map_id=map_id, user=request.user, expected_revision=revision
        )
    except services.StaleRevisionError as exc:
        return _stale(request, access, exc)
    except services.NothingToUndoError:
        return _editor(request, access, 422, error=_("There is no edit to undo."))
    if not request.htmx:
        return redirect("maps:editor", map_id=map_id)
    return _editor(
        request, map_access(request.user, journey_map.pk), notice=translate_summary(summary)
    )
