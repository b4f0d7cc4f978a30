"""Mixed precision for training: bf16 autocast where its quality is known to hold and it measured
faster on this machine, fp32 everywhere else.

Weights, optimiser state and the saved files stay fp32; only the convolutions and matrix products
inside a step run in bf16. bf16 keeps fp32's exponent range, so no loss scaling is needed and a
NaN guard sees the same failures as in fp32.

`precision auto` first asks the table below whether bf16 trains a family as well as fp32 does; for
those that do, it times a few steps of the run's own model and batch in each precision, on a copy
of the trainer (the run's networks, optimisers and data stream are untouched), and keeps the faster.
The verdict is cached per machine, device, family and shape (`core.tuning`), so only the first run
pays the seconds. `--precision fp32 | bf16` overrides it.
"""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Callable
from typing import TYPE_CHECKING

import torch

from ganstudio.core import tuning
from ganstudio.models.precision import autocast, dtype_of, measured_bf16

if TYPE_CHECKING:
    from ganstudio.train.trainer import Trainer

__all__ = ["TRAINING_BF16", "autocast", "choose", "compute_dtype", "label"]

# Per architecture: whether bf16 training is known to give fp32's quality, and the evidence or the gap.
TRAINING_BF16: dict[str, tuple[bool, str]] = {
    "dcgan": (True, "the conditional DCGAN trained in bf16 and in fp32 with one seed and recipe gives the same "
                    "figures (docs/models.md); the unconditional one has the same layers"),
    "cdcgan": (True, "fashion-cdcgan's bf16 run matched its fp32 run figure for figure (docs/models.md)"),
    "cyclegan": (True, "the quick preset trained 600 steps in bf16 and fp32 with one seed gives the same cycle error, "
                       "losses and style distances (bench/RESULTS.md)"),
    "mlp": (False, "2D points need fp32's resolution to sit inside a mode, and tiny layers gain nothing"),
    "stylegan": (False, "StyleGAN's bf16 quality has not been measured"),
}
PROBE_ROUNDS = 3  # timed steps per precision, after one warm-up step each


def compute_dtype(precision: str, arch: str, device: torch.device) -> torch.dtype | None:
    """A trainer's starting precision: bf16 when asked for, else fp32 (the loop settles 'auto' by measuring)."""
    return torch.bfloat16 if precision == "bf16" else None


def label(dtype: torch.dtype | None) -> str:
    """What the status line and the CLI say about a run's arithmetic."""
    return "bf16 mixed precision" if dtype == torch.bfloat16 else "fp32"


def _probe(trainer: Trainer) -> Callable[[str], None]:
    """One step of a copy of `trainer` in "fp32" or "bf16": the same model and batch, its own data stream.
    The data source is shared, not copied (it is only read)."""
    twins: list[Trainer] = []  # made on the first step: a cached verdict copies nothing
    gen = torch.Generator().manual_seed(0)
    device = trainer.device

    def step(choice: str) -> None:
        if not twins:
            twins.append(copy.deepcopy(trainer, memo={id(trainer.source): trainer.source}))
        twins[0].amp = dtype_of(choice)
        twins[0].step(gen)
        if device.type == "cuda":
            torch.cuda.synchronize(device)

    return step


def choose(trainer: Trainer, requested: str, can_measure: bool = True,
           timer: tuning.Timer | None = None) -> tuple[torch.dtype | None, str]:
    """The run's compute dtype and why, for the status line ("measured 1.42× faster than fp32 on this CPU")."""
    if requested in ("fp32", "bf16"):
        return dtype_of(requested), "as asked"
    cfg = trainer.cfg
    allowed, why = TRAINING_BF16.get(cfg.model.arch, (False, "bf16 training quality is not known for this model"))
    if not allowed:
        return None, why
    m = cfg.model
    what = f"train {m.arch} {m.img_size}px {m.base_ch}ch batch {cfg.batch} loss {cfg.loss}"
    rng = torch.random.fork_rng(devices=[trainer.device] if trainer.device.type == "cuda" else [])
    with rng if can_measure else contextlib.nullcontext():  # the probe must not move the run's global RNG
        verdict = measured_bf16(trainer.device, what, _probe(trainer) if can_measure and tuning.enabled() else None,
                                timer)
    return dtype_of(verdict.choice), verdict.reason
