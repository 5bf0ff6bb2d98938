"""Reads of workspaces, members, invitations and the activity log."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, F, Q, QuerySet

from journeymap.web.workspaces.models import Activity, Invitation, Membership, Workspace


def workspaces_for(user: AbstractBaseUser) -> QuerySet[Workspace]:
    """The user's workspaces with ``role`` and ``map_count`` (maps not archived)."""
    return (
        Workspace.objects.filter(memberships__user=user)
        .annotate(
            role=F("memberships__role"),
            map_count=Count("maps", filter=Q(maps__archived_at__isnull=True), distinct=True),
        )
        .order_by("name", "id")
    )


def members_of(workspace: Workspace) -> QuerySet[Membership]:
    """The workspace's memberships with their users, by user name."""
    return Membership.objects.filter(workspace=workspace).select_related("user")


def pending_invitations(workspace: Workspace) -> QuerySet[Invitation]:
    """Invitations not accepted yet, newest first."""
    return Invitation.objects.filter(workspace=workspace, accepted_at__isnull=True)


def activity_of(
    workspace: Workspace, *, map_id: int | None = None, limit: int = 50
) -> list[Activity]:
    """The latest activity of a workspace (or of one of its maps), newest first."""
    rows = Activity.objects.filter(workspace=workspace).select_related("actor")
    if map_id is not None:
        rows = rows.filter(map_id=map_id)
    return list(rows[:limit])
