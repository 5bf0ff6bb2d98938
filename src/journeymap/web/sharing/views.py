"""Share links: the map's share page (editors) and the public read-only view."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from journeymap.web.maps.grid import build_grid
from journeymap.web.maps.permissions import map_access
from journeymap.web.personas.selectors import resolved_document
from journeymap.web.sharing import selectors, services
from journeymap.web.sharing.forms import ShareLinkForm
from journeymap.web.sharing.models import ShareLink
from journeymap.web.workspaces.permissions import Action


@login_required
def share_page(request: HttpRequest, map_id: int) -> HttpResponse:
    """The map's share links and the form to make one (editors and owners)."""
    access = map_access(request.user, map_id)
    access.require(Action.SHARE_MAP)
    form = ShareLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.create_share_link(
            journey_map=access.map,
            user=request.user,
            label=form.cleaned_data["label"],
            expires_in_days=form.cleaned_data["expires_in_days"],
        )
        messages.success(request, _("Share link created."))
        return redirect("sharing:page", map_id=map_id)
    context = {
        "map": access.map,
        "workspace": access.map.workspace,
        "links": selectors.links_of(access.map),
        "form": form,
    }
    return render(request, "sharing/page.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def revoke(request: HttpRequest, map_id: int, link_id: int) -> HttpResponse:
    """Revoke one share link of the map."""
    access = map_access(request.user, map_id)
    access.require(Action.SHARE_MAP)
    link = get_object_or_404(ShareLink, pk=link_id, map=access.map)
    services.revoke_share_link(link=link, user=request.user)
    messages.success(request, _("Share link revoked."))
    return redirect("sharing:page", map_id=map_id)


@require_GET
def shared_map(request: HttpRequest, token: str) -> HttpResponse:
    """The map behind a working share link, read-only, with nothing else of the workspace."""
    link = selectors.active_link(token)
    doc = resolved_document(link.map)
    context = {
        "map": link.map,
        "doc": doc,
        "grid": build_grid(doc),
        "can_edit": False,
        "shared": True,
        "link": link,
    }
    return render(request, "sharing/shared.html", context)
