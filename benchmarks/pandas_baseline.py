"""Straightforward pandas implementations of a funnel and of path variants: the baseline.

They follow the same definitions as journeymap (ordered funnel: each step-1 event starts an
attempt, later steps are the first matching events at or after the previous step, all within the
window from step 1; a customer counts at the furthest step of any attempt; path variants: each
customer's touchpoints in time order without consecutive repeats, cut at ``max_length``).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd


def pandas_funnel(path: str, steps: Sequence[str], window_seconds: int) -> list[int]:
    """Customers reaching each step of an ordered funnel over ``event``."""
    frame = pd.read_parquet(path, columns=["customer_id", "timestamp", "event"])
    frame["customer_id"] = frame["customer_id"].astype(str)
    frame["event"] = frame["event"].astype(str)
    frame = frame[frame["event"].isin(steps)].sort_values("timestamp", kind="stable")
    window = pd.Timedelta(seconds=window_seconds)
    attempts = frame[frame["event"] == steps[0]][["customer_id", "timestamp"]]
    attempts = attempts.rename(columns={"timestamp": "t1"}).reset_index(drop=True)
    attempts["reached"] = 1
    attempts["at"] = attempts["t1"]
    for number, step in enumerate(steps[1:], start=2):
        candidates = frame[frame["event"] == step][["customer_id", "timestamp"]]
        alive = attempts[attempts["reached"] == number - 1].sort_values("at")
        matched = pd.merge_asof(
            alive,
            candidates.rename(columns={"timestamp": "next_at"}),
            left_on="at",
            right_on="next_at",
            by="customer_id",
            direction="forward",
            allow_exact_matches=True,
        )
        ok = matched["next_at"].notna() & (matched["next_at"] <= matched["t1"] + window)
        matched.loc[ok, "reached"] = number
        matched.loc[ok, "at"] = matched.loc[ok, "next_at"]
        attempts = pd.concat(
            [attempts[attempts["reached"] != number - 1], matched.drop(columns="next_at")],
            ignore_index=True,
        )
    furthest = attempts.groupby("customer_id")["reached"].max()
    return [int((furthest >= k).sum()) for k in range(1, len(steps) + 1)]


def pandas_path_variants(path: str, top: int = 20, max_length: int = 20) -> list[tuple[int, str]]:
    """The ``top`` most common touchpoint paths per customer, as (count, path) pairs."""
    frame = pd.read_parquet(path, columns=["customer_id", "timestamp", "event", "touchpoint"])
    for column in ("customer_id", "event", "touchpoint"):
        frame[column] = frame[column].astype(str)
    frame = frame.sort_values(["customer_id", "timestamp", "event", "touchpoint"], kind="stable")
    repeat = (frame["customer_id"] == frame["customer_id"].shift()) & (
        frame["touchpoint"] == frame["touchpoint"].shift()
    )
    frame = frame[~repeat]
    paths = frame.groupby("customer_id", sort=False)["touchpoint"].agg(
        lambda steps: (
            " → ".join(steps.iloc[:max_length]) + (" …" if len(steps) > max_length else "")
        )
    )
    counts = paths.value_counts()
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:top]
    return [(int(count), str(label)) for label, count in ranked]
