"""Background exports: a job is queued, the db worker renders it, members download the file."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from web_factories import Team, make_map

from journeymap.web.jobs import tasks
from journeymap.web.jobs.models import LOST_ERROR, ExportJob, JobStatus
from journeymap.web.jobs.services import fail_if_lost, start_export
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
    stranger = client_as("stranger").get(f"{url}?seen=queued", **HTMX)
    assert stranger.status_code == 286 and "demo" not in stranger.content.decode()


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


def _killed_mid_render(job: ExportJob, *, minutes_ago: float) -> None:
    """What a worker killed (SIGKILL) while rendering ``job`` leaves: the task row claimed and
    running since ``minutes_ago``, the job running."""
    task = DBTaskResult.objects.get(pk=job.task_id)
    task.claim("killed-worker")
    started = timezone.now() - dt.timedelta(minutes=minutes_ago)
    DBTaskResult.objects.filter(pk=task.pk).update(started_at=started)
    ExportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)


def test_a_job_running_past_the_limit_fails_and_offers_a_retry(
    team: Team, journey_map: Map, client_as, settings
) -> None:
    settings.JOURNEYMAP_EXPORT_RUNNING_MINUTES = 5
    job = start_export(journey_map=journey_map, user=team.owner, fmt="png")
    url = f"/m/{journey_map.pk}/exports/{job.pk}/"
    client = client_as("viewer")
    _killed_mid_render(job, minutes_ago=4.9)
    assert client.get(f"{url}?seen=running", **HTMX).status_code == 204
    _killed_mid_render(job, minutes_ago=5.1)
    failed = client.get(f"{url}?seen=running", **HTMX)
    text = failed.content.decode()
    assert failed.status_code == 200 and "hx-get" not in text
    assert f"The export failed: {LOST_ERROR}" in text
    assert f'action="/m/{journey_map.pk}/exports/"' in text and 'value="png"' in text
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.error == LOST_ERROR and job.finished_at
    assert client.get(f"{url}download/").status_code == 404

    retried = client.post(f"/m/{journey_map.pk}/exports/", {"fmt": "png"})
    retry = ExportJob.objects.exclude(pk=job.pk).get()
    assert retried["Location"] == f"/m/{journey_map.pk}/exports/{retry.pk}/"
    assert retry.fmt == "png" and retry.status == JobStatus.QUEUED
    run_worker()
    assert "job-download" in client.get(retried["Location"]).content.decode()


@pytest.mark.parametrize(
    ("language", "hint"),
    [
        ("en", "The export has not started yet: the export worker may not be running"),
        ("pl", "Eksport jeszcze się nie rozpoczął: proces eksportu w tle może nie działać"),
        ("ru", "Экспорт ещё не начался: фоновый обработчик экспорта, возможно, не запущен"),
    ],
)
def test_a_job_waiting_past_the_pending_limit_says_the_worker_may_not_run(
    client_as, team: Team, journey_map: Map, settings, language: str, hint: str
) -> None:
    settings.JOURNEYMAP_EXPORT_PENDING_MINUTES = 1
    job = start_export(journey_map=journey_map, user=team.owner, fmt="pdf")
    url = f"/m/{journey_map.pk}/exports/{job.pk}/"
    client = client_as("viewer", language=language)
    ExportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(seconds=50))
    assert hint not in client.get(url).content.decode()
    assert client.get(f"{url}?seen=queued", **HTMX).status_code == 204

    ExportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(seconds=70))
    late = client.get(f"{url}?seen=queued", **HTMX)
    text = late.content.decode()
    assert late.status_code == 200 and hint in text
    assert f'hx-get="{url}?seen=waiting-long"' in text  # still polling
    assert hint in client.get(url).content.decode()
    assert client.get(f"{url}?seen=waiting-long", **HTMX).status_code == 204
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED  # only a hint: the job may still run

    run_worker()
    done = client.get(f"{url}?seen=waiting-long", **HTMX).content.decode()
    assert "job-download" in done and hint not in done


def test_a_task_that_ended_without_finishing_its_job_fails_it(
    team: Team, journey_map: Map, client_as, monkeypatch
) -> None:
    def stopped(*args: object) -> None:
        raise SystemExit(1)  # the worker's second Ctrl+C: sys.exit mid-task

    monkeypatch.setattr(tasks.exports, "map_document", stopped)
    job = start_export(journey_map=journey_map, user=team.owner, fmt="pdf")
    run_worker()
    assert DBTaskResult.objects.get().status == "FAILED"
    assert ExportJob.objects.get().status == JobStatus.RUNNING
    page = client_as("owner").get(
        f"/m/{journey_map.pk}/exports/{job.pk}/", HTTP_ACCEPT_LANGUAGE="pl"
    )
    text = page.content.decode()
    assert "Eksport nie powiódł się: proces w tle zatrzymał się" in text
    assert LOST_ERROR not in text and "Spróbuj ponownie" in text
    assert "every 1s" not in text and 'id="job-retry"' in text
    assert ExportJob.objects.get().status == JobStatus.FAILED


def test_a_job_the_worker_finished_meanwhile_stays_done(team: Team, journey_map: Map) -> None:
    job = start_export(journey_map=journey_map, user=team.owner, fmt="pdf")
    seen = ExportJob.objects.defer("content").get(pk=job.pk)
    run_worker()
    assert seen.status == JobStatus.QUEUED
    assert fail_if_lost(seen).status == JobStatus.DONE
    assert ExportJob.objects.get().status == JobStatus.DONE


def test_a_job_deleted_while_its_page_is_open_stops_the_polling(
    team: Team, journey_map: Map, client_as
) -> None:
    other = make_map(team.workspace, team.owner)
    expired = start_export(journey_map=journey_map, user=team.owner, fmt="pdf")
    of_deleted_map = start_export(journey_map=other, user=team.owner, fmt="pdf")
    kept = start_export(journey_map=journey_map, user=team.owner, fmt="pdf")
    expired_url = f"/m/{journey_map.pk}/exports/{expired.pk}/"
    deleted_map_url = f"/m/{other.pk}/exports/{of_deleted_map.pk}/"
    kept_url = f"/m/{journey_map.pk}/exports/{kept.pk}/"
    member, stranger = client_as("viewer"), client_as("stranger")
    assert member.get(f"{expired_url}?seen=queued", **HTMX).status_code == 204
    expired.delete()
    other.delete()

    gone = member.get(f"{expired_url}?seen=queued", **HTMX)
    text = gone.content.decode()
    assert gone.status_code == 286 and "no longer available" in text
    assert "hx-get" not in text and "hx-trigger" not in text
    assert member.get(f"{deleted_map_url}?seen=running", **HTMX).content == gone.content
    assert member.get(expired_url).status_code == 404
    assert member.get(expired_url, **HTMX).status_code == 404  # not a poll
    # A stranger cannot tell a deleted job from someone else's.
    for url in (kept_url, expired_url, deleted_map_url):
        answer = stranger.get(f"{url}?seen=queued", **HTMX)
        assert (answer.status_code, answer.content) == (286, gone.content)
        assert stranger.get(url).status_code == 404
    assert member.get(f"{kept_url}?seen=queued", **HTMX).status_code == 204
