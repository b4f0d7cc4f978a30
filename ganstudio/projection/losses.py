"""Losses that need no downloaded weights, each per image ((B,) tensors), so restarts run as one batch.

- pixels: L1 and L2 on a small image pyramid (full, ½, ¼ size): the coarse levels see layout and
  colour, which a per-pixel loss alone under-weights against fine detail.
- SSIM at up to three scales (Gaussian window, images in [0, 1]); the loss is 1 − their mean. The
  mean of scales rather than MS-SSIM's product: the product of a negative contrast term is undefined.
- features: L1 distance between the model's own discriminator's activations, block by block, each
  divided by the target's mean magnitude in that block so that every block weighs alike.
- noise: StyleGAN2's projector's penalty on each noise map's autocorrelation at every scale down to
  8×8 (a map that encodes the picture is correlated; white noise is not), with `renormalise` after
  each step keeping every map at zero mean and unit variance.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

PYRAMID_LEVELS = 3
SSIM_WINDOW = 7
SSIM_SIGMA = 1.5
SSIM_C1, SSIM_C2 = 0.01 ** 2, 0.03 ** 2


def _per_image(x: torch.Tensor) -> torch.Tensor:
    return x.flatten(1).mean(1)


def pyramid(x: torch.Tensor, levels: int = PYRAMID_LEVELS) -> list[torch.Tensor]:
    """x and its 2×, 4×, … average-pooled copies, stopping before a side falls under 8 px."""
    out = [x]
    while len(out) < levels and out[-1].shape[-1] >= 16:
        out.append(F.avg_pool2d(out[-1], 2))
    return out


def pixel_losses(x: torch.Tensor, target_pyr: list[torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
    """(L1, L2) of x (B, C, H, W) in [-1, 1] against the target's pyramid, averaged over the levels."""
    l1 = l2 = torch.zeros(len(x), device=x.device)
    for xi, ti in zip(pyramid(x, len(target_pyr)), target_pyr, strict=True):
        diff = xi - ti
        l1 = l1 + _per_image(diff.abs())
        l2 = l2 + _per_image(diff.square())
    return l1 / len(target_pyr), l2 / len(target_pyr)


def _window(channels: int, device: torch.device) -> torch.Tensor:
    r = torch.arange(SSIM_WINDOW, dtype=torch.float32, device=device) - SSIM_WINDOW // 2
    g = torch.exp(-r.square() / (2 * SSIM_SIGMA ** 2))
    g = g / g.sum()
    return (g[:, None] * g[None, :]).expand(channels, 1, -1, -1).contiguous()


def ssim(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """SSIM per image of x, y (B, C, H, W) in [0, 1]; 'valid' windows only, so borders are not padded."""
    c = x.shape[1]
    win = _window(c, x.device)

    def blur(t: torch.Tensor) -> torch.Tensor:
        return F.conv2d(t, win, groups=c)

    mx, my = blur(x), blur(y)
    vx, vy, cov = blur(x * x) - mx.square(), blur(y * y) - my.square(), blur(x * y) - mx * my
    s = ((2 * mx * my + SSIM_C1) * (2 * cov + SSIM_C2)) / ((mx.square() + my.square() + SSIM_C1) * (vx + vy + SSIM_C2))
    return _per_image(s)


def multiscale_ssim(x: torch.Tensor, y: torch.Tensor, scales: int = 3) -> torch.Tensor:
    """The mean of SSIM at full, ½ and ¼ size (fewer when a side would fall under the window), x, y in [-1, 1]."""
    x, y = (x + 1) / 2, (y + 1) / 2
    values = []
    for _ in range(scales):
        if x.shape[-1] < SSIM_WINDOW:
            break
        values.append(ssim(x, y))
        x, y = F.avg_pool2d(x, 2), F.avg_pool2d(y, 2)
    return torch.stack(values).mean(0)


def feature_loss(feats: list[torch.Tensor], target_feats: list[torch.Tensor]) -> torch.Tensor:
    """Mean over blocks of the L1 distance between activations, each over the target's mean magnitude."""
    total = torch.zeros(len(feats[0]), device=feats[0].device)
    for f, t in zip(feats, target_feats, strict=True):
        total = total + _per_image((f - t).abs()) / (t.abs().mean() + 1e-8)
    return total / len(feats)


def noise_penalty(maps: list[torch.Tensor]) -> torch.Tensor:
    """StyleGAN2's noise regulariser: squared autocorrelation at a one-pixel shift, over a pyramid to 8×8."""
    reg = torch.zeros((), device=maps[0].device)
    for n in maps:
        while True:
            reg = reg + (n * torch.roll(n, 1, dims=3)).mean().square() + (n * torch.roll(n, 1, dims=2)).mean().square()
            if n.shape[-1] <= 8:
                break
            n = F.avg_pool2d(n, 2)
    return reg


@torch.no_grad()
def renormalise(maps: list[torch.Tensor]) -> None:
    """Every noise map back to zero mean and unit variance, in place."""
    for n in maps:
        n -= n.mean()
        n *= n.square().mean().rsqrt()
