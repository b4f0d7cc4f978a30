"""Class-conditional generation without Qt: posters, per-class grids, class morphs, per-class exports.

Sample i of every class uses seed `seed + i`, so a poster's columns share one latent and differ
only in class; the CSV of a batch export names each file's class and seed so any sample can be
regenerated with `ganstudio sample MODEL --class NAME --seed S -n 1`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch

from ganstudio.core.atomic import atomic_folder
from ganstudio.core.errors import UserError
from ganstudio.core.jobs import Cancelled
from ganstudio.export.writers import check_new_folder, check_picture_scale, check_resample, enlarged
from ganstudio.modelfiles.conditional import class_embedding, generate_from_embedding
from ganstudio.modelfiles.generator import Generator
from ganstudio.models.latent import ease, slerp

MAX_PER_CLASS = 10000


def require_conditional(g: Generator) -> Generator:
    if not g.num_classes:
        raise UserError(f"{g.path.name} is not a conditional model; it has no classes to choose from",
                        "pick a conditional model (cDCGAN), e.g. a bundled Fashion-MNIST or MNIST one")
    return g


def class_names(g: Generator) -> list[str]:
    """Names from the file, or the indices as text when it has none."""
    names = g.class_names
    return names if len(names) == g.num_classes else [str(k) for k in range(g.num_classes)]


def samples(g: Generator, classes: list[int], seeds: list[int]) -> np.ndarray:
    """Every (class, seed) pair, class-major: (len(classes) · len(seeds), H, W, 3) uint8, one batched pass."""
    require_conditional(g)
    z = g.latents(seeds).repeat(len(classes), 1)
    labels = torch.tensor(classes, dtype=torch.long).repeat_interleave(len(seeds))
    return g.generate(z, labels)


def poster(g: Generator, per_class: int, seed: int) -> np.ndarray:
    """One row per class, `per_class` columns of shared latents."""
    return samples(g, list(range(g.num_classes)), list(range(seed, seed + per_class)))


@torch.inference_mode()
def class_morph_frames(g: Generator, start: int, end: int, frames: int, seed_a: int,
                       seed_b: int | None = None,
                       easing: str = "ease-in-out") -> np.ndarray:
    """Frames from class `start` to class `end`: the class embedding is blended linearly and the
    latent follows the great circle from seed_a to seed_b (the same latent when seed_b is None)."""
    require_conditional(g)
    for k in (start, end):
        g.class_index(k)
    if not 2 <= frames <= 1000:
        raise UserError(f"{frames} frames is out of range", "use 2–1000")
    if easing not in ("linear", "ease-in-out"):
        raise UserError(f"unknown easing '{easing}'", "use linear or ease-in-out")
    t = ease(torch.linspace(0, 1, frames), easing)
    za, zb = g.latents([seed_a, seed_a if seed_b is None else seed_b])
    z = slerp(za, zb, t)
    mix = torch.zeros(frames, g.num_classes)
    mix[:, start] += 1 - t
    mix[:, end] += t
    return generate_from_embedding(g, z, class_embedding(g, mix))


def safe_folder_name(name: str) -> str:
    """A class name as a folder name on every OS ("T-shirt/top" → "T-shirt_top")."""
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", name).strip(" .")
    return cleaned or "class"


def export_per_class(g: Generator, folder: str | Path, per_class: int, seed: int,
                     progress: Callable[[int, int], None] | None = None,
                     cancel: Callable[[], bool] | None = None, scale: int = 1, resample: str = "nearest") -> Path:
    """`folder/<k>_<class>/<seed>.png` for every class plus `labels.csv` (file, class index, class, seed),
    each sample enlarged `scale` times (1, 2, 4 or 8; crisp `nearest` or `smooth`).

    Built in a hidden temporary folder and renamed when complete: a cancelled or failed export
    leaves nothing behind, and an existing non-empty folder is never mixed into.
    """
    require_conditional(g)
    if not 1 <= per_class <= MAX_PER_CLASS:
        raise UserError(f"{per_class} samples per class is out of range", f"use 1–{MAX_PER_CLASS}")
    check_picture_scale(scale)
    check_resample(resample)
    folder = Path(folder).expanduser()
    check_new_folder(folder)
    names = class_names(g)
    total, done = g.num_classes * per_class, 0
    rows = io.StringIO()
    table = csv.writer(rows, lineterminator="\n")
    table.writerow(["file", "class_index", "class", "seed"])
    with atomic_folder(folder) as tmp:
        for k, name in enumerate(names):
            sub = f"{k:02d}_{safe_folder_name(name)}"
            (tmp / sub).mkdir()
            for start in range(seed, seed + per_class, 64):
                if cancel and cancel():
                    raise Cancelled()
                seeds = list(range(start, min(start + 64, seed + per_class)))
                for s, img in zip(seeds, samples(g, [k], seeds), strict=True):
                    enlarged(img, scale, resample).save(tmp / sub / f"{s}.png")
                    table.writerow([f"{sub}/{s}.png", k, name, s])
                done += len(seeds)
                if progress:
                    progress(done, total)
        (tmp / "labels.csv").write_text(rows.getvalue(), encoding="utf-8")
    return folder
