"""The role matrix in one place: every role against every action, and strangers get 404."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from web_factories import Team

from journeymap.web.workspaces.models import Role
from journeymap.web.workspaces.permissions import Action, role_allows, workspace_access

EXPECTED = {
    Role.OWNER: set(Action),
    Role.EDITOR: {
        Action.VIEW,
        Action.EXPORT,
        Action.COMMENT,
        Action.EDIT_MAP,
        Action.CREATE_MAP,
        Action.EDIT_PERSONAS,
        Action.SHARE_MAP,
    },
    Role.COMMENTER: {Action.VIEW, Action.EXPORT, Action.COMMENT},
    Role.VIEWER: {Action.VIEW, Action.EXPORT},
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", list(Action))
def test_role_allows_exactly_the_rights_of_the_table(role: Role, action: Action) -> None:
    assert role_allows(role, action) is (action in EXPECTED[role])


@pytest.mark.parametrize("role", ["owner", "editor", "commenter", "viewer"])
def test_member_access_carries_the_role_and_refuses_other_rights(team: Team, role: str) -> None:
    access = workspace_access(getattr(team, role), team.workspace.pk)
    assert access.role == role
    for action in Action:
        if action in EXPECTED[Role(role)]:
            access.require(action)
        else:
            with pytest.raises(PermissionDenied):
                access.require(action)


def test_stranger_and_anonymous_get_404_for_a_workspace(team: Team) -> None:
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(Http404):
        workspace_access(team.stranger, team.workspace.pk)
    with pytest.raises(Http404):
        workspace_access(AnonymousUser(), team.workspace.pk)


def test_unknown_workspace_is_404_like_a_foreign_one(team: Team) -> None:
    with pytest.raises(Http404):
        workspace_access(team.owner, team.workspace.pk + 999)
