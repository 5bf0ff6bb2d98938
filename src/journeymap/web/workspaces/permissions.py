"""Who may do what in a workspace: the one place where roles are turned into rights.

A user who is not a member of a workspace gets 404 for everything in it (the workspace's
existence is not revealed); a member whose role lacks a right gets 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext

from journeymap.web.workspaces.models import Membership, Role, Workspace


class Action(StrEnum):
    """Everything a member can be allowed to do in a workspace and its maps."""

    VIEW = "view"
    EXPORT = "export"
    COMMENT = "comment"
    EDIT_MAP = "edit_map"
    CREATE_MAP = "create_map"
    EDIT_PERSONAS = "edit_personas"
    SHARE_MAP = "share_map"
    DELETE_MAP = "delete_map"
    MANAGE_MEMBERS = "manage_members"
    MANAGE_WORKSPACE = "manage_workspace"


_VIEWER = frozenset({Action.VIEW, Action.EXPORT})
_COMMENTER = _VIEWER | {Action.COMMENT}
_EDITOR = _COMMENTER | {
    Action.EDIT_MAP,
    Action.CREATE_MAP,
    Action.EDIT_PERSONAS,
    Action.SHARE_MAP,
}
_OWNER = _EDITOR | {Action.DELETE_MAP, Action.MANAGE_MEMBERS, Action.MANAGE_WORKSPACE}

ROLE_RIGHTS: dict[str, frozenset[Action]] = {
    "owner": frozenset(_OWNER),
    "editor": frozenset(_EDITOR),
    "commenter": frozenset(_COMMENTER),
    "viewer": _VIEWER,
}
assert set(ROLE_RIGHTS) == set(Role.values), "every role needs its rights"


def role_allows(role: str, action: Action) -> bool:
    """Whether ``role`` carries the right ``action``."""
    return action in ROLE_RIGHTS.get(role, frozenset())


@dataclass(frozen=True)
class WorkspaceAccess:
    """A member's access to one workspace: the workspace, the user and the role."""

    workspace: Workspace
    membership: Membership

    @property
    def role(self) -> str:
        """The member's role."""
        return self.membership.role

    def can(self, action: Action | str) -> bool:
        """Whether the member may do ``action``."""
        return role_allows(self.role, Action(action))

    def require(self, action: Action) -> None:
        """Raise PermissionDenied (403) unless the member may do ``action``."""
        if not self.can(action):
            raise PermissionDenied(
                gettext("your role (%(role)s) does not allow %(action)s")
                % {"role": self.role, "action": action.value}
            )

    @property
    def rights(self) -> frozenset[Action]:
        """Every right of the member, for templates (``access.rights``)."""
        return ROLE_RIGHTS.get(self.role, frozenset())


def workspace_access(user: AbstractBaseUser | AnonymousUser, workspace_id: int) -> WorkspaceAccess:
    """The user's access to a workspace; Http404 when the user is not one of its members."""
    if not user.is_authenticated:
        raise Http404("no such workspace")
    membership = (
        Membership.objects.select_related("workspace")
        .filter(workspace_id=workspace_id, user_id=user.pk)
        .first()
    )
    if membership is None:
        raise Http404("no such workspace")
    return WorkspaceAccess(workspace=membership.workspace, membership=membership)
