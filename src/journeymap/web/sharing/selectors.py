"""Reads of share links."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from journeymap.web.maps.models import Map
from journeymap.web.sharing.models import ShareLink


def links_of(journey_map: Map) -> QuerySet[ShareLink]:
    """Every share link of a map, newest first."""
    return ShareLink.objects.filter(map=journey_map)


def active_link(token: str) -> ShareLink:
    """The working share link with ``token``; Http404 when it is unknown, revoked or expired."""
    link = ShareLink.objects.select_related("map", "map__workspace").filter(token=token).first()
    if link is None or not link.is_active:
        raise Http404("this link does not work any more")
    return link
