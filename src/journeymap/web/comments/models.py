"""Comments: a thread on one target of a map (the map, a stage, a cell or an item)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from journeymap.web.maps.models import Map


class Comment(models.Model):
    """A comment or, with ``parent``, a reply; top-level comments can be resolved.

    ``target`` is ``map``, ``stage:<id>``, ``cell:<lane>/<stage>`` or ``item:<id>``.
    """

    map = models.ForeignKey(Map, on_delete=models.CASCADE, related_name="comments")
    target = models.CharField(max_length=200, db_index=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    body = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.target}: {self.body[:40]}"
