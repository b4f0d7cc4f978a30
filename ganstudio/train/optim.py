"""The optimiser side every trainer shares: Adam (torch's fused kernel where the device has one)
and the learning-rate schedule."""

from __future__ import annotations

from collections.abc import Iterable

import torch

from ganstudio.core.config import TrainConfig


def adam(params: Iterable[torch.Tensor], lr: float, betas: tuple[float, float],
         device: torch.device) -> torch.optim.Adam:
    """One fused update per step instead of about ten small ops per weight tensor: on the CPU that is
    about 15 % of a step of the small MLP GAN (bench/RESULTS.md). MPS keeps the plain loop."""
    return torch.optim.Adam(params, lr=lr, betas=betas, fused=device.type in ("cpu", "cuda"))


def decay_factor(step: int, steps: int, share: float) -> float:
    """1 until the final `share` of `steps`, then linearly down to 0 at the last step."""
    decay_steps = round(steps * share)
    start = steps - decay_steps
    if decay_steps == 0 or step < start:
        return 1.0
    return max(0.0, 1.0 - (step - start) / decay_steps)


class LRSchedule:
    """The base learning rates of a trainer's optimisers, scaled by `decay_factor` at each step.

    A learning-rate change from the user sets the base, so a decay still reaches 0 on the last
    step. The base is saved with the checkpoint; the scaled value is derived from the step.
    """

    def __init__(self, optims: dict[str, torch.optim.Optimizer], base: dict[str, float], steps: int,
                 share: float) -> None:
        self.optims, self.base, self.steps, self.share = optims, dict(base), steps, share

    @classmethod
    def for_run(cls, cfg: TrainConfig, opt_g: torch.optim.Optimizer, opt_d: torch.optim.Optimizer) -> LRSchedule:
        """G's and D's optimisers on a run's rates, steps and `lr_decay`."""
        return cls({"lr_g": opt_g, "lr_d": opt_d}, {"lr_g": cfg.lr_g, "lr_d": cfg.lr_d}, cfg.steps, cfg.lr_decay)

    def apply(self, step: int) -> None:
        f = decay_factor(step, self.steps, self.share)
        for key, opt in self.optims.items():
            for group in opt.param_groups:
                group["lr"] = self.base[key] * f

    def set_base(self, step: int, **lrs: float | None) -> None:
        self.base.update({k: v for k, v in lrs.items() if v is not None})
        self.apply(step)

    def current(self) -> dict[str, float]:
        return {key: opt.param_groups[0]["lr"] for key, opt in self.optims.items()}
