"""Items as plain text for the Markdown and table exports: reading order, details, evidence."""

from __future__ import annotations

from dataclasses import dataclass

from journeymap.map.model import (
    ActionItem,
    ChannelItem,
    EmotionItem,
    Evidence,
    IdeaItem,
    ImageItem,
    Item,
    ItemStatus,
    JourneyMap,
    Lane,
    MetricItem,
    OpportunityItem,
    PainPointItem,
    Stage,
    TouchpointItem,
    TurningPointItem,
)
from journeymap.render.labels import Labels


@dataclass(frozen=True)
class PlacedItem:
    """An item with the stage (and its 1-based number) and the lane it sits in."""

    stage_number: int
    stage: Stage
    lane: Lane
    item: Item


def reading_order(doc: JourneyMap, *, include_rejected: bool = False) -> list[PlacedItem]:
    """Every item, stage by stage, and within a stage lane by lane, as the map is read."""
    placed = []
    for number, stage in enumerate(doc.stages, start=1):
        for lane in doc.lanes:
            for item in doc.items_at(lane.id, stage.id):
                if include_rejected or item.status != ItemStatus.REJECTED:
                    placed.append(PlacedItem(number, stage, lane, item))
    return placed


def metric_state(item: MetricItem) -> str:
    """``'on'`` or ``'off'`` target, or ``'none'`` when the current value or target is unknown."""
    if item.current is None or item.target is None:
        return "none"
    if item.higher_is_better:
        return "on" if item.current >= item.target else "off"
    return "on" if item.current <= item.target else "off"


def evidence_text(evidence: Evidence, labels: Labels) -> str:
    """``Analytics: 38% (n=5,120), Checkout drop-off`` or ``Interview: “I had to...”``."""
    parts = []
    if evidence.figure is not None:
        parts.append(labels.quantity(evidence.figure, evidence.unit))
    if evidence.sample_size is not None:
        parts.append(f"(n={labels.number(evidence.sample_size)})")
    figure = " ".join(parts)
    details = [d for d in (figure, evidence.summary) if d]
    if evidence.quote:
        details.append(f"“{evidence.quote}”")
    if evidence.date:
        details.append(evidence.date.isoformat())
    if evidence.link:
        details.append(evidence.link)
    source = labels[f"source.{evidence.source.value}"]
    return f"{source}: {', '.join(details)}" if details else source


def item_details(item: Item, labels: Labels) -> str:
    """What an item says besides its text: severity, score, channel, target, owner..."""
    match item:
        case PainPointItem():
            return labels[f"severity.{item.severity}"]
        case EmotionItem():
            return f"{item.score:+d}" if item.score else "0"
        case TouchpointItem() | ChannelItem():
            return item.channel.value.replace("_", " ") if item.channel else ""
        case TurningPointItem():
            forks = [(labels["stay"], item.stay), (labels["leave"], item.leave)]
            return "; ".join(f"{word}: {text}" for word, text in forks if text)
        case OpportunityItem():
            return labels[f"origin.{item.origin}"]
        case IdeaItem():
            return labels.format("votes", n=item.votes) if item.votes else ""
        case MetricItem():
            values = []
            if item.current is not None:
                values.append(labels.quantity(item.current, item.unit))
            if item.target is not None:
                values.append(f"{labels['target']} {labels.quantity(item.target, item.unit)}")
            return ", ".join(values)
        case ActionItem():
            details = [labels[f"status.{item.action_status.value}"]]
            if item.owner:
                details.append(item.owner)
            if item.due:
                details.append(item.due.isoformat())
            return ", ".join(details)
        case ImageItem():
            return item.src if not item.src.startswith("data:") else ""
        case _:
            return ""
