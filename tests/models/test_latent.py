"""Interpolation maths: slerp keeps norms and hits its endpoints, curves pass through keys, loops close."""

from __future__ import annotations

import pytest
import torch

from ganstudio.models.latent import catmull_rom, ease, lerp, noise_loop, segment_path, slerp


def randn(*shape: int, seed: int = 0) -> torch.Tensor:
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)


def test_slerp_keeps_norm_and_hits_endpoints():
    a = randn(64, seed=1)
    b = randn(64, seed=2)
    b = b / b.norm() * a.norm()
    t = torch.linspace(0, 1, 11, dtype=torch.float64)
    path = slerp(a, b, t)
    assert torch.equal(path[0], a) and torch.equal(path[-1], b)
    assert torch.allclose(path.norm(dim=1), a.norm().expand(11), rtol=1e-9)
    # lerp cuts inside the sphere: the midpoint is shorter
    assert lerp(a, b, t)[5].norm() < 0.9 * a.norm()


def test_slerp_interpolates_unequal_norms_and_parallel_vectors():
    a = randn(8, seed=3)
    path = slerp(a, 3 * a, torch.tensor([0.0, 0.5, 1.0], dtype=torch.float64))
    assert torch.allclose(path[1], 2 * a)
    b = randn(8, seed=4) * 2
    mid = slerp(a, b, torch.tensor([0.5], dtype=torch.float64))[0]
    assert torch.isclose(mid.norm(), (a.norm() + b.norm()) / 2)


def test_ease_in_out_is_monotone_with_flat_ends():
    t = torch.linspace(0, 1, 101, dtype=torch.float64)
    e = ease(t, "ease-in-out")
    assert e[0] == 0 and torch.isclose(e[-1], torch.tensor(1.0, dtype=torch.float64))
    assert (e[1:] >= e[:-1]).all()
    assert e[1] < t[1] / 5  # slow start
    with pytest.raises(ValueError):
        ease(t, "bounce")


def test_catmull_rom_passes_through_its_middle_points():
    p = [randn(5, seed=s) for s in range(4)]
    out = catmull_rom(*p, torch.tensor([0.0, 1.0], dtype=torch.float64))
    assert torch.allclose(out[0], p[1]) and torch.allclose(out[1], p[2])


@pytest.mark.parametrize("interp", ["lerp", "slerp", "smooth"])
@pytest.mark.parametrize("easing", ["linear", "ease-in-out"])
def test_closed_path_loops_and_open_path_ends_on_last_key(interp, easing):
    keys = randn(4, 16, seed=7)
    frames = [5, 3, 4, 6]
    closed = segment_path(keys, frames, interp, easing, closed=True)
    assert len(closed) == sum(frames)
    starts = [0, 5, 8, 12]
    for i, s in enumerate(starts):
        assert torch.allclose(closed[s], keys[i])  # each segment starts on its keyframe
    # the frame after the last would be the first again: extending by one frame of the last segment lands on key 0
    again = segment_path(keys[[3, 0]], [6], interp, easing, closed=False)
    if interp != "smooth":
        assert torch.allclose(again[-1], closed[0])
    step_end = (closed[0] - closed[-1]).norm()
    step_mid = (closed[1] - closed[0]).norm()
    assert step_end < 4 * step_mid  # no jump at the seam
    opened = segment_path(keys, frames, interp, easing, closed=False)
    assert len(opened) == sum(frames[:3]) + 1
    assert torch.allclose(opened[-1], keys[-1])


def test_smooth_curve_has_no_kink_at_keyframes():
    keys = randn(5, 8, seed=9)

    def kink(path: torch.Tensor, i: int) -> float:
        """Change of velocity at frame i, relative to the speed there."""
        return ((path[i + 1] - path[i]) - (path[i] - path[i - 1])).norm().item() / (path[i] - path[i - 1]).norm().item()

    # finely sampled, a C1 curve's velocity change at a key vanishes; a corner's does not
    smooth = segment_path(keys, [400] * 5, "smooth", "linear", closed=True)
    lin = segment_path(keys, [400] * 5, "lerp", "linear", closed=True)
    assert kink(lin, 200) < 1e-9 and kink(lin, 400) > 0.5
    assert kink(smooth, 400) < 0.05 and kink(smooth, 800) < 0.05


def test_noise_loop_closes_and_has_the_asked_radius():
    c = randn(256, seed=11)
    path = noise_loop(c, 120, radius=0.5, speed=2, seed=3)
    assert path.shape == (120, 256)
    # the same periodic curve sampled at any rate: 60 frames are every other one of 120
    assert torch.allclose(noise_loop(c, 60, radius=0.5, speed=2, seed=3), path[::2])
    dev = path - c
    assert 0.4 < dev.std().item() < 0.6
    step = (path[1:] - path[:-1]).norm(dim=1)
    assert (path[0] - path[-1]).norm() < 2 * step.mean()  # seamless: the seam step is an ordinary step
    faster = noise_loop(c, 120, radius=0.5, speed=6, seed=3)
    assert (faster[1:] - faster[:-1]).norm(dim=1).mean() > 2 * step.mean()
    with pytest.raises(ValueError):
        noise_loop(c, 0, 0.5, 1, 0)
