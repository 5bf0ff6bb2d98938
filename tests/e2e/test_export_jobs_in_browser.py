"""End to end in a real browser: a background export's page notices its lost worker and offers
a retry, and stops polling once the job is deleted (htmx, HTTP 286)."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from playwright.sync_api import Browser, Request, expect

from journeymap.web.jobs.models import ExportJob, JobStatus
from journeymap.web.jobs.services import start_export
from journeymap.web.maps.services import create_blank_map
from journeymap.web.workspaces.services import create_workspace

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-browser-password-7"


def test_the_job_page_fails_a_lost_job_warns_of_an_idle_worker_and_stops_polling_a_deleted_one(
    browser: Browser,
    live_server,  # type: ignore[no-untyped-def]
) -> None:
    user = get_user_model().objects.create_user(username="ola", password=PASSWORD)
    workspace = create_workspace(name="Agency", owner=user)
    journey_map = create_blank_map(workspace=workspace, user=user, title="Checkout")
    job = start_export(journey_map=journey_map, user=user, fmt="pdf")
    page = browser.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "ola")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].btn-primary")
    page.goto(f"{live_server.url}/m/{journey_map.pk}/exports/{job.pk}/")
    expect(page.locator("#job")).to_contain_text("Waiting")

    # the worker took the job and was killed ten minutes ago (the limit is 5)
    DBTaskResult.objects.get().claim("killed-worker")
    DBTaskResult.objects.update(started_at=timezone.now() - dt.timedelta(minutes=10))
    ExportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    expect(page.locator("#job")).to_contain_text("The export failed: the background worker")
    page.click("#job-retry")
    retry = ExportJob.objects.exclude(pk=job.pk).get()
    expect(page).to_have_url(f"{live_server.url}/m/{journey_map.pk}/exports/{retry.pk}/")
    expect(page.locator("#job")).to_contain_text("Waiting")

    # no worker takes the new job: after the pending limit (1 minute) the poll says so
    ExportJob.objects.filter(pk=retry.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=2)
    )
    expect(page.locator("#job-late")).to_contain_text("the export worker may not be running")

    # the job is pruned while its page is open: one answer, then no more polls
    polls: list[str] = []

    def count(request: Request) -> None:
        if "seen=" in request.url:
            polls.append(request.url)

    page.on("request", count)
    retry.delete()
    expect(page.locator("#job")).to_contain_text("This export is no longer available")
    seen = len(polls)
    time.sleep(2.5)
    assert seen >= 1 and len(polls) == seen
    page.close()
