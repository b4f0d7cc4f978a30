"""CycleGAN networks (Zhu et al. 2017): ResNet generator and 70×70 PatchGAN discriminator.

The generator is fully convolutional, so it runs on any image whose sides are a multiple of
`ResnetGenerator.multiple` (two stride-2 convolutions). Its instance norms can be switched to
fixed statistics (`TileNorm`) so a big photo can be processed tile by tile with the
statistics of the whole photo, which is what keeps tiled output seamless.

Upsampling (`ModelConfig.upsample`): "resize" (every new model) doubles the size by bilinear
interpolation and then applies a 3×3 convolution, which spreads every input pixel alike over
its neighbours, so no output phase is favoured and no 2 / 4 px lattice is drawn (Odena et al.
2016, "Deconvolution and checkerboard artifacts"). "transposed" is the paper's stride-2
transposed convolution, whose 3×3 kernel overlaps unevenly at stride 2 (one output phase of
four gets one tap, another four): that is the checkerboard of the first bundled styles, whose
files keep this layout and load exactly as they were trained.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from ganstudio.core.config import ModelConfig


class TileNorm(nn.Module):
    """Instance norm (no affine, no running stats) whose statistics can be collected and frozen.

    mode "instance": per-image statistics (training, and a photo that fits in one tile).
    mode "collect":  statistics over the whole batch as if it were one image; remembered.
    mode "fixed":    the remembered statistics, so every tile is normalised alike.
    """

    def __init__(self, channels: int, eps: float = 1e-5) -> None:
        super().__init__()
        self.channels, self.eps = channels, eps
        self.mode = "instance"
        self.mean: torch.Tensor | None = None
        self.var: torch.Tensor | None = None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.mode == "instance":
            return F.instance_norm(x, eps=self.eps)
        if self.mode == "collect":
            self.mean = x.mean(dim=(0, 2, 3), keepdim=True)
            self.var = x.var(dim=(0, 2, 3), keepdim=True, unbiased=False)
        if self.mean is None or self.var is None:
            raise RuntimeError("TileNorm has no collected statistics")
        return (x - self.mean) * torch.rsqrt(self.var + self.eps)


class ResBlock(nn.Module):
    def __init__(self, ch: int) -> None:
        super().__init__()
        self.body = nn.Sequential(
            nn.ReflectionPad2d(1), nn.Conv2d(ch, ch, 3), TileNorm(ch), nn.ReLU(True),
            nn.ReflectionPad2d(1), nn.Conv2d(ch, ch, 3), TileNorm(ch),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.body(x)



def up_layers(c_in: int, c_out: int, upsample: str) -> list[nn.Module]:
    """One ×2 step of the up path: a resize and a 3×3 convolution, or the paper's transposed convolution."""
    if upsample == "transposed":
        return [nn.ConvTranspose2d(c_in, c_out, 3, stride=2, padding=1, output_padding=1), TileNorm(c_out),
                nn.ReLU(True)]
    if upsample == "resize":
        return [nn.Upsample(scale_factor=2, mode="bilinear", align_corners=False), nn.ReflectionPad2d(1),
                nn.Conv2d(c_in, c_out, 3), TileNorm(c_out), nn.ReLU(True)]
    raise ValueError(f"unknown upsampling '{upsample}'")


class ResnetGenerator(nn.Module):
    """c7s1-k, d2k, d4k, R4k × n, u2k, uk, c7s1-3 (the paper's notation), tanh output in [-1, 1]."""

    multiple = 4  # input sides must be a multiple of this

    def __init__(self, base_ch: int = 64, res_blocks: int = 9, channels: int = 3, upsample: str = "resize") -> None:
        super().__init__()
        c = base_ch
        layers: list[nn.Module] = [nn.ReflectionPad2d(3), nn.Conv2d(channels, c, 7), TileNorm(c), nn.ReLU(True)]
        for mult in (1, 2):
            layers += [nn.Conv2d(c * mult, c * mult * 2, 3, stride=2, padding=1), TileNorm(c * mult * 2), nn.ReLU(True)]
        layers += [ResBlock(c * 4) for _ in range(res_blocks)]
        for mult in (4, 2):
            layers += up_layers(c * mult, c * mult // 2, upsample)
        layers += [nn.ReflectionPad2d(3), nn.Conv2d(c, channels, 7), nn.Tanh()]
        self.net = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)

    def set_norm_mode(self, mode: str) -> None:
        for m in self.modules():
            if isinstance(m, TileNorm):
                m.mode = mode


class PatchDiscriminator(nn.Module):
    """70×70 PatchGAN: C64-C128-C256-C512 then a 1-channel map of real/fake scores per patch."""

    def __init__(self, base_ch: int = 64, channels: int = 3) -> None:
        super().__init__()
        c = base_ch
        self.net = nn.Sequential(
            nn.Conv2d(channels, c, 4, 2, 1), nn.LeakyReLU(0.2, True),
            nn.Conv2d(c, c * 2, 4, 2, 1), nn.InstanceNorm2d(c * 2), nn.LeakyReLU(0.2, True),
            nn.Conv2d(c * 2, c * 4, 4, 2, 1), nn.InstanceNorm2d(c * 4), nn.LeakyReLU(0.2, True),
            nn.Conv2d(c * 4, c * 8, 4, 1, 1), nn.InstanceNorm2d(c * 8), nn.LeakyReLU(0.2, True),
            nn.Conv2d(c * 8, 1, 4, 1, 1),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)


def init_normal(module: nn.Module) -> None:
    """N(0, 0.02) weights and zero biases, as in the reference code."""
    if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d)):
        nn.init.normal_(module.weight, 0.0, 0.02)
        if module.bias is not None:
            nn.init.zeros_(module.bias)


def build_cyclegan_generator(cfg: ModelConfig) -> ResnetGenerator:
    g = ResnetGenerator(cfg.base_ch, cfg.res_blocks, cfg.channels, cfg.upsample)
    g.apply(init_normal)
    return g


def build_patch_discriminator(cfg: ModelConfig) -> PatchDiscriminator:
    d = PatchDiscriminator(cfg.base_ch_d, cfg.channels)
    d.apply(init_normal)
    return d
