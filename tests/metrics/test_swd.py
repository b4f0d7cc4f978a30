"""Sliced Wasserstein distance on Laplacian-pyramid patches: pyramid, 1D distances, sensitivity."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from ganstudio.metrics.swd import _blur, _up, _wasserstein_1d, laplacian_pyramid, levels, swd


def blobs(n: int, size: int = 32, seed: int = 0) -> np.ndarray:
    """n images of random coloured rectangles with sharp edges on a gradient: (n, size, size, 3) uint8."""
    rng = np.random.default_rng(seed)
    ramp = np.linspace(0, 80, size)
    out = np.empty((n, size, size, 3))
    for i in range(n):
        img = np.broadcast_to(ramp[None, :, None] + rng.uniform(0, 60, 3), (size, size, 3)).copy()
        for _ in range(6):
            y, x = rng.integers(0, size - 4, 2)
            h, w = rng.integers(3, size // 2, 2)
            img[y:y + h, x:x + w] = rng.uniform(0, 255, 3)
        out[i] = img
    return out.clip(0, 255).astype(np.uint8)


def blurred(images: np.ndarray) -> np.ndarray:
    x = torch.from_numpy(images).permute(0, 3, 1, 2).float()
    return _blur(_blur(x)).round().clamp(0, 255).to(torch.uint8).permute(0, 2, 3, 1).numpy()


def test_levels_go_down_to_16_px():
    assert levels(64) == [64, 32, 16]
    assert levels(256) == [256, 128, 64, 32, 16]
    assert levels(28) == [28] and levels(16) == [16]


def test_the_pyramid_adds_back_up_to_the_image():
    x = torch.from_numpy(blobs(3, 32)).permute(0, 3, 1, 2).float()
    pyramid = laplacian_pyramid(x, 3)
    assert [p.shape[-1] for p in pyramid] == [32, 16, 8]
    rebuilt = pyramid[-1]
    for band in reversed(pyramid[:-1]):
        rebuilt = band + _up(rebuilt, band.shape[-2:])
    assert torch.allclose(rebuilt, x, atol=1e-3)
    assert pyramid[0].abs().mean() < x.abs().mean() / 4  # a band-pass level is mostly near 0


def test_1d_wasserstein_of_shifted_clouds_is_the_shift_for_equal_and_unequal_counts():
    rng = np.random.default_rng(0)
    a = rng.standard_normal((2, 4000))
    for m in (4000, 2500):
        b = rng.standard_normal((2, m)) + np.array([[0.5], [2.0]])
        assert _wasserstein_1d(a, b) == pytest.approx(1.25, abs=0.05)
    assert _wasserstein_1d(a, a[:, rng.permutation(4000)]) == 0.0
    # ∫|F_a − F_b| dx = 1/6 on [0, 1) + 2/3 on [1, 3)
    assert _wasserstein_1d(np.array([[0.0, 1.0]]), np.array([[0.0, 0.0, 3.0]])) == pytest.approx(5 / 6)


def test_swd_is_small_for_one_distribution_and_larger_for_blurred_or_noisy_copies():
    a, b = blobs(40, seed=1), blobs(40, seed=2)
    same = swd(a, b)
    noisy = np.clip(b + np.random.default_rng(3).normal(0, 25, b.shape), 0, 255).astype(np.uint8)
    soft, grain = swd(a, blurred(b)), swd(a, noisy)
    assert set(same) == {"32px", "16px", "mean"}
    assert soft["32px"] > 2.5 * same["32px"] and soft["mean"] > 1.4 * same["mean"]  # detail lost: the fine level
    assert grain["32px"] > 4 * same["32px"] and grain["mean"] > 2 * same["mean"]
    assert swd(a, a)["mean"] < same["mean"]  # the same images, other patches


def test_swd_is_deterministic_per_seed_and_refuses_mixed_sizes():
    a, b = blobs(20, seed=1), blobs(25, seed=2)
    assert swd(a, b, seed=4) == swd(a, b, seed=4)
    with pytest.raises(ValueError, match="different shapes"):
        swd(a, blobs(20, size=16))
