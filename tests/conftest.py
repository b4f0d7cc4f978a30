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
    """Every test gets its own user data folder, never the real one."""
    monkeypatch.setenv("GANSTUDIO_HOME", str(tmp_path_factory.mktemp("home")))


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
