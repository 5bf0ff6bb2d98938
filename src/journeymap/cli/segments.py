"""``journeymap segments``: behavioural customer segments and persona drafts made from them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
import yaml
from rich.table import Table

from journeymap.analytics.segments import SegmentsResult, segment_customers
from journeymap.atomic import atomic_write_text
from journeymap.cli.event_input import EventsArgument, FormatOption, load_events
from journeymap.cli.output import JsonFlag, err, fail, show
from journeymap.data.events import EventsError


def parse_k(value: str) -> int | None:
    """``auto`` as None, else a whole number of segments of at least 1."""
    if value == "auto":
        return None
    if not value.isdigit() or int(value) < 1:
        fail(f"--k must be 'auto' or a whole number >= 1, not {value!r}")
    return int(value)


def segments_command(
    events: EventsArgument,
    k: Annotated[
        str, typer.Option("--k", help="Number of segments, or auto (best silhouette, 2..8).")
    ] = "auto",
    seed: Annotated[int, typer.Option("--seed", help="Seed of KMeans and sampling.")] = 0,
    conversion_event: Annotated[
        str | None,
        typer.Option("--conversion", help="Event that counts as an order (default: revenue > 0)."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write persona drafts to this YAML file.")
    ] = None,
    format: FormatOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Find behavioural segments of customers; show their profiles; write persona drafts."""
    n = parse_k(k)
    if output is not None and output.suffix.lower() not in (".yaml", ".yml"):
        fail(f"{output}: the persona file must end in .yaml or .yml")
    table = load_events(events, format)
    try:
        result = segment_customers(table, k=n, seed=seed, conversion_event=conversion_event)
    except (EventsError, ValueError) as exc:
        fail(f"{events}: {exc}")
    if output is not None:
        personas = [
            p.model_dump(mode="json", exclude_defaults=True) for p in result.persona_drafts()
        ]
        text = yaml.safe_dump({"personas": personas}, allow_unicode=True, sort_keys=False)
        atomic_write_text(output, text)
        err.print(f"wrote {len(personas)} persona drafts to {output}")
    show(result, as_json, _table)


def _table(result: SegmentsResult) -> Table:
    if result.k_chosen_by == "silhouette":
        tried = ", ".join(f"k={k}: {s:.3f}" for k, s in sorted(result.silhouette.items()))
        caption = f"k={result.k} by the best silhouette ({tried}); seed {result.seed}"
    else:
        caption = f"k={result.k} as given; seed {result.seed}"
    table = Table(
        "segment",
        "name",
        "customers",
        "conversion",
        "revenue/customer",
        "top channels",
        "typical path",
        title=f"Customer segments ({result.customers:,} customers)",
        caption=caption,
    )
    for p in result.profiles:
        table.add_row(
            str(p.segment),
            p.name,
            f"{p.size:,} ({p.share:.0%})",
            f"{p.conversion_rate:.0%}" if p.conversion_rate is not None else "",
            f"{p.revenue_per_customer:,.2f}",
            ", ".join(f"{c} {s:.0%}" for c, s in p.top_channels),
            " → ".join(p.typical_path) + f" ({p.typical_path_share:.0%})" if p.typical_path else "",
        )
    return table


def register(app: typer.Typer) -> None:
    """Add the ``segments`` command to ``app``."""
    app.command("segments")(segments_command)
