"""Reading and writing maps as YAML or JSON, with file and line in every error."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from journeymap.atomic import atomic_write_text
from journeymap.map.model import Cell, JourneyMap
from journeymap.map.validation import Loc, MapValidationError, Problem, validate_data

YAML_SUFFIXES = {".yaml", ".yml"}
JSON_SUFFIXES = {".json"}


_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it


class _Loader(_SafeLoader):  # type: ignore[misc, valid-type]
    """Safe YAML without implicit dates: dates stay strings and Pydantic parses them by field."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Block-style YAML with multi-line strings as literal blocks."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def _line_map(node: yaml.Node, path: Loc, lines: dict[Loc, int], problems: list[Problem]) -> None:
    """Record the 1-based line of every key and list element below ``node``."""
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        keys: set[Any] = set()
        for key_node, value_node in node.value:
            key = key_node.value
            child = (*path, key)
            if key in keys:
                problems.append(Problem.of(child, "duplicate_key", key_node.start_mark.line + 1))
            keys.add(key)
            lines[child] = key_node.start_mark.line + 1
            _line_map(value_node, child, lines, problems)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _line_map(item, (*path, index), lines, problems)


def parse_yaml(text: str, source: str = "<string>") -> tuple[Any, dict[Loc, int]]:
    """Parse YAML into data and a map from field paths to line numbers."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        reason = " ".join(filter(None, [exc.context, exc.problem]))
        raise MapValidationError(
            [Problem.of((), "yaml_syntax", line, reason=reason)], source
        ) from exc
    except yaml.YAMLError as exc:
        raise MapValidationError([Problem.of((), "yaml_syntax", reason=str(exc))], source) from exc
    finally:
        loader.dispose()
    lines: dict[Loc, int] = {}
    problems: list[Problem] = []
    if node is not None:
        _line_map(node, (), lines, problems)
    if problems:
        raise MapValidationError(problems, source)
    return data, lines


def json_problem(exc: json.JSONDecodeError) -> Problem:
    """A JSON syntax error as a problem at its line."""
    return Problem.of((), "json_syntax", exc.lineno, reason=exc.msg, column=exc.colno)


def parse_map(text: str, *, source: str = "<string>", fmt: str = "yaml") -> JourneyMap:
    """Parse and validate a map from YAML or JSON text."""
    if fmt == "json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise MapValidationError([json_problem(exc)], source) from exc
        try:  # JSON is YAML, so the YAML composer gives the lines of the JSON fields
            _, lines = parse_yaml(text, source)
        except MapValidationError:
            lines = {}
        return validate_data(data, source=source, lines=lines)
    if fmt != "yaml":
        raise ValueError(f"unknown map format {fmt!r}: use 'yaml' or 'json'")
    data, lines = parse_yaml(text, source)
    return validate_data(data, source=source, lines=lines)


def format_for(path: Path) -> str:
    """``'yaml'`` or ``'json'`` from a file name, or a MapValidationError naming the file."""
    suffix = path.suffix.lower()
    if suffix in YAML_SUFFIXES:
        return "yaml"
    if suffix in JSON_SUFFIXES:
        return "json"
    raise MapValidationError(
        [Problem.of((), "unknown_file_type", suffix=suffix or "(none)")], str(path)
    )


def read_document(path: Path, error: type[MapValidationError] = MapValidationError) -> str:
    """The UTF-8 text of ``path``; ``error`` names the file when it is missing or not UTF-8."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise error([Problem.of((), "file_not_found")], str(path)) from exc
    except UnicodeDecodeError as exc:
        raise error([Problem.of((), "not_utf8")], str(path)) from exc


def load_map(path: str | Path) -> JourneyMap:
    """Read and validate a map file (``.yaml``, ``.yml`` or ``.json``)."""
    path = Path(path)
    fmt = format_for(path)
    return parse_map(read_document(path), source=str(path), fmt=fmt)


def map_to_data(doc: JourneyMap) -> dict[str, Any]:
    """The map as plain JSON-ready data, leaving out fields at their defaults."""
    data = doc.model_dump(mode="json", exclude_defaults=True)
    data["schema_version"] = doc.schema_version
    data = {"schema_version": data.pop("schema_version"), **data}
    for cell_data, cell in zip(data.get("cells", []), doc.cells, strict=True):
        _keep_item_kinds(cell_data, cell)
    return data


def cell_to_data(cell: Cell) -> dict[str, Any]:
    """One cell as :func:`map_to_data` writes it."""
    data = cell.model_dump(mode="json", exclude_defaults=True)
    _keep_item_kinds(data, cell)
    return data


def _keep_item_kinds(cell_data: dict[str, Any], cell: Cell) -> None:
    """Item kinds are defaults of their classes but must stay in the file to tag the union."""
    items = cell_data.get("items", [])
    for n, (item_data, item) in enumerate(zip(items, cell.items, strict=True)):
        # id and text are required, so always dumped; the kind goes between them
        head = {"id": item_data.pop("id"), "kind": item.kind, "text": item_data.pop("text")}
        items[n] = head | item_data


def dump_yaml(doc: JourneyMap) -> str:
    """The map as YAML text."""
    return yaml.dump(
        map_to_data(doc), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100
    )


def dump_json(doc: JourneyMap, *, indent: int | None = 2) -> str:
    """The map as JSON text."""
    return json.dumps(map_to_data(doc), ensure_ascii=False, indent=indent) + "\n"


def save_map(doc: JourneyMap, path: str | Path) -> Path:
    """Write the map atomically as YAML or JSON (by the file's suffix)."""
    path = Path(path)
    text = dump_json(doc) if format_for(path) == "json" else dump_yaml(doc)
    atomic_write_text(path, text)
    return path
