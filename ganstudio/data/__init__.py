"""Training data: toy 2D sets, CSV points, image folders and torchvision sets."""

from __future__ import annotations

import torch

from ganstudio.core.config import TV_SETS, TrainConfig
from ganstudio.core.errors import UserError
from ganstudio.data.folder import load_folder, scan_folder
from ganstudio.data.source import DataSource, Modes, Source
from ganstudio.data.toy import csv_source, toy_source
from ganstudio.data.tvsets import tv_source


def build_source(cfg: TrainConfig, device: torch.device) -> DataSource:
    """The data a run asks for, checked against the model it will train."""
    d, m = cfg.data, cfg.model
    if d.kind == "toy":
        src = toy_source(d.name, device)
    elif d.kind == "csv":
        src = csv_source(d.path, device)
    elif d.kind == "folder":
        src = load_folder(d.path, m.img_size, m.channels, device, d.limit)
    elif d.kind in TV_SETS:
        src = tv_source(d.kind, d.root, d.download, m.img_size, m.channels, device, d.limit)
    else:
        raise UserError(f"unknown data kind '{d.kind}'")
    if (m.arch == "mlp") != (src.kind == "points"):
        want = "2D points (a toy set or CSV)" if m.arch == "mlp" else "images"
        raise UserError(f"model '{m.arch}' trains on {want}, but the data is {src.description}")
    if m.arch == "cdcgan" and not src.class_names:
        raise UserError(f"a conditional model needs classes, but {src.description} has none",
                        "use one subfolder per class, or MNIST / Fashion-MNIST / CIFAR-10")
    return src


__all__ = ["DataSource", "Modes", "Source", "build_source", "scan_folder"]
