"""``journeymap report``: one self-contained HTML page: funnel, paths, transitions, retention,
then attribution, moments of truth, turning points, pain and success points, conformance,
segments and, with survey answers, satisfaction and comments."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from journeymap.analytics.funnel import FunnelError
from journeymap.analytics.insight_report import insight_report
from journeymap.analytics.journey_report import JourneyReport, journey_report
from journeymap.analytics.retention import PERIODS
from journeymap.analytics.sequences import STEP_COLUMNS
from journeymap.atomic import atomic_write_text
from journeymap.cli.event_input import (
    EventsArgument,
    FormatOption,
    load_events,
    load_spend,
    load_surveys,
)
from journeymap.cli.output import err, fail
from journeymap.cli.report_insights import insight_sections
from journeymap.data.events import EventsError
from journeymap.map.io import load_map
from journeymap.map.model import JourneyMap
from journeymap.map.validation import MapValidationError
from journeymap.render.report import ReportPage, ReportSection, render_report


def report(
    events: EventsArgument,
    output: Annotated[Path, typer.Option("--output", "-o", help="HTML file to write.")],
    map_file: Annotated[
        Path | None,
        typer.Option("--map", help="Journey map (YAML/JSON): its stages become the funnel."),
    ] = None,
    steps: Annotated[
        str | None,
        typer.Option("--steps", help="Funnel steps (event names), comma-separated: a,b,c."),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option("--by", help=f"Path steps: {', '.join(STEP_COLUMNS)} (default: touchpoint)."),
    ] = None,
    start: Annotated[
        str, typer.Option("--start", help="Retention start (and return) event.")
    ] = "purchase",
    period: Annotated[
        str, typer.Option("--period", help=f"Retention period: {', '.join(PERIODS)}.")
    ] = "week",
    surveys: Annotated[
        Path | None,
        typer.Option("--surveys", help="Survey export (CSV): satisfaction and comment sections."),
    ] = None,
    spend: Annotated[
        Path | None,
        typer.Option("--spend", help="CSV with channel and spend columns: CPA and ROAS."),
    ] = None,
    conversion: Annotated[
        list[str] | None,
        typer.Option(
            "--conversion",
            help="Conversion event (repeatable); default: revenue > 0, and purchase for "
            "attribution.",
        ),
    ] = None,
    segments: Annotated[
        bool, typer.Option("--segments/--no-segments", help="Behavioural segments section.")
    ] = True,
    format: FormatOption = None,
) -> None:
    """Write an HTML report that opens offline (Plotly embedded, nothing fetched).

    Funnel steps come from --steps, else from the map's stages (--map, matched against the
    events' stage column), else from the events most customers reach. Insight sections follow,
    each shown when the data allows it (pain points and conformance need --map).
    """
    if by is not None and by not in STEP_COLUMNS:
        fail(f"--by must be one of {', '.join(STEP_COLUMNS)}, not {by!r}")
    if period not in PERIODS:
        fail(f"--period must be one of {', '.join(PERIODS)}, not {period!r}")
    if output.suffix.lower() not in (".html", ".htm"):
        fail(f"{output}: the report file must end in .html")
    funnel_steps, funnel_by, title, doc = _funnel_steps(steps, map_file)
    spend_by_channel = load_spend(spend)
    responses = load_surveys(surveys)
    table = load_events(events, format)
    try:
        result = journey_report(
            table,
            funnel_steps=funnel_steps,
            funnel_by=funnel_by,  # type: ignore[arg-type]
            by=by,  # type: ignore[arg-type]
            start_event=start,
            period=period,  # type: ignore[arg-type]
        )
        insights = insight_report(
            table,
            doc=doc,
            surveys=responses,
            spend=spend_by_channel,
            conversion=conversion or None,
            segments=segments,
        )
    except (EventsError, FunnelError, ValueError) as exc:
        fail(f"{events}: {exc}")
    page = _page(result, title=title, source=events)
    page = replace(page, sections=[*page.sections, *insight_sections(insights)])
    try:
        atomic_write_text(output, render_report(page))
    except OSError as exc:
        fail(f"{output}: cannot write: {exc}")
    err.print(f"wrote {output}", highlight=False)


def _funnel_steps(
    steps: str | None, map_file: Path | None
) -> tuple[list[str] | None, str, str, JourneyMap | None]:
    """(steps, column, page title, map) from --steps or the map."""
    title = "Journey report"
    names = [s.strip() for s in steps.split(",") if s.strip()] if steps else None
    if steps is not None and not names:
        fail("--steps: give at least one event name, e.g. --steps visit,signup,purchase")
    if map_file is None:
        return names, "event", title, None
    try:
        doc = load_map(map_file)
    except MapValidationError as exc:
        for message in exc.messages:
            err.print(message, highlight=False, markup=False, soft_wrap=True)
        raise typer.Exit(1) from exc
    except OSError as exc:
        fail(f"{map_file}: cannot read: {exc}")
    title = f"Journey report: {doc.title}"
    if names:
        return names, "event", title, doc
    return [stage.id for stage in doc.stages] or None, "stage", title, doc


def _page(result: JourneyReport, *, title: str, source: str) -> ReportPage:
    span = (
        f"{result.first:%Y-%m-%d} to {result.last:%Y-%m-%d}"
        if result.first and result.last
        else "no events"
    )
    sections = []
    if result.funnel is not None:
        names = " → ".join(s.name for s in result.funnel.steps)
        sections.append(
            ReportSection(
                title="Funnel",
                summary=f"Customers through {names} by {result.funnel.by}, "
                f"within {result.funnel.window_seconds // 86400} days of the first step.",
                figure=result.funnel.figure(),
            )
        )
    else:
        sections.append(ReportSection(title="Funnel", empty_message="Fewer than two funnel steps."))
    paths_frame = result.paths.to_frame()[["rank", "path", "count", "share"]]
    paths_frame["share"] = [f"{share:.1%}" for share in paths_frame["share"]]
    paths_frame["rank"] = [str(int(r)) if pd.notna(r) else "" for r in paths_frame["rank"]]
    sections += [
        ReportSection(
            title="Top paths",
            summary=f"{result.paths.total:,} customers, {result.paths.distinct:,} distinct paths "
            f"by {result.paths.by} (consecutive repeats collapsed).",
            figure=result.paths.figure() if result.paths.variants else None,
            table=paths_frame,
        ),
        ReportSection(
            title="Step by step (Sankey)",
            summary=f"The first {result.sankey.steps} steps of every path; (end) is where "
            "paths stop.",
            figure=result.sankey.figure() if result.sankey.links else None,
        ),
        ReportSection(
            title="Transition matrix",
            summary="Probability of the next step given the current one, from (start) to (end).",
            figure=result.transitions.figure() if result.transitions.transitions else None,
        ),
        ReportSection(
            title="Retention",
            summary=f"Cohorts by the {result.retention.period} of the first "
            f"{result.retention.start_event}; share returning with "
            f"{result.retention.return_event} in each later {result.retention.period}.",
            figure=result.retention.figure() if result.retention.cohorts else None,
            empty_message=f"No customer has a {result.retention.start_event!r} event.",
        ),
    ]
    return ReportPage(
        title=title,
        subtitle=f"{source} · {span}",
        headlines=(
            ("events", f"{result.events:,}"),
            ("customers", f"{result.customers:,}"),
            ("distinct paths", f"{result.paths.distinct:,}"),
        ),
        sections=sections,
    )


def register(app: typer.Typer) -> None:
    """Add the ``report`` command to ``app``."""
    app.command()(report)
