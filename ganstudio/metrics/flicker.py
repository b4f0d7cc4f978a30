"""Flicker of a stylized animation: how much it changes from frame to frame, against how much its source does.

A clip that pans changes from frame to frame by itself; a stylized copy of it should change by
about as much, not more. `flicker` is the mean absolute difference between consecutive frames
(0–255, over pixels and channels); `flicker_ratio` is the stylized clip's over the source's.
About 1 (or below: a painting has less fine detail to move) means nothing was added; per-frame
colour shifts (norm statistics that drift as the scene moves) read well above. Numpy only.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

import numpy as np


def flicker(frames: Sequence[np.ndarray]) -> float:
    """Mean |frame[t + 1] − frame[t]| over the clip (0 for a still or a single frame)."""
    if len(frames) < 2:
        return 0.0
    steps = [np.abs(b.astype(np.int16) - a.astype(np.int16)).mean() for a, b in pairwise(frames)]
    return float(np.mean(steps))


def flicker_ratio(stylized: Sequence[np.ndarray], source: Sequence[np.ndarray]) -> float:
    """The stylized clip's flicker over its source's."""
    return flicker(stylized) / max(flicker(source), 1e-6)
