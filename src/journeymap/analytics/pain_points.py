"""Pain points and success points detected from events (and, optionally, survey scores).

Pain point candidates, each with its evidence figure, the customers affected and a severity:

* ``drop_off``: a stage whose drop-off (share of the customers who entered it that neither enter
  a later stage of the journey afterwards nor convert) exceeds the journey's median stage
  drop-off by at least ``min_excess_drop``. Lost conversion = the excess drop-off;
  impact = entered x excess.
* ``slow_step``: a stage whose median time to the next stage is at least ``slow_factor`` times the
  median over all customers and stages. Affected: customers slower than that threshold there;
  lost conversion = conversion of the others at that stage minus that of the slow ones (>= 0).
* ``loop``: a repeat or backtrack pattern (:func:`journeymap.analytics.loops.loops`) that at least
  ``min_loop_share`` of the customers make; no conversion is attributed to it.
* ``support_contacts``: customers with at least ``min_support_contacts`` support events (event or
  touchpoint matching ``support_pattern``) in a stage; lost conversion = journey conversion minus
  their conversion (>= 0).
* ``low_satisfaction``: a step whose survey CSAT (share satisfied, 0-1) is below ``low_csat`` or
  whose NPS (-100..100) is below ``low_nps``.
* ``negative_comments``: a step with at least ``min_negative_comments`` negative comments (on a
  response with a low score, see :func:`journeymap.analytics.feedback_themes.negative_comments`)
  making up at least ``negative_comment_share`` of its scored comments.

Severity (1-3): impact = customers affected x lost conversion, as a share of all customers:
>= 5 % is 3, >= 1 % is 2, else 1. Without a measured conversion loss (loops, low satisfaction
without a lift) the severity is 2 when at least 20 % of the customers are affected, else 1.

Success points: steps with a significant positive conversion lift
(:func:`journeymap.analytics.moments_of_truth.moments_of_truth`) and steps with CSAT at least
``high_csat`` or NPS at least ``high_nps`` whose lift is not significantly negative.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

import ibis
import pandas as pd

from journeymap.analytics.durations import seconds_between
from journeymap.analytics.loops import loops
from journeymap.analytics.moments_of_truth import (
    CustomerOutcomes,
    MomentsOfTruthResult,
    customer_outcomes,
    moments_of_truth,
)
from journeymap.analytics.sequences import StepColumn
from journeymap.data.events import Events, EventsError, as_table

PainKind = Literal[
    "drop_off", "slow_step", "loop", "support_contacts", "low_satisfaction", "negative_comments"
]
SuccessKind = Literal["conversion_lift", "high_satisfaction"]
DEFAULT_SUPPORT_PATTERN = r"support|help|ticket|complain|contact-?cent|call-?cent|hotline"
SURVEY_COLUMNS = ("step", "csat", "nps", "responses", "comments", "negative_comments", "example")


@dataclass(frozen=True)
class PainPointCandidate:
    """A suspected pain point with the figure behind it."""

    kind: PainKind
    step: str  # a stage, a touchpoint or a loop pattern
    stage: str | None  # the stage of the map it belongs to, when known
    summary: str
    figure: float
    unit: str
    baseline: float | None  # what the figure is compared with
    customers: int  # customers affected
    lost_conversion: float | None
    impact: float | None  # customers x lost conversion
    severity: int
    quote: str | None = None  # a customer's own words, when the evidence has them


@dataclass(frozen=True)
class SuccessPointCandidate:
    """Something that works: a positive conversion lift or high satisfaction."""

    kind: SuccessKind
    step: str
    stage: str | None
    summary: str
    figure: float
    unit: str
    customers: int


@dataclass(frozen=True)
class StageEntry:
    """Customers who entered a stage and how many of them went on (a later stage or a
    conversion)."""

    stage: str
    entered: int
    continued: int

    @property
    def rate(self) -> float | None:
        """``continued / entered``."""
        return self.continued / self.entered if self.entered else None


@dataclass(frozen=True)
class PainPointsResult:
    """Pain point candidates (highest impact first), success point candidates, and the stage
    entries the drop-off is computed from (in the map's order)."""

    customers: int
    conversion: float | None
    pains: tuple[PainPointCandidate, ...]
    successes: tuple[SuccessPointCandidate, ...]
    stages: tuple[StageEntry, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        """One row per candidate; ``type`` is ``pain`` or ``success``."""
        rows = [{"type": "pain", **asdict(p)} for p in self.pains]
        rows += [{"type": "success", **asdict(s)} for s in self.successes]
        columns = ["type", *PainPointCandidate.__dataclass_fields__]
        return pd.DataFrame(rows, columns=columns)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "customers": self.customers,
            "conversion": self.conversion,
            "pain_points": [asdict(p) for p in self.pains],
            "success_points": [asdict(s) for s in self.successes],
            "stages": [{**asdict(e), "rate": e.rate} for e in self.stages],
        }


def severity(customers_total: int, affected: int, lost_conversion: float | None) -> int:
    """1-3 from impact = affected x lost conversion (see the module docstring)."""
    if customers_total <= 0:
        return 1
    if lost_conversion is None:
        return 2 if affected / customers_total >= 0.2 else 1
    share = affected * lost_conversion / customers_total
    return 3 if share >= 0.05 else 2 if share >= 0.01 else 1


def _pct(value: float) -> str:
    return f"{100 * value:.0f}%"


def stage_progress(
    events: Events | ibis.Table,
    stage_order: Sequence[str],
    conversion: Sequence[str] | None,
    outcomes: CustomerOutcomes | None = None,
) -> ibis.Table:
    """Per customer and stage of ``stage_order``: first entry, whether a later stage is entered
    afterwards, the seconds to it, and whether the customer converted (one row each)."""
    table = as_table(events)
    if "stage" not in table.columns:
        raise EventsError("the events have no 'stage' column (needed for stage drop-off)")
    order = list(stage_order)
    rows = table.filter(table.stage.cast("string").isin(order) & table.customer_id.notnull())
    index = rows.stage.cast("string").cases(*[(s, i) for i, s in enumerate(order)])
    rows = rows.select("customer_id", "timestamp", idx=index)
    firsts = rows.group_by(["customer_id", "idx"]).agg(first=rows.timestamp.min())
    later = firsts.view()
    pairs = firsts.join(
        later,
        [
            firsts.customer_id == later.customer_id,
            later.idx > firsts.idx,
            later["first"] >= firsts["first"],
        ],
    ).select(customer_id=firsts.customer_id, idx=firsts.idx, next_at=later["first"])
    nxt = pairs.group_by(["customer_id", "idx"]).agg(next_at=pairs.next_at.min())
    joined = firsts.left_join(nxt, ["customer_id", "idx"]).select(
        firsts.customer_id, firsts.idx, firsts["first"], nxt.next_at
    )
    converted = (outcomes or customer_outcomes(table, conversion)).converters
    out = joined.left_join(converted, "customer_id").select(
        joined.customer_id,
        joined.idx,
        seconds=seconds_between(joined["first"], joined.next_at),
        converted=converted.converted_at.notnull(),
    )
    return out


def pain_points(
    events: Events | ibis.Table,
    *,
    stage_order: Sequence[str],
    by: StepColumn = "touchpoint",
    conversion: Sequence[str] | None = None,
    surveys: pd.DataFrame | None = None,
    moments: MomentsOfTruthResult | None = None,
    support_pattern: str = DEFAULT_SUPPORT_PATTERN,
    min_excess_drop: float = 0.10,
    slow_factor: float = 3.0,
    min_loop_share: float = 0.05,
    min_support_contacts: int = 2,
    low_csat: float = 0.6,
    high_csat: float = 0.85,
    low_nps: float = 0.0,
    high_nps: float = 40.0,
    min_negative_comments: int = 5,
    negative_comment_share: float = 0.25,
    min_customers: int = 30,
    outcomes: CustomerOutcomes | None = None,
) -> PainPointsResult:
    """Ranked pain point and success point candidates for a journey with stages in
    ``stage_order`` (the map's order). ``surveys`` has a ``step`` column (a value of ``by`` or a
    stage) and ``csat`` and/or ``nps``, optionally ``responses``. ``moments`` and ``outcomes``
    (computed from the same events) save computing them again."""
    table = as_table(events)
    if not stage_order:
        raise ValueError("stage_order is empty: name the journey's stages in order")
    outcomes = outcomes or customer_outcomes(table, conversion)
    customers = outcomes.customers
    conversion_rate = outcomes.converted / customers if customers else None
    if moments is None:
        moments = moments_of_truth(
            table, by=by, conversion=conversion, min_support=min_customers, outcomes=outcomes
        )
    stage_of = _stage_of(table, by)
    progress = stage_progress(table, stage_order, conversion, outcomes).cache()
    entries = stage_entries(progress, stage_order)
    pains = [
        *_drop_offs(entries, stage_order[-1], customers, min_excess_drop, min_customers),
        *_slow_steps(progress, stage_order, customers, slow_factor, min_customers),
        *_loops(table, by, stage_of, customers, min_loop_share),
        *_support(
            table,
            support_pattern,
            min_support_contacts,
            customers,
            conversion_rate,
            outcomes,
            min_customers,
        ),
    ]
    successes = [
        SuccessPointCandidate(
            kind="conversion_lift",
            step=m.step,
            stage=m.step if by == "stage" else stage_of.get(m.step),
            summary=(
                f"Customers who reach {m.step} convert at {_pct(m.conversion_reached or 0)} "
                f"vs {_pct(m.conversion_not_reached or 0)} (lift "
                f"{100 * (m.lift or 0):+.1f} pp, 95% CI {100 * (m.lift_low or 0):+.1f} to "
                f"{100 * (m.lift_high or 0):+.1f} pp, p={m.p_value:.2g})"
            ),
            figure=m.lift or 0.0,
            unit="conversion lift",
            customers=m.reached,
        )
        for m in moments.raising()
    ]
    if surveys is not None:
        lifts = {m.step: m for m in moments.moments}
        for row in _survey_rows(surveys):
            step = row["step"]
            moment = lifts.get(step)
            stage = step if step in stage_order else stage_of.get(step)
            affected = moment.reached if moment else int(row.get("responses") or 0)
            lost = max(0.0, -(moment.lift or 0.0)) if moment and moment.significant else None
            pains += _negative_comments(
                row, stage, affected, lost, customers, min_negative_comments, negative_comment_share
            )
            for measure, value, low, high, unit in (
                ("CSAT", row.get("csat"), low_csat, high_csat, "share satisfied"),
                ("NPS", row.get("nps"), low_nps, high_nps, "NPS"),
            ):
                if value is None or pd.isna(value):
                    continue
                shown = _pct(value) if measure == "CSAT" else f"{value:+.0f}"
                if value < low:
                    pains.append(
                        PainPointCandidate(
                            kind="low_satisfaction",
                            step=step,
                            stage=stage,
                            summary=f"{measure} at {step} is {shown} (below {low:g})",
                            figure=float(value),
                            unit=unit,
                            baseline=low,
                            customers=affected,
                            lost_conversion=lost,
                            impact=affected * lost if lost is not None else None,
                            severity=severity(customers, affected, lost),
                        )
                    )
                elif value >= high and not (
                    moment and moment.significant and (moment.lift or 0) < 0
                ):
                    successes.append(
                        SuccessPointCandidate(
                            kind="high_satisfaction",
                            step=step,
                            stage=stage,
                            summary=f"{measure} at {step} is {shown} (at least {high:g})",
                            figure=float(value),
                            unit=unit,
                            customers=affected,
                        )
                    )
    pains.sort(key=lambda p: (-p.severity, -(p.impact or 0.0), -p.customers, p.kind, p.step))
    return PainPointsResult(
        customers=customers,
        conversion=conversion_rate,
        pains=tuple(pains),
        successes=tuple(successes),
        stages=entries,
    )


def _stage_of(table: ibis.Table, by: str) -> dict[str, str]:
    """The most common stage of each ``by`` value (itself for stages)."""
    if "stage" not in table.columns or by not in table.columns:
        return {}
    if by == "stage":
        return {}
    rows = table.filter(table[by].notnull() & table.stage.notnull())
    counts = (
        rows.group_by(
            [rows[by].cast("string").name("step"), rows.stage.cast("string").name("stage")]
        )
        .agg(n=rows.count())
        .to_pyarrow()
        .to_pylist()
    )
    best: dict[str, tuple[int, str]] = {}
    for r in counts:
        key = (int(r["n"]), str(r["stage"]))
        if r["step"] not in best or key > best[r["step"]]:
            best[str(r["step"])] = key
    return {step: stage for step, (_, stage) in best.items()}


def stage_entries(progress: ibis.Table, order: Sequence[str]) -> tuple[StageEntry, ...]:
    """Per stage of ``order`` with entries: customers entered and went on, from
    :func:`stage_progress`."""
    per_stage = (
        progress.group_by("idx")
        .agg(
            entered=progress.count(),
            continued=(progress.seconds.notnull() | progress.converted).sum(),
        )
        .to_pyarrow()
        .to_pylist()
    )
    entries = sorted(
        (int(r["idx"]), int(r["entered"]), int(r["continued"] or 0)) for r in per_stage
    )
    return tuple(StageEntry(order[i], n, c) for i, n, c in entries)


def _drop_offs(
    entries: tuple[StageEntry, ...],
    last: str,
    customers: int,
    min_excess: float,
    min_customers: int,
) -> list[PainPointCandidate]:
    stats = {
        e.stage: (e.entered, e.continued)
        for e in entries
        if e.stage != last and e.entered >= min_customers
    }
    if not stats:
        return []
    drops = {stage: 1 - c / n for stage, (n, c) in stats.items()}
    median = statistics.median(drops.values())
    found = []
    for stage, drop in drops.items():
        excess = drop - median
        if excess < min_excess:
            continue
        entered = stats[stage][0]
        found.append(
            PainPointCandidate(
                kind="drop_off",
                step=stage,
                stage=stage,
                summary=(
                    f"{_pct(drop)} of the {entered} customers who enter {stage} neither reach "
                    f"a later stage nor convert (journey median {_pct(median)})"
                ),
                figure=drop,
                unit="drop-off",
                baseline=median,
                customers=entered,
                lost_conversion=excess,
                impact=entered * excess,
                severity=severity(customers, entered, excess),
            )
        )
    return found


def _slow_steps(
    progress: ibis.Table,
    order: Sequence[str],
    customers: int,
    factor: float,
    min_customers: int,
) -> list[PainPointCandidate]:
    timed = progress.filter(progress.seconds.notnull())
    overall = timed.aggregate(median=timed.seconds.quantile(0.5)).to_pyarrow()
    journey_median = overall["median"][0].as_py()
    if journey_median is None or journey_median <= 0:
        return []
    threshold = factor * journey_median
    slow = timed.seconds > threshold
    per_stage = (
        timed.group_by("idx")
        .agg(
            n=timed.count(),
            median=timed.seconds.quantile(0.5),
            slow=slow.sum(),
            slow_converted=(slow & timed.converted).sum(),
            fast_converted=(~slow & timed.converted).sum(),
        )
        .to_pyarrow()
        .to_pylist()
    )
    found = []
    for r in per_stage:
        n, median, n_slow = int(r["n"]), float(r["median"]), int(r["slow"] or 0)
        if n < min_customers or median < threshold or n_slow == 0:
            continue
        fast = n - n_slow
        lost = None
        if fast:
            lost = max(0.0, int(r["fast_converted"]) / fast - int(r["slow_converted"]) / n_slow)
        stage = order[int(r["idx"])]
        found.append(
            PainPointCandidate(
                kind="slow_step",
                step=stage,
                stage=stage,
                summary=(
                    f"From {stage} to the next stage takes a median {median / 3600:.1f} h, "
                    f"{median / journey_median:.1f}x the journey's median "
                    f"{journey_median / 3600:.1f} h; {n_slow} customers took over "
                    f"{threshold / 3600:.1f} h"
                ),
                figure=median,
                unit="seconds",
                baseline=float(journey_median),
                customers=n_slow,
                lost_conversion=lost,
                impact=n_slow * lost if lost is not None else None,
                severity=severity(customers, n_slow, lost),
            )
        )
    return found


def _loops(
    table: ibis.Table, by: str, stage_of: dict[str, str], customers: int, min_share: float
) -> list[PainPointCandidate]:
    result = loops(table, by=by)  # type: ignore[arg-type]
    found = []
    for loop in result.loops:
        if loop.share < min_share:
            continue
        first = loop.steps[0]
        found.append(
            PainPointCandidate(
                kind="loop",
                step=loop.label,
                stage=first if by == "stage" else stage_of.get(first),
                summary=(
                    f"{loop.customers} customers ({_pct(loop.share)}) {loop.kind} "
                    f"{loop.label} ({loop.occurrences} times)"
                ),
                figure=loop.share,
                unit="share of customers",
                baseline=None,
                customers=loop.customers,
                lost_conversion=None,
                impact=None,
                severity=severity(customers, loop.customers, None),
            )
        )
    return found


def _support(
    table: ibis.Table,
    pattern: str,
    min_contacts: int,
    customers: int,
    conversion_rate: float | None,
    outcomes: CustomerOutcomes,
    min_customers: int,
) -> list[PainPointCandidate]:
    if "stage" not in table.columns:
        return []
    # The pattern is searched once per distinct (event, touchpoint) pair, not once per event.
    keys = {"event": table.event.cast("string")}
    if "touchpoint" in table.columns:
        keys["touchpoint"] = table.touchpoint.cast("string").fill_null("")
    rows = table.filter(table.stage.notnull()).select(
        "customer_id", stage=table.stage.cast("string"), **keys
    )
    pairs = rows.select(*keys).distinct()
    text = pairs.event.lower()
    if "touchpoint" in keys:
        text = text + " " + pairs.touchpoint.lower()
    support = pairs.filter(text.re_search(pattern.lower()))
    contacts = rows.join(support, list(keys)).select(rows.customer_id, rows.stage)
    per_customer = contacts.group_by(["customer_id", "stage"]).agg(contacts=contacts.count())
    repeated = per_customer.filter(per_customer.contacts >= min_contacts)
    converted = outcomes.converters
    joined = repeated.left_join(converted, "customer_id")
    per_stage = (
        joined.group_by("stage")
        .agg(
            customers=joined.count(),
            converted=joined.converted_at.notnull().sum(),
            contacts=joined.contacts.sum(),
        )
        .to_pyarrow()
        .to_pylist()
    )
    found = []
    for r in per_stage:
        n = int(r["customers"])
        if n == 0 or n < min(min_customers, max(1, customers // 100)):
            continue
        lost = None
        if conversion_rate is not None:
            lost = max(0.0, conversion_rate - int(r["converted"] or 0) / n)
        found.append(
            PainPointCandidate(
                kind="support_contacts",
                step=str(r["stage"]),
                stage=str(r["stage"]),
                summary=(
                    f"{n} customers contacted support {min_contacts}+ times in {r['stage']} "
                    f"({int(r['contacts'])} contacts)"
                ),
                figure=float(n),
                unit="customers",
                baseline=None,
                customers=n,
                lost_conversion=lost,
                impact=n * lost if lost is not None else None,
                severity=severity(customers, n, lost),
            )
        )
    return found


def _negative_comments(
    row: dict[str, Any],
    stage: str | None,
    affected: int,
    lost: float | None,
    customers: int,
    min_negative: int,
    min_share: float,
) -> list[PainPointCandidate]:
    comments, negative = row.get("comments"), row.get("negative_comments")
    if comments is None or negative is None or pd.isna(comments) or pd.isna(negative):
        return []
    comments, negative = int(comments), int(negative)
    if negative < min_negative or negative < min_share * comments:
        return []
    share = negative / comments
    example = row.get("example")
    quote = example if isinstance(example, str) and example else None
    return [
        PainPointCandidate(
            kind="negative_comments",
            step=row["step"],
            stage=stage,
            summary=(
                f"{negative} of {comments} comments at {row['step']} ({_pct(share)}) come with "
                "a low score"
            ),
            figure=share,
            unit="share of comments negative",
            baseline=min_share,
            customers=affected,
            lost_conversion=lost,
            impact=affected * lost if lost is not None else None,
            severity=severity(customers, affected, lost),
            quote=quote,
        )
    ]


def _survey_rows(surveys: pd.DataFrame) -> list[dict[str, Any]]:
    if "step" not in surveys.columns:
        raise ValueError(f"the survey scores need a 'step' column, got {list(surveys.columns)}")
    if not {"csat", "nps", "negative_comments"} & set(surveys.columns):
        raise ValueError("the survey scores need a 'csat', 'nps' or 'negative_comments' column")
    if ("comments" in surveys.columns) != ("negative_comments" in surveys.columns):
        raise ValueError("the survey scores need 'comments' and 'negative_comments' together")
    keep = [c for c in SURVEY_COLUMNS if c in surveys.columns]
    rows = [{str(k): v for k, v in r.items()} for r in surveys[keep].to_dict("records")]
    for row in rows:
        csat = row.get("csat")
        if csat is not None and not pd.isna(csat) and not 0 <= csat <= 1:
            raise ValueError(
                f"csat of step {row['step']!r} must be a share from 0 to 1, not {csat}"
            )
        row["step"] = str(row["step"])
    return rows
