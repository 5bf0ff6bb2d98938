"""Comments: visible to all members, written by commenters and above, replies and resolve."""

from __future__ import annotations

from html import unescape as html_unescape

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from web_factories import Team

from journeymap.web.comments.models import Comment
from journeymap.web.comments.selectors import open_counts, threads_of
from journeymap.web.comments.services import add_comment, set_resolved
from journeymap.web.maps.models import Map
from journeymap.web.sharing.services import create_share_link

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
WRITERS = ["owner", "editor", "commenter"]


@pytest.mark.parametrize("role", WRITERS)
def test_commenters_and_above_comment_on_an_item(journey_map: Map, client_as, role: str) -> None:
    response = client_as(role).post(
        f"/m/{journey_map.pk}/comments/",
        {"target": "item:ig", "body": "Is this ad still running?"},
        **HTMX,
    )
    assert response.status_code == 200
    assert "Is this ad still running?" in response.content.decode()
    assert open_counts(journey_map) == {"item:ig": 1}


def test_viewer_reads_but_cannot_comment(team: Team, journey_map: Map, client_as) -> None:
    add_comment(journey_map=journey_map, author=team.editor, target="map", body="Looks good")
    client = client_as("viewer")
    response = client.get(f"/m/{journey_map.pk}/comments/", **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and "Looks good" in html and "comment-form" not in html
    assert (
        client.post(f"/m/{journey_map.pk}/comments/", {"target": "map", "body": "x"}).status_code
        == 403
    )
    thread = Comment.objects.get()
    assert client.post(f"/m/{journey_map.pk}/comments/{thread.pk}/resolve/").status_code == 403
    assert Comment.objects.count() == 1


def test_stranger_gets_404_for_comments(team: Team, journey_map: Map, client_as) -> None:
    thread = add_comment(journey_map=journey_map, author=team.owner, target="map", body="x")
    client = client_as("stranger")
    assert client.get(f"/m/{journey_map.pk}/comments/").status_code == 404
    assert client.post(f"/m/{journey_map.pk}/comments/", {"body": "x"}).status_code == 404
    assert client.post(f"/m/{journey_map.pk}/comments/{thread.pk}/resolve/").status_code == 404


def test_empty_comment_or_unknown_target_is_a_field_error(journey_map: Map, client_as) -> None:
    client = client_as("commenter")
    empty = client.post(f"/m/{journey_map.pk}/comments/", {"target": "map", "body": " "}, **HTMX)
    assert empty.status_code == 422 and 'id="comment-body-error"' in empty.content.decode()
    unknown = client.post(
        f"/m/{journey_map.pk}/comments/", {"target": "item:nope", "body": "hi"}, **HTMX
    )
    assert unknown.status_code == 422 and "is not in this map" in unknown.content.decode()
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "'item:nope' is not in this map: use map, stage:<id>"),
        ("pl", "'item:nope' nie ma w tej mapie: użyj map, stage:<id>"),
        ("ru", "'item:nope' нет в этой карте: укажите map, stage:<id>"),
    ],
)
def test_an_unknown_target_is_named_in_the_readers_language(
    client_as, journey_map: Map, language: str, message: str
) -> None:
    client = client_as("commenter", language=language)
    panel = client.post(
        f"/m/{journey_map.pk}/comments/", {"target": "item:nope", "body": "hi"}, **HTMX
    )
    assert panel.status_code == 422 and message in html_unescape(panel.content.decode())
    api = client.post(
        f"/api/maps/{journey_map.pk}/comments",
        {"target": "item:nope", "body": "hi"},
        content_type="application/json",
    )
    assert api.status_code == 422 and message in api.json()["errors"]["target"]


def test_replies_join_the_thread_and_resolve_closes_it(
    team: Team, journey_map: Map, client_as
) -> None:
    thread = add_comment(journey_map=journey_map, author=team.owner, target="stage:pay", body="Q?")
    client = client_as("commenter")
    client.post(f"/m/{journey_map.pk}/comments/", {"parent": thread.pk, "body": "A."}, **HTMX)
    reply = Comment.objects.get(parent=thread)
    assert reply.target == "stage:pay"
    response = client.post(f"/m/{journey_map.pk}/comments/{reply.pk}/resolve/", **HTMX)
    assert response.status_code == 200
    thread.refresh_from_db()
    assert thread.resolved_at is not None and thread.resolved_by == team.commenter
    assert open_counts(journey_map) == {}
    client.post(f"/m/{journey_map.pk}/comments/{thread.pk}/resolve/", {"reopen": "1"}, **HTMX)
    thread.refresh_from_db()
    assert thread.resolved_at is None


def test_replies_stay_one_level_deep(team: Team, journey_map: Map) -> None:
    thread = add_comment(journey_map=journey_map, author=team.owner, target="map", body="1")
    reply = add_comment(
        journey_map=journey_map, author=team.owner, target="map", body="2", parent=thread
    )
    deeper = add_comment(
        journey_map=journey_map, author=team.owner, target="x", body="3", parent=reply
    )
    assert deeper.parent == thread and deeper.target == "map"


def test_a_reply_to_another_maps_comment_is_refused(team: Team, journey_map: Map) -> None:
    from web_factories import make_map

    other = make_map(team.workspace, team.owner)
    foreign = add_comment(journey_map=other, author=team.owner, target="map", body="1")
    with pytest.raises(ValidationError):
        add_comment(
            journey_map=journey_map, author=team.owner, target="map", body="2", parent=foreign
        )


def test_comments_on_cells_and_stages_and_open_ones_first(team: Team, journey_map: Map) -> None:
    first = add_comment(journey_map=journey_map, author=team.owner, target="cell:tp/pay", body="a")
    add_comment(journey_map=journey_map, author=team.owner, target="stage:discover", body="b")
    set_resolved(comment=first, user=team.owner, resolved=True)
    assert [c.body for c in threads_of(journey_map)] == ["b", "a"]


def test_editor_shows_comment_counts_on_items(team: Team, journey_map: Map, client_as) -> None:
    add_comment(journey_map=journey_map, author=team.owner, target="item:ig", body="?")
    html = client_as("viewer").get(f"/m/{journey_map.pk}/").content.decode()
    assert 'class="comment-btn has-comments"' in html


def test_share_link_view_shows_no_comments(team: Team, journey_map: Map) -> None:
    add_comment(journey_map=journey_map, author=team.owner, target="item:ig", body="internal")
    link = create_share_link(journey_map=journey_map, user=team.owner)
    html = Client().get(f"/s/{link.token}/").content.decode()
    assert "comment-btn" not in html and "internal" not in html
