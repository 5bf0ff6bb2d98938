"""The ``journeymap`` command: a Typer app; each command group lives in its own module."""

from __future__ import annotations

import typer

from journeymap.cli import attribution as attribution_cli
from journeymap.cli import funnel as funnel_cli
from journeymap.cli import insights as insights_cli
from journeymap.cli import maps, simulate
from journeymap.cli import paths as paths_cli
from journeymap.cli import report as report_cli
from journeymap.cli import research as research_cli
from journeymap.cli import retention as retention_cli
from journeymap.cli import segments as segments_cli
from journeymap.cli import survey as survey_cli
from journeymap.cli.events import events_app

app = typer.Typer(
    name="journeymap",
    help="Data-driven customer journey maps: map-as-code, analytics, exports.",
    no_args_is_help=True,
    add_completion=False,
)

maps.register(app)
simulate.register(app)
paths_cli.register(app)
retention_cli.register(app)
report_cli.register(app)
funnel_cli.register(app)
insights_cli.register(app)
survey_cli.register(app)
segments_cli.register(app)
attribution_cli.register(app)
research_cli.register(app)
app.add_typer(events_app, name="events")


def main() -> None:
    """Entry point of the ``journeymap`` script."""
    app()
