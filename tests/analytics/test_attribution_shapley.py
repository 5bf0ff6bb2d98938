"""Shapley value attribution: two and three channels by hand, sampling beyond twelve channels."""

from __future__ import annotations

import numpy as np
import pytest

from journeymap.analytics.attribution import JourneyPaths, shapley_attribution


def credit_pairs(paths: JourneyPaths, **options: object) -> dict[str, tuple[float, float]]:
    result = shapley_attribution(paths, **options)  # type: ignore[arg-type]
    return {c.channel: (c.conversions, c.value) for c in result.credits}


def test_two_channels_by_hand() -> None:
    """Journeys by channel set: {A} 2 conversions (value 20), {B} 1 (10), {A, B} 3 (30).

    v(∅) = 0, v(A) = 2, v(B) = 1, v(AB) = 2 + 1 + 3 = 6.
    φ_A = 1/2 (v(A) - v(∅)) + 1/2 (v(AB) - v(B)) = 1/2 * 2 + 1/2 * 5 = 3.5
    φ_B = 1/2 (v(B) - v(∅)) + 1/2 (v(AB) - v(A)) = 1/2 * 1 + 1/2 * 4 = 2.5
    Value, the same game times 10: 35 and 25. Order and repeats do not matter (B > A > B).
    """
    paths = JourneyPaths.from_rows(
        [(("A",), 2, 20.0, 0), (("B",), 1, 10.0, 0), (("B", "A", "B"), 3, 30.0, 0)]
    )
    got = credit_pairs(paths)
    assert got["A"] == pytest.approx((3.5, 35.0))
    assert got["B"] == pytest.approx((2.5, 25.0))


def test_three_channels_by_hand() -> None:
    """{A} 1 conversion, {A, B} 2, {A, B, C} 3.

    v(A) = 1, v(B) = v(C) = v(BC) = 0, v(AB) = 3, v(AC) = 1, v(ABC) = 6.
    Weights |S|! (3 - |S| - 1)! / 3!: 1/3 for |S| = 0, 1/6 for |S| = 1, 1/3 for |S| = 2.
    φ_C = 1/3 (0 - 0) + 1/6 (v(AC) - v(A)) + 1/6 (v(BC) - v(B)) + 1/3 (v(ABC) - v(AB))
        = 0 + 0 + 0 + 1/3 * 3 = 1
    φ_B = 1/3 * 0 + 1/6 (v(AB) - v(A)) + 1/6 (v(BC) - v(C)) + 1/3 (v(ABC) - v(AC))
        = 1/6 * 2 + 0 + 1/3 * 5 = 2
    φ_A = v(ABC) - φ_B - φ_C = 3, i.e. each journey's conversions split over its channels.
    """
    paths = JourneyPaths.from_rows(
        [(("A",), 1, 0.0, 0), (("A", "B"), 2, 0.0, 0), (("C", "B", "A"), 3, 0.0, 0)]
    )
    got = credit_pairs(paths)
    assert [got[c][0] for c in "ABC"] == pytest.approx([3.0, 2.0, 1.0])


def test_conversion_rate_worth_counts_the_journeys_that_did_not_convert() -> None:
    """{A} 2 conversions of 4 journeys, {B} 1 of 4, {A, B} 3 of 4.

    v(A) = 2/4, v(B) = 1/4, v(AB) = 6/12 = 1/2.
    φ_A = 1/2 * 1/2 + 1/2 (1/2 - 1/4) = 3/8, φ_B = 1/2 * 1/4 + 1/2 (1/2 - 1/2) = 1/8.
    Scaled to the 6 conversions: A 6 * (3/8) / (1/2) = 4.5, B 1.5.
    """
    paths = JourneyPaths.from_rows(
        [(("A",), 2, 0.0, 2), (("B",), 1, 0.0, 3), (("A", "B"), 3, 0.0, 1)]
    )
    got = credit_pairs(paths, worth="conversion_rate")
    assert got["A"][0] == pytest.approx(4.5)
    assert got["B"][0] == pytest.approx(1.5)


def random_paths(channels: int, seed: int = 5) -> JourneyPaths:
    rng = np.random.default_rng(seed)
    names = [f"c{k:02d}" for k in range(channels)]
    rows = []
    for _ in range(300):
        path = tuple(rng.choice(names, size=int(rng.integers(1, 5))))
        rows.append((path, float(rng.integers(0, 4)), float(rng.integers(0, 100)), 1.0))
    return JourneyPaths.from_rows(rows)


def equal_split(paths: JourneyPaths) -> dict[str, float]:
    """The closed form of the conversions game: each journey's conversions split evenly."""
    share: dict[str, float] = {}
    for path, conversions in zip(paths.paths, paths.conversions, strict=True):
        for channel in set(path):
            share[channel] = share.get(channel, 0.0) + conversions / len(set(path))
    return share


def test_exact_computation_matches_the_closed_form_for_twelve_channels() -> None:
    paths = random_paths(12)
    result = shapley_attribution(paths)
    assert dict(result.parameters)["method"] == "exact"
    expected = equal_split(paths)
    for credit in result.credits:
        assert credit.conversions == pytest.approx(expected[credit.channel])


def test_beyond_twelve_channels_permutations_are_sampled_reproducibly() -> None:
    paths = random_paths(14)
    result = shapley_attribution(paths, samples=3000, seed=7)
    assert dict(result.parameters)["method"] == "sampled"
    expected = equal_split(paths)
    for credit in result.credits:
        assert credit.conversions == pytest.approx(expected[credit.channel], rel=0.15)
    assert sum(c.conversions for c in result.credits) == pytest.approx(paths.total_conversions)
    again = shapley_attribution(paths, samples=3000, seed=7)
    assert again.credits == result.credits


def test_unknown_worth_is_rejected() -> None:
    with pytest.raises(ValueError, match="worth must be one of"):
        shapley_attribution(random_paths(3), worth="revenue")  # type: ignore[arg-type]
