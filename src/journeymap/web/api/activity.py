"""The activity log through the API: who changed what, per workspace or per map."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from journeymap.web.workspaces.permissions import workspace_access
from journeymap.web.workspaces.selectors import activity_of

router = Router(tags=["activity"])


class ActivityOut(Schema):
    id: int
    actor: str | None
    verb: str
    summary: str
    map_id: int | None
    created_at: dt.datetime


@router.get("/workspaces/{workspace_id}/activity", response=list[ActivityOut])
def list_activity(
    request: HttpRequest,
    workspace_id: int,
    map_id: int | None = None,
    limit: int = Query(50, ge=1, le=200),
) -> list[dict[str, Any]]:
    """The latest activity of a workspace (of one map with ``map_id``), newest first;
    ``limit`` 1-200."""
    access = workspace_access(request.user, workspace_id)
    rows = activity_of(access.workspace, map_id=map_id, limit=limit)
    return [
        {
            "id": row.pk,
            "actor": row.actor.get_username() if row.actor else None,
            "verb": row.verb,
            "summary": row.text,
            "map_id": row.map_id,
            "created_at": row.created_at,
        }
        for row in rows
    ]
