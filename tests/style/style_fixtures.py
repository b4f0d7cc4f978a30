"""Tiny CycleGAN style model files and photos for the stylize, CLI and page tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from PIL import Image

from ganstudio.core.config import ModelConfig, replace, to_dict
from ganstudio.modelfiles.generator import save_generator_file
from ganstudio.models.cyclegan import build_cyclegan_generator

TINY = ModelConfig(arch="cyclegan", channels=3, base_ch=4, res_blocks=1, base_ch_d=4)
PHOTOS = Path(__file__).resolve().parents[2] / ".." / "shared" / "datasets" / "photos" / "bsds500-test"


def tiny_nets(seed: int = 0, upsample: str = "resize") -> dict[str, torch.nn.Module]:
    torch.manual_seed(seed)
    cfg = replace(TINY, upsample=upsample)
    return {"AB": build_cyclegan_generator(cfg).eval(), "BA": build_cyclegan_generator(cfg).eval()}


def write_style_model(path: Path, seed: int = 0) -> Path:
    nets = tiny_nets(seed)
    weights = {f"G_{d}.{k}": v for d, net in nets.items() for k, v in net.state_dict().items()}
    meta = {"kind": "cyclegan", "arch": "cyclegan", "model": to_dict(TINY), "steps": 0,
            "domains": {"A": "photo", "B": "painting"}}
    return save_generator_file(path, weights, meta, half=False)


def photo(width: int = 96, height: int = 64, seed: int = 0) -> np.ndarray:
    """A smooth picture with edges (gradients plus a disc), like a tiny photo."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    r = (x / width * 255)
    g = (y / height * 255)
    b = np.where((x - width * 0.6) ** 2 + (y - height * 0.4) ** 2 < (min(width, height) * 0.3) ** 2, 220.0, 40.0)
    img = np.stack([r, g, b], -1) + rng.normal(0, 6, (height, width, 3))
    return np.clip(img, 0, 255).astype(np.uint8)


def write_photo(path: Path, width: int = 96, height: int = 64, **save) -> Path:
    Image.fromarray(photo(width, height)).save(path, **save)
    return path
