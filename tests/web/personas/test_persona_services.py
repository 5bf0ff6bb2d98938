"""Persona library services: validated by the map model, stable slugs, refused deletes, links
to maps through edits (undo works), moving a map's persona in, importing drafts, resolution."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from web_factories import Team, make_map, make_team, sample_doc

from journeymap.map.model import Persona, PersonaRef
from journeymap.map.validation import MapValidationError
from journeymap.web.maps import services as map_services
from journeymap.web.maps.models import Map
from journeymap.web.maps.operations import OperationError
from journeymap.web.maps.selectors import document_of
from journeymap.web.personas import selectors, services
from journeymap.web.personas.models import LibraryPersona
from journeymap.web.workspaces.models import Activity

pytestmark = pytest.mark.django_db

ZOE = {
    "name": "Zoe Carter",
    "segment": "Students",
    "empathy": {"says": ["Too slow"], "thinks": [], "does": ["Compares prices"], "feels": []},
    "stage_expectations": {"pay": ["BLIK"], "other": ["x"]},
}


def add(team: Team, data: dict | None = None) -> LibraryPersona:
    return services.create_persona(workspace=team.workspace, user=team.editor, data=data or ZOE)


def test_create_stores_the_validated_persona_under_a_slug_from_the_name(team: Team) -> None:
    entry = add(team)
    assert (entry.slug, entry.name) == ("zoe-carter", "Zoe Carter")
    persona = selectors.persona_of(entry)
    assert persona.id == "zoe-carter" and persona.empathy and persona.empathy.says == ["Too slow"]
    assert add(team).slug == "zoe-carter-2"  # unique in the workspace
    wanted = add(team, {"id": "zoe", "name": "Zoe"})
    assert wanted.slug == "zoe"
    assert Activity.objects.filter(verb="persona.create").count() == 3
    logged = Activity.objects.filter(verb="persona.create").order_by("id").first()
    assert logged and logged.summary_data == {
        "template": "added persona %(name)r to the library",
        "params": {"name": "Zoe Carter"},
    }


def test_the_same_slug_may_exist_in_another_workspace(team: Team) -> None:
    other = make_team("Other")
    there = services.create_persona(workspace=other.workspace, user=other.owner, data=ZOE)
    assert there.slug == add(team).slug == "zoe-carter"


def test_invalid_persona_is_refused_with_field_paths_and_nothing_is_stored(team: Team) -> None:
    bad = {"name": "", "size": 2, "empathy": {"says": ["ok"], "smells": ["?"]}, "channels": ["fax"]}
    with pytest.raises(ValidationError) as exc:
        add(team, bad)
    errors = exc.value.message_dict
    assert set(errors) == {"name", "size", "empathy.smells", "channels[0]"}
    assert "unknown field" in errors["empathy.smells"][0]
    assert LibraryPersona.objects.count() == 0


def test_update_replaces_fields_and_keeps_the_slug(team: Team) -> None:
    entry = add(team)
    services.update_persona(entry=entry, user=team.editor, data={"name": "Zoe C.", "quote": "Hi"})
    entry.refresh_from_db()
    persona = selectors.persona_of(entry)
    assert (entry.slug, entry.name, persona.quote, persona.segment) == (
        "zoe-carter",
        "Zoe C.",
        "Hi",
        "Students",
    )
    with pytest.raises(ValidationError) as exc:
        services.update_persona(entry=entry, user=team.editor, data={"initials": "TOO LONG"})
    assert "initials" in exc.value.message_dict
    entry.refresh_from_db()
    assert entry.name == "Zoe C."


def test_link_adds_a_reference_and_undo_removes_it(team: Team, journey_map: Map) -> None:
    entry = add(team)
    linked, summary = services.link_persona(
        map_id=journey_map.pk, user=team.editor, expected_revision=1, slug=entry.slug
    )
    ref = document_of(linked).personas[-1]
    assert isinstance(ref, PersonaRef)
    assert (ref.id, ref.ref, ref.name) == ("zoe-carter", "zoe-carter", "Zoe Carter")
    assert summary == "linked persona 'Zoe Carter'"
    undone, _ = map_services.undo_last_edit(
        map_id=journey_map.pk, user=team.editor, expected_revision=2
    )
    assert [p.id for p in document_of(undone).personas] == ["ola", "lib"]


def test_linking_a_persona_the_library_lacks_is_refused_in_every_path(
    team: Team, journey_map: Map
) -> None:
    other = make_team("Other")
    foreign = services.create_persona(workspace=other.workspace, user=other.owner, data=ZOE)
    with pytest.raises(OperationError) as exc:
        services.link_persona(
            map_id=journey_map.pk, user=team.editor, expected_revision=1, slug=foreign.slug
        )
    assert exc.value.field == "ref" and "no persona 'zoe-carter'" in exc.value.message
    journey_map.refresh_from_db()
    assert journey_map.revision == 1


def test_unlink_removes_the_reference(team: Team, journey_map: Map) -> None:
    entry = add(team)
    services.link_persona(
        map_id=journey_map.pk, user=team.editor, expected_revision=1, slug=entry.slug
    )
    unlinked, summary = services.unlink_persona(
        map_id=journey_map.pk, user=team.editor, expected_revision=2, persona_id="zoe-carter"
    )
    assert [p.id for p in document_of(unlinked).personas] == ["ola", "lib"]
    assert summary == "unlinked persona 'Zoe Carter'"


def test_delete_is_refused_while_maps_link_the_persona(team: Team, journey_map: Map) -> None:
    entry = add(team)
    services.link_persona(
        map_id=journey_map.pk, user=team.editor, expected_revision=1, slug=entry.slug
    )
    map_services.set_archived(journey_map=journey_map, user=team.owner, archived=True)
    with pytest.raises(services.PersonaInUseError) as exc:
        services.delete_persona(entry=entry, user=team.editor)
    assert [use.title for use in exc.value.maps] == ["Demo"] and exc.value.maps[0].archived
    assert "linked from map(s) 'Demo'" in str(exc.value)
    assert LibraryPersona.objects.filter(pk=entry.pk).exists()
    services.unlink_persona(
        map_id=journey_map.pk, user=team.editor, expected_revision=2, persona_id="zoe-carter"
    )
    services.delete_persona(entry=entry, user=team.editor)
    assert not LibraryPersona.objects.filter(pk=entry.pk).exists()


def test_resolved_document_shows_the_library_persona_in_place_of_the_link(
    team: Team, journey_map: Map
) -> None:
    entry = add(team)
    services.link_persona(
        map_id=journey_map.pk, user=team.editor, expected_revision=1, slug=entry.slug
    )
    services.update_persona(entry=entry, user=team.editor, data={"quote": "Faster, please"})
    journey_map.refresh_from_db()
    shown = selectors.resolved_document(journey_map)
    _own, dangling, zoe = shown.personas
    assert isinstance(zoe, Persona) and zoe.quote == "Faster, please" and zoe.id == "zoe-carter"
    assert zoe.stage_expectations == {"pay": ["BLIK"]}
    assert isinstance(dangling, PersonaRef)  # 'workspace/anna' is not in the library
    assert isinstance(document_of(journey_map).personas[2], PersonaRef)  # stored: the link


def test_move_to_library_copies_the_persona_and_links_it_in_its_place(
    team: Team, journey_map: Map
) -> None:
    entry, moved, summary = services.import_from_map(
        map_id=journey_map.pk, user=team.editor, expected_revision=1, persona_id="ola"
    )
    assert entry.slug == "ola" and selectors.persona_of(entry).empathy.says == ["hi"]  # type: ignore[union-attr]
    first = document_of(moved).personas[0]
    assert isinstance(first, PersonaRef) and (first.id, first.ref) == ("ola", "ola")
    assert summary == "moved persona 'Ola Nowak' to the library"
    undone, _ = map_services.undo_last_edit(
        map_id=journey_map.pk, user=team.editor, expected_revision=2
    )
    assert isinstance(document_of(undone).personas[0], Persona)


def test_move_to_library_refuses_a_link_or_a_stale_revision_and_stores_nothing(
    team: Team, journey_map: Map
) -> None:
    with pytest.raises(OperationError, match="no embedded persona 'lib'"):
        services.import_from_map(
            map_id=journey_map.pk, user=team.editor, expected_revision=1, persona_id="lib"
        )
    with pytest.raises(map_services.StaleRevisionError):
        services.import_from_map(
            map_id=journey_map.pk, user=team.editor, expected_revision=7, persona_id="ola"
        )
    assert LibraryPersona.objects.count() == 0


def test_import_personas_adds_every_draft_or_none(team: Team) -> None:
    text = "personas:\n  - {id: segment-1, name: Loyal, data_backed: true}\n  - {name: Browsers}\n"
    entries = services.import_personas(
        workspace=team.workspace, user=team.editor, text=text, source="p.yaml"
    )
    assert [(e.slug, selectors.persona_of(e).data_backed) for e in entries] == [
        ("segment-1", True),
        ("browsers", False),
    ]
    with pytest.raises(MapValidationError, match=r"p\.yaml:3: personas\[1\]\.size"):
        services.import_personas(
            workspace=team.workspace,
            user=team.editor,
            text="personas:\n  - {name: A}\n  - {name: B, size: 9}\n",
            source="p.yaml",
        )
    assert LibraryPersona.objects.count() == 2


def test_a_map_of_another_workspace_cannot_link_this_library(team: Team) -> None:
    entry = add(team)
    other = make_team("Other")
    there = make_map(other.workspace, other.owner, sample_doc())
    with pytest.raises(OperationError):
        services.link_persona(
            map_id=there.pk, user=other.owner, expected_revision=1, slug=entry.slug
        )
