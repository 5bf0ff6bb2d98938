"""Paper geometry of a rendered map and how its stages are split into parts that fit a page."""

from __future__ import annotations

import math
from dataclasses import dataclass

PX_PER_MM = 96 / 25.4


class UnknownPageSizeError(ValueError):
    """A page size that is not offered; the message lists the ones that are."""


@dataclass(frozen=True)
class PageSize:
    """A landscape sheet: its size, margins, and how many stage columns one sheet holds.

    Every length of the map layout is derived from here, so the HTML on screen, the PDF page and
    the emotion curve's SVG agree on the width of a stage column to the pixel.
    """

    name: str
    width_mm: float
    height_mm: float
    margin_mm: float
    max_stages: int
    lane_header_px: int
    gap_px: int = 4

    @property
    def content_width_px(self) -> int:
        """Width between the side margins, in CSS pixels (1/96 inch)."""
        return math.floor((self.width_mm - 2 * self.margin_mm) * PX_PER_MM)

    def stage_width_for(self, part_size: int) -> int:
        """Width of a stage column in a map whose largest part shows ``part_size`` stages.

        The map table is the lane header column, ``part_size`` stage columns and a gap of
        :attr:`gap_px` around each column, together no wider than the sheet's content.
        """
        n = max(1, part_size)
        return (self.content_width_px - self.lane_header_px - (n + 2) * self.gap_px) // n

    def table_width(self, stage_width: int, n_stages: int) -> int:
        """Width of a map table with ``n_stages`` columns of ``stage_width`` px, gaps included."""
        return self.lane_header_px + n_stages * stage_width + (n_stages + 2) * self.gap_px


PAGE_SIZES: dict[str, PageSize] = {
    "A3": PageSize("A3", 420, 297, 10, max_stages=8, lane_header_px=138),
    "A4": PageSize("A4", 297, 210, 8, max_stages=5, lane_header_px=116),
}


def page_size(name: str) -> PageSize:
    """The page size called ``name`` (``'A3'`` or ``'A4'``, any case)."""
    try:
        return PAGE_SIZES[name.upper()]
    except KeyError:
        known = ", ".join(PAGE_SIZES)
        raise UnknownPageSizeError(f"unknown page size {name!r}; use one of: {known}") from None


def stage_parts(n_stages: int, max_per_part: int) -> list[range]:
    """Split ``n_stages`` stage indexes into as few, evenly sized, consecutive parts as fit.

    ``stage_parts(12, 8)`` gives ``[range(0, 6), range(6, 12)]``; the first parts take the
    remainder, so sizes never differ by more than one. A map without stages has one empty part.
    """
    if max_per_part < 1:
        raise ValueError(f"max_per_part must be at least 1, got {max_per_part}")
    if n_stages <= 0:
        return [range(0)]
    count = math.ceil(n_stages / max_per_part)
    base, extra = divmod(n_stages, count)
    parts, start = [], 0
    for index in range(count):
        size = base + (1 if index < extra else 0)
        parts.append(range(start, start + size))
        start += size
    return parts
