"""Versions of a map: automatic snapshots on save (coalesced), named versions, the semantic
diff between any two, and restoring one (as a new edit, so it can be undone)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Max, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from journeymap.map.diff import MapDiff, diff_maps
from journeymap.map.model import JourneyMap
from journeymap.map.validation import validate_data
from journeymap.web.maps.models import Map, MapVersion, json_text

# Saves by the same person within this window update one automatic version instead of adding.
COALESCE_WINDOW = dt.timedelta(minutes=10)


def _next_number(journey_map: Map) -> int:
    top = MapVersion.objects.filter(map=journey_map).aggregate(top=Max("number"))["top"]
    return (top or 0) + 1


def snapshot(*, journey_map: Map, user: AbstractBaseUser | None, name: str) -> MapVersion:
    """Record the map's current document as a new version named ``name``."""
    return MapVersion.objects.create(
        map=journey_map,
        number=_next_number(journey_map),
        name=name,
        auto=False,
        document=journey_map.document,
        revision=journey_map.revision,
        created_by=user,
    )


def auto_snapshot(*, journey_map: Map, user: AbstractBaseUser, text: str) -> None:
    """Record the map's document after an edit (``text``: the document as JSON text): merged
    into the latest version when that is an automatic one of the same author updated within
    :data:`COALESCE_WINDOW`, else kept as a new automatic version."""
    now = timezone.now()
    latest = MapVersion.objects.filter(map=journey_map).order_by("-number").values("number")[:1]
    merged = MapVersion.objects.filter(
        map=journey_map,
        number=Subquery(latest),
        auto=True,
        created_by=user,
        updated_at__gt=now - COALESCE_WINDOW,
    ).update(document=json_text(text), revision=journey_map.revision, updated_at=now)
    if not merged:
        MapVersion.objects.create(
            map=journey_map,
            number=_next_number(journey_map),
            auto=True,
            document=json_text(text),
            revision=journey_map.revision,
            created_by=user,
        )


@transaction.atomic
def name_version(*, journey_map: Map, user: AbstractBaseUser, name: str) -> MapVersion:
    """Keep the map's current state as a named version (``"Workshop 12 May"``)."""
    name = name.strip()
    if not name:
        raise ValueError("a named version needs a name")
    return snapshot(journey_map=journey_map, user=user, name=name[:120])


def versions_of(journey_map: Map) -> QuerySet[MapVersion]:
    """The map's versions, newest first."""
    return MapVersion.objects.filter(map=journey_map).select_related("created_by")


def version_document(journey_map: Map, number: int) -> JourneyMap:
    """The document of version ``number`` (Http404 when there is none)."""
    version = MapVersion.objects.filter(map=journey_map, number=number).first()
    if version is None:
        raise Http404(f"map has no version {number}")
    return validate_data(version.document, source=f"map {journey_map.pk} version {number}")


def diff_versions(journey_map: Map, old: int, new: int | None) -> MapDiff:
    """The semantic diff from version ``old`` to version ``new`` (None: the current map)."""
    before = version_document(journey_map, old)
    after = (
        validate_data(journey_map.document, source=f"map {journey_map.pk}")
        if new is None
        else version_document(journey_map, new)
    )
    return diff_maps(before, after)
