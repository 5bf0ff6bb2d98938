"""``journeymap events import``: raw event files to one canonical Parquet file, with a summary."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from journeymap.atomic import atomic_path
from journeymap.cli.output import err, fail, out, print_json
from journeymap.data.channels import with_default_channel
from journeymap.data.engine import connect, write_parquet, writes_metadata
from journeymap.data.events import CANONICAL_COLUMNS, Events
from journeymap.data.layout import key_metadata, with_customer_key
from journeymap.data.readers import READ_FORMATS, read_events
from journeymap.data.rules import MappingResult, load_rules, map_events

events_app = typer.Typer(
    help="Event data: import raw events into the canonical schema.", no_args_is_help=True
)


def parse_columns(text: str | None) -> dict[str, str]:
    """``"user=customer_id,ts=timestamp"`` -> ``{"user": "customer_id", "ts": "timestamp"}``."""
    if not text:
        return {}
    mapping: dict[str, str] = {}
    for part in (p.strip() for p in text.split(",") if p.strip()):
        source, sep, target = part.partition("=")
        if not sep or not source.strip() or not target.strip():
            raise ValueError(
                f"--columns: {part!r}: expected SOURCE_COLUMN=CANONICAL_COLUMN, "
                "e.g. user=customer_id"
            )
        mapping[source.strip()] = target.strip()
    return mapping


@contextmanager
def _steps(enabled: bool) -> Iterator[Any]:
    """A Rich progress display on stderr, one line per step; a no-op when disabled."""
    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not enabled,
    )
    with progress:
        yield progress


def _step(progress: Progress, description: str) -> Any:
    return progress.add_task(description, total=1)


@events_app.command("import")
def import_command(
    source: Annotated[str, typer.Argument(help="Event file, glob or directory.")],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Parquet file to write (atomically).")
    ],
    rules: Annotated[
        Path | None,
        typer.Option("--rules", help="Mapping rules YAML (touchpoint, stage, channel)."),
    ] = None,
    format: Annotated[
        str | None,
        typer.Option("--format", help=f"Input format: {'|'.join(READ_FORMATS)} (default: suffix)."),
    ] = None,
    columns: Annotated[
        str | None,
        typer.Option("--columns", help="Rename source columns: user=customer_id,ts=timestamp."),
    ] = None,
    engine: Annotated[
        str, typer.Option("--engine", help="Ibis URL: duckdb://, pyspark://local[2], ...")
    ] = "duckdb://",
    top: Annotated[int, typer.Option("--top", min=1, help="Unmapped event names to list.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Read SOURCE, apply the mapping rules and write canonical events to a Parquet file."""
    if output.suffix.lower() != ".parquet":
        fail(f"{output}: the output must be a .parquet file")
    try:
        mapping = parse_columns(columns)
        rule_set = load_rules(rules) if rules is not None else None
        with _steps(not as_json) as progress:
            task = _step(progress, f"Reading {source}")
            backend = connect(engine)
            events = read_events(source, format=format, backend=backend, columns=mapping)
            progress.update(task, completed=1)
            result: MappingResult | None = None
            if rule_set is not None:
                task = _step(progress, f"Applying {len(rule_set.rules)} rules from {rules}")
                result = map_events(events, rule_set, top=top)
                table = result.events.table
                progress.update(task, completed=1)
            else:
                table = with_default_channel(events.table)
            task = _step(progress, f"Writing {output}")
            ordered = [c for c in CANONICAL_COLUMNS if c in table.columns]
            table = table.select(*ordered, *[c for c in table.columns if c not in ordered])
            # numbered customers where the engine can mark the key (docs/data.md, "Customer key")
            keyed = writes_metadata(backend)
            if keyed:
                table = with_customer_key(table)
            with atomic_path(output) as tmp:
                # sorted by customer, so that analyses can read it in parts (docs/data.md)
                write_parquet(
                    backend,
                    table,
                    tmp,
                    sort_by=("customer_id", "timestamp"),
                    metadata=key_metadata() if keyed else None,
                )
            progress.update(task, completed=1)
            task = _step(progress, "Summarising")
            summary = _summary(read_events(output, backend=connect()), result, output)
            progress.update(task, completed=1)
    except ValueError as exc:  # EventsError, RulesError, EngineError, a bad --columns
        fail(str(exc))
    if as_json:
        print_json(summary)
    else:
        _print_summary(summary)


def _summary(events: Events, result: MappingResult | None, output: Path) -> dict[str, Any]:
    table = events.table
    stats = (
        table.aggregate(
            rows=table.count(),
            customers=table.customer_id.nunique(),
            first=table.timestamp.min(),
            last=table.timestamp.max(),
        )
        .to_pyarrow()
        .to_pylist()[0]
    )
    return {
        "output": str(output),
        "rows": stats["rows"],
        "customers": stats["customers"],
        "first_event": stats["first"].isoformat() if stats["first"] else None,
        "last_event": stats["last"].isoformat() if stats["last"] else None,
        "columns": list(table.columns),
        "mapping": result.to_dict() if result is not None else None,
    }


def _print_summary(summary: dict[str, Any]) -> None:
    grid = Table(title=f"Imported {summary['output']}", show_header=False)
    grid.add_column("what", style="bold")
    grid.add_column("value")
    grid.add_row("events", f"{summary['rows']:,}")
    grid.add_row("customers", f"{summary['customers']:,}")
    grid.add_row("date range", f"{summary['first_event']} .. {summary['last_event']}")
    grid.add_row("columns", ", ".join(summary["columns"]))
    mapping = summary["mapping"]
    if mapping is not None:
        grid.add_row("mapped", f"{mapping['mapped']:,} ({mapping['mapped_share']:.1%})")
        grid.add_row("unmapped", f"{mapping['unmapped']:,} ({mapping['unmapped_share']:.1%})")
    out.print(grid)
    if mapping is not None and mapping["top_unmapped"]:
        unmapped = Table(title="Top unmapped events")
        unmapped.add_column("event")
        unmapped.add_column("events", justify="right")
        for row in mapping["top_unmapped"]:
            unmapped.add_row(row["event"], f"{row['events']:,}")
        out.print(unmapped)
