"""Workspace URLs."""

from django.urls import path

from journeymap.web.workspaces import views

app_name = "workspaces"

urlpatterns = [
    path("", views.workspace_list, name="list"),
    path("w/<int:workspace_id>/members/", views.members, name="members"),
    path(
        "w/<int:workspace_id>/members/<int:membership_id>/role/",
        views.member_role,
        name="member_role",
    ),
    path(
        "w/<int:workspace_id>/members/<int:membership_id>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path(
        "w/<int:workspace_id>/invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("invite/<str:token>/", views.invitation_accept, name="accept"),
    path("w/<int:workspace_id>/settings/", views.workspace_settings, name="settings"),
    path("w/<int:workspace_id>/delete/", views.workspace_delete, name="delete"),
    path("w/<int:workspace_id>/activity/", views.activity, name="activity"),
]
