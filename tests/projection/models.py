"""Tiny StyleGAN files for projection tests: outputs mostly inside [-1, 1] (as a trained model's are),
a w_avg that is the mean of mapped latents, and the discriminator stored beside the generator."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from ganstudio.core.config import ModelConfig
from ganstudio.modelfiles.generator import generator_meta, save_generator_file
from ganstudio.models.stylegan import StyleGANDiscriminator, StyleGANGenerator
from ganstudio.projection.photo import Crop, Photo


def write_projection_model(path: Path, num_classes: int = 0, with_d: bool = True, seed: int = 0) -> Path:
    torch.manual_seed(seed)
    m = ModelConfig(arch="stylegan", z_dim=16, img_size=32, channels=3, base_ch=8, max_ch=16, mapping_layers=2,
                    num_classes=num_classes)
    g = StyleGANGenerator(m)
    with torch.no_grad():
        labels = torch.arange(512) % num_classes if num_classes else None
        g.mapping.w_avg.copy_(g.mapping(torch.randn(512, m.z_dim), g.class_vector(labels)).mean(0))
        for name, p in g.named_parameters():
            if "torgb" in name and name.endswith("conv.weight"):
                p.mul_(0.25)  # a random network's colours saturate; a quarter keeps them in range
        for module in g.modules():
            if hasattr(module, "noise_strength"):
                module.noise_strength.fill_(0.1)
    extra = {"D": StyleGANDiscriminator(m).state_dict()} if with_d else None
    meta = generator_meta(m, class_names=[f"class {k}" for k in range(num_classes)], steps=0)
    return save_generator_file(path, g.state_dict(), meta, half=False, extra=extra)


def photo_of(pixels: np.ndarray, name: str = "target.png") -> Photo:
    """A Photo that is already the model's size (a picture the model drew, or a test pattern)."""
    side = pixels.shape[0]
    return Photo(name, "0" * 64, side, side, Crop(0, 0, side), pixels)

