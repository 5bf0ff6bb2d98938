"""The UI in English, Polish and Russian: a switcher, complete catalogs, compiled .mo files."""

from __future__ import annotations

import gettext
import re
import sys
from html import unescape as html_unescape
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation
from web_factories import Team

from journeymap.web.accounts.services import create_api_token
from journeymap.web.comments.services import add_comment
from journeymap.web.maps.models import Map, MapChange
from journeymap.web.maps.operations import AddItem, AddStage, MoveLane
from journeymap.web.maps.services import edit_map
from journeymap.web.sharing.services import create_share_link
from journeymap.web.summaries import Summary, gettext_noop, translate_summary

LOCALE = Path(__file__).resolve().parents[2] / "src" / "journeymap" / "web" / "locale"


def _quoted(lines: list[str]) -> str:
    """The text of a keyword's quoted string and its continuation lines."""
    return "".join(re.findall(r'"(.*)"$', "\n".join(lines), re.M))


def _po_catalog(language: str) -> list[tuple[str, list[str], set[str]]]:
    """Every entry of a .po file (but the header): msgid, its msgstr forms and its flags."""
    text = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    catalog = []
    for block in re.split(r"\n\s*\n", text.strip()):
        flags: set[str] = set()
        fields: dict[str, list[str]] = {}
        key = ""
        for line in block.splitlines():
            if line.startswith("#,"):
                flags |= {f.strip() for f in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                fields[key].append(line)
            else:
                key, _, rest = line.partition(" ")
                fields[key] = [rest]
        msgid = _quoted(fields.get("msgid", []))
        forms = [_quoted(v) for k, v in fields.items() if k.startswith("msgstr")]
        if msgid:
            catalog.append((msgid, forms, flags))
    return catalog


def _po_entries(language: str) -> dict[str, list[str]]:
    return {msgid: forms for msgid, forms, _flags in _po_catalog(language)}


@pytest.mark.parametrize("language", ["pl", "ru"])
def test_every_message_is_translated(language: str) -> None:
    entries = _po_entries(language)
    assert len(entries) > 300
    untranslated = [msgid for msgid, forms in entries.items() if not forms or not all(forms)]
    assert untranslated == []


@pytest.mark.parametrize("language", ["pl", "ru"])
def test_no_message_is_fuzzy(language: str) -> None:
    fuzzy = [msgid for msgid, _forms, flags in _po_catalog(language) if "fuzzy" in flags]
    assert fuzzy == []


def test_the_catalog_reader_sees_wrapped_fuzzy_and_plural_entries(tmp_path, monkeypatch) -> None:
    po = tmp_path / "xx" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: xx\\n"\n\n'
        'msgid ""\n"A long "\n"text"\nmsgstr ""\n"Ein langer "\n"Text"\n\n'
        '#, fuzzy, python-format\nmsgid "%(n)d map"\nmsgid_plural "%(n)d maps"\n'
        'msgstr[0] "%(n)d Karte"\nmsgstr[1] ""\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(sys.modules[__name__], "LOCALE", tmp_path)
    assert _po_catalog("xx") == [
        ("A long text", ["Ein langer Text"], set()),
        ("%(n)d map", ["%(n)d Karte", ""], {"fuzzy", "python-format"}),
    ]


@pytest.mark.parametrize("language", ["pl", "ru"])
def test_compiled_catalog_matches_the_po_file(language: str) -> None:
    with (LOCALE / language / "LC_MESSAGES" / "django.mo").open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    assert catalog.gettext("Workspaces") != "Workspaces"
    assert catalog.gettext("Every change is saved at once") != "Every change is saved at once"
    mo_ids = {key if isinstance(key, str) else key[0] for key in catalog._catalog}  # type: ignore[attr-defined]
    po_ids = {msgid for msgid in _po_entries(language)}
    assert po_ids <= mo_ids | {""}, "run compilemessages: the .mo file is older than the .po file"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading", "maps"),
    [
        ("en", "Your workspaces", "1 map"),
        ("pl", "Twoje przestrzenie", "1 mapa"),
        ("ru", "Ваши пространства", "1 карта"),
    ],
)
def test_the_switcher_sets_the_language_of_the_pages(
    team: Team, journey_map: Map, language: str, heading: str, maps: str
) -> None:
    client = Client()
    client.force_login(team.owner)
    response = client.post("/i18n/setlang/", {"language": language, "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert heading in html and maps in html
    assert f'<html lang="{language}">' in html


@pytest.mark.django_db
def test_editor_in_russian_formats_dates_and_labels(
    client_as, team: Team, journey_map: Map
) -> None:
    client = client_as("viewer", language="ru")
    html = client.get(f"/w/{team.workspace.pk}/").content.decode()
    assert "Изменено" in html
    editor = client.get(f"/m/{journey_map.pk}/").content.decode()
    assert "Сохранено · ревизия 1" in editor and "Точки контакта" in editor


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "created", "added", "commented", "shared"),
    [
        ("en", "created map 'Demo'", "Demo: added stage 'Use'", "Demo: commented on Pay", "shared"),
        (
            "pl",
            "utworzono mapę 'Demo'",
            "Demo: dodano etap 'Use'",
            "Demo: nowy komentarz: Pay",
            "udostępniono mapę 'Demo'",
        ),
        (
            "ru",
            "создана карта 'Demo'",
            "Demo: добавлен этап 'Use'",
            "Demo: новый комментарий: Pay",
            "открыт доступ к карте 'Demo'",
        ),
    ],
)
def test_the_activity_log_is_shown_in_the_readers_language(
    client_as,
    team: Team,
    journey_map: Map,
    language: str,
    created: str,
    added: str,
    commented: str,
    shared: str,
) -> None:
    edit_map(
        map_id=journey_map.pk,
        user=team.editor,
        expected_revision=1,
        operation=AddStage(op="add_stage", title="Use"),
    )
    add_comment(journey_map=journey_map, author=team.editor, target="stage:pay", body="?")
    create_share_link(journey_map=journey_map, user=team.owner)
    client = client_as("viewer", language=language)
    html = html_unescape(client.get(f"/w/{team.workspace.pk}/activity/").content.decode())
    for text in (created, added, commented, shared):
        assert text in html
    api = client.get(f"/api/workspaces/{team.workspace.pk}/activity").json()
    assert api[0]["summary"].startswith(shared) and api[-2]["summary"] == created


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "toast"),
    [
        ("en", "added touchpoint 'Flyer'"),
        ("pl", "dodano: punkt styku 'Flyer'"),
        ("ru", "добавлено: точка контакта 'Flyer'"),
    ],
)
def test_the_edit_toast_is_in_the_editors_language(
    client_as, journey_map: Map, language: str, toast: str
) -> None:
    client = client_as("editor", language=language)
    response = client.post(
        f"/m/{journey_map.pk}/edit/add_item/",
        {"revision": 1, "lane": "tp", "stage": "pay", "kind": "touchpoint", "text": "Flyer"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert toast in html_unescape(response.content.decode())


def test_old_log_lines_and_nested_summaries_translate() -> None:
    summary = Summary(
        gettext_noop("changed the map's %(fields)s"),
        fields=[Summary(gettext_noop("title")), Summary(gettext_noop("goal"))],
    )
    assert summary == "changed the map's title, goal"
    with translation.override("pl"):
        assert translate_summary(summary.to_data()) == "zmieniono w mapie: tytuł, cel"
        assert (
            translate_summary("an English line written before") == "an English line written before"
        )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "the map has no item 'nope'"),
        ("pl", "mapa nie ma elementu 'nope'"),
        ("ru", "в карте нет элемента 'nope'"),
    ],
)
def test_a_refused_edit_says_why_in_the_request_language(
    team: Team, journey_map: Map, language: str, message: str
) -> None:
    _token, key = create_api_token(user=team.editor, name="test")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE=language)
    body = {"revision": 1, "operation": {"op": "delete_item", "item": "nope"}}
    response = client.post(
        f"/api/maps/{journey_map.pk}/operations", body, content_type="application/json"
    )
    assert response.status_code == 422 and response.json()["errors"] == {"item": message}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "lines"),
    [
        (
            "en",
            [
                "stage 'use' (Use) added at position 3",
                "lane 'tp' moved: position 1 -> 2",
                "touchpoint 'flyer' ('Flyer') added in lane 'tp' at stage 'pay'",
            ],
        ),
        (
            "pl",
            [
                "dodano: etap 'use' (Use) na pozycji 3",
                "przeniesiono: ścieżka 'tp': pozycja 1 → 2",
                "dodano: punkt styku 'flyer' (Flyer) w ścieżce 'tp', etap 'pay'",
            ],
        ),
        (
            "ru",
            [
                "добавлено: этап 'use' (Use) на позицию 3",
                "перемещено: дорожка 'tp': позиция 1 → 2",
                "добавлено: точка контакта 'flyer' (Flyer) в дорожку 'tp', этап 'pay'",
            ],
        ),
    ],
)
def test_the_versions_diff_is_in_the_readers_language(
    client_as, team: Team, journey_map: Map, language: str, lines: list[str]
) -> None:
    operations = [
        AddStage(op="add_stage", title="Use"),
        MoveLane(op="move_lane", lane="tp", position=1),
        AddItem(op="add_item", lane="tp", stage="pay", kind="touchpoint", text="Flyer"),
    ]
    for revision, operation in enumerate(operations, start=1):
        edit_map(
            map_id=journey_map.pk,
            user=team.editor,
            expected_revision=revision,
            operation=operation,
        )
    client = client_as("viewer", language=language)
    html = html_unescape(client.get(f"/m/{journey_map.pk}/versions/?a=1").content.decode())
    for line in lines:
        assert line in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "undid", "undid_old"),
    [
        ("en", "undid: added stage 'Use'", "undid: added stage 'Old'"),
        ("pl", "cofnięto: dodano etap 'Use'", "cofnięto: added stage 'Old'"),
        ("ru", "отменено: добавлен этап 'Use'", "отменено: added stage 'Old'"),
    ],
)
def test_an_undo_names_the_undone_edit_in_the_readers_language(
    client_as, team: Team, journey_map: Map, language: str, undid: str, undid_old: str
) -> None:
    for revision, title in enumerate(["Old", "Use"], start=1):
        edit_map(
            map_id=journey_map.pk,
            user=team.editor,
            expected_revision=revision,
            operation=AddStage(op="add_stage", title=title),
        )
    # An edit stored before summaries were kept translatable has only its English text.
    MapChange.objects.filter(map=journey_map, revision=2).update(summary_data={})
    client = client_as("editor", language=language)
    for revision, toast in [(3, undid), (4, undid_old)]:
        response = client.post(
            f"/m/{journey_map.pk}/undo/", {"revision": revision}, HTTP_HX_REQUEST="true"
        )
        assert response.status_code == 200
        assert toast in html_unescape(response.content.decode())
    html = html_unescape(client.get(f"/w/{team.workspace.pk}/activity/").content.decode())
    assert f"Demo: {undid}" in html and f"Demo: {undid_old}" in html
