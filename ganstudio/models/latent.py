"""Paths through latent space: lerp, slerp, a Catmull-Rom curve through keyframes, easing, noise loops.

Pure tensor maths on the CPU, no model: the walk module turns keyframes into one latent per
frame with these, then renders them. Everything here is deterministic, so a saved walk
replays to the same latents.
"""

from __future__ import annotations

import math

import torch

INTERPOLATIONS = ("lerp", "slerp", "smooth")
EASINGS = ("linear", "ease-in-out")


def ease(t: torch.Tensor, kind: str = "linear") -> torch.Tensor:
    """Map 0..1 to 0..1; 'ease-in-out' (cosine) slows down at each keyframe so it lingers there."""
    if kind == "linear":
        return t
    if kind == "ease-in-out":
        return 0.5 - 0.5 * torch.cos(math.pi * t)
    raise ValueError(f"unknown easing {kind!r}")


def lerp(a: torch.Tensor, b: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
    """(D,), (D,), (T,) → (T, D) on the straight line from a to b."""
    t = t[:, None]
    return a[None] * (1 - t) + b[None] * t


def slerp(a: torch.Tensor, b: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
    """(D,), (D,), (T,) → (T, D) along the great circle, with the norm interpolated linearly.

    Gaussian latents live near a sphere; a straight line cuts through its inside, where
    samples look washed out. Slerp of the directions keeps |z| (= |a| = |b| when they are
    equal) and hits a and b exactly at t = 0 and 1. Nearly parallel vectors fall back to lerp.
    """
    na, nb = a.norm(), b.norm()
    if na < 1e-12 or nb < 1e-12:
        return lerp(a, b, t)
    ua, ub = a / na, b / nb
    omega = torch.arccos((ua * ub).sum().clamp(-1.0, 1.0))
    so = torch.sin(omega)
    if so < 1e-6:
        return lerp(a, b, t)
    t2 = t[:, None]
    direction = (torch.sin((1 - t2) * omega) * ua[None] + torch.sin(t2 * omega) * ub[None]) / so
    out = direction * (na * (1 - t2) + nb * t2)
    out[t == 0] = a
    out[t == 1] = b
    return out


def catmull_rom(p0: torch.Tensor, p1: torch.Tensor, p2: torch.Tensor, p3: torch.Tensor,
                t: torch.Tensor) -> torch.Tensor:
    """Uniform Catmull-Rom segment from p1 (t=0) to p2 (t=1), (T,) → (T, D).

    The tangent at each keyframe is half the chord between its neighbours, so consecutive
    segments join with a continuous velocity: no visible jolt when the walk passes a keyframe.
    """
    t = t[:, None]
    t2, t3 = t * t, t * t * t
    return 0.5 * ((2 * p1)[None] + (p2 - p0)[None] * t + (2 * p0 - 5 * p1 + 4 * p2 - p3)[None] * t2
                  + (3 * p1 - p0 - 3 * p2 + p3)[None] * t3)


def segment_path(keys: torch.Tensor, frames: list[int], interp: str, easing: str, closed: bool) -> torch.Tensor:
    """Keyframes (K, D) and frames per segment → one vector per frame (N, D).

    Segment i runs from key i to key i+1 (the last wraps to key 0 when `closed`) and holds
    frames[i] frames, starting at key i. A closed path has sum(frames) frames and its next
    frame would be frame 0 again; an open path ends with one extra frame exactly on the last key.
    """
    if interp not in INTERPOLATIONS:
        raise ValueError(f"unknown interpolation {interp!r}")
    k = len(keys)
    segments = k if closed and k > 1 else k - 1
    if len(frames) < segments or any(f < 1 for f in frames[:segments]):
        raise ValueError("every segment needs at least one frame")
    parts = []
    for i in range(segments):
        t = ease(torch.arange(frames[i], dtype=torch.float64) / frames[i], easing)
        a, b = keys[i], keys[(i + 1) % k]
        if interp == "lerp":
            parts.append(lerp(a, b, t))
        elif interp == "slerp":
            parts.append(slerp(a, b, t))
        else:
            prev = keys[(i - 1) % k] if closed or i > 0 else a
            nxt = keys[(i + 2) % k] if closed or i + 2 < k else b
            parts.append(catmull_rom(prev, a, b, nxt, t))
    if not closed or k == 1:
        parts.append(keys[-1][None])
    return torch.cat(parts)


def noise_loop(center: torch.Tensor, n: int, radius: float, speed: int, seed: int, harmonics: int = 4) -> torch.Tensor:
    """A smooth random closed walk of n frames around `center` (D,) → (n, D).

    Each coordinate is a random Fourier series over frequencies speed … speed+harmonics-1
    (cycles per loop), weighted 1/k so the motion stays smooth, and scaled so its standard
    deviation is `radius`. Whole cycles only, so frame n would equal frame 0: a seamless loop.
    """
    if n < 1 or speed < 1 or harmonics < 1:
        raise ValueError("a noise loop needs n ≥ 1, speed ≥ 1 and harmonics ≥ 1")
    gen = torch.Generator().manual_seed(int(seed))
    d = center.shape[0]
    ks = torch.arange(speed, speed + harmonics, dtype=torch.float64)
    w = 1.0 / ks
    w = w / torch.sqrt((w * w).sum())
    a = torch.randn(harmonics, d, generator=gen, dtype=torch.float64) * w[:, None]
    b = torch.randn(harmonics, d, generator=gen, dtype=torch.float64) * w[:, None]
    phase = 2 * math.pi * torch.arange(n, dtype=torch.float64)[:, None] / n * ks[None]  # (n, H)
    wiggle = torch.cos(phase) @ a + torch.sin(phase) @ b  # (n, D), unit variance per coordinate
    return center.to(torch.float64)[None] + radius * wiggle
