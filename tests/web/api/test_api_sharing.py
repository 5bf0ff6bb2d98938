"""Share links through the API: editors and owners list, create and revoke; others cannot."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from web_factories import Team

from journeymap.web.maps.models import Map
from journeymap.web.sharing.models import ShareLink
from journeymap.web.sharing.services import create_share_link

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["owner", "editor"])
def test_sharers_create_list_and_revoke(journey_map: Map, token_client, role: str) -> None:
    client = token_client(role)
    url = f"/api/maps/{journey_map.pk}/share-links"
    created = client.post(url, {"label": "Client", "expires_in_days": 7}, "application/json")
    assert created.status_code == 201
    link = created.json()
    assert link["label"] == "Client" and link["active"] is True
    expires = dt.datetime.fromisoformat(link["expires_at"])
    assert abs(expires - timezone.now() - dt.timedelta(days=7)) < dt.timedelta(minutes=1)
    assert link["url"].startswith("http://testserver/s/")
    assert Client().get(link["url"]).status_code == 200
    assert [x["id"] for x in client.get(url).json()] == [link["id"]]
    revoked = client.post(f"{url}/{link['id']}/revoke")
    assert revoked.status_code == 200 and revoked.json()["active"] is False
    assert Client().get(link["url"]).status_code == 404


def test_a_link_without_expiry_never_expires(journey_map: Map, token_client) -> None:
    response = token_client("editor").post(
        f"/api/maps/{journey_map.pk}/share-links", {}, "application/json"
    )
    assert response.status_code == 201 and response.json()["expires_at"] is None


@pytest.mark.parametrize("days", [0, 366])
def test_expiry_out_of_range_is_a_field_error(journey_map: Map, token_client, days: int) -> None:
    response = token_client("editor").post(
        f"/api/maps/{journey_map.pk}/share-links", {"expires_in_days": days}, "application/json"
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "expires_in_days"
    assert not ShareLink.objects.exists()


@pytest.mark.parametrize("role", ["commenter", "viewer"])
def test_readers_cannot_see_create_or_revoke_links(
    team: Team, journey_map: Map, token_client, role: str
) -> None:
    link = create_share_link(journey_map=journey_map, user=team.owner)
    client = token_client(role)
    url = f"/api/maps/{journey_map.pk}/share-links"
    assert client.get(url).status_code == 403
    assert client.post(url, {}, "application/json").status_code == 403
    assert client.post(f"{url}/{link.pk}/revoke").status_code == 403
    link.refresh_from_db()
    assert link.is_active and ShareLink.objects.count() == 1


def test_stranger_gets_404(team: Team, journey_map: Map, token_client) -> None:
    link = create_share_link(journey_map=journey_map, user=team.owner)
    client = token_client("stranger")
    url = f"/api/maps/{journey_map.pk}/share-links"
    assert client.get(url).status_code == 404
    assert client.post(url, {}, "application/json").status_code == 404
    assert client.post(f"{url}/{link.pk}/revoke").status_code == 404
