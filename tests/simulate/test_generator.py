"""The generator: deterministic files, canonical events that follow the spec, atomic output."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest

from journeymap.data.readers import read_events
from journeymap.simulate.generator import iter_chunks, simulate_to_parquet
from journeymap.simulate.model import compile_model
from journeymap.simulate.spec import load_shipped_spec, load_spec

LINEAR = Path(__file__).parent / "linear_spec.yaml"


def _simulate(tmp_path: Path, name: str, seed: int, **kwargs: object) -> Path:
    output = tmp_path / name / "events.parquet"
    simulate_to_parquet(
        load_spec(LINEAR),
        customers=3_000,
        seed=seed,
        output=output,
        surveys=output.with_name("surveys.csv"),
        chunk_customers=1_000,
        **kwargs,  # type: ignore[arg-type]
    )
    return output


def test_same_seed_gives_byte_identical_files(tmp_path: Path) -> None:
    first = _simulate(tmp_path, "a", seed=5)
    second = _simulate(tmp_path, "b", seed=5)
    for name in ("events.parquet", "events.truth.json", "surveys.csv"):
        assert (first.parent / name).read_bytes() == (second.parent / name).read_bytes(), name


def test_another_seed_gives_other_data(tmp_path: Path) -> None:
    first = _simulate(tmp_path, "a", seed=5)
    second = _simulate(tmp_path, "b", seed=6)
    assert first.read_bytes() != second.read_bytes()


def test_output_reads_as_canonical_events_in_customer_and_time_order(tmp_path: Path) -> None:
    output = _simulate(tmp_path, "a", seed=1)
    events = read_events(output)
    frame = events.table.order_by(["customer_id", "timestamp"]).to_pandas()
    assert set(events.optional_columns) == {
        "session_id",
        "channel",
        "touchpoint",
        "stage",
        "revenue",
        "properties",
    }
    raw = pq.read_table(output).to_pandas()
    assert len(raw) == len(frame)
    number = raw.customer_id.str[1:].astype(int)
    assert (np.diff(number) >= 0).all()
    # the customer key is the customer's number, marked in the footer for the reader
    assert (raw.customer_key == number).all()
    assert events.customer_key == "customer_key"
    same = np.diff(number) == 0
    assert (np.diff(raw.timestamp.astype("int64"))[same] > 0).all()
    assert str(raw.timestamp.dt.tz) == "UTC"


def test_events_follow_the_map_and_the_spec(tmp_path: Path) -> None:
    output = _simulate(tmp_path, "a", seed=2)
    simulation = load_spec(LINEAR)
    stage_of = {tp.id: tp.stage for tp in simulation.touchpoints}
    frame = pq.read_table(output).to_pandas()
    assert (frame.touchpoint.map(stage_of) == frame.stage).all()
    assert set(frame.channel.astype(str)) <= {"Direct", "Organic Search", "Email"}
    buying = frame.touchpoint == "tp-esignature"
    assert frame.revenue[buying].notna().all() and frame.revenue[~buying].isna().all()
    assert frame.properties[~buying].isna().all()
    first = dict(frame.properties[buying].iloc[0])
    assert first["order_id"].startswith(frame.customer_id[buying].iloc[0] + "-o")
    firsts = frame.groupby("customer_id", observed=True).touchpoint.first()
    assert set(firsts.astype(str)) == {"tp-website-pricing"}


def test_sessions_split_at_the_timeout(tmp_path: Path) -> None:
    output = _simulate(tmp_path, "a", seed=3)
    frame = pq.read_table(output).to_pandas()
    frame["customer_id"] = frame.customer_id.astype(str)
    frame["session_id"] = frame.session_id.astype(str)
    gap = frame.groupby("customer_id").timestamp.diff()
    new_session = frame.session_id != frame.groupby("customer_id").session_id.shift()
    later = gap.notna()
    assert (new_session[later] == (gap[later] > np.timedelta64(30, "m"))).all()


def test_ground_truth_holds_the_probabilities_used(tmp_path: Path) -> None:
    output = _simulate(tmp_path, "a", seed=4)
    truth = json.loads(output.with_name("events.truth.json").read_text(encoding="utf-8"))
    assert truth["seed"] == 4 and truth["customers"] == 3_000
    assert truth["events"] == pq.ParquetFile(output).metadata.num_rows
    buyer = truth["personas"][0]
    assert buyer["transitions"]["tp-proposal-pdf"] == {"tp-esignature": 0.8, "exit": 0.2}
    assert truth["touchpoints"]["tp-esignature"] == {"stage": "payment", "event": "tp-esignature"}


def test_journeys_stop_at_the_event_cap() -> None:
    text = LINEAR.read_text(encoding="utf-8").replace(
        "period_days: 30", "period_days: 30\nmax_events_per_customer: 3"
    )
    from journeymap.simulate.spec import parse_spec

    model = compile_model(parse_spec(text))
    chunk = next(iter_chunks(model, 2_000, seed=1))
    assert np.bincount(chunk.customer).max() == 3


def test_repeat_purchases_start_new_journeys() -> None:
    model = compile_model(load_shipped_spec("online-clothing-store"))
    chunk = next(iter_chunks(model, 20_000, seed=1))
    assert chunk.purchase.max() >= 2
    assert (chunk.timestamp[1:] > chunk.timestamp[:-1])[
        chunk.customer[1:] == chunk.customer[:-1]
    ].all()


def test_failed_run_leaves_no_file_behind(tmp_path: Path) -> None:
    output = tmp_path / "events.parquet"

    def stop(customers: int, events: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        simulate_to_parquet(
            load_spec(LINEAR),
            customers=3_000,
            seed=1,
            output=output,
            surveys=tmp_path / "surveys.csv",
            progress=stop,
            chunk_customers=1_000,
        )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("spec_id", ["online-clothing-store", "b2b-sales"])
def test_shipped_specs_simulate_readable_data(tmp_path: Path, spec_id: str) -> None:
    output = tmp_path / "events.parquet"
    report = simulate_to_parquet(load_shipped_spec(spec_id), customers=500, seed=1, output=output)
    assert report.events > 500
    assert read_events(output).table.count().to_pyarrow().as_py() == report.events
