"""The bundled painting feature network (`ganstudio-features` v1): training, files, feature extraction.

The file is `pretrained/features-art64.pt` with a manifest entry of kind `features`, so it is
opened through `modelfiles.resolve.resolve_model` like every bundled file: a damaged or
tampered copy is refused before it is read, and `safe_torch_load` never unpickles code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from ganstudio.core.errors import UserError
from ganstudio.modelfiles.manifest import read_manifest
from ganstudio.modelfiles.resolve import resolve_model
from ganstudio.modelfiles.torchio import atomic_torch_save, safe_torch_load
from ganstudio.models.painting_cnn import FEATURES, SIZE, PaintingCNN

FORMAT = "ganstudio-features"
VERSION = 1
FEATURES_ID = "features-art64"


def to_input(images: np.ndarray | torch.Tensor) -> torch.Tensor:
    """uint8 images (N, H, W, 3) or (N, 3, H, W), any square size → floats (N, 3, 64, 64) in [-1, 1]."""
    x = torch.as_tensor(images)
    if x.shape[-1] == 3 and x.shape[1] != 3:
        x = x.permute(0, 3, 1, 2)
    x = x.float().div(127.5).sub(1.0)
    if x.shape[-2:] != (SIZE, SIZE):
        x = F.interpolate(x, size=(SIZE, SIZE), mode="bilinear", antialias=True, align_corners=False)
    return x


@dataclass
class FeatureNet:
    """A loaded feature network: 128-d features of uint8 RGB images."""

    net: PaintingCNN
    meta: dict

    @property
    def held_out_accuracy(self) -> float:
        return float(self.meta.get("held_out_accuracy", float("nan")))

    @torch.inference_mode()
    def features(self, images: np.ndarray | torch.Tensor, batch: int = 256) -> np.ndarray:
        """uint8 images (N, H, W, 3) → features (N, 128) float64."""
        out = [self.net.features(to_input(images[i:i + batch])).double().numpy() for i in range(0, len(images), batch)]
        return np.concatenate(out) if out else np.zeros((0, FEATURES))


def _augment(x: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
    """Random mirror and a shift of up to 4 px (reflected borders), the same for the whole batch."""
    mirror = torch.rand(len(x), 1, 1, 1, generator=gen) < 0.5
    x = torch.where(mirror, x.flip(3), x)
    dx, dy = torch.randint(0, 9, (2,), generator=gen).tolist()
    return F.pad(x, (4, 4, 4, 4), mode="reflect")[..., dy:dy + SIZE, dx:dx + SIZE]


def train_feature_net(images: torch.Tensor, labels: torch.Tensor, epochs: int = 8, batch: int = 64,
                      seed: int = 0, log=None) -> PaintingCNN:
    """Adam with a one-cycle schedule on uint8 images (N, 3, 64, 64); returns the net in eval mode.

    Classes are weighted by the inverse of their counts, so the smallest set counts as much."""
    torch.manual_seed(seed)
    k = int(labels.max()) + 1
    net = PaintingCNN(k)
    weight = len(labels) / (k * torch.bincount(labels, minlength=k).float())
    opt = torch.optim.Adam(net.parameters(), lr=2e-3, weight_decay=1e-4)
    steps = epochs * (len(images) // batch)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=2e-3, total_steps=steps)
    gen = torch.Generator().manual_seed(seed)
    net.train()
    for epoch in range(epochs):
        order = torch.randperm(len(images), generator=gen)
        for i in range(0, len(order) - batch + 1, batch):
            idx = order[i:i + batch]
            loss = F.cross_entropy(net(_augment(to_input(images[idx]), gen)), labels[idx], weight=weight)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
        if log:
            log(f"epoch {epoch + 1}/{epochs} loss {loss.item():.3f}")
    return net.eval()


@torch.inference_mode()
def predict(net: PaintingCNN, images: torch.Tensor) -> torch.Tensor:
    net.eval()
    return torch.cat([net(to_input(images[i:i + 256])).argmax(1) for i in range(0, len(images), 256)])


def save_feature_net(net: PaintingCNN, path: str | Path, meta: dict) -> Path:
    weights = {k: (v.half() if v.is_floating_point() else v).contiguous() for k, v in net.state_dict().items()}
    return atomic_torch_save({"format": FORMAT, "version": VERSION, "meta": json.dumps(meta), "weights": weights}, path)


def load_feature_file(path: str | Path) -> FeatureNet:
    """A feature-network file (a bundled one checked against the manifest first)."""
    path = resolve_model(path)
    obj = safe_torch_load(path, FORMAT, VERSION)
    try:
        meta = json.loads(obj["meta"])
        net = PaintingCNN(len(meta["class_names"]))
        net.load_state_dict({k: (v.float() if v.is_floating_point() else v) for k, v in obj["weights"].items()})
    except (KeyError, TypeError, ValueError, RuntimeError, json.JSONDecodeError):
        raise UserError(f"{Path(path).name} is a damaged feature-network file: part of it is missing or unreadable") \
            from None
    return FeatureNet(net.eval(), meta)


def load_feature_net() -> FeatureNet:
    """The bundled painting feature network, checked against its manifest entry."""
    if not any(m["id"] == FEATURES_ID for m in read_manifest()):
        raise UserError(f"the painting feature network ({FEATURES_ID}) is not installed",
                        "reinstall GAN Studio or run tools/train_features.py")
    return load_feature_file(FEATURES_ID)
