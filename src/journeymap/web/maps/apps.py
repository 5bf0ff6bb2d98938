"""Maps: the journey map documents of a workspace and their editor."""

from django.apps import AppConfig


class MapsConfig(AppConfig):
    name = "journeymap.web.maps"
    label = "maps"
    default_auto_field = "django.db.models.BigAutoField"
