"""Share links: made by editors, read-only for anyone, revocable, expiring."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from web_factories import Team

from journeymap.web.maps.models import Map
from journeymap.web.sharing.models import ShareLink
from journeymap.web.sharing.services import create_share_link, revoke_share_link

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["owner", "editor"])
def test_editors_create_a_link_with_an_expiry(journey_map: Map, client_as, role: str) -> None:
    client = client_as(role)
    assert client.get(f"/m/{journey_map.pk}/share/").status_code == 200
    response = client.post(
        f"/m/{journey_map.pk}/share/", {"label": "Client", "expires_in_days": "7"}
    )
    assert response.status_code == 302
    link = ShareLink.objects.get(map=journey_map)
    assert link.label == "Client" and link.is_active
    assert dt.timedelta(days=6) < link.expires_at - timezone.now() <= dt.timedelta(days=7)


def test_share_form_with_a_bad_lifetime_names_the_field(journey_map: Map, client_as) -> None:
    response = client_as("editor").post(f"/m/{journey_map.pk}/share/", {"expires_in_days": "9999"})
    assert response.status_code == 400
    assert "expires_in_days" in response.context["form"].errors
    assert not ShareLink.objects.exists()


@pytest.mark.parametrize("role", ["commenter", "viewer"])
def test_readers_cannot_share_or_revoke(team: Team, journey_map: Map, client_as, role: str) -> None:
    link = create_share_link(journey_map=journey_map, user=team.owner)
    client = client_as(role)
    assert client.get(f"/m/{journey_map.pk}/share/").status_code == 403
    assert client.post(f"/m/{journey_map.pk}/share/", {"label": "x"}).status_code == 403
    assert client.post(f"/m/{journey_map.pk}/share/{link.pk}/revoke/").status_code == 403
    link.refresh_from_db()
    assert link.is_active and ShareLink.objects.count() == 1


def test_stranger_gets_404_on_the_share_page(team: Team, journey_map: Map, client_as) -> None:
    assert client_as("stranger").get(f"/m/{journey_map.pk}/share/").status_code == 404


def test_anyone_with_the_link_sees_the_map_read_only(team: Team, journey_map: Map) -> None:
    link = create_share_link(journey_map=journey_map, user=team.owner)
    response = Client().get(f"/s/{link.token}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Instagram ad" in html and "Read-only view" in html
    assert "can-edit" not in html and "hx-post" not in html and "hx-get" not in html
    assert team.workspace.name not in html  # nothing else of the workspace


def test_a_share_link_cannot_write(team: Team, journey_map: Map) -> None:
    link = create_share_link(journey_map=journey_map, user=team.owner)
    anonymous = Client()
    assert anonymous.post(f"/s/{link.token}/", {"title": "x"}).status_code == 405
    response = anonymous.post(f"/m/{journey_map.pk}/edit/add_stage/", {"title": "x", "revision": 1})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    api = anonymous.post(
        f"/api/maps/{journey_map.pk}/operations",
        {"revision": 1, "operation": {"op": "add_stage", "title": "x"}},
        content_type="application/json",
    )
    assert api.status_code == 401
    journey_map.refresh_from_db()
    assert journey_map.revision == 1


def test_revoked_and_expired_links_stop_working(team: Team, journey_map: Map, client_as) -> None:
    revoked = create_share_link(journey_map=journey_map, user=team.owner)
    client_as("editor").post(f"/m/{journey_map.pk}/share/{revoked.pk}/revoke/")
    revoked.refresh_from_db()
    assert revoked.revoked_at is not None
    assert Client().get(f"/s/{revoked.token}/").status_code == 404
    expired = create_share_link(journey_map=journey_map, user=team.owner, expires_in_days=1)
    ShareLink.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert Client().get(f"/s/{expired.token}/").status_code == 404
    assert Client().get("/s/unknown-token/").status_code == 404


def test_revoking_twice_keeps_the_first_time(team: Team, journey_map: Map) -> None:
    link = create_share_link(journey_map=journey_map, user=team.owner)
    first = revoke_share_link(link=link, user=team.owner).revoked_at
    assert revoke_share_link(link=link, user=team.owner).revoked_at == first


def test_the_editor_shows_the_share_button_only_to_those_who_may_share(
    journey_map: Map, client_as
) -> None:
    url = f"/m/{journey_map.pk}/share/"
    assert url in client_as("editor").get(f"/m/{journey_map.pk}/").content.decode()
    assert url not in client_as("viewer").get(f"/m/{journey_map.pk}/").content.decode()
