"""The activity log through the API: every member reads it, strangers get 404."""

from __future__ import annotations

import pytest
from web_factories import Team

from journeymap.web.comments.services import add_comment
from journeymap.web.maps.models import Map

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["owner", "editor", "commenter", "viewer"])
def test_members_read_the_activity_log(
    team: Team, journey_map: Map, token_client, role: str
) -> None:
    add_comment(journey_map=journey_map, author=team.commenter, target="map", body="Hi")
    response = token_client(role).get(f"/api/workspaces/{team.workspace.pk}/activity")
    assert response.status_code == 200
    rows = response.json()
    assert [r["verb"] for r in rows] == ["comment.add", "map.create", "workspace.create"]
    assert rows[0]["actor"] == team.commenter.get_username()
    assert rows[0]["summary"] == "Demo: commented on Demo" and rows[0]["map_id"] == journey_map.pk


def test_activity_of_one_map_and_a_limit(team: Team, journey_map: Map, token_client) -> None:
    client = token_client("viewer")
    url = f"/api/workspaces/{team.workspace.pk}/activity"
    of_map = client.get(url, {"map_id": journey_map.pk}).json()
    assert [r["verb"] for r in of_map] == ["map.create"]
    assert len(client.get(url, {"limit": 1}).json()) == 1
    too_many = client.get(url, {"limit": 500})
    assert too_many.status_code == 422 and too_many.json()["detail"][0]["loc"][-1] == "limit"


def test_stranger_gets_404(team: Team, token_client) -> None:
    response = token_client("stranger").get(f"/api/workspaces/{team.workspace.pk}/activity")
    assert response.status_code == 404
