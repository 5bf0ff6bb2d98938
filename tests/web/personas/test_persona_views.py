"""Persona library pages and the editor's persona panel: every role, field errors, links
shown with the library's content in the editor, the shared view and every export."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook
from web_factories import Team

from journeymap.map.model import Persona, PersonaRef
from journeymap.web.jobs.services import start_export
from journeymap.web.jobs.tasks import render_export
from journeymap.web.maps.models import Map
from journeymap.web.maps.selectors import document_of
from journeymap.web.personas import services
from journeymap.web.personas.models import LibraryPersona
from journeymap.web.sharing.services import create_share_link

pytestmark = pytest.mark.django_db

MEMBERS = ["owner", "editor", "commenter", "viewer"]
WRITERS = ["owner", "editor"]
READERS = ["commenter", "viewer"]

ZOE = {
    "name": "Zoe Carter",
    "segment": "Students 18-25",
    "quote": "If checkout takes more than a minute, I'm gone.",
    "empathy": {
        "says": ["Where is BLIK?"],
        "thinks": ["Is this shop legit?"],
        "does": ["Compares prices"],
        "feels": ["Impatient"],
    },
}

FORM = {
    "name": "Max Weber",
    "initials": "MW",
    "segment": "Parents",
    "quote": "",
    "description": "",
    "demographics": "age: 35-44\ncity: Kraków",
    "goals": "Save time\n\nPay fast",
    "needs": "",
    "pains": "Slow delivery",
    "expectations": "",
    "motivations": "",
    "values": "",
    "channels": ["email", "web"],
    "media": "",
    "says": "I need it today",
    "thinks": "",
    "does": "Orders at night",
    "feels": "Tired",
    "size": "25",
}


@pytest.fixture
def zoe(team: Team) -> LibraryPersona:
    return services.create_persona(workspace=team.workspace, user=team.owner, data=ZOE)


@pytest.fixture
def linked(team: Team, journey_map: Map, zoe: LibraryPersona) -> Map:
    services.link_persona(
        map_id=journey_map.pk, user=team.owner, expected_revision=1, slug=zoe.slug
    )
    journey_map.refresh_from_db()
    return journey_map


def urls(team: Team, slug: str = "zoe-carter") -> dict[str, str]:
    base = f"/w/{team.workspace.pk}/personas/"
    return {
        "list": base,
        "create": f"{base}new/",
        "import": f"{base}import/",
        "detail": f"{base}{slug}/",
        "edit": f"{base}{slug}/edit/",
        "delete": f"{base}{slug}/delete/",
    }


@pytest.mark.parametrize("role", MEMBERS)
def test_every_member_sees_the_library_and_a_persona(
    team: Team, zoe: LibraryPersona, client_as, role: str
) -> None:
    client = client_as(role)
    page = client.get(urls(team)["list"]).content.decode()
    assert "Zoe Carter" in page and "Students 18-25" in page
    assert (f'href="/w/{team.workspace.pk}/personas/new/"' in page) is (role in WRITERS)
    detail = client.get(urls(team)["detail"]).content.decode()
    for text in ("Where is BLIK?", "Is this shop legit?", "Compares prices", "Impatient"):
        assert text in detail
    assert ("/edit/" in detail) is (role in WRITERS)


def test_workspace_nav_links_the_library(team: Team, client_as) -> None:
    page = client_as("viewer").get(f"/w/{team.workspace.pk}/").content.decode()
    assert f'href="/w/{team.workspace.pk}/personas/"' in page


@pytest.mark.parametrize("page", ["list", "create", "import", "detail", "edit", "delete"])
def test_stranger_gets_404_for_every_library_page(
    team: Team, zoe: LibraryPersona, client_as, page: str
) -> None:
    client = client_as("stranger")
    assert client.get(urls(team)[page]).status_code == 404
    if page not in ("list", "detail"):  # read-only pages answer POST with 405
        assert client.post(urls(team)[page], FORM).status_code == 404


def test_missing_persona_is_404(team: Team, client_as) -> None:
    assert client_as("owner").get(urls(team, "nobody")["detail"]).status_code == 404


@pytest.mark.parametrize("role", READERS)
@pytest.mark.parametrize("page", ["create", "import", "edit", "delete"])
def test_readers_cannot_change_the_library(
    team: Team, zoe: LibraryPersona, client_as, role: str, page: str
) -> None:
    client = client_as(role)
    assert client.get(urls(team)[page]).status_code == 403
    assert client.post(urls(team)[page], FORM).status_code == 403
    assert LibraryPersona.objects.get().name == "Zoe Carter"


@pytest.mark.parametrize("role", WRITERS)
def test_writers_create_a_persona_with_its_empathy_map(team: Team, client_as, role: str) -> None:
    response = client_as(role).post(urls(team)["create"], FORM)
    assert response.status_code == 302 and response["Location"] == urls(team, "max-weber")["detail"]
    entry = LibraryPersona.objects.get(slug="max-weber")
    persona = Persona.model_validate(entry.data)
    assert persona.demographics == {"age": "35-44", "city": "Kraków"}
    assert persona.goals == ["Save time", "Pay fast"]
    assert persona.empathy and persona.empathy.feels == ["Tired"]
    assert [c.value for c in persona.channels] == ["email", "web"] and persona.size == 0.25


def test_invalid_form_answers_422_with_field_errors_and_stores_nothing(
    team: Team, client_as
) -> None:
    bad = {**FORM, "name": "", "size": "150", "demographics": "no colon here"}
    response = client_as("editor").post(urls(team)["create"], bad)
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="id_name-error"' in page and 'id="id_size-error"' in page
    assert "Line 1: write" in page
    assert not LibraryPersona.objects.exists()


def test_model_errors_come_back_on_their_fields(team: Team, client_as) -> None:
    response = client_as("editor").post(urls(team)["create"], {**FORM, "initials": "ABCDE"})
    assert response.status_code == 422
    assert 'id="id_initials-error"' in response.content.decode()


@pytest.mark.parametrize(
    ("language", "message"),
    [("pl", "maksymalna liczba znaków: 4"), ("ru", "максимальное число символов: 4")],
)
def test_model_errors_are_in_the_readers_language(
    client_as, team: Team, language: str, message: str
) -> None:
    client = client_as("editor", language=language)
    response = client.post(urls(team)["create"], {**FORM, "initials": "ABCDE"})
    assert response.status_code == 422
    assert response.context["form"].errors["initials"] == [message]


def test_htmx_form_gets_the_partial_and_a_client_redirect(team: Team, client_as) -> None:
    client = client_as("editor")
    refused = client.post(urls(team)["create"], {**FORM, "name": ""}, HTTP_HX_REQUEST="true")
    page = refused.content.decode()
    assert refused.status_code == 422 and page.startswith('\n<form id="persona-form"')
    assert "<html" not in page
    saved = client.post(urls(team)["create"], FORM, HTTP_HX_REQUEST="true")
    assert saved["HX-Redirect"] == urls(team, "max-weber")["detail"]


def test_edit_shows_the_stored_values_and_saves_keeping_the_slug(
    team: Team, zoe: LibraryPersona, client_as
) -> None:
    client = client_as("editor")
    form = client.get(urls(team)["edit"]).content.decode()
    assert "Where is BLIK?</textarea>" in form and "Students 18-25" in form
    response = client.post(urls(team)["edit"], {**FORM, "name": "Zoe C."})
    assert response.status_code == 302
    zoe.refresh_from_db()
    assert (zoe.slug, zoe.name) == ("zoe-carter", "Zoe C.")


def test_delete_asks_then_deletes(team: Team, zoe: LibraryPersona, client_as) -> None:
    client = client_as("editor")
    assert "Delete for good" in client.get(urls(team)["delete"]).content.decode()
    response = client.post(urls(team)["delete"])
    assert response.status_code == 302 and not LibraryPersona.objects.exists()


def test_delete_of_a_linked_persona_is_refused_naming_the_maps(
    team: Team, linked: Map, client_as
) -> None:
    client = client_as("owner")
    page = client.get(urls(team)["delete"]).content.decode()
    assert "cannot be deleted" in page and f'href="/m/{linked.pk}/"' in page
    assert "Delete for good" not in page
    response = client.post(urls(team)["delete"])
    assert response.status_code == 409 and LibraryPersona.objects.exists()


def test_list_and_detail_count_the_maps_linking(team: Team, linked: Map, client_as) -> None:
    client = client_as("viewer")
    assert "Linked from 1 map" in client.get(urls(team)["list"]).content.decode()
    assert f'href="/m/{linked.pk}/">Demo</a>' in client.get(urls(team)["detail"]).content.decode()


def test_import_of_persona_drafts(team: Team, client_as) -> None:
    text = b"personas:\n  - {id: segment-1, name: Loyal buyers, data_backed: true}\n"
    upload = SimpleUploadedFile("personas.yaml", text)
    response = client_as("editor").post(urls(team)["import"], {"file": upload})
    assert response.status_code == 302
    assert LibraryPersona.objects.get().slug == "segment-1"


def test_invalid_import_names_file_and_line(team: Team, client_as, settings) -> None:
    client = client_as("editor")
    upload = SimpleUploadedFile("p.yaml", b"personas:\n  - {name: A, size: 3}\n")
    response = client.post(urls(team)["import"], {"file": upload})
    assert response.status_code == 400
    assert "p.yaml:2: personas[0].size" in response.content.decode()
    settings.JOURNEYMAP_MAX_IMPORT_BYTES = 10
    big = SimpleUploadedFile("p.yaml", b"personas:\n  - {name: A}\n")
    assert "too big" in client.post(urls(team)["import"], {"file": big}).content.decode()
    foreign = SimpleUploadedFile("p.txt", b"x")
    settings.JOURNEYMAP_MAX_IMPORT_BYTES = 1000
    assert (
        ".yaml, .yml or .json"
        in client.post(urls(team)["import"], {"file": foreign}).content.decode()
    )
    assert not LibraryPersona.objects.exists()


# The editor: panel, link, unlink, undo, move to the library.


@pytest.mark.parametrize("role", MEMBERS)
def test_every_member_opens_the_persona_panel(
    linked: Map, zoe: LibraryPersona, client_as, role: str
) -> None:
    response = client_as(role).get(f"/m/{linked.pk}/personas/", HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200 and response["HX-Retarget"] == "#panel"
    assert "Where is BLIK?" in page and "Ola Nowak" in page
    assert ("unlink_persona" in page) is (role in WRITERS)


def test_stranger_gets_404_for_the_panel_and_the_persona_edits(linked: Map, client_as) -> None:
    client = client_as("stranger")
    assert client.get(f"/m/{linked.pk}/personas/").status_code == 404
    assert (
        client.post(f"/m/{linked.pk}/personas/to-library/", {"persona": "ola"}).status_code == 404
    )
    link = {"revision": 2, "ref": "zoe-carter"}
    assert client.post(f"/m/{linked.pk}/edit/link_persona/", link).status_code == 404


@pytest.mark.parametrize("role", READERS)
def test_readers_cannot_link_unlink_or_move(linked: Map, client_as, role: str) -> None:
    client = client_as(role)
    unlink = {"revision": 2, "persona": "zoe-carter"}
    assert client.post(f"/m/{linked.pk}/edit/unlink_persona/", unlink).status_code == 403
    move = {"revision": 2, "persona": "ola"}
    assert client.post(f"/m/{linked.pk}/personas/to-library/", move).status_code == 403
    linked.refresh_from_db()
    assert linked.revision == 2


def test_editor_links_a_persona_sees_it_and_undoes(
    journey_map: Map, zoe: LibraryPersona, client_as
) -> None:
    client = client_as("editor")
    panel = client.get(f"/m/{journey_map.pk}/personas/", HTTP_HX_REQUEST="true").content.decode()
    assert '<option value="zoe-carter">Zoe Carter</option>' in panel
    response = client.post(
        f"/m/{journey_map.pk}/edit/link_persona/",
        {"revision": 1, "ref": "zoe-carter"},
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert response.status_code == 200 and "linked persona &#x27;Zoe Carter&#x27;" in page
    assert "Students 18-25" in page  # the chip shows the library persona's segment
    client.post(f"/m/{journey_map.pk}/undo/", {"revision": 2}, HTTP_HX_REQUEST="true")
    assert [p.id for p in document_of(Map.objects.get(pk=journey_map.pk)).personas] == [
        "ola",
        "lib",
    ]


def test_linking_an_unknown_or_linked_persona_answers_422(linked: Map, client_as) -> None:
    client = client_as("editor")
    unknown = client.post(f"/m/{linked.pk}/edit/link_persona/", {"revision": 2, "ref": "nobody"})
    assert unknown.status_code == 422
    assert "the persona library has no persona &#x27;nobody&#x27;" in unknown.content.decode()
    again = client.post(f"/m/{linked.pk}/edit/link_persona/", {"revision": 2, "ref": "zoe-carter"})
    assert again.status_code == 422 and "already linked" in again.content.decode()


def test_editor_unlinks_a_persona(linked: Map, client_as) -> None:
    response = client_as("editor").post(
        f"/m/{linked.pk}/edit/unlink_persona/", {"revision": 2, "persona": "zoe-carter"}
    )
    assert response.status_code == 302
    assert [p.id for p in document_of(Map.objects.get(pk=linked.pk)).personas] == ["ola", "lib"]


def test_editor_moves_a_map_persona_to_the_library(journey_map: Map, client_as) -> None:
    client = client_as("editor")
    response = client.post(
        f"/m/{journey_map.pk}/personas/to-library/",
        {"revision": 1, "persona": "ola"},
        HTTP_HX_REQUEST="true",
    )
    assert response["HX-Redirect"] == f"/m/{journey_map.pk}/"
    assert LibraryPersona.objects.get().slug == "ola"
    assert isinstance(document_of(Map.objects.get(pk=journey_map.pk)).personas[0], PersonaRef)


def test_move_with_a_stale_revision_or_a_link_is_refused_in_the_panel(
    journey_map: Map, client_as
) -> None:
    client = client_as("editor")
    url = f"/m/{journey_map.pk}/personas/to-library/"
    stale = client.post(url, {"revision": 9, "persona": "ola"}, HTTP_HX_REQUEST="true")
    assert stale.status_code == 409 and "Someone else changed this map" in stale.content.decode()
    link = client.post(url, {"revision": 1, "persona": "lib"}, HTTP_HX_REQUEST="true")
    assert link.status_code == 422 and "no embedded persona" in link.content.decode()
    no_revision = client.post(url, {"persona": "ola"}, HTTP_HX_REQUEST="true")
    assert no_revision.status_code == 422
    assert not LibraryPersona.objects.exists()


# What people see and download shows the library's content.


def test_shared_view_shows_the_library_persona(team: Team, linked: Map) -> None:
    link = create_share_link(journey_map=linked, user=team.owner, label="client")
    page = Client().get(f"/s/{link.token}/").content.decode()
    assert "Zoe Carter" in page and "Students 18-25" in page
    assert "/personas/" not in page  # no way into the workspace


def test_markdown_and_html_exports_show_the_library_persona(linked: Map, client_as) -> None:
    client = client_as("viewer")
    markdown = client.get(f"/m/{linked.pk}/export/md/").content.decode()
    assert "### Zoe Carter" in markdown and "Where is BLIK?" in markdown
    html = client.get(f"/m/{linked.pk}/export/html/").content.decode()
    assert "Zoe Carter" in html and "Students 18-25" in html and "Impatient" in html


def test_xlsx_export_shows_the_library_persona(linked: Map, client_as) -> None:
    client = client_as("viewer")
    book = load_workbook(io.BytesIO(client.get(f"/m/{linked.pk}/export/xlsx/").content))
    cells = [
        str(c)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for c in row
    ]
    assert any("Zoe Carter (Students 18-25;" in c for c in cells)


def test_yaml_export_keeps_the_link(linked: Map, client_as) -> None:
    text = client_as("viewer").get(f"/m/{linked.pk}/export/yaml/").content.decode()
    assert "ref: zoe-carter" in text and "Where is BLIK?" not in text


@pytest.mark.parametrize("fmt", ["pdf", "png"])
def test_picture_exports_are_made_from_the_resolved_map(
    linked: Map, client_as, monkeypatch, fmt: str
) -> None:
    seen: list[object] = []

    def fake_render(doc, fmt, options=None):  # type: ignore[no-untyped-def]
        seen.append(doc.personas[-1])
        return b"file"

    monkeypatch.setattr("journeymap.web.maps.exports.render_bytes", fake_render)
    assert client_as("viewer").get(f"/m/{linked.pk}/export/{fmt}/").content == b"file"
    assert isinstance(seen[0], Persona) and seen[0].quote == ZOE["quote"]


def test_background_export_jobs_are_made_from_the_resolved_map(
    team: Team, linked: Map, monkeypatch
) -> None:
    seen: list[object] = []

    def fake_render(doc, fmt, options=None):  # type: ignore[no-untyped-def]
        seen.append(doc.personas[-1])
        return b"file"

    monkeypatch.setattr("journeymap.web.maps.exports.render_bytes", fake_render)
    job = start_export(journey_map=linked, user=team.viewer, fmt="pdf")
    render_export.call(job.pk)
    assert isinstance(seen[0], Persona) and seen[0].name == "Zoe Carter"
