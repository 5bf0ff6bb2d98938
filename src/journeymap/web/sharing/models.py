"""Share links of maps: a secret token, revocable, optionally expiring."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from journeymap.web.maps.models import Map


class ShareLink(models.Model):
    """A read-only link to one map; it works until revoked or expired."""

    map = models.ForeignKey(Map, on_delete=models.CASCADE, related_name="share_links")
    token = models.CharField(max_length=64, unique=True)
    label = models.CharField(max_length=120, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"share link of {self.map_id} ({self.label or self.token[:6]})"

    @property
    def is_active(self) -> bool:
        """Not revoked and not expired."""
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()
