"""Validation of map documents with messages that name the field, and the file and line for YAML."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
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


# The English text of each kind of problem by its stable code, filled (``%``-style) with the
# problem's values. Another language (the web app's) renders a problem from its code and values.
# Problems from Pydantic's checks of single fields keep Pydantic's English message; their codes
# are the values of PYDANTIC_CODES, those of _BOUNDS (values ``limit``, ``input``), "empty_text",
# "too_long_text" (``max``) and "not_one_of" (``expected``).
MESSAGES = {
    "not_a_mapping": "a map must be a mapping of fields, not %(type)s",
    "schema_version": (
        "unsupported schema_version %(version)r: this journeymap reads version %(supported)d;"
        " upgrade journeymap to read newer maps"
    ),
    "duplicate_id": "duplicate id %(id)r (first used at %(first)s)",
    "unknown_stage": "unknown stage %(stage)r",
    "unknown_lane": "unknown lane %(lane)r",
    "second_cell": (
        "second cell for lane %(lane)r and stage %(stage)r (the first is cells[%(first)d]);"
        " put all items in one cell"
    ),
    "kind_not_in_lane": (
        "a %(kind)r item cannot go in lane %(lane)r of kind %(lane_kind)r (allowed: %(allowed)s)"
    ),
    "no_such_step": "stage %(stage)r has no step %(step)r",
    "second_emotion_in_step": "more than one emotion score for step %(step)r in this lane",
    "second_emotion_in_stage": "more than one emotion score for stage %(stage)r in this lane",
    "score_range": (
        "an emotion score must be from -2 (very negative) to +2 (very positive) (got %(input)r)"
    ),
    "severity_range": "severity must be 1 (minor), 2 (major) or 3 (critical) (got %(input)r)",
    "bad_id": (
        "%(input)r is not a valid id: use lower-case letters, digits, '-' and '_', starting with"
        " a letter or digit"
    ),
    "bad_language": "%(input)r is not a language code such as 'en' or 'pt-BR'",
    "extra_forbidden": "unknown field",
    "missing": "required field is missing",
    "unknown_item_kind": "unknown item kind %(kind)r",
    "yaml_syntax": "YAML syntax error: %(reason)s",
    "json_syntax": "JSON syntax error: %(reason)s (column %(column)d)",
    "duplicate_key": "key appears twice in the same mapping",
    "unknown_file_type": "unknown map file type %(suffix)r: use .yaml, .yml or .json",
    "file_not_found": "file not found",
    "not_utf8": "file is not UTF-8 text",
    "not_personas": "expected a list of personas, or a mapping with only 'personas:'",
    "no_personas": "the file holds no personas",
    "unknown_template": "unknown template %(template)r; available: %(available)s",
    "no_template_language": (
        "template %(template)r has no language %(language)r; available: %(available)s"
    ),
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a map: where (a field path, and a line when known) and what.

    ``code`` (a key of :data:`MESSAGES`, or a code of a Pydantic check) and ``params`` say
    what as data, so that the message can be shown in another language; a problem without a
    code has only its English message.
    """

    loc: Loc
    message: str
    line: int | None = None
    code: str = ""
    params: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, loc: Loc, code: str, line: int | None = None, **params: Any) -> Problem:
        """The problem ``code`` at ``loc`` with its English message filled from ``params``."""
        return cls(loc, MESSAGES[code] % params, line, code, params)

    def describe(self, source: str | None = None, message: str | None = None) -> str:
        """``map.yaml:42: stages[3].id: duplicate id 'payment'`` (parts that are known);
        ``message``: what is wrong in other words (another language) than :attr:`message`."""
        where = ""
        if source:
            where = f"{source}:{self.line}: " if self.line else f"{source}: "
        field_path = f"{format_loc(self.loc)}: " if self.loc else ""
        return f"{where}{field_path}{self.message if message is None else message}"


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


_RANGES = {"score": "score_range", "severity": "severity_range"}
# Pydantic's bounds by error type: the code of the problem and the name of the bound.
_BOUNDS = {
    "greater_than_equal": ("at_least", "ge"),
    "less_than_equal": ("at_most", "le"),
    "greater_than": ("more_than", "gt"),
    "less_than": ("less_than", "lt"),
}
# The codes of Pydantic's error types that need no values.
PYDANTIC_CODES = {
    "string_type": "not_text",
    "int_type": "not_whole_number",
    "int_parsing": "not_whole_number",
    "int_from_float": "not_whole_number",
    "float_type": "not_number",
    "float_parsing": "not_number",
    "bool_type": "not_boolean",
    "bool_parsing": "not_boolean",
    "list_type": "not_list",
    "dict_type": "not_mapping",
    "model_type": "not_mapping",
    "model_attributes_type": "not_mapping",
    "date_type": "not_date",
    "date_parsing": "not_date",
    "date_from_datetime_parsing": "not_date",
    "date_from_datetime_inexact": "not_date",
}


def _pydantic_problem(loc: Loc, error: Mapping[str, Any]) -> Problem:
    """One Pydantic error as a problem with a code (Pydantic's own message, or ours where it
    says too little); without a code when none fits."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    value = error.get("input")
    last = error["loc"][-1] if error["loc"] else None
    message = str(error["msg"])
    if kind in _BOUNDS:
        if last in _RANGES and kind in {"less_than_equal", "greater_than_equal"}:
            return Problem.of(loc, _RANGES[str(last)], input=value)
        code, bound = _BOUNDS[kind]
        limit = ctx.get(bound)
        if isinstance(limit, float) and limit.is_integer():  # as Pydantic says it: 1, not 1.0
            limit = int(limit)
        params = {"limit": limit, "input": value}
        return Problem(loc, f"{message} (got {value!r})", None, code, params)
    if kind == "string_pattern_mismatch":
        return Problem.of(loc, "bad_language" if last == "language" else "bad_id", input=value)
    if kind == "union_tag_invalid" and isinstance(value, dict):
        return Problem.of(loc, "unknown_item_kind", kind=value.get("kind"))
    if kind in {"extra_forbidden", "missing"}:
        return Problem.of(loc, kind)
    if kind == "string_too_short" and ctx.get("min_length") == 1:
        return Problem(loc, message, None, "empty_text")
    if kind == "string_too_long":
        return Problem(loc, message, None, "too_long_text", {"max": ctx.get("max_length")})
    if kind in {"enum", "literal_error"}:  # ctx: "'a', 'b' or 'c'"
        expected = ", ".join(re.findall(r"'[^']*'|\d+", str(ctx.get("expected", ""))))
        return Problem(loc, message, None, "not_one_of", {"expected": expected})
    if kind in PYDANTIC_CODES:
        return Problem(loc, message, None, PYDANTIC_CODES[kind])
    return Problem(loc, message)


def problems_from_pydantic(exc: ValidationError) -> list[Problem]:
    """Pydantic's errors as problems with clean locations and plain messages."""
    return [_pydantic_problem(_clean_loc(err["loc"]), err) for err in exc.errors()]


def reference_problems(doc: JourneyMap) -> list[Problem]:
    """Problems a field-by-field check cannot see: ids, references, lane kinds, one emotion."""
    from journeymap.map.model import LANE_ITEM_KINDS, EmotionItem, Persona

    problems: list[Problem] = []
    seen: dict[str, Loc] = {}

    def claim(item_id: str, loc: Loc) -> None:
        if item_id in seen:
            first = format_loc(seen[item_id])
            problems.append(Problem.of((*loc, "id"), "duplicate_id", id=item_id, first=first))
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
                        Problem.of(
                            ("personas", i, "stage_expectations", stage_id),
                            "unknown_stage",
                            stage=stage_id,
                        )
                    )

    lanes = {each.id: each for each in doc.lanes}
    stages = {each.id: each for each in doc.stages}
    cells_seen: dict[tuple[str, str], int] = {}
    for c, cell in enumerate(doc.cells):
        lane = lanes.get(cell.lane)
        stage = stages.get(cell.stage)
        if lane is None:
            problems.append(Problem.of(("cells", c, "lane"), "unknown_lane", lane=cell.lane))
        if stage is None:
            problems.append(Problem.of(("cells", c, "stage"), "unknown_stage", stage=cell.stage))
        key = (cell.lane, cell.stage)
        if key in cells_seen:
            problems.append(
                Problem.of(
                    ("cells", c),
                    "second_cell",
                    lane=cell.lane,
                    stage=cell.stage,
                    first=cells_seen[key],
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
                problems.append(
                    Problem.of(
                        (*loc, "kind"),
                        "kind_not_in_lane",
                        kind=item.kind,
                        lane=lane.id,
                        lane_kind=lane.kind.value,
                        allowed=", ".join(sorted(LANE_ITEM_KINDS[lane.kind])),
                    )
                )
            if item.step is not None and stage is not None and item.step not in step_ids:
                problems.append(
                    Problem.of((*loc, "step"), "no_such_step", stage=stage.id, step=item.step)
                )
            if isinstance(item, EmotionItem):
                if item.step in emotion_slots:
                    problems.append(
                        Problem.of(loc, "second_emotion_in_step", step=item.step)
                        if item.step
                        else Problem.of(loc, "second_emotion_in_stage", stage=cell.stage)
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
            [Problem.of((), "not_a_mapping", type=type(data).__name__)], source
        )
    version = data.get("schema_version", SCHEMA_VERSION)
    if not isinstance(version, int) or version < 1 or version > SCHEMA_VERSION:
        problem = Problem.of(
            ("schema_version",), "schema_version", version=version, supported=SCHEMA_VERSION
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
            return replace(problem, line=lines[loc])
        loc = loc[:-1]
    return replace(problem, line=lines.get((), None))
