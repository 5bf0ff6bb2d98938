"""Simulation commands: ``simulate`` (synthetic events and surveys) and ``whatif`` (forecasts)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from journeymap.cli.output import err, fail, out, print_json
from journeymap.simulate.spec import Simulation, SpecError, resolve_spec

SpecArgument = Annotated[
    str, typer.Argument(help="Spec file (YAML), or the id of a shipped spec (a template id).")
]


LangOption = Annotated[
    str | None,
    typer.Option("--lang", help="Language of the template map (picks the survey texts)."),
]


def _spec(spec: str, language: str | None = None) -> Simulation:
    try:
        return resolve_spec(spec, language=language)
    except SpecError as exc:
        for message in exc.messages:
            err.print(message, highlight=False, markup=False, soft_wrap=True)
        raise typer.Exit(1) from exc


def simulate(
    spec: SpecArgument,
    output: Annotated[Path, typer.Option("--output", "-o", help="Events file (.parquet).")],
    customers: Annotated[
        int, typer.Option("--customers", "-n", min=1, help="Number of customers.")
    ] = 10_000,
    seed: Annotated[int, typer.Option("--seed", "-s", min=0, help="Random seed.")] = 0,
    surveys: Annotated[
        Path | None, typer.Option("--surveys", help="Also write survey answers to this CSV file.")
    ] = None,
    lang: LangOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Simulate customer journeys from a spec into a Parquet event file.

    The same seed gives byte-identical files. Beside the output goes <name>.truth.json with the
    probabilities used.
    """
    from journeymap.simulate.generator import simulate_to_parquet

    if output.suffix.lower() != ".parquet":
        fail(f"{output}: the events file must end in .parquet")
    if surveys is not None and surveys.suffix.lower() != ".csv":
        fail(f"{surveys}: the survey file must end in .csv")
    simulation = _spec(spec, lang)
    columns = (
        TextColumn("simulating"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("customers, {task.fields[events]:,} events"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task("simulate", total=customers, events=0)
        try:
            report = simulate_to_parquet(
                simulation,
                customers=customers,
                seed=seed,
                output=output,
                surveys=surveys,
                progress=lambda done, events: progress.update(task, completed=done, events=events),
            )
        except OSError as exc:
            fail(f"cannot write the output: {exc}")
    summary = {
        "output": str(report.output),
        "truth": str(report.truth),
        "surveys": str(report.surveys) if report.surveys else None,
        "customers": report.customers,
        "events": report.events,
        "survey_responses": report.survey_responses,
        "seconds": round(report.seconds, 3),
        "events_per_second": round(report.events_per_second),
    }
    if as_json:
        print_json(summary)
        return
    out.print(
        f"wrote {report.events:,} events of {report.customers:,} customers to {report.output} "
        f"in {report.seconds:.2f} s ({report.events_per_second:,.0f} events/s); "
        f"ground truth in {report.truth}",
        highlight=False,
    )
    if report.surveys:
        out.print(f"wrote {report.survey_responses:,} survey answers to {report.surveys}")


def whatif(
    spec: SpecArgument,
    change: Annotated[
        list[str],
        typer.Option(
            "--change",
            "-c",
            help="FROM->TO:AMOUNT, e.g. 'payment->post_purchase:+10%', ':-3pp', ':=0.4'.",
        ),
    ],
    runs: Annotated[int, typer.Option("--runs", "-r", min=2, help="Paired Monte Carlo runs.")] = 20,
    customers: Annotated[
        int, typer.Option("--customers", "-n", min=1, help="Customers per run.")
    ] = 20_000,
    seed: Annotated[int, typer.Option("--seed", "-s", min=0, help="Seed of the first run.")] = 0,
    lang: LangOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Forecast the effect of changed transition probabilities on conversions and revenue."""
    from journeymap.simulate.whatif import ChangeError, what_if

    simulation = _spec(spec, lang)
    with Progress(
        TextColumn("what-if runs"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as progress:
        task = progress.add_task("whatif", total=runs)
        try:
            result = what_if(
                simulation,
                change,
                runs=runs,
                customers=customers,
                seed=seed,
                progress=lambda done: progress.update(task, completed=done),
            )
        except ChangeError as exc:
            fail(str(exc))
    if as_json:
        print_json(result.to_dict())
        return
    table = Table(
        "",
        "baseline",
        "changed",
        "difference",
        "95% CI of the difference",
        title=f"What if {', '.join(result.changes)} ({result.runs} paired runs of "
        f"{result.customers:,} customers)",
    )
    rows = (
        (
            "conversions",
            result.baseline_conversions,
            result.changed_conversions,
            result.conversions_difference,
            "{:,.1f}",
        ),
        (
            "revenue",
            result.baseline_revenue,
            result.changed_revenue,
            result.revenue_difference,
            "{:,.0f}",
        ),
    )
    for name, base, new, diff, fmt in rows:
        relative = f" ({diff.mean / base.mean:+.1%})" if base.mean else ""
        table.add_row(
            name,
            fmt.format(base.mean),
            fmt.format(new.mean),
            ("+" if diff.mean >= 0 else "") + fmt.format(diff.mean) + relative,
            f"{fmt.format(diff.low)} .. {fmt.format(diff.high)}",
        )
    out.print(table)


def register(app: typer.Typer) -> None:
    """Add the simulation commands to ``app``."""
    app.command()(simulate)
    app.command()(whatif)
