"""Reading export jobs, with the map's permissions (404 for strangers)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import Http404

from journeymap.web.jobs.models import ExportJob
from journeymap.web.maps.permissions import MapAccess, map_access
from journeymap.web.workspaces.permissions import Action


def export_job(
    user: AbstractBaseUser | AnonymousUser, job_id: int, *, map_id: int | None = None
) -> tuple[ExportJob, MapAccess]:
    """A job the user may see (a member with the export right on its map), without its file;
    Http404 for an unknown job, another map's job or a non-member."""
    job = ExportJob.objects.defer("content").filter(pk=job_id).first()
    if job is None or (map_id is not None and job.map_id != map_id):
        raise Http404("no such export")
    access = map_access(user, job.map_id)
    access.require(Action.EXPORT)
    return job, access


def export_file(job: ExportJob) -> bytes:
    """The stored file of a done job."""
    content = ExportJob.objects.filter(pk=job.pk).values_list("content", flat=True).get()
    return bytes(content or b"")
