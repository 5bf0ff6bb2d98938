"""The JSON API (django-ninja) over the same services as the pages."""

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "journeymap.web.api"
    label = "api"
    default_auto_field = "django.db.models.BigAutoField"
