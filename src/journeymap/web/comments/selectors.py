"""Reading comments: threads of a target or of a whole map, and open counts per target."""

from __future__ import annotations

from collections import Counter

from django.db.models import Prefetch

from journeymap.web.comments.models import Comment
from journeymap.web.maps.models import Map


def threads_of(journey_map: Map, target: str | None = None) -> list[Comment]:
    """Top-level comments with their replies (``.replies.all()``), open ones first."""
    rows = (
        Comment.objects.filter(map=journey_map, parent__isnull=True)
        .select_related("author", "resolved_by")
        .prefetch_related(Prefetch("replies", queryset=Comment.objects.select_related("author")))
    )
    if target is not None:
        rows = rows.filter(target=target)
    return sorted(rows, key=lambda c: (c.resolved_at is not None, c.created_at))


def open_counts(journey_map: Map) -> dict[str, int]:
    """Open (unresolved) threads per target, for the badges of the editor grid."""
    targets = Comment.objects.filter(
        map=journey_map, parent__isnull=True, resolved_at__isnull=True
    ).values_list("target", flat=True)
    return dict(Counter(targets))
