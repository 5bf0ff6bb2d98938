"""Journey maps of a workspace: the document in one JSON column with a revision number."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from journeymap.web.summaries import Summary
from journeymap.web.workspaces.models import Workspace


def json_text(text: str) -> Cast:
    """A JSON column's new value from JSON text serialised already, to save without dumping the
    data again (the instance's field holds this expression until it is set back to the data)."""
    return Cast(models.Value(text), output_field=models.JSONField())


class Map(models.Model):
    """One journey map document; ``revision`` grows by one with every saved edit."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="maps")
    title = models.CharField(_("title"), max_length=300)
    document = models.JSONField()
    revision = models.PositiveIntegerField(default=1)
    template = models.CharField(max_length=80, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return self.title


class MapChange(models.Model):
    """One saved edit: the document before it, so that it can be undone, and who made it."""

    map = models.ForeignKey(Map, on_delete=models.CASCADE, related_name="changes")
    revision = models.PositiveIntegerField()
    action = models.CharField(max_length=40)
    summary = models.CharField(max_length=500)
    # The summary's template and values (Summary.to_data), to show it in a reader's language;
    # empty for edits stored before they were kept.
    summary_data = models.JSONField(default=dict, blank=True)
    before = models.JSONField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    undone = models.BooleanField(default=False)

    class Meta:
        ordering = ["-revision"]
        constraints = [
            models.UniqueConstraint(fields=["map", "revision"], name="one_change_per_revision")
        ]

    def __str__(self) -> str:
        return f"{self.map_id}@{self.revision}: {self.summary}"

    @property
    def summary_text(self) -> Summary | str:
        """The summary as a translatable Summary; the stored English text for older edits."""
        return Summary.from_data(self.summary_data) if self.summary_data else self.summary


class MapVersion(models.Model):
    """A snapshot of a map's document: automatic (coalesced per author) or named by a user."""

    map = models.ForeignKey(Map, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    name = models.CharField(_("name"), max_length=120, blank=True)
    auto = models.BooleanField(default=True)
    document = models.JSONField()
    revision = models.PositiveIntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["map", "number"], name="one_version_number_per_map")
        ]

    def __str__(self) -> str:
        return f"{self.map_id} v{self.number} {self.name}".strip()
