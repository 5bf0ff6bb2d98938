"""``journeymap paths``: the most common paths through touchpoints, stages or events."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from journeymap.analytics.path_variants import PathVariantsResult, path_variants
from journeymap.analytics.sequences import PATH_UNITS, STEP_COLUMNS
from journeymap.cli.event_input import EventsArgument, FormatOption, load_events
from journeymap.cli.output import JsonFlag, fail, require_choice, show
from journeymap.data.events import EventsError


def paths(
    events: EventsArgument,
    by: Annotated[
        str, typer.Option("--by", help=f"Step column: {', '.join(STEP_COLUMNS)}.")
    ] = "touchpoint",
    top: Annotated[int, typer.Option("--top", min=1, help="Number of variants to show.")] = 20,
    per: Annotated[
        str, typer.Option("--per", help=f"One path per {' or '.join(PATH_UNITS)}.")
    ] = "customer",
    max_length: Annotated[
        int, typer.Option("--max-length", min=1, help="Cut paths after this many steps.")
    ] = 20,
    keep_repeats: Annotated[
        bool, typer.Option("--keep-repeats", help="Keep consecutive repeats of a step.")
    ] = False,
    format: FormatOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Show the top path variants with counts and shares."""
    require_choice("--by", by, STEP_COLUMNS)
    require_choice("--per", per, PATH_UNITS)
    table = load_events(events, format)
    try:
        result = path_variants(
            table,
            by=by,  # type: ignore[arg-type]
            per=per,  # type: ignore[arg-type]
            top=top,
            max_length=max_length,
            collapse_repeats=not keep_repeats,
        )
    except (EventsError, ValueError) as exc:
        fail(f"{events}: {exc}")
    show(result, as_json, _table)


def _table(result: PathVariantsResult) -> Table:
    unit = "customers" if result.per == "customer" else "sessions"
    table = Table(
        title=f"Top paths by {result.by}",
        caption=f"{result.total:,} {unit}, {result.distinct:,} distinct paths",
    )
    table.add_column("#", justify="right")
    table.add_column("path")
    table.add_column("count", justify="right")
    table.add_column("share", justify="right")
    for rank, variant in enumerate(result.variants, start=1):
        table.add_row(str(rank), variant.label, f"{variant.count:,}", f"{variant.share:.1%}")
    if result.other:
        table.add_row("", "(other)", f"{result.other:,}", f"{result.other_share:.1%}")
    return table


def register(app: typer.Typer) -> None:
    """Add the ``paths`` command to ``app``."""
    app.command()(paths)
