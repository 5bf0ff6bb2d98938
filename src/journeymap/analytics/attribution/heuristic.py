"""Rule-based attribution models, computed in the engine over the journeys' touches.

Only converting journeys are credited; each gives its conversion (1) and its value, split over
its touches by weights that add up to 1:

- ``first_touch``: all to the first touch; ``last_touch``: all to the last one.
- ``last_non_direct``: all to the last touch whose channel is not ``Direct`` (a journey with
  only direct touches credits its last one, i.e. ``Direct``).
- ``linear``: ``1/n`` to each of the ``n`` touches.
- ``time_decay``: a touch ``t`` seconds before the conversion weighs ``2^(-t / half_life)``;
  the weights are then normalised within the journey.
- ``position``: ``first`` share (default 0.4) to the first touch, ``last`` (0.4) to the last one,
  the rest (0.2) split evenly over the touches between; a two-touch journey splits
  ``first : last`` (so 50/50 by default), a one-touch journey gives it all to that touch.
"""

from __future__ import annotations

from datetime import timedelta

import ibis
import ibis.expr.types as ir

from journeymap.analytics.attribution.journeys import DEFAULT_CONVERSION, journey_touches
from journeymap.analytics.attribution.result import AttributionResult, ChannelCredit
from journeymap.data.channels import DIRECT
from journeymap.data.events import Events

HEURISTIC_MODELS: tuple[str, ...] = (
    "first_touch",
    "last_touch",
    "last_non_direct",
    "linear",
    "time_decay",
    "position",
)
DEFAULT_HALF_LIFE = timedelta(days=7)
DEFAULT_POSITION_WEIGHTS = (0.4, 0.4)


def heuristic_attribution(
    events: Events | ibis.Table,
    *,
    models: tuple[str, ...] = HEURISTIC_MODELS,
    conversion: str = DEFAULT_CONVERSION,
    channel: str = "channel",
    collapse_repeats: bool = True,
    half_life: timedelta = DEFAULT_HALF_LIFE,
    position_weights: tuple[float, float] = DEFAULT_POSITION_WEIGHTS,
    direct: str = DIRECT,
) -> dict[str, AttributionResult]:
    """Credit per channel under each of ``models`` (names from :data:`HEURISTIC_MODELS`).

    One aggregate query computes every requested model; see the module docstring for the rules.
    """
    unknown = [m for m in models if m not in HEURISTIC_MODELS]
    if unknown:
        raise ValueError(
            f"unknown model(s) {', '.join(unknown)}; choose from {', '.join(HEURISTIC_MODELS)}"
        )
    if half_life.total_seconds() <= 0:
        raise ValueError(f"half_life must be positive, not {half_life}")
    first, last = position_weights
    if first < 0 or last < 0 or first + last > 1 or first + last == 0:
        raise ValueError(
            f"position weights ({first}, {last}) must be non-negative, add up to at most 1 "
            "and not both be 0"
        )
    touches = journey_touches(
        events, conversion=conversion, channel=channel, collapse_repeats=collapse_repeats
    )
    touches = touches.filter(touches.converted)
    journey = ibis.window(group_by=["customer_id", "journey"])
    last_non_direct = (
        touches.seq.max(where=touches.channel != direct).over(journey).fill_null(touches.last_seq)
    )
    decay = (ibis.literal(0.5) ** (touches.age_seconds / half_life.total_seconds())).cast("float64")
    touches = touches.mutate(decay=decay, last_non_direct=last_non_direct)
    touches = touches.mutate(decay_total=touches.decay.sum().over(journey))
    weights = {m: _weight(m, touches, first, last) for m in models}
    aggregates = {}
    for model, weight in weights.items():
        aggregates[f"{model}__conversions"] = weight.sum()
        aggregates[f"{model}__value"] = (weight * touches.value).sum()
    frame = touches.group_by("channel").agg(**aggregates).order_by("channel").execute()
    results: dict[str, AttributionResult] = {}
    for model in models:
        credits = tuple(
            ChannelCredit(
                channel=str(row["channel"]),
                conversions=float(row[f"{model}__conversions"]),
                value=float(row[f"{model}__value"]),
            )
            for _, row in frame.iterrows()
        )
        results[model] = AttributionResult(
            model=model,
            credits=credits,
            total_conversions=sum(c.conversions for c in credits),
            total_value=sum(c.value for c in credits),
            parameters=_parameters(model, half_life, position_weights),
        )
    return results


def _weight(model: str, t: ir.Table, first: float, last: float) -> ir.FloatingValue:
    n = t.touches
    seq = t.seq
    one = ibis.literal(1.0)
    zero = ibis.literal(0.0)
    if model == "first_touch":
        return ibis.ifelse(seq == t.first_seq, one, zero)
    if model == "last_touch":
        return ibis.ifelse(seq == t.last_seq, one, zero)
    if model == "last_non_direct":
        return ibis.ifelse(seq == t.last_non_direct, one, zero)
    if model == "linear":
        return one / n.cast("float64")
    if model == "time_decay":
        return t.decay / t.decay_total
    middle = (1.0 - first - last) / (n - 2).cast("float64")
    return ibis.cases(
        (n == 1, one),
        (
            n == 2,
            ibis.ifelse(seq == t.first_seq, first / (first + last), last / (first + last)),
        ),
        (seq == t.first_seq, ibis.literal(first)),
        (seq == t.last_seq, ibis.literal(last)),
        else_=middle,
    )


def _parameters(
    model: str, half_life: timedelta, position_weights: tuple[float, float]
) -> tuple[tuple[str, object], ...]:
    if model == "time_decay":
        return (("half_life_days", half_life.total_seconds() / 86400),)
    if model == "position":
        return (("first", position_weights[0]), ("last", position_weights[1]))
    return ()
