"""Simulated surveys: score distributions, comments by sentiment, reasons from non-buyers."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from journeymap.simulate.generator import simulate_to_parquet
from journeymap.simulate.spec import load_shipped_spec, load_spec

LINEAR = Path(__file__).parent / "linear_spec.yaml"


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory) -> tuple[pd.DataFrame, pd.DataFrame]:
    folder = tmp_path_factory.mktemp("surveys")
    simulate_to_parquet(
        load_spec(LINEAR),
        customers=20_000,
        seed=9,
        output=folder / "events.parquet",
        surveys=folder / "surveys.csv",
    )
    events = pq.read_table(folder / "events.parquet").to_pandas()
    events["customer_id"] = events.customer_id.astype(str)
    return pd.read_csv(folder / "surveys.csv"), events


def test_csat_scores_follow_the_spec(answers: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    surveys, _ = answers
    csat = surveys[surveys.survey == "csat"].csat.astype(int)
    expected = [0.05, 0.1, 0.2, 0.4, 0.25]
    n = len(csat)
    for score, p in enumerate(expected, start=1):
        share = (csat == score).mean()
        assert abs(share - p) <= 4 * math.sqrt(p * (1 - p) / n), score


def test_csat_answers_come_at_the_configured_rate(
    answers: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    surveys, events = answers
    n = len(events)
    rate = (surveys.survey == "csat").sum() / n
    assert abs(rate - 0.2) <= 4 * math.sqrt(0.2 * 0.8 / n)


def test_comments_match_the_sentiment_of_the_score(
    answers: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    surveys, _ = answers
    commented = surveys[surveys.comment.notna()]
    assert set(commented.touchpoint) == {"tp-tailored-demo"}
    assert (commented[commented.comment.str.startswith("Great")].csat >= 4).all()
    assert (commented[commented.comment.str.contains("generic")].csat <= 2).all()


def test_abandon_reasons_come_only_from_customers_who_never_bought(
    answers: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    surveys, events = answers
    buyers = set(events.customer_id[events.revenue.notna()])
    exits = surveys[surveys.survey == "exit"]
    assert len(exits) > 100
    assert not set(exits.customer_id) & buyers
    assert set(exits.abandon_reason) == {"Went with another vendor"}


def test_nps_is_asked_once_per_customer_at_most(
    answers: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    surveys, _ = answers
    nps = surveys[surveys.survey == "nps"]
    assert nps.customer_id.is_unique
    assert nps.nps.between(0, 10).all()


def test_asking_for_surveys_does_not_change_the_events(tmp_path: Path) -> None:
    simulation = load_spec(LINEAR)
    simulate_to_parquet(simulation, customers=2_000, seed=4, output=tmp_path / "a.parquet")
    simulate_to_parquet(
        simulation,
        customers=2_000,
        seed=4,
        output=tmp_path / "b.parquet",
        surveys=tmp_path / "b.csv",
    )
    assert (tmp_path / "a.parquet").read_bytes() == (tmp_path / "b.parquet").read_bytes()


def test_comments_are_in_the_language_of_the_map(tmp_path: Path) -> None:
    simulation = load_shipped_spec("online-clothing-store", language="pl")
    pool = simulation.texts().comments
    english = load_shipped_spec("online-clothing-store").texts().comments
    assert pool.keys() == english.keys()
    assert pool["tp-parcel"].positive != english["tp-parcel"].positive
