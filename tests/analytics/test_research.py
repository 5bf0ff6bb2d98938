"""Research planning: the problem-discovery formula and survey sample sizes, checked by hand."""

from __future__ import annotations

import pytest

from journeymap.analytics.research import (
    participants_needed,
    plan_problem_discovery,
    share_found,
    survey_sample_size,
)


def test_five_users_find_about_85_percent_of_problems() -> None:
    """1 - (1 - 0.31)^5 = 1 - 0.69^5 = 1 - 0.15640 = 0.84360."""
    assert share_found(5) == pytest.approx(0.843596, abs=1e-6)
    assert share_found(0) == 0.0
    assert share_found(1, rate=0.5) == 0.5


def test_participants_needed_is_the_smallest_n_reaching_the_target() -> None:
    """0.69^5 = 0.156 > 0.15 so 85% needs 6; 0.69^4 = 0.227 <= 0.25 so 75% needs 4."""
    assert participants_needed(0.85) == 6
    assert participants_needed(0.75) == 4
    assert participants_needed(0.5, rate=0.5) == 1  # exactly reached at n = 1
    assert participants_needed(0.75, rate=0.5) == 2
    assert participants_needed(0.95, rate=0.1) == 29  # 0.9^28 = 0.0523, 0.9^29 = 0.0471


def test_plan_carries_the_curve_and_the_share_found() -> None:
    plan = plan_problem_discovery(0.85)
    assert plan.participants == 6
    assert plan.share_found >= 0.85
    frame = plan.to_frame()
    assert list(frame["participants"][:3]) == [1, 2, 3]
    assert frame["share_found"][0] == pytest.approx(0.31)
    assert len(frame) == 15
    assert plan.to_dict()["participants"] == 6
    assert len(plan.figure().data) == 1


def test_survey_sample_size_for_five_percent_at_95_percent() -> None:
    """z = 1.959964; n0 = 1.959964^2 * 0.25 / 0.0025 = 384.15 -> 385 responses."""
    size = survey_sample_size(0.05, 0.95)
    assert size.z == pytest.approx(1.959964, abs=1e-6)
    assert size.unadjusted == pytest.approx(384.146, abs=1e-3)
    assert size.responses == 385


def test_finite_population_correction() -> None:
    """N = 1000: 384.146 / (1 + 383.146 / 1000) = 277.7 -> 278 (the usual calculators' answer);
    99% and 3% margin: z = 2.5758, n0 = 1843.0;
    N = 5000: 1843.0 / (1 + 1842.0 / 5000) = 1346.8 -> 1347."""
    assert survey_sample_size(0.05, 0.95, population=1000).responses == 278
    assert survey_sample_size(0.03, 0.99, population=5000).responses == 1347
    assert survey_sample_size(0.05, 0.95, population=50).responses <= 50


def test_expected_proportion_lowers_the_size() -> None:
    """p = 0.1: 1.959964^2 * 0.09 / 0.0025 = 138.3 -> 139."""
    assert survey_sample_size(0.05, 0.95, proportion=0.1).responses == 139


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: share_found(3, rate=1.0), "rate must be between 0 and 1"),
        (lambda: participants_needed(1.0), "target must be between 0 and 1"),
        (lambda: survey_sample_size(0.0), "margin must be between 0 and 1"),
        (lambda: survey_sample_size(0.05, 95), "confidence must be between 0 and 1"),
        (lambda: survey_sample_size(0.05, population=0), "population must be at least 1"),
    ],
)
def test_out_of_range_inputs_are_rejected(call: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()  # type: ignore[operator]
