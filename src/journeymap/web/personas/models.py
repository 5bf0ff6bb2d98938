"""The persona library of a workspace: one persona document per row, keyed by a stable slug."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from journeymap.web.workspaces.models import Workspace


class LibraryPersona(models.Model):
    """A persona of the workspace library.

    ``data`` is a :class:`journeymap.map.model.Persona` (validated by that model before it is
    stored) whose ``id`` is ``slug``; maps link to it with a persona reference
    ``{id, ref: <slug>}``. The slug never changes, so renaming keeps every link; ``name``
    mirrors the document's name for ordering.
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="personas")
    slug = models.SlugField(max_length=80)
    name = models.CharField(_("name"), max_length=200)
    data = models.JSONField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "slug"], name="one_persona_slug_per_workspace"
            )
        ]

    def __str__(self) -> str:
        return self.name
