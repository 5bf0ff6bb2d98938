"""Workspace pages: list and create, members, invitations, roles, settings, activity."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from web_factories import Team, make_user

from journeymap.web.workspaces.models import Activity, Invitation, Membership, Role, Workspace

pytestmark = pytest.mark.django_db

ROLES = ["owner", "editor", "commenter", "viewer"]


def test_workspace_list_shows_only_the_users_workspaces(team: Team, client_as) -> None:
    Workspace.objects.create(name="Foreign")
    response = client_as("viewer").get("/")
    assert response.status_code == 200
    names = [w.name for w in response.context["workspaces"]]
    assert names == ["Acme"]


def test_creating_a_workspace_makes_the_creator_its_owner(client_as, team: Team) -> None:
    response = client_as("viewer").post("/", {"name": "Client B", "description": ""})
    assert response.status_code == 302
    workspace = Workspace.objects.get(name="Client B")
    assert Membership.objects.get(workspace=workspace, user=team.viewer).role == Role.OWNER


def test_creating_a_workspace_without_a_name_is_a_field_error(client_as) -> None:
    response = client_as("viewer").post("/", {"name": ""})
    assert response.status_code == 400
    assert "name" in response.context["form"].errors


@pytest.mark.parametrize("role", ROLES)
def test_every_member_sees_the_members_page(team: Team, client_as, role: str) -> None:
    response = client_as(role).get(f"/w/{team.workspace.pk}/members/")
    assert response.status_code == 200
    assert len(response.context["members"]) == 4


@pytest.mark.parametrize(
    "url",
    [
        "/w/{ws}/",
        "/w/{ws}/members/",
        "/w/{ws}/activity/",
        "/w/{ws}/settings/",
        "/w/{ws}/templates/",
        "/w/{ws}/import/",
    ],
)
def test_stranger_gets_404_on_every_workspace_page(team: Team, client_as, url: str) -> None:
    assert client_as("stranger").get(url.format(ws=team.workspace.pk)).status_code == 404


def test_owner_invites_by_email_and_the_link_joins_with_the_role(team: Team, client_as) -> None:
    response = client_as("owner").post(
        f"/w/{team.workspace.pk}/members/", {"email": "New@Example.com", "role": "commenter"}
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get(workspace=team.workspace)
    assert invitation.email == "new@example.com"
    assert len(mail.outbox) == 1 and f"/invite/{invitation.token}/" in mail.outbox[0].body
    newcomer = make_user()
    client = Client()
    client.force_login(newcomer)
    assert client.get(f"/invite/{invitation.token}/").status_code == 200
    assert client.post(f"/invite/{invitation.token}/").status_code == 302
    assert Membership.objects.get(workspace=team.workspace, user=newcomer).role == "commenter"
    # the link works once
    other = make_user()
    client.force_login(other)
    client.post(f"/invite/{invitation.token}/")
    assert not Membership.objects.filter(workspace=team.workspace, user=other).exists()


def test_invite_with_bad_email_or_role_names_the_field(team: Team, client_as) -> None:
    response = client_as("owner").post(
        f"/w/{team.workspace.pk}/members/", {"email": "nope", "role": "king"}
    )
    assert response.status_code == 400
    assert {"email", "role"} <= set(response.context["form"].errors)


def test_inviting_a_member_again_is_refused(team: Team, client_as) -> None:
    response = client_as("owner").post(
        f"/w/{team.workspace.pk}/members/", {"email": team.editor.email, "role": "viewer"}
    )
    assert response.status_code == 400
    assert "email" in response.context["form"].errors


@pytest.mark.parametrize("role", ["editor", "commenter", "viewer"])
def test_only_owners_manage_members(team: Team, client_as, role: str) -> None:
    client = client_as(role)
    ws = team.workspace.pk
    viewer_membership = Membership.objects.get(workspace=team.workspace, user=team.viewer)
    assert (
        client.post(f"/w/{ws}/members/", {"email": "x@example.com", "role": "viewer"}).status_code
        == 403
    )
    assert client.post(
        f"/w/{ws}/members/{viewer_membership.pk}/role/", {"role": "owner"}
    ).status_code in {403}
    if role != "viewer":
        assert client.post(f"/w/{ws}/members/{viewer_membership.pk}/remove/").status_code == 403
    viewer_membership.refresh_from_db()
    assert viewer_membership.role == "viewer"


def test_owner_changes_a_role_and_removes_a_member(team: Team, client_as) -> None:
    client = client_as("owner")
    ws = team.workspace.pk
    membership = Membership.objects.get(workspace=team.workspace, user=team.viewer)
    client.post(f"/w/{ws}/members/{membership.pk}/role/", {"role": "editor"})
    membership.refresh_from_db()
    assert membership.role == "editor"
    client.post(f"/w/{ws}/members/{membership.pk}/remove/")
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert client_as("viewer").get(f"/w/{ws}/").status_code == 404


def test_the_last_owner_cannot_step_down_or_leave(team: Team, client_as) -> None:
    client = client_as("owner")
    ws = team.workspace.pk
    own = Membership.objects.get(workspace=team.workspace, user=team.owner)
    client.post(f"/w/{ws}/members/{own.pk}/role/", {"role": "viewer"})
    client.post(f"/w/{ws}/members/{own.pk}/remove/")
    own.refresh_from_db()
    assert own.role == "owner"


def test_a_member_can_leave(team: Team, client_as) -> None:
    membership = Membership.objects.get(workspace=team.workspace, user=team.viewer)
    response = client_as("viewer").post(f"/w/{team.workspace.pk}/members/{membership.pk}/remove/")
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_owner_withdraws_an_invitation(team: Team, client_as) -> None:
    client = client_as("owner")
    client.post(f"/w/{team.workspace.pk}/members/", {"email": "x@example.com", "role": "viewer"})
    invitation = Invitation.objects.get()
    assert (
        client_as("editor")
        .post(f"/w/{team.workspace.pk}/invitations/{invitation.pk}/revoke/")
        .status_code
        == 403
    )
    client.post(f"/w/{team.workspace.pk}/invitations/{invitation.pk}/revoke/")
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("role", ["editor", "commenter", "viewer"])
def test_only_owners_open_settings_or_delete(team: Team, client_as, role: str) -> None:
    client = client_as(role)
    assert client.get(f"/w/{team.workspace.pk}/settings/").status_code == 403
    assert (
        client.post(f"/w/{team.workspace.pk}/delete/", {"confirm_name": "Acme"}).status_code == 403
    )
    assert Workspace.objects.filter(pk=team.workspace.pk).exists()


def test_owner_renames_and_deletes_after_typing_the_name(team: Team, client_as) -> None:
    client = client_as("owner")
    ws = team.workspace.pk
    assert client.get(f"/w/{ws}/settings/").status_code == 200
    assert client.post(f"/w/{ws}/settings/", {"name": ""}).status_code == 400
    client.post(f"/w/{ws}/settings/", {"name": "Acme Ltd", "description": "client"})
    team.workspace.refresh_from_db()
    assert team.workspace.name == "Acme Ltd"
    client.post(f"/w/{ws}/delete/", {"confirm_name": "wrong"})
    assert Workspace.objects.filter(pk=ws).exists()
    client.post(f"/w/{ws}/delete/", {"confirm_name": "Acme Ltd"})
    assert not Workspace.objects.filter(pk=ws).exists()


@pytest.mark.parametrize("role", ROLES)
def test_every_member_reads_the_activity_log(team: Team, client_as, role: str) -> None:
    response = client_as(role).get(f"/w/{team.workspace.pk}/activity/")
    assert response.status_code == 200
    assert [a.verb for a in response.context["activities"]] == ["workspace.create"]
    assert Activity.objects.filter(workspace=team.workspace).count() == 1
