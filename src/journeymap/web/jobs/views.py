"""Export job pages: start a background export, the job's page (polled by htmx while it runs),
and the download of its file."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from journeymap.web.jobs import selectors, services
from journeymap.web.jobs.models import JobStatus
from journeymap.web.maps.exports import CONTENT_TYPES
from journeymap.web.maps.permissions import map_access
from journeymap.web.workspaces.permissions import Action

HTMX_STOP_POLLING = 286
# The state a page shows (``seen``) of a job still queued after the pending limit, with its hint.
WAITING_LONG = "waiting-long"


@login_required
@require_POST
def start(request: HttpRequest, map_id: int) -> HttpResponse:
    """Start a background export (``fmt`` pdf or png) and go to its page."""
    access = map_access(request.user, map_id)
    access.require(Action.EXPORT)
    fmt = request.POST.get("fmt", "")
    if fmt not in services.BACKGROUND_FORMATS:
        raise Http404(f"no background export as {fmt!r}")
    job = services.start_export(journey_map=access.map, user=request.user, fmt=fmt)
    return redirect("jobs:export", map_id=map_id, job_id=job.pk)


@login_required
@require_GET
def export_job(request: HttpRequest, map_id: int, job_id: int) -> HttpResponse:
    """The job's state; an htmx request gets the ``job`` partial (polled until it finishes),
    or 204 (nothing to swap) while the job is still in the state the page shows (``seen``).
    A job still queued after the pending limit shows a hint that no worker may be running.
    A job whose worker was lost is failed first. A poll of a job the user cannot see (deleted:
    expired, or its map deleted; or never theirs) gets the ``gone`` partial with HTTP 286,
    which stops htmx polling, the same answer in every case; the page itself is a 404."""
    polling = bool(request.htmx) and "seen" in request.GET
    try:
        job, access = selectors.export_job(request.user, job_id, map_id=map_id)
    except Http404:
        if polling:
            return render(request, "jobs/export_job.html#gone", status=HTMX_STOP_POLLING)
        raise
    job = services.fail_if_lost(job)
    late = services.waiting_too_long(job)
    shown = WAITING_LONG if late else job.status
    if request.htmx and not job.finished and request.GET.get("seen") == shown:
        return HttpResponse(status=204)
    context = {
        "job": job,
        "shown": shown,
        "late": late,
        "map": access.map,
        "workspace": access.map.workspace,
    }
    template = "jobs/export_job.html#job" if request.htmx else "jobs/export_job.html"
    return render(request, template, context)


@login_required
@require_GET
def download(request: HttpRequest, map_id: int, job_id: int) -> HttpResponse:
    """The file of a finished job (404 until it is ready, and after it expired)."""
    job, _access = selectors.export_job(request.user, job_id, map_id=map_id)
    if job.status != JobStatus.DONE:
        raise Http404("this export is not ready")
    response = HttpResponse(selectors.export_file(job), content_type=CONTENT_TYPES[job.fmt])
    response["Content-Disposition"] = f'attachment; filename="{job.filename}"'
    return response
