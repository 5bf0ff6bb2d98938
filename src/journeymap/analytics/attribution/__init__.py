"""Channel attribution: journeys from events, heuristic, Markov and Shapley models, spend.

Building the journeys (ordering touches, cutting at conversions, counting identical paths) runs
in the engine; the Markov and Shapley models then work on the small table of distinct paths.
"""

from __future__ import annotations

from journeymap.analytics.attribution.compare import (
    MODELS,
    AttributionComparison,
    compare_attribution,
)
from journeymap.analytics.attribution.heuristic import HEURISTIC_MODELS, heuristic_attribution
from journeymap.analytics.attribution.journeys import JourneyPaths, journey_paths, journey_touches
from journeymap.analytics.attribution.markov import markov_attribution, markov_chain
from journeymap.analytics.attribution.result import AttributionResult, ChannelCredit
from journeymap.analytics.attribution.shapley import shapley_attribution
from journeymap.analytics.attribution.spend import ChannelEfficiency, efficiency, read_spend

__all__ = [
    "HEURISTIC_MODELS",
    "MODELS",
    "AttributionComparison",
    "AttributionResult",
    "ChannelCredit",
    "ChannelEfficiency",
    "JourneyPaths",
    "compare_attribution",
    "efficiency",
    "heuristic_attribution",
    "journey_paths",
    "journey_touches",
    "markov_attribution",
    "markov_chain",
    "read_spend",
    "shapley_attribution",
]
