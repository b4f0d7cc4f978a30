"""StyleGAN2-style networks: a mapping network z (+ class) → w, a synthesis network driven by w
through modulated, demodulated convolutions, and a residual discriminator.

Widths come from one `base_ch` / `max_ch` pair (the width at the output resolution, doubling
toward 4×4 up to `max_ch`), so a small CPU model and the paper's widths are the same code.
Every layer uses the equalised learning rate of the paper (weights stored at unit variance and
scaled at run time), so Adam's step means the same in every layer.

Design choices, and why:
- Upsampling is a bilinear resize followed by a 3×3 convolution, never a transposed convolution:
  a resize cannot leave the checkerboard a strided transposed kernel leaves.
- The modulation scales the input activations and the demodulation scales the outputs (the
  paper's non-fused form); mathematically it is the per-sample weight, and it runs as one ordinary
  batched convolution, which is far faster on a CPU than a grouped convolution per sample.
- Noise is "random" while training and "const" (a fixed buffer per layer) at evaluation, so a seed
  always draws the same picture; "none" turns it off.
"""

from __future__ import annotations

import math
from typing import cast

import torch
import torch.nn.functional as F
from torch import nn

from ganstudio.core.config import ModelConfig

SQRT2 = math.sqrt(2.0)
NOISE_MODES = ("random", "const", "none")
MAPPING_LR_MUL = 0.01  # the mapping network learns 100× slower, as in the paper


def channels_at(res: int, cfg: ModelConfig) -> int:
    """Feature maps at resolution `res`: base_ch at the output size, doubling toward 4×4 up to max_ch."""
    return int(min(cfg.max_ch, cfg.base_ch * cfg.img_size // res))


def block_resolutions(cfg: ModelConfig) -> list[int]:
    """8, 16, … up to the output size: the resolutions of the synthesis blocks."""
    return [2 ** i for i in range(3, int(math.log2(cfg.img_size)) + 1)]


def num_ws(cfg: ModelConfig) -> int:
    """How many w vectors one image takes: 2 for the 4×4 layer and its toRGB, then 2 per block."""
    return 2 + 2 * len(block_resolutions(cfg))


def normalize_2nd_moment(x: torch.Tensor, eps: float = 1e-8) -> torch.Tensor:
    return x * (x.square().mean(1, keepdim=True) + eps).rsqrt()


class EqualLinear(nn.Module):
    """A fully connected layer with the equalised learning rate (and an optional lrelu)."""

    def __init__(self, in_f: int, out_f: int, bias_init: float = 0.0, lr_mul: float = 1.0, act: bool = False):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(out_f, in_f) / lr_mul)
        self.bias = nn.Parameter(torch.full((out_f,), float(bias_init)))
        self.scale = lr_mul / math.sqrt(in_f)
        self.lr_mul = lr_mul
        self.act = act

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = F.linear(x, self.weight * self.scale, self.bias * self.lr_mul)
        return F.leaky_relu(out, 0.2) * SQRT2 if self.act else out


class EqualConv2d(nn.Module):
    """A convolution with the equalised learning rate, 'same' padding and an optional lrelu."""

    def __init__(self, in_ch: int, out_ch: int, k: int, bias: bool = True, act: bool = True):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(out_ch, in_ch, k, k))
        self.bias = nn.Parameter(torch.zeros(out_ch)) if bias else None
        self.scale = 1 / math.sqrt(in_ch * k * k)
        self.act = act

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = F.conv2d(x, self.weight * self.scale, self.bias, padding=self.weight.shape[-1] // 2)
        return F.leaky_relu(out, 0.2) * SQRT2 if self.act else out


class MappingNetwork(nn.Module):
    """z (+ class) → w. `w_avg` is the running mean of w, kept by the trainer, used for truncation."""

    w_avg: torch.Tensor

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        w_dim = cfg.z_dim
        self.embed = nn.Embedding(cfg.num_classes, w_dim) if cfg.num_classes else None
        nn.init.normal_(self.embed.weight) if self.embed is not None else None
        in_f = cfg.z_dim + (w_dim if self.embed is not None else 0)
        self.net = nn.Sequential(*[EqualLinear(in_f if i == 0 else w_dim, w_dim, lr_mul=MAPPING_LR_MUL, act=True)
                                   for i in range(cfg.mapping_layers)])
        self.register_buffer("w_avg", torch.zeros(w_dim))

    def forward(self, z: torch.Tensor, class_vec: torch.Tensor | None = None) -> torch.Tensor:
        x = normalize_2nd_moment(z)  # (B, z_dim)
        if self.embed is not None:
            if class_vec is None:
                raise ValueError("a conditional mapping network needs a class")
            x = torch.cat([x, normalize_2nd_moment(class_vec)], 1)
        return self.net(x)  # (B, w_dim)


class ModulatedConv(nn.Module):
    """A k×k convolution whose input channels are scaled per sample by an affine map of w."""

    def __init__(self, in_ch: int, out_ch: int, w_dim: int, k: int, demodulate: bool = True, up: bool = False):
        super().__init__()
        self.affine = EqualLinear(w_dim, in_ch, bias_init=1.0)
        self.weight = nn.Parameter(torch.randn(out_ch, in_ch, k, k))
        self.scale = 1 / math.sqrt(in_ch * k * k)
        self.demodulate = demodulate
        self.up = up

    def forward(self, x: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
        styles = self.affine(w)  # (B, in)
        weight = self.weight * self.scale
        if self.up:
            x = F.interpolate(x, scale_factor=2.0, mode="bilinear", align_corners=False)
        out = F.conv2d(x * styles[:, :, None, None], weight, padding=weight.shape[-1] // 2)
        if self.demodulate:  # each output channel back to unit scale: styles² · Σ_k weight²
            dcoefs = (styles.square() @ weight.square().sum((2, 3)).t() + 1e-8).rsqrt()  # (B, out)
            out = out * dcoefs[:, :, None, None]
        return out


class SynthesisLayer(nn.Module):
    """Modulated 3×3 convolution, per-pixel noise with a learned strength, bias, lrelu."""

    noise_const: torch.Tensor

    def __init__(self, in_ch: int, out_ch: int, w_dim: int, res: int, up: bool = False):
        super().__init__()
        self.conv = ModulatedConv(in_ch, out_ch, w_dim, 3, up=up)
        self.noise_strength = nn.Parameter(torch.zeros(()))
        self.bias = nn.Parameter(torch.zeros(out_ch))
        self.register_buffer("noise_const", torch.randn(1, 1, res, res))

    def forward(self, x: torch.Tensor, w: torch.Tensor, noise_mode: str,
                noise: torch.Tensor | None = None) -> torch.Tensor:
        x = self.conv(x, w)  # (B, out, res, res)
        if noise is not None:  # given maps (B or 1, 1, res, res): a projection's optimised noise
            x = x + noise.to(x.dtype) * self.noise_strength
        elif noise_mode == "random":
            x = x + torch.randn(x.shape[0], 1, *x.shape[2:], device=x.device, dtype=x.dtype) * self.noise_strength
        elif noise_mode == "const":
            x = x + self.noise_const.to(x.dtype) * self.noise_strength
        return F.leaky_relu(x + self.bias[None, :, None, None], 0.2) * SQRT2


class ToRGB(nn.Module):
    def __init__(self, in_ch: int, channels: int, w_dim: int):
        super().__init__()
        self.conv = ModulatedConv(in_ch, channels, w_dim, 1, demodulate=False)
        self.bias = nn.Parameter(torch.zeros(channels))

    def forward(self, x: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
        return self.conv(x, w) + self.bias[None, :, None, None]


class SynthesisBlock(nn.Module):
    """One resolution: upsample-and-convolve, convolve, and add this scale's colours to the skip image."""

    def __init__(self, in_ch: int, out_ch: int, w_dim: int, res: int, channels: int):
        super().__init__()
        self.conv0 = SynthesisLayer(in_ch, out_ch, w_dim, res, up=True)
        self.conv1 = SynthesisLayer(out_ch, out_ch, w_dim, res)
        self.torgb = ToRGB(out_ch, channels, w_dim)


class SynthesisNetwork(nn.Module):
    """ws (B, num_ws, w_dim) → image (B, C, H, W), from a learned 4×4 constant."""

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        w_dim, ch4 = cfg.z_dim, channels_at(4, cfg)
        self.const = nn.Parameter(torch.randn(ch4, 4, 4))
        self.conv4 = SynthesisLayer(ch4, ch4, w_dim, 4)
        self.torgb4 = ToRGB(ch4, cfg.channels, w_dim)
        self.blocks = nn.ModuleList(
            SynthesisBlock(channels_at(res // 2, cfg), channels_at(res, cfg), w_dim, res, cfg.channels)
            for res in block_resolutions(cfg))

    def layers(self) -> list[SynthesisLayer]:
        """The layers that take noise, in the order `forward`'s `noise` maps are given."""
        return [self.conv4, *(layer for blk in cast(list[SynthesisBlock], self.blocks)
                              for layer in (blk.conv0, blk.conv1))]

    def forward(self, ws: torch.Tensor, noise_mode: str = "const",
                noise: list[torch.Tensor] | None = None) -> torch.Tensor:
        """`noise`: one map per layer of `layers()` (B or 1, 1, res, res), used instead of `noise_mode`."""
        n: list[torch.Tensor | None] = list(noise) if noise is not None else [None] * (1 + 2 * len(self.blocks))
        x = self.const[None].expand(ws.shape[0], -1, -1, -1)  # (B, C4, 4, 4)
        x = self.conv4(x, ws[:, 0], noise_mode, n[0])
        img = self.torgb4(x, ws[:, 1])
        for i, blk in enumerate(cast(list[SynthesisBlock], self.blocks)):
            x = blk.conv0(x, ws[:, 1 + 2 * i], noise_mode, n[1 + 2 * i])
            x = blk.conv1(x, ws[:, 2 + 2 * i], noise_mode, n[2 + 2 * i])
            up = F.interpolate(img, scale_factor=2.0, mode="bilinear", align_corners=False)
            img = up + blk.torgb(x, ws[:, 3 + 2 * i])
        return img


class StyleGANGenerator(nn.Module):
    """z (+ label) → image, with the mapping and synthesis halves exposed for w-space work."""

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.num_ws = num_ws(cfg)
        self.mapping = MappingNetwork(cfg)
        self.synthesis = SynthesisNetwork(cfg)

    @property
    def embed(self) -> nn.Embedding:
        """The class table (conditional models), as class morphs blend it."""
        if self.mapping.embed is None:
            raise AttributeError("an unconditional StyleGAN has no class embedding")
        return self.mapping.embed

    @property
    def w_avg(self) -> torch.Tensor:
        return self.mapping.w_avg

    def class_vector(self, y: torch.Tensor | None) -> torch.Tensor | None:
        return self.mapping.embed(y) if self.mapping.embed is not None and y is not None else None

    def ws(self, w: torch.Tensor) -> torch.Tensor:
        """One w for every layer: (B, w_dim) → (B, num_ws, w_dim)."""
        return w[:, None].expand(-1, self.num_ws, -1)

    def default_noise(self) -> str:
        return "random" if self.training else "const"

    def from_embedding(self, z: torch.Tensor, class_vec: torch.Tensor) -> torch.Tensor:
        return self.synthesis(self.ws(self.mapping(z, class_vec)), self.default_noise())

    def forward(self, z: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
        return self.synthesis(self.ws(self.mapping(z, self.class_vector(y))), self.default_noise())


class DBlock(nn.Module):
    """Two 3×3 convolutions and a 2× average-pool, beside a pooled 1×1 skip; out at unit scale."""

    def __init__(self, in_ch: int, out_ch: int):
        super().__init__()
        self.conv0 = EqualConv2d(in_ch, in_ch, 3)
        self.conv1 = EqualConv2d(in_ch, out_ch, 3)
        self.skip = EqualConv2d(in_ch, out_ch, 1, bias=False, act=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        skip = self.skip(F.avg_pool2d(x, 2))
        x = F.avg_pool2d(self.conv1(self.conv0(x)), 2)
        return (x + skip) / SQRT2


def minibatch_std(x: torch.Tensor, group: int = 4) -> torch.Tensor:
    """Append one channel: the mean standard deviation of features across a group of samples."""
    b, c, h, w = x.shape
    g = math.gcd(group, b)
    y = x.reshape(g, -1, c, h, w).float()
    y = (y.var(0, unbiased=False) + 1e-8).sqrt().mean((1, 2, 3))  # (B / g,)
    y = y.to(x.dtype).reshape(-1, 1, 1, 1).repeat(g, 1, h, w)
    return torch.cat([x, y], 1)


class StyleGANDiscriminator(nn.Module):
    """Image (+ label) → realness logit: residual blocks to 4×4, minibatch std, projection for classes."""

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        top = cfg.img_size
        self.from_rgb = EqualConv2d(cfg.channels, channels_at(top, cfg), 1)
        self.blocks = nn.Sequential(*[DBlock(channels_at(res, cfg), channels_at(res // 2, cfg))
                                      for res in reversed(block_resolutions(cfg))])
        ch4 = channels_at(4, cfg)
        self.conv = EqualConv2d(ch4 + 1, ch4, 3)
        self.fc = EqualLinear(ch4 * 16, ch4, act=True)
        self.out = EqualLinear(ch4, 1)
        self.embed = nn.Embedding(cfg.num_classes, ch4) if cfg.num_classes else None

    def forward(self, x: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
        h = self.blocks(self.from_rgb(x))  # (B, C4, 4, 4)
        h = self.fc(self.conv(minibatch_std(h)).flatten(1))  # (B, C4)
        out = self.out(h).squeeze(1)
        if self.embed is not None and y is not None:  # projection: how well h matches the class
            out = out + (self.embed(y) * h).sum(1) / math.sqrt(h.shape[1])
        return out
