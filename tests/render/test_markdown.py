"""The Markdown summary: title, goal, personas, stage sections, ranked pains, action plan."""

from __future__ import annotations

import re

from journeymap.map.model import JourneyMap
from journeymap.render.markdown import render_markdown


def test_markdown_has_the_title_goal_and_sections(full_map: JourneyMap) -> None:
    md = render_markdown(full_map)
    assert md.startswith("# Coffee subscription — first order\n")
    assert f"> **Goal of the map:** {full_map.goal}" in md
    headings = re.findall(r"^## (.+)$", md, flags=re.MULTILINE)
    assert headings == [
        "Personas",
        "Journey by stage",
        "Emotion curve",
        "Pain points by severity",
        "Action plan",
    ]
    stage_headings = re.findall(r"^### (\d+)\. (.+)$", md, flags=re.MULTILINE)
    assert stage_headings == [(str(n), s.title) for n, s in enumerate(full_map.stages, 1)]


def test_stage_sections_list_the_items_of_each_lane(full_map: JourneyMap) -> None:
    md = render_markdown(full_map)
    subscribe = md.split("### 3. Subscribe")[1].split("### 4.")[0]
    assert "**Pain points**" in subscribe
    assert "- Shipping cost appears only at the last step (Critical)" in subscribe
    assert "  - Analytics: 38% (n=5,120), Checkout drop-off" in subscribe
    assert "Stay: Free shipping over two bags; Leave: Abandons the checkout" in subscribe
    assert "- Checkout conversion (48%, target 65%)" in subscribe
    assert "*Expectations (Marta Kowalska):* The price she saw is the price she pays" in subscribe
    deliver = md.split("### 4. First delivery")[1].split("### 5.")[0]
    assert "- Parcel lockers as default (Team) — *Suggested*" in deliver
    assert "Old idea nobody liked" not in md  # rejected


def test_pain_points_are_ranked_by_severity(full_map: JourneyMap) -> None:
    md = render_markdown(full_map)
    section = md.split("## Pain points by severity")[1].split("## Action plan")[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and "---" not in line]
    assert rows[0] == "| Severity | Pain point | Stage |"
    assert [row.split(" | ")[0].lstrip("| ") for row in rows[1:]] == [
        "Critical",
        "Major",
        "Minor",
    ]


def test_action_plan_is_a_table_with_owner_due_and_status(full_map: JourneyMap) -> None:
    md = render_markdown(full_map)
    section = md.split("## Action plan")[1]
    assert "| Action | Owner | Due | Status | Stage |" in section
    assert (
        "| Show shipping cost upfront | Anna (Product) | 2026-12-15 | In progress | Subscribe |"
        in section
    )
    assert "| Fix the card form | Dev team |  | Done | First delivery |" in section


def test_personas_are_summarised(full_map: JourneyMap) -> None:
    md = render_markdown(full_map)
    assert "### Marta Kowalska — Urban professionals, 25-34" in md
    assert "> “I want great coffee to just show up, without me thinking about it.”" in md
    assert "- **Pains:** Hidden shipping costs; Deliveries when she is not home" in md
    assert "- **Feels:** Curious; Slightly anxious about commitment" in md
    assert "- **Media:** Instagram; Coffee blogs" in md
    assert "Persona from the library: workspace/budget-student" in md


def test_pipes_in_texts_do_not_break_tables(full_map: JourneyMap) -> None:
    data = full_map.model_dump()
    for cell in data["cells"]:
        for item in cell["items"]:
            if item["id"] == "ap1":
                item["text"] = "Show cost | upfront"
    md = render_markdown(JourneyMap.model_validate(data))
    assert "| Show cost \\| upfront | Anna (Product) |" in md


def test_map_without_pains_or_actions_says_none(minimal_map: JourneyMap) -> None:
    md = render_markdown(minimal_map)
    assert md.split("## Pain points by severity")[1].split("##")[0].strip() == "None yet."
    assert md.split("## Action plan")[1].strip() == "None yet."


def test_russian_map_gets_russian_headings(russian_map: JourneyMap) -> None:
    md = render_markdown(russian_map)
    assert "## Боли по критичности" in md and "## План действий" in md
    assert "| Добавить курьерскую доставку | Иван |  | К выполнению | Доставка |" in md
