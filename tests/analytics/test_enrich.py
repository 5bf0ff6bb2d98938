"""Insights back onto the map: suggested items with evidence, replaced on re-runs."""

from __future__ import annotations

from pathlib import Path

import pytest
from insight_events import simulate_files

from journeymap.analytics.enrich import (
    SUGGESTION_PREFIX,
    MapInsights,
    enrich_map,
    is_suggestion,
    map_insights,
)
from journeymap.data.engine import connect
from journeymap.data.events import EventsError
from journeymap.data.readers import read_events
from journeymap.data.surveys import read_surveys
from journeymap.map.io import dump_yaml, parse_map
from journeymap.map.model import (
    ItemStatus,
    JourneyMap,
    LaneKind,
    PainPointItem,
    SuccessPointItem,
)
from journeymap.map.templates import load_template


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return simulate_files(tmp_path_factory.mktemp("enrich"), customers=3000)


@pytest.fixture(scope="module")
def doc() -> JourneyMap:
    return load_template("b2b-sales")


@pytest.fixture(scope="module")
def insights(files: tuple[Path, Path], doc: JourneyMap) -> MapInsights:
    events = read_events(files[0], backend=connect())
    return map_insights(events, doc, surveys=read_surveys(files[1]))


def suggestions(doc: JourneyMap) -> dict[str, tuple[str, str]]:
    return {
        item.id: (doc.lane(cell.lane).kind.value, cell.stage)
        for cell, item in doc.iter_items()
        if is_suggestion(item)
    }


def test_suggestions_land_in_lanes_of_their_kind_at_their_stage(
    doc: JourneyMap, insights: MapInsights
) -> None:
    enriched = enrich_map(doc, insights)
    found = suggestions(enriched)
    assert found["sugg-pain-drop-off-first-contact"] == ("pain_points", "first-contact")
    assert found["sugg-pain-low-satisfaction-tp-demo-form"] == ("pain_points", "first-contact")
    assert found["sugg-pain-negative-comments-tp-demo-form"] == ("pain_points", "first-contact")
    assert not any("negative-comments-tp-roi" in key for key in found)
    assert found["sugg-success-conversion-lift-tp-roi-calculator"] == ("success_points", "proposal")
    assert found["sugg-success-high-satisfaction-tp-roi-calculator"] == (
        "success_points",
        "proposal",
    )
    assert found["sugg-turning-first-contact"] == ("turning_points", "first-contact")
    assert found["sugg-metric-continue-first-contact"] == ("metrics", "first-contact")
    assert found["sugg-emotion-first-contact"] == ("emotions", "first-contact")
    _, pain = enriched.find_item("sugg-pain-drop-off-first-contact")
    assert isinstance(pain, PainPointItem) and pain.severity == 3
    assert pain.status == ItemStatus.SUGGESTED
    assert pain.evidence[0].source == "analytics" and pain.evidence[0].sample_size
    _, said = enriched.find_item("sugg-pain-negative-comments-tp-demo-form")
    assert said.text == "Many negative comments: tp-demo-form"
    assert said.evidence[0].source == "survey"
    assert said.evidence[0].quote == "The demo form asked for far too much before I could book."
    # the team's own items are all still there
    assert {i.id for _, i in doc.iter_items()} <= enriched.all_ids()


def test_rerun_replaces_suggestions_and_is_idempotent(
    doc: JourneyMap, insights: MapInsights
) -> None:
    once = enrich_map(doc, insights)
    twice = enrich_map(once, insights)
    assert dump_yaml(twice) == dump_yaml(once)
    emptied = MapInsights(
        moments=insights.moments,
        turning=insights.turning.__class__(by="stage", customers=0, points=()),
        pains=insights.pains.__class__(customers=0, conversion=None, pains=(), successes=()),
        conformance=insights.conformance,
    )
    assert suggestions(enrich_map(once, emptied)) == {}
    assert dump_yaml(enrich_map(once, emptied)) == dump_yaml(enrich_map(doc, emptied))


def test_team_decisions_on_suggestions_are_kept(doc: JourneyMap, insights: MapInsights) -> None:
    enriched = enrich_map(doc, insights)
    data = enriched.model_dump(mode="json")
    for cell in data["cells"]:
        for item in cell["items"]:
            if item["id"] == "sugg-pain-drop-off-first-contact":
                item["status"] = "accepted"
                item["text"] = "Demo form loses most leads"
            if item["id"] == "sugg-turning-first-contact":
                item["status"] = "rejected"
    decided = JourneyMap.model_validate(data)
    again = enrich_map(decided, insights)
    _, accepted = again.find_item("sugg-pain-drop-off-first-contact")
    _, rejected = again.find_item("sugg-turning-first-contact")
    assert accepted.text == "Demo form loses most leads" and accepted.status == "accepted"
    assert rejected.status == "rejected"
    ids = [i.id for _, i in again.iter_items()]
    assert len(ids) == len(set(ids))


def test_missing_lanes_are_created_and_the_result_validates(
    doc: JourneyMap, insights: MapInsights
) -> None:
    kept = {LaneKind.TOUCHPOINTS}
    bare = doc.model_copy(
        update={
            "lanes": [lane for lane in doc.lanes if lane.kind in kept],
            "cells": [c for c in doc.cells if doc.lane(c.lane).kind in kept],
        }
    )
    enriched = enrich_map(bare, insights)
    kinds = {lane.kind for lane in enriched.lanes}
    assert kinds >= {LaneKind.PAIN_POINTS, LaneKind.SUCCESS_POINTS, LaneKind.METRICS}
    assert parse_map(dump_yaml(enriched)) == enriched
    assert any(isinstance(i, SuccessPointItem) for _, i in enriched.iter_items())
    assert all(
        i.id.startswith(SUGGESTION_PREFIX) for _, i in enriched.iter_items() if is_suggestion(i)
    )


def test_events_without_map_stages_are_refused(files: tuple[Path, Path]) -> None:
    other = load_template("b2b-sales").model_copy(update={"stages": [], "cells": []})
    events = read_events(files[0], backend=connect())
    with pytest.raises(ValueError, match="no stages"):
        map_insights(events, other)
    renamed = load_template("b2b-sales")
    renamed = renamed.model_copy(
        update={
            "stages": [s.model_copy(update={"id": f"x-{s.id}"}) for s in renamed.stages],
            "cells": [],
        }
    )
    with pytest.raises(EventsError, match="no event stage is a stage of the map"):
        map_insights(events, renamed)
