"""Simulated survey answers: CSAT after touchpoints, NPS at the end, reasons for abandoning.

Answers are drawn from the events of each chunk with their own random stream, so asking for
surveys never changes the events of a seed. Comments come from the spec's per-touchpoint pools,
picked by the sentiment of the score (1-2 negative, 3 neutral, 4-5 positive).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from journeymap.atomic import atomic_path
from journeymap.simulate.generator import SURVEYS_STREAM, Chunk, chunk_rng, customer_ids
from journeymap.simulate.model import MICROS, FloatArray, JourneyModel, categorical, cumulative
from journeymap.simulate.spec import DEFAULT

SURVEY_SCHEMA = pa.schema(
    [
        pa.field("customer_id", pa.string(), nullable=False),
        pa.field("timestamp", pa.timestamp("s", tz="UTC"), nullable=False),
        pa.field("survey", pa.string(), nullable=False),
        pa.field("touchpoint", pa.string()),
        pa.field("stage", pa.string()),
        pa.field("csat", pa.int8()),
        pa.field("nps", pa.int8()),
        pa.field("comment", pa.string()),
        pa.field("abandon_reason", pa.string()),
    ]
)
HOUR_US = 3600 * MICROS
NEGATIVE, NEUTRAL, POSITIVE = 0, 1, 2


@dataclass(frozen=True)
class SurveyModel:
    """Survey answer distributions and text pools as arrays (K personas, T touchpoints)."""

    csat_rate: float
    nps_rate: float
    exit_rate: float
    comment_rate: float
    csat_cum: FloatArray
    has_csat: npt.NDArray[np.bool_]
    nps_cum: FloatArray
    has_nps: npt.NDArray[np.bool_]
    comments: pa.Array
    comment_start: npt.NDArray[np.int64]
    comment_count: npt.NDArray[np.int64]
    reasons: pa.Array
    reason_start: npt.NDArray[np.int64]
    reason_count: npt.NDArray[np.int64]


def compile_surveys(model: JourneyModel) -> SurveyModel:
    """The spec's survey settings as arrays for vectorized sampling."""
    spec = model.simulation.spec
    settings = spec.surveys
    language_texts = model.simulation.texts()
    n_personas, n_tp = len(model.personas), len(model.touchpoints)
    csat = np.zeros((n_personas, n_tp, 5))
    has_csat = np.zeros((n_personas, n_tp), dtype=bool)
    nps = np.zeros((n_personas, 11))
    has_nps = np.zeros(n_personas, dtype=bool)
    for k, persona in enumerate(spec.personas):
        for t, tp in enumerate(model.touchpoints):
            answers = persona.surveys.csat.get(tp, persona.surveys.csat.get(DEFAULT))
            if answers is not None:
                csat[k, t], has_csat[k, t] = answers, True
        if persona.surveys.nps is not None:
            nps[k], has_nps[k] = persona.surveys.nps, True

    texts: list[str] = []
    comment_start = np.zeros((n_tp, 3), dtype=np.int64)
    comment_count = np.zeros((n_tp, 3), dtype=np.int64)
    for t, tp in enumerate(model.touchpoints):
        pool = language_texts.comments.get(tp)
        if pool is None:
            continue
        for sentiment, lines in (
            (NEGATIVE, pool.negative),
            (NEUTRAL, pool.neutral),
            (POSITIVE, pool.positive),
        ):
            comment_start[t, sentiment], comment_count[t, sentiment] = len(texts), len(lines)
            texts.extend(lines)
    reasons: list[str] = []
    reason_start = np.zeros(len(model.stages), dtype=np.int64)
    reason_count = np.zeros(len(model.stages), dtype=np.int64)
    for s, stage in enumerate(model.stages):
        reasons_of = language_texts.abandon_reasons
        lines = reasons_of.get(stage, reasons_of.get(DEFAULT, []))
        reason_start[s], reason_count[s] = len(reasons), len(lines)
        reasons.extend(lines)
    return SurveyModel(
        csat_rate=settings.csat_rate,
        nps_rate=settings.nps_rate,
        exit_rate=settings.exit_rate,
        comment_rate=settings.comment_rate,
        csat_cum=cumulative(csat),
        has_csat=has_csat,
        nps_cum=cumulative(nps),
        has_nps=has_nps,
        comments=pa.array(texts, type=pa.string()),
        comment_start=comment_start,
        comment_count=comment_count,
        reasons=pa.array(reasons, type=pa.string()),
        reason_start=reason_start,
        reason_count=reason_count,
    )


def _pick(
    pool: pa.Array,
    start: npt.NDArray[np.int64],
    count: npt.NDArray[np.int64],
    u: FloatArray,
    wanted: npt.NDArray[np.bool_],
) -> pa.Array:
    """One text per row from the row's pool slice, null where unwanted or the pool is empty."""
    ok = wanted & (count > 0)
    index = start + np.minimum((u * count).astype(np.int64), np.maximum(count - 1, 0))
    return pc.take(pool, pa.array(np.where(ok, index, 0), mask=~ok))


def survey_table(
    model: JourneyModel, surveys: SurveyModel, chunk: Chunk, rng: np.random.Generator
) -> pa.Table:
    """The survey answers of one chunk's customers, ordered by customer and time."""
    n = chunk.events
    persona = chunk.persona[chunk.customer - chunk.first_customer]
    tp = chunk.touchpoint
    stage = model.touchpoint_stage[tp]

    # CSAT after a touchpoint event
    asked = (rng.random(n) < surveys.csat_rate) & surveys.has_csat[persona, tp]
    rows = np.flatnonzero(asked)
    score = categorical(surveys.csat_cum[persona[rows], tp[rows]], rng.random(rows.size)) + 1
    sentiment = np.where(score <= 2, NEGATIVE, np.where(score == 3, NEUTRAL, POSITIVE))
    comment = _pick(
        surveys.comments,
        surveys.comment_start[tp[rows], sentiment],
        surveys.comment_count[tp[rows], sentiment],
        rng.random(rows.size),
        rng.random(rows.size) < surveys.comment_rate,
    )
    delay = (rng.standard_exponential(rows.size) * HOUR_US).astype(np.int64)
    csat = _answers(model, chunk, rows, delay, "csat", csat=score, comment=comment)

    # NPS once per customer after the last event; a reason from those who never bought
    last = np.flatnonzero(np.append(chunk.customer[1:] != chunk.customer[:-1], True))
    nps_rows = last[(rng.random(last.size) < surveys.nps_rate) & surveys.has_nps[persona[last]]]
    nps_score = categorical(surveys.nps_cum[persona[nps_rows]], rng.random(nps_rows.size))
    delay = (rng.standard_exponential(nps_rows.size) * 24 * HOUR_US).astype(np.int64)
    nps = _answers(model, chunk, nps_rows, delay, "nps", nps=nps_score)

    never_bought = chunk.purchase[last] == 0
    exit_rows = last[(rng.random(last.size) < surveys.exit_rate) & never_bought]
    exit_stage = stage[exit_rows]
    reason = _pick(
        surveys.reasons,
        surveys.reason_start[exit_stage],
        surveys.reason_count[exit_stage],
        rng.random(exit_rows.size),
        np.ones(exit_rows.size, dtype=bool),
    )
    delay = (rng.standard_exponential(exit_rows.size) * HOUR_US).astype(np.int64)
    exits = _answers(model, chunk, exit_rows, delay, "exit", reason=reason)
    exits = exits.filter(pc.is_valid(exits["abandon_reason"]))

    table = pa.concat_tables([csat, nps, exits])
    order = table.sort_by([("_customer", "ascending"), ("timestamp", "ascending")])
    return order.drop_columns(["_customer"])


def _answers(
    model: JourneyModel,
    chunk: Chunk,
    rows: npt.NDArray[np.int64],
    delay: npt.NDArray[np.int64],
    kind: str,
    *,
    csat: Any = None,
    nps: Any = None,
    comment: pa.Array | None = None,
    reason: pa.Array | None = None,
) -> pa.Table:
    size = rows.size
    tp = chunk.touchpoint[rows]

    def nulls(dtype: pa.DataType) -> pa.Array:
        return pa.nulls(size, dtype)

    return pa.Table.from_arrays(
        [
            customer_ids(chunk.customer[rows], chunk.id_digits),
            pa.array((chunk.timestamp[rows] + delay) // MICROS, type=pa.int64()).cast(
                pa.timestamp("s", tz="UTC")
            ),
            pa.array([kind] * size, type=pa.string()),
            pc.take(pa.array(model.touchpoints), pa.array(tp)),
            pc.take(pa.array(model.stages), pa.array(model.touchpoint_stage[tp])),
            pa.array(csat, type=pa.int8()) if csat is not None else nulls(pa.int8()),
            pa.array(nps, type=pa.int8()) if nps is not None else nulls(pa.int8()),
            comment if comment is not None else nulls(pa.string()),
            reason if reason is not None else nulls(pa.string()),
            pa.array(chunk.customer[rows]),
        ],
        schema=SURVEY_SCHEMA.append(pa.field("_customer", pa.int64())),
    )


class SurveyWriter:
    """Streams survey answers to a CSV file chunk by chunk (or does nothing without a path)."""

    def __init__(self, model: JourneyModel, seed: int, writer: pacsv.CSVWriter | None) -> None:
        self.model = model
        self.seed = seed
        self.writer = writer
        self.surveys = compile_surveys(model) if writer is not None else None

    @classmethod
    @contextlib.contextmanager
    def open(
        cls, model: JourneyModel, path: str | Path | None, seed: int
    ) -> Iterator[SurveyWriter]:
        """A writer for ``path`` that appears only when complete; a no-op for ``None``."""
        if path is None:
            yield cls(model, seed, None)
            return
        with atomic_path(path) as tmp, pacsv.CSVWriter(str(tmp), SURVEY_SCHEMA) as writer:
            yield cls(model, seed, writer)

    def write(self, chunk: Chunk) -> int:
        """Write the answers of ``chunk``; return how many rows."""
        if self.writer is None or self.surveys is None:
            return 0
        rng = chunk_rng(self.seed, chunk.first_customer, SURVEYS_STREAM)
        table = survey_table(self.model, self.surveys, chunk, rng)
        self.writer.write_table(table)
        return table.num_rows
