"""Step-by-step flows (Sankey data): from the start of each path, or before/after a chosen step."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import ibis
import pandas as pd
import plotly.graph_objects as go

from journeymap.analytics.sequences import (
    END,
    END_CODE,
    START,
    PathUnit,
    StepColumn,
    path_counts,
)
from journeymap.data.events import Events

Direction = Literal["after", "before"]
_NODE = -3  # the target of a row that counts a node rather than a link


@dataclass(frozen=True)
class SankeyNode:
    """A step value at one step index; ``(end)``/``(start)`` nodes mark where paths stop/begin."""

    index: int
    value: str
    count: int  # paths passing through this node

    @property
    def label(self) -> str:
        """``"<index>. <value>"``, e.g. ``"2. product"``."""
        return f"{self.index}. {self.value}"


@dataclass(frozen=True)
class SankeyLink:
    """Paths going from one node to the next: (index, value) -> (index + 1, value)."""

    source_index: int
    source: str
    target: str
    count: int

    @property
    def target_index(self) -> int:
        """Step index of the target node."""
        return self.source_index + 1


@dataclass(frozen=True)
class SankeyResult:
    """Nodes and links of a step-by-step flow diagram."""

    by: str
    per: str
    start_at: str | None
    direction: str
    steps: int
    total: int  # paths in the diagram
    nodes: tuple[SankeyNode, ...]
    links: tuple[SankeyLink, ...]

    def to_frame(self) -> pd.DataFrame:
        """One row per link: source/target step index and value, and the count."""
        return pd.DataFrame(
            [
                {
                    "source_index": link.source_index,
                    "source": link.source,
                    "target_index": link.target_index,
                    "target": link.target,
                    "count": link.count,
                }
                for link in self.links
            ],
            columns=["source_index", "source", "target_index", "target", "count"],
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "by": self.by,
            "per": self.per,
            "start_at": self.start_at,
            "direction": self.direction,
            "steps": self.steps,
            "total": self.total,
            "nodes": [{"index": n.index, "value": n.value, "count": n.count} for n in self.nodes],
            "links": [
                {
                    "source_index": link.source_index,
                    "source": link.source,
                    "target_index": link.target_index,
                    "target": link.target,
                    "count": link.count,
                }
                for link in self.links
            ],
        }

    def figure(self) -> go.Figure:
        """A Plotly Sankey diagram, one column of nodes per step index."""
        position = {(n.index, n.value): i for i, n in enumerate(self.nodes)}
        fig = go.Figure(
            go.Sankey(
                arrangement="snap",
                node={
                    "label": [n.label for n in self.nodes],
                    "customdata": [n.count for n in self.nodes],
                    "hovertemplate": "%{label}: %{customdata} paths<extra></extra>",
                    "pad": 12,
                },
                link={
                    "source": [position[(lk.source_index, lk.source)] for lk in self.links],
                    "target": [position[(lk.target_index, lk.target)] for lk in self.links],
                    "value": [lk.count for lk in self.links],
                },
            )
        )
        where = "from the start" if self.start_at is None else f"{self.direction} {self.start_at}"
        fig.update_layout(title=f"Paths by {self.by} (per {self.per}), {where}")
        return fig


def sankey(
    events: Events | ibis.Table,
    *,
    by: StepColumn = "touchpoint",
    per: PathUnit = "customer",
    start_at: str | None = None,
    direction: Direction = "after",
    steps: int = 5,
    collapse_repeats: bool = True,
) -> SankeyResult:
    """Nodes and links of the paths, step by step.

    Without ``start_at`` the diagram shows the first ``steps`` steps of every path, indexed
    1..steps. With ``start_at`` (a value of the ``by`` column) it shows only paths that reach it,
    anchored at its first occurrence (index 0), and the ``steps`` steps after it (indices 1..steps)
    or before it (indices -steps..-1). A path that ends inside the window flows into an ``(end)``
    node; looking backwards, a path that begins inside the window flows out of a ``(start)`` node.
    """
    if steps < 1:
        raise ValueError(f"steps must be at least 1, not {steps}")
    if direction not in ("after", "before"):
        raise ValueError(f"direction must be 'after' or 'before', not {direction!r}")
    counts = path_counts(events, by=by, per=per, collapse_repeats=collapse_repeats)
    paths = counts.table
    if start_at is None:
        first, last = 1, steps
        paths = paths.mutate(anchor=ibis.literal(-1, type="int64"))  # index 1 = first step
    else:
        code = counts.code(start_at)
        anchor = paths.path.index(ibis.literal(_NODE if code is None else code, type="int64"))
        paths = paths.mutate(anchor=anchor).filter(ibis._.anchor >= 0)
        first, last = (0, steps) if direction == "after" else (-steps, 0)
    # each distinct path once, weighted by its count: one row per step in the window
    flows = paths.mutate(step=paths.path).unnest("step", offset="i")
    flows = flows.mutate(index=flows.i - flows.anchor)
    flows = flows.filter((flows.index >= first) & (flows.index <= last))
    # one group per (index, step, next step or (end), first step of its path): nodes, links and
    # (start) links all add up from these; steps at the last index lead nowhere in the diagram
    end, node = ibis.literal(END_CODE, type="int64"), ibis.literal(_NODE, type="int64")
    following = ibis.ifelse(flows.i + 1 < flows.path.length(), flows.path[flows.i + 1], end)
    flows = flows.mutate(
        target=ibis.ifelse(flows.index < last, following, node), begins=flows.i == 0
    )
    counted = flows.group_by(["index", "step", "target", "begins"]).agg(count=flows["count"].sum())
    nodes: dict[tuple[int, str], int] = {}
    links: dict[tuple[int, str, str], int] = {}
    looking_back = direction == "before" and start_at is not None
    for r in counted.execute().to_dict("records"):
        index, value, count = int(r["index"]), counts.label(int(r["step"])), int(r["count"])
        nodes[(index, value)] = nodes.get((index, value), 0) + count
        if int(r["target"]) != _NODE:
            key = (index, value, counts.label(int(r["target"])))
            links[key] = links.get(key, 0) + count
        if looking_back and r["begins"] and index > first:
            key = (index - 1, START, value)
            links[key] = links.get(key, 0) + count
    link_list = [
        SankeyLink(source_index=index, source=source, target=target, count=count)
        for (index, source, target), count in links.items()
    ]
    for link in link_list:  # (end)/(start) nodes exist only as link ends
        if link.target == END:
            nodes[(link.target_index, END)] = nodes.get((link.target_index, END), 0) + link.count
        if link.source == START:
            nodes[(link.source_index, START)] = (
                nodes.get((link.source_index, START), 0) + link.count
            )
    anchor_index = 1 if start_at is None else 0
    total = sum(count for (index, _), count in nodes.items() if index == anchor_index)
    return SankeyResult(
        by=by,
        per=per,
        start_at=start_at,
        direction=direction,
        steps=steps,
        total=total,
        nodes=tuple(
            SankeyNode(index=i, value=v, count=c)
            for (i, v), c in sorted(
                nodes.items(), key=lambda item: (item[0][0], -item[1], item[0][1])
            )
        ),
        links=tuple(
            sorted(link_list, key=lambda lk: (lk.source_index, -lk.count, lk.source, lk.target))
        ),
    )
