"""``journeymap retention``: cohorts by first start event, returning customers per period."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from journeymap.analytics.retention import PERIODS, RetentionResult, retention
from journeymap.cli.event_input import EventsArgument, FormatOption, load_events
from journeymap.cli.output import JsonFlag, fail, out, print_json, require_choice
from journeymap.data.events import EventsError


def retention_command(
    events: EventsArgument,
    start: Annotated[
        str, typer.Option("--start", help="Event that puts a customer in a cohort.")
    ] = "purchase",
    return_event: Annotated[
        str | None,
        typer.Option("--return", help="Event that counts as a return (default: --start)."),
    ] = None,
    period: Annotated[
        str, typer.Option("--period", help=f"Cohort period: {', '.join(PERIODS)}.")
    ] = "week",
    periods: Annotated[
        int, typer.Option("--periods", min=0, help="Periods after the cohort's own.")
    ] = 8,
    format: FormatOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Show the retention (repurchase) cohort table as counts and rates."""
    require_choice("--period", period, PERIODS)
    table = load_events(events, format)
    try:
        result = retention(
            table,
            start_event=start,
            return_event=return_event,
            period=period,  # type: ignore[arg-type]
            periods=periods,
        )
    except (EventsError, ValueError) as exc:
        fail(f"{events}: {exc}")
    if as_json:
        print_json(result.to_dict())
        return
    if not result.cohorts:
        out.print(f"No customer has a {start!r} event: no cohorts.")
        return
    out.print(_table(result))


def _table(result: RetentionResult) -> Table:
    table = Table(
        title=f"Return to {result.return_event} after first {result.start_event}",
        caption="share of the cohort (count); blank = not observed yet",
    )
    table.add_column("cohort")
    table.add_column("customers", justify="right")
    for k in range(result.periods + 1):
        table.add_column(f"{result.period} {k}", justify="right")
    for cohort in result.cohorts:
        cells = [
            "" if n is None or r is None else f"{r:.0%} ({n:,})"
            for n, r in zip(cohort.returned, cohort.rates, strict=True)
        ]
        table.add_row(cohort.start.isoformat(), f"{cohort.size:,}", *cells)
    return table


def register(app: typer.Typer) -> None:
    """Add the ``retention`` command to ``app``."""
    app.command("retention")(retention_command)
