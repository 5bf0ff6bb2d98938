"""The editor: page and partial, side panels, edits from forms, conflicts, field errors, undo."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from web_factories import Team, make_map

from journeymap.map.validation import validate_data
from journeymap.web.maps.models import Map
from journeymap.web.maps.selectors import document_of

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
ROLES = ["owner", "editor", "commenter", "viewer"]


def edit(client, journey_map: Map, op: str, data: dict, *, htmx: bool = True):
    payload = {"revision": journey_map.revision, **data}
    return client.post(f"/m/{journey_map.pk}/edit/{op}/", payload, **(HTMX if htmx else {}))


@pytest.mark.parametrize("role", ROLES)
def test_every_member_opens_the_editor_page(journey_map: Map, client_as, role: str) -> None:
    response = client_as(role).get(f"/m/{journey_map.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html and 'id="editor"' in html and "Instagram ad" in html
    assert response.context["can_edit"] is (role in {"owner", "editor"})
    assert ('class="editor can-edit"' in html) is (role in {"owner", "editor"})


def test_htmx_request_gets_only_the_editor_partial(journey_map: Map, client_as) -> None:
    response = client_as("editor").get(f"/m/{journey_map.pk}/", **HTMX)
    html = response.content.decode().strip()
    assert html.startswith('<div id="editor"') and "<html" not in html


@pytest.mark.parametrize(
    ("query", "kind", "title"),
    [
        ("", "map", "Map settings"),
        ("?stage=pay", "stage", "Stage · Pay"),
        ("", "stage", "New stage"),
        ("?lane=tp", "lane", "Lane · Touchpoints"),
        ("", "lane", "New lane"),
        ("?item=ig", "item", "Edit Touchpoint"),
        ("?lane=tp&stage=pay", "item", "New Touchpoint in Touchpoints · Pay"),
    ],
)
def test_panels_open_the_right_form(
    journey_map: Map, client_as, query: str, kind: str, title: str
) -> None:
    response = client_as("editor").get(f"/m/{journey_map.pk}/panel/{kind}/{query}", **HTMX)
    assert response.status_code == 200
    assert f"<h2>{title}</h2>" in response.content.decode()


def test_item_panel_shows_the_fields_of_the_item_kind(journey_map: Map, client_as) -> None:
    html = client_as("editor").get(f"/m/{journey_map.pk}/panel/item/?item=e1").content.decode()
    names = re.findall(r'id="pf-([a-z_]+)"', html)
    assert names[:2] == ["text", "score"] and "evidence_source" in names
    assert 'name="lens" value="cost"' in html
    assert '<option value="-1" selected>' in html


def test_panel_for_a_missing_thing_is_404(journey_map: Map, client_as) -> None:
    client = client_as("editor")
    assert client.get(f"/m/{journey_map.pk}/panel/item/?item=nope").status_code == 404
    assert client.get(f"/m/{journey_map.pk}/panel/wizard/").status_code == 404


@pytest.mark.parametrize("role", ["commenter", "viewer"])
def test_readers_cannot_open_panels_edit_or_undo(journey_map: Map, client_as, role: str) -> None:
    client = client_as(role)
    assert client.get(f"/m/{journey_map.pk}/panel/map/").status_code == 403
    assert edit(client, journey_map, "add_stage", {"title": "X"}).status_code == 403
    assert client.post(f"/m/{journey_map.pk}/undo/", {"revision": 1}).status_code == 403
    journey_map.refresh_from_db()
    assert journey_map.revision == 1


@pytest.mark.parametrize("role", ["owner", "editor"])
def test_editors_add_a_stage_and_get_the_fresh_editor(
    journey_map: Map, client_as, role: str
) -> None:
    response = edit(client_as(role), journey_map, "add_stage", {"title": "Use", "description": ""})
    assert response.status_code == 200
    assert response.context["notice"] == "added stage 'Use'"
    journey_map.refresh_from_db()
    assert journey_map.revision == 2
    assert [s.title for s in document_of(journey_map).stages] == ["Discover", "Pay", "Use"]
    assert 'value="2"' in response.content.decode()  # the new revision goes back to the page


def test_plain_form_post_redirects_to_the_editor(journey_map: Map, client_as) -> None:
    response = edit(client_as("editor"), journey_map, "add_stage", {"title": "Use"}, htmx=False)
    assert response.status_code == 302 and response["Location"] == f"/m/{journey_map.pk}/"


def test_item_form_adds_an_item_with_lens_tags_and_evidence(journey_map: Map, client_as) -> None:
    response = edit(
        client_as("editor"),
        journey_map,
        "add_item",
        {
            "lane": "tp",
            "stage": "pay",
            "kind": "touchpoint",
            "text": "Checkout page",
            "channel": "web",
            "owner": "",
            "description": "",
            "lens": ["convenience", "cost"],
            "tags": "web, checkout",
            "evidence_source": "analytics",
            "evidence_quote": "38% drop here",
        },
    )
    assert response.status_code == 200
    journey_map.refresh_from_db()
    _cell, item = document_of(journey_map).find_item("checkout-page")
    assert item.channel == "web" and item.tags == ["web", "checkout"]  # type: ignore[union-attr]
    assert [lens.value for lens in item.lens] == ["convenience", "cost"]
    assert item.evidence[0].source == "analytics" and item.evidence[0].quote == "38% drop here"


def test_item_form_updates_and_clears_fields(journey_map: Map, client_as) -> None:
    edit(
        client_as("editor"),
        journey_map,
        "update_item",
        {"item": "ig", "text": "Instagram reel", "channel": "", "owner": "Ads team", "tags": ""},
    )
    journey_map.refresh_from_db()
    _cell, item = document_of(journey_map).find_item("ig")
    assert (item.text, item.channel, item.owner) == ("Instagram reel", None, "Ads team")  # type: ignore[union-attr]


def _card_of(html: str, item_id: str) -> str:
    found = re.search(
        rf'<article class="item [^"]*" data-item="{item_id}".*?</article>', html, re.S
    )
    assert found, f"no card of {item_id}"
    return found.group(0)


def test_htmx_item_edit_answers_with_the_card_and_out_of_band_parts(
    journey_map: Map, client_as
) -> None:
    client = client_as("editor")
    response = edit(client, journey_map, "update_item", {"item": "ig", "text": "Instagram reel"})
    assert response.status_code == 200
    assert response["HX-Retarget"] == '[data-item="ig"]'
    assert response["HX-Reswap"] == "outerHTML"
    html = response.content.decode()
    assert 'id="editor"' not in html and 'class="map-grid"' not in html
    # the card is the one the whole editor now draws for the item
    page = client.get(f"/m/{journey_map.pk}/", **HTMX).content.decode()
    assert html.lstrip().startswith(_card_of(page, "ig"))
    assert "Instagram reel" in _card_of(html, "ig")
    assert re.search(r'<input[^>]*id="revision"[^>]*value="2" hx-swap-oob="true"', html)
    assert re.search(r'id="saved-state"[^>]*hx-swap-oob="true"', html) and "revision 2" in html
    undo = re.search(r'<button[^>]*id="undo-button"[^>]*>', html)
    assert undo and "disabled" not in undo.group(0) and 'hx-swap-oob="true"' in undo.group(0)
    assert re.search(r'<div id="editor-messages" hx-swap-oob="true"><div class="toast"', html)
    assert '<aside id="panel" class="panel" aria-live="polite" hx-swap-oob="true">' in html
    journey_map.refresh_from_db()
    assert journey_map.revision == 2
    assert document_of(journey_map).find_item("ig")[1].text == "Instagram reel"


def test_htmx_item_edit_reads_the_map_once_and_writes_each_record_once(
    journey_map: Map, client_as
) -> None:
    client = client_as("editor")
    edit(client, journey_map, "update_item", {"item": "ig", "text": "First"})
    journey_map.refresh_from_db()  # the next edit merges into this edit's automatic version
    with CaptureQueriesContext(connection) as queries:
        response = edit(client, journey_map, "update_item", {"item": "ig", "text": "Second"})
    assert response.status_code == 200
    sql = [q["sql"] for q in queries.captured_queries]
    reads = [s for s in sql if s.startswith("SELECT") and '"maps_' in s]
    assert len(reads) == 1 and 'FROM "maps_map" ' in reads[0]
    writes = sorted(s.split('"')[1] for s in sql if s.startswith(("INSERT", "UPDATE")))
    assert writes == ["maps_map", "maps_mapchange", "maps_mapversion", "workspaces_activity"]


def test_item_edit_keeps_the_items_later_evidence(journey_map: Map, client_as) -> None:
    client = client_as("editor")
    evidence = {"text": "Ad", "evidence_source": "survey", "evidence_quote": "first"}
    edit(client, journey_map, "update_item", {"item": "ig", **evidence})
    journey_map.refresh_from_db()
    data = journey_map.document
    ig = next(i for c in data["cells"] for i in c["items"] if i["id"] == "ig")
    ig["evidence"].append({"source": "interview", "quote": "second"})
    Map.objects.filter(pk=journey_map.pk).update(document=data)
    journey_map.refresh_from_db()
    evidence["evidence_quote"] = "changed"
    edit(client, journey_map, "update_item", {"item": "ig", **evidence})
    journey_map.refresh_from_db()
    quotes = [e.quote for e in document_of(journey_map).find_item("ig")[1].evidence]
    assert quotes == ["changed", "second"]


def test_item_edit_in_an_emotions_lane_answers_with_the_whole_editor(
    journey_map: Map, client_as
) -> None:
    response = edit(client_as("editor"), journey_map, "update_item", {"item": "e1", "text": "Meh"})
    assert response.status_code == 200
    assert "HX-Retarget" not in response
    html = response.content.decode()
    assert 'id="editor"' in html and 'class="curve"' in html and "Meh" in html


def test_stale_or_plain_item_edit_keeps_the_whole_editor_answers(
    journey_map: Map, client_as
) -> None:
    client = client_as("editor")
    response = edit(client, journey_map, "update_item", {"item": "ig", "text": "Mine"}, htmx=False)
    assert response.status_code == 302 and response["Location"] == f"/m/{journey_map.pk}/"
    response = edit(client, journey_map, "update_item", {"item": "ig", "text": "Stale"})
    assert response.status_code == 409 and response["HX-Retarget"] == "#editor"
    assert 'id="editor"' in response.content.decode() and "Mine" in response.content.decode()


def test_invalid_item_form_answers_422_with_the_panel_and_field_errors(
    journey_map: Map, client_as
) -> None:
    response = edit(
        client_as("editor"), journey_map, "update_item", {"item": "e1", "text": "", "score": "7"}
    )
    assert response.status_code == 422
    assert response["HX-Retarget"] == "#panel"
    html = response.content.decode()
    assert set(re.findall(r'id="pf-([a-z_]+)-error"', html)) == {"text", "score"}
    assert "emotion score must be from -2" in html
    assert 'aria-invalid="true"' in html
    journey_map.refresh_from_db()
    assert journey_map.revision == 1


def test_invalid_stage_form_keeps_what_was_typed(journey_map: Map, client_as) -> None:
    response = edit(
        client_as("editor"), journey_map, "add_stage", {"title": "", "description": "kept"}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="pf-title-error"' in html
    assert re.search(r'<textarea id="pf-description"[^>]*>kept</textarea>', html)


def test_stale_edit_answers_409_with_the_fresh_map_and_a_message(
    journey_map: Map, client_as
) -> None:
    edit(client_as("owner"), journey_map, "add_stage", {"title": "Theirs"})
    response = edit(client_as("editor"), journey_map, "add_stage", {"title": "Mine"})  # revision 1
    assert response.status_code == 409
    assert response["HX-Retarget"] == "#editor"
    assert "you had revision 1, it is now 2" in response.context["conflict"]
    assert "Theirs" in response.content.decode()
    journey_map.refresh_from_db()
    assert [s.title for s in document_of(journey_map).stages] == ["Discover", "Pay", "Theirs"]


def test_edit_without_revision_is_refused(journey_map: Map, client_as) -> None:
    response = client_as("editor").post(
        f"/m/{journey_map.pk}/edit/add_stage/", {"title": "X"}, **HTMX
    )
    assert response.status_code == 422
    journey_map.refresh_from_db()
    assert journey_map.revision == 1


def test_unknown_operation_is_404(journey_map: Map, client_as) -> None:
    assert edit(client_as("editor"), journey_map, "explode", {}).status_code == 404


def test_drag_and_drop_moves_an_item_to_another_stage(journey_map: Map, client_as) -> None:
    response = edit(
        client_as("editor"),
        journey_map,
        "move_item",
        {"item": "ig", "lane": "tp", "stage": "pay", "position": "0"},
    )
    assert response.status_code == 200
    journey_map.refresh_from_db()
    cell, _item = document_of(journey_map).find_item("ig")
    assert cell.stage == "pay"


def test_drop_into_a_lane_of_the_wrong_kind_is_refused_with_a_message(
    journey_map: Map, client_as
) -> None:
    response = edit(
        client_as("editor"), journey_map, "move_item", {"item": "ig", "lane": "emo", "stage": "pay"}
    )
    assert response.status_code == 422
    assert "cannot go in lane 'emo'" in response.context["error"]


def test_reorder_stages_and_lanes(journey_map: Map, client_as) -> None:
    client = client_as("editor")
    edit(client, journey_map, "move_stage", {"stage": "pay", "position": "0"})
    journey_map.refresh_from_db()
    edit(client, journey_map, "move_lane", {"lane": "emo", "position": "0"})
    journey_map.refresh_from_db()
    doc = document_of(journey_map)
    assert [s.id for s in doc.stages] == ["pay", "discover"]
    assert [lane.id for lane in doc.lanes] == ["emo", "tp"]


def test_clicking_the_curve_sets_the_emotion(journey_map: Map, client_as) -> None:
    response = edit(
        client_as("editor"),
        journey_map,
        "set_emotion",
        {"stage": "discover", "score": "2", "lane": "emo"},
    )
    assert response.status_code == 200
    journey_map.refresh_from_db()
    curve = document_of(journey_map).emotion_curve()
    assert curve[0][1] is not None and curve[0][1].score == 2


def test_map_settings_set_goal_and_future_state(journey_map: Map, client_as) -> None:
    edit(
        client_as("editor"),
        journey_map,
        "update_map",
        {"title": "Demo", "goal": "Fewer drop-offs", "description": "", "state": "future"},
    )
    journey_map.refresh_from_db()
    doc = document_of(journey_map)
    assert (doc.goal, doc.state.value) == ("Fewer drop-offs", "future")


def test_remove_lane_and_stage_from_their_panels(journey_map: Map, client_as) -> None:
    client = client_as("editor")
    edit(client, journey_map, "remove_lane", {"lane": "tp"})
    journey_map.refresh_from_db()
    edit(client, journey_map, "remove_stage", {"stage": "pay"})
    journey_map.refresh_from_db()
    doc = document_of(journey_map)
    assert [lane.id for lane in doc.lanes] == ["emo"] and [s.id for s in doc.stages] == ["discover"]


def test_undo_restores_the_previous_document(journey_map: Map, client_as) -> None:
    client = client_as("editor")
    before = journey_map.document
    edit(client, journey_map, "delete_item", {"item": "ig"})
    response = client.post(f"/m/{journey_map.pk}/undo/", {"revision": 2}, **HTMX)
    assert response.status_code == 200 and response.context["notice"].startswith("undid:")
    journey_map.refresh_from_db()
    assert journey_map.document == before and journey_map.revision == 3


def test_undo_with_nothing_to_undo_says_so(journey_map: Map, client_as) -> None:
    response = client_as("editor").post(f"/m/{journey_map.pk}/undo/", {"revision": 1}, **HTMX)
    assert response.status_code == 422 and "no edit to undo" in response.context["error"]


def test_stale_undo_is_a_conflict(journey_map: Map, client_as) -> None:
    edit(client_as("owner"), journey_map, "add_stage", {"title": "A"})
    response = client_as("editor").post(f"/m/{journey_map.pk}/undo/", {"revision": 1}, **HTMX)
    assert response.status_code == 409


def test_editor_of_a_template_map_renders_every_lane(team: Team, client_as) -> None:
    from journeymap.web.maps.selectors import shipped_templates
    from journeymap.web.maps.services import create_map_from_template

    info = shipped_templates()[0]
    journey_map = create_map_from_template(
        workspace=team.workspace, user=team.owner, template_id=info.id, language="en"
    )
    response = client_as("viewer").get(f"/m/{journey_map.pk}/")
    doc = document_of(journey_map)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="grid-row lane ') == len(doc.lanes)
    assert html.count('class="stage-head"') == len(doc.stages)


BAD = "<script>alert('x')</script> & \"q\""


@pytest.mark.parametrize("role", ["owner", "viewer"])
def test_every_text_of_the_map_is_escaped_in_the_grid(team: Team, client_as, role: str) -> None:
    item = {"tags": [BAD], "evidence": [{"source": "survey", "quote": BAD}], "text": BAD}
    doc = validate_data(
        {
            "id": "m",
            "title": "Escapes",
            "stages": [{"id": "s", "title": BAD, "steps": [{"id": "st", "title": BAD}]}],
            "lanes": [
                {"id": "t", "kind": "touchpoints", "title": BAD},
                {"id": "k", "kind": "metrics", "title": BAD},
                {"id": "a", "kind": "action_plan", "title": BAD},
                {"id": "i", "kind": "image", "title": BAD},
            ],
            "cells": [
                {
                    "lane": "t",
                    "stage": "s",
                    "items": [{"id": "t1", "kind": "touchpoint", "owner": BAD, **item}],
                },
                {
                    "lane": "k",
                    "stage": "s",
                    "items": [{"id": "k1", "kind": "metric", "unit": BAD, "current": 1.5, **item}],
                },
                {
                    "lane": "a",
                    "stage": "s",
                    "items": [{"id": "a1", "kind": "action", "owner": BAD, **item}],
                },
                {
                    "lane": "i",
                    "stage": "s",
                    "items": [{"id": "i1", "kind": "image", "src": BAD, **item}],
                },
            ],
        }
    )
    journey_map = make_map(team.workspace, team.owner, doc)
    html = client_as(role).get(f"/m/{journey_map.pk}/").content.decode()
    grid = html[html.index('<div class="map-grid"') :]
    assert "<script>" not in grid and '"q"' not in grid
    assert grid.count("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;q&quot;") >= 20
