"""One adversarial training step for the MLP GAN, DCGAN and conditional DCGAN.

`GANTrainer` owns the networks and optimisers of one run and knows how to take a step, draw
the fixed-latent preview and save / restore itself. It knows nothing about the loop, the
events or who is watching.
"""

from __future__ import annotations

import copy
from functools import partial
from typing import ClassVar

import numpy as np
import torch
from torch import nn

from ganstudio.core.config import TrainConfig, replace, to_dict
from ganstudio.core.render import image_grid
from ganstudio.data import build_source
from ganstudio.data.coverage import N_EVAL, mode_coverage
from ganstudio.data.source import DataSource
from ganstudio.modelfiles.generator import generator_meta, to_uint8
from ganstudio.models import build_discriminator, build_generator, losses
from ganstudio.models.mlp import MLPGenerator, place_codes
from ganstudio.train import distributed, precision
from ganstudio.train.optim import LRSchedule, adam
from ganstudio.train.trainer import StatPanel

SURFACE_RES = 48  # cells per side of the 2D decision-surface heat map


def _grad_norm(net: nn.Module) -> torch.Tensor:
    norms = [p.grad.detach().norm() for p in net.parameters() if p.grad is not None]
    return torch.stack(norms).norm() if norms else torch.zeros(())


D_PANEL = "D(x) real · D(G(z)) fake"


def ema_decay(half_life: float, rampup: float, batch: int, updates: int) -> float:
    """The share of the average kept at generator update `updates` (0-based), StyleGAN2-style.

    The half-life is in images, so it means the same at every batch size; for the first images
    it is at most `rampup` times the images seen so far, so the average follows G early on.
    """
    seen = (updates + 1) * batch
    effective = min(half_life, seen * rampup) if rampup > 0 else half_life
    return 0.5 ** (batch / max(effective, 1e-8))


@torch.no_grad()
def average_into(average: nn.Module, net: nn.Module, decay: float) -> None:
    """Move `average`'s weights toward `net`'s, keeping `decay` of themselves; buffers are copied."""
    for pe, p in zip(average.parameters(), net.parameters(), strict=True):
        pe.lerp_(p, 1 - decay)
    for be, bb in zip(average.buffers(), net.buffers(), strict=True):
        be.copy_(bb)


def class_rows_grid(images: np.ndarray, k: int) -> np.ndarray:
    """Samples drawn with labels cycling through `k` classes as one grid, one row per class (k = 0: any order)."""
    if not k:
        return image_grid(images)
    order = np.argsort(np.arange(len(images)) % k, kind="stable")
    per_class = len(images) // k
    return image_grid(images[order][: per_class * k], cols=per_class)


class GANTrainer:
    """Networks, optimisers and the step of an unconditional or conditional GAN."""

    STATS: ClassVar[tuple[StatPanel, ...]] = (
        ("loss_g", "Loss"), ("loss_d", "Loss"), ("d_real", D_PANEL), ("d_fake", D_PANEL),
        ("grad_g", "Gradient norm"), ("grad_d", "Gradient norm"))

    def __init__(self, cfg: TrainConfig, source: DataSource, device: torch.device) -> None:
        m = cfg.model
        if source.class_names and m.arch == "cdcgan" and m.num_classes != len(source.class_names):
            m = replace(m, num_classes=len(source.class_names))
        self.cfg = replace(cfg, model=m)
        self.source = source
        self.device = device
        self.amp = precision.compute_dtype(cfg.precision, m.arch, device)
        # channels-last (4-D weights only): oneDNN's convolutions skip their layout reorders, ×1.06–1.18 a
        # DCGAN step in bf16 and ×1.13 in fp32 (bench/dcgan_step.py)
        cl = torch.channels_last
        self.G = build_generator(m).to(device).to(memory_format=cl)
        if m.arch == "mlp" and m.latent_codes:
            self._place_codes(torch.Generator().manual_seed(cfg.seed + 2))
        self.D = build_discriminator(m, batchnorm=cfg.loss != "wgan-gp").to(device).to(memory_format=cl)
        self.G_ema = copy.deepcopy(self.G).eval().requires_grad_(False) if cfg.ema else None
        # the training passes: DDP under torchrun, the networks themselves in one process (train/distributed.py)
        self.G_step, self.D_step = distributed.wrap(self.G), distributed.wrap(self.D)
        betas = (0.0, 0.9) if cfg.loss == "wgan-gp" and cfg.beta1 == 0.5 else (cfg.beta1, cfg.beta2)
        self.opt_g = adam(self.G.parameters(), cfg.lr_g, betas, device)
        self.opt_d = adam(self.D.parameters(), cfg.lr_d, betas, device)
        self.schedule = LRSchedule.for_run(cfg, self.opt_g, self.opt_d)
        self.g_updates = 0  # generator updates so far: the step count for the EMA ramp and the schedule
        fixed = torch.Generator().manual_seed(cfg.seed + 1)
        n = cfg.n_samples if m.arch != "mlp" else 512
        self.fixed_z = torch.randn(n, m.z_dim, generator=fixed).to(device)
        k = m.num_classes if m.arch == "cdcgan" else 0
        self.fixed_y = (torch.arange(n) % k).to(device) if k else None
        self.class_names = source.class_names

    @classmethod
    def for_run(cls, cfg: TrainConfig, device: torch.device) -> GANTrainer:
        return cls(cfg, build_source(cfg, device), device)

    def _place_codes(self, gen: torch.Generator) -> None:
        g = self.G
        assert isinstance(g, MLPGenerator)
        points, _ = self.source.batch(4096, gen)
        place_codes(g, points, gen)

    # -- training -------------------------------------------------------------------------
    def _z(self, n: int, gen: torch.Generator) -> torch.Tensor:
        return torch.randn(n, self.cfg.model.z_dim, generator=gen, device=gen.device).to(self.device)

    def _fake_labels(self, n: int, gen: torch.Generator) -> torch.Tensor | None:
        k = self.cfg.model.num_classes if self.cfg.model.arch == "cdcgan" else 0
        return torch.randint(k, (n,), generator=gen, device=gen.device).to(self.device) if k else None

    def _critic(self, x: torch.Tensor, y: torch.Tensor | None) -> torch.Tensor:
        """D's fp32 output, as the gradient penalty differentiates it."""
        return self.D(x, y).float()

    def _autocast(self):
        return precision.autocast(self.device, self.amp)

    def step(self, gen: torch.Generator) -> dict[str, torch.Tensor]:
        """n_critic discriminator updates, then one generator update.

        Statistics come back as 0-dim tensors so the loop only synchronises with the device
        when it logs. The last critic update's fake batch is generated with autograd on and reused for the
        generator update, so each step runs G forward once per critic update, not once more.

        Under DDP, D's update runs through its wrapper, which syncs its gradients (the gradient penalty's
        pass uses D itself: its gradients reach the same parameters in the same backward, so they are synced
        too); G's update runs D itself, whose frozen weights have no gradients to sync. `b` is this process's
        share of the batch.
        """
        cfg, b = self.cfg, distributed.share(self.cfg.batch)
        self.schedule.apply(self.g_updates)
        self.D.requires_grad_(True)
        for i in range(cfg.n_critic):
            last = i == cfg.n_critic - 1
            real, y_real = self.source.batch(b, gen)
            y_fake = self._fake_labels(b, gen)
            with torch.set_grad_enabled(last), self._autocast():
                fake = self.G_step(self._z(b, gen), y_fake)
            with self._autocast():
                d_real = self.D_step(real, y_real).float()
                d_fake = self.D_step(fake.detach(), y_fake).float()
                loss_d = losses.d_loss(cfg.loss, d_real, d_fake)
                if cfg.loss == "wgan-gp":
                    gp = losses.gradient_penalty(partial(self._critic, y=y_real), real, fake.detach(), gen)
                    loss_d = loss_d + cfg.gp_weight * gp
            self.opt_d.zero_grad(set_to_none=True)
            loss_d.backward()
            grad_d = _grad_norm(self.D)
            self.opt_d.step()

        # D's weights are constants for the G update: skip computing their gradients.
        self.D.requires_grad_(False)
        with self._autocast():
            loss_g = losses.g_loss(cfg.loss, self.D(fake, y_fake).float())
        self.opt_g.zero_grad(set_to_none=True)
        loss_g.backward()
        grad_g = _grad_norm(self.G)
        self.opt_g.step()
        self.g_updates += 1
        if self.G_ema is not None:
            self._update_ema()
        return {
            "loss_g": loss_g.detach(), "loss_d": loss_d.detach(),
            "d_real": losses.d_probability(cfg.loss, d_real.detach()),
            "d_fake": losses.d_probability(cfg.loss, d_fake.detach()),
            "grad_g": grad_g, "grad_d": grad_d,
        }

    @torch.no_grad()
    def _update_ema(self) -> None:
        """Average G's weights with a half-life in images, ramped up over the start of the run.

        Without the ramp a long average still mostly holds the random initial weights after a
        thousand steps, so a short run's samples would look like noise. The count is kept in
        Python (reading Adam's step counter would wait for the GPU every step) and taken from
        Adam's counter on resume.
        """
        assert self.G_ema is not None
        average_into(self.G_ema, self.G,
                     ema_decay(self.cfg.ema_half_life, self.cfg.ema_rampup, self.cfg.batch, self.g_updates))

    def set_lr(self, lr_g: float | None = None, lr_d: float | None = None) -> None:
        """New base learning rates; a decay still scales them."""
        self.schedule.set_base(self.g_updates, lr_g=lr_g, lr_d=lr_d)

    def lrs(self) -> dict[str, float]:
        return self.schedule.current()

    @property
    def sampler(self) -> nn.Module:
        return self.G_ema if self.G_ema is not None else self.G

    # -- previews -------------------------------------------------------------------------
    @torch.no_grad()
    def sample_grid(self) -> np.ndarray:
        """The fixed latent batch as one uint8 grid; one row per class for conditional runs."""
        g = self.sampler
        was_training = g.training
        g.eval()
        images = to_uint8(g(self.fixed_z, self.fixed_y))
        g.train(was_training)
        return class_rows_grid(images, self.cfg.model.num_classes if self.cfg.model.arch == "cdcgan" else 0)

    def points_view(self, gen: torch.Generator, bounds: tuple[float, float, float, float]) -> dict:
        """Real and fake points, D's surface, and the direction G pushes each fake point."""
        real, _ = self.source.batch(512, gen)
        fake = self.G(self.fixed_z).detach().requires_grad_(True)
        out = self.D(fake)
        (push,) = torch.autograd.grad(-losses.g_loss(self.cfg.loss, out), fake)
        xmin, xmax, ymin, ymax = bounds
        xs = torch.linspace(xmin, xmax, SURFACE_RES, device=self.device)
        ys = torch.linspace(ymin, ymax, SURFACE_RES, device=self.device)
        grid = torch.stack(torch.meshgrid(ys, xs, indexing="ij")[::-1], -1).reshape(-1, 2)  # (R², 2) as (x, y)
        with torch.no_grad():
            surface = self.D(grid)
            surface = torch.sigmoid(surface) if self.cfg.loss == "bce" else torch.sigmoid(surface - surface.mean())
        return {
            "real": real.cpu().numpy(), "fake": fake.detach().cpu().numpy(), "arrows": push.cpu().numpy(),
            "surface": surface.reshape(SURFACE_RES, SURFACE_RES).cpu().numpy(), "bounds": bounds,
        }

    @torch.no_grad()
    def coverage(self, gen: torch.Generator) -> dict[str, float] | None:
        if self.source.modes is None:
            return None
        pts = self.sampler(self._z(N_EVAL, gen)).cpu().numpy()
        return mode_coverage(pts, self.source.modes)

    # -- persistence ----------------------------------------------------------------------
    def state_dict(self) -> dict:
        nets = {"G": self.G.state_dict(), "D": self.D.state_dict()}
        if self.G_ema is not None:
            nets["G_ema"] = self.G_ema.state_dict()
        return {"nets": nets, "optims": {"G": self.opt_g.state_dict(), "D": self.opt_d.state_dict()},
                "base_lr": dict(self.schedule.base)}

    def load_state_dict(self, state: dict) -> None:
        self.G.load_state_dict(state["nets"]["G"])
        self.D.load_state_dict(state["nets"]["D"])
        if self.G_ema is not None:
            self.G_ema.load_state_dict(state["nets"].get("G_ema", state["nets"]["G"]))
        self.opt_g.load_state_dict(state["optims"]["G"])
        self.opt_d.load_state_dict(state["optims"]["D"])
        adam_state = self.opt_g.state.get(next(self.G.parameters()), {})
        self.g_updates = int(adam_state["step"]) if "step" in adam_state else 0
        # checkpoints from before the schedule hold the base rates in the optimisers themselves
        self.schedule.base = dict(state.get("base_lr") or self.lrs())

    def generator_weights(self) -> dict:
        return self.sampler.state_dict()

    def extra_weights(self) -> dict[str, dict]:
        return {}

    def generator_meta(self, step: int) -> dict:
        return generator_meta(
            self.cfg.model, class_names=self.class_names, steps=step, dataset=self.source.description,
            data=to_dict(self.cfg.data), loss=self.cfg.loss, seed=self.cfg.seed, precision=precision.label(self.amp),
        )
