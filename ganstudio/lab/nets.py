"""The lab's networks, optimisers and one update of each: the studio's MLP GAN, one network at a time."""

from __future__ import annotations

import torch
from torch import nn

from ganstudio.core.config import ModelConfig
from ganstudio.lab.settings import LabSettings
from ganstudio.models import losses
from ganstudio.models.mlp import MLPDiscriminator, MLPGenerator, place_codes


def build_nets(s: LabSettings, real: torch.Tensor, gen: torch.Generator) -> tuple[MLPGenerator, MLPDiscriminator]:
    torch.manual_seed(s.seed)  # the layers' initial weights
    cfg = ModelConfig(arch="mlp", z_dim=s.z_dim, hidden=s.neurons, layers=s.layers,
                      latent_codes=s.latent_codes, spectral_norm=s.spectral_norm)
    g, d = MLPGenerator(cfg), MLPDiscriminator(cfg)
    if s.latent_codes:
        place_codes(g, real, gen)
    return g, d


def optimiser(kind: str, params, lr: float, wgan: bool) -> torch.optim.Optimizer:
    """Plain SGD and Adam as in GAN Lab (Adam with the GAN betas, WGAN-GP's (0, 0.9) for the critic's
    loss), or RMSprop, the optimiser of the original WGAN."""
    if kind == "sgd":
        return torch.optim.SGD(params, lr=lr)
    if kind == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr)
    return torch.optim.Adam(params, lr=lr, betas=(0.0, 0.9) if wgan else (0.5, 0.999))


def noise(s: LabSettings, n: int, gen: torch.Generator) -> torch.Tensor:
    if s.noise == "uniform":
        return torch.rand(n, s.z_dim, generator=gen) * 2 - 1
    return torch.randn(n, s.z_dim, generator=gen)


def g_loss(s: LabSettings, d_fake: torch.Tensor) -> torch.Tensor:
    """G's loss; the saturating form minimises log(1 − D(G(z))) = −softplus(logit)."""
    if s.loss == "bce-saturating":
        return -nn.functional.softplus(d_fake).mean()
    return losses.g_loss(s.loss, d_fake)


def d_loss(s: LabSettings, d: nn.Module, real: torch.Tensor, fake: torch.Tensor,
           gen: torch.Generator) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """D's loss with its penalties, and its raw outputs on the real and fake batch."""
    real = real.requires_grad_(s.r1 > 0)
    d_real, d_fake = d(real), d(fake)
    loss = losses.d_loss("bce" if s.loss == "bce-saturating" else s.loss, d_real, d_fake)
    if s.loss == "wgan-gp":
        loss = loss + s.gp_weight * losses.gradient_penalty(d, real, fake, gen)
    if s.r1 > 0:
        loss = loss + s.r1 / 2 * losses.r1_penalty(d_real, real)
    return loss, d_real.detach(), d_fake.detach()


def grad_norm(net: nn.Module) -> float:
    norms = [p.grad.detach().norm() for p in net.parameters() if p.grad is not None]
    return float(torch.stack(norms).norm()) if norms else 0.0


def probability(s: LabSettings, out: torch.Tensor) -> torch.Tensor:
    """How real D finds points: a probability for the BCE losses, else the critic value centred on its mean."""
    return torch.sigmoid(out) if s.loss.startswith("bce") else torch.sigmoid(out - out.mean())
