"""Problems of map documents in the reader's language: imports and refused edits."""

from __future__ import annotations

import re
from html import unescape as html_unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from web_factories import Team

from journeymap.map.io import parse_map
from journeymap.map.validation import MESSAGES, MapValidationError
from journeymap.web.accounts.services import create_api_token
from journeymap.web.maps.models import Map
from journeymap.web.maps.problem_text import PROBLEMS

# Wrong field by field (Pydantic's checks): a bad score, lane kind, field, id and empty title.
FIELDS_WRONG = """\
id: m
title: ""
stages:
  - {id: Pay, title: Pay}
lanes:
  - {id: feel, kind: feelings, title: Feel, colour: red}
cells:
  - lane: feel
    stage: pay
    items: [{id: e1, kind: emotion, text: Sad, score: 5}]
"""
# Wrong across fields: a second id, a lane that does not exist, an item in the wrong lane.
REFERENCES_WRONG = """\
id: m
title: M
stages:
  - {id: pay, title: Pay}
lanes:
  - {id: pay, kind: emotions, title: Feel}
cells:
  - lane: nope
    stage: pay
  - lane: pay
    stage: pay
    items: [{id: t1, kind: touchpoint, text: Ad}]
"""
PROBLEM_LINES = {
    "pl": [
        "m.yaml:2: title: nie może być puste",
        "m.yaml:4: stages[0].id: 'Pay' nie jest poprawnym identyfikatorem",
        "m.yaml:6: lanes[0].kind: musi być jednym z: 'goals', 'actions', ",
        "m.yaml:6: lanes[0].colour: nieznane pole",
        "m.yaml:10: cells[0].items[0].score: ocena emocji musi być od -2 (bardzo negatywna)"
        " do +2 (bardzo pozytywna) (podano 5)",
        "m.yaml:6: lanes[0].id: powtórzony identyfikator 'pay' (pierwszy raz użyty w stages[0])",
        "m.yaml:8: cells[0].lane: nieznana ścieżka 'nope'",
        "m.yaml:12: cells[1].items[0].kind: element typu 'touchpoint' nie może trafić do ścieżki"
        " 'pay' rodzaju 'emotions' (dozwolone: emotion)",
    ],
    "ru": [
        "m.yaml:2: title: не может быть пустым",
        "m.yaml:4: stages[0].id: 'Pay' — недопустимый идентификатор",
        "m.yaml:6: lanes[0].kind: должно быть одним из: 'goals', 'actions', ",
        "m.yaml:6: lanes[0].colour: неизвестное поле",
        "m.yaml:10: cells[0].items[0].score: оценка эмоции должна быть от -2 (очень негативная)"
        " до +2 (очень позитивная) (указано 5)",
        "m.yaml:6: lanes[0].id: повторяющийся идентификатор 'pay'"
        " (впервые использован в stages[0])",
        "m.yaml:8: cells[0].lane: неизвестная дорожка 'nope'",
        "m.yaml:12: cells[1].items[0].kind: элемент типа 'touchpoint' нельзя поместить в дорожку"
        " 'pay' вида 'emotions' (допустимо: emotion)",
    ],
}


def _problems(text: str) -> MapValidationError:
    with pytest.raises(MapValidationError) as caught:
        parse_map(text, source="m.yaml")
    return caught.value


def test_the_catalogue_says_in_english_what_the_map_package_says() -> None:
    assert {code: PROBLEMS[code] for code in MESSAGES} == MESSAGES


def test_every_problem_of_an_invalid_map_has_a_code_the_catalogue_knows() -> None:
    for text in (FIELDS_WRONG, REFERENCES_WRONG):
        problems = _problems(text).problems
        assert len(problems) >= 3
        assert [p.code for p in problems if p.code not in PROBLEMS] == []


def _import(client_as, team: Team, language: str, text: str) -> list[str]:
    client = client_as("editor", language=language)
    upload = SimpleUploadedFile("m.yaml", text.encode())
    response = client.post(f"/w/{team.workspace.pk}/import/", {"file": upload, "format": "yaml"})
    assert response.status_code == 400
    html = html_unescape(response.content.decode())
    shown = [html_unescape(p) for p in re.findall(r"<li><code>(.*?)</code></li>", html, re.S)]
    assert shown == response.context["problems"]
    return shown


@pytest.mark.django_db
def test_an_invalid_import_in_english_says_what_the_cli_says(client_as, team: Team) -> None:
    for text in (FIELDS_WRONG, REFERENCES_WRONG):
        assert _import(client_as, team, "en", text) == _problems(text).messages
    assert not Map.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["pl", "ru"])
def test_an_invalid_import_names_file_line_field_and_problem_in_the_readers_language(
    client_as, team: Team, language: str
) -> None:
    shown = _import(client_as, team, language, FIELDS_WRONG) + _import(
        client_as, team, language, REFERENCES_WRONG
    )
    for line in PROBLEM_LINES[language]:
        assert any(p.startswith(line) for p in shown), line
    assert len(shown) == len(PROBLEM_LINES[language])
    assert not Map.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "pasted", "too_big"),
    [
        (
            "en",
            "pasted text:2: YAML syntax error: ",
            "Input should be less than or equal to 1 (got 4)",
        ),
        ("pl", "wklejony tekst:2: błąd składni YAML: ", "musi wynosić co najwyżej 1 (podano 4)"),
        (
            "ru",
            "вставленный текст:2: синтаксическая ошибка YAML: ",
            "должно быть не больше 1 (указано 4)",
        ),
    ],
)
def test_pasted_text_and_persona_files_are_checked_in_the_readers_language(
    client_as, team: Team, language: str, pasted: str, too_big: str
) -> None:
    client = client_as("editor", language=language)
    response = client.post(
        f"/w/{team.workspace.pk}/import/", {"text": "id: [m\n", "format": "yaml"}
    )
    assert response.status_code == 400
    assert response.context["problems"][0].startswith(pasted)
    personas = SimpleUploadedFile("p.yaml", b"- {id: ola, name: Ola, size: 4}\n")
    response = client.post(f"/w/{team.workspace.pk}/personas/import/", {"file": personas})
    assert response.status_code == 400
    assert response.context["problems"] == [f"p.yaml:1: [0].size: {too_big}"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "kind", "channel", "severity"),
    [
        (
            "en",
            "an emotion score must be from -2 (very negative) to +2 (very positive) (got '7')",
            "Input should be 'web', 'mobile_app'",
            "unknown field",
        ),
        (
            "pl",
            "ocena emocji musi być od -2 (bardzo negatywna) do +2 (bardzo pozytywna) (podano '7')",
            "musi być jednym z: 'web', 'mobile_app'",
            "nieznane pole",
        ),
        (
            "ru",
            "оценка эмоции должна быть от -2 (очень негативная) до +2 (очень позитивная)"
            " (указано '7')",
            "должно быть одним из: 'web', 'mobile_app'",
            "неизвестное поле",
        ),
    ],
)
def test_a_refused_edit_names_the_validation_error_in_the_readers_language(
    client_as, team: Team, journey_map: Map, language: str, kind: str, channel: str, severity: str
) -> None:
    client = client_as("editor", language=language)
    panel = client.post(
        f"/m/{journey_map.pk}/edit/update_item/",
        {"revision": 1, "item": "e1", "text": "Sad", "score": "7"},
        HTTP_HX_REQUEST="true",
    )
    assert panel.status_code == 422 and kind in html_unescape(panel.content.decode())
    _token, key = create_api_token(user=team.editor, name="test")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE=language)
    url = f"/api/maps/{journey_map.pk}/operations"
    for fields, field, message in [
        ({"channel": "pigeon"}, "channel", channel),
        ({"severity": 2}, "severity", severity),
    ]:
        operation = {"op": "update_item", "item": "ig", "fields": fields}
        answer = api.post(url, {"revision": 1, "operation": operation}, "application/json")
        assert answer.status_code == 422
        assert answer.json()["errors"][field].startswith(message)
    journey_map.refresh_from_db()
    assert journey_map.revision == 1
