"""The persona library through the API: every role, field errors (422), refused deletes (409),
links to maps with revisions (409 when stale), undo through the editor's endpoint."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from web_factories import Team

from journeymap.web.accounts.services import create_api_token
from journeymap.web.maps.models import Map
from journeymap.web.personas.models import LibraryPersona

pytestmark = pytest.mark.django_db

MEMBERS = ["owner", "editor", "commenter", "viewer"]
ZOE = {"name": "Zoe Carter", "segment": "Students", "empathy": {"says": ["Where is BLIK?"]}}


@pytest.fixture
def api_as(team: Team):
    """``api_as("viewer")``: a client sending the API token of that member (or the stranger)."""

    def client(role: str) -> Client:
        _token, key = create_api_token(user=getattr(team, role), name="test")
        return Client(HTTP_AUTHORIZATION=f"Bearer {key}")

    return client


def send(client: Client, method: str, url: str, body: dict[str, Any] | None = None):
    return getattr(client, method)(url, body or {}, content_type="application/json")


@pytest.fixture
def base(team: Team) -> str:
    return f"/api/workspaces/{team.workspace.pk}/personas"


@pytest.fixture
def zoe(api_as, base: str) -> dict[str, Any]:
    response = send(api_as("editor"), "post", base, ZOE)
    assert response.status_code == 201
    return response.json()


def test_create_answers_the_stored_persona(zoe: dict[str, Any]) -> None:
    assert (zoe["slug"], zoe["name"], zoe["maps"]) == ("zoe-carter", "Zoe Carter", [])
    assert zoe["persona"] == {
        "id": "zoe-carter",
        "name": "Zoe Carter",
        "segment": "Students",
        "empathy": {"says": ["Where is BLIK?"]},
    }


def test_create_takes_a_wanted_slug(api_as, base: str) -> None:
    response = send(api_as("owner"), "post", base, {**ZOE, "id": "zoe"})
    assert response.status_code == 201 and response.json()["slug"] == "zoe"


@pytest.mark.parametrize("role", MEMBERS)
def test_every_member_lists_and_reads(api_as, base: str, zoe: dict[str, Any], role: str) -> None:
    client = api_as(role)
    assert [p["slug"] for p in client.get(base).json()] == ["zoe-carter"]
    assert client.get(f"{base}/zoe-carter").json()["persona"]["segment"] == "Students"
    assert client.get(f"{base}/nobody").status_code == 404


@pytest.mark.parametrize("role", ["commenter", "viewer"])
def test_readers_cannot_change_the_library(
    api_as, base: str, zoe: dict[str, Any], role: str
) -> None:
    client = api_as(role)
    assert send(client, "post", base, ZOE).status_code == 403
    assert send(client, "put", f"{base}/zoe-carter", ZOE).status_code == 403
    assert client.delete(f"{base}/zoe-carter").status_code == 403
    assert LibraryPersona.objects.count() == 1


def test_stranger_gets_404_everywhere(
    api_as, base: str, zoe: dict[str, Any], journey_map: Map
) -> None:
    client = api_as("stranger")
    assert client.get(base).status_code == 404
    assert client.get(f"{base}/zoe-carter").status_code == 404
    assert send(client, "post", base, ZOE).status_code == 404
    assert send(client, "put", f"{base}/zoe-carter", ZOE).status_code == 404
    assert client.delete(f"{base}/zoe-carter").status_code == 404
    link = {"revision": 1, "persona": "zoe-carter"}
    assert send(client, "post", f"/api/maps/{journey_map.pk}/personas", link).status_code == 404
    unlink = f"/api/maps/{journey_map.pk}/personas/ola/unlink"
    assert send(client, "post", unlink, {"revision": 1}).status_code == 404
    move = f"/api/maps/{journey_map.pk}/personas/ola/to-library"
    assert send(client, "post", move, {"revision": 1}).status_code == 404


def test_no_token_is_401(base: str) -> None:
    assert Client().get(base).status_code == 401


def test_a_payload_that_does_not_parse_is_422_naming_the_fields(api_as, base: str) -> None:
    bad = {"name": "", "size": 3, "empathy": {"smells": ["x"]}, "mood": "?"}
    response = send(api_as("editor"), "post", base, bad)
    assert response.status_code == 422
    locs = {tuple(e["loc"][2:]) for e in response.json()["detail"]}
    assert {("name",), ("size",), ("empathy", "smells"), ("mood",)} <= locs
    assert LibraryPersona.objects.count() == 0


def test_update_replaces_the_fields_and_keeps_the_slug(api_as, base: str, zoe: dict) -> None:
    response = send(api_as("editor"), "put", f"{base}/zoe-carter", {"name": "Zoe C.", "id": "x"})
    assert response.status_code == 200
    body = response.json()
    assert (body["slug"], body["name"], body["persona"]) == (
        "zoe-carter",
        "Zoe C.",
        {"id": "zoe-carter", "name": "Zoe C."},
    )


def test_update_with_an_invalid_persona_is_422(api_as, base: str, zoe: dict) -> None:
    response = send(
        api_as("editor"), "put", f"{base}/zoe-carter", {"name": "Z", "initials": "ABCDE"}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "initials"


def test_link_unlink_and_undo(api_as, base: str, zoe: dict, journey_map: Map) -> None:
    client = api_as("editor")
    url = f"/api/maps/{journey_map.pk}/personas"
    linked = send(client, "post", url, {"revision": 1, "persona": "zoe-carter"})
    assert linked.status_code == 200
    body = linked.json()
    assert body["revision"] == 2 and body["summary"] == "linked persona 'Zoe Carter'"
    assert body["document"]["personas"][-1] == {
        "id": "zoe-carter",
        "ref": "zoe-carter",
        "name": "Zoe Carter",
    }
    assert client.get(f"{base}/zoe-carter").json()["maps"] == [
        {"id": journey_map.pk, "title": "Demo", "archived": False}
    ]
    undone = send(client, "post", f"/api/maps/{journey_map.pk}/undo", {"revision": 2})
    assert [p["id"] for p in undone.json()["document"]["personas"]] == ["ola", "lib"]
    send(client, "post", url, {"revision": 3, "persona": "zoe-carter"})
    unlinked = send(client, "post", f"{url}/zoe-carter/unlink", {"revision": 4})
    assert unlinked.status_code == 200
    assert [p["id"] for p in unlinked.json()["document"]["personas"]] == ["ola", "lib"]


def test_link_errors(api_as, zoe: dict, journey_map: Map) -> None:
    client = api_as("editor")
    url = f"/api/maps/{journey_map.pk}/personas"
    unknown = send(client, "post", url, {"revision": 1, "persona": "nobody"})
    assert unknown.status_code == 422
    assert unknown.json()["errors"] == {"ref": "the persona library has no persona 'nobody'"}
    stale = send(client, "post", url, {"revision": 5, "persona": "zoe-carter"})
    assert stale.status_code == 409 and stale.json()["revision"] == 1
    bad = send(client, "post", url, {"revision": 0, "persona": "Not A Slug"})
    assert bad.status_code == 422 and {e["loc"][-1] for e in bad.json()["detail"]} == {
        "revision",
        "persona",
    }
    embedded = send(client, "post", f"{url}/ola/unlink", {"revision": 1})
    assert embedded.status_code == 422 and "persona" in embedded.json()["errors"]


@pytest.mark.parametrize("role", ["commenter", "viewer"])
def test_readers_cannot_link_or_move(api_as, zoe: dict, journey_map: Map, role: str) -> None:
    client = api_as(role)
    url = f"/api/maps/{journey_map.pk}/personas"
    assert send(client, "post", url, {"revision": 1, "persona": "zoe-carter"}).status_code == 403
    assert send(client, "post", f"{url}/lib/unlink", {"revision": 1}).status_code == 403
    assert send(client, "post", f"{url}/ola/to-library", {"revision": 1}).status_code == 403


def test_delete_is_refused_while_a_map_links_it(
    api_as, base: str, zoe: dict, journey_map: Map
) -> None:
    client = api_as("editor")
    send(
        client,
        "post",
        f"/api/maps/{journey_map.pk}/personas",
        {"revision": 1, "persona": "zoe-carter"},
    )
    refused = client.delete(f"{base}/zoe-carter")
    assert refused.status_code == 409
    assert refused.json()["maps"] == [{"id": journey_map.pk, "title": "Demo", "archived": False}]
    send(client, "post", f"/api/maps/{journey_map.pk}/personas/zoe-carter/unlink", {"revision": 2})
    assert client.delete(f"{base}/zoe-carter").status_code == 204
    assert client.get(f"{base}/zoe-carter").status_code == 404


@pytest.mark.parametrize(
    ("language", "detail"),
    [
        ("pl", "persona 'Zoe Carter' jest połączona z mapami: 'Demo'; najpierw ją tam odłącz"),
        ("ru", "персона 'Zoe Carter' связана с картами: 'Demo'; сначала отвяжите её там"),
    ],
)
def test_a_refused_delete_says_why_in_the_request_language(
    team: Team, base: str, zoe: dict, journey_map: Map, language: str, detail: str
) -> None:
    _token, key = create_api_token(user=team.editor, name="test")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE=language)
    link = {"revision": 1, "persona": "zoe-carter"}
    assert send(client, "post", f"/api/maps/{journey_map.pk}/personas", link).status_code == 200
    refused = client.delete(f"{base}/zoe-carter")
    assert refused.status_code == 409 and refused.json()["detail"] == detail


def test_move_a_map_persona_to_the_library(api_as, base: str, journey_map: Map) -> None:
    client = api_as("editor")
    moved = send(
        client, "post", f"/api/maps/{journey_map.pk}/personas/ola/to-library", {"revision": 1}
    )
    assert moved.status_code == 200
    assert moved.json()["document"]["personas"][0] == {
        "id": "ola",
        "ref": "ola",
        "name": "Ola Nowak",
    }
    assert client.get(f"{base}/ola").json()["persona"]["empathy"] == {"says": ["hi"]}


def test_openapi_lists_the_persona_routes() -> None:
    paths = Client().get("/api/openapi.json").json()["paths"]
    assert "/api/workspaces/{workspace_id}/personas/{slug}" in paths
    assert "/api/maps/{map_id}/personas/{persona_id}/unlink" in paths
