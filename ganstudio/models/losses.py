"""Adversarial losses: non-saturating BCE, LSGAN, hinge and WGAN-GP, and the R1 penalty.

Each loss is given raw discriminator outputs (logits / critic values) and returns a scalar.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
import torch.nn.functional as F


def d_loss(kind: str, real: torch.Tensor, fake: torch.Tensor) -> torch.Tensor:
    """Discriminator / critic loss (without the WGAN gradient penalty)."""
    if kind == "bce":
        return F.softplus(-real).mean() + F.softplus(fake).mean()
    if kind == "lsgan":
        return 0.5 * ((real - 1).pow(2).mean() + fake.pow(2).mean())
    if kind == "hinge":
        return F.relu(1 - real).mean() + F.relu(1 + fake).mean()
    if kind == "wgan-gp":
        return fake.mean() - real.mean()
    raise ValueError(f"unknown loss {kind}")


def g_loss(kind: str, fake: torch.Tensor) -> torch.Tensor:
    """Generator loss; BCE is the non-saturating form of the original minimax game."""
    if kind == "bce":
        return F.softplus(-fake).mean()
    if kind == "lsgan":
        return 0.5 * (fake - 1).pow(2).mean()
    if kind in ("hinge", "wgan-gp"):
        return -fake.mean()
    raise ValueError(f"unknown loss {kind}")


def gradient_penalty(critic: Callable[[torch.Tensor], torch.Tensor], real: torch.Tensor, fake: torch.Tensor,
                     gen: torch.Generator | None = None) -> torch.Tensor:
    """E[(‖∇ D(x̂)‖₂ − 1)²] on random interpolates x̂ between real and fake (Gulrajani et al. 2017)."""
    shape = (real.shape[0],) + (1,) * (real.dim() - 1)
    eps = torch.rand(shape, generator=gen, device=gen.device if gen is not None else real.device).to(real.device)
    x_hat = (eps * real + (1 - eps) * fake).requires_grad_(True)
    out = critic(x_hat)
    (grad,) = torch.autograd.grad(out.sum(), x_hat, create_graph=True)
    return (grad.flatten(1).norm(2, dim=1) - 1).pow(2).mean()


def d_probability(kind: str, out: torch.Tensor) -> torch.Tensor:
    """A readable "how real does D think this is" figure: a probability for BCE, else the raw mean."""
    return torch.sigmoid(out).mean() if kind == "bce" else out.mean()


def r1_penalty(d_real: torch.Tensor, real: torch.Tensor) -> torch.Tensor:
    """Mean squared norm of D's gradient at the real images (`real` must require grad), kept
    differentiable so the penalty itself can be minimised (Mescheder et al. 2018)."""
    (grad,) = torch.autograd.grad(d_real.sum(), real, create_graph=True)
    return grad.square().sum(tuple(range(1, grad.ndim))).mean()
