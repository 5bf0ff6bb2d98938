"""Map services: create, import, edits with optimistic concurrency, undo."""

from __future__ import annotations

import pytest
from web_factories import Team, make_map

from journeymap.map.validation import MapValidationError
from journeymap.web.maps import services
from journeymap.web.maps.models import Map, MapChange
from journeymap.web.maps.operations import AddStage, DeleteItem, UpdateItem
from journeymap.web.maps.selectors import can_undo, document_of
from journeymap.web.workspaces.models import Activity

pytestmark = pytest.mark.django_db


def test_an_edit_bumps_the_revision_and_records_the_change(team: Team) -> None:
    journey_map = make_map(team.workspace, team.owner)
    updated, summary = services.edit_map(
        map_id=journey_map.pk,
        user=team.editor,
        expected_revision=1,
        operation=AddStage(title="Use"),
    )
    assert updated.revision == 2 and summary == "added stage 'Use'"
    assert [s.id for s in document_of(updated).stages][-1] == "use"
    change = MapChange.objects.get(map=journey_map)
    assert (change.revision, change.user, change.action) == (2, team.editor, "add_stage")
    assert Activity.objects.filter(map_id=journey_map.pk, verb="map.add_stage").exists()


def test_a_stale_edit_is_refused_and_changes_nothing(team: Team) -> None:
    journey_map = make_map(team.workspace, team.owner)
    services.edit_map(
        map_id=journey_map.pk, user=team.owner, expected_revision=1, operation=AddStage(title="A")
    )
    with pytest.raises(services.StaleRevisionError) as err:
        services.edit_map(
            map_id=journey_map.pk,
            user=team.editor,
            expected_revision=1,
            operation=AddStage(title="B"),
        )
    assert err.value.map.revision == 2 and "revision 1" in str(err.value)
    journey_map.refresh_from_db()
    assert journey_map.revision == 2
    assert [s.title for s in document_of(journey_map).stages] == ["Discover", "Pay", "A"]


def test_an_invalid_edit_stores_nothing(team: Team) -> None:
    journey_map = make_map(team.workspace, team.owner)
    with pytest.raises(MapValidationError):
        services.edit_map(
            map_id=journey_map.pk,
            user=team.owner,
            expected_revision=1,
            operation=UpdateItem(item="ig", fields={"channel": "carrier pigeon"}),
        )
    journey_map.refresh_from_db()
    assert journey_map.revision == 1 and not MapChange.objects.exists()


def test_undo_walks_back_edit_by_edit(team: Team) -> None:
    journey_map = make_map(team.workspace, team.owner)
    original = journey_map.document
    services.edit_map(
        map_id=journey_map.pk, user=team.owner, expected_revision=1, operation=AddStage(title="A")
    )
    services.edit_map(
        map_id=journey_map.pk, user=team.owner, expected_revision=2, operation=DeleteItem(item="ig")
    )
    undone, summary = services.undo_last_edit(
        map_id=journey_map.pk, user=team.owner, expected_revision=3
    )
    assert "ig" in document_of(undone).all_ids() and summary.startswith("undid: deleted")
    assert "a" in document_of(undone).all_ids()
    undone, _ = services.undo_last_edit(map_id=journey_map.pk, user=team.owner, expected_revision=4)
    assert undone.document == original and undone.revision == 5
    with pytest.raises(services.NothingToUndoError):
        services.undo_last_edit(map_id=journey_map.pk, user=team.owner, expected_revision=5)


def test_can_undo_follows_the_edits_not_undone(team: Team) -> None:
    journey_map = make_map(team.workspace, team.owner)
    assert not can_undo(journey_map)
    services.edit_map(
        map_id=journey_map.pk, user=team.owner, expected_revision=1, operation=AddStage(title="A")
    )
    assert can_undo(journey_map)
    services.undo_last_edit(map_id=journey_map.pk, user=team.owner, expected_revision=2)
    assert not can_undo(journey_map)


def test_the_document_is_validated_once_per_stored_document(team: Team) -> None:
    journey_map = make_map(team.workspace, team.owner)
    first = document_of(journey_map)
    assert document_of(journey_map) is first
    edited, _ = services.edit_map(
        map_id=journey_map.pk, user=team.owner, expected_revision=1, operation=AddStage(title="A")
    )
    assert [s.title for s in document_of(edited).stages][-1] == "A"
    assert document_of(journey_map) is first  # this instance still holds the old document
    journey_map.refresh_from_db()
    assert document_of(journey_map) is not first
    assert document_of(journey_map).model_dump() == document_of(edited).model_dump()


def test_an_edit_takes_over_the_document_the_caller_read(team: Team) -> None:
    journey_map = make_map(team.workspace, team.owner)
    read = Map.objects.get(pk=journey_map.pk)
    edited, _ = services.edit_map(
        map_id=journey_map.pk,
        user=team.owner,
        expected_revision=1,
        operation=AddStage(title="A"),
        read=read,
    )
    change = MapChange.objects.get(map=journey_map)
    assert change.before == read.document  # the document before the edit
    journey_map.refresh_from_db()
    assert journey_map.revision == 2 and journey_map.document == edited.document
    assert [s.title for s in document_of(journey_map).stages][-1] == "A"


def test_an_edit_starts_from_the_map_the_last_edit_stored_while_it_is_unchanged(
    team: Team,
) -> None:
    journey_map = make_map(team.workspace, team.owner)
    first, _ = services.edit_map(
        map_id=journey_map.pk, user=team.owner, expected_revision=1, operation=AddStage(title="A")
    )
    rename = UpdateItem(item="ig", fields={"text": "Reel"})
    second, _ = services.edit_map(
        map_id=journey_map.pk, user=team.owner, expected_revision=2, operation=rename
    )
    assert document_of(second).stages is document_of(first).stages  # not validated again
    changed = {**second.document, "goal": "Changed behind the editor's back"}
    Map.objects.filter(pk=journey_map.pk).update(document=changed)
    third, _ = services.edit_map(
        map_id=journey_map.pk, user=team.owner, expected_revision=3, operation=rename
    )
    assert document_of(third).goal == "Changed behind the editor's back"
    assert document_of(third).stages is not document_of(second).stages
    journey_map.refresh_from_db()
    assert journey_map.document == third.document


def test_an_edit_on_a_map_read_before_someone_else_edited_it_is_stale(team: Team) -> None:
    journey_map = make_map(team.workspace, team.owner)
    read = Map.objects.get(pk=journey_map.pk)  # read at revision 1
    services.edit_map(
        map_id=journey_map.pk, user=team.editor, expected_revision=1, operation=AddStage(title="B")
    )
    with pytest.raises(services.StaleRevisionError):
        services.edit_map(
            map_id=journey_map.pk,
            user=team.owner,
            expected_revision=1,
            operation=AddStage(title="A"),
            read=read,
        )
    journey_map.refresh_from_db()
    assert journey_map.revision == 2
    assert [s.title for s in document_of(journey_map).stages][-1] == "B"


def test_undo_after_a_new_edit_undoes_the_new_edit_first(team: Team) -> None:
    journey_map = make_map(team.workspace, team.owner)
    services.edit_map(
        map_id=journey_map.pk, user=team.owner, expected_revision=1, operation=AddStage(title="A")
    )
    services.undo_last_edit(map_id=journey_map.pk, user=team.owner, expected_revision=2)
    services.edit_map(
        map_id=journey_map.pk, user=team.owner, expected_revision=3, operation=AddStage(title="B")
    )
    undone, _ = services.undo_last_edit(map_id=journey_map.pk, user=team.owner, expected_revision=4)
    assert [s.title for s in document_of(undone).stages] == ["Discover", "Pay"]


def test_undo_of_a_stale_revision_is_refused(team: Team) -> None:
    journey_map = make_map(team.workspace, team.owner)
    services.edit_map(
        map_id=journey_map.pk, user=team.owner, expected_revision=1, operation=AddStage(title="A")
    )
    with pytest.raises(services.StaleRevisionError):
        services.undo_last_edit(map_id=journey_map.pk, user=team.owner, expected_revision=1)


def test_import_names_the_line_of_each_problem(team: Team) -> None:
    text = "id: m\ntitle: T\nstages:\n  - id: a\n    title: A\n  - id: a\n    title: B\n"
    with pytest.raises(MapValidationError) as err:
        services.import_map(
            workspace=team.workspace, user=team.owner, text=text, fmt="yaml", source="m.yaml"
        )
    assert err.value.messages == [
        "m.yaml:6: stages[1].id: duplicate id 'a' (first used at stages[0])"
    ]
    assert not Map.objects.exists()


def test_duplicate_archive_delete(team: Team) -> None:
    journey_map = make_map(team.workspace, team.owner)
    copy = services.duplicate_map(journey_map=journey_map, user=team.editor)
    assert copy.title == "Demo (copy)" and copy.revision == 1 and copy.pk != journey_map.pk
    services.set_archived(journey_map=copy, user=team.editor, archived=True)
    assert copy.archived_at is not None
    services.delete_map(journey_map=copy, user=team.owner)
    assert not Map.objects.filter(pk=copy.pk).exists()
    assert Activity.objects.filter(verb="map.delete").count() == 1


def test_blank_map_is_a_valid_empty_document(team: Team) -> None:
    journey_map = services.create_blank_map(
        workspace=team.workspace, user=team.owner, title="Onboarding 2026", language="pl"
    )
    doc = document_of(journey_map)
    assert (doc.id, doc.language, doc.stages) == ("onboarding-2026", "pl", [])
