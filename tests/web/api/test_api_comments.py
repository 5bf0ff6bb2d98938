"""Comments through the API: members read, commenters and above write, authors delete."""

from __future__ import annotations

import pytest
from web_factories import Team, make_map

from journeymap.web.comments.models import Comment
from journeymap.web.comments.services import add_comment
from journeymap.web.maps.models import Map
from journeymap.web.workspaces.models import Activity

pytestmark = pytest.mark.django_db

WRITERS = ["owner", "editor", "commenter"]


def url(journey_map: Map, rest: str = "") -> str:
    return f"/api/maps/{journey_map.pk}/comments{rest}"


@pytest.mark.parametrize("role", WRITERS)
def test_writers_comment_reply_resolve_and_reopen(
    team: Team, journey_map: Map, token_client, role: str
) -> None:
    client = token_client(role)
    created = client.post(
        url(journey_map), {"target": "item:ig", "body": "Still running?"}, "application/json"
    )
    assert created.status_code == 201
    thread = created.json()
    assert thread["target"] == "item:ig" and thread["where"] == "Instagram ad"
    assert thread["author"] == getattr(team, role).get_username()
    reply = client.post(
        url(journey_map, f"/{thread['id']}/replies"), {"body": "Yes"}, "application/json"
    )
    assert reply.status_code == 201 and reply.json()["body"] == "Yes"
    resolved = client.post(url(journey_map, f"/{thread['id']}/resolve"))
    assert resolved.status_code == 200 and resolved.json()["resolved"] is True
    assert resolved.json()["replies"][0]["body"] == "Yes"
    reopened = client.post(url(journey_map, f"/{reply.json()['id']}/reopen"))
    assert reopened.json()["id"] == thread["id"] and reopened.json()["resolved"] is False


def test_members_list_threads_per_map_and_per_target(
    team: Team, journey_map: Map, token_client
) -> None:
    add_comment(journey_map=journey_map, author=team.editor, target="map", body="Overall")
    add_comment(journey_map=journey_map, author=team.editor, target="stage:pay", body="Pay?")
    client = token_client("viewer")
    everything = client.get(url(journey_map)).json()
    assert [t["body"] for t in everything] == ["Overall", "Pay?"]
    only_pay = client.get(url(journey_map), {"target": "stage:pay"}).json()
    assert [(t["body"], t["where"]) for t in only_pay] == [("Pay?", "Pay")]


def test_viewer_cannot_write_comments(team: Team, journey_map: Map, token_client) -> None:
    thread = add_comment(journey_map=journey_map, author=team.owner, target="map", body="x")
    client = token_client("viewer")
    assert client.post(url(journey_map), {"body": "hi"}, "application/json").status_code == 403
    assert (
        client.post(
            url(journey_map, f"/{thread.pk}/replies"), {"body": "hi"}, "application/json"
        ).status_code
        == 403
    )
    assert client.post(url(journey_map, f"/{thread.pk}/resolve")).status_code == 403
    assert client.post(url(journey_map, f"/{thread.pk}/reopen")).status_code == 403
    assert client.delete(url(journey_map, f"/{thread.pk}")).status_code == 403
    assert Comment.objects.count() == 1


def test_stranger_gets_404(team: Team, journey_map: Map, token_client) -> None:
    thread = add_comment(journey_map=journey_map, author=team.owner, target="map", body="x")
    client = token_client("stranger")
    assert client.get(url(journey_map)).status_code == 404
    assert client.post(url(journey_map), {"body": "hi"}, "application/json").status_code == 404
    assert client.post(url(journey_map, f"/{thread.pk}/resolve")).status_code == 404
    assert client.delete(url(journey_map, f"/{thread.pk}")).status_code == 404


def test_a_comment_of_another_map_is_404(team: Team, journey_map: Map, token_client) -> None:
    other = make_map(team.workspace, team.owner)
    thread = add_comment(journey_map=other, author=team.owner, target="map", body="x")
    client = token_client("owner")
    assert client.post(url(journey_map, f"/{thread.pk}/resolve")).status_code == 404
    assert client.delete(url(journey_map, f"/{thread.pk}")).status_code == 404


def test_bad_comments_get_field_errors(journey_map: Map, token_client) -> None:
    client = token_client("commenter")
    unknown = client.post(
        url(journey_map), {"target": "item:nope", "body": "hi"}, "application/json"
    )
    assert unknown.status_code == 422 and "item:nope" in unknown.json()["errors"]["target"]
    blank = client.post(url(journey_map), {"target": "map", "body": "   "}, "application/json")
    assert blank.status_code == 422 and blank.json()["errors"] == {"body": "Write something."}
    empty = client.post(url(journey_map), {"target": "map", "body": ""}, "application/json")
    assert empty.status_code == 422 and empty.json()["detail"][0]["loc"][-1] == "body"
    assert not Comment.objects.exists()


def test_only_the_author_deletes_a_comment(team: Team, journey_map: Map, token_client) -> None:
    mine = add_comment(journey_map=journey_map, author=team.commenter, target="map", body="mine")
    assert token_client("owner").delete(url(journey_map, f"/{mine.pk}")).status_code == 403
    assert token_client("commenter").delete(url(journey_map, f"/{mine.pk}")).status_code == 204
    assert not Comment.objects.exists()
    assert Activity.objects.filter(verb="comment.delete").count() == 1


def test_a_thread_with_replies_by_others_is_not_deleted(
    team: Team, journey_map: Map, token_client
) -> None:
    thread = add_comment(journey_map=journey_map, author=team.commenter, target="map", body="q")
    add_comment(journey_map=journey_map, author=team.editor, target="map", body="a", parent=thread)
    response = token_client("commenter").delete(url(journey_map, f"/{thread.pk}"))
    assert response.status_code == 422 and "comment" in response.json()["errors"]
    assert Comment.objects.count() == 2
