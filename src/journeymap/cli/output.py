"""Console output shared by the commands: stdout for results, stderr for errors and progress."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Annotated, Any, NoReturn, Protocol, TypeVar

import typer
from rich.console import Console
from rich.table import Table

out = Console()
err = Console(stderr=True)

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON for machines.")]


class _Result(Protocol):
    def to_dict(self) -> Any: ...


R = TypeVar("R", bound=_Result)


def fail(message: str, code: int = 1) -> NoReturn:
    """Print ``message`` on stderr and exit with ``code``."""
    err.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def print_json(data: Any) -> None:
    """Print ``data`` as JSON on stdout (plain, for pipes)."""
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def require_choice(option: str, value: str, choices: Sequence[str]) -> None:
    """Fail unless ``value`` of ``option`` (``--by``) is one of ``choices``."""
    if value not in choices:
        fail(f"{option} must be one of {', '.join(choices)}, not {value!r}")


def show(result: R, as_json: bool, table: Callable[[R], Table]) -> None:
    """``result`` as JSON (its ``to_dict()``) with ``--json``, else as the command's table."""
    if as_json:
        print_json(result.to_dict())
    else:
        out.print(table(result))
