"""Versions page: the list, naming the current state, the diff between two, restore."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from journeymap.web.maps import services, versions
from journeymap.web.maps.permissions import map_access
from journeymap.web.workspaces.permissions import Action


def _number(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@login_required
def version_list(request: HttpRequest, map_id: int) -> HttpResponse:
    """Every version; ``?a=<n>&b=<m|current>`` shows the semantic diff; POST names a version."""
    access = map_access(request.user, map_id)
    name_error = None
    if request.method == "POST":
        access.require(Action.EDIT_MAP)
        name = request.POST.get("name", "").strip()
        if name:
            versions.name_version(journey_map=access.map, user=request.user, name=name)
            messages.success(request, _("Version “%(name)s” saved.") % {"name": name})
            return redirect("maps:versions", map_id=map_id)
        name_error = _("Give the version a name.")
    rows = list(versions.versions_of(access.map))
    old = _number(request.GET.get("a"))
    new = _number(request.GET.get("b"))
    diff = None
    if old is not None:
        diff = versions.diff_versions(access.map, old, new)
    context = {
        "access": access,
        "map": access.map,
        "workspace": access.map.workspace,
        "versions": rows,
        "can_edit": access.can(Action.EDIT_MAP),
        "diff": diff,
        "a": old,
        "b": new,
        "name_error": name_error,
    }
    return render(request, "maps/versions.html", context, status=400 if name_error else 200)


@login_required
@require_POST
def version_restore(request: HttpRequest, map_id: int, number: int) -> HttpResponse:
    """Restore a version as a new edit of the map."""
    access = map_access(request.user, map_id)
    access.require(Action.EDIT_MAP)
    revision = _number(request.POST.get("revision"))
    try:
        services.restore_version(
            map_id=map_id,
            user=request.user,
            expected_revision=revision or 0,
            number=number,
        )
    except services.StaleRevisionError as exc:
        messages.error(
            request,
            _("The map changed meanwhile (it is now at revision %(rev)d); look again.")
            % {"rev": exc.map.revision},
        )
        return redirect("maps:versions", map_id=map_id)
    messages.success(
        request, _("Version %(n)d restored; Undo brings the map back.") % {"n": number}
    )
    return redirect("maps:editor", map_id=map_id)
