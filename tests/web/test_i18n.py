"""The UI in English, Polish and Russian: a switcher, complete catalogs, compiled .mo files."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from django.test import Client
from web_factories import Team

from journeymap.web.maps.models import Map

LOCALE = Path(__file__).resolve().parents[2] / "src" / "journeymap" / "web" / "locale"


def _po_entries(language: str) -> dict[str, list[str]]:
    text = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    entries: dict[str, list[str]] = {}
    for block in text.split("\n\n")[1:]:
        msgid = "".join(
            re.findall(
                r'^(?:msgid |")(?:")?(.*)"$',
                block.split("\nmsgid_plural")[0].split("\nmsgstr")[0],
                re.M,
            )
        )
        strs = re.findall(r'^msgstr(?:\[\d\])? "(.*)"', block, re.M)
        entries[msgid] = strs
    return entries


@pytest.mark.parametrize("language", ["pl", "ru"])
def test_every_message_is_translated(language: str) -> None:
    entries = _po_entries(language)
    assert len(entries) > 300
    untranslated = [msgid for msgid, strs in entries.items() if not any(strs)]
    assert untranslated == []


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
def test_editor_in_russian_formats_dates_and_labels(team: Team, journey_map: Map) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="ru")
    client.force_login(team.viewer)
    html = client.get(f"/w/{team.workspace.pk}/").content.decode()
    assert "Изменено" in html
    editor = client.get(f"/m/{journey_map.pk}/").content.decode()
    assert "Сохранено · ревизия 1" in editor and "Точки контакта" in editor
