"""The simulation spec: a YAML document of personas and their behaviour, built on a journey map.

A spec names a map (a shipped template or a map file); every touchpoint and stage id it uses must
exist in that map. Errors name the file, the line and the field, like map files do.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from journeymap.data.channels import CHANNEL_GROUPS
from journeymap.map.io import load_map, parse_yaml, read_document
from journeymap.map.model import ID_PATTERN, JourneyMap, TouchpointItem
from journeymap.map.templates import UnknownTemplateError, load_template
from journeymap.map.validation import (
    Loc,
    MapValidationError,
    Problem,
    problems_from_pydantic,
    with_line,
)

SPEC_VERSION = 1
EXIT = "exit"
DEFAULT = "default"
PROBABILITY_TOLERANCE = 1e-6
TIME_UNITS: dict[str, float] = {"seconds": 1.0, "minutes": 60.0, "hours": 3600.0, "days": 86400.0}
_SPECS_PACKAGE = "journeymap.simulate"
_SPECS_FOLDER = "specs"

Id = Annotated[str, Field(pattern=ID_PATTERN, min_length=1, max_length=80)]
Probability = Annotated[float, Field(ge=0, le=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LogNormal(_Strict):
    """A log-normal distribution given by its median and the sigma of its logarithm."""

    dist: Literal["lognormal"]
    median: float = Field(gt=0)
    sigma: float = Field(ge=0, le=5)
    unit: Literal["seconds", "minutes", "hours", "days"] | None = None


class Exponential(_Strict):
    """An exponential distribution given by its mean."""

    dist: Literal["exponential"]
    mean: float = Field(gt=0)
    unit: Literal["seconds", "minutes", "hours", "days"] | None = None


Distribution = Annotated[LogNormal | Exponential, Field(discriminator="dist")]


def scale_seconds(distribution: LogNormal | Exponential) -> float:
    """Seconds per unit of a time-gap distribution."""
    return TIME_UNITS[distribution.unit or "seconds"]


class Repeat(_Strict):
    """Repeat purchases: after a journey with a purchase, the customer may come back."""

    probability: Probability
    gap: Distribution
    start: str
    max_repeats: int = Field(default=3, ge=0, le=100)


class PersonaSurveys(_Strict):
    """A persona's survey answers: CSAT 1-5 per touchpoint and NPS 0-10, as probabilities."""

    csat: dict[str, list[Probability]] = Field(default_factory=dict)
    nps: list[Probability] | None = None


class PersonaSpec(_Strict):
    """How one persona moves through the journey."""

    id: Id
    name: str | None = None
    weight: float = Field(gt=0)
    start: dict[str, Probability]
    transitions: dict[str, dict[str, Probability]]
    channels: dict[str, dict[str, Probability]]
    gaps: dict[str, Distribution]  # "default", "FROM" or "FROM->TO"
    order_value: Distribution | dict[str, Distribution]  # one, or per purchase touchpoint
    repeat: Repeat | None = None
    surveys: PersonaSurveys = PersonaSurveys()


class MapRef(_Strict):
    """The map a spec is built on: a shipped template id or a map file (relative to the spec)."""

    template: str | None = None
    file: str | None = None
    language: str = "en"


class CommentPool(_Strict):
    """Free-text comments for one touchpoint, by the sentiment of the CSAT score they go with."""

    positive: list[str] = Field(default_factory=list)
    neutral: list[str] = Field(default_factory=list)
    negative: list[str] = Field(default_factory=list)


class SurveyTexts(_Strict):
    """The free texts of one language: comments per touchpoint, abandon reasons per stage."""

    comments: dict[str, CommentPool] = Field(default_factory=dict)
    abandon_reasons: dict[str, list[str]] = Field(default_factory=dict)


class SurveySettings(_Strict):
    """How often customers answer (per touchpoint event, once per customer, on abandoning), and
    the free texts per language (the map's language picks them)."""

    csat_rate: Probability = 0.05
    nps_rate: Probability = 0.2
    exit_rate: Probability = 0.1
    comment_rate: Probability = 0.3
    texts: dict[str, SurveyTexts] = Field(default_factory=dict)


class SimulationSpec(_Strict):
    """A whole simulation spec as written in YAML."""

    spec_version: int = SPEC_VERSION
    id: Id
    title: str | None = None
    map: MapRef
    start: dt.datetime
    period_days: float = Field(gt=0, le=3650)
    session_timeout_minutes: float = Field(default=30, gt=0)
    max_events_per_customer: int = Field(default=200, ge=1, le=10_000)
    purchase: list[str] = Field(min_length=1)
    events: dict[str, str] = Field(default_factory=dict)
    personas: list[PersonaSpec] = Field(min_length=1)
    surveys: SurveySettings = SurveySettings()


class SpecError(MapValidationError):
    """A simulation spec that cannot be used; carries every problem with file and line."""


@dataclass(frozen=True)
class Touchpoint:
    """A touchpoint of the map with the stage it belongs to."""

    id: str
    stage: str
    text: str


@dataclass(frozen=True)
class Simulation:
    """A validated spec with its map and the map's touchpoints in map order."""

    spec: SimulationSpec
    journey_map: JourneyMap
    touchpoints: tuple[Touchpoint, ...]
    source: str

    @property
    def language(self) -> str:
        """The language of the map, which picks the survey texts."""
        return self.journey_map.language

    def texts(self) -> SurveyTexts:
        """The survey texts in the map's language (none when the spec has none for it)."""
        return self.spec.surveys.texts.get(self.language, SurveyTexts())

    @property
    def stages(self) -> tuple[str, ...]:
        """The map's stage ids, in order."""
        return tuple(stage.id for stage in self.journey_map.stages)

    def touchpoint_index(self) -> dict[str, int]:
        """Touchpoint id -> position in :attr:`touchpoints`."""
        return {tp.id: n for n, tp in enumerate(self.touchpoints)}

    def with_spec(self, spec: SimulationSpec) -> Simulation:
        """The same map with another spec (validated again)."""
        problems = spec_problems(spec, self.journey_map, self.touchpoints)
        if problems:
            raise SpecError(problems, self.source)
        return Simulation(spec, self.journey_map, self.touchpoints, self.source)


def map_touchpoints(journey_map: JourneyMap) -> tuple[Touchpoint, ...]:
    """Every touchpoint item of ``journey_map`` with its stage, in stage then lane order."""
    order = {stage.id: n for n, stage in enumerate(journey_map.stages)}
    found = [
        (order.get(cell.stage, len(order)), n, Touchpoint(item.id, cell.stage, item.text))
        for n, (cell, item) in enumerate(journey_map.iter_items())
        if isinstance(item, TouchpointItem)
    ]
    return tuple(tp for _, _, tp in sorted(found, key=lambda entry: entry[:2]))


def parse_spec(
    text: str,
    *,
    source: str = "<string>",
    base_dir: Path | None = None,
    language: str | None = None,
) -> Simulation:
    """Parse, validate and resolve a spec from YAML text (map files relative to ``base_dir``).

    ``language`` replaces the language of a template map (the survey texts follow it).
    """
    try:
        data, lines = parse_yaml(text, source)
    except MapValidationError as exc:
        raise SpecError(exc.problems, source) from exc
    if not isinstance(data, dict):
        raise SpecError([Problem((), "a spec must be a mapping of fields")], source)
    version = data.get("spec_version", SPEC_VERSION)
    if version != SPEC_VERSION:
        problem = Problem(
            ("spec_version",), f"unsupported spec_version {version!r}: expected {SPEC_VERSION}"
        )
        raise SpecError([with_line(problem, lines)], source)
    data, problems = _inherit_personas(data)
    if problems:
        raise SpecError([with_line(p, lines) for p in problems], source)
    if language is not None and isinstance(data.get("map"), dict):
        data["map"] = {**data["map"], "language": language}
    try:
        spec = SimulationSpec.model_validate(data)
    except ValidationError as exc:
        raise SpecError([with_line(p, lines) for p in problems_from_pydantic(exc)], source) from exc
    try:
        journey_map = _resolve_map(spec.map, base_dir)
    except (MapValidationError, UnknownTemplateError) as exc:
        problem = Problem(("map",), f"cannot load the map: {exc}")
        raise SpecError([with_line(problem, lines)], source) from exc
    touchpoints = map_touchpoints(journey_map)
    problems = spec_problems(spec, journey_map, touchpoints)
    if problems:
        raise SpecError([with_line(p, lines) for p in problems], source)
    return Simulation(spec, journey_map, touchpoints, source)


def _inherit_personas(data: dict[str, Any]) -> tuple[dict[str, Any], list[Problem]]:
    """Resolve ``extends: <persona id>``: the persona starts as a copy of that (earlier) persona.

    ``transitions``, ``channels``, ``gaps`` and ``surveys.csat`` merge one level deep: a row, a
    channel mix or a gap named in the persona replaces the base's, the others are inherited; any
    other field given (``start``, ``order_value``, ``repeat``...) replaces the base's whole.
    """
    personas = data.get("personas")
    if not isinstance(personas, list):
        return data, []
    problems: list[Problem] = []
    resolved: dict[str, dict[str, Any]] = {}
    out: list[Any] = []
    for n, persona in enumerate(personas):
        if isinstance(persona, dict) and "extends" in persona:
            base_id = persona["extends"]
            base = resolved.get(base_id)
            if base is None:
                problems.append(
                    Problem(
                        ("personas", n, "extends"),
                        f"unknown persona {base_id!r}: 'extends' names a persona defined above",
                    )
                )
                out.append(persona)
                continue
            merged = {k: v for k, v in base.items() if k not in ("id", "name", "weight")}
            for key, value in persona.items():
                if key == "extends":
                    continue
                inherited = merged.get(key)
                if (
                    key in _MERGED_FIELDS
                    and isinstance(inherited, dict)
                    and isinstance(value, dict)
                ):
                    value = {**inherited, **value}
                    if key == "surveys" and isinstance(inherited.get("csat"), dict):
                        value["csat"] = {**inherited["csat"], **(value.get("csat") or {})}
                merged[key] = value
            persona = merged
        if isinstance(persona, dict) and isinstance(persona.get("id"), str):
            resolved[persona["id"]] = persona
        out.append(persona)
    return {**data, "personas": out}, problems


_MERGED_FIELDS = frozenset({"transitions", "channels", "gaps", "surveys"})


def load_spec(path: str | Path, *, language: str | None = None) -> Simulation:
    """Read and validate a spec file (``language``: see :func:`parse_spec`)."""
    path = Path(path)
    text = read_document(path, SpecError)
    return parse_spec(text, source=str(path), base_dir=path.parent, language=language)


def shipped_specs() -> list[str]:
    """The ids of the specs shipped with journeymap (one per map template)."""
    folder = resources.files(_SPECS_PACKAGE).joinpath(_SPECS_FOLDER)
    return sorted(
        e.name.removesuffix(".yaml") for e in folder.iterdir() if e.name.endswith(".yaml")
    )


def load_shipped_spec(spec_id: str, *, language: str | None = None) -> Simulation:
    """The shipped spec for the template ``spec_id`` (in the template's ``language``)."""
    known = shipped_specs()
    if spec_id not in known:
        raise SpecError([Problem((), f"unknown spec {spec_id!r}; shipped: {', '.join(known)}")])
    name = f"{spec_id}.yaml"
    text = resources.files(_SPECS_PACKAGE).joinpath(_SPECS_FOLDER, name).read_text("utf-8")
    return parse_spec(text, source=f"specs/{name}", language=language)


def resolve_spec(spec: str | Path, *, language: str | None = None) -> Simulation:
    """A spec file, or when no such file exists, the shipped spec of that id."""
    path = Path(spec)
    if not path.exists() and str(spec) in shipped_specs():
        return load_shipped_spec(str(spec), language=language)
    return load_spec(path, language=language)


def _resolve_map(ref: MapRef, base_dir: Path | None) -> JourneyMap:
    if ref.template:
        return load_template(ref.template, ref.language)
    assert ref.file is not None
    path = Path(ref.file)
    if not path.is_absolute() and base_dir is not None:
        path = base_dir / path
    return load_map(path)


def spec_problems(
    spec: SimulationSpec, journey_map: JourneyMap, touchpoints: tuple[Touchpoint, ...]
) -> list[Problem]:
    """Problems a field check cannot see: ids missing from the map, rows not summing to 1."""
    problems: list[Problem] = []
    tp_ids = {tp.id for tp in touchpoints}
    stage_ids = {stage.id for stage in journey_map.stages}

    def known(tp: str, loc: Loc, extra: tuple[str, ...] = ()) -> bool:
        if tp in tp_ids or tp in extra:
            return True
        hint = ", ".join(sorted(tp_ids)[:12]) or "none"
        problems.append(
            Problem(loc, f"unknown touchpoint {tp!r}: the map {journey_map.id!r} has {hint}")
        )
        return False

    if (spec.map.template is None) == (spec.map.file is None):
        problems.append(Problem(("map",), "give exactly one of 'template' or 'file'"))
    for n, tp in enumerate(spec.purchase):
        known(tp, ("purchase", n))
    for tp in spec.events:
        known(tp, ("events", tp))
    texts = spec.surveys.texts
    if texts and journey_map.language not in texts:
        problems.append(
            Problem(
                ("surveys", "texts"),
                f"no survey texts in the map's language {journey_map.language!r} "
                f"(the spec has {', '.join(sorted(texts))})",
            )
        )
    for lang, lang_texts in texts.items():
        for tp in lang_texts.comments:
            known(tp, ("surveys", "texts", lang, "comments", tp))
        for key in lang_texts.abandon_reasons:
            if key in stage_ids or key == DEFAULT:
                continue
            problems.append(
                Problem(
                    ("surveys", "texts", lang, "abandon_reasons", key),
                    f"unknown stage {key!r}: use a stage id of the map or 'default' "
                    f"(stages: {', '.join(sorted(stage_ids))})",
                )
            )
    seen: set[str] = set()
    for p, persona in enumerate(spec.personas):
        loc: Loc = ("personas", p)
        if persona.id in seen:
            problems.append(Problem((*loc, "id"), f"duplicate persona id {persona.id!r}"))
        seen.add(persona.id)
        problems.extend(_persona_problems(persona, loc, known, tp_ids, set(spec.purchase)))
    return problems


def _persona_problems(
    persona: PersonaSpec,
    loc: Loc,
    known: Callable[..., bool],
    tp_ids: set[str],
    purchase: set[str],
) -> list[Problem]:
    problems: list[Problem] = []

    def row(values: Mapping[str, float], where: Loc, what: str) -> None:
        total = math.fsum(values.values())
        if abs(total - 1) > PROBABILITY_TOLERANCE:
            problems.append(Problem(where, f"{what} sum to {total:.6g}, not 1"))

    for tp in persona.start:
        known(tp, (*loc, "start", tp))
    row(persona.start, (*loc, "start"), "start probabilities")
    for source, targets in persona.transitions.items():
        known(source, (*loc, "transitions", source))
        for target in targets:
            known(target, (*loc, "transitions", source, target), (EXIT,))
        row(targets, (*loc, "transitions", source), f"transition probabilities from {source!r}")
    reachable = {tp for tp, p in persona.start.items() if p > 0}
    reachable |= {t for row_ in persona.transitions.values() for t, p in row_.items() if p > 0}
    if persona.repeat is not None:
        known(persona.repeat.start, (*loc, "repeat", "start"))
        reachable.add(persona.repeat.start)
        if persona.repeat.gap.unit is None:
            problems.append(Problem((*loc, "repeat", "gap", "unit"), "a time gap needs a unit"))
    for tp in sorted(reachable & tp_ids):
        if tp not in persona.transitions:
            problems.append(
                Problem(
                    (*loc, "transitions"),
                    f"touchpoint {tp!r} can be reached but has no transitions row "
                    "(add one; use 'exit: 1' for the end of a journey)",
                )
            )
    for tp, mix in persona.channels.items():
        if tp != DEFAULT:
            known(tp, (*loc, "channels", tp))
        for channel in mix:
            if channel not in CHANNEL_GROUPS:
                problems.append(
                    Problem(
                        (*loc, "channels", tp, channel),
                        f"unknown channel {channel!r}: use a default channel group "
                        f"({', '.join(CHANNEL_GROUPS)})",
                    )
                )
        row(mix, (*loc, "channels", tp), f"channel shares at {tp!r}")
    if DEFAULT not in persona.channels:
        problems.append(Problem((*loc, "channels"), "a 'default' channel mix is required"))
    for key, gap in persona.gaps.items():
        source, arrow, target = key.partition("->")
        if key != DEFAULT and known(source.strip(), (*loc, "gaps", key)) and arrow:
            known(target.strip(), (*loc, "gaps", key), (EXIT,))
        if gap.unit is None:
            problems.append(Problem((*loc, "gaps", key, "unit"), "a time gap needs a unit"))
    if DEFAULT not in persona.gaps:
        problems.append(Problem((*loc, "gaps"), "a 'default' time gap is required"))
    values = persona.order_value
    if not isinstance(values, dict):
        values = {DEFAULT: values}
    for key, value in values.items():
        at: Loc = (*loc, "order_value") if key == DEFAULT else (*loc, "order_value", key)
        if key != DEFAULT and known(key, at) and key not in purchase:
            problems.append(Problem(at, f"{key!r} is not a purchase touchpoint"))
        if value.unit is not None:
            problems.append(Problem((*at, "unit"), "an order value has no time unit"))
    missing = [tp for tp in purchase if tp not in values and DEFAULT not in values]
    if missing:
        problems.append(
            Problem((*loc, "order_value"), f"no order value for {', '.join(map(repr, missing))}")
        )
    for tp, answers in persona.surveys.csat.items():
        if tp != DEFAULT:
            known(tp, (*loc, "surveys", "csat", tp))
        where: Loc = (*loc, "surveys", "csat", tp)
        if len(answers) != 5:
            problems.append(Problem(where, f"CSAT needs 5 probabilities (1-5), got {len(answers)}"))
        else:
            row(dict(zip("12345", answers, strict=True)), where, "CSAT probabilities")
    nps = persona.surveys.nps
    if nps is not None:
        where = (*loc, "surveys", "nps")
        if len(nps) != 11:
            problems.append(Problem(where, f"NPS needs 11 probabilities (0-10), got {len(nps)}"))
        else:
            row({str(n): p for n, p in enumerate(nps)}, where, "NPS probabilities")
    return problems
