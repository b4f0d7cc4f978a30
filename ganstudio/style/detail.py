"""A picture painted at a working size, brought back to the photo's resolution with the photo's detail.

The method is a one-level Laplacian-pyramid detail transfer. The network painted a copy of the
photo shrunk to the working size; what it never saw is the photo's band of detail above that
size: its luminance minus the same luminance shrunk to the working size and enlarged again.
The painting is enlarged (bicubic) and that band is added to it, on the luminance only, so the
colours stay the style's.

How much of the band is added is decided per place, at the working size, by how the painting
follows the photo there: the slope of the painting's luminance on the photo's in a 5×5 window
(cov / (var + ε), the coefficient a of He et al.'s guided filter), clipped to [0, 1]. Where the
style kept an edge (a tree line, a face's outline) the slope is near 1 and the edge comes back
at full sharpness; where it painted something of its own (a sky turned into strokes) the slope
is near 0 and the brush strokes are left alone, not overlaid with the photo's grain.

Why not a guided filter alone: guided upsampling rebuilds the painting from local linear fits
to the photo, which smooths away the brush texture the network drew at the working size; the
pyramid keeps that texture exactly and only adds.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

LUMA = np.array([0.299, 0.587, 0.114], np.float32)  # ITU-R BT.601, on 0–255 values
GAIN_RADIUS = 2  # the gain's window at the working size: (2r + 1)² pixels
GAIN_EPS = 25.0  # (5 levels)²: where the photo varies less than this, little of its band is added
Size = tuple[int, int]  # (width, height), as Pillow has it


def luminance(rgb: np.ndarray) -> np.ndarray:
    return rgb[..., :3].astype(np.float32) @ LUMA


def resize_plane(plane: np.ndarray, size: Size, resample: Image.Resampling) -> np.ndarray:
    """A float32 (H, W) plane at `size`, through Pillow's "F" mode (no rounding to 8 bits)."""
    return np.array(Image.fromarray(np.ascontiguousarray(plane, np.float32), "F").resize(size, resample))


def shrink_photo(rgb: np.ndarray, size: Size) -> np.ndarray:
    """The photo at the working size: what the network paints."""
    return np.asarray(Image.fromarray(rgb).resize(size, Image.Resampling.LANCZOS))


def box_mean(x: np.ndarray, r: int) -> np.ndarray:
    """Mean over the (2r + 1)² window around each pixel, the window cut at the borders."""
    def along(a: np.ndarray, axis: int) -> np.ndarray:
        n = a.shape[axis]
        c = np.cumsum(a, axis=axis, dtype=np.float64)
        c = np.concatenate([np.zeros_like(np.take(c, [0], axis=axis)), c], axis=axis)
        hi, lo = np.minimum(np.arange(n) + r + 1, n), np.maximum(np.arange(n) - r, 0)
        shape = [1] * a.ndim
        shape[axis] = n
        return (np.take(c, hi, axis=axis) - np.take(c, lo, axis=axis)) / (hi - lo).reshape(shape)

    return along(along(x, 0), 1).astype(np.float32)


def detail_gain(painted_luma: np.ndarray, photo_luma: np.ndarray, r: int = GAIN_RADIUS,
                eps: float = GAIN_EPS) -> np.ndarray:
    """Slope of the painting on the photo, window by window, clipped to [0, 1] (see the module docstring)."""
    m_p, m_i = box_mean(painted_luma, r), box_mean(photo_luma, r)
    cov = box_mean(painted_luma * photo_luma, r) - m_p * m_i
    var = box_mean(photo_luma * photo_luma, r) - m_i * m_i
    return np.clip(cov / (np.maximum(var, 0) + eps), 0.0, 1.0)


def transfer_detail(photo: np.ndarray, painted: np.ndarray) -> np.ndarray:
    """(H, W, 3) uint8 photo and its painting at the working size → the painting at (H, W) with the photo's detail.

    A target no larger than the working size has no band to add: the painting is only resized."""
    height, width = photo.shape[:2]
    work = (painted.shape[1], painted.shape[0])
    if work[0] >= width and work[1] >= height:
        if work == (width, height):
            return painted
        return np.asarray(Image.fromarray(painted).resize((width, height), Image.Resampling.LANCZOS))
    band = luminance(photo)
    photo_low = resize_plane(band, work, Image.Resampling.LANCZOS)
    band -= resize_plane(photo_low, (width, height), Image.Resampling.BICUBIC)
    band *= resize_plane(detail_gain(luminance(painted), photo_low), (width, height), Image.Resampling.BILINEAR)
    out = np.empty((height, width, 3), np.uint8)
    for c in range(3):
        channel = resize_plane(painted[..., c].astype(np.float32), (width, height), Image.Resampling.BICUBIC)
        channel += band
        np.clip(channel + 0.5, 0, 255, out=channel)
        out[..., c] = channel
    return out
