"""The business templates (B2B sales, agency client, SaaS trial, employee journey) are filled in."""

from __future__ import annotations

from typing import TypeVar

import pytest

from journeymap.map.io import dump_yaml, parse_map
from journeymap.map.model import (
    ActionItem,
    ItemBase,
    JourneyMap,
    MetricItem,
    OpportunityItem,
    PainPointItem,
    Persona,
    TurningPointItem,
)
from journeymap.map.templates import list_templates, load_template

T = TypeVar("T", bound=ItemBase)

BUSINESS_TEMPLATES = ["b2b-sales", "agency-client", "saas-trial", "employee-journey"]


@pytest.fixture(params=BUSINESS_TEMPLATES)
def template(request: pytest.FixtureRequest) -> JourneyMap:
    """Each business template in English, loaded and validated."""
    return load_template(request.param, "en")


def _items_of(doc: JourneyMap, kind: type[T]) -> list[T]:
    return [item for _, item in doc.iter_items() if isinstance(item, kind)]


@pytest.mark.parametrize("template_id", BUSINESS_TEMPLATES)
def test_template_loads_validated_in_english_with_its_id(template_id: str) -> None:
    doc = load_template(template_id, "en")
    assert doc.id == template_id
    assert doc.language == "en"
    assert doc.state == "current"
    assert doc.goal and doc.description and doc.scenario and doc.tags


def test_business_templates_are_listed_with_english() -> None:
    listed = {info.id: info for info in list_templates()}
    for template_id in BUSINESS_TEMPLATES:
        assert "en" in listed[template_id].languages
        assert listed[template_id].description


def test_template_has_a_persona_with_a_full_empathy_map(template: JourneyMap) -> None:
    personas = [p for p in template.personas if isinstance(p, Persona)]
    assert personas
    full = [
        p
        for p in personas
        if p.empathy
        and p.empathy.says
        and p.empathy.thinks
        and p.empathy.does
        and p.empathy.feels
        and p.goals
        and p.pains
        and p.quote
        and p.stage_expectations
        and p.sources
    ]
    assert full, "no persona with goals, pains, quote, stage expectations, sources and empathy map"


def test_persona_texts_are_whole_sentences_not_split_by_yaml_commas(template: JourneyMap) -> None:
    # An unquoted ``[Do this, then that]`` in YAML becomes two entries, the second lower-case.
    for persona in template.personas:
        if not isinstance(persona, Persona):
            continue
        texts = [*persona.goals, *persona.needs, *persona.pains, *persona.expectations]
        texts += [*persona.motivations, *persona.values]
        texts += [text for group in persona.stage_expectations.values() for text in group]
        if persona.empathy:
            empathy = persona.empathy
            texts += [*empathy.says, *empathy.thinks, *empathy.does, *empathy.feels]
        fragments = [text for text in texts if not text[:1].isupper() and text[:1] != '"']
        assert not fragments, f"{persona.id}: {fragments}"


def test_template_has_between_five_and_eight_described_stages(template: JourneyMap) -> None:
    assert 5 <= len(template.stages) <= 8
    assert all(stage.description for stage in template.stages)


def test_template_has_an_emotion_score_for_every_stage(template: JourneyMap) -> None:
    curve = template.emotion_curve()
    assert [stage.id for stage, _ in curve] == [stage.id for stage in template.stages]
    missing = [stage.id for stage, emotion in curve if emotion is None]
    assert not missing, f"stages without an emotion score: {missing}"
    scores = {emotion.score for _, emotion in curve if emotion is not None}
    assert min(scores) < 0 < max(scores), "the emotion curve should have lows and highs"


def test_template_has_pain_points_with_severity_lens_and_evidence(template: JourneyMap) -> None:
    pains = _items_of(template, PainPointItem)
    assert len(pains) >= 3
    assert all("severity" in pain.model_fields_set for pain in pains)
    assert all(pain.lens for pain in pains), "every pain point carries a 4C lens"
    assert any(pain.evidence for pain in pains)


def test_template_has_a_turning_point_with_stay_and_leave(template: JourneyMap) -> None:
    turning_points = _items_of(template, TurningPointItem)
    assert turning_points
    assert all(tp.stay and tp.leave for tp in turning_points)


def test_template_has_opportunities_from_customer_and_team(template: JourneyMap) -> None:
    opportunities = _items_of(template, OpportunityItem)
    assert len(opportunities) >= 2
    assert {opp.origin for opp in opportunities} == {"customer", "team"}
    assert all(opp.lens for opp in opportunities), "every opportunity carries a 4C lens"


def test_template_has_metrics_with_targets_and_stage_bindings(template: JourneyMap) -> None:
    metrics = _items_of(template, MetricItem)
    assert len(metrics) >= 3
    assert all(m.unit and m.target is not None and m.current is not None for m in metrics)
    bound = [m for m in metrics if m.binding is not None]
    assert bound
    stage_ids = {stage.id for stage in template.stages}
    for metric in bound:
        assert metric.binding is not None
        for key in ("from", "to", "cohort_stage", "return_stage"):
            if key in metric.binding.params:
                assert metric.binding.params[key] in stage_ids, (metric.id, key)


def test_template_has_action_plan_items_with_owner_and_due_date(template: JourneyMap) -> None:
    actions = _items_of(template, ActionItem)
    assert len(actions) >= 2
    assert all(action.owner and action.due and action.due.year == 2027 for action in actions)


def test_template_survives_a_yaml_round_trip(template: JourneyMap) -> None:
    again = parse_map(dump_yaml(template), source="round-trip")
    assert again == template
