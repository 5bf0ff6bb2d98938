"""Reading the inputs of the analytics commands (events, surveys, spend), with errors on stderr."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from journeymap.analytics.attribution.spend import SpendError, read_spend
from journeymap.cli.output import fail
from journeymap.data.events import Events, EventsError
from journeymap.data.readers import READ_FORMATS, read_events
from journeymap.data.surveys import SurveyError, SurveyResponses, read_surveys

EventsArgument = Annotated[
    str, typer.Argument(help="Event file, glob or directory (Parquet, CSV or JSON Lines).")
]
FormatOption = Annotated[
    str | None,
    typer.Option("--format", help=f"One of {', '.join(READ_FORMATS)}; default: by file suffix."),
]


def load_events(source: str, format: str | None = None) -> Events:
    """Read ``source`` into canonical events on an in-memory DuckDB, or exit 1 with the reason."""
    if not any(c in source for c in "*?[") and not Path(source).exists():
        fail(f"{source}: no such file or directory")
    try:
        return read_events(source, format=format)
    except (EventsError, ValueError, OSError) as exc:
        fail(str(exc))


def load_surveys(path: str | Path | None) -> SurveyResponses | None:
    """The survey export at ``path`` (None without a path), or exit 1 with the reason."""
    if path is None:
        return None
    try:
        return read_surveys(path)
    except (SurveyError, ValueError, OSError) as exc:
        fail(str(exc))


def load_spend(path: str | Path | None) -> dict[str, float] | None:
    """Spend per channel from the CSV file at ``path`` (None without a path), or exit 1."""
    if path is None:
        return None
    try:
        return read_spend(path)
    except SpendError as exc:
        fail(str(exc))
