"""Mode coverage for 2D mixtures: the figure that makes mode collapse visible as a number.

As in the VEEGAN and PacGAN papers: draw 2,500 samples; a sample is high quality when it lies
within three standard deviations of its nearest mode; a mode counts as captured when at
least 20 high-quality samples (a fifth of its fair share for 25 modes) land on it.
"""

from __future__ import annotations

import numpy as np

from ganstudio.data.source import Modes

N_EVAL = 2500
MIN_PER_MODE = 20


def mode_coverage(points: np.ndarray, modes: Modes, min_per_mode: int = MIN_PER_MODE) -> dict[str, float]:
    """{'modes': captured, 'modes_total': K, 'hq_share': share of high-quality samples}."""
    points = np.asarray(points, dtype=np.float64)
    finite = np.isfinite(points).all(1)
    d = np.linalg.norm(points[finite, None, :] - modes.centers[None], axis=2)  # (N, K)
    nearest = d.argmin(1)
    hq = d[np.arange(len(nearest)), nearest] <= 3 * modes.std
    counts = np.bincount(nearest[hq], minlength=len(modes.centers))
    return {
        "modes": float((counts >= min_per_mode).sum()),
        "modes_total": float(len(modes.centers)),
        "hq_share": float(hq.sum() / max(len(points), 1)),
    }
