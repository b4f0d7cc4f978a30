"""Training data as a source of batches, held on the training device.

Small datasets live on the device as one uint8 tensor and batches are drawn by indexing it,
which avoids a DataLoader's per-step collation and host→device copies.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import torch


class Source(Protocol):
    """What a trainer and the loop read from any data source: batches, and words about the data."""

    @property
    def kind(self) -> str:
        """Either "points" or "images"."""
        ...

    @property
    def description(self) -> str: ...

    @property
    def class_names(self) -> list[str]: ...

    @property
    def notes(self) -> list[str]:
        """Things the user should know, such as skipped files."""
        ...

    def batch(self, n: int, gen: torch.Generator) -> tuple[torch.Tensor, torch.Tensor | None]: ...


@dataclass
class Modes:
    """Centres of a toy distribution's modes, for the mode-coverage metric."""

    centers: np.ndarray  # (K, 2)
    std: float


@dataclass
class DataSource:
    """Batches of real data plus what the UI and metrics need to know about them."""

    kind: str  # "points" | "images"
    description: str
    draw: Callable[[int, torch.Generator], tuple[torch.Tensor, torch.Tensor | None]]
    size: int = 0  # number of stored items (0 = sampled on the fly)
    class_names: list[str] = field(default_factory=list)
    shape: tuple[int, ...] = (2,)  # one item: (2,) or (C, H, W)
    modes: Modes | None = None
    notes: list[str] = field(default_factory=list)  # things the user should know (skipped files)

    def batch(self, n: int, gen: torch.Generator) -> tuple[torch.Tensor, torch.Tensor | None]:
        return self.draw(n, gen)


def tensor_source(
    images: torch.Tensor,
    labels: torch.Tensor | None,
    device: torch.device,
    description: str,
    class_names: list[str] | None = None,
    notes: list[str] | None = None,
) -> DataSource:
    """Images (N, C, H, W) uint8 kept on `device`; batches come back as floats in [-1, 1]."""
    images = images.to(device)
    labels = labels.to(device) if labels is not None else None
    n = images.shape[0]

    def draw(batch: int, gen: torch.Generator) -> tuple[torch.Tensor, torch.Tensor | None]:
        idx = torch.randint(n, (batch,), generator=gen, device=gen.device).to(device)
        x = images[idx].float().div_(127.5).sub_(1.0)
        return x, (labels[idx] if labels is not None else None)

    return DataSource(
        kind="images", description=description, draw=draw, size=n,
        class_names=list(class_names or []), shape=tuple(images.shape[1:]), notes=list(notes or []),
    )
