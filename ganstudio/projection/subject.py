"""The differentiable view of a model that a projection optimises: its starting latents, its picture
of a latent, the pull that keeps a latent editable and (StyleGAN) the noise maps and the file's D.

Gradients are taken with `torch.autograd.grad` for the latents alone, so the loaded model is used as
it is (no flag on its weights changes, no gradient is stored in it) and can go on serving the page.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from typing import cast

import numpy as np
import torch

from ganstudio.modelfiles.generator import Generator, read_generator_and
from ganstudio.models.stylegan import StyleGANDiscriminator, StyleGANGenerator

SPREAD_SAMPLES = 2048  # mapped latents that measure w's spread around w_avg


class Subject(ABC):
    """A model seen as latent (B, L, D) [+ class, noise maps] → image (B, C, H, W) in [-1, 1]."""

    space: str
    has_noise = False

    def __init__(self, g: Generator) -> None:
        self.g = g
        self.device = g.device
        self.notes: list[str] = []

    @abstractmethod
    def starts(self, labels: torch.Tensor | None, k: int, gen: torch.Generator) -> torch.Tensor:
        """k starting latents (k, 1, D) per label."""

    @abstractmethod
    def render(self, latent: torch.Tensor, labels: torch.Tensor | None,
               noise: list[torch.Tensor] | None) -> torch.Tensor:
        """The model's picture (B, C, H, W) in [-1, 1] of each latent, differentiable in the latent."""

    @abstractmethod
    def pull(self, latent: torch.Tensor, labels: torch.Tensor | None) -> torch.Tensor:
        """(B,) how far each latent strays from where the model's typical samples are."""

    def spread(self) -> float:
        """The typical distance of a latent from the centre (scales StyleGAN2's noise on w)."""
        return 0.0

    def start_noise(self) -> list[torch.Tensor] | None:
        """The noise maps to optimise, starting from the model's own (None: the model has none)."""
        return None

    def discriminator(self) -> StyleGANDiscriminator | None:
        """The model file's D for feature matching (None: there is none)."""
        return None


class StyleSubject(Subject):
    """StyleGAN: w (B, 1, w_dim) for W, ws (B, num_ws, w_dim) for W+; noise maps; the file's D."""

    has_noise = True

    def __init__(self, g: Generator, space: str) -> None:
        super().__init__(g)
        self.space = space
        self.synthesis = cast(StyleGANGenerator, g.net).synthesis
        self._spread: dict[int, float] = {}

    def w_avg(self, labels: torch.Tensor | None) -> torch.Tensor:
        return self.g.w_avg(labels.cpu() if labels is not None else None).to(self.device)[:, None]

    def starts(self, labels: torch.Tensor | None, k: int, gen: torch.Generator) -> torch.Tensor:
        """w_avg first, then mapped random latents: the centre is the safest start, seeds find other basins."""
        out = []
        for label in ([None] if labels is None else labels.tolist()):
            y = None if label is None else torch.tensor([label])
            centre = self.g.w_avg(y)
            z = torch.randn(k - 1, self.g.z_dim, generator=gen)
            mapped = self.g.mapping(z, None if y is None else y.repeat(k - 1))
            out.append(torch.cat([centre, mapped]))
        return torch.cat(out).to(self.device)[:, None]

    def render(self, latent: torch.Tensor, labels: torch.Tensor | None,
               noise: list[torch.Tensor] | None) -> torch.Tensor:
        ws = latent.expand(-1, self.g.num_ws, -1) if latent.shape[1] == 1 else latent
        return self.synthesis(ws, "const", noise)

    def pull(self, latent: torch.Tensor, labels: torch.Tensor | None) -> torch.Tensor:
        dist = (latent - self.w_avg(labels)).square().sum(-1).mean(1)  # (B,): mean over layers
        return dist / self.spread() ** 2

    def spread(self) -> float:
        """RMS distance of mapped latents from w_avg, as StyleGAN2's projector measures it."""
        if 0 not in self._spread:
            z = torch.randn(SPREAD_SAMPLES, self.g.z_dim, generator=torch.Generator().manual_seed(0))
            labels = torch.arange(SPREAD_SAMPLES) % self.g.num_classes if self.g.num_classes else None
            w = self.g.mapping(z, labels)
            avg = self.g.w_avg(labels)
            self._spread[0] = float((w - avg).square().sum(1).mean().sqrt())
        return self._spread[0]

    def start_noise(self) -> list[torch.Tensor]:
        """The model's fixed noise maps, as the starting point of their optimisation."""
        return [n.to(self.device) for n in self.g.const_noise()]  # copies: the model keeps its own

    def discriminator(self) -> StyleGANDiscriminator | None:
        """The D stored in the model file (read again from it), or None with a note."""
        d_weights = read_generator_and(self.g.path, "D")[2].get("D")
        if d_weights is None:
            self.notes.append(f"{self.g.path.name} carries no discriminator, so feature matching is skipped")
            return None
        d = StyleGANDiscriminator(self.g.config)
        d.load_state_dict(d_weights)
        return d.to(self.device).eval()


class ZSubject(Subject):
    """A DCGAN: z (B, 1, z_dim) straight into the generator; the pull keeps |z| near √z_dim."""

    space = "z"

    def __init__(self, g: Generator) -> None:
        super().__init__(g)
        self.notes.append(f"{g.path.name} has no W space: its z is projected, which reconstructs worse than a "
                          "StyleGAN's W (every pixel depends on all of z, and z must stay Gaussian-like)")

    def starts(self, labels: torch.Tensor | None, k: int, gen: torch.Generator) -> torch.Tensor:
        per_label = [torch.cat([torch.zeros(1, self.g.z_dim), torch.randn(k - 1, self.g.z_dim, generator=gen)])
                     for _ in ([None] if labels is None else labels.tolist())]
        return torch.cat(per_label).to(self.device)[:, None]

    def render(self, latent: torch.Tensor, labels: torch.Tensor | None,
               noise: list[torch.Tensor] | None) -> torch.Tensor:
        return self.g.net(latent[:, 0], labels)

    def pull(self, latent: torch.Tensor, labels: torch.Tensor | None) -> torch.Tensor:
        norm = latent[:, 0].norm(dim=1) / math.sqrt(self.g.z_dim)
        return (norm - 1).square()


def d_features(d: StyleGANDiscriminator, x: torch.Tensor) -> list[torch.Tensor]:
    """The activations after each of D's blocks (its judgement of texture and shapes at every scale)."""
    h = d.from_rgb(x)
    out = []
    for block in d.blocks:
        h = block(h)
        out.append(h)
    return out


def target_tensor(pixels: np.ndarray, channels: int, device: torch.device) -> torch.Tensor:
    """(H, W, 3) uint8 → (1, C, H, W) in [-1, 1]; a grey model sees the photo's luminance."""
    x = torch.from_numpy(np.ascontiguousarray(pixels)).float().permute(2, 0, 1)[None] / 127.5 - 1
    if channels == 1:
        x = (x * torch.tensor([0.299, 0.587, 0.114])[None, :, None, None]).sum(1, keepdim=True)
    return x.to(device)
