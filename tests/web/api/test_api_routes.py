"""The JSON API: token auth, roles, edits with revisions (409), field errors (422), OpenAPI."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from web_factories import Team

from journeymap.web.accounts.services import create_api_token
from journeymap.web.maps.models import Map
from journeymap.web.maps.selectors import document_of, shipped_templates

pytestmark = pytest.mark.django_db

ROLES = ["owner", "editor", "commenter", "viewer"]


@pytest.fixture
def api_as(team: Team):
    """``api_as("viewer")``: a client sending the API token of the member with that role."""

    def client(role: str) -> Client:
        _token, key = create_api_token(user=getattr(team, role), name="test")
        return Client(HTTP_AUTHORIZATION=f"Bearer {key}")

    return client


def post(client: Client, url: str, body: dict[str, Any]):
    return client.post(url, body, content_type="application/json")


def test_no_token_or_a_wrong_token_is_401(team: Team) -> None:
    assert Client().get("/api/workspaces").status_code == 401
    bad = Client(HTTP_AUTHORIZATION="Bearer jm_nope")
    assert bad.get("/api/workspaces").status_code == 401


def test_session_login_works_for_reads(client_as) -> None:
    assert client_as("viewer").get("/api/workspaces").status_code == 200


def test_openapi_schema_and_docs_are_public() -> None:
    schema = Client().get("/api/openapi.json").json()
    assert "/api/maps/{map_id}/operations" in schema["paths"]
    assert Client().get("/api/docs").status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_members_list_workspaces_and_maps(team: Team, journey_map: Map, api_as, role: str) -> None:
    client = api_as(role)
    assert client.get("/api/workspaces").json() == [
        {"id": team.workspace.pk, "name": "Acme", "role": role}
    ]
    maps = client.get(f"/api/workspaces/{team.workspace.pk}/maps").json()
    assert [m["id"] for m in maps] == [journey_map.pk]
    full = client.get(f"/api/maps/{journey_map.pk}").json()
    assert full["revision"] == 1 and full["document"]["title"] == "Demo"


def test_stranger_gets_404_everywhere(team: Team, journey_map: Map, api_as) -> None:
    client = api_as("stranger")
    assert client.get("/api/workspaces").json() == []
    assert client.get(f"/api/workspaces/{team.workspace.pk}/maps").status_code == 404
    assert client.get(f"/api/maps/{journey_map.pk}").status_code == 404
    body = {"revision": 1, "operation": {"op": "add_stage", "title": "X"}}
    assert post(client, f"/api/maps/{journey_map.pk}/operations", body).status_code == 404
    assert client.delete(f"/api/maps/{journey_map.pk}").status_code == 404


@pytest.mark.parametrize("role", ["owner", "editor"])
def test_editors_apply_operations(journey_map: Map, api_as, role: str) -> None:
    body = {"revision": 1, "operation": {"op": "add_stage", "title": "Use", "position": 0}}
    response = post(api_as(role), f"/api/maps/{journey_map.pk}/operations", body)
    assert response.status_code == 200
    data = response.json()
    assert data["revision"] == 2 and data["summary"] == "added stage 'Use'"
    assert data["document"]["stages"][0]["id"] == "use"


@pytest.mark.parametrize("role", ["commenter", "viewer"])
def test_readers_cannot_edit_or_undo(journey_map: Map, api_as, role: str) -> None:
    client = api_as(role)
    body = {"revision": 1, "operation": {"op": "delete_item", "item": "ig"}}
    assert post(client, f"/api/maps/{journey_map.pk}/operations", body).status_code == 403
    assert post(client, f"/api/maps/{journey_map.pk}/undo", {"revision": 1}).status_code == 403
    journey_map.refresh_from_db()
    assert journey_map.revision == 1


def test_stale_revision_is_409_with_the_current_document(journey_map: Map, api_as) -> None:
    client = api_as("editor")
    url = f"/api/maps/{journey_map.pk}/operations"
    post(client, url, {"revision": 1, "operation": {"op": "add_stage", "title": "A"}})
    response = post(client, url, {"revision": 1, "operation": {"op": "add_stage", "title": "B"}})
    assert response.status_code == 409
    data = response.json()
    assert data["revision"] == 2 and "revision 1" in data["detail"]
    assert [s["title"] for s in data["document"]["stages"]] == ["Discover", "Pay", "A"]


def test_bad_payload_gets_field_errors(journey_map: Map, api_as) -> None:
    body = {"revision": 1, "operation": {"op": "set_emotion", "stage": "Not An Id", "score": 9}}
    response = post(api_as("editor"), f"/api/maps/{journey_map.pk}/operations", body)
    assert response.status_code == 422
    fields = {e["loc"][-1] for e in response.json()["detail"]}
    assert fields == {"stage", "score"}


def test_unknown_operation_is_422(journey_map: Map, api_as) -> None:
    body = {"revision": 1, "operation": {"op": "explode"}}
    assert post(api_as("editor"), f"/api/maps/{journey_map.pk}/operations", body).status_code == 422


def test_an_edit_the_map_refuses_gets_field_errors(journey_map: Map, api_as) -> None:
    body = {"revision": 1, "operation": {"op": "update_item", "item": "e1", "fields": {"score": 7}}}
    response = post(api_as("editor"), f"/api/maps/{journey_map.pk}/operations", body)
    assert response.status_code == 422
    assert "emotion score must be from -2" in response.json()["errors"]["score"]
    missing = {"revision": 1, "operation": {"op": "delete_item", "item": "nope"}}
    response = post(api_as("editor"), f"/api/maps/{journey_map.pk}/operations", missing)
    assert response.status_code == 422 and response.json()["errors"] == {
        "item": "the map has no item 'nope'"
    }


def test_undo_through_the_api(journey_map: Map, api_as) -> None:
    client = api_as("editor")
    before = journey_map.document
    post(
        client,
        f"/api/maps/{journey_map.pk}/operations",
        {"revision": 1, "operation": {"op": "delete_item", "item": "ig"}},
    )
    response = post(client, f"/api/maps/{journey_map.pk}/undo", {"revision": 2})
    assert response.status_code == 200 and response.json()["document"] == before
    assert post(client, f"/api/maps/{journey_map.pk}/undo", {"revision": 1}).status_code == 409
    nothing = post(client, f"/api/maps/{journey_map.pk}/undo", {"revision": 3})
    assert nothing.status_code == 422


def test_create_blank_template_and_document_maps(team: Team, api_as) -> None:
    client = api_as("editor")
    url = f"/api/workspaces/{team.workspace.pk}/maps"
    blank = post(client, url, {"title": "Blank", "language": "pl"})
    assert blank.status_code == 201 and blank.json()["document"]["language"] == "pl"
    template = shipped_templates()[0]
    from_template = post(client, url, {"template": template.id, "language": "en"})
    assert from_template.status_code == 201 and from_template.json()["template"] == template.id
    document = post(client, url, {"document": {"id": "d", "title": "Doc"}})
    assert document.status_code == 201
    assert Map.objects.count() == 3


def test_create_with_bad_input_names_the_field(team: Team, api_as) -> None:
    client = api_as("editor")
    url = f"/api/workspaces/{team.workspace.pk}/maps"
    assert post(client, url, {}).json()["errors"] == {
        "title": "required without template or document"
    }
    response = post(client, url, {"template": "nope"})
    assert response.status_code == 422 and "template" in response.json()["errors"]
    response = post(client, url, {"document": {"id": "d", "title": "", "stages": [{"id": "X"}]}})
    assert response.status_code == 422
    assert {"title", "id"} <= set(response.json()["errors"])
    assert not Map.objects.exists()


@pytest.mark.parametrize("role", ["commenter", "viewer"])
def test_readers_cannot_create_maps(team: Team, api_as, role: str) -> None:
    response = post(api_as(role), f"/api/workspaces/{team.workspace.pk}/maps", {"title": "X"})
    assert response.status_code == 403


def test_export_and_delete(journey_map: Map, api_as) -> None:
    response = api_as("viewer").get(f"/api/maps/{journey_map.pk}/export/yaml")
    assert response.status_code == 200 and b"title: Demo" in response.content
    assert api_as("viewer").get(f"/api/maps/{journey_map.pk}/export/docx").status_code == 422
    assert api_as("editor").delete(f"/api/maps/{journey_map.pk}").status_code == 403
    assert api_as("owner").delete(f"/api/maps/{journey_map.pk}").status_code == 204
    assert not Map.objects.exists()


def test_api_edit_is_the_same_as_the_editor(journey_map: Map, api_as) -> None:
    body = {
        "revision": 1,
        "operation": {"op": "move_item", "item": "ig", "lane": "tp", "stage": "pay"},
    }
    post(api_as("editor"), f"/api/maps/{journey_map.pk}/operations", body)
    journey_map.refresh_from_db()
    cell, _item = document_of(journey_map).find_item("ig")
    assert cell.stage == "pay"


@pytest.mark.parametrize(
    ("language", "stale", "nothing", "forbidden", "template"),
    [
        (
            "en",
            "the map changed since you loaded it (you had revision 1, it is now at revision 2)",
            "There is no edit to undo.",
            "your role (viewer) does not allow edit_map",
            "unknown template 'nope'; available: ",
        ),
        (
            "pl",
            "mapa zmieniła się od jej wczytania (miałeś rewizję 1, teraz jest rewizja 2)",
            "Nie ma zmiany do cofnięcia.",
            "Twoja rola (viewer) nie pozwala na edit_map",
            "nieznany szablon 'nope'; dostępne: ",
        ),
        (
            "ru",
            "карта изменилась после того, как вы её загрузили (у вас была ревизия 1, теперь"
            " ревизия 2)",
            "Нечего отменять.",
            "ваша роль (viewer) не позволяет edit_map",
            "неизвестный шаблон 'nope'; доступны: ",
        ),
    ],
)
def test_error_details_are_in_the_request_language(
    team: Team,
    journey_map: Map,
    language: str,
    stale: str,
    nothing: str,
    forbidden: str,
    template: str,
) -> None:
    def client(role: str) -> Client:
        _token, key = create_api_token(user=getattr(team, role), name="test")
        return Client(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE=language)

    editor = client("editor")
    url = f"/api/maps/{journey_map.pk}/operations"
    post(editor, url, {"revision": 1, "operation": {"op": "add_stage", "title": "A"}})
    conflict = post(editor, url, {"revision": 1, "operation": {"op": "add_stage", "title": "B"}})
    assert conflict.status_code == 409 and conflict.json()["detail"].startswith(stale)
    assert conflict.json()["revision"] == 2
    post(editor, f"/api/maps/{journey_map.pk}/undo", {"revision": 2})
    undone = post(editor, f"/api/maps/{journey_map.pk}/undo", {"revision": 3})
    assert undone.status_code == 422 and undone.json() == {"detail": nothing, "errors": {}}
    add = {"op": "add_stage", "title": "C"}
    refused = post(client("viewer"), url, {"revision": 3, "operation": add})
    assert refused.status_code == 403 and refused.json() == {"detail": forbidden}
    unknown = post(
        editor, f"/api/workspaces/{team.workspace.pk}/maps", {"template": "nope", "language": "en"}
    )
    assert unknown.status_code == 422
    assert unknown.json()["detail"].startswith(template)
    assert unknown.json()["errors"]["template"] == unknown.json()["detail"]
