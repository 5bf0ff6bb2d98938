"""Library personas in the core: resolving a map's references, reading a file of personas."""

from __future__ import annotations

import pytest

from journeymap.map.io import parse_map
from journeymap.map.model import Persona, PersonaRef
from journeymap.map.personas import library_refs, parse_personas, resolve_personas
from journeymap.map.validation import MapValidationError

MAP = """
id: m
title: M
personas:
  - {id: own, name: Own Persona}
  - {id: zoe-link, ref: zoe, name: Old name}
  - {id: gone, ref: deleted-one}
stages:
  - {id: pay, title: Pay}
"""


def library() -> dict[str, Persona]:
    zoe = Persona(
        id="zoe",
        name="Zoe Carter",
        stage_expectations={"pay": ["BLIK"], "elsewhere": ["not in this map"]},
        empathy={"says": ["Too slow"], "feels": ["Impatient"]},
    )
    return {"zoe": zoe}


def test_library_refs_lists_the_references_in_map_order() -> None:
    assert library_refs(parse_map(MAP)) == ["zoe", "deleted-one"]


def test_resolve_replaces_found_references_keeping_their_map_id() -> None:
    doc = resolve_personas(parse_map(MAP), library())
    own, zoe, gone = doc.personas
    assert isinstance(own, Persona) and own.name == "Own Persona"
    assert isinstance(zoe, Persona)
    assert (zoe.id, zoe.name, zoe.empathy and zoe.empathy.says) == (
        "zoe-link",
        "Zoe Carter",
        ["Too slow"],
    )
    assert zoe.stage_expectations == {"pay": ["BLIK"]}  # only the stages of this map
    assert isinstance(gone, PersonaRef) and gone.ref == "deleted-one"


def test_resolve_leaves_the_input_and_a_map_without_found_references_alone() -> None:
    doc = parse_map(MAP)
    resolve_personas(doc, library())
    assert isinstance(doc.personas[1], PersonaRef)
    assert resolve_personas(doc, {}) is doc


DRAFTS = """\
personas:
  - id: segment-1
    name: Loyal buyers
    data_backed: true
    size: 0.4
  - id: segment-2
    name: Browsers
"""


def test_parse_personas_reads_the_segments_drafts_and_a_bare_list() -> None:
    personas = parse_personas(DRAFTS, source="p.yaml")
    assert [(p.id, p.data_backed, p.size) for p in personas] == [
        ("segment-1", True, 0.4),
        ("segment-2", False, None),
    ]
    bare = parse_personas('[{"id": "a", "name": "A"}]', fmt="json")
    assert [p.name for p in bare] == ["A"]


def test_parse_personas_names_file_line_and_field_of_every_problem() -> None:
    bad = DRAFTS.replace("size: 0.4", "size: 4").replace("name: Browsers", "nickname: B")
    with pytest.raises(MapValidationError) as exc:
        parse_personas(bad, source="p.yaml")
    text = "\n".join(exc.value.messages)
    assert "p.yaml:5: personas[0].size: Input should be less than or equal to 1 (got 4)" in text
    assert "p.yaml:7: personas[1].nickname: unknown field" in text
    assert "p.yaml:6: personas[1].name: required field is missing" in text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("title: x", "expected a list of personas"),
        ("personas: []", "the file holds no personas"),
        ("personas: [", "YAML syntax error"),
    ],
)
def test_parse_personas_refuses_what_is_not_a_list_of_personas(text: str, message: str) -> None:
    with pytest.raises(MapValidationError, match=message):
        parse_personas(text, source="p.yaml")
