"""Top path variants: the most common step sequences per customer or per session."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import ibis
import pandas as pd
import plotly.graph_objects as go

from journeymap.analytics.sequences import ARROW, PathUnit, StepColumn, path_counts
from journeymap.data.events import Events

OTHER = "(other)"


@dataclass(frozen=True)
class PathVariant:
    """One distinct path: its steps, how many paths follow it and their share of all paths."""

    steps: tuple[str, ...]
    count: int
    share: float
    truncated: bool  # the paths go on beyond ``max_length`` steps

    @property
    def label(self) -> str:
        """The steps joined by arrows, with a trailing ``…`` when truncated."""
        return ARROW.join(self.steps) + (ARROW + "…" if self.truncated else "")


@dataclass(frozen=True)
class PathVariantsResult:
    """The top path variants, plus what the rest of the paths add up to."""

    by: str
    per: str
    collapse_repeats: bool
    max_length: int
    total: int  # paths (customers or sessions) with at least one step
    distinct: int  # distinct variants among them
    variants: tuple[PathVariant, ...]

    @property
    def other(self) -> int:
        """Paths that follow a variant outside the top."""
        return self.total - sum(v.count for v in self.variants)

    @property
    def other_share(self) -> float:
        """Share of the paths outside the top variants."""
        return self.other / self.total if self.total else 0.0

    def to_frame(self) -> pd.DataFrame:
        """One row per top variant (rank, path, steps, length, count, share, truncated) and
        a final ``(other)`` row when other paths exist."""
        rows = [
            {
                "rank": rank,
                "path": v.label,
                "steps": list(v.steps),
                "length": len(v.steps),
                "count": v.count,
                "share": v.share,
                "truncated": v.truncated,
            }
            for rank, v in enumerate(self.variants, start=1)
        ]
        if self.other:
            rows.append(
                {
                    "rank": None,
                    "path": OTHER,
                    "steps": [],
                    "length": None,
                    "count": self.other,
                    "share": self.other_share,
                    "truncated": False,
                }
            )
        columns = ["rank", "path", "steps", "length", "count", "share", "truncated"]
        return pd.DataFrame(rows, columns=columns)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "by": self.by,
            "per": self.per,
            "collapse_repeats": self.collapse_repeats,
            "max_length": self.max_length,
            "total": self.total,
            "distinct": self.distinct,
            "variants": [
                {
                    "steps": list(v.steps),
                    "count": v.count,
                    "share": v.share,
                    "truncated": v.truncated,
                }
                for v in self.variants
            ],
            "other": {"count": self.other, "share": self.other_share},
        }

    def figure(self) -> go.Figure:
        """Horizontal bars: the share of paths per variant, the most common on top."""
        labels = [v.label for v in self.variants]
        shares = [v.share for v in self.variants]
        counts = [v.count for v in self.variants]
        fig = go.Figure(
            go.Bar(
                x=shares[::-1],
                y=labels[::-1],
                orientation="h",
                customdata=counts[::-1],
                hovertemplate="%{y}<br>%{customdata} paths (%{x:.1%})<extra></extra>",
            )
        )
        fig.update_layout(
            title=f"Top path variants by {self.by} (per {self.per})",
            xaxis={"title": "share of paths", "tickformat": ".0%"},
            yaxis={"automargin": True},
            height=max(300, 28 * len(labels) + 120),
        )
        return fig


def path_variants(
    events: Events | ibis.Table,
    *,
    by: StepColumn = "touchpoint",
    per: PathUnit = "customer",
    collapse_repeats: bool = True,
    top: int = 20,
    max_length: int = 20,
) -> PathVariantsResult:
    """The ``top`` most common step sequences, with counts and shares of all paths.

    A path is the ordered ``by`` values of one customer (or session); see
    :mod:`journeymap.analytics.sequences` for the order of equal timestamps. Paths longer than
    ``max_length`` steps are cut there and marked ``truncated`` (they group with each other, apart
    from paths that end at that length). Ties in count rank by the steps, alphabetically.
    """
    if top < 1:
        raise ValueError(f"top must be at least 1, not {top}")
    if max_length < 1:
        raise ValueError(f"max_length must be at least 1, not {max_length}")
    counts = path_counts(events, by=by, per=per, collapse_repeats=collapse_repeats)
    paths = counts.table
    counted = paths.group_by(
        variant=paths.path[:max_length], truncated=paths.path.length() > max_length
    ).agg(count=paths["count"].sum())
    everything = ibis.window()
    counted = counted.mutate(
        total=counted["count"].sum().over(everything), distinct=counted.count().over(everything)
    )
    # codes sort as their labels, so ordering the code arrays orders the steps alphabetically
    ranked = counted.order_by([ibis.desc("count"), "variant", "truncated"]).limit(top)
    rows = ranked.execute().to_dict("records")
    total = int(rows[0]["total"]) if rows else 0
    variants = tuple(
        PathVariant(
            steps=tuple(counts.label(int(code)) for code in row["variant"]),
            count=int(row["count"]),
            share=int(row["count"]) / total,
            truncated=bool(row["truncated"]),
        )
        for row in rows
    )
    return PathVariantsResult(
        by=by,
        per=per,
        collapse_repeats=collapse_repeats,
        max_length=max_length,
        total=total,
        distinct=int(rows[0]["distinct"]) if rows else 0,
        variants=variants,
    )
