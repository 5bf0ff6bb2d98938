"""How Parquet event files are laid out: whether they are sorted by customer, read from footers.

In a file sorted by customer id (as ``journeymap simulate`` and ``journeymap events import`` write
them) the row groups' id ranges follow each other; a customer spans at most the boundary of two
neighbouring groups, and no part is cut there. A filter on a range of ids then reads only the row
groups of that range, so an analysis can work through the customers in parts, each small enough for
memory (docs/data.md, "Sorted files"). The parts never change a result: every customer falls in
exactly one of them, however the files are laid out; only the speed depends on the layout.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.parquet as pq

# Events per part: at 100M events three parts of about 34M; a part's per-customer tables then
# stay in memory under the default limit (in one piece they spilled about 1 GB to disk)
PART_EVENTS = 40_000_000


@dataclass(frozen=True)
class _RowGroup:
    low: str
    high: str
    rows: int


def customer_bounds(
    files: Sequence[str], column: str = "customer_id", part_events: int | None = None
) -> tuple[str, ...]:
    """Customer ids that split sorted Parquet ``files`` into parts of about ``part_events``.

    Part ``k`` holds the customers from bound ``k - 1`` (inclusive) to bound ``k`` (exclusive);
    each bound is the first id of a row group whose ids all come after the previous row group's.
    ``part_events`` defaults to :data:`PART_EVENTS`. Empty (one part) when the files hold fewer
    events, when the row groups' id ranges overlap (the files are not sorted by customer), or
    when ``column`` is not text or has no statistics, or a footer cannot be read.
    """
    groups: list[_RowGroup] = []
    for name in files:
        try:
            metadata = pq.ParquetFile(name).metadata
        except (OSError, pa.ArrowException):  # the parts are for speed: never fail a read over them
            return ()
        index = _text_column(metadata.schema, column)
        if index is None:
            return ()
        for number in range(metadata.num_row_groups):
            group = metadata.row_group(number)
            if group.num_rows == 0:
                continue
            stats = group.column(index).statistics
            if stats is None or not stats.has_min_max:
                return ()
            groups.append(_RowGroup(str(stats.min), str(stats.max), group.num_rows))
    groups.sort(key=lambda g: g.low)
    if any(later.low < earlier.high for earlier, later in itertools.pairwise(groups)):
        return ()
    total = sum(g.rows for g in groups)
    parts = math.ceil(total / (part_events or PART_EVENTS))
    if parts <= 1:
        return ()
    bounds: list[str] = []
    done = 0
    for earlier, later in itertools.pairwise(groups):
        done += earlier.rows
        # cut where the parts so far reach their share, and no customer spans the cut
        if done >= total * (len(bounds) + 1) / parts and earlier.high < later.low:
            bounds.append(later.low)
    return tuple(bounds)


def _text_column(schema: pq.ParquetSchema, column: str) -> int | None:
    """The index of the top-level text column ``column``, or None."""
    for index in range(len(schema)):
        leaf = schema.column(index)
        if leaf.path == column:
            text = leaf.logical_type.type == "STRING" or leaf.converted_type == "UTF8"
            return index if leaf.physical_type == "BYTE_ARRAY" and text else None
    return None
