"""Background jobs: PDF and PNG exports of big maps, run by the django-tasks worker."""

from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "journeymap.web.jobs"
    label = "jobs"
    default_auto_field = "django.db.models.BigAutoField"
