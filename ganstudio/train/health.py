"""Plain-language health hints from a run's statistics, so a learner knows what the plots mean.

Pure functions over plain numbers (no Qt), so the rules are easy to test and to reason about.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

D_WINNING_WINDOW = 20  # statistics events (log_every steps apart) the pattern must last
COLLAPSE_SHARE = 0.5  # fewer than this share of modes captured
LOW_DIVERSITY = 0.03  # mean per-pixel spread across samples, as a share of the full range


@dataclass(frozen=True)
class Hint:
    level: str  # ok | warn | bad
    title: str
    advice: str


HEALTHY = Hint("ok", "Training looks healthy", "Both networks are still learning from each other.")


def d_winning(d_real: list[float], d_fake: list[float]) -> Hint | None:
    """D calls real data real and fakes fake with near certainty for a long stretch: G gets no signal."""
    if len(d_real) < D_WINNING_WINDOW:
        return None
    real = float(np.mean(d_real[-D_WINNING_WINDOW:]))
    fake = float(np.mean(d_fake[-D_WINNING_WINDOW:]))
    if real > 0.95 and fake < 0.05:
        return Hint("warn", "The discriminator is winning too easily",
                    f"D(x) ≈ {real:.2f} and D(G(z)) ≈ {fake:.2f}: the generator hardly learns from this. "
                    "Try a lower discriminator learning rate, the hinge or WGAN-GP loss, or spectral norm.")
    return None


def mode_collapse(modes: float, total: float, progress: float) -> Hint | None:
    """Too few modes of a toy mixture captured once the run is well under way."""
    if total <= 0 or progress < 0.3 or modes / total >= COLLAPSE_SHARE:
        return None
    return Hint("warn", "Suspected mode collapse",
                f"Only {modes:.0f} of {total:.0f} modes are captured: the generator keeps to a few places. "
                "Try the WGAN-GP loss, a lower learning rate, or a smaller batch.")


def sample_diversity(grid: np.ndarray, tile: int, pad: int = 2) -> float:
    """Mean per-pixel standard deviation across the tiles of a sample grid, in [0, 1]."""
    step = tile + pad
    rows, cols = (grid.shape[0] - pad) // step, (grid.shape[1] - pad) // step
    tiles = [grid[pad + r * step:pad + r * step + tile, pad + c * step:pad + c * step + tile]
             for r in range(rows) for c in range(cols)]
    if len(tiles) < 2:
        return 1.0
    stack = np.stack(tiles).astype(np.float32) / 255.0
    return float(stack.std(axis=0).mean())


def low_diversity(diversity: float, progress: float) -> Hint | None:
    if progress < 0.3 or diversity >= LOW_DIVERSITY:
        return None
    return Hint("warn", "Suspected mode collapse",
                "The samples from different latent vectors look almost the same. "
                "Try the WGAN-GP loss, a lower learning rate, or turn on spectral norm.")


def diverged(can_roll_back: bool) -> Hint:
    """What to do about a run that diverged (the banner has already said where and what became NaN)."""
    first = "Roll back continues from the last good checkpoint with half the learning rates; or " if can_roll_back \
        else "Start again with lower learning rates, "
    return Hint("bad", "Training diverged", f"{first}try the hinge or WGAN-GP loss, or enable spectral norm.")
