"""What a training run reports: small frozen dataclasses of plain data.

No tensors, no Qt types: these cross from the training thread to the window, and from the
loop to the CLI's progress bar and `stats.jsonl`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Started:
    run_dir: str
    device: str
    data: str  # description of the data
    class_names: tuple[str, ...]
    start_step: int
    total_steps: int
    notes: tuple[str, ...] = ()  # skipped files and similar warnings
    precision: str = "fp32"  # the step's arithmetic: "fp32" or "bf16 mixed precision"
    precision_reason: str = ""  # why: "as asked", "measured 1.42× faster than fp32 on this CPU", …


@dataclass(frozen=True)
class StepStats:
    step: int
    total_steps: int
    values: dict[str, float]  # loss_g, loss_d, d_real, d_fake, grad_g, grad_d, img_per_s, lr_g, lr_d


@dataclass(frozen=True)
class Samples:
    """A grid of images from the fixed latent batch, uint8 (H, W, 3)."""

    step: int
    grid: np.ndarray


@dataclass(frozen=True)
class PointsView:
    """GAN Lab-style picture of a 2D run: points, D's surface and G's gradient field."""

    step: int
    real: np.ndarray  # (N, 2)
    fake: np.ndarray  # (M, 2)
    arrows: np.ndarray  # (M, 2): direction each fake point is pushed
    surface: np.ndarray  # (R, R): D's belief "real" in [0, 1] over `bounds`
    bounds: tuple[float, float, float, float]  # xmin, xmax, ymin, ymax


@dataclass(frozen=True)
class Metrics:
    step: int
    values: dict[str, float]  # modes, modes_total, hq_share for the 2D mixtures


@dataclass(frozen=True)
class CheckpointSaved:
    step: int
    path: str


@dataclass(frozen=True)
class Paused:
    step: int


@dataclass(frozen=True)
class Resumed:
    step: int


@dataclass(frozen=True)
class Finished:
    step: int
    checkpoint: str
    generator: str
    stopped: bool = False  # True when the user stopped it before the last step


@dataclass(frozen=True)
class Failed:
    step: int
    message: str
    hint: str = ""
    checkpoint: str = ""  # the last good checkpoint, kept
    # After a divergence: lower learning rates ({"lr_g": …, "lr_d": …}) to roll back to `checkpoint` with
    rollback: dict[str, float] = field(default_factory=dict)


Event = Started | StepStats | Samples | PointsView | Metrics | CheckpointSaved | Paused | Resumed | Finished | Failed

