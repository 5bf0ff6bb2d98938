"""Map pages: list, blank, template gallery, import, duplicate, archive, delete, export."""

from __future__ import annotations

import json
from html import unescape as html_unescape

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from web_factories import Team

from journeymap.web.maps.models import Map
from journeymap.web.maps.selectors import document_of, shipped_templates

pytestmark = pytest.mark.django_db

ROLES = ["owner", "editor", "commenter", "viewer"]
CREATORS = ["owner", "editor"]
READERS = ["commenter", "viewer"]


@pytest.mark.parametrize("role", ROLES)
def test_every_member_lists_the_maps(team: Team, journey_map: Map, client_as, role: str) -> None:
    response = client_as(role).get(f"/w/{team.workspace.pk}/")
    assert response.status_code == 200
    assert list(response.context["maps"]) == [journey_map]


def test_archived_maps_are_listed_apart(team: Team, journey_map: Map, client_as) -> None:
    client = client_as("editor")
    assert client.post(f"/m/{journey_map.pk}/archive/").status_code == 302
    assert list(client.get(f"/w/{team.workspace.pk}/").context["maps"]) == []
    assert list(client.get(f"/w/{team.workspace.pk}/?archived=1").context["maps"]) == [journey_map]
    client.post(f"/m/{journey_map.pk}/archive/", {"restore": "1"})
    assert list(client.get(f"/w/{team.workspace.pk}/").context["maps"]) == [journey_map]


@pytest.mark.parametrize("role", CREATORS)
def test_creators_create_a_blank_map(team: Team, client_as, role: str) -> None:
    response = client_as(role).post(
        f"/w/{team.workspace.pk}/", {"title": "Onboarding", "language": "en"}
    )
    journey_map = Map.objects.get(title="Onboarding")
    assert response["Location"] == f"/m/{journey_map.pk}/"


def test_blank_map_without_title_is_a_field_error(team: Team, client_as) -> None:
    response = client_as("editor").post(f"/w/{team.workspace.pk}/", {"title": "", "language": "xx"})
    assert response.status_code == 400
    assert {"title", "language"} <= set(response.context["form"].errors)


@pytest.mark.parametrize("role", READERS)
def test_readers_cannot_create_maps(team: Team, client_as, role: str) -> None:
    client = client_as(role)
    ws = team.workspace.pk
    assert client.post(f"/w/{ws}/", {"title": "X", "language": "en"}).status_code == 403
    template = shipped_templates()[0]
    response = client.post(f"/w/{ws}/templates/", {"template": template.id, "language": "en"})
    assert response.status_code == 403
    assert client.get(f"/w/{ws}/import/").status_code == 403
    assert not Map.objects.exists()


def test_gallery_previews_templates_in_the_chosen_language(team: Team, client_as) -> None:
    response = client_as("viewer").get(f"/w/{team.workspace.pk}/templates/?lang=pl")
    assert response.status_code == 200
    cards = response.context["cards"]
    assert len(cards) == len(shipped_templates())
    for card in cards:
        assert card.language == ("pl" if "pl" in card.info.languages else card.info.languages[0])


def test_creating_from_a_template_copies_it_in_the_language(team: Team, client_as) -> None:
    template = next(t for t in shipped_templates() if len(t.languages) > 1)
    language = template.languages[1]
    response = client_as("editor").post(
        f"/w/{team.workspace.pk}/templates/", {"template": template.id, "language": language}
    )
    assert response.status_code == 302
    journey_map = Map.objects.get()
    assert journey_map.template == template.id
    assert document_of(journey_map).language == language


def test_unknown_template_is_refused_with_the_known_ones(team: Team, client_as) -> None:
    response = client_as("editor").post(
        f"/w/{team.workspace.pk}/templates/", {"template": "nope", "language": "en"}
    )
    assert response.status_code == 400
    assert "unknown template 'nope'" in response.context["error"]


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("pl", "nieznany szablon 'nope'; dostępne: "),
        ("ru", "неизвестный шаблон 'nope'; доступны: "),
    ],
)
def test_unknown_template_is_refused_in_the_readers_language(
    client_as, team: Team, language: str, message: str
) -> None:
    client = client_as("editor", language=language)
    response = client.post(
        f"/w/{team.workspace.pk}/templates/", {"template": "nope", "language": "en"}
    )
    assert response.status_code == 400
    known = ", ".join(info.id for info in shipped_templates())
    assert response.context["error"] == message + known
    assert message + known in html_unescape(response.content.decode())


def test_import_of_an_uploaded_yaml_file_creates_the_map(team: Team, client_as) -> None:
    upload = SimpleUploadedFile("m.yaml", b"id: imported\ntitle: Imported\n")
    response = client_as("editor").post(
        f"/w/{team.workspace.pk}/import/", {"file": upload, "format": "yaml"}
    )
    assert response.status_code == 302
    assert Map.objects.get().title == "Imported"


def test_import_of_pasted_json(team: Team, client_as) -> None:
    text = json.dumps({"id": "j", "title": "From JSON"})
    response = client_as("editor").post(
        f"/w/{team.workspace.pk}/import/", {"text": text, "format": "json"}
    )
    assert response.status_code == 302
    assert Map.objects.get().title == "From JSON"


def test_invalid_import_names_the_file_and_line(team: Team, client_as) -> None:
    upload = SimpleUploadedFile(
        "broken.yaml", b"id: m\ntitle: T\nlanes:\n  - id: l\n    kind: feelings\n    title: L\n"
    )
    response = client_as("editor").post(
        f"/w/{team.workspace.pk}/import/", {"file": upload, "format": "yaml"}
    )
    assert response.status_code == 400
    assert any(p.startswith("broken.yaml:5: lanes[0].kind:") for p in response.context["problems"])
    assert b"broken.yaml:5" in response.content
    assert not Map.objects.exists()


def test_import_refuses_a_too_big_or_foreign_file(team: Team, client_as, settings) -> None:
    settings.JOURNEYMAP_MAX_IMPORT_BYTES = 10
    client = client_as("editor")
    url = f"/w/{team.workspace.pk}/import/"
    big = SimpleUploadedFile("m.yaml", b"id: m\ntitle: A long title\n")
    response = client.post(url, {"file": big, "format": "yaml"})
    assert response.status_code == 400 and "too big" in str(response.context["form"].errors["file"])
    settings.JOURNEYMAP_MAX_IMPORT_BYTES = 10_000
    response = client.post(url, {"file": SimpleUploadedFile("m.txt", b"x"), "format": "yaml"})
    assert "file" in response.context["form"].errors
    response = client.post(url, {"format": "yaml"})
    assert response.context["form"].non_field_errors()


def test_import_of_non_utf8_is_refused(team: Team, client_as) -> None:
    upload = SimpleUploadedFile("m.yaml", "title: zażółć".encode("utf-16"))
    response = client_as("editor").post(
        f"/w/{team.workspace.pk}/import/", {"file": upload, "format": "yaml"}
    )
    assert response.status_code == 400
    assert "not UTF-8" in response.context["problems"][0]


@pytest.mark.parametrize("role", CREATORS)
def test_duplicate_opens_the_copy(journey_map: Map, client_as, role: str) -> None:
    response = client_as(role).post(f"/m/{journey_map.pk}/duplicate/")
    copy = Map.objects.exclude(pk=journey_map.pk).get()
    assert response["Location"] == f"/m/{copy.pk}/" and copy.title == "Demo (copy)"


@pytest.mark.parametrize("role", READERS)
def test_readers_cannot_duplicate_or_archive(journey_map: Map, client_as, role: str) -> None:
    client = client_as(role)
    assert client.post(f"/m/{journey_map.pk}/duplicate/").status_code == 403
    assert client.post(f"/m/{journey_map.pk}/archive/").status_code == 403
    journey_map.refresh_from_db()
    assert journey_map.archived_at is None and Map.objects.count() == 1


def test_owner_deletes_after_confirmation(team: Team, journey_map: Map, client_as) -> None:
    client = client_as("owner")
    response = client.get(f"/m/{journey_map.pk}/delete/")
    assert response.status_code == 200 and b"Delete for good" in response.content
    assert Map.objects.filter(pk=journey_map.pk).exists()
    response = client.post(f"/m/{journey_map.pk}/delete/")
    assert response["Location"] == f"/w/{team.workspace.pk}/"
    assert not Map.objects.filter(pk=journey_map.pk).exists()


@pytest.mark.parametrize("role", ["editor", "commenter", "viewer"])
def test_only_owners_delete_maps(journey_map: Map, client_as, role: str) -> None:
    client = client_as(role)
    assert client.get(f"/m/{journey_map.pk}/delete/").status_code == 403
    assert client.post(f"/m/{journey_map.pk}/delete/").status_code == 403
    assert Map.objects.filter(pk=journey_map.pk).exists()


@pytest.mark.parametrize(
    "url", ["/m/{m}/", "/m/{m}/export/yaml/", "/m/{m}/panel/map/", "/m/{m}/delete/"]
)
def test_stranger_gets_404_for_map_pages(journey_map: Map, client_as, url: str) -> None:
    assert client_as("stranger").get(url.format(m=journey_map.pk)).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/m/{m}/duplicate/",
        "/m/{m}/archive/",
        "/m/{m}/delete/",
        "/m/{m}/undo/",
        "/m/{m}/edit/add_stage/",
    ],
)
def test_stranger_gets_404_for_map_actions(journey_map: Map, client_as, url: str) -> None:
    response = client_as("stranger").post(
        url.format(m=journey_map.pk), {"title": "x", "revision": 1}
    )
    assert response.status_code == 404
    journey_map.refresh_from_db()
    assert journey_map.revision == 1


def test_missing_map_is_404(client_as) -> None:
    assert client_as("owner").get("/m/999999/").status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_every_member_exports_yaml_and_json(journey_map: Map, client_as, role: str) -> None:
    client = client_as(role)
    response = client.get(f"/m/{journey_map.pk}/export/yaml/")
    assert response["Content-Disposition"] == 'attachment; filename="demo.yaml"'
    assert yaml.safe_load(response.content)["title"] == "Demo"
    response = client.get(f"/m/{journey_map.pk}/export/json/")
    assert json.loads(response.content)["stages"][0]["id"] == "discover"


@pytest.mark.parametrize(
    ("fmt", "magic"),
    [
        ("html", b"<!"),
        ("pdf", b"%PDF"),
        ("png", b"\x89PNG"),
        ("xlsx", b"PK"),
        ("md", b"#"),
        ("csv", b""),
    ],
)
def test_rendered_exports_come_from_the_renderer(
    journey_map: Map, client_as, fmt: str, magic: bytes
) -> None:
    response = client_as("viewer").get(f"/m/{journey_map.pk}/export/{fmt}/")
    assert response.status_code == 200
    assert response.content.lstrip().startswith(magic) and len(response.content) > 20


def test_unknown_export_format_is_404(journey_map: Map, client_as) -> None:
    assert client_as("owner").get(f"/m/{journey_map.pk}/export/docx/").status_code == 404
