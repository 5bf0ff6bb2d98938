"""Console output shared by the commands: stdout for results, stderr for errors and progress."""

from __future__ import annotations

import json
from typing import Any, NoReturn

import typer
from rich.console import Console

out = Console()
err = Console(stderr=True)


def fail(message: str, code: int = 1) -> NoReturn:
    """Print ``message`` on stderr and exit with ``code``."""
    err.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def print_json(data: Any) -> None:
    """Print ``data`` as JSON on stdout (plain, for pipes)."""
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
