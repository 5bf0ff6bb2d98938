"""``journeymap attribution``: credit per channel under each attribution model."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated

import typer
from rich.table import Table

from journeymap.analytics.attribution import MODELS, AttributionComparison, compare_attribution
from journeymap.analytics.attribution.journeys import DEFAULT_CONVERSION
from journeymap.analytics.attribution.markov import MAX_ORDER
from journeymap.analytics.attribution.spend import efficiency
from journeymap.cli.event_input import EventsArgument, FormatOption, load_events, load_spend
from journeymap.cli.output import JsonFlag, fail, show
from journeymap.data.events import EventsError

_DURATION = re.compile(r"^\s*(?P<amount>\d+(\.\d+)?)\s*(?P<unit>[smhdw]?)\s*$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks", "": "days"}


def parse_duration(text: str) -> timedelta:
    """``7d``, ``36h``, ``90m``, ``2w``, ``45s`` or a bare number of days, as a timedelta."""
    match = _DURATION.match(text)
    if not match or float(match["amount"]) <= 0:
        raise ValueError(f"{text!r} is not a positive duration like 7d, 36h, 90m or 2w")
    return timedelta(**{_UNITS[match["unit"]]: float(match["amount"])})


def attribution(
    events: EventsArgument,
    model: Annotated[
        str, typer.Option("--model", help=f"all, or one of {', '.join(MODELS)}.")
    ] = "all",
    conversion: Annotated[
        str, typer.Option("--conversion", help="The event that counts as a conversion.")
    ] = DEFAULT_CONVERSION,
    order: Annotated[
        int, typer.Option("--order", help=f"Markov chain order, 1 to {MAX_ORDER}.")
    ] = 1,
    half_life: Annotated[
        str, typer.Option("--half-life", help="Time decay half-life: 7d, 36h, 2w...")
    ] = "7d",
    first: Annotated[
        float, typer.Option("--first", help="Position based: share of the first touch.")
    ] = 0.4,
    last: Annotated[
        float, typer.Option("--last", help="Position based: share of the last touch.")
    ] = 0.4,
    spend: Annotated[
        str | None,
        typer.Option("--spend", help="CSV with channel and spend columns: adds CPA and ROAS."),
    ] = None,
    channel: Annotated[
        str, typer.Option("--channel", help="The event column that names the channel.")
    ] = "channel",
    keep_repeats: Annotated[
        bool,
        typer.Option("--keep-repeats", help="Count consecutive touches of a channel apiece."),
    ] = False,
    format: FormatOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Credit conversions and value to channels under heuristic, Markov and Shapley models."""
    if model != "all" and model not in MODELS:
        fail(f"unknown model {model!r}; choose all or one of {', '.join(MODELS)}")
    try:
        decay = parse_duration(half_life)
    except ValueError as exc:
        fail(f"--half-life: {exc}")
    spend_by_channel = load_spend(spend)
    table = load_events(events, format)
    try:
        result = compare_attribution(
            table,
            models=MODELS if model == "all" else (model,),
            conversion=conversion,
            channel=channel,
            collapse_repeats=not keep_repeats,
            order=order,
            half_life=decay,
            position_weights=(first, last),
            spend=spend_by_channel,
        )
    except (EventsError, ValueError) as exc:
        fail(f"{events}: {exc}")
    show(result, as_json, _table)


def _number(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def _table(result: AttributionComparison) -> Table:
    spend = dict(result.spend)
    columns = ["model", "channel", "conversions", "share", "value"]
    if spend:
        columns += ["spend", "CPA", "ROAS"]
    caption = f"{result.total_conversions:,.0f} conversions ({result.conversion!r}) with a touch"
    if result.unattributed_conversions:
        caption += f"; {result.unattributed_conversions:,.0f} without any touch are not credited"
    table = Table(*columns, title="Attribution by channel and model", caption=caption)
    for column in table.columns[2:]:
        column.justify = "right"
    for model in result.results:
        items = efficiency(model, spend)
        for k, item in enumerate(items):
            share = item.conversions / model.total_conversions if model.total_conversions else 0
            row = [
                model.model if k == 0 else "",
                item.channel,
                _number(item.conversions),
                f"{share:.1%}",
                _number(item.value),
            ]
            if spend:
                row += [_number(item.spend), _number(item.cpa), _number(item.roas)]
            table.add_row(*row, end_section=k == len(items) - 1)
    return table


def register(app: typer.Typer) -> None:
    """Add the ``attribution`` command to ``app``."""
    app.command()(attribution)
