"""Content of the shipped templates that exist in English, Polish and Russian (issue 2, 1 and 2).

Each language version must be a complete, useful map on its own, and the three versions of a
template must share every id and every non-text value, so that maps in different languages diff
cleanly and only their texts differ.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Any

import pytest

from journeymap.map.io import dump_yaml, parse_map, parse_yaml
from journeymap.map.model import (
    ActionItem,
    EmotionItem,
    JourneyMap,
    LaneKind,
    MapState,
    MetricItem,
    OpportunityItem,
    PainPointItem,
    Persona,
    TurningPointItem,
)
from journeymap.map.templates import list_templates
from journeymap.map.templates import load_template as _load_template

TEMPLATES = ("online-clothing-store", "consumer-lifecycle")
LANGUAGES = ("en", "pl", "ru")
CASES = [(template_id, lang) for template_id in TEMPLATES for lang in LANGUAGES]

# Fields whose string values are identifiers or enum values, not texts to translate.
_STRUCTURAL_KEYS = frozenset(
    {
        "id",
        "kind",
        "lane",
        "stage",
        "step",
        "channel",
        "channels",
        "lens",
        "source",
        "origin",
        "status",
        "action_status",
        "due",
        "date",
        "tags",
        "state",
        "ref",
        "link",
        "src",
    }
)
_CYRILLIC = re.compile(r"[А-Яа-яЁё]")
_POLISH_LETTERS = re.compile(r"[ąćęłńóśźżĄĆĘŁŃÓŚŹŻ]")


@cache
def load_template(template_id: str, lang: str) -> JourneyMap:
    """The shipped template, parsed once per test session (the tests only read it)."""
    return _load_template(template_id, lang)


@cache
def _raw(template_id: str, lang: str) -> dict[str, Any]:
    """The template file as parsed YAML, before defaults are filled in."""
    path = resources.files("journeymap.map").joinpath("templates", f"{template_id}.{lang}.yaml")
    data, _ = parse_yaml(path.read_text(encoding="utf-8"), source=path.name)
    assert isinstance(data, dict)
    return data


def _items(doc: JourneyMap, kind: LaneKind) -> list[Any]:
    lane_ids = {lane.id for lane in doc.lanes if lane.kind == kind}
    return [item for cell, item in doc.iter_items() if cell.lane in lane_ids]


def _raw_items(data: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    lane_ids = {lane["id"] for lane in data["lanes"] if lane["kind"] == kind}
    return [item for cell in data["cells"] if cell["lane"] in lane_ids for item in cell["items"]]


def _skeleton(value: Any, key: str | None = None) -> Any:
    """The document with every translatable text replaced by a marker; ids and numbers stay."""
    if key == "binding":
        return value
    if isinstance(value, dict):
        if key == "demographics":  # its keys are labels, translated like the values
            return [_skeleton(v) for v in value.values()]
        return {k: _skeleton(v, k) for k, v in value.items() if k != "language"}
    if isinstance(value, list):
        return [_skeleton(v, key) for v in value]
    if isinstance(value, str):
        return value if key in _STRUCTURAL_KEYS else "<text>"
    return value


def _texts(doc: JourneyMap) -> list[str]:
    """Titles of stages, steps and lanes and the text of every item."""
    texts = [stage.title for stage in doc.stages]
    texts += [step.title for stage in doc.stages for step in stage.steps]
    texts += [lane.title for lane in doc.lanes]
    texts += [item.text for _, item in doc.iter_items()]
    return texts


@pytest.mark.parametrize(("template_id", "lang"), CASES)
def test_template_loads_validates_and_round_trips(template_id: str, lang: str) -> None:
    doc = load_template(template_id, lang)
    assert doc.id == template_id
    assert parse_map(dump_yaml(doc), source=f"{template_id}.{lang}.yaml") == doc


@pytest.mark.parametrize(("template_id", "lang"), CASES)
def test_template_language_field_matches_its_file(template_id: str, lang: str) -> None:
    assert _raw(template_id, lang)["language"] == lang
    assert load_template(template_id, lang).language == lang


@pytest.mark.parametrize(("template_id", "lang"), CASES)
def test_template_states_goal_scenario_and_current_state(template_id: str, lang: str) -> None:
    raw = _raw(template_id, lang)
    assert raw["state"] == MapState.CURRENT.value
    doc = load_template(template_id, lang)
    assert doc.goal and doc.description and doc.scenario and doc.tags


@pytest.mark.parametrize(("template_id", "lang"), CASES)
def test_template_has_a_rich_persona_with_an_empathy_map(template_id: str, lang: str) -> None:
    personas = [p for p in load_template(template_id, lang).personas if isinstance(p, Persona)]
    rich = [
        p
        for p in personas
        if p.empathy
        and all([p.empathy.says, p.empathy.thinks, p.empathy.does, p.empathy.feels])
        and p.goals
        and p.needs
        and p.pains
        and p.stage_expectations
        and p.quote
        and p.size is not None
        and p.sources
    ]
    assert rich, "no persona with goals, needs, pains, stage expectations and a full empathy map"


@pytest.mark.parametrize(("template_id", "lang"), CASES)
def test_template_every_stage_has_a_description(template_id: str, lang: str) -> None:
    doc = load_template(template_id, lang)
    assert all(stage.description for stage in doc.stages)


@pytest.mark.parametrize(("template_id", "lang"), CASES)
def test_template_has_one_emotion_score_per_stage(template_id: str, lang: str) -> None:
    doc = load_template(template_id, lang)
    curve = doc.emotion_curve()
    assert len(curve) == len(doc.stages)
    for stage, emotion in curve:
        assert isinstance(emotion, EmotionItem), f"stage {stage.id!r} has no emotion score"
    scores = {emotion.score for _, emotion in curve if emotion}
    assert min(scores) < 0 < max(scores), "the emotion curve should have highs and lows"


@pytest.mark.parametrize(("template_id", "lang"), CASES)
def test_template_pain_points_state_severity_lens_and_some_evidence(
    template_id: str, lang: str
) -> None:
    raw_pains = _raw_items(_raw(template_id, lang), "pain_points")
    assert len(raw_pains) >= 3
    assert all("severity" in item for item in raw_pains), "every pain point states its severity"
    pains = _items(load_template(template_id, lang), LaneKind.PAIN_POINTS)
    assert all(isinstance(p, PainPointItem) and p.lens for p in pains)
    assert sum(1 for p in pains if p.evidence) >= 3


@pytest.mark.parametrize(("template_id", "lang"), CASES)
def test_template_has_turning_points_with_stay_and_leave(template_id: str, lang: str) -> None:
    turning = _items(load_template(template_id, lang), LaneKind.TURNING_POINTS)
    assert turning
    assert all(isinstance(t, TurningPointItem) and t.stay and t.leave for t in turning)


@pytest.mark.parametrize(("template_id", "lang"), CASES)
def test_template_opportunities_come_from_customers_and_team(template_id: str, lang: str) -> None:
    opportunities = _items(load_template(template_id, lang), LaneKind.OPPORTUNITIES)
    assert len(opportunities) >= 2
    assert all(isinstance(o, OpportunityItem) and o.lens for o in opportunities)
    assert {o.origin for o in opportunities} == {"customer", "team"}


@pytest.mark.parametrize(("template_id", "lang"), CASES)
def test_template_metrics_have_units_targets_and_bindings(template_id: str, lang: str) -> None:
    metrics = _items(load_template(template_id, lang), LaneKind.METRICS)
    assert len(metrics) >= 3
    assert all(
        isinstance(m, MetricItem) and m.unit and m.target is not None and m.current is not None
        for m in metrics
    )
    bindings = [m.binding for m in metrics if isinstance(m, MetricItem) and m.binding]
    assert any(b.metric == "funnel.conversion" for b in bindings)
    assert all(
        {"from", "to"} <= b.params.keys() for b in bindings if b.metric.startswith("funnel.")
    )


@pytest.mark.parametrize(("template_id", "lang"), CASES)
def test_template_action_plan_has_owners_and_due_dates(template_id: str, lang: str) -> None:
    actions = _items(load_template(template_id, lang), LaneKind.ACTION_PLAN)
    assert len(actions) >= 2
    assert all(
        isinstance(a, ActionItem) and a.owner and a.due and a.due.year == 2027 for a in actions
    )


@pytest.mark.parametrize("template_id", TEMPLATES)
def test_template_languages_share_ids_and_structure(template_id: str) -> None:
    english = load_template(template_id, "en")
    skeleton = _skeleton(english.model_dump(mode="json"))
    for lang in ("pl", "ru"):
        other = load_template(template_id, lang)
        assert other.all_ids() == english.all_ids(), lang
        assert [s.id for s in other.stages] == [s.id for s in english.stages], lang
        assert _skeleton(other.model_dump(mode="json")) == skeleton, lang


@pytest.mark.parametrize("template_id", TEMPLATES)
def test_template_translations_are_written_in_their_language(template_id: str) -> None:
    english = _texts(load_template(template_id, "en"))
    polish = _texts(load_template(template_id, "pl"))
    russian = _texts(load_template(template_id, "ru"))
    untranslated = [en for en, pl in zip(english, polish, strict=True) if en == pl]
    assert len(untranslated) <= len(english) // 10, untranslated
    assert sum(bool(_POLISH_LETTERS.search(text)) for text in polish) >= len(polish) // 2
    assert [text for text in russian if not _CYRILLIC.search(text)] == []


def test_both_templates_are_listed_in_three_languages() -> None:
    listed = {info.id: info.languages for info in list_templates()}
    for template_id in TEMPLATES:
        assert listed[template_id] == LANGUAGES
