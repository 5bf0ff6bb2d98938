"""Map-as-code commands: templates, new, validate, render, diff, schema."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from journeymap.atomic import atomic_write_text
from journeymap.cli.output import JsonFlag, err, fail, out, print_json
from journeymap.map.diff import diff_maps
from journeymap.map.io import load_map, save_map
from journeymap.map.model import JourneyMap
from journeymap.map.schema import map_json_schema_text
from journeymap.map.templates import UnknownTemplateError, list_templates, load_template
from journeymap.map.validation import MapValidationError


def _load(path: Path) -> JourneyMap:
    try:
        return load_map(path)
    except MapValidationError as exc:
        for message in exc.messages:
            err.print(message, highlight=False, markup=False, soft_wrap=True)
        raise typer.Exit(1) from exc


def templates(as_json: JsonFlag = False) -> None:
    """List the shipped map templates."""
    infos = list_templates()
    if as_json:
        print_json([{"id": i.id, "title": i.title, "languages": list(i.languages)} for i in infos])
        return
    table = Table("id", "title", "languages", title="Journey map templates")
    for info in infos:
        table.add_row(info.id, info.title, ", ".join(info.languages))
    out.print(table)


def new(
    template: Annotated[str, typer.Option("--template", "-t", help="Template id.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Map file (.yaml or .json).")],
    lang: Annotated[str, typer.Option("--lang", help="Language of the template.")] = "en",
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Create a map file from a template."""
    if output.exists() and not force:
        fail(f"{output} exists; pass --force to overwrite it")
    try:
        doc = load_template(template, lang)
    except UnknownTemplateError as exc:
        fail(str(exc))
    try:
        save_map(doc, output)
    except MapValidationError as exc:
        fail(str(exc))
    err.print(f"created {output} from template {template!r} ({lang})", highlight=False)


def validate(
    paths: Annotated[list[Path], typer.Argument(help="Map files to check.")],
    as_json: JsonFlag = False,
) -> None:
    """Check map files; exit 1 with a message per problem (file:line: field: what)."""
    report: list[dict[str, object]] = []
    for path in paths:
        try:
            doc = load_map(path)
        except MapValidationError as exc:
            report.append({"file": str(path), "valid": False, "problems": exc.messages})
            if not as_json:
                for message in exc.messages:
                    err.print(message, highlight=False, markup=False, soft_wrap=True)
        else:
            report.append({"file": str(path), "valid": True, "problems": []})
            if not as_json:
                counts = f"{len(doc.stages)} stages, {len(doc.lanes)} lanes"
                counts += f", {len(doc.iter_items())} items"
                out.print(f"[green]ok[/] {path} ({counts})", highlight=False)
    if as_json:
        print_json(report)
    if not all(entry["valid"] for entry in report):
        raise typer.Exit(1)


def render(
    path: Annotated[Path, typer.Argument(help="Map file.")],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Output file: .html .pdf .png .md .xlsx .csv")
    ],
    paper: Annotated[
        str, typer.Option("--paper", help="Landscape paper for HTML/PDF/PNG: A3 or A4.")
    ] = "A3",
    poster: Annotated[
        bool, typer.Option("--poster", help="PNG as one continuous sheet instead of pages.")
    ] = False,
) -> None:
    """Render a map; the format comes from the output file's suffix."""
    from journeymap.render.export import UnsupportedFormatError, export_map, format_of

    if paper.upper() not in {"A3", "A4"}:
        fail(f"unknown paper {paper!r}; use A3 or A4")
    try:
        format_of(output)
    except UnsupportedFormatError as exc:
        fail(str(exc))
    doc = _load(path)
    with err.status(f"rendering {output.name}..."):
        written = export_map(doc, output, paper=paper.upper(), poster=poster)
    out.print(f"wrote {written}", highlight=False)


def diff(
    old: Annotated[Path, typer.Argument(help="The earlier map.")],
    new: Annotated[Path, typer.Argument(help="The later map.")],
    as_json: JsonFlag = False,
    exit_code: Annotated[
        bool, typer.Option("--exit-code", help="Exit 1 when the maps differ (like git diff).")
    ] = False,
) -> None:
    """Show what changed between two maps: stages, lanes, items, emotions."""
    result = diff_maps(_load(old), _load(new))
    if as_json:
        print_json(result.to_dict())
    else:
        styles = {"+": "green", "-": "red", ">": "cyan", "~": "yellow"}
        if not result:
            out.print("no changes")
        for change in result.changes:
            style = styles[change.sign]
            out.print(f"[{style}]{change.sign} {change.message}[/]", highlight=False, markup=True)
    if exit_code and result:
        raise typer.Exit(1)


def schema(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
) -> None:
    """Print or write the JSON Schema of the map document."""
    text = map_json_schema_text()
    if output is None:
        typer.echo(text, nl=False)
        return
    atomic_write_text(output, text)
    err.print(f"wrote {output}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add the map commands to ``app``."""
    for command in (templates, new, validate, render, diff, schema):
        app.command()(command)
