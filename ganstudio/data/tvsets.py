"""MNIST, Fashion-MNIST and CIFAR-10 through torchvision: download online, or read a local root."""

from __future__ import annotations

from pathlib import Path

import torch
import torch.nn.functional as F

from ganstudio.core.errors import UserError
from ganstudio.core.paths import datasets_dir
from ganstudio.data.source import DataSource, tensor_source

FASHION_CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
                   "Ankle boot"]


def load_tv_arrays(name: str, root: str | Path | None, train: bool = True,
                   download: bool = True) -> tuple[torch.Tensor, torch.Tensor, list[str]]:
    """(images (N, C, H, W) uint8, labels (N,), class names) of a torchvision set."""
    from torchvision import datasets  # deferred: importing torchvision is slow

    root = Path(root) if root else datasets_dir()
    cls = {"mnist": datasets.MNIST, "fashion-mnist": datasets.FashionMNIST, "cifar10": datasets.CIFAR10}[name]
    try:
        ds = cls(root=str(root), train=train, download=False)
    except RuntimeError:
        if not download:
            raise UserError(f"{name} was not found under {root}",
                            "point the data root at a folder holding it, or allow downloading") from None
        try:
            root.mkdir(parents=True, exist_ok=True)
            ds = cls(root=str(root), train=train, download=True)  # prints a progress bar
        except Exception:  # network errors come in many types
            raise UserError(f"{name} is not under {root} and could not be downloaded",
                            "check the internet connection or point the data root at a local copy") from None
    data = ds.data
    images = torch.as_tensor(data)
    images = images[:, None] if images.ndim == 3 else images.permute(0, 3, 1, 2)  # (N, C, H, W)
    labels = torch.as_tensor(ds.targets, dtype=torch.long)
    names = FASHION_CLASSES if name == "fashion-mnist" else [str(c).split(" - ")[-1] for c in ds.classes]
    return images.contiguous(), labels, names


def adapt(images: torch.Tensor, img_size: int, channels: int) -> torch.Tensor:
    """Resize / recolour a uint8 image tensor once, so training never does it per step."""
    if images.shape[1] != channels:
        images = images.float().mean(1, keepdim=True) if channels == 1 else images.expand(-1, 3, -1, -1)
    if images.shape[-1] != img_size:
        out = []
        for chunk in images.split(4096):
            out.append(F.interpolate(chunk.float(), size=(img_size, img_size), mode="bilinear",
                                     align_corners=False, antialias=True))
        images = torch.cat(out)
    return images.round().clamp(0, 255).to(torch.uint8) if images.dtype != torch.uint8 else images


def tv_source(name: str, root: str, download: bool, img_size: int, channels: int, device: torch.device,
              limit: int = 0) -> DataSource:
    images, labels, names = load_tv_arrays(name, root or None, train=True, download=download)
    if limit:
        images, labels = images[:limit], labels[:limit]
    images = adapt(images, img_size, channels)
    return tensor_source(images, labels, device, f"{name} ({len(images)} images)", names)
