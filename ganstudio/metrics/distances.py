"""Distances between two clouds of feature vectors (real vs generated), in plain numpy.

- Fréchet distance (Heusel et al. 2017): the 2-Wasserstein distance between Gaussians fitted
  to each cloud. Biased upward for small N, so compare figures computed with the same N.
- Kernel distance, KID (Bińkowski et al. 2018): unbiased MMD² with the cubic polynomial kernel,
  averaged over random subsets; its expectation is 0 for identical distributions at any N.
- Precision / recall (Kynkäänniemi et al. 2019): each cloud's manifold is the union of balls
  reaching each point's k-th nearest neighbour; precision is the share of generated points
  inside the real manifold (fidelity), recall the share of real points inside the generated
  one (diversity).
"""

from __future__ import annotations

import numpy as np


def frechet_distance(a: np.ndarray, b: np.ndarray) -> float:
    """‖μa − μb‖² + Tr(Σa + Σb − 2 (Σa^½ Σb Σa^½)^½), via symmetric eigendecompositions.

    Both matrices are symmetric positive semi-definite, so `eigh` replaces the complex `sqrtm`.
    """
    mu_a, mu_b = a.mean(0), b.mean(0)
    cov_a, cov_b = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    w, v = np.linalg.eigh(cov_a)
    root_a = (v * np.sqrt(np.clip(w, 0, None))) @ v.T
    cross = np.linalg.eigvalsh(root_a @ cov_b @ root_a)
    trace_cross = np.sqrt(np.clip(cross, 0, None)).sum()
    value = float(((mu_a - mu_b) ** 2).sum() + np.trace(cov_a) + np.trace(cov_b) - 2 * trace_cross)
    return max(value, 0.0)


def kernel_distance(a: np.ndarray, b: np.ndarray, subsets: int = 10, subset_size: int = 1000,
                    seed: int = 0) -> tuple[float, float]:
    """(mean, std) of the unbiased MMD² over `subsets` random subsets of each cloud."""
    rng = np.random.default_rng(seed)
    m = min(subset_size, len(a), len(b))
    d = a.shape[1]
    values = []
    for _ in range(subsets):
        x = a[rng.choice(len(a), m, replace=False)]
        y = b[rng.choice(len(b), m, replace=False)]
        kxx = (x @ x.T / d + 1) ** 3
        kyy = (y @ y.T / d + 1) ** 3
        kxy = (x @ y.T / d + 1) ** 3
        off = m * (m - 1)
        values.append((kxx.sum() - np.trace(kxx)) / off + (kyy.sum() - np.trace(kyy)) / off - 2 * kxy.mean())
    return float(np.mean(values)), float(np.std(values))


def _pairwise_sq(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.maximum((x * x).sum(1)[:, None] + (y * y).sum(1)[None, :] - 2 * x @ y.T, 0)


def _knn_radii(x: np.ndarray, k: int, chunk: int = 1000) -> np.ndarray:
    """Squared distance from each point to its k-th nearest other point."""
    radii = np.empty(len(x))
    for i in range(0, len(x), chunk):
        d = _pairwise_sq(x[i:i + chunk], x)
        radii[i:i + chunk] = np.partition(d, k, axis=1)[:, k]  # index 0 is the point itself
    return radii


def _coverage(points: np.ndarray, centres: np.ndarray, radii: np.ndarray, chunk: int = 1000) -> float:
    """Share of `points` inside at least one ball (centre, radius)."""
    inside = 0
    for i in range(0, len(points), chunk):
        inside += (_pairwise_sq(points[i:i + chunk], centres) <= radii[None, :]).any(1).sum()
    return inside / len(points)


def precision_recall(real: np.ndarray, fake: np.ndarray, k: int = 3) -> tuple[float, float]:
    """(precision, recall) of `fake` against `real` with k-NN manifolds."""
    k = min(k, len(real) - 1, len(fake) - 1)
    precision = _coverage(fake, real, _knn_radii(real, k))
    recall = _coverage(real, fake, _knn_radii(fake, k))
    return float(precision), float(recall)
