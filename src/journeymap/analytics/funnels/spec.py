"""What a funnel asks for: steps, exclusions, conversion window, order; validated up front."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

StepColumn = Literal["event", "touchpoint", "stage"]
StepOrder = Literal["ordered", "strict"]
STEP_COLUMNS: tuple[str, ...] = ("event", "touchpoint", "stage")
STEP_ORDERS: tuple[str, ...] = ("ordered", "strict")
DEFAULT_WINDOW = timedelta(days=14)

_WINDOW_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_WINDOW_TEXT = re.compile(r"^\s*(?P<n>[0-9]+)\s*(?P<unit>[smhdw])\s*$", re.IGNORECASE)


class FunnelError(ValueError):
    """A funnel that cannot be computed as asked (bad steps, window, column, exclusion)."""


@dataclass(frozen=True)
class StepSpec:
    """One funnel step: a value of the step column (an event name, touchpoint or stage)."""

    value: str
    label: str | None = None

    @property
    def name(self) -> str:
        """The label shown for the step (the value unless a label was given)."""
        return self.label or self.value


@dataclass(frozen=True)
class Exclusion:
    """Void an attempt in which ``value`` happens after step ``from_step`` and before ``to_step``.

    Steps are numbered from 1; ``value`` is matched in the funnel's step column.
    """

    value: str
    from_step: int
    to_step: int


@dataclass(frozen=True)
class FunnelSpec:
    """The validated parameters of one funnel computation."""

    steps: tuple[StepSpec, ...]
    column: StepColumn
    window: timedelta
    order: StepOrder
    exclusions: tuple[Exclusion, ...]
    breakdown: str | None

    @property
    def values(self) -> tuple[str, ...]:
        """The step values in funnel order (a value may repeat)."""
        return tuple(step.value for step in self.steps)

    @property
    def window_seconds(self) -> int:
        """The conversion window in whole seconds."""
        return int(self.window.total_seconds())


def make_spec(
    steps: Sequence[str | StepSpec],
    *,
    column: str,
    window: timedelta,
    order: str,
    exclusions: Sequence[Exclusion],
    breakdown: str | None,
) -> FunnelSpec:
    """Check the funnel parameters and return them as a :class:`FunnelSpec`."""
    specs = tuple(s if isinstance(s, StepSpec) else StepSpec(str(s)) for s in steps)
    if len(specs) < 2:
        raise FunnelError(f"a funnel needs at least 2 steps, got {len(specs)}")
    if any(not s.value for s in specs):
        raise FunnelError("funnel steps must be non-empty names")
    if column not in STEP_COLUMNS:
        raise FunnelError(f"steps are matched on one of {', '.join(STEP_COLUMNS)}, not {column!r}")
    if order not in STEP_ORDERS:
        raise FunnelError(f"order must be one of {', '.join(STEP_ORDERS)}, not {order!r}")
    if window <= timedelta(0) or window.microseconds:
        raise FunnelError(
            f"the conversion window must be a positive whole number of seconds: {window}"
        )
    values = {s.value for s in specs}
    for exclusion in exclusions:
        if not 1 <= exclusion.from_step < exclusion.to_step <= len(specs):
            raise FunnelError(
                f"exclusion {exclusion.value!r}: steps {exclusion.from_step}..{exclusion.to_step} "
                f"must satisfy 1 <= from < to <= {len(specs)}"
            )
        if exclusion.value in values:
            raise FunnelError(f"exclusion {exclusion.value!r} is also a funnel step")
    return FunnelSpec(
        steps=specs,
        column=column,  # type: ignore[arg-type]
        window=window,
        order=order,  # type: ignore[arg-type]
        exclusions=tuple(exclusions),
        breakdown=breakdown,
    )


def parse_window(text: str) -> timedelta:
    """Parse a window such as ``30m``, ``12h``, ``7d`` or ``2w`` (plain seconds: ``90s``)."""
    match = _WINDOW_TEXT.match(text)
    if not match or int(match.group("n")) == 0:
        raise FunnelError(
            f"bad window {text!r}: expected a positive number and a unit s, m, h, d or w (e.g. 7d)"
        )
    return timedelta(seconds=int(match.group("n")) * _WINDOW_UNITS[match.group("unit").lower()])


def parse_exclusion(text: str) -> Exclusion:
    """Parse ``value:from:to`` (steps numbered from 1) into an :class:`Exclusion`."""
    value, sep, rest = text.rpartition(":")
    value, sep2, first = value.rpartition(":")
    if not (sep and sep2 and value and first.strip().isdigit() and rest.strip().isdigit()):
        raise FunnelError(
            f"bad exclusion {text!r}: expected VALUE:FROM_STEP:TO_STEP (e.g. refund:1:3)"
        )
    return Exclusion(value, int(first), int(rest))
