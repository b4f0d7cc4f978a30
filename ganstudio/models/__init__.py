"""Networks only: no I/O, no device choice, no training."""

from __future__ import annotations

from torch import nn

from ganstudio.core.config import ModelConfig
from ganstudio.models.dcgan import DCGANDiscriminator, DCGANGenerator
from ganstudio.models.layers import init_dcgan_weights
from ganstudio.models.mlp import MLPDiscriminator, MLPGenerator
from ganstudio.models.stylegan import StyleGANDiscriminator, StyleGANGenerator


def build_generator(cfg: ModelConfig) -> nn.Module:
    if cfg.arch == "mlp":
        return MLPGenerator(cfg)
    if cfg.arch == "stylegan":
        return StyleGANGenerator(cfg)
    g = DCGANGenerator(cfg)
    g.apply(init_dcgan_weights)
    return g


def build_discriminator(cfg: ModelConfig, batchnorm: bool = True) -> nn.Module:
    """`batchnorm=False` for critics whose loss penalises per-sample gradients (WGAN-GP)."""
    if cfg.arch == "mlp":
        return MLPDiscriminator(cfg)
    if cfg.arch == "stylegan":
        return StyleGANDiscriminator(cfg)
    d = DCGANDiscriminator(cfg, batchnorm=batchnorm and not cfg.spectral_norm)
    d.apply(init_dcgan_weights)
    return d
