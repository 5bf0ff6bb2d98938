"""An export job: a map rendered in the background, its state and, once done, the file."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from journeymap.web.maps.models import Map


class JobStatus(models.TextChoices):
    """Where a job is: waiting for the worker, running, done (file stored) or failed."""

    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Rendering")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


# The error of a job whose worker stopped (killed, restarted) or ran past the limit: stored in
# English (the API's ``error``), shown in the reader's language on the job's page.
LOST_ERROR = gettext_noop(
    "the background worker stopped before it finished the export, or took too long"
)


class ExportJob(models.Model):
    """One requested export of a map; the file is kept in ``content`` until it expires."""

    map = models.ForeignKey(Map, on_delete=models.CASCADE, related_name="export_jobs")
    fmt = models.CharField(max_length=8)
    status = models.CharField(max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED)
    task_id = models.CharField(max_length=64, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    revision = models.PositiveIntegerField(null=True, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    content = models.BinaryField(null=True, editable=False)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"export {self.pk} of map {self.map_id} as {self.fmt} ({self.status})"

    @property
    def finished(self) -> bool:
        """Done or failed: nothing more will happen to the job."""
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def error_message(self) -> str:
        """The error to show: the lost-worker message translated, a render error as raised."""
        return gettext(LOST_ERROR) if self.error == LOST_ERROR else self.error
