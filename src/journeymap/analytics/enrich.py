"""Insights back onto the map: suggested pain points, success points, turning points, stage
metrics and emotion scores, each with its evidence, for a team to accept or reject.

Events are matched to the map by their ``stage`` column (the map's stage ids). Every suggestion is
an item with ``status: suggested`` and an id starting with :data:`SUGGESTION_PREFIX`. Enriching
a map first removes the suggestions of an earlier run (suggested items with that prefix), so
re-running replaces them; every other item (the team's own, and suggestions the team accepted or
rejected, which keep their ids) stays as it is, and no suggestion is added under an id the map
already uses. Items go into the first lane of the right kind, after the items already there; a
lane (id with the same prefix, dropped again once empty) is added when there is none. A stage has
one emotion score per lane, so a suggested score for a stage the team has scored goes into a
second emotions lane, "Emotions (from surveys)".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import ibis

from journeymap.analytics.conformance import ConformanceResult, conformance
from journeymap.analytics.moments_of_truth import (
    DEFAULT_MIN_SUPPORT,
    MomentsOfTruthResult,
    TurningPointsResult,
    customer_outcomes,
    moments_of_truth,
    turning_points,
)
from journeymap.analytics.pain_points import PainPointsResult, pain_points
from journeymap.analytics.sequences import StepColumn
from journeymap.data.events import Events, EventsError, as_table
from journeymap.map.model import (
    Cell,
    EmotionItem,
    Evidence,
    EvidenceSource,
    Item,
    ItemStatus,
    JourneyMap,
    Lane,
    LaneKind,
    MetricBinding,
    MetricItem,
    PainPointItem,
    SuccessPointItem,
    TurningPointItem,
    slugify,
)
from journeymap.map.validation import validate_data

SUGGESTION_PREFIX = "sugg-"
TOP_TURNING_POINTS = 3
LANE_TITLES = {
    LaneKind.PAIN_POINTS: "Pain points",
    LaneKind.SUCCESS_POINTS: "Success points",
    LaneKind.TURNING_POINTS: "Turning points",
    LaneKind.METRICS: "Metrics",
    LaneKind.EMOTIONS: "Emotions",
}


@dataclass(frozen=True)
class MapInsights:
    """Everything the map is enriched with, computed from events (and surveys)."""

    moments: MomentsOfTruthResult
    turning: TurningPointsResult
    pains: PainPointsResult
    conformance: ConformanceResult
    emotions: tuple[tuple[str, EmotionItem], ...] = field(default=())  # (stage id, score)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form of every part."""
        return {
            "moments_of_truth": self.moments.to_dict(),
            "turning_points": self.turning.to_dict(),
            "pain_points": self.pains.to_dict(),
            "conformance": self.conformance.to_dict(),
            "emotions": [
                {"stage": stage, **e.model_dump(mode="json")} for stage, e in self.emotions
            ],
        }


def map_insights(
    events: Events | ibis.Table,
    doc: JourneyMap,
    *,
    by: StepColumn = "touchpoint",
    conversion: Sequence[str] | None = None,
    surveys: Any | None = None,
    min_support: int = DEFAULT_MIN_SUPPORT,
) -> MapInsights:
    """Compute the insights of ``events`` for the stages of ``doc``; ``surveys`` (a
    :class:`journeymap.data.surveys.SurveyResponses`) adds satisfaction and emotion scores."""
    table = as_table(events)
    order = [stage.id for stage in doc.stages]
    if not order:
        raise ValueError("the map has no stages to put insights on")
    if "stage" not in table.columns:
        raise EventsError("the events have no 'stage' column to match them to the map's stages")
    _check_stages(table, order)
    outcomes = customer_outcomes(table, conversion)
    moments = moments_of_truth(
        table, by=by, conversion=conversion, min_support=min_support, outcomes=outcomes
    )
    if moments.converted == 0:
        marks = f"event {', '.join(conversion)}" if conversion else "event with revenue > 0"
        raise EventsError(f"no customer converts: the events have no {marks}")
    scores = None
    emotions: tuple[tuple[str, EmotionItem], ...] = ()
    if surveys is not None:
        from journeymap.analytics.feedback_themes import negative_comments
        from journeymap.analytics.satisfaction import emotion_curve_from_surveys, satisfaction

        scores = _score_table(satisfaction(surveys, by=by), negative_comments(surveys, by=by))
        curve = emotion_curve_from_surveys(doc, satisfaction(surveys, by="stage"))
        emotions = tuple((e.stage, e.item) for e in curve)
    pains = pain_points(
        table,
        stage_order=order,
        by=by,
        conversion=conversion,
        surveys=scores,
        moments=moments,
        min_customers=min_support,
        outcomes=outcomes,
    )
    return MapInsights(
        moments=moments,
        turning=turning_points(table, by="stage", conversion=conversion, outcomes=outcomes),
        pains=pains,
        conformance=conformance(table, order),
        emotions=emotions,
    )


def _check_stages(table: ibis.Table, order: list[str]) -> None:
    stages = table.filter(table.stage.notnull()).select(stage=table.stage.cast("string")).distinct()
    found = {str(s) for s in stages.to_pyarrow()["stage"].to_pylist()}
    if not found & set(order):
        shown = ", ".join(sorted(found)[:10]) or "none"
        raise EventsError(
            f"no event stage is a stage of the map: the events have {shown}; "
            f"the map has {', '.join(order)}"
        )


def _score_table(result: Any, negatives: Any) -> Any:
    """Per step: CSAT (0-1 share) and NPS from a satisfaction result grouped by one column, and
    the scored and negative comments with the most frequent negative one."""
    import pandas as pd

    comments = {g.key: g for g in negatives.groups if g.key is not None}
    rows = []
    for row in result.rows:
        step = row.key[0]
        if step is None:
            continue
        said = comments.get(step)
        rows.append(
            {
                "step": step,
                "csat": None if row.counts.csat is None else row.counts.csat / 100,
                "nps": row.counts.nps,
                "responses": row.counts.csat_responses + row.counts.nps_responses,
                "comments": said.comments if said else 0,
                "negative_comments": said.negative if said else 0,
                "example": said.examples[0] if said and said.examples else None,
            }
        )
    columns = ["step", "csat", "nps", "responses", "comments", "negative_comments", "example"]
    return pd.DataFrame(rows, columns=columns)


def is_suggestion(item: Item) -> bool:
    """True for an item an earlier run suggested and the team has not decided on."""
    return item.status == ItemStatus.SUGGESTED and item.id.startswith(SUGGESTION_PREFIX)


def enrich_map(doc: JourneyMap, insights: MapInsights) -> JourneyMap:
    """``doc`` with the earlier suggestions replaced by the ones from ``insights`` (validated)."""
    cells = [
        Cell(lane=c.lane, stage=c.stage, items=[i for i in c.items if not is_suggestion(i)])
        for c in doc.cells
    ]
    cells = [c for c, old in zip(cells, doc.cells, strict=True) if c.items or not old.items]
    used = {c.lane for c in cells}
    lanes = [
        lane for lane in doc.lanes if not lane.id.startswith(SUGGESTION_PREFIX) or lane.id in used
    ]
    taken = {lane.id for lane in lanes} | {s.id for s in doc.stages}
    taken |= {step.id for s in doc.stages for step in s.steps} | {p.id for p in doc.personas}
    taken |= {item.id for c in cells for item in c.items}
    stages = {s.id for s in doc.stages}

    def lane_of(kind: LaneKind, stage: str) -> str:
        for lane in lanes:
            if lane.kind == kind and (kind != LaneKind.EMOTIONS or not _emotion_at(lane, stage)):
                return lane.id
        title = LANE_TITLES[kind]
        if kind == LaneKind.EMOTIONS and any(lane.kind == kind for lane in lanes):
            title = "Emotions (from surveys)"
        lane = Lane(id=slugify(SUGGESTION_PREFIX + title, taken), kind=kind, title=title)
        taken.add(lane.id)
        lanes.append(lane)
        return lane.id

    def _emotion_at(lane: Lane, stage: str) -> bool:
        return any(
            isinstance(item, EmotionItem)
            for cell in cells
            if cell.lane == lane.id and cell.stage == stage
            for item in cell.items
        )

    def place(kind: LaneKind, stage: str | None, item: Item) -> None:
        if stage is None or stage not in stages or item.id in taken:
            return
        taken.add(item.id)
        lane = lane_of(kind, stage)
        for cell in cells:
            if cell.lane == lane and cell.stage == stage:
                cell.items.append(item)
                return
        cells.append(Cell(lane=lane, stage=stage, items=[item]))

    for kind, stage, item in suggested_items(insights):
        place(kind, stage, item)
    data = doc.model_dump(mode="json")
    data["lanes"] = [lane.model_dump(mode="json") for lane in lanes]
    data["cells"] = [cell.model_dump(mode="json") for cell in cells]
    return validate_data(data, source=f"map {doc.id} with suggestions")


def _id(*parts: str) -> str:
    return (SUGGESTION_PREFIX + slugify("-".join(parts)))[:80].rstrip("-_")


def _evidence(
    summary: str,
    figure: float | None,
    unit: str,
    sample: int | None,
    survey: bool = False,
    quote: str | None = None,
) -> list[Evidence]:
    source = EvidenceSource.SURVEY if survey else EvidenceSource.ANALYTICS
    shown = None if figure is None else round(float(figure), 4)
    return [
        Evidence(
            source=source,
            summary=summary,
            quote=quote,
            figure=shown,
            unit=unit,
            sample_size=sample,
        )
    ]


def suggested_items(insights: MapInsights) -> list[tuple[LaneKind, str | None, Item]]:
    """Every suggestion as (lane kind, stage id, item), in the order they are placed."""
    items: list[tuple[LaneKind, str | None, Item]] = []
    kinds = {
        "drop_off": "High drop-off",
        "slow_step": "Slow to the next stage",
        "loop": "Customers loop",
        "support_contacts": "Repeated support contacts",
        "low_satisfaction": "Low satisfaction",
        "negative_comments": "Many negative comments",
    }
    for pain in insights.pains.pains:
        items.append(
            (
                LaneKind.PAIN_POINTS,
                pain.stage,
                PainPointItem(
                    id=_id("pain", pain.kind, pain.step),
                    text=f"{kinds[pain.kind]}: {pain.step}",
                    description=pain.summary,
                    severity=pain.severity,
                    status=ItemStatus.SUGGESTED,
                    evidence=_evidence(
                        pain.summary,
                        pain.figure,
                        pain.unit,
                        pain.customers,
                        survey=pain.kind in ("low_satisfaction", "negative_comments"),
                        quote=pain.quote,
                    ),
                ),
            )
        )
    for success in insights.pains.successes:
        label = "Raises conversion" if success.kind == "conversion_lift" else "High satisfaction"
        items.append(
            (
                LaneKind.SUCCESS_POINTS,
                success.stage,
                SuccessPointItem(
                    id=_id("success", success.kind, success.step),
                    text=f"{label}: {success.step}",
                    description=success.summary,
                    status=ItemStatus.SUGGESTED,
                    evidence=_evidence(
                        success.summary,
                        success.figure,
                        success.unit,
                        success.customers,
                        survey=success.kind == "high_satisfaction",
                    ),
                ),
            )
        )
    for point in [p for p in insights.turning.points if p.left][:TOP_TURNING_POINTS]:
        share = point.exit_probability
        summary = (
            f"{point.left} of {point.reached} customers ({100 * share:.0f}%) leave at "
            f"{point.step} without converting; {point.continued} go on"
        )
        items.append(
            (
                LaneKind.TURNING_POINTS,
                point.step,
                TurningPointItem(
                    id=_id("turning", point.step),
                    text=f"Stay or leave: {point.step}",
                    description=summary,
                    stay=f"{point.continued} customers ({100 * (1 - share):.0f}%) go on",
                    leave=f"{point.left} customers ({100 * share:.0f}%) leave",
                    status=ItemStatus.SUGGESTED,
                    evidence=_evidence(summary, share, "exit probability", point.reached),
                ),
            )
        )
    for metric in insights.pains.stages:
        if metric.rate is None:
            continue
        summary = f"{metric.continued} of {metric.entered} customers go on from {metric.stage}"
        items.append(
            (
                LaneKind.METRICS,
                metric.stage,
                MetricItem(
                    id=_id("metric", "continue", metric.stage),
                    text=f"Go on from {metric.stage}",
                    unit="%",
                    current=round(100 * metric.rate, 1),
                    binding=MetricBinding(
                        metric="stage_continuation", params={"stage": metric.stage}
                    ),
                    status=ItemStatus.SUGGESTED,
                    evidence=_evidence(summary, metric.rate, "share", metric.entered),
                ),
            )
        )
    for stage, emotion in insights.emotions:
        item = emotion.model_copy(update={"id": _id("emotion", stage)})
        items.append((LaneKind.EMOTIONS, stage, item))
    return items
