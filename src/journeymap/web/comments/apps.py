"""Comments on a map, its stages, cells and items, with replies and resolve."""

from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "journeymap.web.comments"
    label = "comments"
    default_auto_field = "django.db.models.BigAutoField"
