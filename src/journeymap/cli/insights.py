"""``journeymap insights``: suggested pain, success and turning points, metrics and emotions
computed from events (and surveys), written onto a copy of the map."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from journeymap.analytics.enrich import MapInsights, enrich_map, map_insights, suggested_items
from journeymap.analytics.moments_of_truth import DEFAULT_MIN_SUPPORT
from journeymap.cli.event_input import EventsArgument, FormatOption, load_events, load_surveys
from journeymap.cli.output import err, fail, out, print_json, require_choice
from journeymap.data.events import EventsError
from journeymap.map.io import load_map, save_map
from journeymap.map.validation import MapValidationError

STEP_COLUMNS = ("touchpoint", "stage")


def insights_command(
    events: EventsArgument,
    map_path: Annotated[Path, typer.Option("--map", "-m", help="The journey map (YAML or JSON).")],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Where to write the enriched map.")
    ],
    surveys: Annotated[
        Path | None,
        typer.Option("--surveys", help="Survey export (CSV) for satisfaction and emotion scores."),
    ] = None,
    conversion: Annotated[
        list[str] | None,
        typer.Option(
            "--conversion",
            help="Conversion event name (repeatable); default: any event with revenue > 0.",
        ),
    ] = None,
    by: Annotated[
        str, typer.Option("--by", help="Steps for moments of truth: touchpoint or stage.")
    ] = "touchpoint",
    min_support: Annotated[
        int, typer.Option("--min-support", min=1, help="Customers needed on each side of a test.")
    ] = DEFAULT_MIN_SUPPORT,
    format: FormatOption = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the insights as JSON for machines.")
    ] = False,
) -> None:
    """Write suggested pain points, success points, turning points, stage metrics and (with
    --surveys) emotion scores onto the map; re-running replaces earlier suggestions only."""
    require_choice("--by", by, STEP_COLUMNS)
    try:
        doc = load_map(map_path)
    except (MapValidationError, OSError) as exc:
        fail(str(exc))
    table = load_events(events, format)
    responses = load_surveys(surveys)
    try:
        insights = map_insights(
            table,
            doc,
            by=by,  # type: ignore[arg-type]
            conversion=conversion or None,
            surveys=responses,
            min_support=min_support,
        )
        enriched = enrich_map(doc, insights)
    except (EventsError, ValueError) as exc:
        fail(f"{events}: {exc}")
    save_map(enriched, output)
    if as_json:
        print_json({"output": str(output), **insights.to_dict()})
        return
    out.print(_table(insights))
    err.print(f"wrote {output}")


def _table(insights: MapInsights) -> Table:
    table = Table(title="Suggestions (status: suggested)")
    table.add_column("lane")
    table.add_column("stage")
    table.add_column("suggestion")
    table.add_column("evidence")
    for kind, stage, item in suggested_items(insights):
        summary = item.evidence[0].summary if item.evidence else ""
        table.add_row(kind.value, stage or "", item.text, summary or "")
    return table


def register(app: typer.Typer) -> None:
    """Add the ``insights`` command to ``app``."""
    app.command("insights")(insights_command)
