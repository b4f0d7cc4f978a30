"""Shared fixtures: an isolated user folder, the shared datasets, tiny image folders."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
torch.set_num_threads(1)

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "datasets"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """Every test gets its own user data folder, never the real one, and fixed precision and threads."""
    monkeypatch.setenv("GANSTUDIO_HOME", str(tmp_path_factory.mktemp("home")))
    monkeypatch.setenv("GANSTUDIO_TUNING", "off")  # nothing timed: results never depend on the machine's load


@pytest.fixture
def shared_datasets() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"shared datasets not found at {SHARED} (CI always has them)")
    return SHARED


def write_images(folder: Path, n: int, size: int = 12, mode: str = "RGB", seed: int = 0) -> list[Path]:
    """n small random images in `folder`."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        arr = rng.integers(0, 256, (size, size, 3), dtype=np.uint8)
        path = folder / f"img_{i}.png"
        Image.fromarray(arr).convert(mode).save(path)
        paths.append(path)
    return paths


@pytest.fixture
def image_folder(tmp_path) -> Path:
    write_images(tmp_path / "flat", 8)
    return tmp_path / "flat"


@pytest.fixture
def class_folder(tmp_path) -> Path:
    root = tmp_path / "classes"
    for k, name in enumerate(["cats", "dogs", "owls"]):
        write_images(root / name, 4, seed=k)
    return root


def write_stylegan_file(path: Path, num_classes: int = 0, seed: int = 0) -> Path:
    """An untrained tiny StyleGAN generator file with a non-zero w_avg and noise strengths."""
    import torch

    from ganstudio.core.config import ModelConfig
    from ganstudio.modelfiles.generator import generator_meta, save_generator_file
    from ganstudio.models.stylegan import StyleGANGenerator

    torch.manual_seed(seed)
    m = ModelConfig(arch="stylegan", z_dim=8, img_size=32, channels=3, base_ch=4, max_ch=8, mapping_layers=1,
                    num_classes=num_classes)
    g = StyleGANGenerator(m)
    with torch.no_grad():
        g.mapping.w_avg.normal_()
        for module in g.modules():
            if hasattr(module, "noise_strength"):
                module.noise_strength.fill_(0.5)
    names = [f"class {k}" for k in range(num_classes)]
    return save_generator_file(path, g.state_dict(), generator_meta(m, class_names=names, steps=0), half=False)


@pytest.fixture
def stylegan_file(tmp_path) -> Path:
    return write_stylegan_file(tmp_path / "style.pt")
