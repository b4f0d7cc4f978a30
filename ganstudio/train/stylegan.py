"""One training step of StyleGAN: the non-saturating logistic loss with lazy R1, style mixing,
optional path-length regularisation, DiffAugment / ADA for small folders, and an EMA generator.

Fine-tuning (`init`) starts G, G_ema, `w_avg` and (when the file carries it) D from a StyleGAN
generator file or bundled id; `freeze_d` keeps D's first blocks fixed, which keeps a pretrained
D's low-level features while a small folder moves its top.
"""

from __future__ import annotations

import copy
import math
from typing import ClassVar

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ganstudio.core.config import INIT_ADOPTED, TrainConfig, model_from_dict, replace, to_dict
from ganstudio.core.errors import UserError
from ganstudio.data import build_source
from ganstudio.data.source import DataSource
from ganstudio.modelfiles.generator import generator_meta, read_generator_and, to_uint8
from ganstudio.models import losses
from ganstudio.models.stylegan import StyleGANDiscriminator, StyleGANGenerator
from ganstudio.train import distributed, precision
from ganstudio.train.augment import AdaptiveP, augment
from ganstudio.train.gan import D_PANEL, average_into, class_rows_grid, ema_decay
from ganstudio.train.optim import LRSchedule, adam
from ganstudio.train.trainer import StatPanel

W_AVG_BETA = 0.995  # w_avg follows the mapping network's output with this decay per step
PL_INTERVAL = 4  # G updates between path-length penalties (lazy regularisation)
PL_DECAY = 0.01
REG_PANEL = "Regularisers (R1 · path length)"
INIT_FIELDS = INIT_ADOPTED["stylegan"]
MIN_IMAGES = 4  # fewer cannot fill a minibatch-std group
SMALL_FOLDER = 100  # below this, training from scratch memorises the folder


class StyleGANTrainer:
    """Networks, optimisers and the step of a StyleGAN run (unconditional, or one class per subfolder)."""

    STATS: ClassVar[tuple[StatPanel, ...]] = (
        ("loss_g", "Loss"), ("loss_d", "Loss"), ("d_real", D_PANEL), ("d_fake", D_PANEL),
        ("r1", REG_PANEL), ("pl", REG_PANEL), ("augment_p", "Augmentation strength p"))
    # channels-last: oneDNN's convolutions run about 1.35× faster on a CPU (bench/stylegan_step.py)
    memory_format: torch.memory_format = torch.channels_last

    def __init__(self, cfg: TrainConfig, source: DataSource, device: torch.device) -> None:
        _check_folder_size(source, bool(cfg.init))
        init = _read_init(cfg) if cfg.init else None
        m = replace(cfg.model, num_classes=len(source.class_names))
        if init is not None:
            m = _adopt_init_model(m, init[2], cfg.init)
        self.cfg = replace(cfg, model=m)
        self.source, self.device, self.class_names = source, device, source.class_names
        self.amp = precision.compute_dtype(cfg.precision, m.arch, device)
        self.G = StyleGANGenerator(m).to(device).to(memory_format=self.memory_format)
        self.D = StyleGANDiscriminator(m).to(device).to(memory_format=self.memory_format)
        if init is not None:
            self._load_init(*init)
        self.G_ema = copy.deepcopy(self.G).eval().requires_grad_(False)
        self.d_train = self._trainable_d(cfg.freeze_d)
        # the training passes: DDP under torchrun, the networks themselves in one process (train/distributed.py)
        self.D_step = distributed.wrap(self.D)
        self.g_loss_step = distributed.wrap_loss(self.G, self._g_loss)
        betas = (cfg.beta1, cfg.beta2)
        self.opt_g = adam(self.G.parameters(), cfg.lr_g, betas, device)
        self.opt_d = adam(self.d_train, cfg.lr_d, betas, device)
        self.schedule = LRSchedule.for_run(cfg, self.opt_g, self.opt_d)
        self.ada = AdaptiveP(cfg.ada_target, cfg.ada_kimg, cfg.batch, p=1.0 if cfg.augment == "diffaugment" else 0.0)
        self.g_updates = self.d_updates = 0
        self.pl_mean = torch.zeros((), device=device)
        self.last_r1 = torch.zeros((), device=device)
        self.last_pl = torch.zeros((), device=device)
        fixed = torch.Generator().manual_seed(cfg.seed + 1)
        self.fixed_z = torch.randn(cfg.n_samples, m.z_dim, generator=fixed).to(device)
        k = m.num_classes
        self.fixed_y = (torch.arange(cfg.n_samples) % k).to(device) if k else None

    @classmethod
    def for_run(cls, cfg: TrainConfig, device: torch.device) -> StyleGANTrainer:
        return cls(cfg, build_source(cfg, device), device)

    # -- set-up ---------------------------------------------------------------------------
    def _load_init(self, g_weights: dict, d_weights: dict | None, meta: dict) -> None:
        try:
            self.G.load_state_dict(g_weights)
            if d_weights is not None:
                self.D.load_state_dict(d_weights)
        except (RuntimeError, KeyError):
            raise UserError(f"{self.cfg.init} does not fit this run's StyleGAN: its network sizes differ",
                            "start from a StyleGAN model of the same size, or train from scratch") from None

    def _trainable_d(self, freeze: int) -> list[nn.Parameter]:
        """D's parameters minus from_rgb and its first `freeze` blocks (FreezeD)."""
        frozen: list[nn.Module] = [self.D.from_rgb, *list(self.D.blocks)[:freeze]] if freeze else []
        if freeze > len(self.D.blocks):
            raise UserError(f"freeze_d {freeze} is more than D's {len(self.D.blocks)} blocks")
        skip = {id(p) for mod in frozen for p in mod.parameters()}
        for mod in frozen:
            mod.requires_grad_(False)
        return [p for p in self.D.parameters() if id(p) not in skip]

    # -- training -------------------------------------------------------------------------
    def _autocast(self):
        return precision.autocast(self.device, self.amp)

    def _rand(self, shape: tuple[int, ...], gen: torch.Generator, normal: bool = False) -> torch.Tensor:
        draw = torch.randn if normal else torch.rand
        return draw(shape, generator=gen, device=gen.device).to(self.device)

    def _labels(self, n: int, gen: torch.Generator) -> torch.Tensor | None:
        k = self.cfg.model.num_classes
        return torch.randint(k, (n,), generator=gen, device=gen.device).to(self.device) if k else None

    def _ws(self, n: int, y: torch.Tensor | None, gen: torch.Generator) -> torch.Tensor:
        """ws (n, num_ws, w_dim); with `mixing_prob`, the layers from a random cut take a second w."""
        g, z_dim = self.G, self.cfg.model.z_dim
        cv = g.class_vector(y)
        ws = g.ws(g.mapping(self._rand((n, z_dim), gen, normal=True), cv))
        if float(torch.rand((), generator=gen)) < self.cfg.mixing_prob:
            cut = int(torch.randint(1, g.num_ws, (), generator=gen))
            ws2 = g.ws(g.mapping(self._rand((n, z_dim), gen, normal=True), cv))
            ws = torch.cat([ws[:, :cut], ws2[:, cut:]], 1)
        return ws

    def _d(self, x: torch.Tensor, y: torch.Tensor | None, gen: torch.Generator,
           net: nn.Module | None = None) -> torch.Tensor:
        return (net or self.D)(augment(x, self.ada.p, gen), y).float()

    def _mirror(self, x: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
        if not self.cfg.mirror:
            return x
        flip = self._rand((x.shape[0],), gen) < 0.5
        return torch.where(flip[:, None, None, None], x.flip(3), x)

    def step(self, gen: torch.Generator) -> dict[str, torch.Tensor]:
        """One D update (with R1 every `r1_interval`), then one G update (path length every 4).

        Under DDP (train/distributed.py) D's passes go through its wrapper, and R1 differentiates that
        wrapper's output with `autograd.grad` (which touches no parameter's gradient), so R1's own gradients
        reach D's parameters in the one backward that DDP syncs. G's loss, path length included, runs as
        the forward of one wrapper (`wrap_loss`): it calls G's mapping and synthesis rather than G, which a
        wrapper of G would not see. G's loss runs D itself: D's frozen weights have no gradients to sync.
        `b` is this process's share of the batch.
        """
        cfg, b = self.cfg, distributed.share(self.cfg.batch)
        self.schedule.apply(self.g_updates)
        for p in self.d_train:
            p.requires_grad_(True)
        real, y_real = self.source.batch(b, gen)
        real = self._mirror(real, gen).contiguous(memory_format=self.memory_format)
        y_fake = self._labels(b, gen)
        do_r1 = cfg.r1_gamma > 0 and self.d_updates % cfg.r1_interval == 0
        real = real.detach().requires_grad_(do_r1)
        with torch.no_grad(), self._autocast():
            fake = self.G.synthesis(self._ws(b, y_fake, gen), "random")
        with self._autocast():
            d_real = self._d(real, y_real, gen, self.D_step)
            d_fake = self._d(fake, y_fake, gen, self.D_step)
        loss_d = F.softplus(d_fake).mean() + F.softplus(-d_real).mean()
        if do_r1:
            r1 = losses.r1_penalty(d_real, real)
            loss_d = loss_d + r1 * (cfg.r1_gamma / 2 * cfg.r1_interval)
            self.last_r1 = r1.detach()
        self.opt_d.zero_grad(set_to_none=True)
        loss_d.backward()
        self.opt_d.step()
        self.d_updates += 1
        if cfg.augment == "ada":
            self.ada.observe(d_real)

        for p in self.d_train:  # D's weights are constants for the G update
            p.requires_grad_(False)
        loss_g = self.g_loss_step(b, gen)
        self.opt_g.zero_grad(set_to_none=True)
        loss_g.backward()
        self.opt_g.step()
        self.g_updates += 1
        self._update_ema()
        stats = {"loss_g": loss_g.detach(), "loss_d": loss_d.detach(), "d_real": torch.sigmoid(d_real.detach()).mean(),
                 "d_fake": torch.sigmoid(d_fake.detach()).mean(), "r1": self.last_r1,
                 "augment_p": torch.tensor(self.ada.p)}
        if cfg.pl_weight > 0:
            stats["pl"] = self.last_pl
        return stats

    def _g_loss(self, b: int, gen: torch.Generator) -> torch.Tensor:
        y = self._labels(b, gen)
        with self._autocast():
            ws = self._ws(b, y, gen)
            with torch.no_grad():  # w_avg follows the mapping's output, for truncation
                self.G.mapping.w_avg.lerp_(ws[:, 0].float().mean(0), 1 - W_AVG_BETA)
            loss = F.softplus(-self._d(self.G.synthesis(ws, "random"), y, gen)).mean()
        if self.cfg.pl_weight > 0 and self.g_updates % PL_INTERVAL == 0:
            loss = loss + self._path_length(max(b // 2, 1), gen) * (self.cfg.pl_weight * PL_INTERVAL)
        return loss

    def _path_length(self, n: int, gen: torch.Generator) -> torch.Tensor:
        """How far the image moves for a step in w, held near its running mean (StyleGAN2)."""
        ws = self._ws(n, self._labels(n, gen), gen)
        img = self.G.synthesis(ws, "random").float()
        noise = self._rand(tuple(img.shape), gen, normal=True) / math.sqrt(img.shape[2] * img.shape[3])
        (grad,) = torch.autograd.grad((img * noise).sum(), ws, create_graph=True)
        lengths = grad.square().sum(2).mean(1).sqrt()  # (n,)
        self.pl_mean.lerp_(lengths.detach().mean(), PL_DECAY)
        penalty = (lengths - self.pl_mean).square().mean()
        self.last_pl = penalty.detach()
        return penalty

    def _update_ema(self) -> None:
        """The sampling copy: an average by half-life in images, or G itself when the run keeps none."""
        decay = ema_decay(self.cfg.ema_half_life, self.cfg.ema_rampup, self.cfg.batch, self.g_updates) \
            if self.cfg.ema else 0.0
        average_into(self.G_ema, self.G, decay)

    def set_lr(self, lr_g: float | None = None, lr_d: float | None = None) -> None:
        self.schedule.set_base(self.g_updates, lr_g=lr_g, lr_d=lr_d)

    def lrs(self) -> dict[str, float]:
        return self.schedule.current()

    # -- previews and files ---------------------------------------------------------------
    @torch.no_grad()
    def sample_grid(self) -> np.ndarray:
        """The fixed latents through the EMA generator, constant noise; one row per class when conditional."""
        images = to_uint8(self.G_ema(self.fixed_z, self.fixed_y))
        return class_rows_grid(images, self.cfg.model.num_classes)

    def state_dict(self) -> dict:
        return {"nets": {"G": self.G.state_dict(), "D": self.D.state_dict(), "G_ema": self.G_ema.state_dict()},
                "optims": {"G": self.opt_g.state_dict(), "D": self.opt_d.state_dict()},
                "base_lr": dict(self.schedule.base),
                "counters": {"g": self.g_updates, "d": self.d_updates, "ada_p": self.ada.p,
                             "ada_signs": self.ada.pending()},
                "pl_mean": self.pl_mean.detach().cpu()}

    def load_state_dict(self, state: dict) -> None:
        nets = state["nets"]
        self.G.load_state_dict(nets["G"])
        self.D.load_state_dict(nets["D"])
        self.G_ema.load_state_dict(nets["G_ema"])
        self.opt_g.load_state_dict(state["optims"]["G"])
        self.opt_d.load_state_dict(state["optims"]["D"])
        self.schedule.base = dict(state["base_lr"])
        c = state["counters"]
        self.g_updates, self.d_updates = int(c["g"]), int(c["d"])
        self.ada.restore(float(c["ada_p"]), c["ada_signs"], self.device)
        self.pl_mean = state["pl_mean"].to(self.device)

    def generator_weights(self) -> dict:
        return self.G_ema.state_dict()

    def extra_weights(self) -> dict[str, dict]:
        """D goes into the generator file too, so a later run can fine-tune from it."""
        return {"D": self.D.state_dict()}

    def generator_meta(self, step: int) -> dict:
        return generator_meta(
            self.cfg.model, class_names=self.class_names, steps=step, dataset=self.source.description,
            data=to_dict(self.cfg.data), loss="logistic + R1", seed=self.cfg.seed, precision=precision.label(self.amp),
            augment=self.cfg.augment, init=self.cfg.init)


def _check_folder_size(source: DataSource, fine_tuning: bool) -> None:
    """Too few images to train at all is refused; a small folder gets a note on what to expect."""
    n = source.size
    if 0 < n < MIN_IMAGES:
        raise UserError(f"{source.description} is only {n} image{'s' if n > 1 else ''}; StyleGAN needs at least "
                        f"{MIN_IMAGES}", "add more pictures (a few hundred is typical), or start from a bundled model")
    if 0 < n < SMALL_FOLDER and not fine_tuning:
        source.notes.append(f"only {n} images: from random weights StyleGAN will learn them by heart; "
                            "starting from the bundled Monet model (Start from) learns a small folder far better")


def _read_init(cfg: TrainConfig) -> tuple[dict, dict | None, dict]:
    """(G weights, D weights or None, meta) of the model a fine-tuning run starts from."""
    weights, meta, others = read_generator_and(cfg.init, "D")
    if meta.get("arch") != "stylegan":
        raise UserError(f"{cfg.init} is a {meta.get('arch', 'unknown')} model, not a StyleGAN",
                        "fine-tuning starts from a StyleGAN model, such as monet-stylegan")
    return weights, others.get("D"), meta


def _adopt_init_model(m, meta: dict, name: str):
    """This run's model with the starting model's widths; its size, colours and classes must match."""
    src = model_from_dict(meta["model"])
    if (src.img_size, src.channels) != (m.img_size, m.channels):
        colour = {1: "grey", 3: "colour"}
        raise UserError(f"{name} draws {src.img_size} px {colour[src.channels]} images, but this run asks for "
                        f"{m.img_size} px {colour[m.channels]}", f"set the image size to {src.img_size} px and "
                        f"{colour[src.channels]}, or train from scratch")
    if src.num_classes != m.num_classes:
        raise UserError(f"{name} has {src.num_classes or 'no'} classes, but this folder has {m.num_classes or 'none'}",
                        "fine-tune an unconditional model on a flat folder, or train from scratch")
    return replace(m, **{f: getattr(src, f) for f in INIT_FIELDS})
