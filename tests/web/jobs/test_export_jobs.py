"""Background exports: a job is queued, the db worker renders it, members download the file."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from web_factories import Team, make_map

from journeymap.web.jobs.models import ExportJob, JobStatus
from journeymap.web.jobs.services import start_export
from journeymap.web.maps.models import Map
from task_worker import run_worker

# The worker closes and reopens connections as in production: no test-wide transaction.
pytestmark = pytest.mark.django_db(transaction=True)

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.mark.parametrize("role", ["owner", "editor", "commenter", "viewer"])
def test_every_member_exports_in_the_background(journey_map: Map, client_as, role: str) -> None:
    client = client_as(role)
    started = client.post(f"/m/{journey_map.pk}/exports/", {"fmt": "pdf"})
    job = ExportJob.objects.get()
    assert started.status_code == 302
    assert started["Location"] == f"/m/{journey_map.pk}/exports/{job.pk}/"
    page = client.get(started["Location"]).content.decode()
    assert "Waiting" in page and 'hx-trigger="every 1s"' in page
    assert client.get(f"{started['Location']}download/").status_code == 404

    run_worker()

    partial = client.get(started["Location"], **HTMX).content.decode()
    assert partial.lstrip().startswith('<div id="job"') and "every 1s" not in partial
    assert "job-download" in partial and "demo.pdf" in partial
    download = client.get(f"{started['Location']}download/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert download.content.startswith(b"%PDF")
    assert 'filename="demo.pdf"' in download["Content-Disposition"]
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.size == len(download.content)
    assert job.revision == journey_map.revision
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_polling_gets_204_until_the_state_the_page_shows_changes(
    team: Team, journey_map: Map, client_as
) -> None:
    job = start_export(journey_map=journey_map, user=team.owner, fmt="pdf")
    url = f"/m/{journey_map.pk}/exports/{job.pk}/"
    client = client_as("viewer")
    page = client.get(url).content.decode()
    assert f'hx-get="{url}?seen=queued"' in page
    unchanged = client.get(f"{url}?seen=queued", **HTMX)
    assert unchanged.status_code == 204 and unchanged.content == b""
    ExportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    running = client.get(f"{url}?seen=queued", **HTMX).content.decode()
    assert "Rendering" in running and f'hx-get="{url}?seen=running"' in running
    assert client.get(f"{url}?seen=running", **HTMX).status_code == 204
    ExportJob.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED)
    run_worker()
    done = client.get(f"{url}?seen=queued", **HTMX).content.decode()
    assert "job-download" in done and "hx-get" not in done
    assert client_as("stranger").get(f"{url}?seen=queued", **HTMX).status_code == 404


def test_png_export(team: Team, journey_map: Map, client_as) -> None:
    job = start_export(journey_map=journey_map, user=team.viewer, fmt="png")
    run_worker()
    response = client_as("viewer").get(f"/m/{journey_map.pk}/exports/{job.pk}/download/")
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")


def test_stranger_gets_404(team: Team, journey_map: Map, client_as) -> None:
    job = start_export(journey_map=journey_map, user=team.owner, fmt="pdf")
    run_worker()
    client = client_as("stranger")
    assert client.post(f"/m/{journey_map.pk}/exports/", {"fmt": "pdf"}).status_code == 404
    assert client.get(f"/m/{journey_map.pk}/exports/{job.pk}/").status_code == 404
    assert client.get(f"/m/{journey_map.pk}/exports/{job.pk}/download/").status_code == 404
    assert ExportJob.objects.count() == 1


def test_a_job_is_only_found_under_its_own_map(team: Team, journey_map: Map, client_as) -> None:
    other = make_map(team.workspace, team.owner)
    job = start_export(journey_map=other, user=team.owner, fmt="pdf")
    client = client_as("owner")
    assert client.get(f"/m/{journey_map.pk}/exports/{job.pk}/").status_code == 404
    assert client.get(f"/m/{other.pk}/exports/{job.pk}/").status_code == 200


def test_only_pdf_and_png_run_in_the_background(journey_map: Map, client_as) -> None:
    response = client_as("editor").post(f"/m/{journey_map.pk}/exports/", {"fmt": "yaml"})
    assert response.status_code == 404 and not ExportJob.objects.exists()
    assert client_as("editor").get(f"/m/{journey_map.pk}/exports/").status_code == 405


def test_a_file_over_the_size_limit_fails_the_job(
    team: Team, journey_map: Map, client_as, settings
) -> None:
    settings.JOURNEYMAP_EXPORT_MAX_BYTES = 100
    job = start_export(journey_map=journey_map, user=team.owner, fmt="pdf")
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.content is None
    assert "more than the 100 bytes" in job.error
    assert DBTaskResult.objects.get().status == "FAILED"
    page = client_as("owner").get(f"/m/{journey_map.pk}/exports/{job.pk}/").content.decode()
    assert "The export failed" in page and "every 1s" not in page
    assert (
        client_as("owner").get(f"/m/{journey_map.pk}/exports/{job.pk}/download/").status_code == 404
    )


def test_expired_jobs_are_pruned(team: Team, journey_map: Map, settings) -> None:
    settings.JOURNEYMAP_EXPORT_KEEP_HOURS = 24
    old = start_export(journey_map=journey_map, user=team.owner, fmt="pdf")
    ExportJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(hours=25))
    fresh = start_export(journey_map=journey_map, user=team.owner, fmt="pdf")
    assert list(ExportJob.objects.values_list("pk", flat=True)) == [fresh.pk]
    ExportJob.objects.filter(pk=fresh.pk).update(created_at=timezone.now() - dt.timedelta(hours=30))
    out = io.StringIO()
    call_command("journeymap_prune_exports", stdout=out)
    assert out.getvalue() == "deleted 1 expired export(s)\n"
    assert not ExportJob.objects.exists()


def test_the_editor_offers_background_exports_for_big_maps(
    journey_map: Map, client_as, settings
) -> None:
    client = client_as("viewer")
    small = client.get(f"/m/{journey_map.pk}/").content.decode()
    assert f'href="/m/{journey_map.pk}/export/pdf/"' in small
    assert f'action="/m/{journey_map.pk}/exports/"' not in small
    settings.JOURNEYMAP_BACKGROUND_EXPORT_ITEMS = 2
    big = client.get(f"/m/{journey_map.pk}/").content.decode()
    assert f'action="/m/{journey_map.pk}/exports/"' in big
    assert 'value="pdf"' in big and 'value="png"' in big
    assert f'href="/m/{journey_map.pk}/export/pdf/"' not in big
    assert f'href="/m/{journey_map.pk}/export/yaml/"' in big
