"""Delete background exports older than JOURNEYMAP_EXPORT_KEEP_HOURS (run it from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from journeymap.web.jobs.services import prune_expired


class Command(BaseCommand):
    help = "Delete expired background exports and their files."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = prune_expired()
        self.stdout.write(f"deleted {deleted} expired export(s)")
