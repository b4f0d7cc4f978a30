"""Distances between feature clouds: known values, identical clouds, collapsed generators."""

from __future__ import annotations

import numpy as np
import pytest

from ganstudio.metrics.distances import frechet_distance, kernel_distance, precision_recall


@pytest.fixture
def rng():
    return np.random.default_rng(0)


def test_frechet_matches_the_closed_form_for_diagonal_gaussians(rng):
    a = rng.normal(0, 1, (20000, 4))
    b = rng.normal(0, 1, (20000, 4)) * np.array([1, 2, 1, 0.5]) + np.array([3, 0, 0, 0])
    expected = 9 + (2 - 1) ** 2 + (0.5 - 1) ** 2  # |Δμ|² + Σ(σa − σb)²
    assert frechet_distance(a, b) == pytest.approx(expected, rel=0.03)
    assert frechet_distance(a, a) == pytest.approx(0, abs=1e-6)


def test_kid_is_near_zero_for_one_distribution_and_grows_with_a_shift(rng):
    a, b = rng.normal(0, 1, (2000, 8)), rng.normal(0, 1, (2000, 8))
    same, std = kernel_distance(a, b, subsets=5, subset_size=500)
    shifted, _ = kernel_distance(a, b + 1.0, subsets=5, subset_size=500)
    assert abs(same) < 3 * std + 1e-3 and shifted > 10 * abs(same) and shifted > 0


def test_precision_recall_see_fidelity_and_diversity(rng):
    real = rng.normal(0, 1, (1500, 3))
    same = rng.normal(0, 1, (1500, 3))
    p, r = precision_recall(real, same)
    assert p > 0.8 and r > 0.8
    collapsed = rng.normal(0, 0.05, (1500, 3))  # every sample near the mode: faithful, not diverse
    p, r = precision_recall(real, collapsed)
    assert p > 0.7 and r < 0.2
    far = rng.normal(8, 1, (1500, 3))  # nothing like the data
    p, _ = precision_recall(real, far)
    assert p < 0.05
