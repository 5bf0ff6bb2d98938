"""The ``journeymap`` command: a Typer app; each command group lives in its own module."""

from __future__ import annotations

import typer

from journeymap.cli import maps, simulate

app = typer.Typer(
    name="journeymap",
    help="Data-driven customer journey maps: map-as-code, analytics, exports.",
    no_args_is_help=True,
    add_completion=False,
)

maps.register(app)
simulate.register(app)


def main() -> None:
    """Entry point of the ``journeymap`` script."""
    app()
