"""Standalone generator files: weights plus JSON metadata, loadable without the training code.

A generator file is what the creative pages (latent walk, classes, zoo) open. It holds the
generator's weights (the EMA copy when there is one, in half precision to stay small) and a
JSON string describing the architecture, config, class names, training steps and dataset.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn

from ganstudio import __version__
from ganstudio.core.config import ModelConfig, model_from_dict, to_dict
from ganstudio.core.errors import UserError
from ganstudio.modelfiles.resolve import resolve_model
from ganstudio.modelfiles.torchio import atomic_torch_save, safe_torch_load

FORMAT = "ganstudio-generator"
VERSION = 1


def save_generator_file(path: str | Path, state_dict: dict, meta: dict, half: bool = True) -> Path:
    """Write weights + metadata atomically. `meta` must be JSON-serialisable."""
    weights = {k: (v.half() if half and v.is_floating_point() else v).detach().cpu().contiguous()
               for k, v in state_dict.items()}
    meta = {"app_version": __version__, **meta}
    return atomic_torch_save({"format": FORMAT, "version": VERSION, "meta": json.dumps(meta), "weights": weights}, path)


def read_generator_file(spec: str | Path) -> tuple[dict, dict]:
    """(float32 weights, metadata) of a generator file or bundled id (checked), refusing anything else."""
    path = resolve_model(spec)
    obj = safe_torch_load(path, FORMAT, VERSION)
    try:
        meta = json.loads(obj["meta"])
        weights = {k: (v.float() if v.is_floating_point() else v) for k, v in obj["weights"].items()}
    except (KeyError, TypeError, AttributeError, json.JSONDecodeError) as exc:
        raise UserError(f"{Path(path).name} is a damaged generator file ({type(exc).__name__})") from None
    return weights, meta


def to_uint8(images: torch.Tensor) -> np.ndarray:
    """(B, C, H, W) in [-1, 1] → (B, H, W, 3) uint8; grey is repeated to RGB."""
    x = ((images.clamp(-1, 1) + 1) * 127.5).round().to(torch.uint8)
    if x.shape[1] == 1:
        x = x.expand(-1, 3, -1, -1)
    return x.permute(0, 2, 3, 1).cpu().numpy()


@dataclass
class Generator:
    """A loaded image generator ready to sample: the one object the creative pages use."""

    net: nn.Module
    config: ModelConfig
    meta: dict
    path: Path
    device: torch.device

    @property
    def z_dim(self) -> int:
        return self.config.z_dim

    @property
    def num_classes(self) -> int:
        return self.config.num_classes if self.config.arch == "cdcgan" else 0

    @property
    def class_names(self) -> list[str]:
        return list(self.meta.get("class_names") or [])

    @property
    def is_image_model(self) -> bool:
        return self.config.arch != "mlp"

    def class_index(self, name_or_index: str | int) -> int:
        """A class given by index or (case-insensitive) name; UserError if it does not exist."""
        if not self.num_classes:
            raise UserError(f"{self.path.name} is not a conditional model; it has no classes")
        if isinstance(name_or_index, int) or str(name_or_index).strip().lstrip("-").isdigit():
            idx = int(name_or_index)
            if 0 <= idx < self.num_classes:
                return idx
        else:
            lowered = [c.lower() for c in self.class_names]
            if str(name_or_index).strip().lower() in lowered:
                return lowered.index(str(name_or_index).strip().lower())
        names = f" or one of: {', '.join(self.class_names)}" if self.class_names else ""
        raise UserError(f"class '{name_or_index}' does not exist", f"choose 0–{self.num_classes - 1}{names}")

    def latents(self, seeds: list[int]) -> torch.Tensor:
        """One z per seed, identical on every device: drawn on the CPU from the seed alone."""
        return torch.stack([torch.randn(self.z_dim, generator=torch.Generator().manual_seed(int(s))) for s in seeds])

    @torch.no_grad()
    def generate(self, z: torch.Tensor, labels: torch.Tensor | None = None, batch: int = 256) -> np.ndarray:
        """Latents (N, z_dim) [+ labels (N,)] → images (N, H, W, 3) uint8, or points (N, 2) float."""
        outs = []
        for i in range(0, len(z), batch):
            zb = z[i:i + batch].to(self.device, torch.float32)
            yb = labels[i:i + batch].to(self.device) if labels is not None else None
            if self.num_classes and yb is None:
                yb = torch.zeros(len(zb), dtype=torch.long, device=self.device)
            out = self.net(zb, yb)
            outs.append(to_uint8(out) if self.is_image_model else out.cpu().numpy())
        return np.concatenate(outs) if outs else np.zeros((0,))


def load_generator(spec: str | Path, device: torch.device | str = "cpu") -> Generator:
    """Rebuild and load a GAN generator from a bundled id, a generator file, a checkpoint or a run folder."""
    from ganstudio.models import build_generator

    path = resolve_model(spec)
    if path.is_dir() or is_checkpoint_file(path):
        from ganstudio.modelfiles.checkpoint import generator_from_checkpoint

        weights, meta = generator_from_checkpoint(path)
    else:
        weights, meta = read_generator_file(path)
    if meta.get("kind", "gan") != "gan":
        raise UserError(f"{path.name} is a {meta.get('kind')} model, not an image generator")
    try:
        cfg = model_from_dict(meta["model"])
        net = build_generator(cfg)
        net.load_state_dict(weights)
    except (KeyError, TypeError, ValueError, RuntimeError) as exc:
        raise UserError(f"{path.name} does not match its own architecture description ({type(exc).__name__})") from None
    device = torch.device(device)
    return Generator(net.to(device).eval(), cfg, meta, path, device)


def is_checkpoint_file(path: Path) -> bool:
    """Training checkpoints are named ckpt_<step>.pt; generator files are anything else."""
    return path.name.startswith("ckpt_") and path.suffix == ".pt"


def generator_meta(cfg_model: ModelConfig, **extra) -> dict:
    """Metadata describing a GAN generator; `extra` adds steps, dataset, class names, …"""
    return {"kind": "gan", "arch": cfg_model.arch, "model": to_dict(cfg_model), **extra}
