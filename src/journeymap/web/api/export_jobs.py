"""Background exports through the API: start a PDF/PNG export job, poll it, fetch its file."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext
from ninja import Router, Schema, Status

from journeymap.web.api.schemas import ErrorOut
from journeymap.web.jobs import selectors, services
from journeymap.web.jobs.models import ExportJob, JobStatus
from journeymap.web.maps.exports import CONTENT_TYPES
from journeymap.web.maps.permissions import map_access
from journeymap.web.workspaces.permissions import Action

router = Router(tags=["exports"])


class ExportJobIn(Schema):
    format: Literal["pdf", "png"]


class ExportJobOut(Schema):
    """``status``: queued, running, done or failed; ``file_url`` once done."""

    id: int
    map: int
    format: str
    status: str
    created_at: dt.datetime
    finished_at: dt.datetime | None
    revision: int | None
    size: int
    error: str
    file_url: str | None


def _job(request: HttpRequest, job: ExportJob) -> dict[str, Any]:
    done = job.status == JobStatus.DONE
    return {
        "id": job.pk,
        "map": job.map_id,
        "format": job.fmt,
        "status": job.status,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
        "revision": job.revision,
        "size": job.size,
        "error": job.error,
        "file_url": request.build_absolute_uri(reverse("api:export_job_file", args=[job.pk]))
        if done
        else None,
    }


@router.post("/maps/{map_id}/export-jobs", response={202: ExportJobOut})
def start_export(request: HttpRequest, map_id: int, payload: ExportJobIn) -> Status[Any]:
    """Render the map as PDF or PNG in the background; poll the job until it is done."""
    access = map_access(request.user, map_id)
    access.require(Action.EXPORT)
    job = services.start_export(journey_map=access.map, user=request.user, fmt=payload.format)
    return Status(202, _job(request, job))


@router.get("/export-jobs/{job_id}", response=ExportJobOut)
def get_export_job(request: HttpRequest, job_id: int) -> dict[str, Any]:
    """The job's state (and ``file_url`` when it is done); a job whose worker was lost is
    failed first."""
    job, _access = selectors.export_job(request.user, job_id)
    return _job(request, services.fail_if_lost(job))


@router.get(
    "/export-jobs/{job_id}/file",
    response={200: None, 409: ErrorOut},
    url_name="export_job_file",
)
def export_job_file(request: HttpRequest, job_id: int) -> HttpResponse | Status[Any]:
    """The exported file; 409 while the job is not done."""
    job, _access = selectors.export_job(request.user, job_id)
    if job.status != JobStatus.DONE:
        detail = gettext("the export is %(status)s, not done") % {"status": job.status}
        return Status(409, {"detail": detail, "errors": {}})
    response = HttpResponse(selectors.export_file(job), content_type=CONTENT_TYPES[job.fmt])
    response["Content-Disposition"] = f'attachment; filename="{job.filename}"'
    return response
