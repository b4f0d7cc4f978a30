"""Differentiable augmentation for small folders: colour, translation and cutout, applied alike to
real and generated images before D sees them, so D cannot memorise a few hundred paintings and G
is never taught to draw the augmentations (they happen after G, and gradients flow through them).

`p` is the chance each operation touches each image: 1 is DiffAugment (Zhao et al. 2020, every
operation on every image), and ADA (Karras et al. 2020) moves p between 0 and 1 from D's
overfitting signal, the share of real images D calls real (`AdaptiveP`).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

TRANSLATE = 1 / 8  # largest shift, as a share of the image side
CUTOUT = 1 / 2  # side of the erased square, as a share of the image side


def _rand(n: int, gen: torch.Generator, device: torch.device) -> torch.Tensor:
    return torch.rand(n, generator=gen, device=gen.device).to(device)


def _where(mask: torch.Tensor, new: torch.Tensor, old: torch.Tensor) -> torch.Tensor:
    return torch.where(mask[:, None, None, None], new, old)


def _colour(x: torch.Tensor, p: float, gen: torch.Generator) -> torch.Tensor:
    n, dev = x.shape[0], x.device
    x = _where(_rand(n, gen, dev) < p, x + (_rand(n, gen, dev) - 0.5)[:, None, None, None] * 2, x)  # brightness
    if x.shape[1] == 3:
        mean = x.mean(1, keepdim=True)
        sat = (_rand(n, gen, dev) * 2)[:, None, None, None]
        x = _where(_rand(n, gen, dev) < p, (x - mean) * sat + mean, x)  # saturation
    mean = x.mean((1, 2, 3), keepdim=True)
    con = (_rand(n, gen, dev) + 0.5)[:, None, None, None]
    return _where(_rand(n, gen, dev) < p, (x - mean) * con + mean, x)  # contrast


def _translate(x: torch.Tensor, p: float, gen: torch.Generator) -> torch.Tensor:
    """Shift by whole pixels (up to 1/8 of the side), filling with zeros (mid-grey)."""
    n, _, h, w = x.shape
    dev = x.device
    on = (_rand(n, gen, dev) < p).float()
    shift = torch.stack([(_rand(n, gen, dev) * 2 - 1) * round(w * TRANSLATE),
                         (_rand(n, gen, dev) * 2 - 1) * round(h * TRANSLATE)], 1).round() * on[:, None]  # (B, 2) px
    theta = torch.zeros(n, 2, 3, device=dev, dtype=x.dtype)
    theta[:, 0, 0] = theta[:, 1, 1] = 1
    theta[:, 0, 2] = shift[:, 0] * 2 / w
    theta[:, 1, 2] = shift[:, 1] * 2 / h
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    return F.grid_sample(x, grid, mode="nearest", padding_mode="zeros", align_corners=False)


def _cutout(x: torch.Tensor, p: float, gen: torch.Generator) -> torch.Tensor:
    n, _, h, w = x.shape
    dev = x.device
    ch, cw = round(h * CUTOUT), round(w * CUTOUT)
    cy = (_rand(n, gen, dev) * (h + 1 - ch % 2)).long()[:, None, None]
    cx = (_rand(n, gen, dev) * (w + 1 - cw % 2)).long()[:, None, None]
    ys = torch.arange(h, device=dev)[None, :, None]
    xs = torch.arange(w, device=dev)[None, None, :]
    inside = ((ys - cy).abs() < ch // 2 + 1) & ((xs - cx).abs() < cw // 2 + 1)  # (B, H, W)
    inside &= (_rand(n, gen, dev) < p)[:, None, None]
    return x * (~inside)[:, None].to(x.dtype)


def augment(x: torch.Tensor, p: float, gen: torch.Generator) -> torch.Tensor:
    """Colour, translation and cutout, each with chance `p` per image; `p = 0` returns `x` itself."""
    if p <= 0:
        return x
    return _cutout(_translate(_colour(x, p, gen), p, gen), p, gen)


class AdaptiveP:
    """ADA's strength: raised when D calls too many real images real (it is memorising them), lowered
    when it calls too few, by at most `batch × interval / (kimg × 1000)` per adjustment."""

    INTERVAL = 4  # D updates between adjustments

    def __init__(self, target: float, kimg: int, batch: int, p: float = 0.0):
        self.target = target
        self.speed = batch * self.INTERVAL / (kimg * 1000)
        self.p = p
        self._signs: list[torch.Tensor] = []

    def observe(self, d_real: torch.Tensor) -> None:
        """Remember D's logits on real images; adjust p every INTERVAL observations."""
        self._signs.append(torch.sign(d_real.detach().float()).mean())
        if len(self._signs) >= self.INTERVAL:
            signal = float(torch.stack(self._signs).mean())  # one sync per INTERVAL steps
            self._signs.clear()
            self.p = min(max(self.p + (1 if signal > self.target else -1) * self.speed, 0.0), 1.0)

    def pending(self) -> list[float]:
        """The observations not yet used for an adjustment (a checkpoint keeps them for an exact resume)."""
        return [float(s) for s in self._signs]

    def restore(self, p: float, pending: list[float], device: torch.device) -> None:
        self.p = p
        self._signs = [torch.tensor(s, device=device) for s in pending]
