"""End to end in a real browser: a persona with its empathy map in the library, linked to a
map in the editor, shown there, unlinked by Undo."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Browser, expect

from journeymap.map.model import PersonaRef
from journeymap.web.maps.selectors import document_of
from journeymap.web.maps.services import create_blank_map
from journeymap.web.workspaces.services import create_workspace

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-browser-password-7"


def test_a_designer_links_a_library_persona_to_a_map(
    browser: Browser,
    live_server,
    screenshots: Path,  # type: ignore[no-untyped-def]
) -> None:
    user = get_user_model().objects.create_user(username="ola", password=PASSWORD)
    workspace = create_workspace(name="Agency", owner=user)
    journey_map = create_blank_map(workspace=workspace, user=user, title="Checkout")
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "ola")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].btn-primary")

    # the library: a new persona with its empathy map
    page.goto(f"{live_server.url}/w/{workspace.pk}/")
    page.click(".tabs >> text=Personas")
    page.click("text=New persona")
    page.fill("#id_name", "Zoe Carter")
    page.fill("#id_segment", "Students 18-25")
    page.fill("#id_quote", "If checkout takes more than a minute, I'm gone.")
    page.fill("#id_says", "Where is BLIK?\nToo many fields")
    page.fill("#id_thinks", "Is this shop legit?")
    page.fill("#id_does", "Compares prices in two tabs")
    page.fill("#id_feels", "Impatient")
    page.fill("#id_size", "150")
    page.click("#persona-form button[type=submit]")
    expect(page.locator("#id_size-error")).to_be_visible()  # the htmx form shows the error
    page.screenshot(path=str(screenshots / "persona-form.png"), full_page=True)
    page.fill("#id_size", "42")
    page.click("#persona-form button[type=submit]")
    expect(page.locator("h1")).to_have_text("Zoe Carter")
    expect(page.locator(".q-thinks")).to_contain_text("Is this shop legit?")
    page.screenshot(path=str(screenshots / "persona.png"), full_page=True)
    page.click("text=Agency · Personas")
    expect(page.locator(".persona-card")).to_contain_text("Students 18-25")
    page.screenshot(path=str(screenshots / "personas.png"), full_page=True)

    # the editor: link it, see it, undo
    page.goto(f"{live_server.url}/m/{journey_map.pk}/")
    page.click("button.persona-open")
    expect(page.locator("#panel")).to_contain_text("Link a persona from the library")
    page.click("#panel .link-persona button[type=submit]")
    expect(page.locator(".persona-chip").first).to_contain_text("Zoe Carter")
    expect(page.locator("#revision")).to_have_value("2")
    ref = document_of(type(journey_map).objects.get(pk=journey_map.pk)).personas[0]
    assert isinstance(ref, PersonaRef) and ref.ref == "zoe-carter"
    page.click("button.persona-open")
    expect(page.locator("#panel .q-says")).to_contain_text("Where is BLIK?")
    page.screenshot(path=str(screenshots / "editor-personas.png"))
    page.click("text=Undo")
    expect(page.locator("#revision")).to_have_value("3")
    expect(page.locator(".persona-chip").first).not_to_contain_text("Zoe Carter")
    page.close()
