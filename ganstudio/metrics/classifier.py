"""Per-dataset classifiers: training, fp16 files (`ganstudio-classifier` v1) and feature extraction.

The bundled files are `pretrained/classifier-<dataset>.pt`; they are read through
`safe_torch_load`, so no code is ever unpickled.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from ganstudio.core.errors import UserError
from ganstudio.core.paths import pretrained_dir
from ganstudio.modelfiles.torchio import atomic_torch_save, safe_torch_load
from ganstudio.models.classifier import SmallCNN

FORMAT = "ganstudio-classifier"
VERSION = 1
DATASETS = ("mnist", "fashion-mnist")


@dataclass
class Classifier:
    """A loaded classifier: labels and features of uint8 images."""

    net: SmallCNN
    meta: dict

    @property
    def class_names(self) -> list[str]:
        return list(self.meta.get("class_names", []))

    @torch.inference_mode()
    def run(self, images: np.ndarray | torch.Tensor, batch: int = 500) -> tuple[np.ndarray, np.ndarray]:
        """uint8 images (N, H, W, 3) or (N, 1, H, W) → (features (N, 128) float64, predicted labels (N,))."""
        x = torch.as_tensor(images)
        if x.ndim == 4 and x.shape[-1] == 3:  # (N, H, W, 3) as the generators return them
            x = x[..., :1].permute(0, 3, 1, 2)
        if x.shape[-2:] != (28, 28):
            raise UserError(f"the classifier reads 28 px images, these are {x.shape[-1]} px",
                            "evaluate models trained at 28 px (MNIST, Fashion-MNIST)")
        feats, preds = [], []
        for i in range(0, len(x), batch):
            xb = x[i:i + batch].float().div(127.5).sub(1.0)
            f = self.net.features(xb)
            feats.append(f.double().numpy())
            preds.append(self.net.head(f).argmax(1).numpy())
        return np.concatenate(feats), np.concatenate(preds)


def train_classifier(images: torch.Tensor, labels: torch.Tensor, epochs: int = 3, batch: int = 128,
                     seed: int = 0, flip: bool = False, log=None) -> SmallCNN:
    """Adam on uint8 images (N, 1, 28, 28) with small random shifts; returns the net in eval mode.

    `flip` mirrors a random half of each batch left-right: right for clothes, wrong for digits.
    """
    torch.manual_seed(seed)
    net = SmallCNN(int(labels.max()) + 1, images.shape[1])
    opt = torch.optim.Adam(net.parameters(), lr=2e-3)
    steps = epochs * (len(images) // batch)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=2e-3, total_steps=steps)
    gen = torch.Generator().manual_seed(seed)
    net.train()
    step = 0
    for epoch in range(epochs):
        order = torch.randperm(len(images), generator=gen)
        for i in range(0, len(order) - batch + 1, batch):
            idx = order[i:i + batch]
            x = images[idx].float().div(127.5).sub(1.0)
            dx, dy = torch.randint(-2, 3, (2,), generator=gen).tolist()
            x = torch.roll(x, (dy, dx), dims=(2, 3))  # shift augmentation
            if flip:
                mirror = torch.rand(len(x), 1, 1, 1, generator=gen) < 0.5
                x = torch.where(mirror, x.flip(3), x)
            loss = F.cross_entropy(net(x), labels[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            step += 1
            if log and step % 100 == 0:
                log(f"epoch {epoch + 1} step {step}/{steps} loss {loss.item():.3f}")
    return net.eval()


@torch.inference_mode()
def accuracy(net: SmallCNN, images: torch.Tensor, labels: torch.Tensor) -> float:
    net.eval()
    correct = 0
    for i in range(0, len(images), 1000):
        correct += (net(images[i:i + 1000].float().div(127.5).sub(1.0)).argmax(1) == labels[i:i + 1000]).sum().item()
    return correct / len(images)


def save_classifier(net: SmallCNN, path: str | Path, meta: dict) -> Path:
    weights = {k: (v.half() if v.is_floating_point() else v).contiguous() for k, v in net.state_dict().items()}
    return atomic_torch_save({"format": FORMAT, "version": VERSION, "meta": json.dumps(meta), "weights": weights}, path)


def load_classifier_file(path: str | Path) -> Classifier:
    obj = safe_torch_load(path, FORMAT, VERSION)
    try:
        meta = json.loads(obj["meta"])
        net = SmallCNN(int(meta["num_classes"]), int(meta.get("channels", 1)))
        net.load_state_dict({k: (v.float() if v.is_floating_point() else v) for k, v in obj["weights"].items()})
    except (KeyError, TypeError, ValueError, RuntimeError, json.JSONDecodeError):
        raise UserError(f"{Path(path).name} is a damaged classifier file: part of it is missing or unreadable") \
            from None
    return Classifier(net.eval(), meta)


def classifier_path(dataset: str) -> Path:
    return pretrained_dir() / f"classifier-{dataset}.pt"


def load_classifier(dataset: str) -> Classifier:
    """The bundled classifier of a dataset; UserError for a set without one."""
    if dataset not in DATASETS:
        raise UserError(f"no classifier for '{dataset}'", f"image figures are measured on: {', '.join(DATASETS)}")
    path = classifier_path(dataset)
    if not path.is_file():
        raise UserError(f"the {dataset} classifier is missing ({path})",
                        "reinstall GAN Studio or run tools/train_classifiers.py")
    return load_classifier_file(path)
