"""How much a picture carries a regular 2 / 4 px lattice: the checkerboard of upsampling layers.

A generator that upsamples twice by stride-2 layers can leave a pattern repeating every 2 and 4
pixels. In the power spectrum that pattern is a set of sharp peaks at the frequencies whose
components are multiples of 1/4 cycle per pixel ((1/4, 0), (1/2, 1/2), …: 15 bins besides the
mean). `lattice_figure` measures how far those bins stand above their neighbourhood:

- the spectrum is Welch's estimate: the power of Hann-windowed n×n tiles (n = 256, or the
  largest multiple of 4 that fits), half overlapping, summed over the colour channels (a
  red / green speckle counts as much as a grey one) and averaged over tiles, so each bin is
  steady; with n a multiple of 4 every lattice frequency falls exactly on a bin;
- each lattice bin is compared with the median of the bins around it (a square of n/16 bins
  each side, the 5×5 around the bin left out because the window spreads a peak over them);
- the figure is the sum of the 15 lattice bins over the sum of their neighbourhoods' medians,
  each with the power that rounding to 8 bits alone puts in a bin (white noise of variance 1/12
  per channel) added, so a picture flat up there (a smooth gradient) reads 1, not 0 / 0.

A natural photo is not flat there either (JPEG's 8 px blocks, edges along the axes), so a
stylized picture is judged by `grid_score`: its figure over the figure of the photo it came from.
About 1 means no lattice of the network's own; a checkerboard of a few grey levels reads well
above 10. Numpy only: no torch, no Qt.
"""

from __future__ import annotations

import numpy as np

TILE = 256
MAX_TILES = 64  # evenly spread over a big photo: enough for a steady estimate


def _tile_size(height: int, width: int, tile: int) -> int:
    n = min(tile, height, width) // 4 * 4
    if n < 16:
        raise ValueError(f"a {width}×{height} picture is too small to measure a lattice (16 px at least)")
    return n


def _starts(length: int, n: int) -> np.ndarray:
    return np.unique(np.linspace(0, length - n, max(1, (length - n) // (n // 2) + 1)).astype(int))


def power_spectrum(image: np.ndarray, tile: int = TILE) -> tuple[np.ndarray, float]:
    """Welch's power spectrum (n, n) of an (H, W) or (H, W, C) picture, summed over channels, mean removed,
    and the power per bin of 8-bit rounding (the floor below which nothing is measured)."""
    x = image.astype(np.float32)
    if x.ndim == 2:
        x = x[..., None]
    n = _tile_size(x.shape[0], x.shape[1], tile)
    window = np.outer(np.hanning(n), np.hanning(n)).astype(np.float32)[..., None]
    boxes = [(y, x0) for y in _starts(x.shape[0], n) for x0 in _starts(x.shape[1], n)]
    if len(boxes) > MAX_TILES:
        boxes = [boxes[i] for i in np.linspace(0, len(boxes) - 1, MAX_TILES).astype(int)]
    total = np.zeros((n, n), np.float64)
    for y, x0 in boxes:
        t = x[y:y + n, x0:x0 + n]
        t = (t - t.mean(axis=(0, 1))) * window
        total += (np.abs(np.fft.fft2(t, axes=(0, 1))) ** 2).sum(-1)
    return total / len(boxes), float(x.shape[2] * (window ** 2).sum() / 12)


def lattice_bins(n: int) -> list[tuple[int, int]]:
    """The (ky, kx) bins of the 2 and 4 px periods in an n×n spectrum (n a multiple of 4), the mean left out."""
    ks = (0, n // 4, n // 2, 3 * n // 4)
    return [(ky, kx) for ky in ks for kx in ks if (ky, kx) != (0, 0)]


def lattice_figure(image: np.ndarray, tile: int = TILE) -> float:
    """The lattice bins' power over their neighbourhoods' (1 = no peak; see the module docstring)."""
    spec, floor = power_spectrum(image, tile)
    n = spec.shape[0]
    r = max(4, n // 16)
    offsets = np.arange(-r, r + 1)
    ring = np.ones((2 * r + 1, 2 * r + 1), bool)
    ring[r - 2:r + 3, r - 2:r + 3] = False  # the peak and the window's spread of it
    peaks, around = 0.0, 0.0
    for ky, kx in lattice_bins(n):
        block = spec[np.ix_((ky + offsets) % n, (kx + offsets) % n)]
        peaks += float(spec[ky, kx]) + floor
        around += float(np.median(block[ring])) + floor
    return peaks / around


def grid_score(output: np.ndarray, source: np.ndarray, tile: int = TILE) -> float:
    """The lattice figure of a stylized picture relative to the photo it was made from (≈ 1: none added)."""
    return lattice_figure(output, tile) / lattice_figure(source, tile)
