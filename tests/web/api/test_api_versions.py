"""Versions through the API: list, read, name, diff and restore, with the roles' rights."""

from __future__ import annotations

import pytest
from web_factories import Team

from journeymap.web.maps.models import Map, MapVersion
from journeymap.web.maps.operations import AddStage
from journeymap.web.maps.services import edit_map

pytestmark = pytest.mark.django_db


def add_stage(journey_map: Map, team: Team, title: str) -> None:
    journey_map.refresh_from_db()
    edit_map(
        map_id=journey_map.pk,
        user=team.editor,
        expected_revision=journey_map.revision,
        operation=AddStage(op="add_stage", title=title),
    )


@pytest.mark.parametrize("role", ["owner", "editor", "commenter", "viewer"])
def test_members_list_read_and_diff_versions(
    team: Team, journey_map: Map, token_client, role: str
) -> None:
    add_stage(journey_map, team, "Use")
    client = token_client(role)
    listed = client.get(f"/api/maps/{journey_map.pk}/versions").json()
    assert [(v["number"], v["name"], v["auto"]) for v in listed] == [
        (2, "", True),
        (1, "created", False),
    ]
    first = client.get(f"/api/maps/{journey_map.pk}/versions/1").json()
    assert [s["id"] for s in first["document"]["stages"]] == ["discover", "pay"]
    diff = client.get(f"/api/maps/{journey_map.pk}/diff", {"a": 1}).json()
    assert diff["a"] == 1 and diff["b"] is None
    assert diff["summary"] == {"stage.added": 1}
    assert diff["changes"][0]["kind"] == "stage.added" and diff["changes"][0]["target"] == "use"
    between = client.get(f"/api/maps/{journey_map.pk}/diff", {"a": 1, "b": 2}).json()
    assert between["changes"] == diff["changes"]
    assert client.get(f"/api/maps/{journey_map.pk}/diff", {"a": 2}).json()["changes"] == []


def test_unknown_version_is_404(journey_map: Map, token_client) -> None:
    client = token_client("viewer")
    assert client.get(f"/api/maps/{journey_map.pk}/versions/9").status_code == 404
    assert client.get(f"/api/maps/{journey_map.pk}/diff", {"a": 9}).status_code == 404


@pytest.mark.parametrize("role", ["owner", "editor"])
def test_editors_name_a_version(journey_map: Map, token_client, role: str) -> None:
    response = token_client(role).post(
        f"/api/maps/{journey_map.pk}/versions", {"name": "Workshop"}, "application/json"
    )
    assert response.status_code == 201
    assert response.json()["number"] == 2 and response.json()["name"] == "Workshop"


def test_a_blank_version_name_is_a_field_error(journey_map: Map, token_client) -> None:
    response = token_client("editor").post(
        f"/api/maps/{journey_map.pk}/versions", {"name": "  "}, "application/json"
    )
    assert response.status_code == 422 and response.json()["detail"][0]["loc"][-1] == "name"
    assert MapVersion.objects.count() == 1


@pytest.mark.parametrize("role", ["commenter", "viewer"])
def test_readers_cannot_name_or_restore(journey_map: Map, token_client, role: str) -> None:
    client = token_client(role)
    named = client.post(f"/api/maps/{journey_map.pk}/versions", {"name": "X"}, "application/json")
    assert named.status_code == 403
    restore = client.post(
        f"/api/maps/{journey_map.pk}/versions/1/restore", {"revision": 1}, "application/json"
    )
    assert restore.status_code == 403
    assert MapVersion.objects.count() == 1


def test_stranger_gets_404(journey_map: Map, token_client) -> None:
    client = token_client("stranger")
    assert client.get(f"/api/maps/{journey_map.pk}/versions").status_code == 404
    assert client.get(f"/api/maps/{journey_map.pk}/versions/1").status_code == 404
    assert client.get(f"/api/maps/{journey_map.pk}/diff", {"a": 1}).status_code == 404
    named = client.post(f"/api/maps/{journey_map.pk}/versions", {"name": "X"}, "application/json")
    assert named.status_code == 404
    restore = client.post(
        f"/api/maps/{journey_map.pk}/versions/1/restore", {"revision": 1}, "application/json"
    )
    assert restore.status_code == 404


def test_restore_is_an_edit_with_a_revision(team: Team, journey_map: Map, token_client) -> None:
    add_stage(journey_map, team, "Use")
    client = token_client("editor")
    url = f"/api/maps/{journey_map.pk}/versions/1/restore"
    stale = client.post(url, {"revision": 1}, "application/json")
    assert stale.status_code == 409 and stale.json()["revision"] == 2
    restored = client.post(url, {"revision": 2}, "application/json")
    assert restored.status_code == 200
    data = restored.json()
    assert data["revision"] == 3 and data["summary"] == "restored version 1"
    assert [s["id"] for s in data["document"]["stages"]] == ["discover", "pay"]
    undo = client.post(f"/api/maps/{journey_map.pk}/undo", {"revision": 3}, "application/json")
    assert [s["id"] for s in undo.json()["document"]["stages"]] == ["discover", "pay", "use"]
