"""The real points of a lab run: GAN Lab's shapes, the studio's toy sets, or a drawing.

A run trains on one fixed set of points (as GAN Lab does), so its densities, its coverage and
a saved run all refer to the same data.
"""

from __future__ import annotations

import math

import numpy as np
import torch

from ganstudio.core.errors import UserError
from ganstudio.data.source import Modes
from ganstudio.data.toy import toy_source

N_REAL = 2000
DRAWN_SPREAD = 0.08  # each drawn point becomes a small blob of this standard deviation
MIN_DRAWN = 3


def _gan_lab_shape(name: str, n: int, gen: torch.Generator) -> torch.Tensor:
    t = torch.rand(n, generator=gen)
    noise = torch.randn(n, 2, generator=gen)
    if name == "line":
        x = 3 * t - 1.5
        return torch.stack([x, 0.6 * x], 1) + 0.04 * noise
    if name == "ring":
        a = 2 * math.pi * t
        return 1.5 * torch.stack([a.cos(), a.sin()], 1) + 0.06 * noise
    if name == "gaussians":
        side = (torch.rand(n, generator=gen) < 0.5).float()[:, None] * 2 - 1
        return side * torch.tensor([1.2, -0.8]) + 0.3 * noise
    if name == "disjoint":
        upper = torch.rand(n, generator=gen) < 0.5
        a = math.pi * (0.15 + 0.7 * t)
        arc = 1.5 * torch.stack([a.cos(), a.sin()], 1)
        return torch.where(upper[:, None], arc, -arc) + 0.05 * noise
    raise UserError(f"unknown shape '{name}'")


def real_points(shape: str, seed: int, drawn: np.ndarray | None = None) -> tuple[np.ndarray, Modes | None]:
    """(N_REAL, 2) float32 points and, for the Gaussian mixtures, their modes."""
    gen = torch.Generator().manual_seed(seed + 7)
    if shape == "drawn":
        return drawn_points(drawn, gen), None
    if shape in ("ring", "gaussians", "line", "disjoint"):
        return _gan_lab_shape(shape, N_REAL, gen).numpy().astype(np.float32), None
    source = toy_source(shape, torch.device("cpu"))
    points, _ = source.batch(N_REAL, gen)
    return points.numpy().astype(np.float32), source.modes


def drawn_points(drawn: np.ndarray | None, gen: torch.Generator) -> np.ndarray:
    """Points spread around what was drawn, N_REAL in all."""
    if drawn is None or len(drawn) < MIN_DRAWN:
        raise UserError("draw a distribution first",
                        f"turn on Draw and drag over the view (at least {MIN_DRAWN} points)")
    pts = torch.as_tensor(np.asarray(drawn, np.float32))
    pts = pts[torch.isfinite(pts).all(1)]
    if len(pts) < MIN_DRAWN:
        raise UserError("the drawing has no usable points", "draw inside the view")
    idx = torch.randint(len(pts), (N_REAL,), generator=gen)
    return (pts[idx] + DRAWN_SPREAD * torch.randn(N_REAL, 2, generator=gen)).numpy()


def view_bounds(points: np.ndarray) -> tuple[float, float, float, float]:
    """A square around the data with a quarter of its size to spare: the view and the density grid."""
    lo, hi = points.min(0), points.max(0)
    centre = (lo + hi) / 2
    half = float((hi - lo).max()) * 0.625 + 0.1
    return (float(centre[0] - half), float(centre[0] + half), float(centre[1] - half), float(centre[1] + half))
