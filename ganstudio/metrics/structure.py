"""Structure kept by a style: SSIM of the edge maps of a photo and its stylized copy.

A painting may change every colour and still keep the photo's drawing: its outlines, the horizon,
a face's features. So the two pictures are not compared themselves but through their edge
maps: the Sobel gradient magnitude of the luminance, each divided by its own 99th percentile
(clipped to 1), so a style that softens or strengthens all edges alike is not counted, only
edges moved, lost or invented. The maps are compared by SSIM (Wang et al. 2004) over 7×7
windows, the mean over the picture: 1 is the same drawing, about 0 an unrelated one. Numpy only.
"""

from __future__ import annotations

import numpy as np

LUMA = np.array([0.299, 0.587, 0.114], np.float32)
WINDOW = 7
C1, C2 = 0.01 ** 2, 0.03 ** 2  # SSIM's constants for a range of 1


def edge_map(rgb: np.ndarray) -> np.ndarray:
    """Sobel gradient magnitude of the luminance of an (H, W, 3) picture, scaled to [0, 1]."""
    y = np.pad(rgb[..., :3].astype(np.float32) @ LUMA, 1, mode="edge")
    gx = (y[:-2, 2:] + 2 * y[1:-1, 2:] + y[2:, 2:]) - (y[:-2, :-2] + 2 * y[1:-1, :-2] + y[2:, :-2])
    gy = (y[2:, :-2] + 2 * y[2:, 1:-1] + y[2:, 2:]) - (y[:-2, :-2] + 2 * y[:-2, 1:-1] + y[:-2, 2:])
    mag = np.hypot(gx, gy)
    return np.clip(mag / max(float(np.percentile(mag, 99)), 1e-6), 0.0, 1.0)


def _mean(x: np.ndarray) -> np.ndarray:
    """Mean over each full WINDOW × WINDOW window (valid part only)."""
    c = np.cumsum(np.cumsum(np.pad(x.astype(np.float64), ((1, 0), (1, 0))), 0), 1)
    k = WINDOW
    return (c[k:, k:] - c[:-k, k:] - c[k:, :-k] + c[:-k, :-k]) / (k * k)


def ssim(a: np.ndarray, b: np.ndarray) -> float:
    """Mean SSIM of two (H, W) maps in [0, 1]."""
    if a.shape != b.shape:
        raise ValueError(f"the maps differ in size: {a.shape} and {b.shape}")
    ma, mb = _mean(a), _mean(b)
    va, vb = _mean(a * a) - ma * ma, _mean(b * b) - mb * mb
    cov = _mean(a * b) - ma * mb
    s = ((2 * ma * mb + C1) * (2 * cov + C2)) / ((ma * ma + mb * mb + C1) * (va + vb + C2))
    return float(s.mean())


def structure_score(original: np.ndarray, stylized: np.ndarray) -> float:
    """SSIM of the edge maps of a photo and its stylized copy, the same size (see the module docstring)."""
    return ssim(edge_map(original), edge_map(stylized))
