"""CSAT, NPS and CES by hand, per group and period, and the emotion curve they give a map."""

from __future__ import annotations

import math
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from ibis.backends import BaseBackend

from journeymap.analytics.satisfaction import (
    ScoreCounts,
    emotion_curve_from_surveys,
    emotion_score,
    satisfaction,
    sentiment_index,
)
from journeymap.data.engine import connect, load_table
from journeymap.data.surveys import RESPONSE_COLUMNS, SurveyResponses
from journeymap.map.model import (
    Cell,
    EvidenceSource,
    ItemStatus,
    JourneyMap,
    Lane,
    LaneKind,
    Stage,
    TouchpointItem,
)

CSAT = [5, 4, 3, 2, 1, 5, 4, 4, 2, 5]  # 6 satisfied (4-5), 3 dissatisfied (1-2)
NPS = [10, 9, 8, 7, 6, 0, 10, 9, 9, 5]  # 5 promoters, 2 passives, 3 detractors: NPS +20
CES = [7, 6, 5, 4, 3, 1]  # mean 26/6, 3 easy (5-7), 2 hard (1-3)


def _responses(backend: BaseBackend, rows: list[dict[str, object]]) -> SurveyResponses:
    frame = pd.DataFrame(rows)
    for column in RESPONSE_COLUMNS:
        if column not in frame:
            frame[column] = None
    for column in ("csat", "nps", "ces"):
        frame[column] = frame[column].astype("Int32")
    for column in ("customer_id", "touchpoint", "stage", "comment", "abandon_reason"):
        frame[column] = frame[column].astype("string")
    frame["timestamp"] = pd.to_datetime(frame["timestamp"])
    return SurveyResponses(load_table(backend, frame), source="test")


def _hand_rows() -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for i, score in enumerate(CSAT):
        rows.append(_row(f"a{i}", "cart", "buy", datetime(2024, 1, 5), csat=score))
    for i, score in enumerate(NPS):
        rows.append(_row(f"b{i}", "cart", "buy", datetime(2024, 2, 5), nps=score))
    for i, score in enumerate(CES):
        rows.append(_row(f"c{i}", "checkout", "buy", datetime(2024, 2, 6), ces=score))
    return rows


def _row(
    customer: str, touchpoint: str, stage: str, when: datetime, **scores: int
) -> dict[str, object]:
    return {
        "customer_id": customer,
        "timestamp": when,
        "touchpoint": touchpoint,
        "stage": stage,
        **scores,
    }


def test_hand_computed_csat_nps_and_ces(backend: BaseBackend) -> None:
    result = satisfaction(_responses(backend, _hand_rows()), by=None)
    total = result.overall
    assert (total.csat_responses, total.csat_satisfied, total.csat_dissatisfied) == (10, 6, 3)
    assert total.csat == pytest.approx(60.0)
    assert (total.promoters, total.passives, total.detractors) == (5, 2, 3)
    assert total.nps == pytest.approx(20.0)
    assert total.ces_mean == pytest.approx(26 / 6)
    assert total.ces_easy_share == pytest.approx(50.0)
    assert total.ces_hard == 2
    assert total.last_date == date(2024, 2, 6)


def test_scores_per_touchpoint_keep_their_own_counts(backend: BaseBackend) -> None:
    result = satisfaction(_responses(backend, _hand_rows()), by="touchpoint")
    rows = {row.key: row.counts for row in result.rows}
    assert set(rows) == {("cart",), ("checkout",)}
    assert rows[("cart",)].csat == pytest.approx(60.0)
    assert rows[("cart",)].nps == pytest.approx(20.0)
    assert rows[("cart",)].ces_mean is None
    assert rows[("checkout",)].ces_responses == 6
    frame = result.to_frame()
    assert list(frame.touchpoint) == ["cart", "checkout"]


def test_scores_per_month_split_the_answers_by_date() -> None:
    result = satisfaction(_responses(connect(), _hand_rows()), by="stage", period="month")
    rows = {(row.key, row.period): row.counts for row in result.rows}
    assert rows[(("buy",), date(2024, 1, 1))].csat_responses == 10
    assert rows[(("buy",), date(2024, 2, 1))].nps_responses == 10
    assert rows[(("buy",), date(2024, 2, 1))].ces_responses == 6


def test_segments_table_adds_a_segment_to_group_by() -> None:
    backend = connect()
    segments = load_table(
        backend,
        pd.DataFrame(
            {"customer_id": [f"b{i}" for i in range(10)], "segment": ["1"] * 5 + ["2"] * 5}
        ),
    )
    result = satisfaction(_responses(backend, _hand_rows()), by="segment", segments=segments)
    rows = {row.key: row.counts for row in result.rows}
    # b0..b4 answered 10, 9, 8, 7, 6; b5..b9 answered 0, 10, 9, 9, 5
    assert (rows[("1",)].promoters, rows[("1",)].detractors) == (2, 1)
    assert (rows[("2",)].promoters, rows[("2",)].detractors) == (3, 2)
    assert rows[(None,)].csat_responses == 10


def test_unknown_group_column_is_named() -> None:
    with pytest.raises(ValueError, match="no 'persona' column"):
        satisfaction(_responses(connect(), _hand_rows()), by="persona")


@pytest.mark.parametrize(
    ("index", "score"),
    [(1.0, 2), (0.6, 2), (0.59, 1), (0.2, 1), (0.19, 0), (-0.2, -1), (-0.6, -2), (-1.0, -2)],
)
def test_emotion_score_bins(index: float, score: int) -> None:
    assert emotion_score(index) == score


def test_sentiment_index_weights_each_net_by_its_answers() -> None:
    counts = ScoreCounts(
        csat_responses=10, csat_satisfied=6, csat_dissatisfied=3, nps_responses=10,
        promoters=5, passives=2, detractors=3,
    )  # fmt: skip
    # CSAT net 3 of 10, NPS net 2 of 10: (3 + 2) / 20
    assert sentiment_index(counts) == pytest.approx(0.25)
    assert sentiment_index(ScoreCounts()) is None


def _map() -> JourneyMap:
    return JourneyMap(
        id="shop",
        title="Shop",
        stages=[
            Stage(id="discover", title="Discover"),
            Stage(id="buy", title="Buy"),
            Stage(id="use", title="Use"),
        ],
        lanes=[
            Lane(id="touchpoints", kind=LaneKind.TOUCHPOINTS, title="Touchpoints"),
            Lane(id="emotions", kind=LaneKind.EMOTIONS, title="Emotions"),
        ],
        cells=[
            Cell(
                lane="touchpoints",
                stage="buy",
                items=[
                    TouchpointItem(id="cart", text="Cart"),
                    TouchpointItem(id="tp-pay", text="Checkout"),
                ],
            )
        ],
    )


def test_emotion_curve_by_stage_is_suggested_with_survey_evidence() -> None:
    scores = satisfaction(_responses(connect(), _hand_rows()), by="stage")
    curve = emotion_curve_from_surveys(_map(), scores)
    assert [point.stage for point in curve] == ["buy"]
    point = curve[0]
    # CSAT net 3/10, NPS net 2/10, CES net (3 - 2)/6: (3 + 2 + 1) / 26
    assert point.index == pytest.approx(6 / 26)
    assert point.item.score == 1
    assert point.item.status is ItemStatus.SUGGESTED
    evidence = point.item.evidence[0]
    assert evidence.source is EvidenceSource.SURVEY
    assert evidence.sample_size == 26
    assert evidence.date == date(2024, 2, 6)
    assert "CSAT 60% satisfied of 10" in (evidence.summary or "")
    assert "NPS +20 of 10" in (evidence.summary or "")


def test_emotion_curve_by_touchpoint_places_answers_at_the_map_stage() -> None:
    scores = satisfaction(_responses(connect(), _hand_rows()), by="touchpoint")
    curve = emotion_curve_from_surveys(_map(), scores)
    assert [(p.stage, p.counts.csat_responses, p.counts.ces_responses) for p in curve] == [
        ("buy", 10, 6)
    ]


def test_touchpoints_match_by_text_and_stages_by_title() -> None:
    rows = [_row(f"x{i}", "checkout", "Discover", datetime(2024, 1, 1), csat=1) for i in range(10)]
    responses = _responses(connect(), rows)
    by_tp = emotion_curve_from_surveys(_map(), satisfaction(responses, by="touchpoint"))
    assert [(p.stage, p.item.score) for p in by_tp] == [("buy", -2)]
    by_stage = emotion_curve_from_surveys(_map(), satisfaction(responses, by="stage"))
    assert [(p.stage, p.item.score) for p in by_stage] == [("discover", -2)]


def test_stages_with_too_few_answers_get_no_emotion() -> None:
    rows = [_row(f"x{i}", "cart", "buy", datetime(2024, 1, 1), csat=5) for i in range(4)]
    scores = satisfaction(_responses(connect(), rows), by="stage")
    assert emotion_curve_from_surveys(_map(), scores) == []
    assert [p.item.score for p in emotion_curve_from_surveys(_map(), scores, min_responses=4)] == [
        2
    ]


def test_emotion_curve_needs_stage_or_touchpoint_scores() -> None:
    scores = satisfaction(_responses(connect(), _hand_rows()), by=None)
    with pytest.raises(ValueError, match="grouped by 'stage' or 'touchpoint'"):
        emotion_curve_from_surveys(_map(), scores)


def test_csat_of_simulated_surveys_matches_the_spec(tmp_path: Path) -> None:
    # tests/simulate/linear_spec.yaml answers CSAT 1-5 with 5%, 10%, 20%, 40%, 25%: 65% satisfied
    from journeymap.data.surveys import read_surveys
    from journeymap.simulate.generator import simulate_to_parquet
    from journeymap.simulate.spec import load_spec

    spec = Path(__file__).parents[1] / "simulate" / "linear_spec.yaml"
    simulate_to_parquet(
        load_spec(spec),
        customers=5_000,
        seed=3,
        output=tmp_path / "events.parquet",
        surveys=tmp_path / "surveys.csv",
    )
    overall = satisfaction(read_surveys(tmp_path / "surveys.csv"), by=None).overall
    n = overall.csat_responses
    assert n > 1_000
    assert abs(overall.csat_satisfied / n - 0.65) <= 4 * math.sqrt(0.65 * 0.35 / n)
    assert abs(overall.csat_dissatisfied / n - 0.15) <= 4 * math.sqrt(0.15 * 0.85 / n)
