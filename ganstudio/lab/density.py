"""Densities of point sets on the view's grid, and the KL and JS divergences between them.

Each density is a histogram over the grid smoothed by one cell (a small kernel density), with
a floor so that KL stays finite where one set has no points. Both are in nats; JS is at most ln 2.
"""

from __future__ import annotations

import numpy as np

GRID = 40  # cells per side
FLOOR = 1e-6  # added to every cell before normalising
_KERNEL = np.array([1.0, 2.0, 1.0]) / 4.0


def density(points: np.ndarray, bounds: tuple[float, float, float, float], grid: int = GRID) -> np.ndarray:
    """(grid, grid) probabilities summing to 1; rows are y, columns x. Points outside the view are dropped."""
    xmin, xmax, ymin, ymax = bounds
    pts = np.asarray(points, np.float64)
    pts = pts[np.isfinite(pts).all(1)]
    hist, _, _ = np.histogram2d(pts[:, 1], pts[:, 0], bins=grid, range=[[ymin, ymax], [xmin, xmax]])
    for axis in (0, 1):
        hist = np.apply_along_axis(lambda r: np.convolve(r, _KERNEL, mode="same"), axis, hist)
    total = hist.sum()
    hist = hist / total if total > 0 else np.full_like(hist, 1.0 / hist.size)
    hist = hist + FLOOR
    return hist / hist.sum()


def kl(p: np.ndarray, q: np.ndarray) -> float:
    """KL(p ‖ q) in nats."""
    return float(np.sum(p * np.log(p / q)))


def js(p: np.ndarray, q: np.ndarray) -> float:
    """Jensen–Shannon divergence in nats (0 … ln 2)."""
    m = (p + q) / 2
    return 0.5 * kl(p, m) + 0.5 * kl(q, m)


def divergences(real: np.ndarray, fake: np.ndarray, bounds: tuple[float, float, float, float]) -> dict[str, float]:
    """{'kl': KL(real ‖ generated), 'js': JS(real, generated)} on the view's grid."""
    p, q = density(real, bounds), density(fake, bounds)
    return {"kl": kl(p, q), "js": js(p, q)}
