"""How Parquet event files are laid out: whether they are sorted by customer, read from footers.

In a file sorted by customer id (as ``journeymap simulate`` and ``journeymap events import`` write
them) the row groups' id ranges follow each other; a customer spans at most the boundary of two
neighbouring groups, and no part is cut there. A filter on a range of ids then reads only the row
groups of that range, so an analysis can work through the customers in parts, each small enough for
memory (docs/data.md, "Sorted files"). The parts never change a result: every customer falls in
exactly one of them, however the files are laid out; only the speed depends on the layout.

The files journeymap writes also carry a *customer key* (:data:`KEY_COLUMN`): an integer per
customer that grows with the id, marked in the footer (:func:`key_metadata`) with the id column it
stands for. Analyses that group per customer and report no ids group on it instead of the id:
integers read, hash and compare faster than text (docs/data.md, "Customer key").
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import ibis
import pyarrow as pa
import pyarrow.parquet as pq

# Events per part: at 100M events three parts of about 34M; a part's per-customer tables then
# stay in memory under the default limit (in one piece they spilled about 1 GB to disk)
PART_EVENTS = 40_000_000

KEY_COLUMN = "customer_key"
_KEY_ENTRY = "journeymap.customer_key"  # footer metadata: the id column the key stands for


def key_metadata(column: str = "customer_id") -> dict[str, str]:
    """The footer entry that marks :data:`KEY_COLUMN` as one number per value of ``column``.

    A writer adds it only when it numbered the customers itself: the same id always has the
    same key within the file, two ids never share one, and a larger id has a larger key.
    """
    return {_KEY_ENTRY: column}


def with_customer_key(table: ibis.Table, column: str = "customer_id") -> ibis.Table:
    """``table`` with :data:`KEY_COLUMN`: 0, 1, 2, ... over the distinct values of ``column``.

    A key the table already has is numbered afresh. Write it with :func:`key_metadata`.
    """
    if KEY_COLUMN in table.columns:
        table = table.drop(KEY_COLUMN)
    ids = table.select(column).distinct()
    ids = ids.mutate(**{KEY_COLUMN: ibis.row_number().over(order_by=ids[column])})
    return table.inner_join(ids, column)


Bound = str | int  # a customer id, or a customer key
_B = TypeVar("_B", str, int)


@dataclass(frozen=True)
class _RowGroup(Generic[_B]):
    low: _B
    high: _B
    rows: int


def customer_layout(
    files: Sequence[str],
    column: str = "customer_id",
    *,
    keyed: bool = True,
    part_events: int | None = None,
) -> tuple[str | None, tuple[Bound, ...]]:
    """The customer key of Parquet ``files`` (None without one) and the bounds of their parts.

    The key is :data:`KEY_COLUMN` when ``keyed`` and it stands for ``column`` one to one across
    all ``files`` (:func:`_key`). The bounds split the files, when they are sorted by customer,
    into parts of about ``part_events`` (default :data:`PART_EVENTS`): part ``k`` holds the
    customers from bound ``k - 1`` (inclusive) to bound ``k`` (exclusive), and each bound is the
    first value of a row group whose values all come after the previous row group's: keys
    where there is a key, else values of ``column`` (text). No bounds (one part) when the files
    hold fewer events, when the row groups' ranges overlap (the files are not sorted by
    customer), when the column is not of its type or has no statistics, or when a footer
    cannot be read. Every footer is read once.
    """
    footers = [_footer(name) for name in files]
    events = part_events or PART_EVENTS
    key = _key(footers, column) if keyed else None
    if key is not None:
        return key, _bounds(footers, key, events, int)
    return None, _bounds(footers, column, events, str)


def _key(footers: Sequence[pq.FileMetaData | None], column: str) -> str | None:
    """:data:`KEY_COLUMN` when it stands for ``column`` one to one across the files, or None.

    Every file must carry the mark of :func:`key_metadata` for ``column`` and an integer key
    column. Several files must hold separate customers: taken in the order of their ids, each
    file's ids and keys all come before the next file's (from the row groups' statistics), so
    that no two customers share a key and no customer has two.
    """
    ranges: list[tuple[str, str, int, int]] = []
    several = len(footers) > 1
    for metadata in footers:
        if metadata is None or (metadata.metadata or {}).get(_KEY_ENTRY.encode()) != (
            column.encode()
        ):
            return None
        keys = _row_groups(metadata, KEY_COLUMN, int)
        if keys is None:
            return None
        if not several:
            continue
        ids = _row_groups(metadata, column, str)
        if ids is None:
            return None
        if ids and keys:  # an empty file holds no customer
            ranges.append(
                (
                    min(g.low for g in ids),
                    max(g.high for g in ids),
                    min(g.low for g in keys),
                    max(g.high for g in keys),
                )
            )
    ranges.sort(key=lambda r: r[0])
    for earlier, later in itertools.pairwise(ranges):
        if not (earlier[1] < later[0] and earlier[3] < later[2]):
            return None
    return KEY_COLUMN


def _bounds(
    footers: Sequence[pq.FileMetaData | None],
    column: str,
    part_events: int,
    value: Callable[[Any], _B],
) -> tuple[_B, ...]:
    groups: list[_RowGroup[_B]] = []
    for metadata in footers:
        found = None if metadata is None else _row_groups(metadata, column, value)
        if found is None:
            return ()
        groups.extend(found)
    groups.sort(key=lambda g: g.low)
    if any(later.low < earlier.high for earlier, later in itertools.pairwise(groups)):
        return ()
    total = sum(g.rows for g in groups)
    parts = math.ceil(total / part_events)
    if parts <= 1:
        return ()
    bounds: list[_B] = []
    done = 0
    for earlier, later in itertools.pairwise(groups):
        done += earlier.rows
        # cut where the parts so far reach their share, and no customer spans the cut
        if done >= total * (len(bounds) + 1) / parts and earlier.high < later.low:
            bounds.append(later.low)
    return tuple(bounds)


def _footer(name: str) -> pq.FileMetaData | None:
    try:
        return pq.ParquetFile(name).metadata
    except (OSError, pa.ArrowException):  # layouts are for speed: never fail a read over them
        return None


def _row_groups(
    metadata: pq.FileMetaData, column: str, value: Callable[[Any], _B]
) -> list[_RowGroup[_B]] | None:
    """The non-empty row groups' ranges of ``column``, text (``value`` str) or 64-bit integer.

    None when the column is missing, of another type, or a row group has no minimum and maximum.
    """
    index = _column(metadata.schema, column, integer=value is int)
    if index is None:
        return None
    groups: list[_RowGroup[_B]] = []
    for number in range(metadata.num_row_groups):
        group = metadata.row_group(number)
        if group.num_rows == 0:
            continue
        stats = group.column(index).statistics
        if stats is None or not stats.has_min_max:
            return None
        groups.append(_RowGroup(value(stats.min), value(stats.max), group.num_rows))
    return groups


def _column(schema: pq.ParquetSchema, column: str, *, integer: bool) -> int | None:
    """The index of the top-level column ``column`` if it is text (or a 64-bit integer)."""
    for index in range(len(schema)):
        leaf = schema.column(index)
        if leaf.path == column:
            if integer:
                signed = leaf.logical_type.type in ("NONE", "INT")
                return index if leaf.physical_type == "INT64" and signed else None
            text = leaf.logical_type.type == "STRING" or leaf.converted_type == "UTF8"
            return index if leaf.physical_type == "BYTE_ARRAY" and text else None
    return None
