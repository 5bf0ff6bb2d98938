"""Access to a map: through the membership of its workspace (the rights come from the role).

Everything a map allows is decided by :mod:`journeymap.web.workspaces.permissions`; this module
only finds the map and its workspace access, with 404 for non-members.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import Http404

from journeymap.web.maps.models import Map
from journeymap.web.workspaces.permissions import Action, WorkspaceAccess, workspace_access


@dataclass(frozen=True)
class MapAccess:
    """A member's access to one map."""

    map: Map
    workspace: WorkspaceAccess

    def can(self, action: Action | str) -> bool:
        """Whether the member may do ``action`` on this map."""
        return self.workspace.can(action)

    def require(self, action: Action) -> None:
        """Raise PermissionDenied (403) unless the member may do ``action``."""
        self.workspace.require(action)

    @property
    def rights(self) -> frozenset[Action]:
        """The member's rights, for templates."""
        return self.workspace.rights


def map_access(user: AbstractBaseUser | AnonymousUser, map_id: int) -> MapAccess:
    """The user's access to a map; Http404 when the map does not exist or the user is not a
    member of its workspace."""
    journey_map = Map.objects.select_related("workspace").filter(pk=map_id).first()
    if journey_map is None:
        raise Http404("no such map")
    return MapAccess(map=journey_map, workspace=workspace_access(user, journey_map.workspace_id))
