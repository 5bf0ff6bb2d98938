"""``journeymap funnel``: customers through ordered steps, as a Rich table or JSON."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import typer
from rich.table import Table

from journeymap.analytics.funnel import (
    FunnelError,
    FunnelResult,
    StepStats,
    funnel,
    parse_exclusion,
    parse_window,
)
from journeymap.cli.event_input import EventsArgument, FormatOption, load_events
from journeymap.cli.output import JsonFlag, fail, show
from journeymap.data.events import EventsError


def funnel_command(
    events: EventsArgument,
    steps: Annotated[
        str, typer.Option("--steps", help="Comma-separated steps in order, e.g. view,cart,buy.")
    ],
    window: Annotated[
        str, typer.Option("--window", help="Conversion window from step 1: 30m, 12h, 7d, 2w.")
    ] = "14d",
    strict: Annotated[
        bool, typer.Option("--strict", help="No other event allowed between two steps.")
    ] = False,
    exclude: Annotated[
        list[str] | None,
        typer.Option(
            "--exclude", help="VALUE:FROM:TO voids attempts with VALUE between steps (repeatable)."
        ),
    ] = None,
    by: Annotated[
        str | None, typer.Option("--by", help="Break down by this column (e.g. channel).")
    ] = None,
    step_column: Annotated[
        str, typer.Option("--step-column", help="Steps name an event, touchpoint or stage.")
    ] = "event",
    since: Annotated[
        str | None, typer.Option("--since", help="Only events at or after this date/time (ISO).")
    ] = None,
    until: Annotated[
        str | None,
        typer.Option("--until", help="Only events before this time; a date includes that day."),
    ] = None,
    format: FormatOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Count customers through ordered steps within a conversion window."""
    names = [s.strip() for s in steps.split(",") if s.strip()]
    if len(names) < 2:
        fail(f"--steps needs at least 2 comma-separated steps, got {len(names)}")
    try:
        conversion_window = parse_window(window)
        exclusions = [parse_exclusion(text) for text in exclude or []]
    except FunnelError as exc:
        fail(str(exc))
    start = _moment("--since", since)
    end = _moment("--until", until)
    table = load_events(events, format)
    try:
        result = funnel(
            table,
            names,
            by=step_column,  # type: ignore[arg-type]
            window=conversion_window,
            order="strict" if strict else "ordered",
            exclusions=exclusions,
            breakdown=by,
            start=start,
            end=end,
        )
    except (FunnelError, EventsError) as exc:
        fail(str(exc))
    show(result, as_json, _table)


def _moment(option: str, text: str | None) -> date | datetime | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)
    except ValueError:
        fail(f"{option}: {text!r} is not an ISO date or date-time (e.g. 2024-05-01)")


def _table(result: FunnelResult) -> Table:
    title = f"Funnel ({result.order}, window {_duration(result.window_seconds)})"
    table = Table(title=title, caption="time to convert: median (p25-p75) from the previous step")
    if result.breakdown:
        table.add_column(result.breakdown)
    for name in ("step", "customers", "from previous", "from first", "dropped off"):
        table.add_column(name, justify="left" if name == "step" else "right")
    table.add_column("time to convert", justify="right")
    groups = [("(all)", result.steps)] + [
        ("(none)" if g.value is None else str(g.value), g.steps) for g in result.groups
    ]
    for label, group in groups if result.breakdown else [("", result.steps)]:
        for step in group:
            cells = [f"{step.step}. {step.name}", *_figures(step)]
            table.add_row(*([label] if result.breakdown else []), *cells)
        if result.breakdown:
            table.add_section()
    return table


def _figures(step: StepStats) -> list[str]:
    ttc = step.time_to_convert
    timing = ""
    if ttc and ttc.median is not None:
        timing = f"{_duration(ttc.median)} ({_duration(ttc.p25)}-{_duration(ttc.p75)})"
    return [
        f"{step.entered:,}",
        _share(step.conversion_from_previous),
        _share(step.conversion_from_first),
        f"{step.dropped_off:,}" if step.step > 1 else "",
        timing,
    ]


def _share(value: float | None) -> str:
    return "" if value is None else f"{value:.1%}"


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return ""
    whole = round(seconds)
    for unit, size, smaller, small_size in (("d", 86400, "h", 3600), ("h", 3600, "m", 60)):
        if whole >= size:
            rest = (whole % size) // small_size
            return f"{whole // size}{unit}" + (f" {rest}{smaller}" if rest else "")
    if whole >= 60:
        return f"{whole // 60}m" + (f" {whole % 60}s" if whole % 60 else "")
    return f"{seconds:.0f}s" if seconds >= 1 or seconds == 0 else f"{seconds:.3f}s"


def register(app: typer.Typer) -> None:
    """Add the ``funnel`` command to ``app``."""
    app.command("funnel")(funnel_command)
