"""Behavioural segments of customers, their profiles, and persona drafts made from them.

1. **Features** per customer, computed in the engine (only this per-customer table is pulled):
   events, active days, days since the last event (recency, to the last event of the data),
   orders, revenue, average order value, converted (0/1), the count of events at each of the most
   used touchpoints and channels, and the customer's touchpoint path (first steps, repeats
   collapsed).
2. **Clustering**: scikit-learn KMeans on standardised features (counts and money as
   ``log1p``; touchpoints and channels as shares of the customer's events), ``n_init=10`` and a
   fixed ``seed``. With ``k="auto"`` the number of segments is the k in 2..8 (and below the
   number of customers) with the **highest mean silhouette score** (Euclidean, on at most 10,000
   customers sampled with the seed). Segments are numbered by size, largest first.
3. **Profiles**: size, share, top channels and touchpoints, the typical path (the most common
   path of the segment), conversion rate, revenue; then **persona drafts** in the map's
   ``Persona`` format with ``data_backed=True`` and the analytics as their source.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import ibis
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from journeymap.analytics.durations import seconds_between
from journeymap.analytics.sequences import ARROW, ordered_steps
from journeymap.data.events import Events, EventsError, as_table
from journeymap.map.model import (
    ChannelType,
    EmpathyMap,
    Evidence,
    EvidenceSource,
    Persona,
)

K_RANGE = range(2, 9)
SILHOUETTE_SAMPLE = 10_000
PATH_LENGTH = 8
TOP_TOUCHPOINTS = 12
TOP_CHANNELS = 8
SECONDS_PER_DAY = 86_400

# Default channel groups (GA4 names) and common raw names -> the map's channel types.
CHANNEL_TYPES: dict[str, ChannelType] = {
    "organic search": ChannelType.SEARCH,
    "paid search": ChannelType.SEARCH,
    "search": ChannelType.SEARCH,
    "organic social": ChannelType.SOCIAL,
    "paid social": ChannelType.SOCIAL,
    "social": ChannelType.SOCIAL,
    "organic video": ChannelType.SOCIAL,
    "paid video": ChannelType.ADS,
    "display": ChannelType.ADS,
    "paid other": ChannelType.ADS,
    "cross-network": ChannelType.ADS,
    "email": ChannelType.EMAIL,
    "sms": ChannelType.SMS,
    "mobile push notifications": ChannelType.MOBILE_APP,
    "app": ChannelType.MOBILE_APP,
    "direct": ChannelType.WEB,
    "web": ChannelType.WEB,
    "referral": ChannelType.PARTNER,
    "affiliates": ChannelType.PARTNER,
    "phone": ChannelType.PHONE,
    "chat": ChannelType.CHAT,
    "store": ChannelType.STORE,
    "sales": ChannelType.SALES,
}


@dataclass(frozen=True)
class SegmentProfile:
    """What one segment's customers are like."""

    segment: int
    name: str
    size: int
    share: float
    conversion_rate: float | None
    revenue: float
    revenue_per_customer: float
    mean_events: float
    median_recency_days: float
    top_channels: tuple[tuple[str, float], ...]  # (channel, share of the segment's events)
    top_touchpoints: tuple[tuple[str, float], ...]
    typical_path: tuple[str, ...]
    typical_path_share: float  # share of the segment's customers on exactly that path

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "segment": self.segment,
            "name": self.name,
            "size": self.size,
            "share": self.share,
            "conversion_rate": self.conversion_rate,
            "revenue": self.revenue,
            "revenue_per_customer": self.revenue_per_customer,
            "mean_events": self.mean_events,
            "median_recency_days": self.median_recency_days,
            "top_channels": [{"channel": c, "share": s} for c, s in self.top_channels],
            "top_touchpoints": [{"touchpoint": t, "share": s} for t, s in self.top_touchpoints],
            "typical_path": list(self.typical_path),
            "typical_path_share": self.typical_path_share,
        }


@dataclass(frozen=True)
class SegmentsResult:
    """Segments of customers: how k was chosen, the profiles, and each customer's segment."""

    k: int
    k_chosen_by: str  # "silhouette" or "given"
    silhouette: dict[int, float]  # mean silhouette per k tried (or of the given k)
    seed: int
    customers: int
    features: tuple[str, ...]
    last_date: dt.date | None
    profiles: tuple[SegmentProfile, ...]
    assignments: pd.DataFrame = field(repr=False, compare=False)  # customer_id, segment

    def to_frame(self) -> pd.DataFrame:
        """One row per segment profile."""
        rows = []
        for p in self.profiles:
            row = p.to_dict()
            row["top_channels"] = ", ".join(c for c, _ in p.top_channels)
            row["top_touchpoints"] = ", ".join(t for t, _ in p.top_touchpoints)
            row["typical_path"] = ARROW.join(p.typical_path)
            rows.append(row)
        return pd.DataFrame(rows)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (without the per-customer assignments)."""
        return {
            "k": self.k,
            "k_chosen_by": self.k_chosen_by,
            "silhouette": {str(k): v for k, v in self.silhouette.items()},
            "seed": self.seed,
            "customers": self.customers,
            "features": list(self.features),
            "last_date": self.last_date.isoformat() if self.last_date else None,
            "segments": [p.to_dict() for p in self.profiles],
        }

    def figure(self) -> go.Figure:
        """Segments as bubbles: conversion rate against revenue per customer, sized by share."""
        fig = go.Figure(
            go.Scatter(
                x=[p.conversion_rate or 0.0 for p in self.profiles],
                y=[p.revenue_per_customer for p in self.profiles],
                text=[p.name for p in self.profiles],
                mode="markers+text",
                textposition="top center",
                marker={"size": [12 + 60 * p.share for p in self.profiles]},
            )
        )
        fig.update_layout(
            title=f"{self.k} customer segments",
            xaxis={"title": "conversion rate", "tickformat": ".0%"},
            yaxis={"title": "revenue per customer"},
        )
        return fig

    def persona_drafts(self) -> list[Persona]:
        """One data-backed persona draft per segment, with the analytics as its source."""
        return [self._persona(p) for p in self.profiles]

    def _persona(self, profile: SegmentProfile) -> Persona:
        channels = []
        for name, _ in profile.top_channels:
            kind = CHANNEL_TYPES.get(name.casefold(), ChannelType.OTHER)
            if kind not in channels:
                channels.append(kind)
        does = [f"{profile.mean_events:.1f} interactions on average"]
        if profile.typical_path:
            does.append(
                f"Typical path: {ARROW.join(profile.typical_path)} "
                f"({profile.typical_path_share:.0%} of the segment)"
            )
        if profile.top_channels:
            does.append(
                "Comes through " + ", ".join(f"{c} ({s:.0%})" for c, s in profile.top_channels)
            )
        if profile.conversion_rate is not None:
            does.append(
                f"Converts at {profile.conversion_rate:.0%}, "
                f"{profile.revenue_per_customer:,.2f} revenue per customer"
            )
        return Persona(
            id=f"segment-{profile.segment}",
            name=profile.name,
            segment=f"segment {profile.segment}",
            description=(
                f"Data-backed draft from behavioural segment {profile.segment} of {self.k}: "
                f"{profile.size:,} customers ({profile.share:.0%}). Add goals, needs and pains "
                "from research."
            ),
            channels=channels,
            empathy=EmpathyMap(does=does),
            size=round(profile.share, 4),
            data_backed=True,
            sources=[
                Evidence(
                    source=EvidenceSource.ANALYTICS,
                    summary=(
                        f"KMeans segment {profile.segment} of {self.k} "
                        f"({'k by silhouette' if self.k_chosen_by == 'silhouette' else 'k given'}, "
                        f"seed {self.seed}) over {self.customers:,} "
                        "customers' events"
                    ),
                    figure=round(profile.share, 4),
                    unit="share of customers",
                    sample_size=profile.size,
                    date=self.last_date,
                )
            ],
        )


def customer_features(
    events: Events | ibis.Table,
    *,
    conversion_event: str | None = None,
    touchpoints: list[str] | None = None,
    channels: list[str] | None = None,
) -> ibis.Table:
    """The per-customer feature table as an Ibis expression (see the module docstring).

    Orders are ``conversion_event`` events when given, else events with revenue > 0 (no order
    features without either). ``touchpoints``/``channels`` name the ones counted as ``tp_<i>`` /
    ``ch_<i>`` columns; path steps are ``s1``..``s8`` and ``path_length``.
    """
    table = as_table(events)
    has_revenue = "revenue" in table.columns
    if conversion_event is not None:
        is_order = table.event == conversion_event
    elif has_revenue:
        is_order = table.revenue.fill_null(0) > 0
    else:
        is_order = None
    metrics: dict[str, ibis.Value] = {
        "events": table.count(),
        "active_days": table.timestamp.date().nunique(),
        "last_seen": table.timestamp.max(),
    }
    if is_order is not None:
        metrics["orders"] = is_order.cast("int64").sum()
    if has_revenue:
        metrics["revenue"] = table.revenue.fill_null(0).sum()
    for i, name in enumerate(touchpoints or []):
        metrics[f"tp_{i}"] = (table.touchpoint == name).cast("int64").sum()
    for i, name in enumerate(channels or []):
        metrics[f"ch_{i}"] = (table.channel == name).cast("int64").sum()
    per_customer = table.group_by("customer_id").aggregate(**metrics)
    # The data's end as its own one-row table: an inline max() would be read per customer.
    ends = table.aggregate(data_end=table.timestamp.max())
    per_customer = per_customer.cross_join(ends)
    per_customer = per_customer.mutate(
        recency_days=seconds_between(per_customer.last_seen, per_customer.data_end)
        / SECONDS_PER_DAY
    ).drop("last_seen", "data_end")
    if "touchpoint" not in table.columns:
        return per_customer
    steps = ordered_steps(table, by="touchpoint", per="customer", collapse_repeats=True)
    slots = {f"s{k}": steps.step.max(where=steps.pos == k) for k in range(1, PATH_LENGTH + 1)}
    paths = steps.group_by("customer_id").aggregate(path_length=steps.pos.max(), **slots)
    joined = per_customer.left_join(paths, "customer_id")
    return joined.drop(*(c for c in joined.columns if c.endswith("_right")))


def segment_customers(
    events: Events | ibis.Table,
    *,
    k: int | None = None,
    seed: int = 0,
    conversion_event: str | None = None,
    top_touchpoints: int = TOP_TOUCHPOINTS,
    top_channels: int = TOP_CHANNELS,
) -> SegmentsResult:
    """Behavioural segments of the customers of ``events`` (``k=None``: chosen by silhouette)."""
    table = as_table(events)
    tps = _most_used(table, "touchpoint", top_touchpoints)
    chs = _most_used(table, "channel", top_channels)
    frame = customer_features(
        table, conversion_event=conversion_event, touchpoints=tps, channels=chs
    ).to_pandas()
    n = len(frame)
    if n < 3:
        raise EventsError(f"segments need at least 3 customers, the events have {n}")
    if k is not None and not 1 <= k <= n - 1:
        raise ValueError(f"k must be from 1 to {n - 1} (customers - 1), not {k}")
    frame = frame.sort_values("customer_id", kind="stable").reset_index(drop=True)
    matrix, names = _feature_matrix(frame, tps, chs)
    scaled = StandardScaler().fit_transform(matrix)

    scores: dict[int, float] = {}
    if k is None:
        fits = {}
        for candidate in (c for c in K_RANGE if c <= n - 1):
            labels = _kmeans(scaled, candidate, seed)
            if len(set(labels)) < 2:
                continue
            scores[candidate] = _silhouette(scaled, labels, seed)
            fits[candidate] = labels
        if not scores:
            raise EventsError("the customers do not differ in any feature: no segments to find")
        chosen = max(scores, key=lambda c: (scores[c], -c))
        labels, chosen_by = fits[chosen], "silhouette"
    else:
        chosen, labels, chosen_by = k, _kmeans(scaled, k, seed), "given"
        if len(set(labels)) > 1:
            scores[k] = _silhouette(scaled, labels, seed)
    segment = _number_by_size(labels)
    frame["segment"] = segment
    end = table.timestamp.max().to_pyarrow().as_py()
    profiles = tuple(
        _profile(frame[frame.segment == s], s, n, tps, chs, frame) for s in sorted(set(segment))
    )
    return SegmentsResult(
        k=len(profiles),
        k_chosen_by=chosen_by,
        silhouette=scores,
        seed=seed,
        customers=n,
        features=tuple(names),
        last_date=end.date() if end is not None else None,
        profiles=profiles,
        assignments=frame[["customer_id", "segment"]].copy(),
    )


def _most_used(table: ibis.Table, column: str, top: int) -> list[str]:
    if column not in table.columns or top < 1:
        return []
    value = table[column].cast("string")
    used = table.filter(value.notnull() & (value != "")).select(value=value)
    counted = used.group_by("value").aggregate(n=used.count())
    rows = counted.order_by([ibis.desc("n"), "value"]).limit(top).to_pyarrow().to_pylist()
    return [str(r["value"]) for r in rows]


def _feature_matrix(
    frame: pd.DataFrame, tps: list[str], chs: list[str]
) -> tuple[np.ndarray, list[str]]:
    events = frame["events"].astype(float).to_numpy()
    columns: dict[str, np.ndarray] = {
        "log_events": np.log1p(events),
        "log_active_days": np.log1p(frame["active_days"].astype(float).to_numpy()),
        "recency_days": frame["recency_days"].astype(float).to_numpy(),
    }
    if "orders" in frame:
        orders = frame["orders"].astype(float).to_numpy()
        columns["log_orders"] = np.log1p(orders)
        columns["converted"] = (orders > 0).astype(float)
    if "revenue" in frame:
        revenue = frame["revenue"].astype(float).fillna(0).to_numpy()
        columns["log_revenue"] = np.log1p(np.maximum(revenue, 0))
    for i, name in enumerate(tps):
        columns[f"touchpoint:{name}"] = frame[f"tp_{i}"].astype(float).to_numpy() / events
    for i, name in enumerate(chs):
        columns[f"channel:{name}"] = frame[f"ch_{i}"].astype(float).to_numpy() / events
    return np.column_stack(list(columns.values())), list(columns)


def _kmeans(scaled: np.ndarray, k: int, seed: int) -> np.ndarray:
    # One thread: OpenMP workers spin-wait on a busy machine and make KMeans many times slower.
    with threadpool_limits(limits=1):
        return KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(scaled)


def _silhouette(scaled: np.ndarray, labels: np.ndarray, seed: int) -> float:
    sample = min(len(labels), SILHOUETTE_SAMPLE)
    return float(silhouette_score(scaled, labels, sample_size=sample, random_state=seed))


def _number_by_size(labels: np.ndarray) -> np.ndarray:
    """Renumber clusters 1..k by size, largest first (ties by the first customer in them)."""
    sizes = Counter(labels.tolist())
    first = {label: i for i, label in reversed(list(enumerate(labels.tolist())))}
    order = sorted(sizes, key=lambda c: (-sizes[c], first[c]))
    number = {label: n for n, label in enumerate(order, start=1)}
    return np.array([number[label] for label in labels.tolist()])


def _profile(
    part: pd.DataFrame,
    segment: int,
    total: int,
    tps: list[str],
    chs: list[str],
    everyone: pd.DataFrame,
) -> SegmentProfile:
    size = len(part)
    events = float(part["events"].sum())
    converted = (part["orders"] > 0).mean() if "orders" in part else None
    revenue = float(part["revenue"].fillna(0).sum()) if "revenue" in part else 0.0

    def top_shares(prefix: str, names: list[str]) -> tuple[tuple[str, float], ...]:
        shares = [
            (name, float(part[f"{prefix}_{i}"].sum()) / events) for i, name in enumerate(names)
        ]
        shares = [s for s in shares if s[1] > 0]
        return tuple(sorted(shares, key=lambda s: (-s[1], s[0]))[:3])

    path, path_share = _typical_path(part)
    profile = SegmentProfile(
        segment=segment,
        name="",
        size=size,
        share=size / total,
        conversion_rate=float(converted) if converted is not None else None,
        revenue=revenue,
        revenue_per_customer=revenue / size,
        mean_events=events / size,
        median_recency_days=float(part["recency_days"].median()),
        top_channels=top_shares("ch", chs),
        top_touchpoints=top_shares("tp", tps),
        typical_path=path,
        typical_path_share=path_share,
    )
    return SegmentProfile(**{**profile.__dict__, "name": _name(profile, everyone)})


def _typical_path(part: pd.DataFrame) -> tuple[tuple[str, ...], float]:
    if "s1" not in part:
        return (), 0.0
    slots = [f"s{k}" for k in range(1, PATH_LENGTH + 1)]
    paths = Counter(
        tuple(step for step in row if isinstance(step, str))
        for row in part[slots].itertuples(index=False)
    )
    paths.pop((), None)
    if not paths:
        return (), 0.0
    path, count = min(paths.items(), key=lambda kv: (-kv[1], kv[0]))
    return path, count / len(part)


def _name(profile: SegmentProfile, everyone: pd.DataFrame) -> str:
    """A readable name: the main channel and a behaviour label relative to all customers.

    high-value buyers: conversion >= 1.5x overall and revenue per customer above overall;
    buyers: conversion at or above overall; lapsed visitors: median recency >= 1.5x overall;
    otherwise browsers (or "engaged browsers" with more events than the overall mean).
    """
    overall_conversion = (everyone["orders"] > 0).mean() if "orders" in everyone else None
    overall_revenue = float(everyone["revenue"].fillna(0).mean()) if "revenue" in everyone else 0.0
    overall_recency = float(everyone["recency_days"].median())
    rate = profile.conversion_rate
    if rate is not None and overall_conversion is not None and rate > 0:
        if rate >= 1.5 * overall_conversion and profile.revenue_per_customer > overall_revenue:
            label = "high-value buyers"
        elif rate >= overall_conversion:
            label = "buyers"
        else:
            label = None
    else:
        label = None
    if label is None:
        if overall_recency > 0 and profile.median_recency_days >= 1.5 * overall_recency:
            label = "lapsed visitors"
        elif profile.mean_events > float(everyone["events"].mean()):
            label = "engaged browsers"
        else:
            label = "browsers"
    channel = profile.top_channels[0][0] if profile.top_channels else None
    prefix = f"{channel} " if channel else ""
    return f"{prefix}{label}".capitalize() if not channel else f"{prefix}{label}"
