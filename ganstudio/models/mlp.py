"""Multilayer-perceptron GAN for 2D point clouds (the GAN Lab setting)."""

from __future__ import annotations

import torch
from torch import nn

from ganstudio.config import ModelConfig
from ganstudio.models.layers import maybe_sn


def _mlp(n_in: int, n_out: int, hidden: int, layers: int, act: nn.Module, sn: bool) -> nn.Sequential:
    mods: list[nn.Module] = []
    width = n_in
    for _ in range(layers):
        mods += [maybe_sn(nn.Linear(width, hidden), sn), act]
        width = hidden
    mods.append(maybe_sn(nn.Linear(width, n_out), sn))
    return nn.Sequential(*mods)


class MLPGenerator(nn.Module):
    """z (B, z_dim) → points (B, 2)."""

    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__()
        self.z_dim = cfg.z_dim
        self.net = _mlp(cfg.z_dim, 2, cfg.hidden, cfg.layers, nn.ReLU(), sn=False)

    def forward(self, z: torch.Tensor, labels: torch.Tensor | None = None) -> torch.Tensor:
        return self.net(z)


class MLPDiscriminator(nn.Module):
    """points (B, 2) → logits (B,)."""

    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__()
        self.net = _mlp(2, 1, cfg.hidden, cfg.layers, nn.LeakyReLU(0.2), sn=cfg.spectral_norm)

    def forward(self, x: torch.Tensor, labels: torch.Tensor | None = None) -> torch.Tensor:
        return self.net(x).squeeze(1)
