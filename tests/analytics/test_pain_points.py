"""Pain point and success point candidates: drop-off, slow steps, loops, support, surveys."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from ibis.backends import BaseBackend
from insight_events import STAGE_ORDER, simulated_events
from path_logs import event_table, step

from journeymap.analytics.pain_points import pain_points, severity
from journeymap.data.engine import connect
from journeymap.data.events import Events

ORDER = ["look", "try", "buy"]


def walk(customer: str, *stages: str, minutes: float = 10) -> list[dict[str, Any]]:
    """One event per stage, ``minutes`` apart; the ``buy`` stage is the conversion event."""
    return [
        step(customer, n * minutes, "order" if s == "buy" else f"ev-{s}", f"tp-{s}", stage=s)
        for n, s in enumerate(stages)
    ]


def test_hand_computed_drop_off_against_the_median() -> None:
    # look: 10 enter, 9 go on (drop 0.1); try: 9 enter, 3 go on (drop 2/3); median of two = 0.383
    rows = [r for c in range(3) for r in walk(f"b{c}", "look", "try", "buy")]
    rows += [r for c in range(6) for r in walk(f"t{c}", "look", "try")]
    rows += walk("l0", "look")
    result = pain_points(
        event_table(connect(), rows), stage_order=ORDER, conversion=["order"], min_customers=1
    )
    drops = [p for p in result.pains if p.kind == "drop_off"]
    assert [p.step for p in drops] == ["try"]
    median = (0.1 + 6 / 9) / 2
    assert drops[0].figure == pytest.approx(6 / 9)
    assert drops[0].baseline == pytest.approx(median)
    assert drops[0].impact == pytest.approx(9 * (6 / 9 - median))
    assert drops[0].severity == 3  # 2.6 lost customers of 10


def test_repeated_support_contacts_lower_conversion(backend: BaseBackend) -> None:
    rows = [r for c in range(4) for r in walk(f"b{c}", "look", "try", "buy")]
    for c in range(2):  # two customers call support twice while trying, and never buy
        rows += walk(f"s{c}", "look", "try")
        rows += [step(f"s{c}", 30 + n, "support-call", "tp-hotline", stage="try") for n in range(2)]
    result = pain_points(
        event_table(backend, rows), stage_order=ORDER, conversion=["order"], min_customers=1
    )
    support = next(p for p in result.pains if p.kind == "support_contacts")
    assert (support.stage, support.customers) == ("try", 2)
    assert support.lost_conversion == pytest.approx(4 / 6)  # journey converts 4/6, they 0/2


def test_loops_and_slow_steps_are_found() -> None:
    rows: list[dict[str, Any]] = []
    for c in range(10):
        rows += walk(f"q{c}", "look", "try", "buy", minutes=10)
    for c in range(10):  # slow: a week from try to buy, after going back to look
        rows += [step(f"w{c}", 0, "ev-look", "tp-look", stage="look")]
        rows += [step(f"w{c}", 10, "ev-try", "tp-try", stage="try")]
        rows += [step(f"w{c}", 20, "ev-look", "tp-look", stage="look")]
        rows += [step(f"w{c}", 20 + 7 * 1440, "order", "tp-buy", stage="buy")]
    result = pain_points(
        event_table(connect(), rows), stage_order=ORDER, conversion=["order"], min_customers=1
    )
    kinds = {(p.kind, p.step) for p in result.pains}
    assert ("loop", "tp-look → tp-try → tp-look") in kinds
    slow = next(p for p in result.pains if p.kind == "slow_step")
    assert slow.step == "try" and slow.customers == 10


def test_survey_scores_give_low_and_high_satisfaction_points() -> None:
    rows = [r for c in range(4) for r in walk(f"b{c}", "look", "try", "buy")]
    scores = pd.DataFrame({"step": ["tp-look", "tp-try"], "csat": [0.3, 0.9], "responses": [5, 5]})
    result = pain_points(
        event_table(connect(), rows),
        stage_order=ORDER,
        conversion=["order"],
        surveys=scores,
        min_customers=1,
    )
    low = next(p for p in result.pains if p.kind == "low_satisfaction")
    assert (low.step, low.stage, low.figure) == ("tp-look", "look", 0.3)
    assert [s.step for s in result.successes if s.kind == "high_satisfaction"] == ["tp-try"]


def test_many_negative_comments_at_a_step_are_a_pain_point() -> None:
    rows = [r for c in range(4) for r in walk(f"b{c}", "look", "try", "buy")]
    scores = pd.DataFrame(
        {
            "step": ["tp-look", "tp-try", "tp-buy"],
            "csat": [0.7, 0.7, 0.7],  # satisfaction alone raises nothing
            "responses": [40, 40, 40],
            # look: 6 of 20 negative (30 %); try: 4 of 8 (too few); buy: 5 of 25 (20 %)
            "comments": [20, 8, 25],
            "negative_comments": [6, 4, 5],
            "example": ["The size chart is confusing", "x", "y"],
        }
    )
    result = pain_points(
        event_table(connect(), rows),
        stage_order=ORDER,
        conversion=["order"],
        surveys=scores,
        min_customers=1,
    )
    found = [p for p in result.pains if p.kind in ("negative_comments", "low_satisfaction")]
    assert [(p.kind, p.step, p.stage) for p in found] == [("negative_comments", "tp-look", "look")]
    pain = found[0]
    assert pain.figure == pytest.approx(0.3)
    assert pain.baseline == 0.25
    assert pain.quote == "The size chart is confusing"
    assert pain.summary == "6 of 20 comments at tp-look (30%) come with a low score"
    assert pain.customers == 4  # customers who reached tp-look


def test_negative_comment_thresholds_are_parameters() -> None:
    rows = [r for c in range(4) for r in walk(f"b{c}", "look", "try", "buy")]
    scores = pd.DataFrame({"step": ["tp-try"], "comments": [8], "negative_comments": [4]})
    result = pain_points(
        event_table(connect(), rows),
        stage_order=ORDER,
        conversion=["order"],
        surveys=scores,
        min_customers=1,
        min_negative_comments=4,
        negative_comment_share=0.5,
    )
    assert [(p.kind, p.step) for p in result.pains if p.kind == "negative_comments"] == [
        ("negative_comments", "tp-try")
    ]
    with pytest.raises(ValueError, match="'comments' and 'negative_comments' together"):
        pain_points(
            event_table(connect(), rows),
            stage_order=ORDER,
            conversion=["order"],
            surveys=pd.DataFrame({"step": ["tp-try"], "negative_comments": [4]}),
        )


def test_survey_scores_need_a_step_column() -> None:
    rows = walk("a", "look", "buy")
    with pytest.raises(ValueError, match="'step'"):
        pain_points(
            event_table(connect(), rows),
            stage_order=ORDER,
            conversion=["order"],
            surveys=pd.DataFrame({"touchpoint": ["x"], "csat": [0.5]}),
        )


def test_severity_thresholds_on_impact_share() -> None:
    assert severity(1000, 100, 0.5) == 3  # 50 lost = 5 %
    assert severity(1000, 100, 0.1) == 2  # 10 lost = 1 %
    assert severity(1000, 100, 0.05) == 1
    assert severity(1000, 200, None) == 2 and severity(1000, 199, None) == 1


@pytest.fixture(scope="module")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> Events:
    return simulated_events(tmp_path_factory.mktemp("pain"))


def test_simulated_stage_with_a_high_exit_rate_is_the_top_drop_off(simulated: Events) -> None:
    result = pain_points(simulated, stage_order=STAGE_ORDER)
    drops = [p for p in result.pains if p.kind == "drop_off"]
    assert drops[0].step == "first-contact"
    assert drops[0].figure == pytest.approx(0.7, abs=0.04)
    assert drops[0].severity == 3
    assert result.pains[0].kind == "drop_off"
    raising = {s.step for s in result.successes if s.kind == "conversion_lift"}
    assert "tp-roi-calculator" in raising
    slow = [p for p in result.pains if p.kind == "slow_step"]
    assert [p.step for p in slow] == ["proposal"]  # the spec's 10-day gap
    assert result.to_frame().shape[0] == len(result.pains) + len(result.successes)


def test_success_points_by_stage_are_placed_at_that_stage(simulated: Events) -> None:
    result = pain_points(simulated, stage_order=STAGE_ORDER, by="stage")
    lifts = [s for s in result.successes if s.kind == "conversion_lift"]
    assert lifts and all(s.stage == s.step for s in lifts)
