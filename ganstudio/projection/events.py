"""What a projection reports while it runs: plain data only (floats, strings, numpy arrays), so the
events cross from the window's worker thread to its GUI thread and print on the command line alike."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Started:
    space: str  # w, w+ or z
    total: int  # steps in all, the search included
    candidates: int
    notes: tuple[str, ...]  # what was skipped and why (no D in the file, z space reconstructs worse, …)
    target: np.ndarray  # (H, W, 3) uint8: the cropped photo as the model sees it


@dataclass(frozen=True)
class Step:
    step: int  # 1 … total
    total: int
    phase: str  # search | w | w+ | z
    loss: float  # the kept candidate's (the search: the best candidate's)
    parts: dict[str, float]  # pixels, ssim, features, pull, noise (weighted)


@dataclass(frozen=True)
class Preview:
    step: int
    image: np.ndarray  # (H, W, 3) uint8: the current latent's picture


@dataclass(frozen=True)
class Projection:
    """The best latent found: per-layer styles (StyleGAN) or a z (DCGAN), and what it draws."""

    space: str
    ws: np.ndarray | None  # (num_ws, w_dim) float32: StyleGAN (W: every row the same)
    z: np.ndarray | None  # (z_dim,) float32: DCGAN
    noise: tuple[np.ndarray, ...]  # StyleGAN: the optimised noise maps (res, res) float32; () when not optimised
    cls: int | None
    image: np.ndarray  # (H, W, 3) uint8
    target: np.ndarray
    loss: float
    steps: int  # steps run (the search included)
    stopped: bool  # stopped early: this is the best latent found until then
    notes: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Finished:
    result: Projection


Event = Started | Step | Preview | Finished
