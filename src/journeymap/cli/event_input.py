"""Reading the EVENTS argument of the analytics commands, with errors on stderr."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from journeymap.cli.output import fail
from journeymap.data.events import Events, EventsError
from journeymap.data.readers import READ_FORMATS, read_events

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
