"""Path analytics in one import: variants, Sankey flows, transition matrix, loops.

Each lives in its own module; see :mod:`journeymap.analytics.sequences` for how a path is built
and how events with equal timestamps are ordered.
"""

from __future__ import annotations

from journeymap.analytics.loops import Loop, LoopsResult, loops
from journeymap.analytics.path_variants import PathVariant, PathVariantsResult, path_variants
from journeymap.analytics.sankey import SankeyLink, SankeyNode, SankeyResult, sankey
from journeymap.analytics.transitions import Transition, TransitionMatrix, transition_matrix

__all__ = [
    "Loop",
    "LoopsResult",
    "PathVariant",
    "PathVariantsResult",
    "SankeyLink",
    "SankeyNode",
    "SankeyResult",
    "Transition",
    "TransitionMatrix",
    "loops",
    "path_variants",
    "sankey",
    "transition_matrix",
]
