"""``journeymap sample-size``: participants for a usability study, responses for a survey."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from journeymap.analytics.research import (
    DEFAULT_PROBLEM_RATE,
    plan_problem_discovery,
    share_found,
    survey_sample_size,
)
from journeymap.cli.output import JsonFlag, fail, out, print_json


def sample_size(
    margin: Annotated[
        float, typer.Option("--margin", help="Survey: margin of error, e.g. 0.05.")
    ] = 0.05,
    confidence: Annotated[
        float, typer.Option("--confidence", help="Survey: confidence level, e.g. 0.95.")
    ] = 0.95,
    population: Annotated[
        int | None,
        typer.Option("--population", help="Survey: population size (finite correction)."),
    ] = None,
    proportion: Annotated[
        float, typer.Option("--proportion", help="Survey: expected proportion (0.5: safest).")
    ] = 0.5,
    usability: Annotated[
        bool,
        typer.Option("--usability", help="Plan a usability study (problem discovery) instead."),
    ] = False,
    target: Annotated[
        float, typer.Option("--target", help="Usability: share of problems to find.")
    ] = 0.85,
    rate: Annotated[
        float, typer.Option("--rate", help="Usability: chance L that one participant meets one.")
    ] = DEFAULT_PROBLEM_RATE,
    participants: Annotated[
        int | None,
        typer.Option("--participants", help="Usability: share found by this many instead."),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Responses a survey needs, or (--usability) participants a usability study needs."""
    try:
        if usability and participants is not None:
            found = share_found(participants, rate)
            if as_json:
                print_json({"rate": rate, "participants": participants, "share_found": found})
            else:
                out.print(
                    f"{participants} participants find {found:.1%} of the problems (L = {rate:g})"
                )
            return
        if usability:
            plan = plan_problem_discovery(target, rate)
            if as_json:
                print_json(plan.to_dict())
                return
            out.print(
                f"{plan.participants} participants find {plan.share_found:.1%} of the problems "
                f"(target {target:.0%}, L = {rate:g})"
            )
            curve = Table("participants", "problems found", title="Discovery curve")
            for n, share in plan.curve():
                curve.add_row(
                    str(n), f"{share:.1%}", style="bold" if n == plan.participants else None
                )
            out.print(curve)
            return
        size = survey_sample_size(margin, confidence, population=population, proportion=proportion)
    except ValueError as exc:
        fail(str(exc))
    if as_json:
        print_json(size.to_dict())
        return
    where = f" of a population of {population:,}" if population else ""
    out.print(
        f"{size.responses:,} responses{where} for ±{margin:.1%} at {confidence:.0%} confidence "
        f"(z = {size.z:.3f}, expected proportion {proportion:g})"
    )


def register(app: typer.Typer) -> None:
    """Add the ``sample-size`` command to ``app``."""
    app.command("sample-size")(sample_size)
