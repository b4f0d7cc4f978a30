"""2D toy distributions (GAN Lab, PacGAN, VEEGAN) and points from a user's CSV file."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import torch

from ganstudio.core.errors import UserError
from ganstudio.core.files import regular_file
from ganstudio.data.source import DataSource, Modes

RING_RADIUS, RING_STD = 2.0, 0.02  # VEEGAN / PacGAN 2D-ring setting
GRID_STEP, GRID_STD = 2.0, 0.05  # PacGAN 2D-grid setting: 5×5 modes on {-4, …, 4}²


def ring8_centers() -> np.ndarray:
    angles = np.arange(8) * (2 * math.pi / 8)
    return np.stack([np.cos(angles), np.sin(angles)], 1) * RING_RADIUS


def grid25_centers() -> np.ndarray:
    axis = (np.arange(5) - 2) * GRID_STEP
    return np.stack(np.meshgrid(axis, axis, indexing="ij"), -1).reshape(-1, 2)


def _mixture(centers: np.ndarray, std: float, device: torch.device):
    c = torch.tensor(centers, dtype=torch.float32, device=device)

    def draw(n: int, gen: torch.Generator):
        idx = torch.randint(len(c), (n,), generator=gen, device=gen.device).to(device)
        noise = torch.randn(n, 2, generator=gen, device=gen.device).to(device)
        return c[idx] + std * noise, None

    return draw


def _swissroll(n: int, gen: torch.Generator) -> torch.Tensor:
    t = 1.5 * math.pi * (1 + 2 * torch.rand(n, generator=gen, device=gen.device))
    pts = torch.stack([t * torch.cos(t), t * torch.sin(t)], 1) / 5.0
    return pts + 0.05 * torch.randn(n, 2, generator=gen, device=gen.device)


def _moons(n: int, gen: torch.Generator) -> torch.Tensor:
    half = torch.rand(n, generator=gen, device=gen.device) < 0.5
    t = math.pi * torch.rand(n, generator=gen, device=gen.device)
    upper = torch.stack([torch.cos(t), torch.sin(t)], 1)
    lower = torch.stack([1 - torch.cos(t), 0.5 - torch.sin(t)], 1)
    pts = torch.where(half[:, None], upper, lower) - torch.tensor([0.5, 0.25], device=gen.device)
    return pts * 1.5 + 0.05 * torch.randn(n, 2, generator=gen, device=gen.device)


def _spiral(n: int, gen: torch.Generator) -> torch.Tensor:
    t = torch.sqrt(torch.rand(n, generator=gen, device=gen.device)) * 3 * math.pi
    arm = (torch.rand(n, generator=gen, device=gen.device) < 0.5).float() * math.pi
    r = t / (3 * math.pi) * 3
    pts = torch.stack([r * torch.cos(t + arm), r * torch.sin(t + arm)], 1)
    return pts + 0.04 * torch.randn(n, 2, generator=gen, device=gen.device)


def toy_source(name: str, device: torch.device) -> DataSource:
    """A named 2D distribution sampled fresh for every batch."""
    if name == "ring8":
        return DataSource("points", "8 Gaussians on a ring", _mixture(ring8_centers(), RING_STD, device),
                          modes=Modes(ring8_centers(), RING_STD))
    if name == "grid25":
        return DataSource("points", "25 Gaussians on a 5×5 grid", _mixture(grid25_centers(), GRID_STD, device),
                          modes=Modes(grid25_centers(), GRID_STD))
    shapes = {"swissroll": (_swissroll, "swiss roll"), "moons": (_moons, "two moons"),
              "spiral": (_spiral, "two-arm spiral")}
    if name not in shapes:
        raise UserError(f"unknown toy set '{name}'", "choose ring8, grid25, swissroll, moons or spiral")
    fn, label = shapes[name]
    return DataSource("points", label, lambda n, gen: (fn(n, gen).to(device), None))


def csv_source(path: str | Path, device: torch.device) -> DataSource:
    """Points from a CSV file with two numeric columns (a header row is allowed)."""
    path = regular_file(path, "give a CSV file of 'x,y' points")
    rows: list[tuple[float, float]] = []
    bad = 0
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            for row in csv.reader(fh):
                try:
                    rows.append((float(row[0]), float(row[1])))
                except (ValueError, IndexError):
                    bad += 1
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read {path.name} as CSV ({exc})") from exc
    finite = [r for r in rows if math.isfinite(r[0]) and math.isfinite(r[1])]  # filter first, then count
    bad += len(rows) - len(finite)
    if len(finite) < 2:
        raise UserError(f"{path.name} has fewer than 2 rows of two finite numbers",
                        "write one 'x,y' point per line (NaN and infinity are skipped)")
    pts = torch.tensor(finite, dtype=torch.float32, device=device)
    n = len(pts)

    def draw(batch: int, gen: torch.Generator):
        return pts[torch.randint(n, (batch,), generator=gen, device=gen.device).to(device)], None

    notes = [f"{bad} rows of {path.name} were not two numbers and were skipped"] if bad > 1 else []
    return DataSource("points", f"{n} points from {path.name}", draw, size=n, notes=notes)
