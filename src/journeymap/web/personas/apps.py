"""Personas: the workspace's library of personas (with their empathy maps), used across maps."""

from django.apps import AppConfig


class PersonasConfig(AppConfig):
    name = "journeymap.web.personas"
    label = "personas"
    default_auto_field = "django.db.models.BigAutoField"
