"""One CycleGAN step (Zhu et al. 2017): G_AB, G_BA, D_A, D_B, image pools, cycle and identity losses.

Role names follow the paper: G_AB maps domain A to B, G_BA maps B to A, D_A judges A images
and D_B judges B images. The paper's learning rate is constant, then decays linearly to zero over
the last half of the steps: the preset's `lr_decay` of 0.5.

Fine-tuning (`init`) starts both generators from a style file, a bundled style id or a CycleGAN
run; the discriminators start from the run's checkpoint when there is one, else afresh (a style
file carries only the generators, which keeps it small). The file's side A must be the run's A.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ganstudio.core.config import INIT_ADOPTED, ModelConfig, TrainConfig, model_from_dict, replace, to_dict
from ganstudio.core.errors import UserError
from ganstudio.core.render import image_grid
from ganstudio.data.unpaired import UnpairedSource, load_unpaired
from ganstudio.modelfiles.generator import read_generator_and, to_uint8
from ganstudio.models import losses
from ganstudio.models.cyclegan import build_cyclegan_generator, build_patch_discriminator
from ganstudio.train import distributed, precision
from ganstudio.train.optim import LRSchedule, adam
from ganstudio.train.trainer import StatPanel

PREVIEW_PAIRS = 4  # A and B images in the live triplet grid
ADV_PANEL, CYCLE_PANEL = "CycleGAN adversarial", "CycleGAN cycle · identity"
INIT_FIELDS = INIT_ADOPTED["cyclegan"]


class ImagePool:
    """A history of generated images (Shrivastava et al. 2017): D sees old fakes too, which steadies it.

    Each query image is stored until the pool is full; after that, with probability 1/2 it
    replaces a random stored image and the stored one is returned in its place.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self.images: list[torch.Tensor] = []

    def query(self, batch: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
        if self.size == 0:
            return batch
        out = []
        for img in batch.detach():
            if len(self.images) < self.size:
                self.images.append(img.clone())
                out.append(img)
            elif torch.rand((), generator=gen, device=gen.device).item() < 0.5:
                i = int(torch.randint(self.size, (), generator=gen, device=gen.device))
                out.append(self.images[i].clone())
                self.images[i] = img.clone()
            else:
                out.append(img)
        return torch.stack(out)

    def state(self) -> torch.Tensor:
        return torch.stack(self.images).cpu() if self.images else torch.zeros(0)

    def load(self, stored: torch.Tensor, device: torch.device) -> None:
        self.images = [x.to(device) for x in stored]


class CycleGANTrainer:
    """Two generators, two discriminators, their optimisers, pools and LR schedule."""

    STATS: ClassVar[tuple[StatPanel, ...]] = (("loss_g", "Loss"), ("loss_d", "Loss"),
             ("g_AB", ADV_PANEL), ("g_BA", ADV_PANEL), ("d_A", ADV_PANEL), ("d_B", ADV_PANEL),
             ("cycle_A", CYCLE_PANEL), ("cycle_B", CYCLE_PANEL), ("idt_A", CYCLE_PANEL), ("idt_B", CYCLE_PANEL))

    def __init__(self, cfg: TrainConfig, source: UnpairedSource, device: torch.device) -> None:
        init = _read_init(cfg.init) if cfg.init else None
        m = cfg.model if init is None else replace(cfg.model, **{f: getattr(init[2], f) for f in INIT_FIELDS})
        self.cfg, self.source, self.device = replace(cfg, model=m), source, device
        self.class_names: list[str] = []
        self.amp = precision.compute_dtype(cfg.precision, m.arch, device)
        self.G_AB = build_cyclegan_generator(m).to(device)
        self.G_BA = build_cyclegan_generator(m).to(device)
        self.D_A = build_patch_discriminator(m).to(device)
        self.D_B = build_patch_discriminator(m).to(device)
        if init is not None:
            self._load_init(init[0], init[1])
        # the training passes: DDP under torchrun, the networks themselves in one process (train/distributed.py)
        self.G_AB_step, self.G_BA_step, self.D_A_step, self.D_B_step = (
            distributed.wrap(n) for n in (self.G_AB, self.G_BA, self.D_A, self.D_B))
        betas = (cfg.beta1, cfg.beta2)
        self.opt_g = adam([*self.G_AB.parameters(), *self.G_BA.parameters()], cfg.lr_g, betas, device)
        self.opt_d = adam([*self.D_A.parameters(), *self.D_B.parameters()], cfg.lr_d, betas, device)
        self.schedule = LRSchedule.for_run(cfg, self.opt_g, self.opt_d)
        self.pool_A, self.pool_B = ImagePool(cfg.pool_size), ImagePool(cfg.pool_size)
        self.steps_done = 0
        fixed_a, fixed_b = source.fixed(PREVIEW_PAIRS)
        self.fixed_A, self.fixed_B = fixed_a.to(device), fixed_b.to(device)

    def _load_init(self, g_weights: dict, d_weights: dict[str, dict]) -> None:
        nets = self._nets()
        try:
            for name in ("G_AB", "G_BA"):
                nets[name].load_state_dict({k[len(name) + 1:]: v for k, v in g_weights.items()
                                            if k.startswith(name + ".")})
            for name, weights in d_weights.items():
                nets[name].load_state_dict(weights)
        except (RuntimeError, KeyError):
            raise UserError(f"{self.cfg.init} does not fit this run's CycleGAN: its network sizes differ",
                            "start from another style, or train from scratch") from None

    @classmethod
    def for_run(cls, cfg: TrainConfig, device: torch.device) -> CycleGANTrainer:
        d = cfg.data
        return cls(cfg, load_unpaired(d.path, d.path_b, cfg.model.img_size, d.load_size, device, d.limit), device)

    def set_lr(self, lr_g: float | None = None, lr_d: float | None = None) -> None:
        """New base learning rates; the schedule still scales them."""
        self.schedule.set_base(self.steps_done, lr_g=lr_g, lr_d=lr_d)

    def lrs(self) -> dict[str, float]:
        return self.schedule.current()

    # -- training -------------------------------------------------------------------------
    @staticmethod
    def _fp32_out(net: nn.Module):
        """`net` with its output in fp32: losses, pools and previews never hold bf16 images."""
        return lambda x: net(x).float()

    def step(self, gen: torch.Generator) -> dict[str, torch.Tensor]:
        """One generator update of both directions, then one update of both discriminators.

        Under DDP the generators and D's update run through their wrappers; the generators' update runs the
        discriminators themselves, whose frozen weights have no gradients to sync.
        """
        cfg = self.cfg
        self.schedule.apply(self.steps_done)
        real_A, real_B = (x.to(self.device) for x in self.source.batch(distributed.share(cfg.batch), gen))
        G_AB, G_BA = self._fp32_out(self.G_AB_step), self._fp32_out(self.G_BA_step)
        D_A, D_B = self._fp32_out(self.D_A), self._fp32_out(self.D_B)
        with precision.autocast(self.device, self.amp):
            fake_B = G_AB(real_A)
            rec_A = G_BA(fake_B)
            fake_A = G_BA(real_B)
            rec_B = G_AB(fake_A)

            self.D_A.requires_grad_(False)
            self.D_B.requires_grad_(False)
            adv_AB = losses.g_loss(cfg.loss, D_B(fake_B))
            adv_BA = losses.g_loss(cfg.loss, D_A(fake_A))
            cycle_A = F.l1_loss(rec_A, real_A) * cfg.lambda_cycle
            cycle_B = F.l1_loss(rec_B, real_B) * cfg.lambda_cycle
            loss_g = adv_AB + adv_BA + cycle_A + cycle_B
            idt_w = cfg.lambda_cycle * cfg.lambda_identity
            idt_A = idt_B = torch.zeros((), device=self.device)
            if idt_w > 0:  # G_AB should leave B images alone, G_BA should leave A images alone
                idt_B = F.l1_loss(G_AB(real_B), real_B) * idt_w
                idt_A = F.l1_loss(G_BA(real_A), real_A) * idt_w
                loss_g = loss_g + idt_A + idt_B
        self.opt_g.zero_grad(set_to_none=True)
        loss_g.backward()
        self.opt_g.step()

        self.D_A.requires_grad_(True)
        self.D_B.requires_grad_(True)
        old_A = self.pool_A.query(fake_A, gen)
        old_B = self.pool_B.query(fake_B, gen)
        D_A, D_B = self._fp32_out(self.D_A_step), self._fp32_out(self.D_B_step)
        with precision.autocast(self.device, self.amp):
            real_out_A, fake_out_A = D_A(real_A), D_A(old_A)
            real_out_B, fake_out_B = D_B(real_B), D_B(old_B)
            loss_D_A = losses.d_loss(cfg.loss, real_out_A, fake_out_A)
            loss_D_B = losses.d_loss(cfg.loss, real_out_B, fake_out_B)
        self.opt_d.zero_grad(set_to_none=True)
        (loss_D_A + loss_D_B).backward()
        self.opt_d.step()
        self.steps_done += 1
        return {
            "loss_g": loss_g.detach(), "loss_d": (loss_D_A + loss_D_B).detach(),
            "g_AB": adv_AB.detach(), "g_BA": adv_BA.detach(),
            "cycle_A": cycle_A.detach(), "cycle_B": cycle_B.detach(),
            "idt_A": idt_A.detach(), "idt_B": idt_B.detach(),
            "d_A": loss_D_A.detach(), "d_B": loss_D_B.detach(),
        }

    # -- previews -------------------------------------------------------------------------
    @torch.no_grad()
    def sample_grid(self) -> np.ndarray:
        """Rows of A → G_AB(A) → G_BA(G_AB(A)), then rows of B → G_BA(B) → G_AB(G_BA(B))."""
        ab = self.G_AB(self.fixed_A)
        ba = self.G_BA(self.fixed_B)
        rows = []
        for real, fake, rec in ((self.fixed_A, ab, self.G_BA(ab)), (self.fixed_B, ba, self.G_AB(ba))):
            rows.append(torch.stack([real, fake, rec], 1).flatten(0, 1))
        return image_grid(to_uint8(torch.cat(rows)), cols=3)

    # -- persistence ----------------------------------------------------------------------
    def _nets(self) -> dict[str, nn.Module]:
        return {"G_AB": self.G_AB, "G_BA": self.G_BA, "D_A": self.D_A, "D_B": self.D_B}

    def state_dict(self) -> dict:
        nets = {name: net.state_dict() for name, net in self._nets().items()}
        return {"nets": nets, "optims": {"G": self.opt_g.state_dict(), "D": self.opt_d.state_dict()},
                "pools": {"A": self.pool_A.state(), "B": self.pool_B.state()},
                "base_lr": dict(self.schedule.base), "steps_done": self.steps_done}

    def load_state_dict(self, state: dict) -> None:
        for name, net in self._nets().items():
            net.load_state_dict(state["nets"][name])
        self.opt_g.load_state_dict(state["optims"]["G"])
        self.opt_d.load_state_dict(state["optims"]["D"])
        self.pool_A.load(state["pools"]["A"], self.device)
        self.pool_B.load(state["pools"]["B"], self.device)
        self.schedule.base = dict(state["base_lr"])
        self.steps_done = int(state["steps_done"])

    def generator_weights(self) -> dict:
        """Both directions in one file: keys prefixed "G_AB." and "G_BA."."""
        return {**{f"G_AB.{k}": v for k, v in self.G_AB.state_dict().items()},
                **{f"G_BA.{k}": v for k, v in self.G_BA.state_dict().items()}}

    def extra_weights(self) -> dict[str, dict]:
        return {}

    def generator_meta(self, step: int) -> dict:
        return {
            "kind": "cyclegan", "arch": "cyclegan", "model": to_dict(self.cfg.model), "steps": step,
            "domains": {"A": self.source.a.name, "B": self.source.b.name},
            "dataset": self.source.description, "data": to_dict(self.cfg.data), "loss": self.cfg.loss,
            "seed": self.cfg.seed, "crop": self.cfg.model.img_size, "precision": precision.label(self.amp),
        }



def _read_init(spec: str) -> tuple[dict, dict[str, dict], ModelConfig]:
    """(both generators' weights, the discriminators' weights that travel with them, the model) of the
    style a fine-tuning run starts from."""
    weights, meta, d_weights = read_generator_and(spec, "D_A", "D_B")
    if meta.get("arch") != "cyclegan":
        raise UserError(f"{spec} is a {meta.get('arch', 'unknown')} model, not a CycleGAN style",
                        "fine-tuning a style starts from a style such as photo2monet")
    return weights, d_weights, model_from_dict(meta["model"])
