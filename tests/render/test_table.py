"""XLSX and CSV: one row per item with stable columns; a styled, frozen header; a stages sheet."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl

from journeymap.map.model import JourneyMap
from journeymap.render.table import (
    ITEM_COLUMNS,
    LANE_COLUMNS,
    STAGE_COLUMNS,
    item_rows,
    render_csv,
    render_xlsx,
    write_xlsx,
)


def test_csv_has_a_header_and_one_row_per_item(full_map: JourneyMap) -> None:
    rows = list(csv.DictReader(io.StringIO(render_csv(full_map))))
    assert len(rows) == len(full_map.iter_items())  # rejected items included
    assert tuple(rows[0]) == ITEM_COLUMNS
    assert {row["item_id"] for row in rows} == {item.id for _, item in full_map.iter_items()}
    assert [row["stage_no"] for row in rows] == sorted(row["stage_no"] for row in rows)


def test_rows_carry_each_kinds_fields(full_map: JourneyMap) -> None:
    rows = {row["item_id"]: row for row in csv.DictReader(io.StringIO(render_csv(full_map)))}
    pain = rows["p1"]
    assert (pain["stage"], pain["lane"], pain["lane_kind"], pain["kind"]) == (
        "Subscribe",
        "Pain points",
        "pain_points",
        "pain_point",
    )
    assert pain["severity"] == "3" and pain["lens"] == "cost, communication"
    assert pain["evidence"] == (
        "Analytics: 38% (n=5,120), Checkout drop-off, https://analytics.example.com/checkout"
    )
    assert rows["e3"]["score"] == "-2"
    assert rows["a1"]["step_id"] == "ad" and rows["a1"]["step"] == "Instagram ad"
    assert rows["k1"]["current"] == "48" and rows["k1"]["target"] == "65"
    assert rows["k1"]["on_target"] == "false" and rows["k2"]["on_target"] == "true"
    assert rows["k3"]["on_target"] == "false"  # lower is better: 5.5 tickets against 3
    assert rows["ap1"]["owner"] == "Anna (Product)" and rows["ap1"]["due"] == "2026-12-15"
    assert rows["ap1"]["action_status"] == "in_progress"
    assert rows["o3"]["status"] == "suggested" and rows["n2"]["status"] == "rejected"
    assert rows["m1"]["stay"] == "Free shipping over two bags"
    assert rows["t1"]["channel"] == "social" and rows["n1"]["tags"] == "churn"
    assert rows["img1"]["image"] == "https://example.com/brew.png"


def test_xlsx_has_items_and_stages_sheets_with_a_styled_frozen_header(
    full_map: JourneyMap, tmp_path: Path
) -> None:
    path = write_xlsx(full_map, tmp_path / "map.xlsx")
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["Items", "Stages", "Lanes", "Map"]
    items = workbook["Items"]
    header = [cell.value for cell in items[1]]
    assert tuple(header) == ITEM_COLUMNS
    assert items.max_row == len(full_map.iter_items()) + 1
    assert items.freeze_panes == "A2"
    assert items["A1"].font.bold and items["A1"].fill.fgColor.rgb.endswith("1E293B")
    assert items.auto_filter.ref.startswith("A1:")
    by_id = {
        row[header.index("item_id")]: row for row in items.iter_rows(min_row=2, values_only=True)
    }
    assert by_id["p1"][header.index("severity")] == 3
    assert by_id["k3"][header.index("current")] == 5.5
    stages = workbook["Stages"]
    assert tuple(cell.value for cell in stages[1]) == STAGE_COLUMNS
    assert [row[2] for row in stages.iter_rows(min_row=2, values_only=True)] == [
        stage.title for stage in full_map.stages
    ]
    subscribe = next(
        r for r in stages.iter_rows(min_row=2, values_only=True) if r[1] == "subscribe"
    )
    assert subscribe[STAGE_COLUMNS.index("max_severity")] == 3
    assert subscribe[STAGE_COLUMNS.index("emotion_score")] == -2


def test_xlsx_lanes_and_map_sheets_describe_the_map(full_map: JourneyMap) -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(render_xlsx(full_map)))
    lanes = list(workbook["Lanes"].iter_rows(min_row=2, values_only=True))
    assert [row[1] for row in lanes] == [lane.id for lane in full_map.lanes]
    assert tuple(cell.value for cell in workbook["Lanes"][1]) == LANE_COLUMNS
    pains = next(row for row in lanes if row[1] == "pains")
    assert pains[3] == "pain_points" and pains[5] == 3
    fields = dict(
        (field, value)
        for field, value in workbook["Map"].iter_rows(min_row=2, values_only=True)
        if field != "persona"
    )
    assert fields["goal"] == full_map.goal and fields["state"] == "current"
    personas = [
        v for f, v in workbook["Map"].iter_rows(min_row=2, values_only=True) if f == "persona"
    ]
    assert personas[0].startswith("Marta Kowalska (Urban professionals, 25-34;")
    assert personas[1] == "Budget student (workspace/budget-student)"


def test_text_that_looks_like_a_formula_stays_text(full_map: JourneyMap) -> None:
    data = full_map.model_dump()
    data["cells"][0]["items"][0]["text"] = '=HYPERLINK("http://x")'
    workbook = openpyxl.load_workbook(io.BytesIO(render_xlsx(JourneyMap.model_validate(data))))
    cell = workbook["Items"].cell(row=2, column=ITEM_COLUMNS.index("text") + 1)
    assert cell.value == '=HYPERLINK("http://x")' and cell.data_type == "s"


def test_item_rows_of_a_map_without_items_are_empty() -> None:
    assert item_rows(JourneyMap(id="empty", title="Empty")) == []
    assert render_csv(JourneyMap(id="empty", title="Empty")).splitlines() == [
        ",".join(ITEM_COLUMNS)
    ]
