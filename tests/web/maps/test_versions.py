"""Versions: automatic snapshots (coalesced), named versions, semantic diff, restore."""

from __future__ import annotations

import datetime as dt

import pytest
from web_factories import Team

from journeymap.web.maps import services, versions
from journeymap.web.maps.models import Map, MapChange, MapVersion
from journeymap.web.maps.operations import AddStage, DeleteItem
from journeymap.web.maps.selectors import document_of

pytestmark = pytest.mark.django_db


def add_stage(journey_map: Map, user, title: str) -> Map:
    journey_map.refresh_from_db()
    updated, _ = services.edit_map(
        map_id=journey_map.pk,
        user=user,
        expected_revision=journey_map.revision,
        operation=AddStage(title=title),
    )
    return updated


def test_a_new_map_has_its_created_version(journey_map: Map) -> None:
    version = MapVersion.objects.get(map=journey_map)
    assert (version.number, version.name, version.revision) == (1, "created", 1)


def test_saves_by_one_person_coalesce_into_one_automatic_version(
    team: Team, journey_map: Map
) -> None:
    add_stage(journey_map, team.editor, "A")
    add_stage(journey_map, team.editor, "B")
    assert MapVersion.objects.filter(map=journey_map).count() == 2
    latest = MapVersion.objects.get(map=journey_map, number=2)
    assert latest.auto and latest.revision == 3
    add_stage(journey_map, team.owner, "C")  # another author: a new version
    assert MapVersion.objects.filter(map=journey_map).count() == 3


def test_an_edit_stores_its_document_in_the_map_and_the_version_and_the_one_before(
    team: Team, journey_map: Map
) -> None:
    before = Map.objects.get(pk=journey_map.pk).document
    edited = add_stage(journey_map, team.editor, "A")
    stored = Map.objects.get(pk=journey_map.pk)
    assert stored.document == edited.document  # read back as data, not as a JSON string
    assert MapVersion.objects.get(map=journey_map, number=2).document == edited.document
    assert MapChange.objects.get(map=journey_map).before == before
    assert (stored.revision, stored.updated_by, stored.updated_at) == (
        2,
        team.editor,
        edited.updated_at,
    )


def test_saves_after_the_window_make_a_new_version(team: Team, journey_map: Map) -> None:
    add_stage(journey_map, team.editor, "A")
    MapVersion.objects.filter(map=journey_map, number=2).update(
        updated_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    )
    add_stage(journey_map, team.editor, "B")
    assert MapVersion.objects.filter(map=journey_map).count() == 3


def test_named_version_is_never_merged(team: Team, journey_map: Map) -> None:
    versions.name_version(journey_map=journey_map, user=team.editor, name="Workshop")
    add_stage(journey_map, team.editor, "A")
    names = list(MapVersion.objects.filter(map=journey_map).values_list("name", flat=True))
    assert names == ["", "Workshop", "created"]


def test_semantic_diff_between_versions_and_now(team: Team, journey_map: Map) -> None:
    add_stage(journey_map, team.editor, "Use")
    journey_map.refresh_from_db()
    services.edit_map(
        map_id=journey_map.pk,
        user=team.owner,
        expected_revision=journey_map.revision,
        operation=DeleteItem(item="ig"),
    )
    journey_map.refresh_from_db()
    diff = versions.diff_versions(journey_map, 1, None)
    kinds = {c.kind for c in diff.changes}
    assert {"stage.added", "item.removed"} <= kinds
    only_stage = versions.diff_versions(journey_map, 1, 2)
    assert [c.kind for c in only_stage.changes] == ["stage.added"]


def test_restore_is_an_edit_that_undo_reverts(team: Team, journey_map: Map) -> None:
    add_stage(journey_map, team.editor, "Use")
    restored, summary = services.restore_version(
        map_id=journey_map.pk, user=team.editor, expected_revision=2, number=1
    )
    assert summary == "restored version 1" and restored.revision == 3
    assert [s.title for s in document_of(restored).stages] == ["Discover", "Pay"]
    undone, _ = services.undo_last_edit(
        map_id=journey_map.pk, user=team.editor, expected_revision=3
    )
    assert [s.title for s in document_of(undone).stages] == ["Discover", "Pay", "Use"]


@pytest.mark.parametrize("role", ["owner", "editor", "commenter", "viewer"])
def test_every_member_sees_versions_and_diffs(journey_map: Map, client_as, role: str) -> None:
    response = client_as(role).get(f"/m/{journey_map.pk}/versions/?a=1")
    assert response.status_code == 200
    assert response.context["diff"] is not None and not response.context["diff"].changes
    assert b"No changes." in response.content


def test_page_diff_shows_the_changes(team: Team, journey_map: Map, client_as) -> None:
    add_stage(journey_map, team.editor, "Repurchase")
    response = client_as("viewer").get(f"/m/{journey_map.pk}/versions/?a=1&b=2")
    assert "Repurchase" in response.content.decode()


def test_diff_of_a_missing_version_is_404(journey_map: Map, client_as) -> None:
    assert client_as("viewer").get(f"/m/{journey_map.pk}/versions/?a=99").status_code == 404


def test_editor_names_a_version_and_an_empty_name_is_a_field_error(
    journey_map: Map, client_as
) -> None:
    client = client_as("editor")
    assert client.post(f"/m/{journey_map.pk}/versions/", {"name": " "}).status_code == 400
    assert client.post(f"/m/{journey_map.pk}/versions/", {"name": "Pitch"}).status_code == 302
    assert MapVersion.objects.filter(map=journey_map, name="Pitch").exists()


@pytest.mark.parametrize("role", ["commenter", "viewer"])
def test_readers_cannot_name_or_restore(team: Team, journey_map: Map, client_as, role: str) -> None:
    client = client_as(role)
    assert client.post(f"/m/{journey_map.pk}/versions/", {"name": "X"}).status_code == 403
    url = f"/m/{journey_map.pk}/versions/1/restore/"
    assert client.post(url, {"revision": 1}).status_code == 403


def test_stranger_gets_404_for_versions(journey_map: Map, client_as) -> None:
    client = client_as("stranger")
    assert client.get(f"/m/{journey_map.pk}/versions/").status_code == 404
    url = f"/m/{journey_map.pk}/versions/1/restore/"
    assert client.post(url, {"revision": 1}).status_code == 404


def test_restore_from_the_page_and_a_stale_restore(team: Team, journey_map: Map, client_as) -> None:
    add_stage(journey_map, team.editor, "Use")
    client = client_as("editor")
    stale = client.post(f"/m/{journey_map.pk}/versions/1/restore/", {"revision": 1})
    assert stale["Location"] == f"/m/{journey_map.pk}/versions/"
    journey_map.refresh_from_db()
    assert journey_map.revision == 2
    done = client.post(f"/m/{journey_map.pk}/versions/1/restore/", {"revision": 2})
    assert done["Location"] == f"/m/{journey_map.pk}/"
    journey_map.refresh_from_db()
    assert [s.title for s in document_of(journey_map).stages] == ["Discover", "Pay"]
