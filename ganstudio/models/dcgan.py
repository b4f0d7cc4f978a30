"""DCGAN generator and discriminator for 28, 32, 64 and 128 px, with optional class conditioning.

The 64 px layout with base_ch=64 is exactly the network of Radford et al. (2016) and the
PyTorch DCGAN example: transposed convolutions doubling the size from 4×4, batch norm, ReLU
in G, LeakyReLU in D. 28 px starts from 7×7 instead of 4×4.
"""

from __future__ import annotations

import torch
from torch import nn

from ganstudio.core.config import ModelConfig
from ganstudio.models.layers import maybe_sn


def _plan(img_size: int) -> tuple[int, int]:
    """(kernel of the first/last layer, number of 2× stages) for an image size."""
    if img_size == 28:
        return 7, 2
    return 4, {32: 3, 64: 4, 128: 5}[img_size]


class DCGANGenerator(nn.Module):
    """z (B, z_dim) [+ labels (B,)] → images (B, C, H, W) in [-1, 1]."""

    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__()
        self.z_dim = cfg.z_dim
        self.num_classes = cfg.num_classes if cfg.arch == "cdcgan" else 0
        k0, stages = _plan(cfg.img_size)
        ch = cfg.base_ch * 2 ** (stages - 1)
        n_in = cfg.z_dim
        if self.num_classes:
            self.embed = nn.Embedding(self.num_classes, cfg.z_dim)
            n_in = 2 * cfg.z_dim
        mods: list[nn.Module] = [
            nn.ConvTranspose2d(n_in, ch, k0, 1, 0, bias=False), nn.BatchNorm2d(ch), nn.ReLU(True),
        ]
        for _ in range(stages - 1):
            mods += [nn.ConvTranspose2d(ch, ch // 2, 4, 2, 1, bias=False), nn.BatchNorm2d(ch // 2), nn.ReLU(True)]
            ch //= 2
        mods += [nn.ConvTranspose2d(ch, cfg.channels, 4, 2, 1, bias=False), nn.Tanh()]
        self.net = nn.Sequential(*mods)

    def forward(self, z: torch.Tensor, labels: torch.Tensor | None = None) -> torch.Tensor:
        if self.num_classes:
            if labels is None:
                raise ValueError("a conditional generator needs class labels")
            return self.from_embedding(z, self.embed(labels))
        return self.net(z[:, :, None, None])  # (B, C, H, W)

    def from_embedding(self, z: torch.Tensor, class_vec: torch.Tensor) -> torch.Tensor:
        """Images from a class embedding vector (B, z_dim) rather than a label: a blend of the
        `embed` rows lets a latent walk morph smoothly from one class to another."""
        return self.net(torch.cat([z, class_vec], dim=1)[:, :, None, None])


def minibatch_std(h: torch.Tensor) -> torch.Tensor:
    """Append one feature map holding the batch's mean standard deviation (Karras et al. 2018).

    A generator that makes the same picture for every latent gives a batch with low spread,
    which D can then see and punish; single images get zeros.
    """
    spread = h.std(0).mean() if len(h) > 1 else h.new_zeros(())
    return torch.cat([h, spread.expand(len(h), 1, *h.shape[2:])], dim=1)


class DCGANDiscriminator(nn.Module):
    """images (B, C, H, W) [+ labels] → logits (B,).

    Conditional models use a projection head (Miyato & Koyama 2018) or concatenate one-hot
    class planes to the input, chosen by `cond_d`. With `minibatch_std` the last feature maps
    get one more channel: the batch's standard deviation.
    """

    def __init__(self, cfg: ModelConfig, batchnorm: bool = True) -> None:
        super().__init__()
        self.num_classes = cfg.num_classes if cfg.arch == "cdcgan" else 0
        self.cond = cfg.cond_d if self.num_classes else "none"
        sn = cfg.spectral_norm
        k0, stages = _plan(cfg.img_size)
        ch = cfg.base_ch
        n_in = cfg.channels + (self.num_classes if self.cond == "concat" else 0)
        bias = not batchnorm  # the reference network has no biases beside batch norm
        mods: list[nn.Module] = [maybe_sn(nn.Conv2d(n_in, ch, 4, 2, 1, bias=bias), sn), nn.LeakyReLU(0.2, True)]
        for _ in range(stages - 1):
            mods.append(maybe_sn(nn.Conv2d(ch, ch * 2, 4, 2, 1, bias=bias), sn))
            if batchnorm:
                mods.append(nn.BatchNorm2d(ch * 2))
            mods.append(nn.LeakyReLU(0.2, True))
            ch *= 2
        self.body = nn.Sequential(*mods)
        self.mbstd = cfg.minibatch_std
        n_head = ch + 1 if self.mbstd else ch
        if self.cond == "projection":
            self.features = nn.Sequential(maybe_sn(nn.Conv2d(n_head, ch, k0, 1, 0), sn), nn.LeakyReLU(0.2, True))
            self.head = maybe_sn(nn.Linear(ch, 1), sn)
            self.embed = maybe_sn(nn.Embedding(self.num_classes, ch), sn)
        else:
            self.head = maybe_sn(nn.Conv2d(n_head, 1, k0, 1, 0, bias=bias), sn)

    def forward(self, x: torch.Tensor, labels: torch.Tensor | None = None) -> torch.Tensor:
        if self.num_classes and labels is None:
            raise ValueError("a conditional discriminator needs class labels")
        if self.cond == "concat" and labels is not None:
            planes = nn.functional.one_hot(labels, self.num_classes).to(x.dtype)  # (B, K)
            x = torch.cat([x, planes[:, :, None, None].expand(-1, -1, *x.shape[2:])], dim=1)
        h = self.body(x)
        if self.mbstd:
            h = minibatch_std(h)
        if self.cond == "projection":
            phi = self.features(h).flatten(1)  # (B, ch)
            return self.head(phi).squeeze(1) + (self.embed(labels) * phi).sum(1)
        return self.head(h).flatten()
