"""Mapping rules: YAML that turns raw events into a map's touchpoints, stages and channels.

A rules file lists rules in order; each has a ``match`` (event name, URL pattern, properties,
source/medium) and an ``assign`` (touchpoint, stage, channel). The first matching rule wins. The
rules become one Ibis case expression, so they run inside the engine; events that no rule matches
are counted and reported by :func:`map_events`, never dropped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, cast

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir
import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from journeymap.data.channels import (
    MEDIUM_FIELDS,
    SOURCE_FIELDS,
    traffic_field,
    with_default_channel,
)
from journeymap.data.events import CANONICAL_COLUMNS, Events

Loc = tuple[str | int, ...]
TextOrList = str | list[str]
_RULE_COLUMN = "_jm_rule"


class RulesError(ValueError):
    """A rules file that cannot be read or used; the message names the file, line and field."""


class RuleMatch(BaseModel):
    """When a rule applies. All given conditions must hold; a list means any of its values."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    event: TextOrList | None = None
    url: str | None = Field(default=None, description="glob on the URL property, * and ?")
    url_regex: str | None = Field(default=None, description="regex searched in the URL property")
    url_property: str = "page_location"
    properties: dict[str, TextOrList] = Field(default_factory=dict)
    source: TextOrList | None = None
    medium: TextOrList | None = None

    @field_validator("properties", mode="before")
    @classmethod
    def _values_as_text(cls, value: Any) -> Any:
        if not isinstance(value, Mapping):
            return value
        return {key: _as_text(item) for key, item in value.items()}

    @field_validator("event", "source", "medium", mode="before")
    @classmethod
    def _scalar_as_text(cls, value: Any) -> Any:
        return _as_text(value)

    @field_validator("url_regex")
    @classmethod
    def _valid_regex(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"not a valid regular expression: {exc}") from exc
        return value

    @model_validator(mode="after")
    def _one_condition_at_least(self) -> RuleMatch:
        if self.url is not None and self.url_regex is not None:
            raise ValueError("give url (a glob) or url_regex, not both")
        given = [self.event, self.url, self.url_regex, self.source, self.medium]
        if all(v is None for v in given) and not self.properties:
            raise ValueError(
                "needs at least one condition: event, url, url_regex, properties, source, medium"
            )
        return self


class RuleAssign(BaseModel):
    """What a matching rule sets on the event."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    touchpoint: str | None = None
    stage: str | None = None
    channel: str | None = None

    @model_validator(mode="after")
    def _one_value_at_least(self) -> RuleAssign:
        if self.touchpoint is None and self.stage is None and self.channel is None:
            raise ValueError("needs at least one of touchpoint, stage, channel")
        return self


class Rule(BaseModel):
    """One mapping rule: a name (for reports), a match and an assignment."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str | None = None
    match: RuleMatch
    assign: RuleAssign


class RuleSet(BaseModel):
    """A rules file: rules in order (first match wins) and whether to fill default channels."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: Literal[1] = 1
    default_channel: bool = Field(
        default=True,
        description="fill channel from source/medium (GA4 default grouping) where no rule sets it",
    )
    rules: list[Rule] = Field(min_length=1)
    source: str = Field(default="<rules>", exclude=True)
    lines: tuple[int | None, ...] = Field(default=(), exclude=True)

    def label(self, index: int) -> str:
        """``rules.yaml:12: rules[3]`` for rule ``index`` (its name, when it has one)."""
        line = self.lines[index] if index < len(self.lines) else None
        where = f"{self.source}:{line}" if line else self.source
        name = self.rules[index].name
        return f"{where}: rules[{index}]" + (f" ({name})" if name else "")

    def rule_name(self, index: int) -> str:
        """The rule's name, or ``rules[index]`` when it has none."""
        return self.rules[index].name or f"rules[{index}]"


def _as_text(value: Any) -> Any:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list):
        return [_as_text(item) for item in value]
    return value


# --- reading -------------------------------------------------------------------------------------


def load_rules(path: str | Path) -> RuleSet:
    """Read and validate a rules YAML file; errors name the file, line and field."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise RulesError(f"{path}: file not found") from exc
    except UnicodeDecodeError as exc:
        raise RulesError(f"{path}: file is not UTF-8 text") from exc
    return parse_rules(text, source=str(path))


def parse_rules(text: str, *, source: str = "<rules>") -> RuleSet:
    """Parse and validate rules from YAML text (``source`` names it in error messages)."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{source}:{mark.line + 1}" if mark else source
        reason = " ".join(filter(None, [exc.context, exc.problem]))
        raise RulesError(f"{where}: YAML syntax error: {reason}") from exc
    if not isinstance(data, dict):
        raise RulesError(f"{source}: expected a mapping with a 'rules' list")
    lines: dict[Loc, int] = {}
    _record_lines(node, (), lines)
    try:
        rules = RuleSet.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = _nearest(tuple(p for p in error["loc"] if isinstance(p, str | int)), lines)
            line = lines.get(loc)
            where = f"{source}:{line}" if line else source
            problems.append(f"{where}: {_format_loc(tuple(error['loc']))}: {error['msg']}")
        raise RulesError("\n".join(problems)) from exc
    rule_lines = tuple(lines.get(("rules", i)) for i in range(len(rules.rules)))
    return rules.model_copy(update={"source": source, "lines": rule_lines})


def _record_lines(node: yaml.Node | None, path: Loc, lines: dict[Loc, int]) -> None:
    if node is None:
        return
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            lines[(*path, key_node.value)] = key_node.start_mark.line + 1
            _record_lines(value_node, (*path, key_node.value), lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_lines(item, (*path, index), lines)


def _nearest(loc: Loc, lines: Mapping[Loc, int]) -> Loc:
    while loc and loc not in lines:
        loc = loc[:-1]
    return loc


def _format_loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in ("str", "list[str]"):  # Pydantic's union member tags say nothing to a user
            continue
        else:
            out += f".{part}" if out else str(part)
    return out or "(file)"


# --- applying ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MappingResult:
    """Events with rule assignments, and how many of them the rules mapped."""

    events: Events
    total: int
    mapped: int
    top_unmapped: tuple[tuple[str, int], ...]
    rule_hits: tuple[tuple[str, int], ...]

    @property
    def unmapped(self) -> int:
        """Events that no rule matched."""
        return self.total - self.mapped

    @property
    def mapped_share(self) -> float:
        """Share of events a rule matched (1.0 for no events)."""
        return self.mapped / self.total if self.total else 1.0

    @property
    def unmapped_share(self) -> float:
        """Share of events no rule matched."""
        return 1.0 - self.mapped_share if self.total else 0.0

    def to_frame(self) -> pd.DataFrame:
        """Events per rule, and per unmapped event name (the top ones), as a table."""
        rows = [("rule", name, count) for name, count in self.rule_hits]
        rows += [("unmapped event", name, count) for name, count in self.top_unmapped]
        return pd.DataFrame(rows, columns=["kind", "name", "events"])

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready counts."""
        return {
            "events": self.total,
            "mapped": self.mapped,
            "unmapped": self.unmapped,
            "mapped_share": self.mapped_share,
            "unmapped_share": self.unmapped_share,
            "rule_hits": [{"rule": n, "events": c} for n, c in self.rule_hits],
            "top_unmapped": [{"event": n, "events": c} for n, c in self.top_unmapped],
        }


def map_events(events: Events, rules: RuleSet, *, top: int = 10) -> MappingResult:
    """Apply ``rules`` to ``events`` and count mapped and unmapped events.

    The returned events stay a lazy Ibis table with ``touchpoint``, ``stage`` and ``channel`` set
    by the first matching rule (kept from the data where no rule sets them; ``channel`` falls back
    to the default grouping when the rules ask for it). Counting runs two aggregate queries.
    """
    table = events.table
    flagged = table.mutate(**{_RULE_COLUMN: rule_index(table, rules)})
    if rules.default_channel:
        flagged = with_default_channel(flagged)
    rule_no = flagged[_RULE_COLUMN]
    assigned = {
        column: _assigned(flagged, rule_no, rules, column)
        for column in ("touchpoint", "stage", "channel")
    }
    mapped_table = flagged.mutate(**{c: v for c, v in assigned.items() if v is not None})
    hits = (
        mapped_table.group_by(rule_no.name("rule"))
        .aggregate(events=ibis._.count())
        .to_pyarrow()
        .to_pylist()
    )
    by_rule = {row["rule"]: row["events"] for row in hits}
    unmapped_names = (
        mapped_table.filter(rule_no.isnull())
        .group_by(mapped_table.event.name("event"))
        .aggregate(events=ibis._.count())
        .order_by([ibis.desc("events"), "event"])
        .limit(top)
        .to_pyarrow()
        .to_pylist()
    )
    ordered = [c for c in CANONICAL_COLUMNS if c in mapped_table.columns]
    extras = [c for c in mapped_table.columns if c not in ordered and c != _RULE_COLUMN]
    return MappingResult(
        events=Events(mapped_table.select(*ordered, *extras), source=events.source),
        total=sum(by_rule.values()),
        mapped=sum(count for rule, count in by_rule.items() if rule is not None),
        top_unmapped=tuple((row["event"], row["events"]) for row in unmapped_names),
        rule_hits=tuple((rules.rule_name(i), by_rule.get(i, 0)) for i in range(len(rules.rules))),
    )


def rule_index(table: ibis.Table, rules: RuleSet) -> ir.IntegerValue:
    """The index of the first rule matching each event, or null: one Ibis case expression."""
    branches = [
        (_condition(table, rule.match, rules, i), ibis.literal(i, type=dt.int32))
        for i, rule in enumerate(rules.rules)
    ]
    return cast(ir.IntegerValue, ibis.cases(*branches, else_=ibis.null(dt.int32)))


def _assigned(table: ibis.Table, rule_no: ir.Value, rules: RuleSet, column: str) -> ir.Value | None:
    values = [(i, getattr(rule.assign, column)) for i, rule in enumerate(rules.rules)]
    values = [(i, v) for i, v in values if v is not None]
    existing = table[column].cast(dt.string) if column in table.columns else ibis.null(dt.string)
    if not values:
        return None if column not in table.columns else existing
    return ibis.cases(*[(rule_no == i, ibis.literal(v)) for i, v in values], else_=existing)


def _condition(table: ibis.Table, match: RuleMatch, rules: RuleSet, index: int) -> ir.BooleanValue:
    parts: list[ir.BooleanValue] = []
    where = rules.label(index)
    if match.event is not None:
        parts.append(_equals(table.event, match.event))
    if match.url is not None or match.url_regex is not None:
        url = _field(table, match.url_property, f"{where}: match.url_property")
        pattern = match.url_regex if match.url_regex is not None else glob_regex(match.url or "")
        parts.append(url.re_search(pattern).fill_null(False))
    for key, wanted in match.properties.items():
        parts.append(_equals(_field(table, key, f"{where}: match.properties.{key}"), wanted))
    for name, fields, expected in (
        ("source", SOURCE_FIELDS, match.source),
        ("medium", MEDIUM_FIELDS, match.medium),
    ):
        if expected is None:
            continue
        value = traffic_field(table, fields)
        if value is None:
            raise RulesError(
                f"{where}: match.{name}: the events have no {' or '.join(fields)} column "
                "and no properties map"
            )
        parts.append(_equals(value.lower(), _lowered(expected)))
    condition = parts[0]
    for part in parts[1:]:
        condition = condition & part
    return condition


def _field(table: ibis.Table, name: str, where: str) -> ir.StringValue:
    if name in table.columns:
        return cast(ir.StringValue, table[name].cast(dt.string))
    if "properties" in table.columns and table.schema()["properties"].is_map():
        return cast(ir.StringValue, table["properties"].get(name))
    raise RulesError(
        f"{where}: the events have no column {name!r} and no properties map to look it up in"
    )


def _equals(value: ir.Value, expected: TextOrList) -> ir.BooleanValue:
    text = value.cast(dt.string)
    matched = text.isin(expected) if isinstance(expected, list) else text == expected
    return cast(ir.BooleanValue, matched.fill_null(False))


def _lowered(expected: TextOrList) -> TextOrList:
    return [v.lower() for v in expected] if isinstance(expected, list) else expected.lower()


def glob_regex(pattern: str) -> str:
    """An anchored regex for a URL glob: ``*`` is any text, ``?`` one character."""
    parts = [".*" if ch == "*" else "." if ch == "?" else re.escape(ch) for ch in pattern]
    return "^" + "".join(parts) + "$"
