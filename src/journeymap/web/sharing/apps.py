"""Share links: read-only views of a map for people outside the workspace."""

from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "journeymap.web.sharing"
    label = "sharing"
    default_auto_field = "django.db.models.BigAutoField"
