"""The insight analyses behind the report's later sections: attribution, moments of truth, turning
points, pain and success points, conformance, segments and surveys.

Every part is optional on the data: a part the data cannot answer (no channel column, no
conversion, no map, no surveys...) is None, with the reason in :attr:`InsightReport.notes`, so a
report can say why a section is empty instead of failing as a whole.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import ibis

from journeymap.analytics.attribution import AttributionComparison, compare_attribution
from journeymap.analytics.attribution.journeys import DEFAULT_CONVERSION
from journeymap.analytics.enrich import MapInsights, map_insights
from journeymap.analytics.feedback_themes import (
    AbandonReasonsResult,
    FeedbackThemesResult,
    NegativeCommentsResult,
    abandonment_reasons,
    feedback_themes,
    negative_comments,
)
from journeymap.analytics.moments_of_truth import (
    MomentsOfTruthResult,
    TurningPointsResult,
    customer_outcomes,
    moments_of_truth,
    turning_points,
)
from journeymap.analytics.satisfaction import SatisfactionResult, satisfaction
from journeymap.analytics.segments import SegmentsResult, segment_customers
from journeymap.analytics.sequences import StepColumn
from journeymap.data.events import Events, EventsError, as_table
from journeymap.data.surveys import SurveyResponses
from journeymap.map.model import JourneyMap

T = TypeVar("T")


@dataclass(frozen=True)
class InsightReport:
    """The insight results of one report; a part is None when the data cannot give it."""

    attribution: AttributionComparison | None = None
    moments: MomentsOfTruthResult | None = None
    turning: TurningPointsResult | None = None
    insights: MapInsights | None = None  # with a map: pains, successes, conformance
    segments: SegmentsResult | None = None
    satisfaction: SatisfactionResult | None = None
    themes: FeedbackThemesResult | None = None
    negative_comments: NegativeCommentsResult | None = None
    abandon_reasons: AbandonReasonsResult | None = None
    notes: dict[str, str] = field(default_factory=dict)  # part -> why it is missing


def insight_report(
    events: Events | ibis.Table,
    *,
    doc: JourneyMap | None = None,
    surveys: SurveyResponses | None = None,
    spend: dict[str, float] | None = None,
    conversion: Sequence[str] | None = None,
    by: StepColumn = "touchpoint",
    segments: bool = True,
    seed: int = 0,
) -> InsightReport:
    """Compute every insight part the data allows.

    ``conversion`` names the conversion event(s): moments of truth, turning points and pain points
    default to any event with revenue > 0, attribution to its first name or ``purchase``.
    With ``doc`` (a map whose stage ids are the events' ``stage`` values) the moments, turning
    points, pain and success points and conformance come from
    :func:`journeymap.analytics.enrich.map_insights`; ``surveys`` adds satisfaction, comment
    themes, negative comments and reasons for abandoning.
    """
    table = as_table(events)
    notes: dict[str, str] = {}

    def attempt(part: str, compute: Callable[[], T]) -> T | None:
        try:
            return compute()
        except (EventsError, ValueError) as exc:
            notes[part] = str(exc)
            return None

    parts: dict[str, Any] = {}
    if "channel" in table.columns:
        parts["attribution"] = attempt(
            "attribution",
            lambda: compare_attribution(
                table,
                conversion=conversion[0] if conversion else DEFAULT_CONVERSION,
                spend=spend,
            ),
        )
    else:
        notes["attribution"] = "the events have no 'channel' column"
    if doc is not None:
        found = attempt(
            "insights",
            lambda: map_insights(table, doc, by=by, conversion=conversion, surveys=surveys),
        )
        parts["insights"] = found
        if found is not None:
            parts["moments"], parts["turning"] = found.moments, found.turning
        else:
            notes["moments"] = notes["turning"] = notes["insights"]
    else:
        notes["insights"] = "give the journey map (--map) for pain points and conformance"
        outcomes = attempt("moments", lambda: customer_outcomes(table, conversion))
        if outcomes is not None and by in table.columns:
            parts["moments"] = attempt(
                "moments",
                lambda: moments_of_truth(table, by=by, conversion=conversion, outcomes=outcomes),
            )
        if outcomes is not None and "stage" in table.columns:
            parts["turning"] = attempt(
                "turning",
                lambda: turning_points(table, conversion=conversion, outcomes=outcomes),
            )
        elif "stage" not in table.columns:
            notes["turning"] = "the events have no 'stage' column"
    if segments:
        parts["segments"] = attempt(
            "segments",
            lambda: segment_customers(
                table, seed=seed, conversion_event=conversion[0] if conversion else None
            ),
        )
    if surveys is not None:
        parts["satisfaction"] = attempt("satisfaction", lambda: satisfaction(surveys, by=by))
        parts["themes"] = attempt("themes", lambda: feedback_themes(surveys, by=by))
        parts["negative_comments"] = attempt(
            "negative_comments", lambda: negative_comments(surveys, by=by)
        )
        parts["abandon_reasons"] = attempt("abandon_reasons", lambda: abandonment_reasons(surveys))
    return InsightReport(**parts, notes=notes)
