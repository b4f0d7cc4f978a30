"""Small building blocks shared by the networks."""

from __future__ import annotations

from torch import nn


def maybe_sn(module: nn.Module, enabled: bool) -> nn.Module:
    """Wrap a layer in spectral normalisation when asked (Miyato et al. 2018)."""
    return nn.utils.parametrizations.spectral_norm(module) if enabled else module


def init_dcgan_weights(module: nn.Module) -> None:
    """N(0, 0.02) convolutions and N(1, 0.02) batch-norm scales, as in Radford et al. 2016."""
    if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
        parametrizations = getattr(module, "parametrizations", None)
        target = parametrizations.weight.original if parametrizations is not None else module.weight
        nn.init.normal_(target, 0.0, 0.02)
        if module.bias is not None:
            nn.init.zeros_(module.bias)
    elif isinstance(module, nn.BatchNorm2d):
        nn.init.normal_(module.weight, 1.0, 0.02)
        nn.init.zeros_(module.bias)
