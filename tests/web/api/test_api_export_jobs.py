"""Background exports through the API: start a job, poll it, fetch the file; roles."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from web_factories import Team

from journeymap.web.jobs.models import LOST_ERROR, ExportJob, JobStatus
from journeymap.web.jobs.services import start_export
from journeymap.web.maps.models import Map
from task_worker import run_worker

# The worker closes and reopens connections as in production: no test-wide transaction.
pytestmark = pytest.mark.django_db(transaction=True)


def test_the_api_starts_polls_and_fetches_an_export(
    team: Team, journey_map: Map, token_client
) -> None:
    client = token_client("viewer")
    started = client.post(
        f"/api/maps/{journey_map.pk}/export-jobs", {"format": "pdf"}, "application/json"
    )
    assert started.status_code == 202
    job = started.json()
    assert job["status"] == "queued" and job["file_url"] is None
    assert client.get(f"/api/export-jobs/{job['id']}/file").status_code == 409
    run_worker()
    done = client.get(f"/api/export-jobs/{job['id']}").json()
    assert done["status"] == "done" and done["size"] > 0 and done["revision"] == 1
    assert done["file_url"] == f"http://testserver/api/export-jobs/{job['id']}/file"
    file = client.get(done["file_url"])
    assert file.status_code == 200 and file.content.startswith(b"%PDF")
    assert len(file.content) == done["size"]


def test_the_api_refuses_strangers_and_other_formats(
    journey_map: Map, token_client, team: Team
) -> None:
    job = start_export(journey_map=journey_map, user=team.owner, fmt="pdf")
    stranger = token_client("stranger")
    url = f"/api/maps/{journey_map.pk}/export-jobs"
    assert stranger.post(url, {"format": "pdf"}, "application/json").status_code == 404
    assert stranger.get(f"/api/export-jobs/{job.pk}").status_code == 404
    assert stranger.get(f"/api/export-jobs/{job.pk}/file").status_code == 404
    assert Client().get(f"/api/export-jobs/{job.pk}").status_code == 401
    bad = token_client("editor").post(url, {"format": "docx"}, "application/json")
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][-1] == "format"


def test_the_api_reports_a_job_whose_worker_was_lost_as_failed(
    team: Team, journey_map: Map, token_client, settings
) -> None:
    settings.JOURNEYMAP_EXPORT_RUNNING_MINUTES = 3
    job = start_export(journey_map=journey_map, user=team.owner, fmt="pdf")
    DBTaskResult.objects.get().claim("killed-worker")
    ExportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    client = token_client("viewer")
    assert client.get(f"/api/export-jobs/{job.pk}").json()["status"] == "running"
    DBTaskResult.objects.update(started_at=timezone.now() - dt.timedelta(minutes=4))
    lost = client.get(f"/api/export-jobs/{job.pk}").json()
    assert lost["status"] == "failed" and lost["error"] == LOST_ERROR
    assert lost["finished_at"] is not None and lost["file_url"] is None
    assert client.get(f"/api/export-jobs/{job.pk}/file").status_code == 409


@pytest.mark.parametrize(
    ("language", "detail"),
    [
        ("en", "the export is queued, not done"),
        ("pl", "eksport ma stan queued, nie jest jeszcze gotowy"),
        ("ru", "экспорт в состоянии queued, ещё не готов"),
    ],
)
def test_the_file_of_an_unfinished_job_is_refused_in_the_request_language(
    team: Team, journey_map: Map, token_client, language: str, detail: str
) -> None:
    job = start_export(journey_map=journey_map, user=team.owner, fmt="pdf")
    client = token_client("viewer")
    refused = client.get(f"/api/export-jobs/{job.pk}/file", HTTP_ACCEPT_LANGUAGE=language)
    assert refused.status_code == 409 and refused.json() == {"detail": detail, "errors": {}}
