"""A journey map as a Markdown summary: goal, personas, stages with their lanes, the pain points
ranked by severity and the action plan as a table. Rejected items are left out."""

from __future__ import annotations

from journeymap.map.model import (
    ActionItem,
    Item,
    ItemStatus,
    JourneyMap,
    LaneKind,
    PainPointItem,
    Persona,
)
from journeymap.render.emotion_curve import stage_emotions
from journeymap.render.item_text import evidence_text, item_details, reading_order
from journeymap.render.labels import Labels


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|")


def _table_or_none(header: list[str], rows: list[list[str]], labels: Labels) -> list[str]:
    """A Markdown table, or the word for "none yet" when there are no rows."""
    if not rows:
        return [labels["md.none"]]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(value) for value in row) + " |" for row in rows]
    return lines


def _item_lines(item: Item, labels: Labels) -> list[str]:
    details = item_details(item, labels)
    line = f"- {item.text}" + (f" ({details})" if details else "")
    if item.status == ItemStatus.SUGGESTED:
        line += f" — *{labels['suggested']}*"
    return [line, *(f"  - {evidence_text(ev, labels)}" for ev in item.evidence)]


def _persona_lines(persona: Persona, labels: Labels) -> list[str]:
    title = persona.name + (f" — {persona.segment}" if persona.segment else "")
    lines = [f"### {title}", ""]
    if persona.quote:
        lines += [f"> “{persona.quote}”", ""]
    if persona.description:
        lines += [persona.description, ""]
    facts = []
    if persona.size is not None:
        share = f"{labels.number(round(persona.size * 100))}%"
        facts.append(labels.format("persona.size", share=share))
    facts += [f"{key}: {value}" for key, value in persona.demographics.items()]
    if facts:
        lines += [" · ".join(facts), ""]
    for key in ("goals", "needs", "pains", "expectations", "motivations", "values", "media"):
        entries = getattr(persona, key)
        if entries:
            lines.append(f"- **{labels[f'persona.{key}']}:** " + "; ".join(entries))
    if persona.empathy:
        for key in ("says", "thinks", "does", "feels"):
            entries = getattr(persona.empathy, key)
            if entries:
                lines.append(f"- **{labels[f'empathy.{key}']}:** " + "; ".join(entries))
    lines.append("")
    return lines


def render_markdown(doc: JourneyMap) -> str:
    """The map as a Markdown document for a workshop handout or a wiki page."""
    labels = Labels(doc.language)
    placed = reading_order(doc)
    out = [f"# {doc.title}", ""]
    facts = [f"**{labels[f'state.{doc.state.value}']}**"]
    if doc.scenario:
        facts.append(f"**{labels['scenario']}:** {doc.scenario}")
    if doc.owner:
        facts.append(f"**{labels['owner']}:** {doc.owner}")
    out += [" · ".join(facts), ""]
    if doc.goal:
        out += [f"> **{labels['goal']}:** {doc.goal}", ""]
    if doc.description:
        out += [doc.description, ""]

    if doc.personas:
        out += [f"## {labels['md.personas']}", ""]
        for entry in doc.personas:
            if isinstance(entry, Persona):
                out += _persona_lines(entry, labels)
            else:
                name = entry.name or entry.id
                out += [f"### {name}", "", f"{labels['persona.ref']}: {entry.ref}", ""]

    out += [f"## {labels['md.stages']}", ""]
    for number, stage in enumerate(doc.stages, start=1):
        out += [f"### {number}. {stage.title}", ""]
        if stage.description:
            out += [stage.description, ""]
        if stage.steps:
            out += [f"*{labels['md.steps']}:* " + ", ".join(s.title for s in stage.steps), ""]
        for persona in doc.personas:
            if isinstance(persona, Persona) and persona.stage_expectations.get(stage.id):
                expects = "; ".join(persona.stage_expectations[stage.id])
                out += [f"*{labels['persona.expectations']} ({persona.name}):* {expects}", ""]
        for lane in doc.lanes:
            items = [p.item for p in placed if p.stage.id == stage.id and p.lane.id == lane.id]
            if items:
                out += [f"**{lane.title}**", ""]
                out += [line for item in items for line in _item_lines(item, labels)]
                out.append("")

    emotion_lane = next((lane for lane in doc.lanes if lane.kind == LaneKind.EMOTIONS), None)
    if emotion_lane is not None:
        rows = [
            [stage.title, f"{items[0].score:+d}" if items[0].score else "0", items[0].text]
            for stage, items in zip(doc.stages, stage_emotions(doc, emotion_lane.id), strict=True)
            if items
        ]
        header = [labels["md.stage"], labels["md.score"], labels["md.emotion"]]
        out += [f"## {labels['md.emotions']}", "", *_table_or_none(header, rows, labels), ""]

    pains = sorted(
        ((p, p.item) for p in placed if isinstance(p.item, PainPointItem)),
        key=lambda pair: -pair[1].severity,
    )
    rows = [[labels[f"severity.{i.severity}"], i.text, p.stage.title] for p, i in pains]
    header = [labels["md.severity"], labels["md.pain_point"], labels["md.stage"]]
    out += [f"## {labels['md.pain_points']}", "", *_table_or_none(header, rows, labels), ""]

    actions = [(p, p.item) for p in placed if isinstance(p.item, ActionItem)]
    rows = [
        [
            i.text,
            i.owner or "",
            i.due.isoformat() if i.due else "",
            labels[f"status.{i.action_status.value}"],
            p.stage.title,
        ]
        for p, i in actions
    ]
    header = [labels[key] for key in ("md.action", "md.owner", "md.due", "md.status", "md.stage")]
    out += [f"## {labels['md.action_plan']}", "", *_table_or_none(header, rows, labels)]
    return "\n".join(out).rstrip() + "\n"
