"""API test fixtures: clients that send a member's API token."""

from __future__ import annotations

import pytest
from django.test import Client
from web_factories import Team

from journeymap.web.accounts.services import create_api_token


@pytest.fixture
def token_client(team: Team):
    """``token_client("viewer")``: a client sending the API token of the member with that role."""

    def client(role: str) -> Client:
        _token, key = create_api_token(user=getattr(team, role), name="test")
        return Client(HTTP_AUTHORIZATION=f"Bearer {key}")

    return client
