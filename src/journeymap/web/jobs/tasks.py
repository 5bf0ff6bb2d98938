"""The background task: render one export job (run by ``db_worker``)."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from journeymap.web.jobs.models import ExportJob, JobStatus
from journeymap.web.maps import exports


class ExportTooLargeError(Exception):
    """The rendered file is over ``JOURNEYMAP_EXPORT_MAX_BYTES``."""


@task()
def render_export(job_id: int) -> int:
    """Render the job's map and store the file; returns its size in bytes. A failure is kept
    on the job (``error``) and raised again, so that the worker records it too."""
    job = ExportJob.objects.select_related("map").defer("content").get(pk=job_id)
    job.status = JobStatus.RUNNING
    job.save(update_fields=["status"])
    limit = int(settings.JOURNEYMAP_EXPORT_MAX_BYTES)
    try:
        doc = exports.map_document(job.map, job.fmt)
        data = exports.export_bytes(doc, job.fmt)
        if len(data) > limit:
            raise ExportTooLargeError(
                f"the {job.fmt.upper()} file would be {len(data):,} bytes, more than the"
                f" {limit:,} bytes an export may have"
            )
    except Exception as exc:
        job.status = JobStatus.FAILED
        job.error = str(exc)[:500] or type(exc).__name__
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "error", "finished_at"])
        raise
    job.status = JobStatus.DONE
    job.content = data
    job.size = len(data)
    job.filename = f"{doc.id}.{job.fmt}"
    job.revision = job.map.revision
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "content", "size", "filename", "revision", "finished_at"])
    return len(data)
