"""A journey map as a table with one row per item, for workshops: XLSX (styled) and CSV.

Rows come stage by stage, lane by lane. Rejected items are kept (their ``status`` says so),
since a workshop sheet is where they get reviewed. Column names are English and stable.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from journeymap.atomic import atomic_write_bytes
from journeymap.map.model import (
    ActionItem,
    ChannelItem,
    EmotionItem,
    IdeaItem,
    ImageItem,
    JourneyMap,
    MetricItem,
    OpportunityItem,
    PainPointItem,
    Persona,
    TouchpointItem,
    TurningPointItem,
)
from journeymap.render.emotion_curve import stage_emotions
from journeymap.render.item_text import PlacedItem, evidence_text, metric_state, reading_order
from journeymap.render.labels import Labels

ITEM_COLUMNS: tuple[str, ...] = (
    "map_id",
    "map_title",
    "stage_no",
    "stage_id",
    "stage",
    "step_id",
    "step",
    "lane_id",
    "lane",
    "lane_kind",
    "item_id",
    "kind",
    "text",
    "description",
    "status",
    "severity",
    "score",
    "channel",
    "origin",
    "votes",
    "unit",
    "current",
    "target",
    "on_target",
    "owner",
    "due",
    "action_status",
    "stay",
    "leave",
    "image",
    "tags",
    "lens",
    "evidence",
)

STAGE_COLUMNS: tuple[str, ...] = (
    "stage_no",
    "stage_id",
    "stage",
    "description",
    "steps",
    "items",
    "pain_points",
    "max_severity",
    "emotion_score",
    "emotion",
)

LANE_COLUMNS: tuple[str, ...] = ("lane_no", "lane_id", "lane", "lane_kind", "description", "items")

MAP_COLUMNS: tuple[str, ...] = ("field", "value")

_WIDTHS = {
    "map_id": 14, "map_title": 22, "stage_no": 8, "stage_id": 12, "stage": 18, "step_id": 10,
    "step": 16, "lane_id": 12, "lane": 18, "lane_kind": 15, "item_id": 12, "kind": 13,
    "text": 48, "description": 32, "evidence": 48, "steps": 36, "emotion": 28, "stay": 28,
    "leave": 28, "owner": 16, "tags": 18, "lens": 18, "image": 24, "field": 14, "value": 80,
}  # fmt: skip
_WRAPPED = {"text", "description", "evidence", "steps", "emotion", "stay", "leave", "value"}


def _kind_fields(item: Any) -> dict[str, Any]:
    """The columns only some item kinds fill in."""
    match item:
        case PainPointItem():
            return {"severity": item.severity}
        case EmotionItem():
            return {"score": item.score}
        case TouchpointItem():
            return {"channel": item.channel.value if item.channel else None, "owner": item.owner}
        case ChannelItem():
            return {"channel": item.channel.value}
        case TurningPointItem():
            return {"stay": item.stay, "leave": item.leave}
        case OpportunityItem():
            return {"origin": item.origin}
        case IdeaItem():
            return {"votes": item.votes}
        case MetricItem():
            state = metric_state(item)
            return {
                "unit": item.unit,
                "current": item.current,
                "target": item.target,
                "on_target": None if state == "none" else state == "on",
            }
        case ActionItem():
            return {
                "owner": item.owner,
                "due": item.due,
                "action_status": item.action_status.value,
            }
        case ImageItem():
            return {"image": item.src if not item.src.startswith("data:") else "(embedded)"}
        case _:
            return {}


def _item_row(doc: JourneyMap, placed: PlacedItem, labels: Labels) -> dict[str, Any]:
    item = placed.item
    step = next((s for s in placed.stage.steps if s.id == item.step), None)
    row: dict[str, Any] = dict.fromkeys(ITEM_COLUMNS)
    row.update(
        map_id=doc.id,
        map_title=doc.title,
        stage_no=placed.stage_number,
        stage_id=placed.stage.id,
        stage=placed.stage.title,
        step_id=item.step,
        step=step.title if step else None,
        lane_id=placed.lane.id,
        lane=placed.lane.title,
        lane_kind=placed.lane.kind.value,
        item_id=item.id,
        kind=item.kind,
        text=item.text,
        description=item.description,
        status=item.status.value,
        tags=", ".join(item.tags) or None,
        lens=", ".join(lens.value for lens in item.lens) or None,
        evidence="\n".join(evidence_text(ev, labels) for ev in item.evidence) or None,
    )
    row.update(_kind_fields(item))
    return row


def item_rows(doc: JourneyMap) -> list[dict[str, Any]]:
    """One row per item (rejected ones included), keyed by :data:`ITEM_COLUMNS`."""
    labels = Labels(doc.language)
    return [_item_row(doc, placed, labels) for placed in reading_order(doc, include_rejected=True)]


def stage_rows(doc: JourneyMap) -> list[dict[str, Any]]:
    """One row per stage with its steps, item count, worst pain point and emotion score."""
    placed = reading_order(doc)
    emotion_lane = next((lane for lane in doc.lanes if lane.kind.value == "emotions"), None)
    emotions = stage_emotions(doc, emotion_lane.id) if emotion_lane else [[] for _ in doc.stages]
    rows = []
    for number, (stage, stage_emotion) in enumerate(zip(doc.stages, emotions, strict=True), 1):
        items = [p.item for p in placed if p.stage.id == stage.id]
        severities = [i.severity for i in items if isinstance(i, PainPointItem)]
        rows.append(
            {
                "stage_no": number,
                "stage_id": stage.id,
                "stage": stage.title,
                "description": stage.description,
                "steps": "; ".join(step.title for step in stage.steps) or None,
                "items": len(items),
                "pain_points": len(severities),
                "max_severity": max(severities, default=None),
                "emotion_score": stage_emotion[0].score if stage_emotion else None,
                "emotion": stage_emotion[0].text if stage_emotion else None,
            }
        )
    return rows


def lane_rows(doc: JourneyMap) -> list[dict[str, Any]]:
    """One row per lane with its kind and how many items it holds."""
    counts: dict[str, int] = {}
    for cell, _ in doc.iter_items():
        counts[cell.lane] = counts.get(cell.lane, 0) + 1
    return [
        {
            "lane_no": number,
            "lane_id": lane.id,
            "lane": lane.title,
            "lane_kind": lane.kind.value,
            "description": lane.description,
            "items": counts.get(lane.id, 0),
        }
        for number, lane in enumerate(doc.lanes, start=1)
    ]


def map_rows(doc: JourneyMap) -> list[dict[str, Any]]:
    """The map's own fields (title, goal, state...) and its personas, as field/value rows."""
    fields: list[tuple[str, Any]] = [
        ("id", doc.id),
        ("title", doc.title),
        ("goal", doc.goal),
        ("description", doc.description),
        ("state", doc.state.value),
        ("scenario", doc.scenario),
        ("owner", doc.owner),
        ("language", doc.language),
        ("tags", ", ".join(doc.tags) or None),
    ]
    for persona in doc.personas:
        if isinstance(persona, Persona):
            about = "; ".join(filter(None, [persona.segment, persona.quote]))
            fields.append(("persona", f"{persona.name} ({about})" if about else persona.name))
        else:
            fields.append(("persona", f"{persona.name or persona.id} ({persona.ref})"))
    return [{"field": field, "value": value} for field, value in fields]


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def render_csv(doc: JourneyMap) -> str:
    """The item rows as CSV text (a header row, then one row per item)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ITEM_COLUMNS)
    for row in item_rows(doc):
        writer.writerow([_csv_value(row[column]) for column in ITEM_COLUMNS])
    return out.getvalue()


def _fill_sheet(sheet: Any, columns: tuple[str, ...], rows: list[dict[str, Any]]) -> None:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    sheet.append(list(columns))
    for row_index, row in enumerate(rows, start=2):
        for column_index, column in enumerate(columns, start=1):
            value = row[column]
            cell = sheet.cell(row=row_index, column=column_index)
            if isinstance(value, str):
                cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
                cell.data_type = "s"  # text that starts with "=" stays text, not a formula
            else:
                cell.value = value
    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor="1E293B")
    line = Border(bottom=Side(style="thin", color="CBD5E1"))
    for cell in sheet[1]:
        cell.font = header_font
        cell.fill = header_fill
        cell.alignment = Alignment(vertical="center", horizontal="left")
    sheet.row_dimensions[1].height = 22
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = _WIDTHS.get(column, 11)
        wrap = column in _WRAPPED
        for cell in sheet[letter][1:]:
            cell.alignment = Alignment(vertical="top", wrap_text=wrap)
            cell.border = line
            if column == "due" and cell.value is not None:
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(1, len(rows) + 1)}"


def render_xlsx(doc: JourneyMap) -> bytes:
    """The map as an XLSX workbook: "Items" (one row per item), "Stages", "Lanes" and "Map"."""
    from openpyxl import Workbook

    workbook = Workbook()
    items = workbook.active
    items.title = "Items"
    _fill_sheet(items, ITEM_COLUMNS, item_rows(doc))
    stages = workbook.create_sheet("Stages")
    _fill_sheet(stages, STAGE_COLUMNS, stage_rows(doc))
    _fill_sheet(workbook.create_sheet("Lanes"), LANE_COLUMNS, lane_rows(doc))
    _fill_sheet(workbook.create_sheet("Map"), MAP_COLUMNS, map_rows(doc))
    workbook.properties.title = doc.title
    workbook.properties.creator = "journeymap"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def write_xlsx(doc: JourneyMap, path: str | Path) -> Path:
    """Write the map's XLSX workbook to ``path`` atomically."""
    path = Path(path)
    atomic_write_bytes(path, render_xlsx(doc))
    return path
