"""Simulation specs: shipped specs for every template, errors with file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeymap.map.templates import list_templates, load_template
from journeymap.simulate.spec import (
    SpecError,
    load_shipped_spec,
    load_spec,
    parse_spec,
    resolve_spec,
    shipped_specs,
)

LINEAR = Path(__file__).parent / "linear_spec.yaml"


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    text = LINEAR.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "spec.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _line_of(path: Path, fragment: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if fragment in line:
            return number
    raise AssertionError(fragment)


def test_every_template_ships_a_spec_of_the_same_id() -> None:
    assert shipped_specs() == sorted(t.id for t in list_templates())


@pytest.mark.parametrize("spec_id", shipped_specs())
def test_shipped_spec_is_valid_and_covers_its_map(spec_id: str) -> None:
    simulation = load_shipped_spec(spec_id)
    assert simulation.journey_map.id == spec_id
    used = set()
    for persona in simulation.spec.personas:
        used |= set(persona.start) | set(persona.transitions)
    map_touchpoints = {tp.id for tp in simulation.touchpoints}
    assert used <= map_touchpoints
    assert len(used) >= 0.8 * len(map_touchpoints), "the spec should use most of the map"
    texts = simulation.texts()
    assert texts.comments and texts.abandon_reasons


@pytest.mark.parametrize(
    "spec_id", [t.id for t in list_templates() if len(t.languages) > 1 and t.id in shipped_specs()]
)
def test_shipped_spec_has_survey_texts_in_every_language_of_its_template(spec_id: str) -> None:
    for info in list_templates():
        if info.id != spec_id:
            continue
        for language in info.languages:
            simulation = load_shipped_spec(spec_id, language=language)
            assert simulation.language == load_template(spec_id, language).language
            assert simulation.texts().comments


def test_resolve_spec_takes_a_file_or_a_shipped_id() -> None:
    assert resolve_spec(LINEAR).spec.id == "linear-b2b"
    assert resolve_spec("b2b-sales").spec.id == "b2b-sales"


def test_unknown_touchpoint_is_named_with_file_and_line(tmp_path: Path) -> None:
    path = _broken(tmp_path, "tp-demo-form: {tp-tailored-demo", "tp-demo-formx: {tp-tailored-demo")
    with pytest.raises(SpecError) as caught:
        load_spec(path)
    line = _line_of(path, "tp-demo-formx:")
    assert f"{path}:{line}: personas[0].transitions.tp-demo-formx: unknown touchpoint" in str(
        caught.value
    )


def test_unknown_transition_target_is_named(tmp_path: Path) -> None:
    path = _broken(tmp_path, "{tp-esignature: 0.8", "{tp-nowhere: 0.8")
    with pytest.raises(SpecError, match=r"transitions\.tp-proposal-pdf\.tp-nowhere: unknown"):
        load_spec(path)


def test_row_that_does_not_sum_to_one_is_an_error(tmp_path: Path) -> None:
    path = _broken(tmp_path, "{tp-demo-form: 0.6, exit: 0.4}", "{tp-demo-form: 0.6, exit: 0.5}")
    with pytest.raises(SpecError) as caught:
        load_spec(path)
    line = _line_of(path, "tp-website-pricing: {tp-demo-form")
    assert f":{line}: " in str(caught.value)
    assert "transition probabilities from 'tp-website-pricing' sum to 1.1, not 1" in str(
        caught.value
    )


def test_reachable_touchpoint_without_a_row_is_an_error(tmp_path: Path) -> None:
    path = _broken(tmp_path, "      tp-welcome-email: {exit: 1}\n", "")
    with pytest.raises(SpecError, match="'tp-welcome-email' can be reached but has no transitions"):
        load_spec(path)


def test_unknown_channel_lists_the_channel_groups(tmp_path: Path) -> None:
    path = _broken(tmp_path, "Email: 0.2}", "E-mail: 0.2}")
    with pytest.raises(SpecError, match="unknown channel 'E-mail': use a default channel group"):
        load_spec(path)


def test_unknown_stage_in_abandon_reasons_is_named(tmp_path: Path) -> None:
    path = _broken(tmp_path, '        default: ["Went', '        checkout: ["Went')
    with pytest.raises(SpecError, match="unknown stage 'checkout'"):
        load_spec(path)


def test_missing_unit_on_a_time_gap_is_an_error(tmp_path: Path) -> None:
    path = _broken(tmp_path, "sigma: 0.8, unit: hours}", "sigma: 0.8}")
    with pytest.raises(SpecError, match=r"gaps\.default\.unit: a time gap needs a unit"):
        load_spec(path)


def test_unknown_field_is_reported_at_its_line(tmp_path: Path) -> None:
    path = _broken(tmp_path, "period_days: 30", "period_days: 30\nperiod_weeks: 4")
    with pytest.raises(SpecError) as caught:
        load_spec(path)
    assert f"{path}:{_line_of(path, 'period_weeks')}: period_weeks: unknown field" in str(
        caught.value
    )


def test_unknown_map_template_is_an_error_at_the_map_field(tmp_path: Path) -> None:
    path = _broken(tmp_path, "template: b2b-sales", "template: b2c-sales")
    with pytest.raises(SpecError, match=r"map: cannot load the map: unknown template 'b2c-sales'"):
        load_spec(path)


def test_map_file_is_read_relative_to_the_spec(tmp_path: Path) -> None:
    from journeymap.map.io import save_map

    save_map(load_template("b2b-sales"), tmp_path / "maps" / "sales.yaml")
    path = _broken(tmp_path, "template: b2b-sales", "file: maps/sales.yaml")
    assert load_spec(path).journey_map.id == "b2b-sales"


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = _broken(tmp_path, "period_days: 30", "period_days: [30")
    with pytest.raises(SpecError, match="YAML syntax error"):
        load_spec(path)


def test_extends_inherits_rows_and_replaces_the_named_ones() -> None:
    text = LINEAR.read_text(encoding="utf-8").replace(
        "surveys:\n  csat_rate",
        "  - id: hesitant\n    extends: buyer\n    weight: 1\n    transitions:\n"
        "      tp-proposal-pdf: {tp-esignature: 0.3, exit: 0.7}\n"
        "surveys:\n  csat_rate",
    )
    simulation = parse_spec(text)
    buyer, hesitant = simulation.spec.personas
    assert hesitant.transitions["tp-proposal-pdf"] == {"tp-esignature": 0.3, "exit": 0.7}
    assert hesitant.transitions["tp-demo-form"] == buyer.transitions["tp-demo-form"]
    assert hesitant.order_value == buyer.order_value


def test_extends_an_unknown_persona_is_an_error() -> None:
    text = LINEAR.read_text(encoding="utf-8").replace(
        "surveys:\n  csat_rate", "  - id: other\n    extends: nobody\nsurveys:\n  csat_rate"
    )
    with pytest.raises(SpecError, match=r"personas\[1\]\.extends: unknown persona 'nobody'"):
        parse_spec(text)


def test_survey_texts_must_exist_in_the_maps_language(tmp_path: Path) -> None:
    path = _broken(tmp_path, "  texts:\n    en:", "  texts:\n    de:")
    with pytest.raises(SpecError, match="no survey texts in the map's language 'en'"):
        load_spec(path)
