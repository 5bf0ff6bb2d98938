"""Export jobs: start one (queued for the worker), run it, prune expired results.

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

from journeymap.web.jobs.models import ExportJob
from journeymap.web.jobs.tasks import render_export
from journeymap.web.maps.models import Map

BACKGROUND_FORMATS = ("pdf", "png")


def keep_for() -> dt.timedelta:
    """How long a job and its file are kept (``JOURNEYMAP_EXPORT_KEEP_HOURS``)."""
    return dt.timedelta(hours=settings.JOURNEYMAP_EXPORT_KEEP_HOURS)


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
