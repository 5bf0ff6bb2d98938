"""422 answers to requests that do not parse: ninja's structure, msg in the request's language."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from web_factories import Team

from journeymap.web.accounts.services import create_api_token
from journeymap.web.api.validation_text import validation_message
from journeymap.web.maps.models import Map

pytestmark = pytest.mark.django_db

MESSAGES = {
    "en": (
        "Field required",
        "String should have at most 300 characters",
        "Input should be a valid string",
    ),
    "pl": (
        "Pole jest wymagane",
        "Tekst jest za długi: maksymalna liczba znaków to 300",
        "Wartość powinna być tekstem",
    ),
    "ru": (
        "Обязательное поле",
        "Строка слишком длинная: максимальное число символов — 300",
        "Значение должно быть строкой",
    ),
}


def _bad_requests(team: Team, journey_map: Map, language: str | None) -> list[dict[str, Any]]:
    """The ``detail`` lists of an undo without a revision and a create with a bad title/language."""
    _token, key = create_api_token(user=team.editor, name="test")
    headers = {"HTTP_ACCEPT_LANGUAGE": language} if language else {}
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}", **headers)
    details = []
    for url, body in [
        (f"/api/maps/{journey_map.pk}/undo", {}),
        (f"/api/workspaces/{team.workspace.pk}/maps", {"title": "x" * 301, "language": 5}),
    ]:
        response = client.post(url, body, content_type="application/json")
        assert response.status_code == 422
        assert list(response.json()) == ["detail"]
        details.extend(response.json()["detail"])
    return details


@pytest.mark.parametrize("language", ["en", "pl", "ru"])
def test_parse_errors_keep_ninjas_structure_with_msg_in_the_request_language(
    team: Team, journey_map: Map, language: str
) -> None:
    plain = _bad_requests(team, journey_map, None)
    assert [(e["type"], e["loc"]) for e in plain] == [
        ("missing", ["body", "payload", "revision"]),
        ("string_too_long", ["body", "payload", "title"]),
        ("string_type", ["body", "payload", "language"]),
    ]
    assert [e["msg"] for e in plain] == list(MESSAGES["en"])
    assert plain[1]["ctx"] == {"max_length": 300}
    localized = _bad_requests(team, journey_map, language)
    assert [{**e, "msg": None} for e in localized] == [{**e, "msg": None} for e in plain]
    assert [e["msg"] for e in localized] == list(MESSAGES[language])


def test_a_type_outside_the_catalogue_keeps_pydantics_message() -> None:
    error = {"type": "uuid_parsing", "loc": ["body"], "msg": "Input should be a valid UUID"}
    with translation.override("pl"):
        assert validation_message(error) == "Input should be a valid UUID"


def test_a_message_without_its_context_values_keeps_pydantics_message() -> None:
    error = {"type": "string_too_long", "loc": ["body"], "msg": "String should have at most"}
    with translation.override("ru"):
        assert validation_message(error) == "String should have at most"
        assert validation_message({**error, "ctx": {"max_length": 2}}).endswith("— 2")
