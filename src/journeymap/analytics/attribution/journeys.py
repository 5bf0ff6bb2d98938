"""Channel journeys: each customer's touches, cut at every conversion, as paths with counts.

A **touch** is an event with a channel that is not the conversion event; consecutive touches from
the same channel collapse into one (the first event of the run keeps its time), unless
``collapse_repeats=False``. Events of a customer are ordered by timestamp, then by whether they
are the conversion (touches first, so a touch at the very time of a purchase counts towards it),
then by event name, channel and revenue, so equal timestamps order the same way on every engine.

Each conversion event closes a **journey**: the touches since the customer's previous conversion
(or since the first event), with the conversion's ``revenue`` as its value (0 when missing).
Touches after a customer's last conversion form one journey that ends in **null** (no
conversion). A conversion without any touch since the previous one has no channel to credit: it
is counted as *unattributed* and left out of every model.

All of this runs in the engine (Ibis); only the table of distinct paths with their counts, which
is small, comes back to Python as :class:`JourneyPaths`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import ibis
import ibis.expr.types as ir
import numpy as np
import numpy.typing as npt
import pandas as pd

from journeymap.analytics.durations import seconds_between
from journeymap.data.events import Events, EventsError, as_table

DEFAULT_CONVERSION = "purchase"
SEPARATOR = "\x1f"  # joins channels in the engine; no channel name contains it


@dataclass(frozen=True)
class JourneyPaths:
    """Distinct channel paths with their conversions, conversion value and null journeys."""

    paths: tuple[tuple[str, ...], ...]
    conversions: npt.NDArray[np.float64]
    value: npt.NDArray[np.float64]
    nulls: npt.NDArray[np.float64]
    unattributed_conversions: float = 0.0
    unattributed_value: float = 0.0

    def __post_init__(self) -> None:
        sizes = {len(self.paths), len(self.conversions), len(self.value), len(self.nulls)}
        if len(sizes) != 1:
            raise ValueError("paths, conversions, value and nulls must have the same length")
        if any(len(path) == 0 for path in self.paths):
            raise ValueError("a path needs at least one channel")

    @property
    def channels(self) -> tuple[str, ...]:
        """Every channel on some path, sorted by name."""
        return tuple(sorted({channel for path in self.paths for channel in path}))

    @property
    def total_conversions(self) -> float:
        """Conversions on the paths (the unattributed ones are not included)."""
        return float(self.conversions.sum())

    @property
    def total_value(self) -> float:
        """Conversion value on the paths."""
        return float(self.value.sum())

    @property
    def total_journeys(self) -> float:
        """Journeys on the paths, converted or not."""
        return float(self.conversions.sum() + self.nulls.sum())

    @classmethod
    def from_rows(
        cls,
        rows: Sequence[tuple[Sequence[str], float, float, float]],
        *,
        unattributed_conversions: float = 0.0,
        unattributed_value: float = 0.0,
    ) -> JourneyPaths:
        """Paths from ``(channels, conversions, value, nulls)`` rows; equal paths are added up."""
        merged: dict[tuple[str, ...], list[float]] = {}
        for channels, conversions, value, nulls in rows:
            counts = merged.setdefault(tuple(channels), [0.0, 0.0, 0.0])
            counts[0] += conversions
            counts[1] += value
            counts[2] += nulls
        return cls(
            paths=tuple(merged),
            conversions=np.array([c[0] for c in merged.values()], dtype=np.float64),
            value=np.array([c[1] for c in merged.values()], dtype=np.float64),
            nulls=np.array([c[2] for c in merged.values()], dtype=np.float64),
            unattributed_conversions=unattributed_conversions,
            unattributed_value=unattributed_value,
        )

    @classmethod
    def from_path_table(
        cls,
        frame: pd.DataFrame,
        *,
        path: str = "path",
        conversions: str = "total_conversions",
        value: str | None = None,
        nulls: str | None = None,
        sep: str = ">",
    ) -> JourneyPaths:
        """Paths from a ChannelAttribution-style table: ``"a > b > c"`` strings with counts."""
        for column in (path, conversions, value, nulls):
            if column is not None and column not in frame.columns:
                raise ValueError(f"the path table has no column {column!r}")
        zeros = np.zeros(len(frame))
        rows = [
            (
                [part.strip() for part in str(text).split(sep) if part.strip()],
                float(c),
                float(v),
                float(n),
            )
            for text, c, v, n in zip(
                frame[path],
                frame[conversions],
                frame[value] if value else zeros,
                frame[nulls] if nulls else zeros,
                strict=True,
            )
        ]
        return cls.from_rows([row for row in rows if row[0]])

    def to_frame(self) -> pd.DataFrame:
        """One row per distinct path: path (``a > b``), steps, conversions, value, nulls."""
        return pd.DataFrame(
            {
                "path": [" > ".join(p) for p in self.paths],
                "steps": [list(p) for p in self.paths],
                "conversions": self.conversions,
                "value": self.value,
                "nulls": self.nulls,
            }
        )


def journey_touches(
    events: Events | ibis.Table,
    *,
    conversion: str = DEFAULT_CONVERSION,
    channel: str = "channel",
    collapse_repeats: bool = True,
) -> ibis.Table:
    """One row per touch of a journey, in the engine.

    Columns: ``customer_id``, ``journey`` (0 for a customer's first journey), ``seq`` (increasing
    along the customer's events, not necessarily consecutive), ``first_seq`` and ``last_seq`` (of
    the journey's first and last touch), ``touches`` (the journey's length), ``channel``,
    ``timestamp``, ``converted`` (bool), ``value`` (the conversion's revenue, 0 for null
    journeys) and ``age_seconds`` (from the touch to the conversion; null for null journeys).
    One ordered pass over each customer's events, then unordered per-journey windows.
    """
    table = as_table(events)
    if channel not in table.columns:
        raise EventsError(f"the events have no {channel!r} column (needed for attribution)")
    name = table[channel].cast("string")
    is_conversion = table.event == conversion
    revenue: ir.FloatingValue = (
        table.revenue.cast("float64").fill_null(0.0)
        if "revenue" in table.columns
        else ibis.literal(0.0)
    )
    rows = table.filter(
        table.customer_id.notnull() & (is_conversion | (name.notnull() & (name != "")))
    ).select(
        customer_id=table.customer_id.cast("string"),
        timestamp=table.timestamp,
        event=table.event,
        channel=ibis.ifelse(is_conversion, ibis.null("string"), name),
        is_conversion=is_conversion.cast("int64"),
        revenue=revenue,
    )
    order = ibis.window(
        group_by="customer_id",
        order_by=[rows.timestamp, rows.is_conversion, rows.event, rows.channel, rows.revenue],
        preceding=None,
        following=0,
    )
    rows = rows.mutate(
        journey=rows.is_conversion.sum().over(order) - rows.is_conversion,
        # a conversion's channel is null, so a run of one channel never crosses a conversion
        previous=rows.channel.lag().over(order),
        seq=ibis.row_number().over(order),
    )
    if collapse_repeats:
        rows = rows.filter(
            (rows.is_conversion == 1) | rows.previous.isnull() | (rows.previous != rows.channel)
        )
    journey = ibis.window(group_by=["customer_id", "journey"])
    touch_seq = ibis.ifelse(rows.is_conversion == 0, rows.seq, ibis.null("int64"))
    rows = rows.mutate(
        converted=(rows.is_conversion.max().over(journey) == 1),
        value=rows.revenue.max(where=rows.is_conversion == 1).over(journey).fill_null(0.0),
        converted_at=rows.timestamp.max(where=rows.is_conversion == 1).over(journey),
        touches=(1 - rows.is_conversion).sum().over(journey),
        first_seq=touch_seq.min().over(journey),
        last_seq=touch_seq.max().over(journey),
    )
    touches = rows.filter(rows.is_conversion == 0)
    seconds = seconds_between(touches.timestamp, touches.converted_at)
    return touches.select(
        "customer_id",
        "journey",
        "seq",
        "first_seq",
        "last_seq",
        "touches",
        "channel",
        "timestamp",
        "converted",
        "value",
        age_seconds=seconds,
    )


def journey_paths(
    events: Events | ibis.Table,
    *,
    conversion: str = DEFAULT_CONVERSION,
    channel: str = "channel",
    collapse_repeats: bool = True,
) -> JourneyPaths:
    """The distinct channel paths with (conversions, value, nulls), aggregated in the engine.

    See the module docstring for what a touch and a journey are. Raises ``ValueError`` when the
    events hold no conversion event ``conversion`` at all.
    """
    table = as_table(events)
    touches = journey_touches(
        table, conversion=conversion, channel=channel, collapse_repeats=collapse_repeats
    )
    per_journey = touches.group_by(["customer_id", "journey"]).agg(
        steps=ibis.struct({"seq": touches.seq, "channel": touches.channel}).collect(),
        converted=touches.converted.max(),
        value=touches.value.max(),
    )
    per_journey = per_journey.mutate(
        path=per_journey.steps.sort().map(lambda step: step.channel).join(SEPARATOR)
    )
    converted = per_journey.converted.cast("int64")
    paths = per_journey.group_by("path").agg(
        conversions=converted.sum(),
        value=per_journey.value.sum(),
        nulls=(1 - converted).sum(),
    )
    frame = paths.execute()
    totals = _conversion_totals(table, conversion)
    if totals["conversions"] == 0:
        raise ValueError(f"no conversions: the events have no {conversion!r} event")
    attributed = float(frame["conversions"].sum())
    attributed_value = float(frame["value"].sum())
    frame = frame.sort_values("path", kind="stable")
    return JourneyPaths(
        paths=tuple(tuple(text.split(SEPARATOR)) for text in frame["path"]),
        conversions=frame["conversions"].to_numpy(dtype=np.float64),
        value=frame["value"].to_numpy(dtype=np.float64),
        nulls=frame["nulls"].to_numpy(dtype=np.float64),
        unattributed_conversions=totals["conversions"] - attributed,
        unattributed_value=round(totals["value"] - attributed_value, 9),
    )


def _conversion_totals(table: ibis.Table, conversion: str) -> dict[str, float]:
    """All conversions in the events and their revenue, with or without touches."""
    hits = table.filter((table.event == conversion) & table.customer_id.notnull())
    value: Any = (
        hits.revenue.cast("float64").fill_null(0.0).sum()
        if "revenue" in table.columns
        else ibis.literal(0.0)
    )
    row = hits.aggregate(conversions=hits.count(), value=value).execute().iloc[0]
    return {"conversions": float(row["conversions"]), "value": float(row["value"] or 0.0)}
