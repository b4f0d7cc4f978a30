"""Two unpaired image folders (domains A and B) for CycleGAN: random crops and flips.

Each folder is decoded once into a uint8 tensor of `load_size` squares on the training device;
a batch is a random image per row, a random `crop`-sized window and a random horizontal flip,
drawn from the run's seeded generator so a run is reproducible.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch

from ganstudio.core.errors import UserError
from ganstudio.core.images import fit_square, open_image
from ganstudio.data.folder import scan_folder


@dataclass
class Domain:
    """One folder's images, (N, 3, L, L) uint8 on the device."""

    name: str
    images: torch.Tensor
    skipped: list[str] = field(default_factory=list)


@dataclass
class UnpairedSource:
    """What the loop needs to know about the data (kind, description, notes) plus A/B batches."""

    a: Domain
    b: Domain
    crop: int
    kind: str = "images"
    class_names: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def description(self) -> str:
        return f"{len(self.a.images)} images from {self.a.name} ↔ {len(self.b.images)} from {self.b.name}"

    def _draw(self, domain: Domain, n: int, gen: torch.Generator) -> torch.Tensor:
        imgs = domain.images
        size = imgs.shape[-1]
        idx = torch.randint(len(imgs), (n,), generator=gen, device=gen.device).tolist()
        off = torch.randint(size - self.crop + 1, (n, 2), generator=gen, device=gen.device).tolist()
        flip = torch.rand(n, generator=gen, device=gen.device).lt(0.5).tolist()
        rows = []
        for i, (y, x), f in zip(idx, off, flip, strict=True):
            crop = imgs[i, :, y:y + self.crop, x:x + self.crop]
            rows.append(crop.flip(-1) if f else crop)
        return torch.stack(rows).float().div_(127.5).sub_(1.0)

    def batch(self, n: int, gen: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
        """(A, B) batches in [-1, 1], each (n, 3, crop, crop)."""
        return self._draw(self.a, n, gen), self._draw(self.b, n, gen)

    def fixed(self, n: int) -> tuple[torch.Tensor, torch.Tensor]:
        """The first n images of each domain, centre-cropped: the live preview's inputs."""
        def centre(domain: Domain) -> torch.Tensor:
            imgs = domain.images[:n]
            o = (imgs.shape[-1] - self.crop) // 2
            return imgs[:, :, o:o + self.crop, o:o + self.crop].float().div(127.5).sub(1.0)

        return centre(self.a), centre(self.b)


def load_domain(path: str | Path, load_size: int, device: torch.device, limit: int = 0) -> Domain:
    """Every readable image of a folder (subfolders included), converted to RGB squares."""
    scan = scan_folder(path)
    files = scan.files[:limit] if limit else scan.files
    arrays, skipped = [], []
    for f in files:
        try:
            img = fit_square(open_image(f), load_size)
        except UserError:
            skipped.append(f.name)
            continue
        arrays.append(np.asarray(img, dtype=np.uint8).transpose(2, 0, 1))
    if not arrays:
        raise UserError(f"none of the {len(files)} files in {scan.root} could be read as images")
    return Domain(scan.root.name, torch.from_numpy(np.stack(arrays)).to(device), skipped)


def load_unpaired(path_a: str | Path, path_b: str | Path, crop: int, load_size: int, device: torch.device,
                  limit: int = 0) -> UnpairedSource:
    """Both domains; `load_size` 0 means 9/8 of the crop, like the paper's 286 → 256."""
    load = load_size or (crop * 9 // 8)
    a = load_domain(path_a, load, device, limit)
    b = load_domain(path_b, load, device, limit)
    notes = [f"skipped {len(d.skipped)} unreadable file(s) in {d.name}, e.g. {d.skipped[0]}"
             for d in (a, b) if d.skipped]
    return UnpairedSource(a, b, crop, notes=notes)
