"""Export jobs: start one (queued for the worker), run it, fail it when its worker is lost,
prune expired results.

PDF and PNG of a big map take seconds to render: the request only stores a job and enqueues
:func:`journeymap.web.jobs.tasks.render_export`; the worker renders the map with the same
export code as the synchronous download and keeps the file in the job's row (one place for the
web process and the worker, whatever machines they run on) until it expires.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from journeymap.web.jobs.models import LOST_ERROR, ExportJob, JobStatus
from journeymap.web.jobs.tasks import render_export
from journeymap.web.maps.models import Map

BACKGROUND_FORMATS = ("pdf", "png")


def keep_for() -> dt.timedelta:
    """How long a job and its file are kept (``JOURNEYMAP_EXPORT_KEEP_HOURS``)."""
    return dt.timedelta(hours=settings.JOURNEYMAP_EXPORT_KEEP_HOURS)


def running_limit() -> dt.timedelta:
    """How long a job may run before it counts as lost (``JOURNEYMAP_EXPORT_RUNNING_MINUTES``)."""
    return dt.timedelta(minutes=settings.JOURNEYMAP_EXPORT_RUNNING_MINUTES)


def pending_limit() -> dt.timedelta:
    """How long a job may wait for a worker before its page says that no worker may be running
    (``JOURNEYMAP_EXPORT_PENDING_MINUTES``)."""
    return dt.timedelta(minutes=settings.JOURNEYMAP_EXPORT_PENDING_MINUTES)


def waiting_too_long(job: ExportJob, *, now: dt.datetime | None = None) -> bool:
    """Whether the job is still queued (no worker took it) after :func:`pending_limit`."""
    return job.status == JobStatus.QUEUED and job.created_at < (
        (now or timezone.now()) - pending_limit()
    )


@transaction.atomic
def start_export(*, journey_map: Map, user: AbstractBaseUser, fmt: str) -> ExportJob:
    """A new export job of ``journey_map`` as ``fmt`` (pdf or png), queued for the worker."""
    if fmt not in BACKGROUND_FORMATS:
        raise ValueError(f"background exports are {' or '.join(BACKGROUND_FORMATS)}, not {fmt!r}")
    prune_expired()
    job = ExportJob.objects.create(map=journey_map, fmt=fmt, requested_by=user)
    result = render_export.enqueue(job_id=job.pk)
    job.task_id = str(result.id)
    job.save(update_fields=["task_id"])
    return job


def prune_expired(*, now: dt.datetime | None = None) -> int:
    """Delete the jobs (and their files) older than :func:`keep_for`; how many were deleted."""
    cutoff = (now or timezone.now()) - keep_for()
    deleted, _by_model = ExportJob.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def fail_if_lost(job: ExportJob, *, now: dt.datetime | None = None) -> ExportJob:
    """The job, failed with :data:`LOST_ERROR` if its worker will never finish it: the worker's
    task row is gone or ended (failed or successful) while the job is still unfinished (the
    worker was stopped mid-task), or the task has been running longer than
    :func:`running_limit` (the worker was killed). django-tasks-db itself never marks a task
    of a killed worker: its row stays ``RUNNING``."""
    if job.finished or not job.task_id:  # no task id: still being started
        return job
    task = DBTaskResult.objects.filter(pk=job.task_id).values("status", "started_at").first()
    cutoff = (now or timezone.now()) - running_limit()
    lost = (
        task is None
        or task["status"] in (TaskResultStatus.FAILED, TaskResultStatus.SUCCESSFUL)
        or (task["status"] == TaskResultStatus.RUNNING and task["started_at"] < cutoff)
    )
    if not lost:
        return job
    # Only while it is unfinished: a worker that finished it meanwhile wins.
    ExportJob.objects.filter(pk=job.pk, status__in=(JobStatus.QUEUED, JobStatus.RUNNING)).update(
        status=JobStatus.FAILED, error=LOST_ERROR, finished_at=timezone.now()
    )
    job.refresh_from_db(fields=["status", "error", "finished_at"])
    return job
