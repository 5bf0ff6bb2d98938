"""End to end in a real browser: sign up, template map, edits, sharing, a background PDF export,
Polish."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from journeymap.web.comments.models import Comment
from journeymap.web.jobs.models import ExportJob
from journeymap.web.maps.models import Map
from journeymap.web.maps.selectors import document_of
from task_worker import run_worker

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_up(page: Page, base: str, name: str = "ola") -> None:
    page.goto(f"{base}/accounts/signup/")
    page.fill("#id_username", name)
    page.fill("#id_email", f"{name}@example.com")
    page.fill("#id_password1", "a-long-browser-password-7")
    page.fill("#id_password2", "a-long-browser-password-7")
    page.click("button[type=submit].btn-primary")
    expect(page.locator("h1")).to_have_text("Your workspaces")


def map_from_template(page: Page) -> Map:
    page.click(".card-link")  # the new workspace
    page.click("text=New map from a template")
    page.locator(".template-card").first.locator("button[type=submit]").click()
    expect(page.locator("#editor")).to_be_visible()
    return Map.objects.get()


def saved_revision(page: Page, revision: int) -> None:
    expect(page.locator("#revision")).to_have_value(str(revision))


def drag(page: Page, source: Locator, target: Locator, *, revision: int) -> None:
    """Drag ``source`` onto the bottom of ``target`` with the mouse, as a user does.

    The boxes are read once the layout is still (a saved edit closes the side panel with a
    width transition); a drop made while the grid was still moving is tried once more.
    """
    for _attempt in range(2):
        source.scroll_into_view_if_needed()
        page.wait_for_timeout(300)  # let the scroll and the panel's transition settle
        box_from, box_to = source.bounding_box(), target.bounding_box()
        assert box_from and box_to
        page.mouse.move(box_from["x"] + 20, box_from["y"] + 10)
        page.mouse.down()
        page.mouse.move(box_from["x"] + 40, box_from["y"] + 20, steps=5)  # start the drag
        page.mouse.move(box_to["x"] + 30, box_to["y"] + box_to["height"] - 5, steps=20)
        page.mouse.up()
        try:
            expect(page.locator("#revision")).to_have_value(str(revision), timeout=3000)
            return
        except AssertionError:
            continue


def test_a_designer_builds_a_map_in_the_editor(
    browser: Browser,
    live_server,
    screenshots: Path,  # type: ignore[no-untyped-def]
) -> None:
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    sign_up(page, live_server.url)
    journey_map = map_from_template(page)
    page.screenshot(path=str(screenshots / "editor.png"))

    # add a stage through the side panel
    page.click("button.add-col")
    page.fill("#pf-title", "Repurchase")
    page.click("#panel button[type=submit].btn-primary")
    expect(page.locator(".stage-head").last).to_contain_text("Repurchase")
    saved_revision(page, 2)

    # edit an item in place
    first_item = page.locator(".lane:not(.lane-emotions) .item").first
    item_id = first_item.get_attribute("data-item")
    first_item.click()
    page.fill("#pf-text", "Edited in the browser")
    page.click("#panel button[type=submit].btn-primary")
    expect(page.locator(f'.item[data-item="{item_id}"]')).to_contain_text("Edited in the browser")
    saved_revision(page, 3)

    # drag that item to the next stage of its lane
    source = page.locator(f'.item[data-item="{item_id}"]')
    lane = source.locator("xpath=ancestor::section[contains(@class,'lane')]")
    target = lane.locator(".cell-items").nth(1)
    drag(page, source, target, revision=4)
    saved_revision(page, 4)
    journey_map.refresh_from_db()
    doc = document_of(journey_map)
    cell, _item = doc.find_item(item_id or "")
    assert cell.stage == doc.stages[1].id

    # set an emotion by clicking the curve (the +2 level of the first stage)
    page.locator(".lane-emotions .curve-col").first.locator(".curve-target").first.click(force=True)
    saved_revision(page, 5)
    journey_map.refresh_from_db()
    assert document_of(journey_map).emotion_curve()[0][1].score == 2  # type: ignore[union-attr]

    # comment on an item
    page.locator(f'.item[data-item="{item_id}"]').hover()
    page.locator(f'.item[data-item="{item_id}"] .comment-btn').click()
    page.fill("#comment-body", "Check this with the sales team")
    page.click("#panel .comment-form button[type=submit]")
    expect(page.locator("#panel")).to_contain_text("Check this with the sales team")
    assert Comment.objects.get().target == f"item:{item_id}"
    page.screenshot(path=str(screenshots / "editor-comments.png"))

    # export a PDF: a map this big is rendered by the worker, its job page shows the download
    page.click("summary:has-text('Export')")
    page.screenshot(path=str(screenshots / "editor-export-menu.png"))
    page.click(".menu-list button:has-text('PDF…')")
    expect(page.locator("h1")).to_have_text("PDF export")
    expect(page.locator("#job")).to_contain_text("Waiting")
    page.screenshot(path=str(screenshots / "export-job-waiting.png"))
    run_worker()
    expect(page.locator("#job-download")).to_be_visible()  # the page's htmx poll shows it
    page.screenshot(path=str(screenshots / "export-job-ready.png"))
    with page.expect_download() as download:
        page.click("#job-download")
    assert download.value.suggested_filename.endswith(".pdf")
    path = download.value.path()
    pdf = Path(path).read_bytes() if path else b""
    assert pdf.startswith(b"%PDF") and len(pdf) > 20_000
    assert ExportJob.objects.get().size == len(pdf)
    page.click("text=Back to the map")

    # share a read-only link and open it in a fresh anonymous context
    page.click("a:has-text('Share')")
    page.fill("#id_label", "Client")
    page.click("button:has-text('Create a link')")
    link = page.locator("td code").first.inner_text()
    anonymous = browser.new_context().new_page()
    anonymous.goto(link)
    expect(anonymous.locator("h1")).to_contain_text(journey_map.title[:20])
    expect(anonymous.locator(".editor.can-edit")).to_have_count(0)
    expect(anonymous.locator("text=Read-only view")).to_be_visible()
    anonymous.screenshot(path=str(screenshots / "shared.png"))

    # switch to Polish
    page.goto(f"{live_server.url}/m/{journey_map.pk}/")
    page.select_option("#lang-select", "pl")
    expect(page.locator(".saved")).to_contain_text("Zapisano")
    page.screenshot(path=str(screenshots / "editor-pl.png"))
    anonymous.context.close()
    page.context.close()  # no request of the pages may outlive the live server's database
