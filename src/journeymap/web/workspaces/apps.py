"""Workspaces: a team's space (one per client for an agency) with members and roles."""

from django.apps import AppConfig


class WorkspacesConfig(AppConfig):
    name = "journeymap.web.workspaces"
    label = "workspaces"
    default_auto_field = "django.db.models.BigAutoField"
