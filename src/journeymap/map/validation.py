"""Validation of map documents with messages that name the field, and the file and line for YAML."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

if TYPE_CHECKING:
    from journeymap.map.model import JourneyMap

Loc = tuple[str | int, ...]

# Tags Pydantic puts into an error location for tagged unions; they say nothing to a user.
_UNION_TAGS = frozenset(
    {
        "note",
        "touchpoint",
        "channel",
        "emotion",
        "pain_point",
        "success_point",
        "turning_point",
        "opportunity",
        "idea",
        "metric",
        "action",
        "image",
        "persona",
        "ref",
    }
)


def format_loc(loc: Loc) -> str:
    """``('stages', 3, 'id')`` -> ``'stages[3].id'``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(document)"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a map: where (a field path, and a line when known) and what."""

    loc: Loc
    message: str
    line: int | None = None

    def describe(self, source: str | None = None) -> str:
        """``map.yaml:42: stages[3].id: duplicate id 'payment'`` (parts that are known)."""
        where = ""
        if source:
            where = f"{source}:{self.line}: " if self.line else f"{source}: "
        field_path = f"{format_loc(self.loc)}: " if self.loc else ""
        return f"{where}{field_path}{self.message}"


class MapValidationError(ValueError):
    """A map document that is not valid; carries every problem found."""

    def __init__(self, problems: Sequence[Problem], source: str | None = None) -> None:
        self.problems = list(problems)
        self.source = source
        self.messages = [p.describe(source) for p in self.problems]
        super().__init__("\n".join(self.messages))


def _clean_loc(loc: Sequence[str | int]) -> Loc:
    return tuple(
        part
        for n, part in enumerate(loc)
        if not (isinstance(part, str) and part in _UNION_TAGS and n and isinstance(loc[n - 1], int))
    )


_RANGES = {
    "score": "an emotion score must be from -2 (very negative) to +2 (very positive)",
    "severity": "severity must be 1 (minor), 2 (major) or 3 (critical)",
}


def _pydantic_message(error: Mapping[str, Any]) -> str:
    message = str(error["msg"])
    kind = error["type"]
    last = error["loc"][-1] if error["loc"] else None
    if last in _RANGES and kind in {"less_than_equal", "greater_than_equal"}:
        message = f"{_RANGES[last]} (got {error['input']!r})"
    elif kind in {"less_than_equal", "greater_than_equal", "less_than", "greater_than"}:
        message += f" (got {error['input']!r})"
    elif kind == "string_pattern_mismatch":
        message = (
            f"{error['input']!r} is not a valid id: use lower-case letters, digits, '-' and '_',"
            " starting with a letter or digit"
        )
    elif kind == "extra_forbidden":
        message = "unknown field"
    elif kind == "missing":
        message = "required field is missing"
    elif kind == "union_tag_invalid":
        message = (
            f"unknown item kind {error['input'].get('kind')!r}"
            if isinstance(error["input"], dict)
            else message
        )
    return message


def problems_from_pydantic(exc: ValidationError) -> list[Problem]:
    """Pydantic's errors as problems with clean locations and plain messages."""
    return [Problem(_clean_loc(err["loc"]), _pydantic_message(err)) for err in exc.errors()]


def reference_problems(doc: JourneyMap) -> list[Problem]:
    """Problems a field-by-field check cannot see: ids, references, lane kinds, one emotion."""
    from journeymap.map.model import LANE_ITEM_KINDS, EmotionItem, Persona

    problems: list[Problem] = []
    seen: dict[str, Loc] = {}

    def claim(item_id: str, loc: Loc) -> None:
        if item_id in seen:
            first = format_loc(seen[item_id])
            problems.append(
                Problem((*loc, "id"), f"duplicate id {item_id!r} (first used at {first})")
            )
        else:
            seen[item_id] = loc

    for i, each_stage in enumerate(doc.stages):
        claim(each_stage.id, ("stages", i))
        for j, step in enumerate(each_stage.steps):
            claim(step.id, ("stages", i, "steps", j))
    for i, each_lane in enumerate(doc.lanes):
        claim(each_lane.id, ("lanes", i))
    stage_ids = {s.id for s in doc.stages}
    for i, persona in enumerate(doc.personas):
        claim(persona.id, ("personas", i))
        if isinstance(persona, Persona):
            for stage_id in persona.stage_expectations:
                if stage_id not in stage_ids:
                    problems.append(
                        Problem(
                            ("personas", i, "stage_expectations", stage_id),
                            f"unknown stage {stage_id!r}",
                        )
                    )

    lanes = {each.id: each for each in doc.lanes}
    stages = {each.id: each for each in doc.stages}
    cells_seen: dict[tuple[str, str], int] = {}
    for c, cell in enumerate(doc.cells):
        lane = lanes.get(cell.lane)
        stage = stages.get(cell.stage)
        if lane is None:
            problems.append(Problem(("cells", c, "lane"), f"unknown lane {cell.lane!r}"))
        if stage is None:
            problems.append(Problem(("cells", c, "stage"), f"unknown stage {cell.stage!r}"))
        key = (cell.lane, cell.stage)
        if key in cells_seen:
            problems.append(
                Problem(
                    ("cells", c),
                    f"second cell for lane {cell.lane!r} and stage {cell.stage!r}"
                    f" (the first is cells[{cells_seen[key]}]); put all items in one cell",
                )
            )
        else:
            cells_seen[key] = c
        emotion_slots: set[str | None] = set()
        step_ids = {s.id for s in stage.steps} if stage else set()
        for n, item in enumerate(cell.items):
            loc: Loc = ("cells", c, "items", n)
            claim(item.id, loc)
            if lane is not None and item.kind not in LANE_ITEM_KINDS[lane.kind]:
                allowed = ", ".join(sorted(LANE_ITEM_KINDS[lane.kind]))
                problems.append(
                    Problem(
                        (*loc, "kind"),
                        f"a {item.kind!r} item cannot go in lane {lane.id!r} of kind"
                        f" {lane.kind.value!r} (allowed: {allowed})",
                    )
                )
            if item.step is not None and stage is not None and item.step not in step_ids:
                problems.append(
                    Problem((*loc, "step"), f"stage {stage.id!r} has no step {item.step!r}")
                )
            if isinstance(item, EmotionItem):
                if item.step in emotion_slots:
                    where = f"step {item.step!r}" if item.step else f"stage {cell.stage!r}"
                    problems.append(
                        Problem(loc, f"more than one emotion score for {where} in this lane")
                    )
                emotion_slots.add(item.step)
    return problems


def validate_data(
    data: Any, *, source: str | None = None, lines: Mapping[Loc, int] | None = None
) -> JourneyMap:
    """Validate parsed data as a map, raising :class:`MapValidationError` with every problem."""
    from journeymap.map.model import SCHEMA_VERSION, JourneyMap

    if not isinstance(data, dict):
        raise MapValidationError(
            [Problem((), f"a map must be a mapping of fields, not {type(data).__name__}")], source
        )
    version = data.get("schema_version", SCHEMA_VERSION)
    if not isinstance(version, int) or version < 1 or version > SCHEMA_VERSION:
        problem = Problem(
            ("schema_version",),
            f"unsupported schema_version {version!r}: this journeymap reads version"
            f" {SCHEMA_VERSION}; upgrade journeymap to read newer maps",
        )
        raise MapValidationError([with_line(problem, lines)], source)
    try:
        doc = JourneyMap.model_validate(data, context={"defer_references": True})
    except ValidationError as exc:
        problems = problems_from_pydantic(exc)
    else:
        problems = reference_problems(doc)
    if problems:
        raise MapValidationError([with_line(p, lines) for p in problems], source)
    return doc


def with_line(problem: Problem, lines: Mapping[Loc, int] | None) -> Problem:
    """``problem`` with the line of its field, or of the nearest enclosing one, from ``lines``."""
    if not lines:
        return problem
    loc = problem.loc
    while loc:
        if loc in lines:
            return Problem(problem.loc, problem.message, lines[loc])
        loc = loc[:-1]
    return Problem(problem.loc, problem.message, lines.get((), None))
