"""Health rules on plain numbers (that nothing outside the window loads Qt: tests/core/test_qt_free.py)."""

from __future__ import annotations

import numpy as np

from ganstudio.train import health


def test_discriminator_winning_needs_a_long_stretch():
    assert health.d_winning([0.99] * 5, [0.01] * 5) is None
    hint = health.d_winning([0.5] * 10 + [0.99] * 20, [0.5] * 10 + [0.01] * 20)
    assert hint is not None and "lower discriminator learning rate" in hint.advice
    assert health.d_winning([0.7] * 30, [0.3] * 30) is None


def test_mode_collapse_from_metrics_only_once_under_way():
    assert health.mode_collapse(2, 8, progress=0.1) is None
    assert health.mode_collapse(2, 8, progress=0.5).title == "Suspected mode collapse"
    assert health.mode_collapse(7, 8, progress=0.9) is None


def test_identical_samples_have_no_diversity():
    rng = np.random.default_rng(0)
    tile = rng.integers(0, 256, (8, 8, 3), dtype=np.uint8)
    same = np.full((2 + 2 * 10, 2 + 2 * 10, 3), 24, np.uint8)
    varied = same.copy()
    for r in range(2):
        for c in range(2):
            same[2 + r * 10:10 + r * 10, 2 + c * 10:10 + c * 10] = tile
            varied[2 + r * 10:10 + r * 10, 2 + c * 10:10 + c * 10] = rng.integers(0, 256, (8, 8, 3))
    assert health.sample_diversity(same, 8) == 0.0
    assert health.sample_diversity(varied, 8) > 0.2
    assert health.low_diversity(0.0, progress=0.5) is not None
    assert health.low_diversity(0.0, progress=0.1) is None
