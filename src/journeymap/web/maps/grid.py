"""The editor's view of a map: rows of cells in stage order and the emotion curve's geometry.

Built once per request from a :class:`JourneyMap` so that the template only loops, and the
page of a big map (12 stages x 15 lanes, 300 items) renders quickly.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from journeymap.map.model import (
    LANE_ITEM_KINDS,
    EmotionItem,
    Item,
    JourneyMap,
    Lane,
    LaneKind,
    Stage,
)

# Geometry of the emotion curve: one column per stage, scores -2..+2 from bottom to top.
CURVE_COLUMN = 100
CURVE_HEIGHT = 120
CURVE_PAD = 14
SCORES = (2, 1, 0, -1, -2)


@dataclass(frozen=True)
class GridCell:
    """One lane x stage cell with its items."""

    lane: Lane
    stage: Stage
    items: list[Item]


@dataclass(frozen=True)
class CurvePoint:
    """A stage's emotion score placed on the curve (x, y in SVG units)."""

    stage: Stage
    score: int | None
    x: float
    y: float | None
    left: float
    width: float


@dataclass(frozen=True)
class GridRow:
    """A lane with its cells in stage order; emotions lanes carry their curve."""

    lane: Lane
    cells: list[GridCell]
    item_kinds: list[str]
    curve: list[CurvePoint] = field(default_factory=list)

    @property
    def is_emotions(self) -> bool:
        """Whether the lane is drawn as the emotion curve."""
        return self.lane.kind == LaneKind.EMOTIONS

    @property
    def polyline(self) -> str:
        """SVG points of the curve through the stages that have a score."""
        return " ".join(f"{p.x:.0f},{p.y:.0f}" for p in self.curve if p.y is not None)


def score_y(score: int) -> float:
    """The y coordinate of a score on the curve (top is +2)."""
    usable = CURVE_HEIGHT - 2 * CURVE_PAD
    return CURVE_PAD + (2 - score) * usable / 4


def _curve(doc: JourneyMap, lane: Lane) -> list[CurvePoint]:
    points = []
    for n, stage in enumerate(doc.stages):
        emotions = [i for i in doc.items_at(lane.id, stage.id) if isinstance(i, EmotionItem)]
        stage_level = [i for i in emotions if i.step is None] or emotions
        score = stage_level[0].score if stage_level else None
        x = n * CURVE_COLUMN + CURVE_COLUMN / 2
        width = 100 / len(doc.stages)
        y = score_y(score) if score is not None else None
        points.append(CurvePoint(stage, score, x, y, left=n * width, width=width))
    return points


@dataclass(frozen=True)
class EditorGrid:
    """Everything the map grid template needs."""

    doc: JourneyMap
    rows: list[GridRow]
    curve_width: int
    curve_height: int = CURVE_HEIGHT
    score_lines: list[tuple[int, float]] = field(default_factory=list)

    @property
    def item_count(self) -> int:
        """Number of items on the map."""
        return sum(len(cell.items) for row in self.rows for cell in row.cells)


def build_grid(doc: JourneyMap) -> EditorGrid:
    """The grid of ``doc``: one row per lane, one cell per stage."""
    cells = {(cell.lane, cell.stage): list(cell.items) for cell in doc.cells}
    rows = []
    for lane in doc.lanes:
        row_cells = [
            GridCell(lane, stage, cells.get((lane.id, stage.id), [])) for stage in doc.stages
        ]
        rows.append(
            GridRow(
                lane=lane,
                cells=row_cells,
                item_kinds=sorted(LANE_ITEM_KINDS[lane.kind]),
                curve=_curve(doc, lane) if lane.kind == LaneKind.EMOTIONS else [],
            )
        )
    return EditorGrid(
        doc=doc,
        rows=rows,
        curve_width=max(len(doc.stages), 1) * CURVE_COLUMN,
        score_lines=[(s, score_y(s)) for s in SCORES],
    )
