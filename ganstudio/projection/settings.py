"""What a projection does (`ProjectionSettings`) and how the CLI or the window steer it (`ProjectionControl`)."""

from __future__ import annotations

from dataclasses import dataclass

from ganstudio.core.control import PauseStop
from ganstudio.core.errors import UserError
from ganstudio.core.jobs import MAX_SEED

SPACES = ("w", "w+", "z")  # StyleGAN: one style for every layer, or one per layer; a DCGAN: its z
MAX_STEPS = 5000
MAX_RESTARTS = 16


@dataclass(frozen=True)
class ProjectionSettings:
    """Defaults tuned on monet-stylegan at 64 px (bench/projection_bench.py): well under 30 s on a 2-core CPU."""

    space: str = "w"
    steps: int = 150  # optimisation steps of the kept candidate (W+ spends the second half in W+)
    restarts: int = 4  # candidates tried at once: w_avg and mapped random seeds (z: 0 and random z)
    search_steps: int = 20  # steps every candidate gets before the best one is kept
    lr: float = 0.2  # Adam's peak rate (0.05 and 0.1 fit worse in 150 steps; 0.4 no better)
    pixel: float = 1.0  # L1 + L2 on the pyramid
    ssim: float = 2.0  # 1 − multi-scale SSIM (2 beat 1 on PSNR and SSIM; 3 helped photos, hurt paintings)
    features: float = 0.1  # the model's own D's activations (skipped when the file has no D)
    pull: float = 0.02  # toward w_avg (z: toward the Gaussian's shell), per unit of w's spread: 4× 0.005 cost nothing
    noise: bool = True  # optimise StyleGAN's noise maps (regularised as StyleGAN2's projector)
    noise_reg: float = 1e4
    w_noise: float = 0.05  # StyleGAN2's noise added to w early on (× w's spread), fading over ¾ of the run
    cls: int | None = None  # conditional models: the class; None tries every class and keeps the best
    seed: int = 0
    preview_every: int = 10  # a Preview event every N steps (and at the end)

    def validate(self) -> None:
        if self.space not in SPACES:
            raise UserError(f"unknown latent space '{self.space}'", "use w or w+ (StyleGAN), z (DCGAN)")
        if not 1 <= self.steps <= MAX_STEPS:
            raise UserError(f"{self.steps} steps is out of range", f"use 1–{MAX_STEPS}")
        if not 1 <= self.restarts <= MAX_RESTARTS:
            raise UserError(f"{self.restarts} restarts is out of range", f"use 1–{MAX_RESTARTS}")
        if not 0 <= self.search_steps <= MAX_STEPS:
            raise UserError(f"{self.search_steps} search steps is out of range", f"use 0–{MAX_STEPS}")
        if not 0 < self.lr <= 1:
            raise UserError(f"learning rate {self.lr} is out of range", "use a number above 0, at most 1")
        for name in ("pixel", "ssim", "features", "pull", "noise_reg", "w_noise"):
            if not 0 <= getattr(self, name) <= 1e6:
                raise UserError(f"the {name} weight {getattr(self, name)} is out of range", "use 0–1e6")
        if self.pixel + self.ssim + self.features == 0:
            raise UserError("every reconstruction loss is switched off", "give pixels, SSIM or features a weight")
        if not 0 <= self.seed <= MAX_SEED:
            raise UserError(f"seed {self.seed} is out of range", "use 0 or a positive whole number")
        if not 1 <= self.preview_every <= MAX_STEPS:
            raise UserError(f"a preview every {self.preview_every} steps is out of range", f"use 1–{MAX_STEPS}")


class ProjectionControl(PauseStop):
    """Pause, resume and stop, polled between steps; a stop keeps the best latent found so far."""
