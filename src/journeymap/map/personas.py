"""Personas kept outside a map (a workspace library): resolving a map's references to them, and
reading a file of personas (the persona drafts of ``journeymap segments -o personas.yaml``)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from pydantic import TypeAdapter, ValidationError

from journeymap.map.io import json_problem, parse_yaml
from journeymap.map.model import JourneyMap, Persona, PersonaRef, slugify
from journeymap.map.validation import (
    MapValidationError,
    Problem,
    problems_from_pydantic,
    with_line,
)

_PERSONA_LIST: TypeAdapter[list[Persona]] = TypeAdapter(list[Persona])


def library_refs(doc: JourneyMap) -> list[str]:
    """The library keys (``ref``) of every persona reference of the map, in map order."""
    return [p.ref for p in doc.personas if isinstance(p, PersonaRef)]


def resolve_personas(doc: JourneyMap, library: Mapping[str, Persona]) -> JourneyMap:
    """``doc`` with every reference found in ``library`` replaced by the library persona.

    The persona takes the reference's id (unique in the map) and keeps only its expectations
    at stages this map has; a reference missing from the library stays a reference. The
    result is for showing and rendering the map; the stored document keeps its references.
    """
    if not any(isinstance(p, PersonaRef) and p.ref in library for p in doc.personas):
        return doc
    stages = {stage.id for stage in doc.stages}
    personas: list[Persona | PersonaRef] = []
    for entry in doc.personas:
        found = library.get(entry.ref) if isinstance(entry, PersonaRef) else None
        if found is None:
            personas.append(entry)
            continue
        expectations = {k: v for k, v in found.stage_expectations.items() if k in stages}
        personas.append(
            found.model_copy(update={"id": entry.id, "stage_expectations": expectations})
        )
    return doc.model_copy(update={"personas": personas})


def parse_personas(text: str, *, source: str = "<string>", fmt: str = "yaml") -> list[Persona]:
    """Personas from YAML or JSON text: ``{personas: [...]}`` or a bare list; a persona
    without an ``id`` gets one made from its name.

    Raises :class:`MapValidationError` with the line of every problem.
    """
    if fmt == "json":
        try:
            data: Any = json.loads(text)
        except json.JSONDecodeError as exc:
            raise MapValidationError([json_problem(exc)], source) from exc
        lines: dict[Any, int] = {}
    elif fmt == "yaml":
        data, lines = parse_yaml(text, source)
    else:
        raise ValueError(f"unknown persona file format {fmt!r}: use 'yaml' or 'json'")
    prefix: tuple[str, ...] = ()
    if isinstance(data, dict) and set(data) == {"personas"}:
        data, prefix = data["personas"], ("personas",)
    if not isinstance(data, list):
        problem = Problem.of((), "not_personas")
        raise MapValidationError([with_line(problem, lines)], source)
    taken = {p["id"] for p in data if isinstance(p, dict) and isinstance(p.get("id"), str)}
    for entry in data:
        if isinstance(entry, dict) and "id" not in entry and isinstance(entry.get("name"), str):
            entry["id"] = slugify(entry["name"], taken)
            taken.add(entry["id"])
    try:
        personas = _PERSONA_LIST.validate_python(data)
    except ValidationError as exc:
        problems = [
            with_line(replace(p, loc=(*prefix, *p.loc)), lines) for p in problems_from_pydantic(exc)
        ]
        raise MapValidationError(problems, source) from exc
    if not personas:
        raise MapValidationError([Problem.of(prefix, "no_personas")], source)
    return personas
