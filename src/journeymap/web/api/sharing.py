"""Share links through the API: list, create (optionally expiring), revoke (editors, owners)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Router, Schema, Status
from pydantic import Field

from journeymap.web.maps.permissions import MapAccess, map_access
from journeymap.web.sharing import selectors, services
from journeymap.web.sharing.models import ShareLink
from journeymap.web.workspaces.permissions import Action

router = Router(tags=["share links"])


class ShareLinkOut(Schema):
    id: int
    label: str
    url: str
    active: bool
    created_by: str | None
    created_at: dt.datetime
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None


class NewShareLinkIn(Schema):
    """For whom the link is (``label``) and an optional lifetime of 1-365 days."""

    label: str = Field(default="", max_length=120)
    expires_in_days: int | None = Field(default=None, ge=1, le=365)


def _link(request: HttpRequest, link: ShareLink) -> dict[str, Any]:
    return {
        "id": link.pk,
        "label": link.label,
        "url": request.build_absolute_uri(reverse("sharing:shared", args=[link.token])),
        "active": link.is_active,
        "created_by": link.created_by.get_username() if link.created_by else None,
        "created_at": link.created_at,
        "expires_at": link.expires_at,
        "revoked_at": link.revoked_at,
    }


def _sharer(request: HttpRequest, map_id: int) -> MapAccess:
    access = map_access(request.user, map_id)
    access.require(Action.SHARE_MAP)
    return access


@router.get("/maps/{map_id}/share-links", response=list[ShareLinkOut])
def list_share_links(request: HttpRequest, map_id: int) -> list[dict[str, Any]]:
    """Every share link of the map, newest first, with its URL (the URL is the secret)."""
    access = _sharer(request, map_id)
    return [_link(request, link) for link in selectors.links_of(access.map)]


@router.post("/maps/{map_id}/share-links", response={201: ShareLinkOut})
def create_share_link(
    request: HttpRequest, map_id: int, payload: NewShareLinkIn
) -> Status[dict[str, Any]]:
    """A new read-only link to the map."""
    access = _sharer(request, map_id)
    link = services.create_share_link(
        journey_map=access.map,
        user=request.user,
        label=payload.label,
        expires_in_days=payload.expires_in_days,
    )
    return Status(201, _link(request, link))


@router.post("/maps/{map_id}/share-links/{link_id}/revoke", response=ShareLinkOut)
def revoke_share_link(request: HttpRequest, map_id: int, link_id: int) -> dict[str, Any]:
    """Stop a link from working (it stays listed as revoked)."""
    access = _sharer(request, map_id)
    link = get_object_or_404(ShareLink.objects.select_related("map"), pk=link_id, map=access.map)
    return _link(request, services.revoke_share_link(link=link, user=request.user))
