"""CSAT, NPS and CES from survey responses, per touchpoint, stage, persona/segment and period.

Definitions (every figure comes with its counts):

- **CSAT** (1-5 scale): the percentage of answers that are 4 or 5 ("satisfied").
- **NPS** (0-10 scale): % promoters (9-10) minus % detractors (0-6), from -100 to +100; 7-8 are
  passives.
- **CES** (1-7 scale, 7 = very easy): the mean score, and the percentage of answers 5-7 ("easy").

The emotion curve of a map (:func:`emotion_curve_from_surveys`) turns these counts per stage into
a sentiment index from -1 to 1 (:func:`sentiment_index`) and then into the map's -2..+2 emotion
score (:func:`emotion_score`), as suggested items with the survey figures as evidence.

The counts are computed in one Ibis aggregate, so the numbers are the same on every engine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import ibis
import pandas as pd
import plotly.graph_objects as go

from journeymap.data.surveys import SurveyResponses
from journeymap.map.model import (
    EmotionItem,
    Evidence,
    EvidenceSource,
    ItemStatus,
    JourneyMap,
    LaneKind,
    TouchpointItem,
    slugify,
)

Period = Literal["day", "week", "month", "quarter", "year"]
PERIODS: tuple[str, ...] = ("day", "week", "month", "quarter", "year")
_TRUNCATE = {"day": "D", "week": "W", "month": "M", "quarter": "Q", "year": "Y"}


@dataclass(frozen=True)
class ScoreCounts:
    """The answer counts behind CSAT, NPS and CES for one group of responses."""

    csat_responses: int = 0
    csat_satisfied: int = 0  # 4-5
    csat_dissatisfied: int = 0  # 1-2
    nps_responses: int = 0
    promoters: int = 0  # 9-10
    passives: int = 0  # 7-8
    detractors: int = 0  # 0-6
    ces_responses: int = 0
    ces_total: int = 0  # sum of the CES scores, for the mean
    ces_easy: int = 0  # 5-7
    ces_hard: int = 0  # 1-3
    last_date: dt.date | None = None

    @property
    def csat(self) -> float | None:
        """% of CSAT answers that are 4 or 5 (None without answers)."""
        return 100 * self.csat_satisfied / self.csat_responses if self.csat_responses else None

    @property
    def nps(self) -> float | None:
        """% promoters minus % detractors, -100..100 (None without answers)."""
        if not self.nps_responses:
            return None
        return 100 * (self.promoters - self.detractors) / self.nps_responses

    @property
    def ces_mean(self) -> float | None:
        """Mean CES score on the 1-7 scale (None without answers)."""
        return self.ces_total / self.ces_responses if self.ces_responses else None

    @property
    def ces_easy_share(self) -> float | None:
        """% of CES answers 5-7 (None without answers)."""
        return 100 * self.ces_easy / self.ces_responses if self.ces_responses else None

    def __add__(self, other: ScoreCounts) -> ScoreCounts:
        dates = [d for d in (self.last_date, other.last_date) if d is not None]
        return ScoreCounts(
            csat_responses=self.csat_responses + other.csat_responses,
            csat_satisfied=self.csat_satisfied + other.csat_satisfied,
            csat_dissatisfied=self.csat_dissatisfied + other.csat_dissatisfied,
            nps_responses=self.nps_responses + other.nps_responses,
            promoters=self.promoters + other.promoters,
            passives=self.passives + other.passives,
            detractors=self.detractors + other.detractors,
            ces_responses=self.ces_responses + other.ces_responses,
            ces_total=self.ces_total + other.ces_total,
            ces_easy=self.ces_easy + other.ces_easy,
            ces_hard=self.ces_hard + other.ces_hard,
            last_date=max(dates) if dates else None,
        )

    def to_dict(self) -> dict[str, Any]:
        """Counts and the three scores, JSON-ready."""
        return {
            "csat": self.csat,
            "csat_responses": self.csat_responses,
            "csat_satisfied": self.csat_satisfied,
            "csat_dissatisfied": self.csat_dissatisfied,
            "nps": self.nps,
            "nps_responses": self.nps_responses,
            "promoters": self.promoters,
            "passives": self.passives,
            "detractors": self.detractors,
            "ces_mean": self.ces_mean,
            "ces_easy": self.ces_easy_share,
            "ces_responses": self.ces_responses,
            "ces_easy_answers": self.ces_easy,
            "ces_hard_answers": self.ces_hard,
            "last_date": self.last_date.isoformat() if self.last_date else None,
        }


@dataclass(frozen=True)
class SatisfactionRow:
    """The scores of one group: its key values (one per ``by`` column), its period, its counts."""

    key: tuple[str | None, ...]
    period: dt.date | None
    counts: ScoreCounts


@dataclass(frozen=True)
class SatisfactionResult:
    """CSAT, NPS and CES per group (and period), plus the totals over all responses."""

    by: tuple[str, ...]
    period: str | None
    rows: tuple[SatisfactionRow, ...]
    overall: ScoreCounts

    def to_frame(self) -> pd.DataFrame:
        """One row per group and period: the key columns, ``period``, then scores and counts."""
        key_columns = list(self.by) + (["period"] if self.period else [])
        records = []
        for row in self.rows:
            record: dict[str, Any] = dict(zip(self.by, row.key, strict=True))
            if self.period:
                record["period"] = row.period
            record.update(row.counts.to_dict())
            records.append(record)
        columns = key_columns + list(ScoreCounts().to_dict())
        return pd.DataFrame(records, columns=columns)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "by": list(self.by),
            "period": self.period,
            "overall": self.overall.to_dict(),
            "rows": [
                {
                    "key": dict(zip(self.by, row.key, strict=True)),
                    "period": row.period.isoformat() if row.period else None,
                    **row.counts.to_dict(),
                }
                for row in self.rows
            ],
        }

    def figure(self) -> go.Figure:
        """Grouped bars per group: CSAT %, NPS and CES easy % (periods as separate groups)."""
        labels = [
            " / ".join(str(k) for k in row.key)
            + (f" ({row.period.isoformat()})" if row.period else "")
            for row in self.rows
        ] or ["all responses"]
        counts = [row.counts for row in self.rows] or [self.overall]
        fig = go.Figure()
        for name, values in (
            ("CSAT % satisfied", [c.csat for c in counts]),
            ("NPS", [c.nps for c in counts]),
            ("CES % easy", [c.ces_easy_share for c in counts]),
        ):
            if any(v is not None for v in values):
                fig.add_bar(name=name, x=labels, y=values)
        fig.update_layout(
            title="Satisfaction" + (f" by {', '.join(self.by)}" if self.by else ""),
            barmode="group",
            yaxis={"title": "score", "range": [-100, 100]},
        )
        return fig


def satisfaction(
    responses: SurveyResponses,
    *,
    by: str | Sequence[str] | None = "touchpoint",
    period: Period | None = None,
    segments: ibis.Table | None = None,
) -> SatisfactionResult:
    """CSAT, NPS and CES of ``responses`` per ``by`` column(s) and per ``period``.

    ``by`` is any response column (``touchpoint``, ``stage``, ``persona``, ``segment``...) or a
    list of them, or None for the totals only. ``segments`` (a table of ``customer_id`` and
    ``segment``, e.g. from :func:`journeymap.analytics.segments.segment_customers`) adds the
    ``segment`` column to the responses by customer. ``period`` groups by the response date's
    day, week (Monday), month, quarter or year. Groups with no scores at all are left out.
    """
    table = responses.table
    if segments is not None:
        for column in ("customer_id", "segment"):
            if column not in segments.columns:
                raise ValueError(f"segments table has no {column!r} column")
        assignments = segments.select(
            segments.customer_id.cast("string").name("customer_id"),
            segments.segment.cast("string").name("segment"),
        )
        if "segment" in table.columns:
            table = table.drop("segment")
        table = table.left_join(assignments, "customer_id").drop("customer_id_right")
    keys = [by] if isinstance(by, str) else list(by or [])
    for key in keys:
        if key not in table.columns:
            raise ValueError(
                f"{responses.source}: the responses have no {key!r} column; "
                f"they have {', '.join(table.columns)}"
            )
    if period is not None and period not in PERIODS:
        raise ValueError(f"period must be one of {', '.join(PERIODS)}, not {period!r}")

    groups: dict[str, ibis.Value] = {key: table[key].cast("string") for key in keys}
    if period is not None:
        groups["period"] = table.timestamp.truncate(_TRUNCATE[period]).date()
    csat, nps, ces = table.csat, table.nps, table.ces
    metrics = {
        "csat_responses": csat.count(),
        "csat_satisfied": (csat >= 4).cast("int64").sum(),
        "csat_dissatisfied": (csat <= 2).cast("int64").sum(),
        "nps_responses": nps.count(),
        "promoters": (nps >= 9).cast("int64").sum(),
        "passives": nps.between(7, 8).cast("int64").sum(),
        "detractors": (nps <= 6).cast("int64").sum(),
        "ces_responses": ces.count(),
        "ces_total": ces.cast("int64").sum(),
        "ces_easy": (ces >= 5).cast("int64").sum(),
        "ces_hard": (ces <= 3).cast("int64").sum(),
        "last_date": table.timestamp.max().date(),
    }
    scored = table.filter(csat.notnull() | nps.notnull() | ces.notnull())
    grouped = (
        scored.group_by(**groups).aggregate(**metrics) if groups else scored.aggregate(**metrics)
    )
    records = grouped.to_pyarrow().to_pylist()
    rows = [
        SatisfactionRow(
            key=tuple(record[k] for k in keys),
            period=record.get("period"),
            counts=_counts(record),
        )
        for record in records
        if groups
    ]
    rows.sort(key=lambda r: (tuple((k is None, k or "") for k in r.key), r.period or dt.date.min))
    overall = ScoreCounts()
    for record in records:
        overall = overall + _counts(record)
    return SatisfactionResult(by=tuple(keys), period=period, rows=tuple(rows), overall=overall)


def _counts(record: dict[str, Any]) -> ScoreCounts:
    return ScoreCounts(
        **{k: int(record[k] or 0) for k in ScoreCounts.__dataclass_fields__ if k != "last_date"},
        last_date=record["last_date"],
    )


# The emotion curve of a map, from survey scores ------------------------------------------------

MIN_RESPONSES = 10
EMOTION_BINS: tuple[tuple[float, int], ...] = ((0.6, 2), (0.2, 1), (-0.2, 0), (-0.6, -1))


@dataclass(frozen=True)
class StageEmotion:
    """A suggested emotion score for one stage of a map, from the survey answers at that stage."""

    stage: str  # the stage id of the map
    index: float  # the sentiment index, -1..1
    counts: ScoreCounts
    item: EmotionItem

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: the stage, index, score and the counts behind them."""
        return {
            "stage": self.stage,
            "index": self.index,
            "score": self.item.score,
            "text": self.item.text,
            "item_id": self.item.id,
            **self.counts.to_dict(),
        }


def sentiment_index(counts: ScoreCounts) -> float | None:
    """The net sentiment of the answers, -1..1, as the response-weighted mean of three nets.

    CSAT net = (answers 4-5 minus answers 1-2) / CSAT answers; NPS net = NPS / 100; CES net =
    (answers 5-7 minus answers 1-3) / CES answers. None when there are no answers.
    """
    parts = [
        (counts.csat_responses, counts.csat_satisfied - counts.csat_dissatisfied),
        (counts.nps_responses, counts.promoters - counts.detractors),
        (counts.ces_responses, counts.ces_easy - counts.ces_hard),
    ]
    total = sum(n for n, _ in parts)
    if not total:
        return None
    return sum(net for _, net in parts) / total


def emotion_score(index: float) -> int:
    """The -2..+2 emotion score for a sentiment index, in bins of width 0.4 centred on 0.

    >= 0.6: +2; >= 0.2: +1; > -0.2: 0; > -0.6: -1; else -2.
    """
    for low, score in EMOTION_BINS:
        if index >= low if score > 0 else index > low:
            return score
    return -2


def emotion_curve_from_surveys(
    doc: JourneyMap, scores: SatisfactionResult, *, min_responses: int = MIN_RESPONSES
) -> list[StageEmotion]:
    """Suggested emotion points (``status: suggested``, with survey evidence) per stage of ``doc``.

    ``scores`` must be grouped by ``stage`` or by ``touchpoint`` first (no period). Stage keys
    match a stage id or title (case-insensitive); touchpoint keys are placed at the stage whose
    touchpoints lane holds a touchpoint with that id or text, and their counts add up per stage.
    A stage with fewer than ``min_responses`` scored answers gets no suggestion. The score is
    :func:`emotion_score` of :func:`sentiment_index`; results follow the map's stage order.
    """
    if not scores.by or scores.by[0] not in ("stage", "touchpoint"):
        raise ValueError("scores must be grouped by 'stage' or 'touchpoint' (by=...)")
    if scores.period is not None:
        raise ValueError("scores must not be split by period for an emotion curve")
    locate = _stage_of_key(doc) if scores.by[0] == "stage" else _stage_of_touchpoint(doc)
    per_stage: dict[str, ScoreCounts] = {}
    for row in scores.rows:
        stage_id = locate(row.key[0])
        if stage_id is not None:
            per_stage[stage_id] = per_stage.get(stage_id, ScoreCounts()) + row.counts
    curve = []
    for stage in doc.stages:
        counts = per_stage.get(stage.id)
        if counts is None:
            continue
        answered = counts.csat_responses + counts.nps_responses + counts.ces_responses
        index = sentiment_index(counts)
        if index is None or answered < min_responses:
            continue
        curve.append(StageEmotion(stage.id, index, counts, _emotion_item(stage.id, index, counts)))
    return curve


def _emotion_item(stage: str, index: float, counts: ScoreCounts) -> EmotionItem:
    facts = []
    if counts.csat is not None:
        facts.append(f"CSAT {counts.csat:.0f}% satisfied of {counts.csat_responses}")
    if counts.nps is not None:
        facts.append(
            f"NPS {counts.nps:+.0f} of {counts.nps_responses} ({counts.promoters} promoters, "
            f"{counts.detractors} detractors)"
        )
    if counts.ces_mean is not None:
        facts.append(f"CES {counts.ces_mean:.1f}/7 of {counts.ces_responses}")
    score = emotion_score(index)
    return EmotionItem(
        id=f"survey-emotion-{stage}"[:80],
        text=f"{_FEELING[score]} (from surveys)",
        score=score,
        status=ItemStatus.SUGGESTED,
        evidence=[
            Evidence(
                source=EvidenceSource.SURVEY,
                summary="; ".join(facts),
                figure=round(index, 3),
                unit="sentiment index (-1..1)",
                sample_size=counts.csat_responses + counts.nps_responses + counts.ces_responses,
                date=counts.last_date,
            )
        ],
    )


_FEELING = {2: "Delighted", 1: "Satisfied", 0: "Neutral", -1: "Frustrated", -2: "Very frustrated"}


def _stage_of_key(doc: JourneyMap) -> Callable[[str | None], str | None]:
    known = {s.id: s.id for s in doc.stages} | {s.title.casefold(): s.id for s in doc.stages}

    def locate(key: str | None) -> str | None:
        if key is None:
            return None
        return known.get(key) or known.get(key.casefold())

    return locate


def _stage_of_touchpoint(doc: JourneyMap) -> Callable[[str | None], str | None]:
    lanes = {lane.id for lane in doc.lanes if lane.kind == LaneKind.TOUCHPOINTS}
    known: dict[str, str] = {}
    for cell in doc.cells:
        if cell.lane not in lanes:
            continue
        for item in cell.items:
            if isinstance(item, TouchpointItem):
                for name in (item.id, item.text.casefold(), slugify(item.text)):
                    known.setdefault(name, cell.stage)

    def locate(key: str | None) -> str | None:
        if key is None:
            return None
        return known.get(key) or known.get(key.casefold()) or known.get(slugify(key))

    return locate
