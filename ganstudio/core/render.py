"""Turning model outputs into pictures: image grids and 2D scatter plots as uint8 arrays.

Saving them is `ganstudio.export.png.save_png`, the one PNG writer with provenance.
"""

from __future__ import annotations

import math

import numpy as np
from PIL import Image, ImageDraw


def image_grid(images: np.ndarray, cols: int | None = None, pad: int = 2) -> np.ndarray:
    """(N, H, W, 3) uint8 → one (rows·H, cols·W, 3) grid with `pad` px dark gutters."""
    n, h, w, c = images.shape
    cols = cols or math.ceil(math.sqrt(n))
    rows = math.ceil(n / cols)
    grid = np.full((rows * (h + pad) + pad, cols * (w + pad) + pad, c), 24, np.uint8)
    for i, img in enumerate(images):
        r, q = divmod(i, cols)
        grid[pad + r * (h + pad):pad + r * (h + pad) + h, pad + q * (w + pad):pad + q * (w + pad) + w] = img
    return grid


def scatter(points: np.ndarray, size: int = 512, reference: np.ndarray | None = None) -> np.ndarray:
    """2D points (and optional reference points in grey) drawn on a white square."""
    allpts = points if reference is None else np.concatenate([points, reference])
    lo, hi = np.nanmin(allpts, 0), np.nanmax(allpts, 0)
    span = float((hi - lo).max()) * 1.1 + 1e-6
    centre = (lo + hi) / 2

    def to_px(p: np.ndarray) -> np.ndarray:
        return ((p - centre) / span + 0.5) * size

    img = Image.new("RGB", (size, size), "white")
    draw = ImageDraw.Draw(img)
    for pts, colour in ((reference, (170, 170, 170)), (points, (220, 90, 30))):
        if pts is None:
            continue
        for x, y in to_px(pts[np.isfinite(pts).all(1)]):
            draw.ellipse((x - 1.5, size - y - 1.5, x + 1.5, size - y + 1.5), fill=colour)
    return np.asarray(img)
