"""The vectorized journey generator: a Markov chain advanced for a whole chunk of customers at once.

Customers are simulated in fixed-size chunks; each chunk has its own random stream derived from the
seed and the chunk number, so the same seed gives the same data. Chunks are turned into Arrow
tables and streamed to a Parquet file by a writer thread while the next chunk is generated.
"""

from __future__ import annotations

import json
import queue
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from journeymap.atomic import atomic_path, atomic_write_text
from journeymap.data.layout import KEY_COLUMN, key_metadata
from journeymap.simulate.model import MICROS, FloatArray, JourneyModel, categorical
from journeymap.simulate.spec import Simulation

CHUNK_CUSTOMERS = 100_000
MIN_GAP_US = MICROS  # events of one customer are at least a second apart
EVENTS_STREAM, SURVEYS_STREAM = 0, 1

PROPERTIES_TYPE = pa.map_(pa.string(), pa.string())
EVENT_SCHEMA = pa.schema(
    [
        pa.field("customer_id", pa.dictionary(pa.int32(), pa.string()), nullable=False),
        # the customer's number: it grows with the id (docs/data.md, "Customer key")
        pa.field(KEY_COLUMN, pa.int64(), nullable=False),
        pa.field("timestamp", pa.timestamp("us", tz="UTC"), nullable=False),
        pa.field("event", pa.dictionary(pa.int16(), pa.string()), nullable=False),
        pa.field("session_id", pa.dictionary(pa.int32(), pa.string())),
        pa.field("channel", pa.dictionary(pa.int16(), pa.string())),
        pa.field("touchpoint", pa.dictionary(pa.int16(), pa.string())),
        pa.field("stage", pa.dictionary(pa.int16(), pa.string())),
        pa.field("revenue", pa.float64()),
        pa.field("properties", PROPERTIES_TYPE),
    ],
    metadata=key_metadata(),
)
# Parquet dictionary pages; the customer ids' too: a reader checks each distinct id once per row
# group instead of each event's (a 100M-event funnel reads its step events in 1.93 s, not 2.28)
CODED_COLUMNS = ["customer_id", "event", "channel", "touchpoint", "stage"]
DICTIONARY_PAGE_BYTES = 1 << 22  # a chunk's customer ids, about 1.4 MB (the default cap is 1 MB)
# statistics where a reader may filter on them: the customer id's null count lets every analysis
# skip its "customer_id IS NOT NULL" check (a fifth of the path query's first scan); the other
# per-customer texts (session ids, order properties) go without, no filter uses them
STATISTICS_COLUMNS = ["customer_id", KEY_COLUMN, "timestamp", *CODED_COLUMNS, "revenue"]


@dataclass(frozen=True)
class Chunk:
    """The events of one chunk of customers, sorted by customer then time, as numpy arrays.

    ``customer`` is the global customer number; ``revenue`` is NaN where there is no purchase;
    ``session`` and ``purchase`` count sessions and purchases per customer from 1, and
    ``new_session`` marks the first event of each session. Customer ids have ``id_digits``
    digits (:func:`customer_ids`).
    """

    first_customer: int
    customers: int
    id_digits: int
    persona: npt.NDArray[np.int16]
    customer: npt.NDArray[np.int64]
    timestamp: npt.NDArray[np.int64]
    touchpoint: npt.NDArray[np.int16]
    channel: npt.NDArray[np.int16]
    revenue: FloatArray
    session: npt.NDArray[np.int32]
    new_session: npt.NDArray[np.bool_]
    purchase: npt.NDArray[np.int32]

    @property
    def events(self) -> int:
        """Number of events in the chunk."""
        return len(self.customer)


def chunk_rng(seed: int, chunk: int, stream: int = EVENTS_STREAM) -> np.random.Generator:
    """The random generator of one chunk and stream (events or surveys) for ``seed``."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, chunk, stream])))


def simulate_chunk(
    model: JourneyModel,
    customers: int,
    first_customer: int,
    rng: np.random.Generator,
    id_digits: int,
) -> Chunk:
    """Simulate ``customers`` journeys, advancing every customer's chain one event per step.

    Every journey starts at step 0, so step s gives the s-th event of each customer still in it;
    the (persona, touchpoint) row of the tables is ``persona * T + touchpoint``.
    """
    exit_state = model.exit_index
    width = exit_state + 1
    persona = categorical(model.persona_cum[None, :], rng.random(customers))
    ids = np.arange(customers, dtype=np.int64)
    p = persona.astype(np.intp)
    state = model.start.sample(p, rng.random(customers))
    t = model.start_us + (rng.random(customers) * model.period_us).astype(np.int64)
    bought = np.zeros(customers, dtype=bool)
    repeats = np.zeros(customers, dtype=np.int16)
    length = np.zeros(customers, dtype=np.int64)
    steps: list[tuple[Any, ...]] = []
    while ids.size:
        m = ids.size
        count = len(steps) + 1  # events so far of every customer still in a journey
        row = p * exit_state + state
        channel = model.channel_table.sample(row, rng.random(m))
        buying = model.is_purchase[state]
        buyers = np.flatnonzero(buying)
        values = np.round(model.order_value.draw(row[buyers], rng), 2)
        steps.append((ids, t, state, channel, buyers, values))
        bought |= buying
        nxt = model.transition_table.sample(row, rng.random(m))
        gap = model.gaps.draw(row * width + nxt, rng)
        capped = count >= model.max_events
        ending = (nxt == exit_state) | capped
        # a journey with a purchase may be followed by another one after a longer gap
        may_repeat = np.flatnonzero(
            ending & bought & (repeats < model.repeat_max[p]) & (not capped)
        )
        pr = p[may_repeat]
        coming_back = rng.random(may_repeat.size) < model.repeat_probability[pr]
        repeat_gap = model.repeat_gap.draw(pr, rng)
        back = may_repeat[coming_back]
        again = np.zeros(m, dtype=bool)
        again[back] = True
        nxt[back] = model.repeat_start[p[back]]
        gap[back] = repeat_gap[coming_back]
        stay = ~ending | again
        length[ids[~stay]] = count
        keep = np.flatnonzero(stay)
        step = np.maximum((gap[keep] * MICROS).astype(np.int64), MIN_GAP_US)
        ids, p, state, t = ids[keep], p[keep], nxt[keep], t[keep] + step
        repeats = repeats[keep] + again[keep]
        bought = bought[keep] & ~again[keep]
    return _assemble(model, first_customer, id_digits, persona, length, steps)


def _assemble(
    model: JourneyModel,
    first_customer: int,
    id_digits: int,
    persona: npt.NDArray[np.int16],
    length: npt.NDArray[np.int64],
    steps: list[tuple[Any, ...]],
) -> Chunk:
    """Put the events of each step at their rows: customer by customer, step by step."""
    first = np.cumsum(length) - length  # each customer's first row
    n = int(length.sum())
    ts = np.empty(n, dtype=np.int64)
    tp = np.empty(n, dtype=np.int16)
    channel = np.empty(n, dtype=np.int16)
    revenue = np.full(n, np.nan)
    for number, (ids, t, state, chan, buyers, values) in enumerate(steps):
        rows = first[ids]
        rows += number
        ts[rows] = t
        tp[rows] = state
        channel[rows] = chan
        revenue[rows[buyers]] = values
    new_session = np.zeros(n, dtype=bool)
    new_session[first] = True
    new_session[1:] |= (ts[1:] - ts[:-1]) > model.session_timeout_us
    customer = np.repeat(np.arange(first_customer, first_customer + len(length)), length)
    return Chunk(
        first_customer=first_customer,
        customers=len(length),
        id_digits=id_digits,
        persona=persona,
        customer=customer,
        timestamp=ts,
        touchpoint=tp,
        channel=channel,
        revenue=revenue,
        session=_count_within(new_session, first, length),
        new_session=new_session,
        purchase=_count_within(model.is_purchase[tp], first, length),
    )


def _count_within(
    flags: npt.NDArray[np.bool_], first: npt.NDArray[np.int64], length: npt.NDArray[np.int64]
) -> npt.NDArray[np.int32]:
    """Running count of ``flags`` within each customer's rows (``length`` rows from ``first``)."""
    total = np.cumsum(flags, dtype=np.int32)
    before = total[first] - flags[first]
    total -= np.repeat(before, length)
    return total


def customer_ids(numbers: npt.NDArray[np.int64], digits: int) -> pa.Array:
    """Customer ids as text: ``c`` and the customer number, zero-padded to ``digits``.

    Padded, the ids sort as the customers were simulated: the file comes out sorted by
    customer, which analyses read in parts (:mod:`journeymap.data.layout`).
    """
    padded = pc.utf8_lpad(pc.cast(pa.array(numbers), pa.string()), digits, "0")
    return pc.binary_join_element_wise("c", padded, "")


def chunk_table(model: JourneyModel, chunk: Chunk) -> pa.Table:
    """The chunk's events as an Arrow table with the canonical event columns.

    Text columns are dictionary-encoded: customer and session ids are made once per customer and
    per session, not once per event.
    """
    numbers = np.arange(chunk.customers, dtype=np.int64) + chunk.first_customer
    customers = customer_ids(numbers, chunk.id_digits)
    customer_index = np.empty(chunk.events, dtype=np.int32)
    np.subtract(chunk.customer, chunk.first_customer, out=customer_index, casting="unsafe")
    starts = np.flatnonzero(chunk.new_session)
    sessions = pc.binary_join_element_wise(
        pc.take(customers, pa.array(customer_index[starts])),
        pc.cast(pa.array(chunk.session[starts]), pa.string()),
        "-s",
    )
    session_index = np.cumsum(chunk.new_session, dtype=np.int32)
    session_index -= 1
    tp = pa.array(chunk.touchpoint)
    buying = ~np.isnan(chunk.revenue)
    return pa.Table.from_arrays(
        [
            pa.DictionaryArray.from_arrays(pa.array(customer_index), customers),
            pa.array(chunk.customer, type=pa.int64()),
            pa.array(chunk.timestamp, type=pa.int64()).cast(pa.timestamp("us", tz="UTC")),
            pa.DictionaryArray.from_arrays(tp, pa.array(model.event_names)),
            pa.DictionaryArray.from_arrays(pa.array(session_index), sessions),
            pa.DictionaryArray.from_arrays(pa.array(chunk.channel), pa.array(model.channels)),
            pa.DictionaryArray.from_arrays(tp, pa.array(model.touchpoints)),
            pa.DictionaryArray.from_arrays(
                pa.array(model.touchpoint_stage[chunk.touchpoint]), pa.array(model.stages)
            ),
            pa.array(chunk.revenue, mask=~buying),
            _order_properties(customers, customer_index, chunk.purchase, buying),
        ],
        schema=EVENT_SCHEMA,
    )


def _order_properties(
    customers: pa.Array,
    customer_index: npt.NDArray[np.int32],
    purchase: npt.NDArray[np.int32],
    buying: npt.NDArray[np.bool_],
) -> pa.Array:
    """``{order_id, purchase_number}`` on purchase events, null on the others."""
    rows = np.flatnonzero(buying)
    number = pc.cast(pa.array(purchase[rows]), pa.string())
    buyer = pc.take(customers, pa.array(customer_index[rows]))
    order_id = pc.binary_join_element_wise(buyer, number, "-o")
    keys = pa.array(["order_id", "purchase_number"]).take(pa.array(np.tile([0, 1], rows.size)))
    interleaved = np.empty(2 * rows.size, dtype=np.int64)
    interleaved[0::2] = np.arange(rows.size)
    interleaved[1::2] = np.arange(rows.size) + rows.size
    items = pa.concat_arrays([order_id, number]).take(pa.array(interleaved))
    offsets = np.zeros(len(buying) + 1, dtype=np.int32)
    np.cumsum(buying, dtype=np.int32, out=offsets[1:])
    offsets *= 2
    return pa.MapArray.from_arrays(pa.array(offsets), keys, items, mask=pa.array(~buying))


def iter_chunks(
    model: JourneyModel, customers: int, seed: int, chunk_customers: int = CHUNK_CUSTOMERS
) -> Iterator[Chunk]:
    """Simulate ``customers`` journeys chunk by chunk (the same seed gives the same chunks)."""
    digits = len(str(customers - 1))
    for number, first in enumerate(range(0, customers, chunk_customers)):
        size = min(chunk_customers, customers - first)
        yield simulate_chunk(model, size, first, chunk_rng(seed, number), digits)


@dataclass(frozen=True)
class SimulationReport:
    """What a simulation run wrote and how fast."""

    customers: int
    events: int
    survey_responses: int
    seconds: float
    output: Path
    truth: Path
    surveys: Path | None

    @property
    def events_per_second(self) -> float:
        """Events generated and written per second of wall time."""
        return self.events / self.seconds if self.seconds else 0.0


Progress = Callable[[int, int], None]


def simulate_to_parquet(
    simulation: Simulation,
    *,
    customers: int,
    seed: int,
    output: str | Path,
    surveys: str | Path | None = None,
    progress: Progress | None = None,
    chunk_customers: int = CHUNK_CUSTOMERS,
) -> SimulationReport:
    """Simulate and stream the events to a Parquet file (and survey answers to a CSV file).

    Every output appears only when complete (written to a temporary file, then renamed); beside
    the events goes ``<name>.truth.json`` with the probabilities used. ``progress`` is called with
    the customers and events done after each chunk.
    """
    from journeymap.simulate.model import compile_model
    from journeymap.simulate.surveys import SurveyWriter
    from journeymap.simulate.truth import ground_truth

    if customers < 1:
        raise ValueError(f"customers must be at least 1, not {customers}")
    output = Path(output)
    model = compile_model(simulation)
    started = time.perf_counter()
    events = responses = 0
    with atomic_path(output) as tmp, SurveyWriter.open(model, surveys, seed) as survey_writer:
        tables: queue.Queue[pa.Table | None] = queue.Queue(maxsize=2)
        writer = _ParquetThread(tmp, tables)
        writer.start()
        try:
            for chunk in iter_chunks(model, customers, seed, chunk_customers):
                if writer.error is not None:
                    break
                tables.put(chunk_table(model, chunk))
                responses += survey_writer.write(chunk)
                events += chunk.events
                if progress is not None:
                    progress(chunk.first_customer + chunk.customers, events)
        finally:
            tables.put(None)
            writer.join()
        if writer.error is not None:
            raise writer.error
    seconds = time.perf_counter() - started
    truth = output.with_name(output.name.removesuffix(output.suffix) + ".truth.json")
    atomic_write_text(
        truth,
        json.dumps(
            ground_truth(model, customers=customers, seed=seed, events=events),
            ensure_ascii=False,
            indent=2,
        )
        + "\n",
    )
    return SimulationReport(
        customers=customers,
        events=events,
        survey_responses=responses,
        seconds=seconds,
        output=output,
        truth=truth,
        surveys=Path(surveys) if surveys is not None else None,
    )


class _ParquetThread(threading.Thread):
    """Writes the tables of a queue to one Parquet file until it gets ``None``."""

    def __init__(self, path: Path, tables: queue.Queue[pa.Table | None]) -> None:
        super().__init__(name="journeymap-parquet-writer", daemon=True)
        self.path = path
        self.tables = tables
        self.error: BaseException | None = None

    def run(self) -> None:
        writer: pq.ParquetWriter | None = None
        try:
            writer = pq.ParquetWriter(
                self.path,
                EVENT_SCHEMA,
                # Snappy, as `events import` writes (DuckDB's default): a 100M-event file is 1.5x
                # the size of zstd level 1's, but the funnel reads its step events in 1.55 s
                # instead of 2.13 s
                compression="snappy",
                use_dictionary=CODED_COLUMNS,
                dictionary_pagesize_limit=DICTIONARY_PAGE_BYTES,
                write_statistics=STATISTICS_COLUMNS,
                write_batch_size=1 << 16,  # rows encoded at a time (default 1,024)
            )
            while (table := self.tables.get()) is not None:
                writer.write_table(table, row_group_size=1 << 20)
        except BaseException as exc:  # reported to the producing thread
            self.error = exc
            while self.tables.get() is not None:
                pass
        finally:
            if writer is not None:
                writer.close()
